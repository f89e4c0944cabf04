//! Helpers shared by the integration tests.
#![allow(dead_code)]
#![allow(clippy::unwrap_used)]

use std::path::Path;

/// The real `aigo` binary with its state in `home`.
pub fn aigo(home: &Path) -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("aigo").expect("aigo binary");
    c.env("AIGO_HOME", home)
        .env_remove("AIGO_LOG")
        .env_remove("DOCKER_HOST");
    c
}

/// Whether Docker answers here. Without one, tests that need it skip with a
/// message, unless `AIGO_REQUIRE_DOCKER=1` (CI), where they fail instead.
pub fn docker_or_skip(test: &str) -> bool {
    let up = std::process::Command::new("docker")
        .args(["version", "--format", "{{.Server.Version}}"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if up {
        return true;
    }
    if std::env::var("AIGO_REQUIRE_DOCKER").as_deref() == Ok("1") {
        panic!("{test}: AIGO_REQUIRE_DOCKER=1 but no Docker engine answers");
    }
    eprintln!(
        "SKIP {test}: no Docker engine reachable (set AIGO_REQUIRE_DOCKER=1 to make this a failure)"
    );
    false
}

pub fn json(out: &[u8]) -> serde_json::Value {
    serde_json::from_slice(out)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(out)))
}

/// A raw HTTP/1.1 response.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl Resp {
    pub fn json(&self) -> serde_json::Value {
        json(self.body.as_bytes())
    }
}

/// Sends one request over a fresh connection (`Connection: close`) and reads the
/// whole answer. Raw on purpose: tests need foreign Host headers, huge bodies and
/// malformed framing that friendly clients refuse to send.
pub fn http_raw(addr: std::net::SocketAddr, request: &[u8]) -> Resp {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    // The server may answer (413) and close before reading everything we send.
    let _ = s.write_all(request);
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    parse(&buf)
}

pub fn parse(buf: &[u8]) -> Resp {
    let text = String::from_utf8_lossy(buf).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(body)
    } else {
        body.to_string()
    };
    Resp {
        status,
        head: head.to_string(),
        body,
    }
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.push_str(&rest[..n]);
        s = &rest[n + 2..];
    }
    out
}

/// `METHOD path` with a JSON body (or none), Host `localhost`.
pub fn http(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    body: Option<&str>,
    extra_headers: &[(&str, &str)],
) -> Resp {
    let mut req = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    if !extra_headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("host"))
    {
        req.push_str(&format!("Host: localhost:{}\r\n", addr.port()));
    }
    for (k, v) in extra_headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    if let Some(b) = body {
        if !extra_headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        {
            req.push_str("Content-Type: application/json\r\n");
        }
        req.push_str(&format!("Content-Length: {}\r\n\r\n{b}", b.len()));
    } else {
        req.push_str("\r\n");
    }
    http_raw(addr, req.as_bytes())
}

/// An agents' network for one test: a name no other test or test process
/// uses (runs create the network and load its nftables fence on first use).
/// Dropping it, also when the test panics, removes the containers still on
/// it, the network and its fence table, so nothing outlives the test.
pub struct TestNetwork {
    pub name: String,
    /// `DOCKER_HOST` of the engine it lives on (`None`: the default one).
    docker_host: Option<String>,
}

impl TestNetwork {
    pub fn new(tag: &str) -> Self {
        Self::on(tag, None)
    }

    pub fn on(tag: &str, docker_host: Option<String>) -> Self {
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Self {
            name: format!("aigo-test-{tag}-{}-{n}", std::process::id()),
            docker_host,
        }
    }

    /// `[network]` for config.toml: this network, egress `proxy-only`.
    pub fn config(&self) -> String {
        format!("[network]\nname = \"{}\"\n", self.name)
    }

    fn docker(&self, args: &[&str]) -> Option<std::process::Output> {
        let mut c = std::process::Command::new("docker");
        if let Some(h) = &self.docker_host {
            c.env("DOCKER_HOST", h);
        }
        c.args(args).output().ok()
    }
}

impl Drop for TestNetwork {
    fn drop(&mut self) {
        // By id: racing creates can leave two networks of one name (then
        // removing by name fails as ambiguous).
        let Some(ls) = self.docker(&["network", "ls", "--format", "{{.ID}} {{.Name}}"]) else {
            return;
        };
        let ids: Vec<String> = String::from_utf8_lossy(&ls.stdout)
            .lines()
            .filter_map(|l| l.split_once(' '))
            .filter(|(_, name)| *name == self.name)
            .map(|(id, _)| id.to_string())
            .collect();
        if ids.is_empty() {
            return;
        }
        for id in &ids {
            let filter = format!("network={id}");
            if let Some(ps) = self.docker(&["ps", "-aq", "--filter", &filter]) {
                for c in String::from_utf8_lossy(&ps.stdout).split_whitespace() {
                    self.docker(&["rm", "-f", c]);
                }
            }
            self.docker(&["network", "rm", id]);
        }
        let _ = std::process::Command::new("nft")
            .args(["delete", "table", "inet"])
            .arg(aigo::network::fence_table(&self.name))
            .output();
    }
}

/// A daemon running in-process on an ephemeral port, on its own runtime.
pub struct TestDaemon {
    pub addr: std::net::SocketAddr,
    pub state: aigo::state::StateDir,
    pub home: tempfile::TempDir,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    handle: Option<tokio::task::JoinHandle<Result<(), aigo::daemon::DaemonError>>>,
    rt: tokio::runtime::Runtime,
    /// The agents' network of this daemon's runs, removed after the daemon stops.
    pub network: Option<TestNetwork>,
}

impl TestDaemon {
    pub fn start(options: aigo::daemon::DaemonOptions) -> Self {
        let home = tempfile::tempdir().unwrap();
        Self::start_in(home, options)
    }

    /// [`TestDaemon::start_in`] with its runs on a [`TestNetwork`] of their
    /// own: its `[network]` section is appended to `home`'s config.toml.
    pub fn start_with_network(
        home: tempfile::TempDir,
        options: aigo::daemon::DaemonOptions,
        tag: &str,
    ) -> Self {
        let net = TestNetwork::new(tag);
        let config = aigo::state::StateDir::at(home.path()).config();
        let mut text = std::fs::read_to_string(&config).unwrap_or_default();
        text.push_str(&net.config());
        std::fs::write(&config, text).unwrap();
        let mut d = Self::start_in(home, options);
        d.network = Some(net);
        d
    }

    /// Replaces config.toml with `toml`, keeping the daemon's test network.
    pub fn write_config(&self, toml: &str) {
        let net = self.network.as_ref().map(TestNetwork::config);
        std::fs::write(
            self.state.config(),
            format!("{toml}{}", net.unwrap_or_default()),
        )
        .unwrap();
    }

    /// Starts a daemon on `home`. Unless its config.toml names a `[network]`,
    /// its agents' network is a [`TestNetwork`] of its own (the daemon creates
    /// and fences the network at start; the machine's `aigo-agents` is not
    /// the tests' to create).
    pub fn start_in(home: tempfile::TempDir, options: aigo::daemon::DaemonOptions) -> Self {
        let config = aigo::state::StateDir::at(home.path()).config();
        let text = std::fs::read_to_string(&config).unwrap_or_default();
        if text.contains("[network]") {
            return Self::start_as_configured(home, options);
        }
        let net = TestNetwork::new("daemon");
        std::fs::write(&config, format!("{text}{}", net.config())).unwrap();
        let mut d = Self::start_as_configured(home, options);
        d.network = Some(net);
        d
    }

    fn start_as_configured(home: tempfile::TempDir, options: aigo::daemon::DaemonOptions) -> Self {
        let state = aigo::state::StateDir::at(home.path());
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let api = rt
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let addr = api.local_addr().unwrap();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let proxy = rt
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let listeners = aigo::daemon::Listeners {
            api,
            proxy: aigo::daemon::ProxyListener::Bound(proxy),
        };
        let handle = rt.spawn(aigo::daemon::run(
            state.clone(),
            listeners,
            options,
            async move {
                let _ = rx.await;
            },
        ));
        Self {
            addr,
            state,
            home,
            stop: Some(tx),
            handle: Some(handle),
            rt,
            network: None,
        }
    }

    /// Stops the daemon and returns what `run` returned.
    pub fn stop(&mut self) -> Result<(), aigo::daemon::DaemonError> {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        match self.handle.take() {
            Some(h) => self.rt.block_on(h).unwrap(),
            None => Ok(()),
        }
    }

    pub fn get(&self, path: &str) -> Resp {
        http(self.addr, "GET", path, None, &[])
    }
}

impl Drop for TestDaemon {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

/// Builds `tag` from `FROM scratch` + the host's static busybox (no registry),
/// with `files` added at `/` and `tail` appended to the Dockerfile.
pub fn busybox_image(tag: &str, files: &[(&str, &str)], tail: &str) {
    // Tests run in parallel threads; two `docker build -t` of one tag at once race
    // in the engine. Build each tag once per test process.
    static BUILT: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    let mut built = BUILT.lock().unwrap_or_else(|p| p.into_inner());
    if built.iter().any(|t| t == tag) {
        return;
    }
    let busybox = std::path::Path::new("/bin/busybox");
    assert!(
        busybox.exists(),
        "/bin/busybox missing: apt-get install -y busybox-static"
    );
    let ctx = tempfile::tempdir().unwrap();
    std::fs::copy(busybox, ctx.path().join("busybox")).unwrap();
    let mut df = String::from(
        "FROM scratch\nCOPY busybox /bin/busybox\nRUN [\"/bin/busybox\", \"--install\", \"-s\", \"/bin\"]\n",
    );
    for (name, content) in files {
        std::fs::write(ctx.path().join(name), content).unwrap();
        df.push_str(&format!("COPY {name} /{name}\n"));
    }
    df.push_str(tail);
    std::fs::write(ctx.path().join("Dockerfile"), df).unwrap();
    let out = std::process::Command::new("docker")
        .args(["build", "-q", "-t", tag])
        .arg(ctx.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "docker build {tag}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    built.push(tag.to_string());
}

/// A stand-in agent for the IPC contract: answers each input message with
/// "echo: TEXT" to $REPLY_JID (default $AIGO_CHAT_JID), exits 0 on `_close`.
pub const ECHO_AGENT: &str = r#"#!/bin/sh
jid="${REPLY_JID:-$AIGO_CHAT_JID}"
n=0
while :; do
  for f in /workspace/ipc/input/*.json; do
    [ -e "$f" ] || continue
    text=$(sed -n 's/.*"text":"\([^"]*\)".*/\1/p' "$f")
    rm -f "$f"
    n=$((n+1))
    printf '{"type":"message","chatJid":"%s","text":"echo: %s"}' "$jid" "$text" > "/workspace/ipc/messages/r$n.json.tmp"
    mv "/workspace/ipc/messages/r$n.json.tmp" "/workspace/ipc/messages/r$n.json"
    echo "answered: $text"
  done
  if [ -e /workspace/ipc/input/_close ]; then echo closing; exit 0; fi
  sleep 0.1
done
"#;

/// Waits (bounded) for something another process or task does: a readiness
/// check, not a timing assertion; the bound is generous for a loaded machine.
pub fn wait_for(what: &str, secs: u64, mut f: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
    while !f() {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// A stand-in for the in-container Node runner that speaks the IPC contract:
/// a `started` event, then for each input message a reply in `messages/`
/// (`chatJid` null without `AIGO_CHAT_JID`) and a `turn` event with the reply
/// as `result`; `_close` ends it (exit 0) once pending input is answered.
/// A message containing "fail" gets an error turn; "silent" gets no answer,
/// while the runner keeps touching files of its own (which must not count as
/// activity). It resumes `AIGO_RESUME_SESSION` (reporting it as its session
/// id) and leaves a note in `CLAUDE_CONFIG_DIR`, logging what it found there.
pub const CONTRACT_RUNNER: &str = r#"#!/bin/sh
ipc="${AIGO_IPC_DIR:-/workspace/ipc}"
n=0
m=0
ts() { date -u +%Y-%m-%dT%H:%M:%SZ; }
ev() {
  n=$((n+1))
  name="$(date +%s)000-$(printf %05d $n).json"
  printf '%s' "$1" > "$ipc/events/$name.tmp" && mv "$ipc/events/$name.tmp" "$ipc/events/$name"
}
if [ -n "$AIGO_CHAT_JID" ]; then jid="\"$AIGO_CHAT_JID\""; else jid=null; fi
sid="${AIGO_RESUME_SESSION:-claude-$AIGO_SESSION}"
echo "runner up: group=$AIGO_GROUP jid=${AIGO_CHAT_JID:-none} tz=$TZ resume=${AIGO_RESUME_SESSION:-none}"
if [ -n "$CLAUDE_CONFIG_DIR" ]; then
  echo "state dir holds: $(cat "$CLAUDE_CONFIG_DIR/seen" 2>/dev/null | tr '\n' ' ')"
  echo "$AIGO_GROUP/$AIGO_SESSION" >> "$CLAUDE_CONFIG_DIR/seen"
fi
ev "{\"type\":\"started\",\"ts\":\"$(ts)\"}"
answer() {
  for f in "$ipc"/input/*.json; do
    [ -e "$f" ] || continue
    text=$(sed -n 's/.*"text":"\([^"]*\)".*/\1/p' "$f")
    rm -f "$f"
    case "$text" in
      *silent*)
        echo "staying silent"
        while :; do echo beat > "$ipc/events/beat.tmp"; echo beat > "$ipc/.beat"; sleep 0.2; done &
        continue ;;
      *fail*)
        ev "{\"type\":\"turn\",\"status\":\"error\",\"sessionId\":\"$sid\",\"durationMs\":3,\"costUsd\":null,\"result\":null,\"error\":\"the agent could not: $text\",\"ts\":\"$(ts)\"}"
        continue ;;
    esac
    m=$((m+1))
    printf '{"type":"message","chatJid":%s,"text":"echo: %s"}' "$jid" "$text" > "$ipc/messages/r$m.json.tmp"
    mv "$ipc/messages/r$m.json.tmp" "$ipc/messages/r$m.json"
    ev "{\"type\":\"turn\",\"status\":\"success\",\"sessionId\":\"$sid\",\"durationMs\":3,\"costUsd\":0.001,\"result\":\"echo: $text\",\"error\":null,\"ts\":\"$(ts)\"}"
    echo "answered: $text"
  done
}
while :; do
  answer
  if [ -e "$ipc/input/_close" ]; then
    answer
    rm -f "$ipc/input/_close"
    echo closing
    exit 0
  fi
  sleep 0.05
done
"#;

/// Builds `tag` with [`CONTRACT_RUNNER`] as its entrypoint.
pub fn contract_runner_image(tag: &str) {
    busybox_image(
        tag,
        &[("runner.sh", CONTRACT_RUNNER)],
        "ENTRYPOINT [\"/bin/sh\", \"/runner.sh\"]\n",
    );
}
