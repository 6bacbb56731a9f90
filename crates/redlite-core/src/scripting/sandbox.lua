-- The script environment, built once per Lua VM (chunk name "=redlite", so the
-- error handler can tell these frames from the user's). It receives the native
-- functions from Rust and returns the runner and the hooks Rust drives.
--
-- Redis 7.0 makes the globals a read-only table; vanilla Lua 5.1 has no read-only
-- tables, so scripts see proxies instead: an empty table whose __index leads to the
-- allowed globals and whose __newindex refuses, with Redis's error texts.
local native = ...

local G = _G
local type, tostring, select, unpack, error, setmetatable, rawget, pairs =
    type, tostring, select, unpack, error, setmetatable, rawget, pairs
local rawpcall, xpcall, dbg = pcall, xpcall, debug

local function pack(...)
    return { n = select('#', ...), ... }
end

local function readonly_error()
    error('Attempt to modify a readonly table', 2)
end

local function readonly(t)
    return setmetatable({}, { __index = t, __newindex = readonly_error, __metatable = false })
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

-- Redis's pcall: an error table from redis.call comes back as its message.
local function script_pcall(f, ...)
    local r = pack(rawpcall(f, ...))
    if not r[1] then
        local e = r[2]
        if type(e) == 'table' and (type(e.err) == 'string' or type(e.err) == 'number') then
            return false, e.err
        elseif type(e) == 'userdata' then
            local kind, text = native.error_info(e)
            return false, text
        end
        return false, e
    end
    return unpack(r, 1, r.n)
end

-- The globals a script may read (Redis's allow lists), each library read-only.
local api = {}
for _, name in pairs({
    'xpcall', 'tostring', 'getfenv', 'setmetatable', 'next', 'assert', 'tonumber',
    'rawequal', 'collectgarbage', 'getmetatable', 'rawset', 'type', 'select', 'unpack',
    'gcinfo', 'pairs', 'rawget', 'loadstring', 'ipairs', '_VERSION', 'setfenv', 'load',
    'error', 'newproxy',
}) do
    api[name] = G[name]
end
api.pcall = script_pcall
api.coroutine = readonly(G.coroutine)
api.string = readonly(G.string)
api.table = readonly(G.table)
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

setmetatable(api, {
    __index = function(_, k)
        error("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 2)
    end,
})

-- EVAL: KEYS and ARGV sit in `vars`, in front of the allowed globals.
local vars = setmetatable({}, { __index = api })
local eval_env = setmetatable({}, { __index = vars, __newindex = readonly_error, __metatable = false })
rawset(api, '_G', eval_env)

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
