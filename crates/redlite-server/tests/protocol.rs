//! The server over real sockets: raw RESP in, exact bytes out, as Redis 7 answers.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use redlite_core::{Db, Reply, Session};
use redlite_server::{spawn, spawn_with_db, Config, ServerHandle};

/// A fresh directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "redlite-server-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }

    fn db(&self) -> PathBuf {
        self.0.join("test.db")
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn config(path: &Path) -> Config {
    Config {
        port: 0,
        log: false,
        ..Config::new(path)
    }
}

fn start() -> (TempDir, ServerHandle) {
    let dir = TempDir::new();
    let server = spawn(config(&dir.db())).expect("server starts");
    (dir, server)
}

struct Client {
    stream: TcpStream,
}

impl Client {
    fn connect(server: &ServerHandle) -> Client {
        let stream = TcpStream::connect(("127.0.0.1", server.port())).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        Client { stream }
    }

    fn send(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).expect("send");
    }

    /// Read exactly `want.len()` bytes and compare.
    fn expect(&mut self, want: &[u8]) {
        let mut got = vec![0u8; want.len()];
        let mut n = 0;
        while n < got.len() {
            match self.stream.read(&mut got[n..]) {
                Ok(0) => break,
                Ok(k) => n += k,
                Err(e) => panic!(
                    "read failed after {:?}: {}",
                    String::from_utf8_lossy(&got[..n]),
                    e
                ),
            }
        }
        assert_eq!(
            String::from_utf8_lossy(&got[..n]),
            String::from_utf8_lossy(want),
            "reply differs"
        );
    }

    fn call(&mut self, request: &[u8], want: &[u8]) {
        self.send(request);
        self.expect(want);
    }

    /// The server has closed the connection (and sent nothing more).
    fn expect_closed(&mut self) {
        let mut buf = [0u8; 64];
        match self.stream.read(&mut buf) {
            Ok(0) => {}
            Ok(n) => panic!(
                "expected close, got {:?}",
                String::from_utf8_lossy(&buf[..n])
            ),
            Err(e) if e.kind() == ErrorKind::ConnectionReset => {}
            Err(e) => panic!("expected close, got error {}", e),
        }
    }
}

fn multibulk(args: &[&[u8]]) -> Vec<u8> {
    let mut out = format!("*{}\r\n", args.len()).into_bytes();
    for a in args {
        out.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
        out.extend_from_slice(a);
        out.extend_from_slice(b"\r\n");
    }
    out
}

fn bulk(b: &[u8]) -> Vec<u8> {
    let mut out = format!("${}\r\n", b.len()).into_bytes();
    out.extend_from_slice(b);
    out.extend_from_slice(b"\r\n");
    out
}

#[test]
fn ping() {
    let (_dir, server) = start();
    let mut c = Client::connect(&server);
    c.call(b"*1\r\n$4\r\nPING\r\n", b"+PONG\r\n");
    c.call(b"PING\r\n", b"+PONG\r\n");
    c.call(&multibulk(&[b"PING", b"hello"]), b"$5\r\nhello\r\n");
    server.stop().expect("stop");
}

#[test]
fn set_and_get() {
    let (_dir, server) = start();
    let mut c = Client::connect(&server);
    c.call(&multibulk(&[b"SET", b"k", b"v"]), b"+OK\r\n");
    c.call(&multibulk(&[b"GET", b"k"]), b"$1\r\nv\r\n");
    c.call(&multibulk(&[b"GET", b"missing"]), b"$-1\r\n");
    c.call(
        &multibulk(&[b"GET"]),
        b"-ERR wrong number of arguments for 'get' command\r\n",
    );
    c.call(
        &multibulk(&[b"NOSUCH", b"a"]),
        b"-ERR unknown command 'NOSUCH', with args beginning with: 'a' \r\n",
    );
}

#[test]
fn pipeline_of_a_thousand_commands_in_one_write() {
    let (_dir, server) = start();
    let mut c = Client::connect(&server);
    let mut request = Vec::new();
    let mut want = Vec::new();
    for i in 0..500 {
        let (k, v) = (format!("key:{}", i), format!("value:{}", i));
        request.extend(multibulk(&[b"SET", k.as_bytes(), v.as_bytes()]));
        want.extend_from_slice(b"+OK\r\n");
    }
    for i in 0..500 {
        let k = format!("key:{}", i);
        request.extend(multibulk(&[b"GET", k.as_bytes()]));
        want.extend(bulk(format!("value:{}", i).as_bytes()));
    }
    c.call(&request, &want);
}

#[test]
fn pipeline_sent_one_byte_at_a_time() {
    let (_dir, server) = start();
    let mut c = Client::connect(&server);
    c.stream.set_nodelay(true).expect("nodelay");
    let request = [
        multibulk(&[b"SET", b"a", b"1"]),
        b"GET a\r\n".to_vec(),
        multibulk(&[b"ECHO", b"x\r\ny"]),
    ]
    .concat();
    for b in &request {
        c.send(&[*b]);
    }
    c.expect(b"+OK\r\n$1\r\n1\r\n$4\r\nx\r\ny\r\n");
}

#[test]
fn inline_commands() {
    let (_dir, server) = start();
    let mut c = Client::connect(&server);
    c.call(
        b"set \"a b\" 'c d'\r\nget \"a b\"\n",
        b"+OK\r\n$3\r\nc d\r\n",
    );
    c.call(b"echo \"\\x41\\n\"\r\n", b"$2\r\nA\n\r\n");
    // Empty lines are ignored.
    c.call(b"\r\n\n   \r\nping\r\n", b"+PONG\r\n");
}

#[test]
fn binary_safe_key_and_value() {
    let (_dir, server) = start();
    let mut c = Client::connect(&server);
    let key = b"k\r\n\0ey";
    let value = b"\0v\r\nal\r\n\0";
    c.call(&multibulk(&[b"SET", key, value]), b"+OK\r\n");
    c.call(&multibulk(&[b"GET", key]), &bulk(value));
    c.call(&multibulk(&[b"GET", b"k"]), b"$-1\r\n");
}

#[test]
fn large_value() {
    let (_dir, server) = start();
    let mut c = Client::connect(&server);
    let value: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
    c.call(&multibulk(&[b"SET", b"big", &value]), b"+OK\r\n");
    c.call(&multibulk(&[b"GET", b"big"]), &bulk(&value));
}

#[test]
fn protocol_errors_reply_then_close() {
    let (_dir, server) = start();
    let cases: &[(&[u8], &[u8])] = &[
        (
            b"*abc\r\n",
            b"-ERR Protocol error: invalid multibulk length\r\n",
        ),
        (
            b"*2147483648\r\n",
            b"-ERR Protocol error: invalid multibulk length\r\n",
        ),
        (
            b"*1\r\n$abc\r\n",
            b"-ERR Protocol error: invalid bulk length\r\n",
        ),
        (
            b"*1\r\n$-1\r\n",
            b"-ERR Protocol error: invalid bulk length\r\n",
        ),
        (
            b"*1\r\n$536870913\r\n",
            b"-ERR Protocol error: invalid bulk length\r\n",
        ),
        (
            b"*1\r\n+PING\r\n",
            b"-ERR Protocol error: expected '$', got '+'\r\n",
        ),
        (
            b"set a \"b\r\n",
            b"-ERR Protocol error: unbalanced quotes in request\r\n",
        ),
        (
            b"echo 'a'b\r\n",
            b"-ERR Protocol error: unbalanced quotes in request\r\n",
        ),
        // Commands before the error in the same write still run and answer.
        (
            b"PING\r\n*1\r\n$x\r\nPING\r\n",
            b"+PONG\r\n-ERR Protocol error: invalid bulk length\r\n",
        ),
    ];
    for (request, want) in cases {
        let mut c = Client::connect(&server);
        c.call(request, want);
        c.expect_closed();
    }
    let too_long: &[(Vec<u8>, &[u8])] = &[
        (
            vec![b'A'; 70_000],
            b"-ERR Protocol error: too big inline request\r\n",
        ),
        (
            [&b"*"[..], &[b'1'; 70_000]].concat(),
            b"-ERR Protocol error: too big mbulk count string\r\n",
        ),
        (
            [&b"*1\r\n$"[..], &[b'1'; 70_000]].concat(),
            b"-ERR Protocol error: too big bulk count string\r\n",
        ),
    ];
    for (request, want) in too_long {
        let mut c = Client::connect(&server);
        c.call(request, want);
        c.expect_closed();
    }
}

#[test]
fn limits_redis_accepts_wait_for_more() {
    let (_dir, server) = start();
    // Redis 7.0 accepts these headers and waits for the arguments.
    let mut c = Client::connect(&server);
    c.send(b"*1\r\n$536870912\r\n");
    c.stream
        .set_read_timeout(Some(Duration::from_millis(300)))
        .expect("timeout");
    let mut buf = [0u8; 16];
    match c.stream.read(&mut buf) {
        Err(e) => assert!(matches!(
            e.kind(),
            ErrorKind::WouldBlock | ErrorKind::TimedOut
        )),
        Ok(n) => panic!(
            "expected nothing, got {:?}",
            String::from_utf8_lossy(&buf[..n])
        ),
    }
}

#[test]
fn quit_replies_then_closes() {
    let (_dir, server) = start();
    let mut c = Client::connect(&server);
    c.call(b"QUIT\r\nPING\r\n", b"+OK\r\n");
    c.expect_closed();
    let mut c = Client::connect(&server);
    c.call(
        &[
            multibulk(&[b"PING"]),
            multibulk(&[b"quit"]),
            multibulk(&[b"PING"]),
        ]
        .concat(),
        b"+PONG\r\n+OK\r\n",
    );
    c.expect_closed();
}

#[test]
fn http_requests_are_dropped_without_reply() {
    let (_dir, server) = start();
    for request in [
        &b"POST / HTTP/1.1\r\n"[..],
        b"PING\r\nHost: example.com\r\n",
    ] {
        let mut c = Client::connect(&server);
        c.send(request);
        c.expect_closed();
    }
}

#[test]
fn stop_leaves_the_data_on_disk() {
    let dir = TempDir::new();
    let server = spawn(config(&dir.db())).expect("server starts");
    let mut c = Client::connect(&server);
    let mut request = Vec::new();
    let mut want = Vec::new();
    for i in 0..100 {
        request.extend(multibulk(&[b"SET", format!("k{}", i).as_bytes(), b"v"]));
        want.extend_from_slice(b"+OK\r\n");
    }
    c.call(&request, &want);
    let started = Instant::now();
    server.stop().expect("graceful stop");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "stop waited for an idle client"
    );
    c.expect_closed();

    // Checkpointed: the WAL is empty (TRUNCATE) or gone.
    let wal = dir.0.join("test.db-wal");
    assert!(
        std::fs::metadata(&wal)
            .map(|m| m.len() == 0)
            .unwrap_or(true),
        "WAL not checkpointed"
    );

    let db = Db::open(dir.db()).expect("reopen");
    let mut s = Session::new(db);
    assert_eq!(s.execute(&["GET", "k99"]), Reply::bulk(&b"v"[..]));

    // And a new server on the same file serves it.
    let server = spawn(config(&dir.db())).expect("restart");
    let mut c = Client::connect(&server);
    c.call(&multibulk(&[b"GET", b"k0"]), b"$1\r\nv\r\n");
}

#[test]
fn dropping_the_handle_stops_the_server() {
    let (_dir, server) = start();
    let port = server.port();
    drop(server);
    assert!(
        TcpStream::connect(("127.0.0.1", port)).is_err(),
        "still listening after drop"
    );
}

#[test]
fn stats_count_clients_and_bytes() {
    let dir = TempDir::new();
    let db = Db::open(dir.db()).expect("open");
    let server = spawn_with_db(config(&dir.db()), db.clone()).expect("server starts");
    let stats = db.stats();
    let mut a = Client::connect(&server);
    let mut b = Client::connect(&server);
    a.call(b"PING\r\n", b"+PONG\r\n");
    b.call(b"PING\r\n", b"+PONG\r\n");
    assert_eq!(stats.connected_clients.load(Ordering::SeqCst), 2);
    assert_eq!(stats.total_connections_received.load(Ordering::SeqCst), 2);
    assert_eq!(stats.total_net_input_bytes.load(Ordering::SeqCst), 12);
    assert_eq!(stats.total_net_output_bytes.load(Ordering::SeqCst), 14);
    a.call(b"QUIT\r\n", b"+OK\r\n");
    a.expect_closed();
    drop(b);
    let deadline = Instant::now() + Duration::from_secs(5);
    while stats.connected_clients.load(Ordering::SeqCst) != 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(stats.connected_clients.load(Ordering::SeqCst), 0);
    server.stop().expect("stop");
}

#[test]
fn max_clients() {
    let dir = TempDir::new();
    let server = spawn(Config {
        max_clients: 1,
        ..config(&dir.db())
    })
    .expect("server starts");
    let mut a = Client::connect(&server);
    a.call(b"PING\r\n", b"+PONG\r\n");
    let mut b = Client::connect(&server);
    b.expect(b"-ERR max number of clients reached\r\n");
    b.expect_closed();
    a.call(b"PING\r\n", b"+PONG\r\n");
}

#[test]
fn bind_errors_are_reported() {
    let (_dir, server) = start();
    let dir = TempDir::new();
    let taken = Config {
        port: server.port(),
        ..config(&dir.db())
    };
    let err = spawn(taken).expect_err("port is taken");
    assert_eq!(err.kind(), ErrorKind::AddrInUse);
}

#[test]
fn spawn_and_stop_from_inside_a_runtime() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let dir = TempDir::new();
        let server = spawn(config(&dir.db())).expect("spawn inside a runtime");
        let taken = Config {
            port: server.port(),
            ..config(&dir.db())
        };
        assert!(spawn(taken).is_err(), "an error, not a panic");
        assert!(
            redlite_server::run(config(&dir.db())).is_err(),
            "run refuses to block a runtime"
        );
        server.stop().expect("stop");
    });
}
