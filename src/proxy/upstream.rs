//! The upstream side of one client connection, on that connection's own task.
//!
//! Each client connection gets a [`Lane`]: at most one idle upstream HTTP/1.1
//! connection (plain TCP or rustls), opened on first use and kept while both
//! ends keep it alive. The task serving the client connection writes the
//! request and reads the answer itself (wire format in [`super::h1`]), so a
//! request crosses no thread, no channel and no other task: no futex or
//! eventfd wake-ups, no dispatch queue, which is what a pooled client (one
//! task per upstream connection, fed through a channel) costs. An agent
//! container opens few connections and sends its requests one after another
//! on each, so a lane per connection reuses upstream connections as well as a
//! pool would.

use std::future::poll_fn;
use std::pin::{Pin, pin};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http::uri::{Authority, Scheme};
use http::{Method, Response};
use hyper::body::{Body, Frame, SizeHint};
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;
use tokio_util::either::Either;
use tokio_util::io::poll_read_buf;

use super::body::BodyError;
use super::h1::{self, Decoder, ReqFraming, Step, WireError};
use super::route::Route;

type Io = Either<TcpStream, TlsStream<TcpStream>>;

/// How much of a request body that has already arrived goes out in the same
/// write as the head.
const FIRST_WRITE: usize = 64 * 1024;
/// Read buffer per upstream connection (grown while a head is larger).
const READ_CHUNK: usize = 8 * 1024;

/// Why the upstream could not be asked.
#[derive(Debug, thiserror::Error)]
pub(crate) enum UpstreamError {
    #[error("connecting to {authority} timed out after {timeout:?}")]
    ConnectTimeout {
        authority: Authority,
        timeout: Duration,
    },
    #[error("cannot connect to {authority}: {source}")]
    Connect {
        authority: Authority,
        #[source]
        source: std::io::Error,
    },
    #[error("invalid TLS server name {0:?}")]
    ServerName(String),
    #[error("TLS handshake with {authority} failed: {source}")]
    Tls {
        authority: Authority,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot send the request to {authority}: {source}")]
    Write {
        authority: Authority,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot read the answer of {authority}: {source}")]
    Read {
        authority: Authority,
        #[source]
        source: std::io::Error,
    },
    #[error("{authority}: {source}")]
    Wire {
        authority: Authority,
        #[source]
        source: WireError,
    },
    #[error("the request body sent {sent} bytes where its Content-Length said {said}")]
    BodyLength { sent: u64, said: u64 },
    #[error("reading the request body failed: {0}")]
    Body(#[source] BodyError),
}

/// How to reach upstreams: timeouts and the TLS client configuration.
pub(crate) struct Connector {
    pub connect_timeout: Duration,
    tls: TlsConnector,
}

impl Connector {
    /// rustls with `ring` and the webpki roots, HTTP/1.1 only.
    pub fn new(connect_timeout: Duration) -> Self {
        let roots = rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        Self::with_roots(connect_timeout, roots)
    }

    fn with_roots(connect_timeout: Duration, roots: rustls::RootCertStore) -> Self {
        crate::tls::install_default_provider();
        let mut config = rustls::ClientConfig::builder()
            .with_root_certificates(roots)
            .with_no_client_auth();
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Self {
            connect_timeout,
            tls: TlsConnector::from(Arc::new(config)),
        }
    }

    async fn connect(&self, scheme: &Scheme, authority: &Authority) -> Result<Io, UpstreamError> {
        let tls = *scheme == Scheme::HTTPS;
        let port = authority.port_u16().unwrap_or(if tls { 443 } else { 80 });
        let host = authority.host();
        // `[::1]` in a URL is `::1` to the resolver and to TLS.
        let host = host
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(host);
        let connect = TcpStream::connect((host, port));
        let tcp = match tokio::time::timeout(self.connect_timeout, connect).await {
            Err(_) => {
                return Err(UpstreamError::ConnectTimeout {
                    authority: authority.clone(),
                    timeout: self.connect_timeout,
                });
            }
            Ok(Err(source)) => {
                return Err(UpstreamError::Connect {
                    authority: authority.clone(),
                    source,
                });
            }
            Ok(Ok(s)) => s,
        };
        let _ = tcp.set_nodelay(true);
        if !tls {
            return Ok(Either::Left(tcp));
        }
        let name = rustls::pki_types::ServerName::try_from(host.to_string())
            .map_err(|_| UpstreamError::ServerName(host.to_string()))?;
        let handshake = self.tls.connect(name, tcp);
        match tokio::time::timeout(self.connect_timeout, handshake).await {
            Err(_) => Err(UpstreamError::ConnectTimeout {
                authority: authority.clone(),
                timeout: self.connect_timeout,
            }),
            Ok(Err(source)) => Err(UpstreamError::Tls {
                authority: authority.clone(),
                source,
            }),
            Ok(Ok(s)) => Ok(Either::Right(s)),
        }
    }
}

/// An open upstream connection and what has been read from it.
struct Upstream {
    io: Io,
    buf: BytesMut,
    /// The route it talks for (the newest one seen, so a rotated
    /// credential's route is not kept alive by an old connection).
    target: Arc<Route>,
}

impl Upstream {
    /// Whether an idle connection can take a request: the upstream has
    /// neither closed it nor sent anything unasked. Costs no system call
    /// unless the socket was signalled readable since it was last read.
    fn idle_and_open(&mut self) -> bool {
        if !self.buf.is_empty() {
            return false;
        }
        let mut cx = Context::from_waker(Waker::noop());
        self.buf.reserve(1);
        matches!(
            poll_read_buf(Pin::new(&mut self.io), &mut cx, &mut self.buf),
            Poll::Pending
        )
    }

    /// Whether it goes where `route` points: the same route (one pointer
    /// comparison, every request between reloads), or one with the same
    /// scheme and authority, which then replaces it.
    fn goes_to(&mut self, route: &Arc<Route>) -> bool {
        if Arc::ptr_eq(&self.target, route) {
            return true;
        }
        if self.target.scheme == route.scheme && self.target.authority == route.authority {
            self.target = route.clone();
            return true;
        }
        false
    }

    /// Reads more into the buffer; `Ok(0)` when the upstream has closed.
    fn poll_fill(&mut self, cx: &mut Context<'_>) -> Poll<std::io::Result<usize>> {
        if self.buf.capacity() - self.buf.len() < READ_CHUNK / 2 {
            self.buf.reserve(READ_CHUNK);
        }
        poll_read_buf(Pin::new(&mut self.io), cx, &mut self.buf)
    }

    /// The final answer head, read as it arrives: interim 1xx answers are
    /// skipped, a 101 is refused (no upgrade is ever asked for).
    fn poll_head(
        &mut self,
        cx: &mut Context<'_>,
        method: &Method,
    ) -> Poll<Result<h1::Head, UpstreamError>> {
        loop {
            match h1::parse_head(&mut self.buf, method) {
                Ok(Some(h)) if h.status == http::StatusCode::SWITCHING_PROTOCOLS => {
                    let e = WireError::Malformed("101 without an upgrade asked for");
                    return Poll::Ready(Err(self.wire_err(e)));
                }
                Ok(Some(h)) if h.status.is_informational() => continue,
                Ok(Some(h)) => return Poll::Ready(Ok(h)),
                Ok(None) => {}
                Err(e) => return Poll::Ready(Err(self.wire_err(e))),
            }
            match std::task::ready!(self.poll_fill(cx)) {
                Ok(0) => return Poll::Ready(Err(self.wire_err(WireError::Closed))),
                Ok(_) => {}
                Err(source) => {
                    return Poll::Ready(Err(UpstreamError::Read {
                        authority: self.target.authority.clone(),
                        source,
                    }));
                }
            }
        }
    }

    fn wire_err(&self, source: WireError) -> UpstreamError {
        UpstreamError::Wire {
            authority: self.target.authority.clone(),
            source,
        }
    }

    fn write_err(&self, source: std::io::Error) -> UpstreamError {
        UpstreamError::Write {
            authority: self.target.authority.clone(),
            source,
        }
    }
}

/// The idle upstream connection of one client connection, if any.
#[derive(Clone, Default)]
pub(crate) struct Lane {
    /// Boxed: it moves with each answer's body, and a box moves in 8 bytes.
    idle: Arc<Mutex<Option<Box<Upstream>>>>,
}

impl Lane {
    /// Sends a request (`out`: its head, as [`h1::encode_head`] wrote it;
    /// `body` framed as `framing` says) to the route's upstream over this
    /// lane's connection, opening one when there is none (or it points
    /// elsewhere), and reads the answer's head; the body is read off the
    /// connection as the client side asks for it. A request a kept-alive
    /// connection could not take (the upstream had closed it) goes once more
    /// on a fresh one; once written, it is never sent twice.
    pub async fn send<B>(
        &self,
        connector: &Connector,
        route: &Arc<Route>,
        method: &Method,
        mut out: Vec<u8>,
        framing: ReqFraming,
        body: B,
    ) -> Result<Response<UpBody>, UpstreamError>
    where
        B: Body<Data = Bytes, Error = BodyError>,
    {
        let mut body = pin!(body);
        let mut sent = Sent::new(framing);
        // What of the body has arrived already goes with the head: one write.
        while !sent.ended && out.len() < FIRST_WRITE {
            match poll_fn(|cx| Poll::Ready(body.as_mut().poll_frame(cx))).await {
                Poll::Pending => break,
                Poll::Ready(f) => sent.frame(&mut out, f)?,
            }
        }
        let mut reused = self.take(route);
        if let Some(up) = reused.as_mut()
            && up.io.write_all(&out).await.is_err()
        {
            reused = None;
        }
        let mut up = match reused {
            Some(up) => up,
            None => {
                let mut up = open(connector, route).await?;
                if let Err(e) = up.io.write_all(&out).await {
                    return Err(up.write_err(e));
                }
                up
            }
        };
        // The rest of the body, if any, while watching for an early answer
        // (a 413, a 401 before reading a large body): it ends the request.
        let early = if sent.ended {
            None
        } else {
            out.clear();
            let mut rest = Rest {
                up: &mut up,
                method,
                out,
                at: 0,
                sent,
            };
            poll_fn(|cx| rest.poll(cx, body.as_mut())).await?
        };
        let (head, reusable) = match early {
            Some(head) => (head, false),
            None => {
                if let Err(e) = up.io.flush().await {
                    return Err(up.write_err(e));
                }
                (poll_fn(|cx| up.poll_head(cx, method)).await?, true)
            }
        };
        let mut resp = Response::new(UpBody {
            decoder: Decoder::new(head.framing),
            keep_alive: head.keep_alive && reusable,
            up: Some(up),
            lane: self.clone(),
        });
        *resp.status_mut() = head.status;
        *resp.headers_mut() = head.headers;
        if resp.body().decoder.is_done() {
            resp.body_mut().finish();
        }
        Ok(resp)
    }

    fn take(&self, route: &Arc<Route>) -> Option<Box<Upstream>> {
        let mut up = self.lock().take()?;
        // Another upstream's connection is dropped (closed) here.
        (up.goes_to(route) && up.idle_and_open()).then_some(up)
    }

    /// Keeps `up` for the next request, unless one is kept already.
    fn put(&self, up: Box<Upstream>) {
        let mut idle = self.lock();
        if idle.is_none() {
            *idle = Some(up);
        }
    }

    fn lock(&self) -> MutexGuard<'_, Option<Box<Upstream>>> {
        self.idle.lock().unwrap_or_else(|p| p.into_inner())
    }
}

async fn open(connector: &Connector, route: &Arc<Route>) -> Result<Box<Upstream>, UpstreamError> {
    Ok(Box::new(Upstream {
        io: connector.connect(&route.scheme, &route.authority).await?,
        buf: BytesMut::with_capacity(READ_CHUNK),
        target: route.clone(),
    }))
}

/// The rest of a request body on its way up, written as it arrives while
/// the connection is read for an early final answer.
struct Rest<'a> {
    up: &'a mut Upstream,
    method: &'a Method,
    out: Vec<u8>,
    at: usize,
    sent: Sent,
}

impl Rest<'_> {
    /// Ready with `None` once the whole body is written and flushed, or
    /// with an answer that came first.
    fn poll<B>(
        &mut self,
        cx: &mut Context<'_>,
        mut body: Pin<&mut B>,
    ) -> Poll<Result<Option<h1::Head>, UpstreamError>>
    where
        B: Body<Data = Bytes, Error = BodyError>,
    {
        loop {
            if let Poll::Ready(head) = self.up.poll_head(cx, self.method) {
                return Poll::Ready(head.map(Some));
            }
            if self.at < self.out.len() {
                let wrote = Pin::new(&mut self.up.io).poll_write(cx, &self.out[self.at..]);
                match std::task::ready!(wrote) {
                    Ok(0) => {
                        let e = std::io::ErrorKind::WriteZero.into();
                        return Poll::Ready(Err(self.up.write_err(e)));
                    }
                    Ok(n) => self.at += n,
                    Err(e) => return Poll::Ready(Err(self.up.write_err(e))),
                }
                continue;
            }
            if self.sent.ended {
                let flushed = Pin::new(&mut self.up.io).poll_flush(cx);
                return std::task::ready!(flushed)
                    .map(|()| None)
                    .map_err(|e| self.up.write_err(e))
                    .into();
            }
            let frame = std::task::ready!(body.as_mut().poll_frame(cx));
            self.out.clear();
            self.at = 0;
            self.sent.frame(&mut self.out, frame)?;
        }
    }
}

/// How much of a request body has been framed for the upstream.
struct Sent {
    framing: ReqFraming,
    bytes: u64,
    ended: bool,
}

impl Sent {
    fn new(framing: ReqFraming) -> Self {
        Self {
            framing,
            bytes: 0,
            ended: framing == ReqFraming::None,
        }
    }

    /// Appends one frame of the body to `out`, framed (`None`: the end).
    fn frame(
        &mut self,
        out: &mut Vec<u8>,
        frame: Option<Result<Frame<Bytes>, BodyError>>,
    ) -> Result<(), UpstreamError> {
        let Some(frame) = frame else {
            self.ended = true;
            return match self.framing {
                ReqFraming::Length(said) if said != self.bytes => Err(UpstreamError::BodyLength {
                    sent: self.bytes,
                    said,
                }),
                ReqFraming::Chunked => {
                    out.extend_from_slice(b"0\r\n\r\n");
                    Ok(())
                }
                _ => Ok(()),
            };
        };
        // Trailers are not forwarded (nothing upstream asks for them).
        let Ok(data) = frame.map_err(UpstreamError::Body)?.into_data() else {
            return Ok(());
        };
        if data.is_empty() {
            return Ok(());
        }
        self.bytes += data.len() as u64;
        match self.framing {
            ReqFraming::Length(said) if self.bytes > said => Err(UpstreamError::BodyLength {
                sent: self.bytes,
                said,
            }),
            ReqFraming::Chunked => {
                out.extend_from_slice(format!("{:x}\r\n", data.len()).as_bytes());
                out.extend_from_slice(&data);
                out.extend_from_slice(b"\r\n");
                Ok(())
            }
            _ => {
                out.extend_from_slice(&data);
                Ok(())
            }
        }
    }
}

/// An upstream answer's body, read off its connection as the client side
/// asks for it; the connection goes back to its lane once the body is whole
/// (if both ends keep it alive), or is closed when the body is dropped early.
pub(crate) struct UpBody {
    up: Option<Box<Upstream>>,
    decoder: Decoder,
    keep_alive: bool,
    lane: Lane,
}

impl UpBody {
    fn finish(&mut self) {
        if let Some(up) = self.up.take()
            && self.keep_alive
            && up.buf.is_empty()
        {
            self.lane.put(up);
        }
    }
}

impl Body for UpBody {
    type Data = Bytes;
    type Error = BodyError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BodyError>>> {
        let this = self.get_mut();
        loop {
            let Some(up) = this.up.as_mut() else {
                return Poll::Ready(None);
            };
            match this.decoder.step(&mut up.buf) {
                Ok(Step::Data(data)) => {
                    if this.decoder.is_done() {
                        this.finish();
                    }
                    return Poll::Ready(Some(Ok(Frame::data(data))));
                }
                Ok(Step::Done) => {
                    this.finish();
                    return Poll::Ready(None);
                }
                Err(e) => {
                    this.up = None;
                    return Poll::Ready(Some(Err(e.into())));
                }
                Ok(Step::More) => {}
            }
            match std::task::ready!(up.poll_fill(cx)) {
                Ok(0) => {
                    this.up = None;
                    return Poll::Ready(this.decoder.eof().err().map(|e| Err(e.into())));
                }
                Ok(_) => {}
                Err(e) => {
                    this.up = None;
                    return Poll::Ready(Some(Err(BodyError::Read(e))));
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.decoder.is_done()
    }

    fn size_hint(&self) -> SizeHint {
        self.decoder
            .remaining()
            .map_or_else(SizeHint::new, SizeHint::with_exact)
    }
}

#[cfg(test)]
mod tests {
    //! The TLS path end to end, against a local TLS upstream whose
    //! certificate a throwaway CA signed (made with the `openssl` command).

    use std::path::Path;
    use std::process::Command;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use http::header::{self, HeaderMap};
    use http_body_util::BodyExt;
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::*;
    use crate::proxy::body::Streamed;
    use crate::proxy::mappings::{CredentialType, Mapping};
    use crate::proxy::secret::Secret;

    /// A CA, and a certificate for `localhost` it signed: (CA, leaf, leaf key), PEM.
    fn pki(dir: &Path) -> Option<(Vec<u8>, Vec<u8>, Vec<u8>)> {
        let ec = [
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
        ];
        let steps: [&[&str]; 3] = [
            &[
                &["req", "-x509", "-new"],
                &ec[..],
                &[
                    "-keyout",
                    "ca.key",
                    "-out",
                    "ca.pem",
                    "-days",
                    "2",
                    "-subj",
                    "/CN=aigo test CA",
                ],
            ]
            .concat(),
            &[
                &["req", "-new"],
                &ec[..],
                &[
                    "-keyout",
                    "leaf.key",
                    "-out",
                    "leaf.csr",
                    "-subj",
                    "/CN=localhost",
                ],
            ]
            .concat(),
            &[
                "x509",
                "-req",
                "-in",
                "leaf.csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                "leaf.pem",
                "-days",
                "2",
                "-extfile",
                "ext.cnf",
            ],
        ];
        std::fs::write(
            dir.join("ext.cnf"),
            "subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
        )
        .expect("ext.cnf");
        for args in steps {
            let out = Command::new("openssl").current_dir(dir).args(args).output();
            match out {
                Ok(o) if o.status.success() => {}
                Ok(o) => panic!("openssl {args:?}: {}", String::from_utf8_lossy(&o.stderr)),
                Err(e) if std::env::var_os("AIGO_REQUIRE_DOCKER").is_some_and(|v| v == "1") => {
                    panic!("no openssl command ({e}); .ci/run installs it")
                }
                Err(e) => {
                    eprintln!("SKIP: no openssl command ({e}) to make a test certificate");
                    return None;
                }
            }
        }
        let read = |f: &str| std::fs::read(dir.join(f)).expect("pem");
        Some((read("ca.pem"), read("leaf.pem"), read("leaf.key")))
    }

    /// A TLS upstream: answers two requests per connection with a length,
    /// the third chunked, then closes the connection (close_notify and FIN)
    /// and says so on `closed`.
    async fn tls_upstream(
        leaf: &[u8],
        key: &[u8],
    ) -> (
        u16,
        Arc<AtomicUsize>,
        tokio::sync::mpsc::UnboundedReceiver<()>,
    ) {
        let certs = vec![CertificateDer::from_pem_slice(leaf).expect("leaf")];
        let key = PrivateKeyDer::from_pem_slice(key).expect("key");
        crate::tls::install_default_provider();
        let config = rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .expect("server config");
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let conns = Arc::new(AtomicUsize::new(0));
        let (tx, closed) = tokio::sync::mpsc::unbounded_channel();
        let counted = conns.clone();
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                counted.fetch_add(1, Ordering::SeqCst);
                let mut tls = acceptor.accept(tcp).await.expect("handshake");
                let mut buf = Vec::new();
                for n in 0..3 {
                    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                        let mut chunk = [0u8; 1024];
                        let k = tls.read(&mut chunk).await.expect("read");
                        assert!(k > 0, "the proxy closed first");
                        buf.extend_from_slice(&chunk[..k]);
                    }
                    buf.clear();
                    let answer: &[u8] = if n < 2 {
                        b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello"
                    } else {
                        b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nworld\r\n0\r\n\r\n"
                    };
                    tls.write_all(answer).await.expect("answer");
                }
                tls.shutdown().await.expect("close");
                drop(tls);
                let _ = tx.send(());
            }
        });
        (port, conns, closed)
    }

    async fn get(lane: &Lane, connector: &Connector, route: &Arc<Route>) -> String {
        let mut head = Vec::new();
        let set = [(&header::HOST, &route.host)];
        let none = ReqFraming::None;
        h1::encode_head(
            &mut head,
            &Method::GET,
            "/v1/x",
            &HeaderMap::new(),
            &header::HOST,
            &set,
            none,
        );
        let body = http_body_util::Empty::<Bytes>::new()
            .map_err(|e: std::convert::Infallible| -> BodyError { match e {} });
        let body = Streamed::new(body, Duration::from_secs(5), None);
        let resp = lane
            .send(connector, route, &Method::GET, head, none, body)
            .await
            .expect("answered over TLS");
        let bytes = resp.into_body().collect().await.expect("body").to_bytes();
        String::from_utf8_lossy(&bytes).into_owned()
    }

    #[tokio::test]
    async fn answers_come_back_over_one_kept_alive_tls_connection() {
        let dir = tempfile::tempdir().expect("dir");
        let Some((ca, leaf, key)) = pki(dir.path()) else {
            return;
        };
        let (port, conns, mut closed) = tls_upstream(&leaf, &key).await;
        let mut roots = rustls::RootCertStore::empty();
        roots
            .add(CertificateDer::from_pem_slice(&ca).expect("ca"))
            .expect("root");
        let connector = Connector::with_roots(Duration::from_secs(5), roots);
        let mapping = Mapping {
            id: "m".into(),
            name: "tls".into(),
            upstream_url: format!("https://localhost:{port}"),
            credential_type: CredentialType::ApiKey,
            placeholder: "placeholder".into(),
            created_at: None,
            rotated_at: None,
        };
        let route = Arc::new(Route::new(&mapping, Secret::new("sk-test")).expect("route"));
        let lane = Lane::default();
        assert_eq!(get(&lane, &connector, &route).await, "hello");
        assert_eq!(get(&lane, &connector, &route).await, "hello");
        assert_eq!(get(&lane, &connector, &route).await, "world");
        assert_eq!(
            conns.load(Ordering::SeqCst),
            1,
            "one TLS connection for three"
        );
        closed.recv().await.expect("the upstream closed");
        // Let the runtime's driver see the close before the next request.
        tokio::task::yield_now().await;
        assert_eq!(get(&lane, &connector, &route).await, "hello");
        assert_eq!(
            conns.load(Ordering::SeqCst),
            2,
            "a closed one is not reused"
        );
    }
}
