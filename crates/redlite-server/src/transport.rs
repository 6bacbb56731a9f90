//! How clients reach the server: TCP, a Unix socket, or TLS over TCP.
//!
//! A connection sees one `Stream` (AsyncRead + AsyncWrite) and one `Peer`, whatever
//! the transport; the accept loop sees one `Listeners`, which accepts on every
//! configured socket at once. TLS (rustls) handshakes in the connection's own task,
//! after accept, so a slow or hostile handshake never holds up the accept loop.
//!
//! The options are Redis's: `unixsocket` and `unixsocketperm`; `tls-port`,
//! `tls-cert-file`, `tls-key-file`, `tls-ca-cert-file` and `tls-auth-clients
//! yes|no|optional` (client certificates, checked against the CA file).

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
#[cfg(unix)]
use tokio::net::{UnixListener, UnixStream};
use tokio_rustls::rustls;
use tokio_rustls::TlsAcceptor;

/// Redis's `tls-auth-clients`: whether a TLS client must present a certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TlsAuthClients {
    /// A certificate signed by the CA is required (Redis's default).
    #[default]
    Yes,
    /// No certificate is asked for.
    No,
    /// A certificate is checked if the client sends one, but none is required.
    Optional,
}

impl TlsAuthClients {
    /// `yes`, `no` or `optional`, in any case.
    pub fn parse(s: &str) -> Option<TlsAuthClients> {
        match s.to_ascii_lowercase().as_str() {
            "yes" => Some(TlsAuthClients::Yes),
            "no" => Some(TlsAuthClients::No),
            "optional" => Some(TlsAuthClients::Optional),
            _ => None,
        }
    }

    /// As CONFIG GET shows it.
    pub fn as_str(self) -> &'static str {
        match self {
            TlsAuthClients::Yes => "yes",
            TlsAuthClients::No => "no",
            TlsAuthClients::Optional => "optional",
        }
    }
}

/// The TLS options (Redis's `tls-*` parameters).
#[derive(Debug, Clone, Default)]
pub struct TlsConfig {
    /// The server's certificate chain (PEM).
    pub cert_file: PathBuf,
    /// The server's private key (PEM: PKCS#8, PKCS#1 or SEC1).
    pub key_file: PathBuf,
    /// The CA certificates client certificates are checked against (PEM).
    pub ca_cert_file: Option<PathBuf>,
    pub auth_clients: TlsAuthClients,
}

impl TlsConfig {
    /// The rustls acceptor for these options; the error says which file is wrong.
    pub(crate) fn acceptor(&self) -> io::Result<TlsAcceptor> {
        // ring's provider (no post-quantum key exchange, hence deprecated in current
        // rustls): aws-lc-rs would add a C/cmake build to every wheel and SDK.
        #[allow(deprecated)]
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let certs = read_certs(&self.cert_file)?;
        let key = read_key(&self.key_file)?;
        let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(tls_error)?;
        let builder = match self.auth_clients {
            TlsAuthClients::No => builder.with_no_client_auth(),
            auth => {
                let Some(ca) = &self.ca_cert_file else {
                    return Err(io::Error::other(
                        "Either tls-ca-cert-file or tls-ca-cert-dir must be specified when \
                         tls-cluster, tls-replication or tls-auth-clients are enabled!",
                    ));
                };
                let mut roots = rustls::RootCertStore::empty();
                for cert in read_certs(ca)? {
                    roots
                        .add(cert)
                        .map_err(|e| io::Error::other(format!("{}: {}", ca.display(), e)))?;
                }
                let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
                    Arc::new(roots),
                    provider,
                );
                let verifier = if auth == TlsAuthClients::Optional {
                    verifier.allow_unauthenticated()
                } else {
                    verifier
                };
                builder.with_client_cert_verifier(verifier.build().map_err(tls_error)?)
            }
        };
        let mut config = builder.with_single_cert(certs, key).map_err(|e| {
            io::Error::other(format!(
                "{} and {}: {}",
                self.cert_file.display(),
                self.key_file.display(),
                e
            ))
        })?;
        // RESP over TLS has no ALPN name; accept clients that offer none.
        config.alpn_protocols.clear();
        Ok(TlsAcceptor::from(Arc::new(config)))
    }
}

fn tls_error(e: impl fmt::Display) -> io::Error {
    io::Error::other(format!("TLS configuration: {}", e))
}

fn read_certs(path: &Path) -> io::Result<Vec<rustls::pki_types::CertificateDer<'static>>> {
    let file = std::fs::File::open(path)
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {}", path.display(), e)))?;
    let certs = rustls_pemfile::certs(&mut io::BufReader::new(file))
        .collect::<io::Result<Vec<_>>>()
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {}", path.display(), e)))?;
    if certs.is_empty() {
        return Err(io::Error::other(format!(
            "{}: no PEM certificate",
            path.display()
        )));
    }
    Ok(certs)
}

fn read_key(path: &Path) -> io::Result<rustls::pki_types::PrivateKeyDer<'static>> {
    let file = std::fs::File::open(path)
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {}", path.display(), e)))?;
    rustls_pemfile::private_key(&mut io::BufReader::new(file))
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {}", path.display(), e)))?
        .ok_or_else(|| io::Error::other(format!("{}: no PEM private key", path.display())))
}

/// Who is on the other end.
#[derive(Debug, Clone)]
pub(crate) enum Peer {
    Tcp(SocketAddr),
    /// A Unix socket client, named by the socket's path (as Redis names it).
    Unix(PathBuf),
}

impl Peer {
    /// True for loopback TCP peers and Unix socket clients: the clients protected
    /// mode lets in (Redis's `connIsLocal`).
    pub(crate) fn is_local(&self) -> bool {
        match self {
            Peer::Tcp(addr) => match addr.ip() {
                std::net::IpAddr::V4(ip) => ip.is_loopback(),
                std::net::IpAddr::V6(ip) => {
                    ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
                }
            },
            Peer::Unix(_) => true,
        }
    }
}

/// What protected mode sends a non-local client before closing (Redis 7.0's text).
pub(crate) const DENIED: &[u8] = b"-DENIED Redis is running in protected mode because protected \
mode is enabled and no password is set for the default user. In this mode connections are only \
accepted from the loopback interface. If you want to connect from external computers to Redis you \
may adopt one of the following solutions: 1) Just disable protected mode sending the command \
'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same \
host the server is running, however MAKE SURE Redis is not publicly accessible from internet if \
you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable \
the protected mode by editing the Redis configuration file, and setting the protected mode option \
to 'no', and then restarting the server. 3) If you started the server manually just for testing, \
restart it with the '--protected-mode no' option. 4) Setup a an authentication password for the \
default user. NOTE: You only need to do one of the above things in order for the server to start \
accepting connections from the outside.\r\n";

impl fmt::Display for Peer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Peer::Tcp(addr) => write!(f, "{}", addr),
            Peer::Unix(path) => write!(f, "{}:0", path.display()),
        }
    }
}

/// A client's byte stream, whatever the transport.
pub(crate) enum Stream {
    Tcp(TcpStream),
    #[cfg(unix)]
    Unix(UnixStream),
    Tls(Box<tokio_rustls::server::TlsStream<TcpStream>>),
}

macro_rules! each {
    ($self:ident, $s:ident => $e:expr) => {
        match $self.get_mut() {
            Stream::Tcp($s) => $e,
            #[cfg(unix)]
            Stream::Unix($s) => $e,
            Stream::Tls($s) => $e,
        }
    };
}

impl AsyncRead for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        each!(self, s => Pin::new(s).poll_read(cx, buf))
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        each!(self, s => Pin::new(s).poll_write(cx, buf))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        each!(self, s => Pin::new(s).poll_flush(cx))
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        each!(self, s => Pin::new(s).poll_shutdown(cx))
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        each!(self, s => Pin::new(s).poll_write_vectored(cx, bufs))
    }

    fn is_write_vectored(&self) -> bool {
        match self {
            Stream::Tcp(s) => s.is_write_vectored(),
            #[cfg(unix)]
            Stream::Unix(s) => s.is_write_vectored(),
            Stream::Tls(s) => s.is_write_vectored(),
        }
    }
}

/// A connection just accepted, before any TLS handshake.
pub(crate) struct Accepted {
    stream: Stream,
    /// Set for the TLS port: the handshake still to run.
    tls: Option<TlsAcceptor>,
    pub(crate) peer: Peer,
}

impl Accepted {
    /// The stream before any handshake (to tune its TCP options).
    pub(crate) fn plain(&mut self) -> &mut Stream {
        &mut self.stream
    }

    /// Write what fits without waiting, before any handshake; nothing on the TLS
    /// port (a TLS client cannot read plain bytes).
    pub(crate) fn try_write(&self, buf: &[u8]) -> io::Result<usize> {
        if self.tls.is_some() {
            return Ok(0);
        }
        match &self.stream {
            Stream::Tcp(s) => s.try_write(buf),
            #[cfg(unix)]
            Stream::Unix(s) => s.try_write(buf),
            Stream::Tls(_) => Ok(0),
        }
    }

    /// The client's stream, after the TLS handshake on the TLS port.
    pub(crate) async fn establish(self) -> io::Result<(Stream, Peer)> {
        match (self.tls, self.stream) {
            (Some(acceptor), Stream::Tcp(tcp)) => {
                let tls = acceptor.accept(tcp).await?;
                Ok((Stream::Tls(Box::new(tls)), self.peer))
            }
            (_, stream) => Ok((stream, self.peer)),
        }
    }
}

enum Listener {
    Tcp(TcpListener),
    Tls(TcpListener, TlsAcceptor),
    #[cfg(unix)]
    Unix(UnixListener, PathBuf),
}

/// Every socket the server listens on.
pub(crate) struct Listeners {
    listeners: Vec<Listener>,
}

impl Listeners {
    pub(crate) fn new() -> Listeners {
        Listeners {
            listeners: Vec::new(),
        }
    }

    pub(crate) fn add_tcp(&mut self, listener: TcpListener) {
        self.listeners.push(Listener::Tcp(listener));
    }

    pub(crate) fn add_tls(&mut self, listener: TcpListener, acceptor: TlsAcceptor) {
        self.listeners.push(Listener::Tls(listener, acceptor));
    }

    /// Listen on a Unix socket at `path` (a stale socket file there is replaced, as
    /// Redis does), with permissions `perm` (Redis's `unixsocketperm`, e.g. 0o700).
    #[cfg(unix)]
    pub(crate) fn add_unix(&mut self, path: &Path, perm: Option<u32>) -> io::Result<()> {
        let _ = std::fs::remove_file(path);
        let listener = UnixListener::bind(path).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!("cannot listen on unix socket {}: {}", path.display(), e),
            )
        })?;
        if let Some(perm) = perm {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(perm))?;
        }
        self.listeners
            .push(Listener::Unix(listener, path.to_path_buf()));
        Ok(())
    }

    /// The first TCP (or TLS) address, for log lines and `ServerHandle::port`.
    pub(crate) fn tcp_addrs(&self) -> Vec<(SocketAddr, bool)> {
        self.listeners
            .iter()
            .filter_map(|l| match l {
                Listener::Tcp(t) => t.local_addr().ok().map(|a| (a, false)),
                Listener::Tls(t, _) => t.local_addr().ok().map(|a| (a, true)),
                #[cfg(unix)]
                Listener::Unix(..) => None,
            })
            .collect()
    }

    /// The next client of any listener.
    pub(crate) async fn accept(&self) -> io::Result<Accepted> {
        std::future::poll_fn(|cx| {
            for listener in &self.listeners {
                let polled = match listener {
                    Listener::Tcp(l) => l.poll_accept(cx).map_ok(|(s, a)| Accepted {
                        stream: Stream::Tcp(s),
                        tls: None,
                        peer: Peer::Tcp(a),
                    }),
                    Listener::Tls(l, acceptor) => l.poll_accept(cx).map_ok(|(s, a)| Accepted {
                        stream: Stream::Tcp(s),
                        tls: Some(acceptor.clone()),
                        peer: Peer::Tcp(a),
                    }),
                    #[cfg(unix)]
                    Listener::Unix(l, path) => l.poll_accept(cx).map_ok(|(s, _)| Accepted {
                        stream: Stream::Unix(s),
                        tls: None,
                        peer: Peer::Unix(path.clone()),
                    }),
                };
                if polled.is_ready() {
                    return polled;
                }
            }
            Poll::Pending
        })
        .await
    }

    /// Stop listening; a Unix socket's file is removed, as Redis does on shutdown.
    pub(crate) fn close(self) {
        for listener in self.listeners {
            #[cfg(unix)]
            if let Listener::Unix(l, path) = listener {
                drop(l);
                let _ = std::fs::remove_file(path);
            }
        }
    }
}

impl Stream {
    /// Wait until a read would find something (data, end of stream or an error),
    /// without a buffer. A TLS stream answers at once: rustls reads into its own
    /// buffers, and a read may find only a partial record.
    pub(crate) async fn readable(&self) -> io::Result<()> {
        match self {
            Stream::Tcp(s) => s.readable().await,
            #[cfg(unix)]
            Stream::Unix(s) => s.readable().await,
            Stream::Tls(_) => Ok(()),
        }
    }

    /// Disable Nagle and enable keepalive on TCP streams (no-ops elsewhere).
    pub(crate) fn tune_tcp(&self, keepalive: std::time::Duration) {
        if let Stream::Tcp(s) = self {
            let _ = s.set_nodelay(true);
            let ka = socket2::TcpKeepalive::new().with_time(keepalive);
            let _ = socket2::SockRef::from(s).set_tcp_keepalive(&ka);
        }
    }
}
