//! A small HTTP(S) client for the adapters: hyper-util's pooled client over
//! rustls (ring), bodies in memory, a deadline per request. Errors never carry
//! the URL, because Telegram puts the bot token in the path.

use std::time::Duration;

use bytes::Bytes;
use http::{Method, Request};
use http_body_util::{BodyExt, Full, Limited};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};

use super::SendError;

/// The largest response body read (Telegram update batches stay far below).
const MAX_BODY: usize = 16 * 1024 * 1024;

type Inner = Client<hyper_rustls::HttpsConnector<HttpConnector>, Full<Bytes>>;

#[derive(Clone)]
pub struct HttpClient {
    inner: Inner,
}

/// A response read to the end.
#[derive(Debug, Clone)]
pub struct HttpReply {
    pub status: u16,
    /// `Retry-After` in seconds, when present.
    pub retry_after: Option<Duration>,
    pub headers: http::HeaderMap,
    pub body: Bytes,
}

impl HttpReply {
    /// A header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The usual verdict on a failed send: 429 and 5xx are worth retrying.
    pub fn send_error(&self, what: &str, detail: String) -> SendError {
        let reason = format!("{what}: HTTP {} {detail}", self.status);
        if self.status == 429 || self.status >= 500 {
            SendError::Retry {
                after: self.retry_after,
                reason,
            }
        } else {
            SendError::Fatal(reason)
        }
    }
}

impl Default for HttpClient {
    fn default() -> Self {
        Self::new()
    }
}

impl HttpClient {
    pub fn new() -> Self {
        crate::tls::install_default_provider();
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        http.set_connect_timeout(Some(Duration::from_secs(10)));
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_webpki_roots()
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        let inner = Client::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .pool_idle_timeout(Duration::from_secs(60))
            .build(https);
        Self { inner }
    }

    /// Sends a request and reads the whole answer within `deadline`. `what`
    /// names the call in errors (e.g. `sendMessage`), never the URL.
    pub async fn call(
        &self,
        method: Method,
        url: &str,
        headers: &[(&str, &str)],
        json: Option<&serde_json::Value>,
        deadline: Duration,
        what: &str,
    ) -> Result<HttpReply, String> {
        let mut b = Request::builder().method(method).uri(url);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        let body = match json {
            Some(v) => {
                b = b.header("content-type", "application/json");
                Full::new(Bytes::from(v.to_string()))
            }
            None => Full::new(Bytes::new()),
        };
        let req = b
            .body(body)
            .map_err(|_| format!("{what}: invalid request (check the API base URL)"))?;
        let fut = async {
            let resp = self
                .inner
                .request(req)
                .await
                .map_err(|e| format!("{what}: {}", describe(&e)))?;
            let status = resp.status().as_u16();
            let retry_after = resp
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<f64>().ok())
                .filter(|s| s.is_finite() && *s >= 0.0)
                .map(Duration::from_secs_f64);
            let (parts, body) = resp.into_parts();
            let headers = parts.headers;
            let body = Limited::new(body, MAX_BODY)
                .collect()
                .await
                .map_err(|e| format!("{what}: reading the answer failed: {e}"))?
                .to_bytes();
            Ok(HttpReply {
                status,
                retry_after,
                headers,
                body,
            })
        };
        tokio::time::timeout(deadline, fut)
            .await
            .map_err(|_| format!("{what}: no answer within {}s", deadline.as_secs()))?
    }
}

/// The error and its causes ("client error (Connect): tcp connect error: …").
fn describe(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(c) = src {
        s.push_str(": ");
        s.push_str(&c.to_string());
        src = c.source();
    }
    s
}
