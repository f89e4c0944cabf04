//! A fake upstream API on 127.0.0.1 for the proxy's tests and benchmark: it
//! records what it received and answers by path.
//!
//! - `/sse`: a `text/event-stream` whose chunks the test feeds one by one
//!   through [`FakeUpstream::sse`], so streaming can be checked in lockstep.
//! - `/echo-key`: reflects the `x-api-key` it got in a header and the body
//!   (to show the proxy masks an echoed credential).
//! - `/echo-split`: the same, as a stream whose two chunks split the key.
//! - `/echo-gzip`: the key, gzip-compressed when the request accepts gzip.
//! - `/always-gzip`: the key, gzip-compressed whatever was asked.
//! - `/stream-bench`: a first small chunk at once, then more (time to first byte).
//! - `/hang`: no answer for two minutes (timeouts).
//! - `/slow`: answers after 1 ms, like a (very fast) real API.
//! - anything else: `{"ok":true,"path":…}`.
#![allow(dead_code)]

use std::convert::Infallible;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, combinators::UnsyncBoxBody};
use hyper::body::{Body, Frame, Incoming};
use hyper::service::service_fn;
use hyper::{HeaderMap, Request, Response};
use hyper_util::rt::TokioIo;
use tokio::sync::mpsc;

#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path_and_query: String,
    pub headers: HeaderMap,
    pub body: Bytes,
}

type SseRx = Arc<Mutex<Option<mpsc::Receiver<Bytes>>>>;

pub struct FakeUpstream {
    pub addr: SocketAddr,
    pub seen: Arc<Mutex<Vec<Seen>>>,
    sse_rx: SseRx,
    record: bool,
}

impl FakeUpstream {
    /// Starts on 127.0.0.1 with a free port; runs until the runtime ends.
    pub async fn start() -> Self {
        Self::start_with(true).await
    }

    /// Without recording (for the benchmark).
    pub async fn start_with(record: bool) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind fake upstream");
        let addr = listener.local_addr().expect("local addr");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sse_rx: SseRx = Arc::new(Mutex::new(None));
        let (s, r) = (seen.clone(), sse_rx.clone());
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let (s, r) = (s.clone(), r.clone());
                tokio::spawn(async move {
                    let svc = service_fn(move |req| answer(req, s.clone(), r.clone(), record));
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), svc)
                        .await;
                });
            }
        });
        Self {
            addr,
            seen,
            sse_rx,
            record,
        }
    }

    /// Arms `/sse`: the returned sender feeds its chunks; dropping it ends the stream.
    pub fn sse(&self) -> mpsc::Sender<Bytes> {
        let (tx, rx) = mpsc::channel(16);
        *self.sse_rx.lock().expect("lock") = Some(rx);
        tx
    }

    pub fn requests(&self) -> Vec<Seen> {
        self.seen.lock().expect("lock").clone()
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

type Out = UnsyncBoxBody<Bytes, Infallible>;

async fn answer(
    req: Request<Incoming>,
    seen: Arc<Mutex<Vec<Seen>>>,
    sse: SseRx,
    record: bool,
) -> Result<Response<Out>, Infallible> {
    let (parts, body) = req.into_parts();
    let body = body
        .collect()
        .await
        .map(|c| c.to_bytes())
        .unwrap_or_default();
    let path = parts.uri.path().to_string();
    if record {
        seen.lock().expect("lock").push(Seen {
            method: parts.method.to_string(),
            path_and_query: parts
                .uri
                .path_and_query()
                .map(|p| p.to_string())
                .unwrap_or_default(),
            headers: parts.headers.clone(),
            body: body.clone(),
        });
    }
    let resp = if path.ends_with("/sse") {
        let rx = sse.lock().expect("lock").take();
        let body = ChannelBody(rx.unwrap_or_else(|| mpsc::channel(1).1));
        Response::builder()
            .header("content-type", "text/event-stream")
            .body(UnsyncBoxBody::new(body))
    } else if path.ends_with("/stream-bench") {
        let (tx, rx) = mpsc::channel(4);
        tokio::spawn(async move {
            let _ = tx
                .send(Bytes::from_static(b"event: ping\ndata: {}\n\n"))
                .await;
            tokio::time::sleep(Duration::from_millis(2)).await;
            let _ = tx
                .send(Bytes::from_static(b"event: done\ndata: {}\n\n"))
                .await;
        });
        Response::builder()
            .header("content-type", "text/event-stream")
            .body(UnsyncBoxBody::new(ChannelBody(rx)))
    } else if path.ends_with("/hang") {
        tokio::time::sleep(Duration::from_secs(120)).await;
        Response::builder().body(full(String::new()))
    } else if path.ends_with("/slow") {
        // A stand-in for a real API's think time.
        tokio::time::sleep(Duration::from_millis(1)).await;
        Response::builder().body(full("{\"ok\":true}".to_string()))
    } else if path.ends_with("/echo-split") {
        let key = header(&parts.headers, "x-api-key");
        let (a, b) = key.split_at(key.len() / 2);
        let (first, second) = (format!("{{\"youSent\":\"{a}"), format!("{b}\"}}"));
        let (tx, rx) = mpsc::channel(2);
        tokio::spawn(async move {
            let _ = tx.send(Bytes::from(first)).await;
            // Apart in time, so the proxy surely reads them as two chunks.
            tokio::time::sleep(Duration::from_millis(50)).await;
            let _ = tx.send(Bytes::from(second)).await;
        });
        Response::builder().body(UnsyncBoxBody::new(ChannelBody(rx)))
    } else if path.ends_with("/echo-gzip") || path.ends_with("/always-gzip") {
        let key = header(&parts.headers, "x-api-key");
        let accepts = header(&parts.headers, "accept-encoding").contains("gzip");
        let body = format!("{{\"youSent\":\"{key}\"}}");
        if accepts || path.ends_with("/always-gzip") {
            use std::io::Write;
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            gz.write_all(body.as_bytes()).expect("gzip");
            Response::builder()
                .header("content-encoding", "gzip")
                .body(UnsyncBoxBody::new(Full::new(Bytes::from(
                    gz.finish().expect("gzip"),
                ))))
        } else {
            Response::builder().body(full(body))
        }
    } else if path.ends_with("/echo-key") {
        let key = parts
            .headers
            .get("x-api-key")
            .map(|v| v.to_str().unwrap_or_default().to_string())
            .unwrap_or_default();
        Response::builder()
            .header("x-echo", format!("your key is {key}"))
            .body(full(format!("{{\"youSent\":\"{key}\"}}")))
    } else {
        Response::builder()
            .header("content-type", "application/json")
            .body(full(format!("{{\"ok\":true,\"path\":\"{path}\"}}")))
    };
    Ok(resp.expect("response"))
}

fn header(h: &HeaderMap, name: &str) -> String {
    h.get(name)
        .map(|v| v.to_str().unwrap_or_default().to_string())
        .unwrap_or_default()
}

fn full(s: String) -> Out {
    UnsyncBoxBody::new(Full::new(Bytes::from(s)))
}

struct ChannelBody(mpsc::Receiver<Bytes>);

impl Body for ChannelBody {
    type Data = Bytes;
    type Error = Infallible;
    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        self.0.poll_recv(cx).map(|o| o.map(|b| Ok(Frame::data(b))))
    }
}
