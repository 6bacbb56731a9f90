//! The `redlite-server` command line: a redis.conf-style config file, then flags
//! (`--port 6380 --maxclients 100`), as redis-server takes them. The binary and the
//! Python package's `redlite-server` both run `main`.

use crate::{Config, Durability, TlsAuthClients};

const USAGE: &str = "\
Usage: redlite-server [/path/to/redlite.conf] [OPTIONS]

Serve a redlite database (one SQLite file) over the Redis protocol.

The config file has redis.conf's syntax (`maxclients 100`, comments with #); every
parameter of CONFIG GET * may be set there or as a flag (`--maxclients 100`), flags
last. CONFIG REWRITE rewrites that file.

Options:
  --db PATH                 database file, created if missing [default: redlite.db]
  --port N                  TCP port [default: 6379]
  --bind ADDR               address to listen on [default: 127.0.0.1]
  --durability normal|full  normal: survives a process crash; full: also power loss
                            [default: normal]
  --unixsocket PATH         also listen on a Unix socket at PATH
  --unixsocketperm MODE     the socket file's permissions, octal (e.g. 700)
  --tls-port N              also listen for TLS clients on port N
  --tls-cert-file PATH      the server's certificate chain (PEM)
  --tls-key-file PATH       the server's private key (PEM)
  --tls-ca-cert-file PATH   CA certificates that client certificates are checked against
  --tls-auth-clients yes|no|optional
                            require client certificates [default: yes]
  --maxclients N            at most N clients at once [default: 10000]
  --timeout SECS            close clients idle for SECS seconds (0: never) [default: 0]
  --loglevel LEVEL          debug, verbose, notice or warning [default: notice]
  --logfile PATH            log to PATH instead of stderr
  --slowlog-log-slower-than MICROS, --slowlog-max-len N
                            the slow log (SLOWLOG GET) [default: 10000, 128]
  --metrics-port N          serve Prometheus /metrics and /health over HTTP on port N
  -h, --help                print this help
  -v, --version             print the version
";

// One `Action` is made per process start: the size of `Serve` costs nothing.
#[allow(clippy::large_enum_variant)]
enum Action {
    Serve(Config),
    Help,
    Version,
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Action, String> {
    let mut config = Config::default();
    let mut args = args.into_iter().peekable();
    // `redlite-server /path/to/redlite.conf [--flag value ...]`, as redis-server: the
    // file first, then the flags, which override it.
    if let Some(first) = args.peek() {
        if !first.starts_with('-') {
            let path = std::path::PathBuf::from(first.clone());
            args.next();
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read config file {}: {}", path.display(), e))?;
            for (n, (name, value)) in redlite_core::config::parse_file(&text)
                .map_err(|e| format!("config file {}: {}", path.display(), e))?
                .into_iter()
                .enumerate()
            {
                set(&mut config, &name, value).map_err(|e| {
                    format!(
                        "config file {}, directive {} ('{}'): {}",
                        path.display(),
                        n + 1,
                        name,
                        e
                    )
                })?;
            }
            config.config_file = Some(std::fs::canonicalize(&path).unwrap_or(path));
        }
    }
    while let Some(arg) = args.next() {
        if arg == "-h" || arg == "--help" {
            return Ok(Action::Help);
        }
        if arg == "-v" || arg == "--version" {
            return Ok(Action::Version);
        }
        let Some(flag) = arg.strip_prefix("--") else {
            return Err(format!("unexpected argument '{}'", arg));
        };
        // `--port 7000`, `--port=7000`, and as redis-server, several words up to the
        // next flag: `--save 900 1`.
        let (name, value) = match flag.split_once('=') {
            Some((n, v)) => (n.to_string(), v.to_string()),
            None => {
                let mut words = vec![args
                    .next()
                    .ok_or_else(|| format!("--{} needs a value", flag))?];
                while let Some(next) = args.next_if(|n| !n.starts_with("--")) {
                    words.push(next);
                }
                (flag.to_string(), words.join(" "))
            }
        };
        set(&mut config, &name.to_ascii_lowercase(), value)?;
    }
    Ok(Action::Serve(config))
}

/// One setting, from the config file (`port 7000`) or the command line (`--port 7000`).
fn set(config: &mut Config, name: &str, v: String) -> Result<(), String> {
    match name {
        "db" => config.db_path = v.into(),
        "port" => config.port = v.parse().map_err(|_| format!("invalid port '{}'", v))?,
        // redis.conf may list several addresses: the first is the one listened on.
        "bind" => {
            config.bind = v
                .split_whitespace()
                .next()
                .unwrap_or("127.0.0.1")
                .to_string()
        }
        "durability" => {
            config.durability = match v.to_ascii_lowercase().as_str() {
                "normal" => Durability::Normal,
                "full" => Durability::Full,
                other => return Err(format!("invalid durability '{}' (normal or full)", other)),
            }
        }
        "maxclients" => {
            config.max_clients = v
                .parse()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| format!("invalid maxclients '{}'", v))?
        }
        "unixsocket" => config.unixsocket = Some(v.into()),
        "unixsocketperm" => {
            let perm = u32::from_str_radix(&v, 8)
                .ok()
                .filter(|p| *p <= 0o777)
                .ok_or_else(|| format!("invalid unixsocketperm '{}'", v))?;
            config.unixsocketperm = Some(perm);
        }
        "tls-port" => {
            let port: u16 = v.parse().map_err(|_| format!("invalid port '{}'", v))?;
            // As Redis: tls-port 0 means no TLS.
            config.tls_port = (port != 0).then_some(port);
        }
        "tls-cert-file" => config.tls.cert_file = v.into(),
        "tls-key-file" => config.tls.key_file = v.into(),
        "tls-ca-cert-file" => config.tls.ca_cert_file = Some(v.into()),
        "tls-auth-clients" => {
            config.tls.auth_clients = TlsAuthClients::parse(&v)
                .ok_or_else(|| format!("invalid tls-auth-clients '{}' (yes, no or optional)", v))?;
        }
        other => {
            // Any other parameter of the engine's table (timeout, loglevel, logfile,
            // slowlog-*, metrics-port, save, appendonly ...), checked as CONFIG SET does.
            let param = redlite_core::config::lookup(other)
                .ok_or_else(|| format!("unknown option '--{}'", other))?;
            redlite_core::config::normalize(param, &v)?;
            config.params.push((param.name.to_string(), v));
        }
    }
    Ok(())
}

/// Run `redlite-server` with these arguments (without the program name); the exit
/// status: 0 after a clean stop, 1 when the server fails, 2 for bad arguments.
pub fn main(args: impl IntoIterator<Item = String>) -> u8 {
    match parse_args(args) {
        Ok(Action::Help) => {
            print!("{}", USAGE);
            0
        }
        Ok(Action::Version) => {
            println!("redlite-server {}", env!("CARGO_PKG_VERSION"));
            0
        }
        Ok(Action::Serve(config)) => match crate::run(config) {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("redlite-server: {}", e);
                1
            }
        },
        Err(e) => {
            eprintln!("redlite-server: {} (see --help)", e);
            2
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serve(args: &[&str]) -> Result<Config, String> {
        match parse_args(args.iter().map(|s| s.to_string()))? {
            Action::Serve(c) => Ok(c),
            _ => Err("not serve".into()),
        }
    }

    #[test]
    fn defaults() {
        let c = serve(&[]).expect("no flags is fine");
        assert_eq!(c.db_path, std::path::PathBuf::from("redlite.db"));
        assert_eq!(c.port, 6379);
        assert_eq!(c.bind, "127.0.0.1");
        assert_eq!(c.durability, Durability::Normal);
    }

    #[test]
    fn flags() {
        let c = serve(&[
            "--db",
            "/tmp/x.db",
            "--port=7000",
            "--bind",
            "0.0.0.0",
            "--durability",
            "full",
        ])
        .expect("valid flags");
        assert_eq!(c.db_path, std::path::PathBuf::from("/tmp/x.db"));
        assert_eq!(c.port, 7000);
        assert_eq!(c.bind, "0.0.0.0");
        assert_eq!(c.durability, Durability::Full);
    }

    #[test]
    fn transport_flags() {
        let c = serve(&[
            "--unixsocket",
            "/tmp/r.sock",
            "--unixsocketperm",
            "700",
            "--tls-port=6380",
            "--tls-cert-file",
            "s.crt",
            "--tls-key-file",
            "s.key",
            "--tls-ca-cert-file",
            "ca.crt",
            "--tls-auth-clients",
            "optional",
        ])
        .expect("valid flags");
        assert_eq!(c.unixsocket, Some("/tmp/r.sock".into()));
        assert_eq!(c.unixsocketperm, Some(0o700));
        assert_eq!(c.tls_port, Some(6380));
        assert_eq!(c.tls.cert_file, std::path::PathBuf::from("s.crt"));
        assert_eq!(c.tls.key_file, std::path::PathBuf::from("s.key"));
        assert_eq!(c.tls.ca_cert_file, Some("ca.crt".into()));
        assert_eq!(c.tls.auth_clients, TlsAuthClients::Optional);
        assert_eq!(serve(&["--tls-port", "0"]).expect("off").tls_port, None);
    }

    #[test]
    fn bad_flags() {
        assert!(serve(&["--port", "70000"]).is_err());
        assert!(serve(&["--port"]).is_err());
        assert!(serve(&["--durability", "sometimes"]).is_err());
        assert!(serve(&["--nope"]).is_err());
        assert!(serve(&["--tls-auth-clients", "maybe"]).is_err());
        assert!(serve(&["--unixsocketperm", "999"]).is_err());
        assert!(matches!(
            parse_args(vec!["--help".to_string()]),
            Ok(Action::Help)
        ));
        assert!(matches!(
            parse_args(vec!["--version".to_string()]),
            Ok(Action::Version)
        ));
    }
}
