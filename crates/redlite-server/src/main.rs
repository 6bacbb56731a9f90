//! `redlite-server`: serve one SQLite file over the Redis protocol.

use std::process::ExitCode;

use redlite_server::{Config, Durability, TlsAuthClients};

const USAGE: &str = "\
Usage: redlite-server [OPTIONS]

Serve a redlite database (one SQLite file) over the Redis protocol.

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
  -h, --help                print this help
  -v, --version             print the version
";

enum Action {
    Serve(Config),
    Help,
    Version,
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Action, String> {
    let mut config = Config::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        // Both `--port 7000` and `--port=7000`.
        let (flag, inline_value) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            match inline_value.clone() {
                Some(v) => Ok(v),
                None => args.next().ok_or_else(|| format!("{} needs a value", name)),
            }
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(Action::Help),
            "-v" | "--version" => return Ok(Action::Version),
            "--db" => config.db_path = value("--db")?.into(),
            "--port" => {
                let v = value("--port")?;
                config.port = v.parse().map_err(|_| format!("invalid port '{}'", v))?;
            }
            "--bind" => config.bind = value("--bind")?,
            "--durability" => {
                config.durability = match value("--durability")?.to_ascii_lowercase().as_str() {
                    "normal" => Durability::Normal,
                    "full" => Durability::Full,
                    other => {
                        return Err(format!("invalid durability '{}' (normal or full)", other))
                    }
                }
            }
            "--unixsocket" => config.unixsocket = Some(value("--unixsocket")?.into()),
            "--unixsocketperm" => {
                let v = value("--unixsocketperm")?;
                let perm = u32::from_str_radix(&v, 8)
                    .ok()
                    .filter(|p| *p <= 0o777)
                    .ok_or_else(|| format!("invalid unixsocketperm '{}'", v))?;
                config.unixsocketperm = Some(perm);
            }
            "--tls-port" => {
                let v = value("--tls-port")?;
                let port: u16 = v.parse().map_err(|_| format!("invalid port '{}'", v))?;
                // As Redis: tls-port 0 means no TLS.
                config.tls_port = (port != 0).then_some(port);
            }
            "--tls-cert-file" => config.tls.cert_file = value("--tls-cert-file")?.into(),
            "--tls-key-file" => config.tls.key_file = value("--tls-key-file")?.into(),
            "--tls-ca-cert-file" => {
                config.tls.ca_cert_file = Some(value("--tls-ca-cert-file")?.into())
            }
            "--tls-auth-clients" => {
                let v = value("--tls-auth-clients")?;
                config.tls.auth_clients = TlsAuthClients::parse(&v)
                    .ok_or_else(|| format!("invalid tls-auth-clients '{}' (yes, no or optional)", v))?;
            }
            other => return Err(format!("unknown option '{}'", other)),
        }
    }
    Ok(Action::Serve(config))
}

fn main() -> ExitCode {
    match parse_args(std::env::args().skip(1)) {
        Ok(Action::Help) => {
            print!("{}", USAGE);
            ExitCode::SUCCESS
        }
        Ok(Action::Version) => {
            println!("redlite-server {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Ok(Action::Serve(config)) => match redlite_server::run(config) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("redlite-server: {}", e);
                ExitCode::FAILURE
            }
        },
        Err(e) => {
            eprintln!("redlite-server: {} (see --help)", e);
            ExitCode::from(2)
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
