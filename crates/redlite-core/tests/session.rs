//! Session-level checks of the engine's plumbing: transactions, files, expiry.

mod common;

use common::bulk;
use redlite_core::{Db, Reply, Session};

#[test]
fn set_get_roundtrip_in_memory() {
    let mut s = Session::new(Db::open_memory().unwrap());
    assert_eq!(s.execute(&["SET", "k", "v"]), Reply::ok());
    assert_eq!(s.execute(&["get", "k"]), bulk("v"));
    assert_eq!(s.execute(&["GET", "missing"]), Reply::Nil);
    assert_eq!(
        s.execute(&["GET"]),
        Reply::Error("ERR wrong number of arguments for 'get' command".into())
    );
    assert_eq!(
        s.execute(&["NOPE", "a"]),
        Reply::Error("ERR unknown command 'NOPE', with args beginning with: 'a' ".into())
    );
}

#[test]
fn file_database_is_shared_between_handles_and_reopens() {
    let dir = std::env::temp_dir().join(format!("redlite-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("a.db");
    let _ = std::fs::remove_file(&path);
    {
        let db = Db::open(&path).unwrap();
        let mut a = Session::new(db.clone());
        let mut b = Session::new(db);
        assert_eq!(
            a.execute(&[b"SET".as_slice(), b"k\x00\xff", b"v\x00"]),
            Reply::ok()
        );
        assert_eq!(
            b.execute(&[b"GET".as_slice(), b"k\x00\xff"]),
            Reply::Bulk(b"v\x00".to_vec())
        );
    }
    let mut c = Session::new(Db::open(&path).unwrap());
    assert_eq!(
        c.execute(&[b"GET".as_slice(), b"k\x00\xff"]),
        Reply::Bulk(b"v\x00".to_vec())
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn expired_keys_are_never_visible() {
    let mut s = Session::new(Db::open_memory().unwrap());
    assert_eq!(s.execute(&["SET", "k", "v", "PX", "30"]), Reply::ok());
    assert_eq!(s.execute(&["GET", "k"]), bulk("v"));
    std::thread::sleep(std::time::Duration::from_millis(50));
    assert_eq!(s.execute(&["GET", "k"]), Reply::Nil);
    assert_eq!(s.execute(&["EXISTS", "k"]), Reply::Int(0));
}

#[test]
fn selected_databases_are_separate() {
    let mut s = Session::new(Db::open_memory().unwrap());
    s.execute(&["SET", "k", "0"]);
    assert_eq!(s.execute(&["SELECT", "1"]), Reply::ok());
    assert_eq!(s.execute(&["GET", "k"]), Reply::Nil);
    assert_eq!(
        s.execute(&["SELECT", "16"]),
        Reply::Error("ERR DB index is out of range".into())
    );
}
