//! The credential proxy against a fake upstream on 127.0.0.1: credential swap,
//! OAuth mode, path prefix, streaming, 401/502, hop-by-hop headers, smuggling.

#[path = "support/fake_upstream.rs"]
mod fake_upstream;
#[path = "support/harness.rs"]
mod harness;

use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};

use aigo::proxy::{CredentialType, DEFAULT_PLACEHOLDER};
use bytes::Bytes;
use fake_upstream::FakeUpstream;
use harness::{Spec, api_key, contains};
use http_body_util::{BodyExt, Full};
use hyper::{Request, Response, body::Incoming};
use hyper_util::client::legacy::{Client, connect::HttpConnector};
use hyper_util::rt::TokioExecutor;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const LOCAL: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
const REAL: &str = "sk-ant-real-0123456789";
const STEP: Duration = Duration::from_secs(10);

fn client() -> Client<HttpConnector, Full<Bytes>> {
    Client::builder(TokioExecutor::new()).build_http()
}

async fn send(req: Request<Full<Bytes>>) -> Response<Incoming> {
    tokio::time::timeout(STEP, client().request(req))
        .await
        .expect("proxy answered in time")
        .expect("request went through")
}

async fn text(resp: Response<Incoming>) -> String {
    let b = resp.into_body().collect().await.expect("body").to_bytes();
    String::from_utf8_lossy(&b).into_owned()
}

/// Writes `raw` to the proxy on a fresh connection and reads until the proxy
/// closes it (within [`STEP`]).
async fn raw_exchange(addr: std::net::SocketAddr, raw: &[u8]) -> String {
    let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
    s.write_all(raw).await.expect("write");
    let mut out = Vec::new();
    tokio::time::timeout(STEP, s.read_to_end(&mut out))
        .await
        .expect("the proxy closes the connection")
        .expect("read");
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test]
async fn upstream_gets_the_real_key_and_the_prefixed_path() {
    let up = FakeUpstream::start().await;
    let (h, views) = harness::start(
        LOCAL,
        &[api_key("api", format!("{}/gw/v2/", up.url()), REAL)],
    )
    .await;
    let ph = &views[0].placeholder;
    let req = Request::post(format!("http://{}/v1/messages?beta=true", h.addr))
        .header("host", "host-gateway:3001")
        .header("x-api-key", ph)
        .header("content-type", "application/json")
        .header("connection", "keep-alive, x-hop")
        .header("x-hop", "drop me")
        .header("keep-alive", "timeout=5")
        .header("proxy-authorization", "Basic Zm9vOmJhcg==")
        .header("anthropic-version", "2023-06-01")
        .body(Full::new(Bytes::from_static(br#"{"model":"m"}"#)))
        .expect("request");
    let resp = send(req).await;
    assert_eq!(resp.status(), 200);
    let body = text(resp).await;
    assert!(body.contains(r#""path":"/gw/v2/v1/messages""#), "{body}");
    assert!(!body.contains(REAL));

    let seen = up.requests();
    assert_eq!(seen.len(), 1);
    let s = &seen[0];
    assert_eq!(s.method, "POST");
    assert_eq!(s.path_and_query, "/gw/v2/v1/messages?beta=true");
    assert_eq!(
        s.headers["x-api-key"], REAL,
        "the upstream sees the real key"
    );
    assert_eq!(s.headers["host"], up.addr.to_string().as_str());
    assert_eq!(s.headers["anthropic-version"], "2023-06-01");
    assert_eq!(&s.body[..], br#"{"model":"m"}"#);
    for hop in ["x-hop", "keep-alive", "proxy-authorization"] {
        assert!(!s.headers.contains_key(hop), "{hop} was forwarded");
    }
    assert!(
        s.headers.values().all(|v| !contains(v.as_bytes(), ph)),
        "placeholder forwarded"
    );

    let st = h.proxy.status();
    assert!(st.running);
    assert_eq!(
        (st.port, st.mapping_count, st.requests_served),
        (h.addr.port(), 1, 1)
    );
    assert_eq!(st.bind_address, "127.0.0.1");
    let json = serde_json::to_value(&st).expect("json");
    for k in [
        "running",
        "port",
        "bindAddress",
        "mappingCount",
        "requestsServed",
    ] {
        assert!(json.get(k).is_some(), "{k} missing from {json}");
    }
    h.shutdown.cancel();
    h.task.await.expect("join").expect("serve ended cleanly");
    assert!(!h.proxy.status().running);
}

#[tokio::test]
async fn default_placeholder_selects_the_default_mapping() {
    let up = FakeUpstream::start().await;
    let other = FakeUpstream::start().await;
    let (h, _) = harness::start(
        LOCAL,
        &[
            api_key("first", up.url(), REAL),
            api_key("second", other.url(), "sk-other"),
        ],
    )
    .await;
    let req = Request::get(format!("http://{}/v1/models", h.addr))
        .header("x-api-key", DEFAULT_PLACEHOLDER)
        .body(Full::default())
        .expect("request");
    assert_eq!(send(req).await.status(), 200);
    assert_eq!(up.requests()[0].headers["x-api-key"], REAL);
    assert!(other.requests().is_empty());
}

#[tokio::test]
async fn oauth_mode_sends_a_bearer_token() {
    let up = FakeUpstream::start().await;
    let spec = Spec {
        name: "oauth",
        upstream: up.url(),
        kind: CredentialType::OauthBearer,
        secret: "oauth-access-token-xyz",
    };
    let (h, views) = harness::start(LOCAL, &[spec]).await;
    let ph = &views[0].placeholder;
    for (name, value) in [
        ("authorization", format!("Bearer {ph}")),
        ("x-api-key", ph.clone()),
    ] {
        let req = Request::get(format!("http://{}/v1/messages", h.addr))
            .header(name, value)
            .body(Full::default())
            .expect("request");
        assert_eq!(send(req).await.status(), 200);
    }
    for s in up.requests() {
        assert_eq!(s.headers["authorization"], "Bearer oauth-access-token-xyz");
        assert!(!s.headers.contains_key("x-api-key"));
    }
}

#[tokio::test]
async fn sse_chunks_arrive_one_by_one() {
    let up = FakeUpstream::start().await;
    let (h, views) = harness::start(LOCAL, &[api_key("api", up.url(), REAL)]).await;
    let feed = up.sse();
    let req = Request::post(format!("http://{}/v1/sse", h.addr))
        .header("x-api-key", &views[0].placeholder)
        .body(Full::new(Bytes::from_static(b"{\"stream\":true}")))
        .expect("request");
    // Lockstep: the upstream sends chunk i+1 only after the client has read
    // chunk i through the proxy, so any buffering would stall this test.
    let first = Bytes::from_static(b"event: message_start\ndata: {}\n\n");
    feed.send(first.clone()).await.expect("feed");
    let resp = send(req).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "text/event-stream");
    let mut body = resp.into_body();
    let mut got = vec![];
    let mut gaps = vec![];
    let mut last = Instant::now();
    for i in 0..4 {
        if i > 0 {
            tokio::time::sleep(Duration::from_millis(150)).await;
            let chunk = Bytes::from(format!("event: delta\ndata: {{\"i\":{i}}}\n\n"));
            feed.send(chunk).await.expect("feed");
        }
        let frame = tokio::time::timeout(STEP, body.frame())
            .await
            .expect("chunk arrived without waiting for the rest of the stream")
            .expect("frame")
            .expect("no error");
        got.push(frame.into_data().expect("data"));
        gaps.push(last.elapsed());
        last = Instant::now();
    }
    drop(feed);
    let end = tokio::time::timeout(STEP, body.frame())
        .await
        .expect("end in time");
    assert!(end.is_none(), "stream ends when the upstream ends it");
    assert_eq!(got[0], first);
    assert_eq!(&got[3][..], b"event: delta\ndata: {\"i\":3}\n\n");
    eprintln!("gaps between chunks as received: {gaps:?}");
}

#[tokio::test]
async fn unknown_or_missing_placeholder_is_401() {
    let up = FakeUpstream::start().await;
    let (h, views) = harness::start(LOCAL, &[api_key("api", up.url(), REAL)]).await;
    let ph = &views[0].placeholder;
    let cases: Vec<Vec<(&str, String)>> = vec![
        vec![],
        vec![(
            "x-api-key",
            "aigo-ph-00000000000000000000000000000000".into(),
        )],
        vec![("x-api-key", format!("{ph}x"))],
        vec![("authorization", format!("Basic {ph}"))],
        vec![("x-api-key", REAL.into())],
    ];
    for headers in cases {
        let mut b = Request::get(format!("http://{}/v1/models", h.addr));
        for (k, v) in &headers {
            b = b.header(*k, v);
        }
        let resp = send(b.body(Full::default()).expect("request")).await;
        assert_eq!(resp.status(), 401, "{headers:?}");
        let body: serde_json::Value = serde_json::from_str(&text(resp).await).expect("json error");
        assert_eq!(body["error"], "unknown_placeholder");
    }
    assert!(up.requests().is_empty());
    assert_eq!(h.proxy.status().requests_served, 0);
}

#[tokio::test]
async fn unreachable_upstream_is_502_json_without_the_key() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = closed.local_addr().expect("addr").port();
    drop(closed);
    let (h, views) = harness::start(
        LOCAL,
        &[api_key("gone", format!("http://127.0.0.1:{port}"), REAL)],
    )
    .await;
    let req = Request::get(format!("http://{}/v1/models", h.addr))
        .header("x-api-key", &views[0].placeholder)
        .body(Full::default())
        .expect("request");
    let resp = send(req).await;
    assert_eq!(resp.status(), 502);
    assert_eq!(resp.headers()["content-type"], "application/json");
    let body = text(resp).await;
    assert!(!body.contains(REAL));
    let v: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(v["error"], "upstream_unreachable");
    assert!(
        v["message"].as_str().unwrap_or_default().contains("gone"),
        "{v}"
    );
}

#[tokio::test]
async fn a_silent_upstream_times_out_with_504() {
    let up = FakeUpstream::start().await;
    let opts = aigo::proxy::ProxyOptions {
        response_timeout: Duration::from_millis(300),
        ..harness::options()
    };
    let (h, views) = harness::start_with(LOCAL, &[api_key("slowpoke", up.url(), REAL)], opts).await;
    let req = Request::get(format!("http://{}/v1/hang", h.addr))
        .header("x-api-key", &views[0].placeholder)
        .body(Full::default())
        .expect("request");
    let resp = send(req).await;
    assert_eq!(resp.status(), 504);
    let body = text(resp).await;
    assert!(
        body.contains("upstream_timeout") && !body.contains(REAL),
        "{body}"
    );
}

#[tokio::test]
async fn an_echoed_credential_is_masked() {
    let up = FakeUpstream::start().await;
    let (h, views) = harness::start(LOCAL, &[api_key("api", up.url(), REAL)]).await;
    let req = Request::get(format!("http://{}/echo-key", h.addr))
        .header("x-api-key", &views[0].placeholder)
        .body(Full::default())
        .expect("request");
    let resp = send(req).await;
    assert_eq!(resp.status(), 200);
    let headers = format!("{:?}", resp.headers());
    let body = text(resp).await;
    assert!(
        !headers.contains(REAL) && !body.contains(REAL),
        "{headers} {body}"
    );
    assert!(body.contains(&"*".repeat(REAL.len())), "{body}");
}

/// Both Content-Length and Transfer-Encoding (either order), with a second
/// request hidden after the chunked terminator: refused (411, connection
/// closed), and neither request reaches the upstream.
#[tokio::test]
async fn request_smuggling_is_refused() {
    let up = FakeUpstream::start().await;
    let (h, views) = harness::start(LOCAL, &[api_key("api", up.url(), REAL)]).await;
    let ph = &views[0].placeholder;
    let smuggled = format!("GET /smuggled HTTP/1.1\r\nHost: x\r\nx-api-key: {ph}\r\n\r\n");
    for (first, second) in [
        ("Content-Length: 5", "Transfer-Encoding: chunked"),
        ("Transfer-Encoding: chunked", "Content-Length: 5"),
    ] {
        let raw = format!(
            "POST /v1/messages HTTP/1.1\r\nHost: x\r\nx-api-key: {ph}\r\n{first}\r\n{second}\r\n\r\n0\r\n\r\n{smuggled}"
        );
        let out = raw_exchange(h.addr, raw.as_bytes()).await;
        assert!(out.starts_with("HTTP/1.1 411"), "{first}/{second}: {out}");
        assert_eq!(out.matches("HTTP/1.1").count(), 1, "one answer only: {out}");
    }
    let seen = up.requests();
    assert!(seen.is_empty(), "upstream saw {seen:?}");

    // With chunked requests allowed, hyper's own RFC 9112 handling still
    // keeps the hidden request from ever being parsed: chunked wins, the
    // connection closes after one answer.
    let opts = aigo::proxy::ProxyOptions {
        allow_chunked_requests: true,
        ..harness::options()
    };
    let (h, views) = harness::start_with(LOCAL, &[api_key("api", up.url(), REAL)], opts).await;
    let ph = &views[0].placeholder;
    let raw = format!(
        "POST /v1/messages HTTP/1.1\r\nHost: x\r\nx-api-key: {ph}\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\nx-api-key: {ph}\r\n\r\n"
    );
    let out = raw_exchange(h.addr, raw.as_bytes()).await;
    assert_eq!(out.matches("HTTP/1.1").count(), 1, "one answer only: {out}");
    assert!(
        up.requests()
            .iter()
            .all(|r| !r.path_and_query.contains("smuggled"))
    );
}

#[tokio::test]
async fn chunked_request_bodies_are_refused_by_default() {
    let up = FakeUpstream::start().await;
    let (h, views) = harness::start(LOCAL, &[api_key("api", up.url(), REAL)]).await;
    let raw = format!(
        "POST /v1/messages HTTP/1.1\r\nHost: x\r\nx-api-key: {}\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{{}}\r\n0\r\n\r\n",
        views[0].placeholder
    );
    let out = raw_exchange(h.addr, raw.as_bytes()).await;
    assert!(out.starts_with("HTTP/1.1 411"), "{out}");
    assert!(out.contains("length_required"), "{out}");
    assert!(up.requests().is_empty());
}

#[tokio::test]
async fn reload_picks_up_new_mappings() {
    let up = FakeUpstream::start().await;
    let (h, _) = harness::start(LOCAL, &[]).await;
    assert_eq!(h.proxy.status().mapping_count, 0);
    let new = aigo::proxy::NewMapping {
        name: "late".into(),
        upstream_url: up.url(),
        credential_type: CredentialType::ApiKey,
        make_default: false,
    };
    let v = aigo::proxy::add_mapping(&h.state, &h.keystore, new, aigo::proxy::Secret::new(REAL))
        .expect("add");
    assert_eq!(h.proxy.reload().expect("reload"), 1);
    let req = Request::get(format!("http://{}/v1/models", h.addr))
        .header("x-api-key", &v.placeholder)
        .body(Full::default())
        .expect("request");
    assert_eq!(send(req).await.status(), 200);
    assert_eq!(up.requests()[0].headers["x-api-key"], REAL);
}

/// One kept-alive agent connection across a credential rotation and a move
/// of the mapping to another upstream: each request goes with the key and to
/// the upstream of the mappings as reloaded (the connection's upstream lane
/// follows the route, not the route it first saw).
#[tokio::test]
async fn a_kept_alive_connection_follows_rotations_and_upstream_changes() {
    use hyper::client::conn::http1;
    use hyper_util::rt::TokioIo;
    let up = FakeUpstream::start().await;
    let (h, views) = harness::start(LOCAL, &[api_key("api", up.url(), REAL)]).await;
    let tcp = tokio::net::TcpStream::connect(h.addr)
        .await
        .expect("connect");
    let (mut tx, conn) = http1::handshake(TokioIo::new(tcp))
        .await
        .expect("handshake");
    tokio::spawn(conn);
    let placeholder = views[0].placeholder.clone();
    let get = |path: &str| {
        Request::get(path)
            .header("host", "proxy")
            .header("x-api-key", &placeholder)
            .body(Full::<Bytes>::default())
            .expect("request")
    };
    let resp = tx.send_request(get("/one")).await.expect("first");
    assert_eq!(resp.status(), 200);
    text(resp).await;

    const ROTATED: &str = "sk-ant-rotated-9876543210";
    aigo::proxy::rotate_mapping(
        &h.state,
        &h.keystore,
        "api",
        Some(aigo::proxy::Secret::new(ROTATED)),
        false,
    )
    .expect("rotate");
    h.proxy.reload().expect("reload");
    let resp = tx.send_request(get("/two")).await.expect("second");
    assert_eq!(resp.status(), 200);
    text(resp).await;

    let other = FakeUpstream::start().await;
    let file = h.state.proxy();
    let toml = std::fs::read_to_string(&file).expect("proxy.toml");
    std::fs::write(&file, toml.replace(&up.url(), &other.url())).expect("repoint");
    h.proxy.reload().expect("reload");
    let resp = tx.send_request(get("/three")).await.expect("third");
    assert_eq!(resp.status(), 200);
    text(resp).await;

    let first = up.requests();
    assert_eq!(first.len(), 2, "the old upstream got the first two only");
    assert_eq!(first[0].headers["x-api-key"], REAL);
    assert_eq!(first[1].headers["x-api-key"], ROTATED);
    let second = other.requests();
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].path_and_query, "/three");
    assert_eq!(second[0].headers["x-api-key"], ROTATED);
}

/// The upstream echoes the key in two chunks, split in the middle: the
/// masker holds the first half back until the second arrives.
#[tokio::test]
async fn a_key_split_across_two_chunks_is_masked() {
    let up = FakeUpstream::start().await;
    let (h, views) = harness::start(LOCAL, &[api_key("api", up.url(), REAL)]).await;
    let req = Request::get(format!("http://{}/echo-split", h.addr))
        .header("x-api-key", &views[0].placeholder)
        .body(Full::default())
        .expect("request");
    let resp = send(req).await;
    assert_eq!(resp.status(), 200);
    let body = text(resp).await;
    let half = &REAL[..REAL.len() / 2];
    assert!(!body.contains(half), "{body}");
    assert_eq!(
        body,
        format!("{{\"youSent\":\"{}\"}}", "*".repeat(REAL.len()))
    );
}

/// An agent asking for gzip gets an uncompressed, masked answer (the proxy
/// asks upstream for identity); an upstream that compresses anyway is refused.
#[tokio::test]
async fn a_gzip_echo_never_carries_the_key() {
    let up = FakeUpstream::start().await;
    let (h, views) = harness::start(LOCAL, &[api_key("api", up.url(), REAL)]).await;
    let get = |path: &str| {
        Request::get(format!("http://{}{path}", h.addr))
            .header("x-api-key", &views[0].placeholder)
            .header("accept-encoding", "gzip, deflate, br")
            .body(Full::default())
            .expect("request")
    };
    let resp = send(get("/echo-gzip")).await;
    assert_eq!(resp.status(), 200);
    assert!(resp.headers().get("content-encoding").is_none());
    let body = text(resp).await;
    assert_eq!(
        body,
        format!("{{\"youSent\":\"{}\"}}", "*".repeat(REAL.len()))
    );
    assert_eq!(up.requests()[0].headers["accept-encoding"], "identity");

    let resp = send(get("/always-gzip")).await;
    assert_eq!(resp.status(), 502);
    let body = text(resp).await;
    assert!(
        body.contains("upstream_encoding") && !body.contains(REAL),
        "{body}"
    );
}

async fn status_and_code(resp: Response<Incoming>) -> (u16, String) {
    let status = resp.status().as_u16();
    let v: serde_json::Value = serde_json::from_str(&text(resp).await).unwrap_or_default();
    (status, v["error"].as_str().unwrap_or_default().to_string())
}

/// Only admitted callers are served: by address, or by a run token in the
/// path (stripped before forwarding); removal ends it; a run limited to one
/// mapping cannot use another.
#[tokio::test]
async fn only_admitted_callers_are_served() {
    let up = FakeUpstream::start().await;
    let other = FakeUpstream::start().await;
    let (h, views) = harness::start(
        LOCAL,
        &[
            api_key("first", up.url(), REAL),
            api_key("second", other.url(), "sk-other"),
        ],
    )
    .await;
    let callers = h.proxy.callers().clone();
    let req = |path: &str, ph: &str| {
        Request::get(format!("http://{}{path}", h.addr))
            .header("x-api-key", ph)
            .body(Full::default())
            .expect("request")
    };
    assert_eq!(
        send(req("/v1/models", DEFAULT_PLACEHOLDER)).await.status(),
        200
    );

    callers.remove(harness::LOOPBACK_RUN);
    assert_eq!(
        status_and_code(send(req("/v1/models", DEFAULT_PLACEHOLDER)).await).await,
        (403, "unknown_caller".into()),
        "a host process with the placeholder is refused"
    );

    let (token, id) = callers.admit_token("run-7", Some("first")).expect("token");
    assert_eq!(serde_json::to_value(&id).expect("json")["by"], "token");
    let base = token.base_url(&format!("http://{}", h.addr));
    let path = base
        .split_once(&h.addr.to_string())
        .expect("base")
        .1
        .to_string();
    let resp = send(req(
        &format!("{path}/v1/messages?beta=1"),
        DEFAULT_PLACEHOLDER,
    ))
    .await;
    assert_eq!(resp.status(), 200);
    let seen = up.requests();
    assert_eq!(
        seen.last().expect("seen").path_and_query,
        "/v1/messages?beta=1"
    );
    assert_eq!(
        status_and_code(send(req(&format!("{path}/v1/models"), &views[1].placeholder)).await).await,
        (403, "mapping_not_allowed".into())
    );
    assert_eq!(
        status_and_code(send(req("/aigo-run/0000/v1/models", DEFAULT_PLACEHOLDER)).await).await,
        (403, "unknown_run_token".into())
    );
    callers.remove("run-7");
    assert_eq!(
        status_and_code(send(req(&format!("{path}/v1/models"), DEFAULT_PLACEHOLDER)).await).await,
        (403, "unknown_run_token".into())
    );
    assert!(other.requests().is_empty());
    assert_eq!(up.requests().len(), 2);

    // A connection opened before admission is served once its address is admitted.
    let mut s = tokio::net::TcpStream::connect(h.addr)
        .await
        .expect("connect");
    let raw =
        format!("GET /v1/models HTTP/1.1\r\nHost: x\r\nx-api-key: {DEFAULT_PLACEHOLDER}\r\n\r\n");
    s.write_all(raw.as_bytes()).await.expect("write");
    let mut buf = vec![0u8; 4096];
    let n = tokio::time::timeout(STEP, s.read(&mut buf))
        .await
        .expect("answer")
        .expect("read");
    assert!(
        buf[..n].starts_with(b"HTTP/1.1 403"),
        "{}",
        String::from_utf8_lossy(&buf[..n])
    );
    let id = callers.admit(LOCAL, "run-8", None);
    assert_eq!(
        serde_json::to_value(&id).expect("json"),
        serde_json::json!({"by": "address", "address": "127.0.0.1"})
    );
    let mut got = Vec::new();
    let mut rest = buf[..n].to_vec();
    // Drain the rest of the 403 body, if it came separately.
    while !contains(&rest, "}") {
        let n = s.read(&mut buf).await.expect("read");
        rest.extend_from_slice(&buf[..n]);
    }
    s.write_all(raw.as_bytes()).await.expect("write");
    while !contains(&got, "}") {
        let n = tokio::time::timeout(STEP, s.read(&mut buf))
            .await
            .expect("answer")
            .expect("read");
        assert!(n > 0, "closed");
        got.extend_from_slice(&buf[..n]);
    }
    assert!(
        got.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&got)
    );
}

/// A caller nobody admitted here is looked up through the resolver (the
/// daemon asks the engine) once per connection: found, it is served; not
/// found, it is refused on that connection without asking again; a new
/// connection is asked about afresh, so a run that just took a stranger's
/// address is served at once and nothing is admitted for later connections.
#[tokio::test]
async fn unknown_addresses_are_resolved_per_connection() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let up = FakeUpstream::start().await;
    let asked = std::sync::Arc::new(AtomicUsize::new(0));
    let known = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (a, k) = (asked.clone(), known.clone());
    let callers = aigo::proxy::Callers::with_resolver(std::sync::Arc::new(move |_ip| {
        a.fetch_add(1, Ordering::SeqCst);
        let found = k.load(Ordering::SeqCst);
        Box::pin(async move { found.then(|| aigo::proxy::Caller::new("run-cli", None)) })
    }));
    let (h, _) = harness::start_with_callers(
        LOCAL,
        &[api_key("api", up.url(), REAL)],
        harness::options(),
        std::sync::Arc::new(callers),
    )
    .await;
    h.proxy.callers().remove(harness::LOOPBACK_RUN);
    let req = || {
        Request::get(format!("http://{}/v1/models", h.addr))
            .header("x-api-key", DEFAULT_PLACEHOLDER)
            .body(Full::default())
            .expect("request")
    };
    // One keep-alive connection (the pooled client reuses it).
    let stranger = client();
    for _ in 0..5 {
        let r = tokio::time::timeout(STEP, stranger.request(req()))
            .await
            .expect("answered")
            .expect("sent");
        assert_eq!(r.status(), 403);
        let _ = text(r).await;
    }
    assert_eq!(
        asked.load(Ordering::SeqCst),
        1,
        "a stranger is not looked up per request"
    );
    // The address now belongs to a run another process started: a new
    // connection is served at once, with no waiting out a cached refusal.
    known.store(true, Ordering::SeqCst);
    let run = client();
    for _ in 0..2 {
        let r = tokio::time::timeout(STEP, run.request(req()))
            .await
            .expect("answered")
            .expect("sent");
        assert_eq!(r.status(), 200);
        let _ = text(r).await;
    }
    assert_eq!(asked.load(Ordering::SeqCst), 2);
    // Nothing was admitted for other connections: when the run ends and a
    // stranger takes its address, the stranger is asked about, and refused.
    assert!(h.proxy.callers().by_address(LOCAL).is_none());
    known.store(false, Ordering::SeqCst);
    assert_eq!(send(req()).await.status(), 403);
    assert_eq!(asked.load(Ordering::SeqCst), 3);
}

/// An upstream that answers each request with the bytes `answer` gives for
/// (connection number, request head) (none: no answer), closing the
/// connection when it says so;
/// it reports on `closed` each connection it closed.
struct RawUpstream {
    addr: std::net::SocketAddr,
    closed: tokio::sync::mpsc::UnboundedReceiver<usize>,
}

type Answer = fn(usize, &str) -> (Vec<u8>, bool);

async fn raw_upstream(answer: Answer) -> RawUpstream {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = l.local_addr().expect("addr");
    let (tx, closed) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        for n in 0.. {
            let Ok((mut s, _)) = l.accept().await else {
                return;
            };
            let tx = tx.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                loop {
                    let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
                        let mut chunk = [0u8; 4096];
                        match s.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(k) => buf.extend_from_slice(&chunk[..k]),
                        }
                        continue;
                    };
                    let head = String::from_utf8_lossy(&buf[..end]).into_owned();
                    buf.drain(..end + 4);
                    let (bytes, close) = answer(n, &head);
                    if !bytes.is_empty() {
                        s.write_all(&bytes).await.expect("answer");
                    }
                    if close {
                        drop(s);
                        let _ = tx.send(n);
                        return;
                    }
                }
            });
        }
    });
    RawUpstream { addr, closed }
}

/// The proxy in front of `upstream` (one mapping, plain HTTP), and the
/// mapping's placeholder.
async fn proxy_before(
    upstream: std::net::SocketAddr,
    opts: aigo::proxy::ProxyOptions,
) -> (harness::Harness, String) {
    let spec = api_key("api", format!("http://{upstream}"), REAL);
    let (h, views) = harness::start_with(LOCAL, &[spec], opts).await;
    (h, views[0].placeholder.clone())
}

/// A kept-alive agent connection to the proxy (hyper's own client, strict
/// about framing).
async fn agent_conn(
    addr: std::net::SocketAddr,
) -> hyper::client::conn::http1::SendRequest<Full<Bytes>> {
    let tcp = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let (tx, conn) = hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(tcp))
        .await
        .expect("handshake");
    tokio::spawn(conn);
    tx
}

async fn ask(
    tx: &mut hyper::client::conn::http1::SendRequest<Full<Bytes>>,
    method: &str,
    path: &str,
    key: &str,
) -> Response<Incoming> {
    let req = Request::builder()
        .method(method)
        .uri(path)
        .header("host", "proxy")
        .header("x-api-key", key)
        .body(Full::default())
        .expect("request");
    tokio::time::timeout(STEP, tx.send_request(req))
        .await
        .expect("in time")
        .expect("answered")
}

/// Every way RFC 9112 delimits an answer reaches the agent whole, over one
/// kept-alive agent connection, and the upstream connection is kept exactly
/// while the upstream keeps it (a close-delimited answer ends it).
#[tokio::test]
async fn answers_of_every_framing_reach_the_agent_whole() {
    let up = raw_upstream(|n, head| {
        let path = head.split(' ').nth(1).unwrap_or("").to_string();
        let a: &[u8] = match path.as_str() {
            "/chunked" => b"HTTP/1.1 200 OK\r\ncontent-length: 99\r\ntransfer-encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n6\r\n world\r\n0\r\nx-trailer: t\r\n\r\n",
            "/continue" => b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok",
            "/head" => b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n",
            "/none" => b"HTTP/1.1 204 No Content\r\n\r\n",
            "/close" => b"HTTP/1.1 200 OK\r\n\r\nuntil the upstream closes",
            _ => return (format!("HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nlast{n}").into_bytes(), false),
        };
        (a.to_vec(), path == "/close")
    })
    .await;
    let (h, key) = proxy_before(up.addr, harness::options()).await;
    let key = &key;
    let mut tx = agent_conn(h.addr).await;

    let r = ask(&mut tx, "GET", "/chunked", key).await;
    assert_eq!(r.status(), 200);
    assert!(
        !r.headers().contains_key("content-length"),
        "TE wins over CL"
    );
    assert_eq!(text(r).await, "hello world");
    let r = ask(&mut tx, "GET", "/continue", key).await;
    assert_eq!((r.status().as_u16(), text(r).await.as_str()), (200, "ok"));
    let r = ask(&mut tx, "HEAD", "/head", key).await;
    assert_eq!(r.headers()["content-length"], "5");
    assert_eq!(text(r).await, "");
    let r = ask(&mut tx, "GET", "/none", key).await;
    assert_eq!((r.status().as_u16(), text(r).await.as_str()), (204, ""));
    let r = ask(&mut tx, "GET", "/close", key).await;
    assert_eq!(text(r).await, "until the upstream closes");
    let r = ask(&mut tx, "GET", "/last", key).await;
    assert_eq!(text(r).await, "last1", "on a second upstream connection");

    let mut up = up;
    assert_eq!(
        up.closed.try_recv().ok(),
        Some(0),
        "five answers on the first upstream connection, which the close-delimited one ended"
    );
    assert_eq!(h.proxy.status().requests_served, 6);
}

/// An upstream that closes a kept-alive connection while it is idle: the
/// next request goes on a fresh connection instead of failing.
#[tokio::test]
async fn an_idle_connection_the_upstream_closed_is_not_reused() {
    let mut up = raw_upstream(|n, _| {
        (
            format!("HTTP/1.1 200 OK\r\ncontent-length: 1\r\n\r\n{n}").into_bytes(),
            n == 0,
        )
    })
    .await;
    let (h, key) = proxy_before(up.addr, harness::options()).await;
    let key = &key;
    let mut tx = agent_conn(h.addr).await;
    assert_eq!(text(ask(&mut tx, "GET", "/a", key).await).await, "0");
    assert_eq!(up.closed.recv().await, Some(0));
    let r = ask(&mut tx, "GET", "/b", key).await;
    assert_eq!(r.status(), 200);
    assert_eq!(text(r).await, "1", "answered on a second connection");
}

/// Answers the proxy cannot pass on faithfully: a malformed head or
/// conflicting lengths are a 502 saying so; a body cut short is cut short
/// for the agent too (its client sees an error, not a shorter success).
#[tokio::test]
async fn malformed_or_truncated_answers_fail_closed() {
    let up = raw_upstream(|_, head| {
        let a: &[u8] = match head.split(' ').nth(1).unwrap_or("") {
            "/garbage" => b"HTTP/1.1 200 OK\r\nbad header line\r\n\r\n",
            "/lengths" => b"HTTP/1.1 200 OK\r\ncontent-length: 3\r\ncontent-length: 4\r\n\r\nabcd",
            "/chunks" => b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n",
            _ => b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc",
        };
        (a.to_vec(), true)
    })
    .await;
    let (h, key) = proxy_before(up.addr, harness::options()).await;
    let key = &key;
    for path in ["/garbage", "/lengths"] {
        let mut tx = agent_conn(h.addr).await;
        let r = ask(&mut tx, "GET", path, key).await;
        let (status, code) = status_and_code(r).await;
        assert_eq!(
            (status, code.as_str()),
            (502, "upstream_protocol"),
            "{path}"
        );
    }
    for path in ["/short", "/chunks"] {
        let mut tx = agent_conn(h.addr).await;
        let req = Request::get(path)
            .header("host", "proxy")
            .header("x-api-key", key)
            .body(Full::default())
            .expect("request");
        // The head may or may not have left the proxy before the cut.
        let got = tokio::time::timeout(STEP, async {
            tx.send_request(req).await?.into_body().collect().await
        })
        .await
        .expect("in time");
        assert!(got.is_err(), "{path}: the agent sees the cut");
    }
}

/// Request bodies reach the upstream byte for byte: a large one (written in
/// several pieces after the head) and, where allowed, a chunked one.
#[tokio::test]
async fn request_bodies_reach_the_upstream_whole() {
    let up = FakeUpstream::start().await;
    let opts = aigo::proxy::ProxyOptions {
        allow_chunked_requests: true,
        ..harness::options()
    };
    let (h, views) = harness::start_with(LOCAL, &[api_key("api", up.url(), REAL)], opts).await;
    let key = &views[0].placeholder;
    let big: Vec<u8> = (0..1_048_576u32).map(|i| (i % 251) as u8).collect();
    let req = Request::post(format!("http://{}/v1/messages", h.addr))
        .header("x-api-key", key)
        .body(Full::new(Bytes::from(big.clone())))
        .expect("request");
    assert_eq!(send(req).await.status(), 200);

    let raw = format!(
        "POST /v1/chunked HTTP/1.1\r\nHost: x\r\nx-api-key: {key}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n"
    );
    let out = raw_exchange(h.addr, raw.as_bytes()).await;
    assert!(out.starts_with("HTTP/1.1 200"), "{out}");

    let seen = up.requests();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].body.len(), big.len());
    assert!(seen[0].body[..] == big[..], "the large body arrived intact");
    assert_eq!(&seen[1].body[..], b"abcdefg");
    assert_eq!(seen[1].headers["transfer-encoding"], "chunked");
}

/// The connection's deadlines: an agent that sends half a request head and
/// stalls, or keeps a connection idle after its answer, is dropped after the
/// header timeout; one whose upstream is slower than the response timeout
/// gets a 504, and the connection then serves the next request.
#[tokio::test]
async fn slow_or_idle_agents_are_dropped_and_slow_upstreams_time_out() {
    let up = raw_upstream(|_, head| {
        if head.contains("/slow") {
            return (Vec::new(), false); // never answered
        }
        (
            b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok".to_vec(),
            false,
        )
    })
    .await;
    let opts = aigo::proxy::ProxyOptions {
        header_read_timeout: Duration::from_millis(300),
        response_timeout: Duration::from_millis(300),
        ..harness::options()
    };
    let (h, key) = proxy_before(up.addr, opts).await;
    let key = &key;

    // Closed, unanswered, for want of the rest of the head.
    let out = raw_exchange(h.addr, b"GET /v1/models HTTP/1.1\r\nHost: x\r\nx-api-").await;
    assert!(out.is_empty(), "no answer to half a head: {out:?}");
    // Answered, then closed once idle too long.
    let req = format!("GET /v1/models HTTP/1.1\r\nHost: x\r\nx-api-key: {key}\r\n\r\n");
    let out = raw_exchange(h.addr, req.as_bytes()).await;
    assert!(
        out.starts_with("HTTP/1.1 200") && out.ends_with("ok"),
        "{out}"
    );

    let mut tx = agent_conn(h.addr).await;
    let (status, code) = status_and_code(ask(&mut tx, "GET", "/slow", key).await).await;
    assert_eq!((status, code.as_str()), (504, "upstream_timeout"));
    let r = ask(&mut tx, "GET", "/fast", key).await;
    assert_eq!((r.status().as_u16(), text(r).await.as_str()), (200, "ok"));
}

/// An upstream that answers before reading a large body (a 413) and then
/// reads nothing more: the agent gets that answer while its body is still
/// unfinished, not a 504 (or a body timeout) long after.
#[tokio::test]
async fn an_answer_before_the_body_is_read_reaches_the_agent() {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = l.local_addr().expect("addr");
    tokio::spawn(async move {
        let (mut s, _) = l.accept().await.expect("accept");
        let mut buf = Vec::new();
        while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
            let mut chunk = [0u8; 1024];
            let k = s.read(&mut chunk).await.expect("read");
            assert!(k > 0);
            buf.extend_from_slice(&chunk[..k]);
        }
        let answer = b"HTTP/1.1 413 Payload Too Large\r\ncontent-length: 8\r\n\r\ntoo big!";
        s.write_all(answer).await.expect("answer");
        // Holds the connection open, reading nothing more.
        std::future::pending::<()>().await;
        drop(s);
    });
    let (h, key) = proxy_before(addr, harness::options()).await;
    // An agent that has sent the head and the start of a 32 MiB body.
    let mut agent = tokio::net::TcpStream::connect(h.addr)
        .await
        .expect("connect");
    let head = format!(
        "POST /v1/messages HTTP/1.1\r\nHost: x\r\nx-api-key: {key}\r\nContent-Length: {}\r\n\r\n",
        32 << 20
    );
    agent.write_all(head.as_bytes()).await.expect("head");
    agent.write_all(&[b'x'; 4096]).await.expect("some body");
    let mut out = Vec::new();
    let answered = tokio::time::timeout(STEP, async {
        while !String::from_utf8_lossy(&out).ends_with("too big!") {
            let mut chunk = [0u8; 4096];
            match agent.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(k) => out.extend_from_slice(&chunk[..k]),
            }
        }
    })
    .await;
    let out = String::from_utf8_lossy(&out);
    assert!(
        answered.is_ok(),
        "no answer while the body was unfinished: {out:?}"
    );
    assert!(out.starts_with("HTTP/1.1 413"), "{out}");
    assert!(out.ends_with("too big!"), "{out}");
}
