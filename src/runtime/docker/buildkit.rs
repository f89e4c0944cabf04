//! Docker builds with BuildKit through the Engine API (`POST /build?version=2`, the tar
//! context as the request body, no session needed). Why not the classic builder: it turns
//! the `labels` parameter into a `LABEL` step of its own (a container create and commit,
//! a quarter of a small no-cache build), while BuildKit writes labels into the image config.
//!
//! bollard decodes BuildKit's progress only with its gRPC feature set, so this one request
//! is sent with hyper directly; progress (`moby.buildkit.trace`: a base64 protobuf
//! `StatusResponse`) is decoded by hand into BuildKit's plain-progress lines (`#3 [1/2] COPY …`).

use std::collections::HashMap;

use base64::Engine as _;
use bytes::Buf;
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use http_body_util::{BodyExt, StreamBody};
use hyper::body::Frame;
use tokio::sync::mpsc;

use super::DockerEngine;
use crate::runtime::{Backend, BuildMessage, BuildOptions, ContextStream, EngineError};

type Msg = Result<BuildMessage, EngineError>;

impl DockerEngine {
    pub(super) fn build_buildkit(
        &self,
        opts: BuildOptions,
        context: ContextStream,
    ) -> BoxStream<'static, Msg> {
        let engine = self.clone();
        let (tx, rx) = mpsc::channel(16);
        tokio::spawn(async move {
            let r = tokio::select! {
                () = tx.closed() => return,
                r = async {
                    // The URL carries the API version: speak the engine's.
                    if !engine.is_negotiated() {
                        engine.connect_fast().await?;
                    }
                    let api = engine.client().client_version().to_string();
                    run(engine.endpoint(), &api, opts, context, &tx).await
                } => r,
            };
            if let Err(message) = r {
                let _ = tx
                    .send(Err(EngineError::Failed {
                        backend: Backend::Docker,
                        action: "build the image",
                        message,
                    }))
                    .await;
            }
        });
        futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|m| (m, rx)) })
            .boxed()
    }
}

async fn run(
    endpoint: &str,
    api: &str,
    opts: BuildOptions,
    context: ContextStream,
    tx: &mpsc::Sender<Msg>,
) -> Result<(), String> {
    let json = |m: &std::collections::BTreeMap<String, String>| {
        serde_json::to_string(m).unwrap_or_else(|_| "{}".into())
    };
    let mut query = vec![
        ("version", "2".to_string()),
        ("t", opts.tag.clone()),
        ("dockerfile", opts.dockerfile.clone()),
        ("labels", json(&opts.labels)),
        ("buildargs", json(&opts.build_args)),
        ("rm", "1".into()),
        ("forcerm", "1".into()),
    ];
    if opts.no_cache {
        query.push(("nocache", "1".into()));
    }
    let query: Vec<String> = query
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    let uri = format!("/v{api}/build?{}", query.join("&"));
    let body = StreamBody::new(context.map(|r| r.map(Frame::data)));
    let req = hyper::Request::post(uri)
        .header(hyper::header::HOST, "docker")
        .header(hyper::header::CONTENT_TYPE, "application/x-tar")
        .body(body)
        .map_err(|e| e.to_string())?;
    let resp = send(endpoint, req).await?;
    let status = resp.status();
    let mut body = resp.into_body();
    if !status.is_success() {
        let text = body
            .collect()
            .await
            .map(|b| String::from_utf8_lossy(&b.to_bytes()).into_owned())
            .unwrap_or_default();
        let message = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v.get("message")?.as_str().map(str::to_string))
            .unwrap_or(text);
        return Err(format!("{status}: {message}"));
    }
    let mut progress = Progress::default();
    let mut buf = Vec::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|e| format!("reading the build's answer: {e}"))?;
        let Ok(mut data) = frame.into_data() else {
            continue;
        };
        while data.has_remaining() {
            let chunk = data.chunk();
            buf.extend_from_slice(chunk);
            let n = chunk.len();
            data.advance(n);
        }
        while let Some(nl) = buf.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = buf.drain(..=nl).collect();
            for m in progress.message(&line)? {
                if tx.send(Ok(m)).await.is_err() {
                    return Ok(());
                }
            }
        }
    }
    for m in progress.message(&buf)? {
        let _ = tx.send(Ok(m)).await;
    }
    Ok(())
}

/// One HTTP/1.1 exchange on a fresh connection to the engine (`unix://` or `tcp://`).
async fn send<B>(
    endpoint: &str,
    req: hyper::Request<B>,
) -> Result<hyper::Response<hyper::body::Incoming>, String>
where
    B: hyper::body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let fail = |e: &dyn std::fmt::Display| format!("{endpoint}: {e}");
    macro_rules! exchange {
        ($stream:expr) => {{
            let io = hyper_util::rt::TokioIo::new($stream);
            let (mut sender, conn) = hyper::client::conn::http1::handshake(io)
                .await
                .map_err(|e| fail(&e))?;
            tokio::spawn(async move {
                let _ = conn.await;
            });
            sender.send_request(req).await.map_err(|e| fail(&e))
        }};
    }
    if let Some(path) = endpoint.strip_prefix("unix://") {
        exchange!(
            tokio::net::UnixStream::connect(path)
                .await
                .map_err(|e| fail(&e))?
        )
    } else {
        let addr = endpoint
            .strip_prefix("tcp://")
            .or_else(|| endpoint.strip_prefix("http://"))
            .unwrap_or(endpoint);
        exchange!(
            tokio::net::TcpStream::connect(addr)
                .await
                .map_err(|e| fail(&e))?
        )
    }
}

/// Percent-encodes a query value (everything but RFC 3986's unreserved characters).
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Turns the engine's JSON lines into build messages, numbering BuildKit's steps as its
/// plain progress does.
#[derive(Default)]
struct Progress {
    numbers: HashMap<Vec<u8>, usize>,
    announced: HashMap<usize, u8>,
}

/// What was said of a step: 1 named, 2 done.
const NAMED: u8 = 1;
const DONE: u8 = 2;

impl Progress {
    fn message(&mut self, line: &[u8]) -> Result<Vec<BuildMessage>, String> {
        if line.iter().all(u8::is_ascii_whitespace) {
            return Ok(Vec::new());
        }
        let v: serde_json::Value = serde_json::from_slice(line)
            .map_err(|e| format!("unexpected answer from the engine ({e})"))?;
        if let Some(err) = v.get("error").and_then(|e| e.as_str()) {
            return Err(err.to_string());
        }
        let mut out = Vec::new();
        if let Some(s) = v.get("stream").and_then(|s| s.as_str()) {
            out.push(BuildMessage::Output(s.to_string()));
        }
        match v.get("id").and_then(|i| i.as_str()) {
            Some("moby.image.id") => {
                if let Some(id) = v.pointer("/aux/ID").and_then(|i| i.as_str()) {
                    out.push(BuildMessage::ImageId(id.to_string()));
                }
            }
            Some("moby.buildkit.trace") => {
                let raw = v.get("aux").and_then(|a| a.as_str()).unwrap_or_default();
                let pb = base64::engine::general_purpose::STANDARD
                    .decode(raw)
                    .map_err(|e| format!("undecodable build progress ({e})"))?;
                for l in self.trace(&pb) {
                    out.push(BuildMessage::Output(l + "\n"));
                }
            }
            _ => {}
        }
        Ok(out)
    }

    fn number(&mut self, digest: &[u8]) -> usize {
        let next = self.numbers.len() + 1;
        *self.numbers.entry(digest.to_vec()).or_insert(next)
    }

    /// `StatusResponse { repeated Vertex vertexes = 1; …; repeated VertexLog logs = 3; }`.
    fn trace(&mut self, pb: &[u8]) -> Vec<String> {
        let mut lines = Vec::new();
        for (field, value) in fields(pb) {
            match (field, value) {
                (1, Field::Bytes(v)) => self.vertex(v, &mut lines),
                (3, Field::Bytes(l)) => self.log(l, &mut lines),
                _ => {}
            }
        }
        lines
    }

    /// `Vertex { digest = 1; name = 3; cached = 4; started = 5; completed = 6; error = 7 }`.
    fn vertex(&mut self, pb: &[u8], lines: &mut Vec<String>) {
        let (mut digest, mut name, mut error) = (&[][..], String::new(), String::new());
        let (mut cached, mut started, mut completed) = (false, false, false);
        for (field, value) in fields(pb) {
            match (field, value) {
                (1, Field::Bytes(b)) => digest = b,
                (3, Field::Bytes(b)) => name = String::from_utf8_lossy(b).into_owned(),
                (4, Field::Varint(c)) => cached = c != 0,
                (5, _) => started = true,
                (6, _) => completed = true,
                (7, Field::Bytes(b)) => error = String::from_utf8_lossy(b).into_owned(),
                _ => {}
            }
        }
        let n = self.number(digest);
        let said = self.announced.get(&n).copied().unwrap_or(0);
        if said < NAMED && (started || cached || completed) {
            lines.push(format!("#{n} {name}"));
        }
        let mut now = said.max(NAMED);
        if !error.is_empty() {
            lines.push(format!("#{n} ERROR: {error}"));
            now = DONE;
        } else if completed && said < DONE {
            lines.push(format!("#{n} {}", if cached { "CACHED" } else { "DONE" }));
            now = DONE;
        }
        if started || cached || completed {
            self.announced.insert(n, now);
        }
    }

    /// `VertexLog { vertex = 1; msg = 4; }`: output of a `RUN` step.
    fn log(&mut self, pb: &[u8], lines: &mut Vec<String>) {
        let (mut vertex, mut msg) = (&[][..], &[][..]);
        for (field, value) in fields(pb) {
            match (field, value) {
                (1, Field::Bytes(b)) => vertex = b,
                (4, Field::Bytes(b)) => msg = b,
                _ => {}
            }
        }
        let n = self.number(vertex);
        for l in String::from_utf8_lossy(msg).lines() {
            lines.push(format!("#{n} {l}"));
        }
    }
}

enum Field<'a> {
    Varint(u64),
    Bytes(&'a [u8]),
    Fixed,
}

/// The fields of one protobuf message; stops quietly at malformed input.
fn fields(mut pb: &[u8]) -> impl Iterator<Item = (u64, Field<'_>)> {
    std::iter::from_fn(move || {
        let key = varint(&mut pb)?;
        let value = match key & 7 {
            0 => Field::Varint(varint(&mut pb)?),
            1 => {
                pb = pb.get(8..)?;
                Field::Fixed
            }
            2 => {
                let len = usize::try_from(varint(&mut pb)?).ok()?;
                let (v, rest) = (pb.get(..len)?, pb.get(len..)?);
                pb = rest;
                Field::Bytes(v)
            }
            5 => {
                pb = pb.get(4..)?;
                Field::Fixed
            }
            _ => return None,
        };
        Some((key >> 3, value))
    })
}

fn varint(pb: &mut &[u8]) -> Option<u64> {
    let mut v = 0u64;
    for i in 0..10 {
        let (&b, rest) = pb.split_first()?;
        *pb = rest;
        v |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Some(v);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(n: u64, data: &[u8]) -> Vec<u8> {
        let mut v = vec![((n << 3) | 2) as u8, data.len() as u8];
        v.extend_from_slice(data);
        v
    }

    #[test]
    fn trace_becomes_plain_progress_lines() {
        // A vertex named `[1/2] COPY busybox /bin/busybox`, started then completed.
        let mut vertex = field(1, b"sha256:abc");
        vertex.extend(field(3, b"[1/2] COPY busybox /bin/busybox"));
        vertex.extend(field(5, &[8, 1]));
        let mut done = vertex.clone();
        done.extend(field(6, &[8, 2]));
        let mut log = field(1, b"sha256:abc");
        log.extend(field(4, b"hello\nworld\n"));
        let mut p = Progress::default();
        assert_eq!(
            p.trace(&field(1, &vertex)),
            vec!["#1 [1/2] COPY busybox /bin/busybox"]
        );
        assert_eq!(p.trace(&field(3, &log)), vec!["#1 hello", "#1 world"]);
        assert_eq!(p.trace(&field(1, &done)), vec!["#1 DONE"]);
        assert!(p.trace(&field(1, &done)).is_empty(), "said once");
        assert!(
            p.trace(&[0xff, 0xff]).is_empty(),
            "malformed input is ignored"
        );
    }

    #[test]
    fn engine_lines_become_messages() {
        let mut p = Progress::default();
        let m = p
            .message(br#"{"id":"moby.image.id","aux":{"ID":"sha256:1"}}"#)
            .expect("parse");
        assert_eq!(m, vec![BuildMessage::ImageId("sha256:1".into())]);
        let e = p
            .message(br#"{"errorDetail":{"message":"boom"},"error":"boom"}"#)
            .expect_err("error");
        assert_eq!(e, "boom");
        assert_eq!(encode("a b/{\"x\"}"), "a%20b%2F%7B%22x%22%7D");
    }
}
