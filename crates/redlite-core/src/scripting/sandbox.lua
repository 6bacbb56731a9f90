-- The script environment, built once per Lua VM (chunk name "=redlite", so the
-- error handler can tell these frames from the user's). It receives the native
-- functions from Rust and returns the runner and the hooks Rust drives.
--
-- Redis 7.0 makes the globals, every library table and the string metatable
-- read-only (a flag its patched Lua checks on every write). Vanilla Lua 5.1 has no
-- read-only tables, so scripts see proxies instead: an empty table whose __index
-- leads to the real one and whose __newindex refuses, with Redis's error text. The
-- raw writers (rawset, setmetatable, table.insert) refuse a proxy too,
-- so nothing a script does can outlive it or reach another user's script (a hook
-- planted on string.upper would otherwise run with the next caller's rights).
-- getfenv, setfenv and newproxy are not given, as in Redis since CVE-2025-46818's
-- fix: getfenv reached the environment of this file's functions.
local native = ...

local G = _G
local type, tostring, tonumber, select, unpack, error, setmetatable, rawget, pairs =
    type, tostring, tonumber, select, unpack, error, setmetatable, rawget, pairs
local rawpcall, xpcall, dbg = pcall, xpcall, debug
local strbyte, concat = string.byte, table.concat
local real_rawset, real_loadstring, real_load = rawset, loadstring, load

local function pack(...)
    return { n = select('#', ...), ... }
end

local function readonly_error()
    error('Attempt to modify a readonly table', 2)
end

-- Every proxy (weak keys: a proxy may be collected); the raw writers consult it.
local protected = setmetatable({}, { __mode = 'k' })

local function readonly(t)
    local p = setmetatable({}, { __index = t, __newindex = readonly_error, __metatable = false })
    protected[p] = true
    return p
end

-- The refusal of a raw write into a proxy: no position, as Redis raises it from C.
local function refuse(t)
    if protected[t] then
        error('Attempt to modify a readonly table', 0)
    end
end

-- The wrappers below call the real function through a local of the same name, and
-- not as a tail call, so its argument errors still name it ("bad argument #1 to
-- 'rawset'"); the handler moves their position to the script's line.
local function safe_rawset(...)
    refuse((...))
    local rawset = real_rawset
    local t = rawset(...)
    return t
end

local function safe_setmetatable(...)
    refuse((...))
    local setmetatable = setmetatable
    local t = setmetatable(...)
    return t
end

-- unpack with Redis's check (CVE-2025-46817, lbaselib.c): vanilla 5.1.5 computes
-- the count `e - i + 1` in an int, which overflows (unpack({}, 0, 2147483647)
-- crashed the server). A range that does not fit the Lua stack, or whose ends are
-- not ints, is refused before the real unpack sees it; a small one is passed on.
local LUAI_MAXCSTACK, INT_MAX, INT_MIN = 8000, 2147483647, -2147483648
local function safe_unpack(...)
    local n = select('#', ...)
    local t, i, e = ...
    if type(t) == 'table' then
        local first = (i == nil) and 1 or tonumber(i)
        local last = (e == nil) and #t or tonumber(e)
        if first and last and first <= last then
            if first < INT_MIN or last > INT_MAX or last - first + 1 + n > LUAI_MAXCSTACK then
                error('too many results to unpack', 2)
            end
        end
    end
    local unpack = unpack
    return select(1, unpack(...))
end

-- loadstring and load never load a binary chunk (bytecode can break the VM's
-- invariants): Redis's Lua removed the undump path, so a chunk starting with ESC
-- is parsed as text and fails as text. A space in front gives the same error and
-- line; the chunk name stays the one Lua would have shown.
local function safe_loadstring(...)
    local s, name = ...
    local loadstring = real_loadstring
    if type(s) == 'string' and strbyte(s, 1) == 27 then
        local f, err = loadstring(' ' .. s, name or s)
        return f, err
    end
    local f, err = loadstring(...)
    return f, err
end

-- load(reader [, name]): the pieces are read here, then compiled as one string,
-- so the first byte can be checked. The chunk name is always passed on, so the
-- parser's source string is anchored on the stack (CVE-2025-49844: luaY_parser's
-- unanchored name could be collected while the chunk compiled).
local function safe_load(...)
    local reader, name = ...
    local load = real_load
    if type(reader) ~= 'function' then
        local f, err = load(...)
        return f, err
    end
    local pieces = {}
    while true do
        local ok, piece = rawpcall(reader)
        if not ok then
            return nil, piece
        end
        if piece == nil or piece == '' then
            break
        end
        if type(piece) ~= 'string' then
            return nil, 'reader function must return a string'
        end
        pieces[#pieces + 1] = piece
    end
    local s = concat(pieces)
    name = name or '=(load)'
    if strbyte(s, 1) == 27 then
        s = ' ' .. s
    end
    local loadstring = real_loadstring
    local f, err = loadstring(s, name)
    return f, err
end

-- luaPushErrorBuff: "-CODE msg" keeps its code, anything else gets ERR.
local function error_table(text)
    local msg, code
    if text:sub(1, 1) == '-' then
        local sp = text:find(' ', 1, true)
        if sp then
            code, msg = text:sub(2, sp - 1), text:sub(sp + 1)
        else
            code, msg = 'ERR', text:sub(2)
        end
    else
        code, msg = 'ERR', text
    end
    msg = msg:gsub('^[\r\n]+', ''):gsub('[\r\n]+$', '')
    return { err = code .. ' ' .. msg }
end

local function error_reply(...)
    local e = ...
    if select('#', ...) ~= 1 or type(e) ~= 'string' then
        return error_table('wrong number or type of arguments')
    end
    if e:sub(1, 1) ~= '-' then
        e = '-' .. e
    end
    return error_table(e)
end

local function status_reply(...)
    local s = ...
    if select('#', ...) ~= 1 or type(s) ~= 'string' then
        return error_table('wrong number or type of arguments')
    end
    return { ok = s }
end

local function replicate_commands()
    return true
end

local function add_common(t)
    t.log = native.log
    t.LOG_DEBUG, t.LOG_VERBOSE, t.LOG_NOTICE, t.LOG_WARNING = 0, 1, 2, 3
    t.REDIS_VERSION = native.version
    t.REDIS_VERSION_NUM = native.version_num
    return t
end

-- redis.call and redis.pcall are Rust functions bound to the running command, set
-- by the runners below for the length of one run. Everything that can raise is
-- Rust (a C function to Lua), so `return redis.call(...)` is no tail call and the
-- error keeps the script's line, as in Redis.
local function outside()
    error({ err = 'ERR redis.call/pcall can only be called inside a script invocation' })
end
local redis_run = add_common({
    call = outside,
    pcall = outside,
    error_reply = error_reply,
    status_reply = status_reply,
    sha1hex = native.sha1hex,
    setresp = native.setresp,
    set_repl = native.set_repl,
    acl_check_cmd = native.acl_check_cmd,
    replicate_commands = replicate_commands,
    breakpoint = function() return false end,
    debug = function() end,
    REPL_NONE = 0, REPL_AOF = 1, REPL_SLAVE = 2, REPL_REPLICA = 2, REPL_ALL = 3,
})

-- An error a real library function raised inside one of the wrappers above carries
-- this file's position ("redlite:12: bad argument ..."): give it the script's.
local function at_script(err, i)
    local rest = err:match('^redlite:%d+: (.*)$')
    if rest then
        return i.short_src .. ':' .. i.currentline .. ': ' .. rest
    end
    return err
end

-- SCRIPT KILL's error (raised by the hook, in mod.rs) must end the script: the
-- script's pcall, xpcall and coroutine.resume hand it on instead of returning it.
local KILLED = 'ERR Script killed by user with SCRIPT KILL...'
local function is_kill(e)
    if type(e) == 'userdata' then
        local _, text = native.error_info(e)
        return text == KILLED
    end
    return false
end

-- Redis's pcall: an error table from redis.call comes back as its message.
local function script_pcall(f, ...)
    local r = pack(rawpcall(f, ...))
    if not r[1] then
        local e = r[2]
        if is_kill(e) then
            error(e, 0)
        end
        if type(e) == 'table' and (type(e.err) == 'string' or type(e.err) == 'number') then
            return false, e.err
        elseif type(e) == 'userdata' then
            local kind, text = native.error_info(e)
            return false, text
        elseif type(e) == 'string' then
            local i = dbg.getinfo(2, 'Sl')
            if i and i.currentline and i.currentline >= 0 then
                e = at_script(e, i)
            end
        end
        return false, e
    end
    return unpack(r, 1, r.n)
end

-- The globals a script may read (Redis's allow lists), each library read-only.
local api = {}
for _, name in pairs({
    'xpcall', 'tostring', 'setmetatable', 'next', 'assert', 'tonumber',
    'rawequal', 'collectgarbage', 'getmetatable', 'rawset', 'type', 'select', 'unpack',
    'gcinfo', 'pairs', 'rawget', 'loadstring', 'ipairs', '_VERSION', 'load', 'error',
}) do
    api[name] = G[name]
end
api.pcall = script_pcall
function api.xpcall(f, h)
    local r = pack(xpcall(f, function(e)
        if is_kill(e) then
            return e
        end
        return h(e)
    end))
    if not r[1] and is_kill(r[2]) then
        error(r[2], 0)
    end
    return unpack(r, 1, r.n)
end
api.rawset = safe_rawset
api.setmetatable = safe_setmetatable
api.unpack = safe_unpack
api.loadstring = safe_loadstring
api.load = safe_load
local coroutine_ = {}
for k, v in pairs(G.coroutine) do coroutine_[k] = v end
local resume = G.coroutine.resume
function coroutine_.resume(...)
    local r = pack(resume(...))
    if not r[1] and is_kill(r[2]) then
        error(r[2], 0)
    end
    return unpack(r, 1, r.n)
end
api.coroutine = readonly(coroutine_)
api.string = readonly(G.string)
local table_ = {}
for k, v in pairs(G.table) do table_[k] = v end
-- table.insert writes raw (lua_rawseti): refused on a proxy. remove and sort of
-- a proxy never write (it is empty), as of Redis's read-only tables.
local tinsert = G.table.insert
function table_.insert(...)
    refuse((...))
    local insert = tinsert
    insert(...)
end
api.table = readonly(table_)
local math_ = {}
for k, v in pairs(G.math) do math_[k] = v end
math_.random = native.random
math_.randomseed = native.randomseed
api.math = readonly(math_)
api.cjson = readonly(native.cjson)
api.bit = readonly(native.bit)
api.cmsgpack = readonly(native.cmsgpack)
api.struct = readonly(native.struct)
api.redis = readonly(redis_run)

-- The string metatable (every string's, shared by all scripts): getmetatable('')
-- answers a read-only view of it whose __index is the read-only string library.
getmetatable('').__metatable = readonly({ __index = api.string })

setmetatable(api, {
    __index = function(_, k)
        error("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 2)
    end,
})

-- EVAL: KEYS and ARGV sit in `vars`, in front of the allowed globals.
local vars = setmetatable({}, { __index = api })
local eval_env = setmetatable({}, { __index = vars, __newindex = readonly_error, __metatable = false })
rawset(api, '_G', eval_env)
protected[eval_env] = true

-- FUNCTION: while a library loads, `redis` is the loading API (register_function);
-- when its functions run, the full one. Redis swaps the globals' __index the same way.
local registered = nil
local function register_function(...)
    if not registered then
        error(error_table('redis.register_function can only be called on FUNCTION LOAD command'))
    end
    local n = select('#', ...)
    local name, callback, flags, description
    if n == 1 then
        local t = ...
        if type(t) ~= 'table' then
            error(error_table('calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).'))
        end
        for k, v in pairs(t) do
            if k == 'function_name' then
                if type(v) ~= 'string' then error(error_table('function_name argument given to redis.register_function must be a string')) end
                name = v
            elseif k == 'description' then
                if type(v) ~= 'string' then error(error_table('description argument given to redis.register_function must be a string')) end
                description = v
            elseif k == 'callback' then
                if type(v) ~= 'function' then error(error_table('callback argument given to redis.register_function must be a function')) end
                callback = v
            elseif k == 'flags' then
                if type(v) ~= 'table' then error(error_table('flags argument to redis.register_function must be a table representing function flags')) end
                flags = v
            else
                error(error_table('unknown argument given to redis.register_function'))
            end
        end
        if not name then error(error_table('redis.register_function must get a function name argument')) end
        if not callback then error(error_table('redis.register_function must get a callback argument')) end
    elseif n == 2 then
        name, callback = ...
        if type(name) ~= 'string' and type(name) ~= 'number' then error(error_table('first argument to redis.register_function must be a string')) end
        name = tostring(name)
        if type(callback) ~= 'function' then error(error_table('second argument to redis.register_function must be a function')) end
    else
        error(error_table('wrong number of arguments to redis.register_function'))
    end
    local flag_list = {}
    if flags then
        for _, f in pairs(flags) do
            if type(f) ~= 'string' then error(error_table('unknown flag given')) end
            flag_list[#flag_list + 1] = f
        end
    end
    local err = native.check_function(registered, name, flag_list)
    if err then error(error_table(err)) end
    registered[#registered + 1] = { name = name, callback = callback, flags = flag_list, description = description }
end

-- Redis 7.0 gives library code nothing at load time but this `redis`.
local function missing(_, k)
    error("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 2)
end
local redis_load = setmetatable(add_common({ register_function = register_function }), { __index = missing })
local load_api = setmetatable({ redis = readonly(redis_load) }, { __index = missing })
local func_meta = { __index = api, __newindex = readonly_error, __metatable = false }
local func_env = setmetatable({}, func_meta)
protected[func_env] = true

-- Where an error came from: the first frame above the error (skipping the C
-- function that raised it and this file's wrappers), as Redis's __redis__err__handler.
local function handler(err)
    local level = 2
    local i = dbg.getinfo(level, 'nSl')
    if i and i.what == 'C' then
        level = level + 1
        i = dbg.getinfo(level, 'nSl')
    end
    while i and i.source == '=redlite' do
        level = level + 1
        i = dbg.getinfo(level, 'nSl')
    end
    if type(err) == 'userdata' then
        -- An error from Rust: an error table to raise as is, or a library's error
        -- (luaL_error's "source:line: message").
        local kind, text = native.error_info(err)
        if kind == 'table' then
            err = { err = text }
        elseif i and i.currentline and i.currentline >= 0 then
            err = i.short_src .. ':' .. i.currentline .. ': ' .. text
        else
            err = text
        end
    end
    if type(err) == 'string' and i and i.currentline and i.currentline >= 0 then
        err = at_script(err, i)
    end
    if type(err) ~= 'table' then
        err = { err = 'ERR ' .. tostring(err) }
    end
    if i and i.currentline and i.currentline >= 0 then
        err.source = i.source
        err.line = i.currentline
    end
    return err
end

local hooks = {}

-- Run an EVAL script (compiled with eval_env) with its KEYS and ARGV.
function hooks.run_eval(f, keys, argv, call, pcall)
    vars.KEYS, vars.ARGV = keys, argv
    redis_run.call, redis_run.pcall = call, pcall
    local r = pack(xpcall(f, handler))
    redis_run.call, redis_run.pcall = outside, outside
    vars.KEYS, vars.ARGV = nil, nil
    return r[1], r[2]
end

-- Run a registered function with (keys, args).
function hooks.run_function(f, keys, argv, call, pcall)
    redis_run.call, redis_run.pcall = call, pcall
    local r = pack(xpcall(function() return f(keys, argv) end, handler))
    redis_run.call, redis_run.pcall = outside, outside
    return r[1], r[2]
end

-- Load a library's code (compiled with func_env): returns true and its functions,
-- or false and the error table.
function hooks.load_library(f, checker)
    registered = {}
    func_meta.__index = load_api
    local ok, e = xpcall(f, handler)
    func_meta.__index = api
    local got = registered
    registered = nil
    if not ok then
        return false, e
    end
    return true, got
end

hooks.eval_env = eval_env
hooks.func_env = func_env
hooks.error_table = error_table

-- Nothing below the proxies may reach the real globals (Rust makes eval_env the
-- globals, so loadstring'd chunks get it too), and what a C function's getfenv
-- still reaches holds nothing unsafe.
for _, name in pairs({ 'debug', 'print', 'dofile', 'loadfile', 'require', 'module', 'package' }) do
    G[name] = nil
end
return hooks, eval_env
