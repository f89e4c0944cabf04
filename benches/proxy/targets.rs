//! What the benchmark runs: the upstream (nginx `return 200` when nginx is
//! installed, else a hyper server on its own thread here), nginx as a reverse
//! proxy setting `x-api-key`, and `aigo proxy start` as its own process, all
//! on loopback. Every process is killed when its handle drops.

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const REAL: &str = "sk-bench-real-key-0123456789";

/// A process (or, for the built-in upstream, a thread) whose CPU time we read.
pub struct Target {
    pub addr: SocketAddr,
    child: Option<Child>,
    cpu: CpuOf,
}

enum CpuOf {
    /// A process and its children (nginx's workers).
    Tree(u32),
    /// A thread of this process, by name.
    Thread(&'static str),
}

impl Target {
    /// CPU seconds used so far (user + system).
    pub fn cpu_secs(&self) -> f64 {
        match self.cpu {
            CpuOf::Tree(pid) => tree_pids(pid)
                .iter()
                .map(|p| stat_secs(&format!("/proc/{p}/stat")))
                .sum(),
            CpuOf::Thread(name) => std::fs::read_dir("/proc/self/task")
                .into_iter()
                .flatten()
                .flatten()
                .filter(|t| {
                    std::fs::read_to_string(t.path().join("comm")).is_ok_and(|c| c.trim() == name)
                })
                .map(|t| stat_secs(&t.path().join("stat").to_string_lossy()))
                .sum(),
        }
    }
}

impl Drop for Target {
    fn drop(&mut self) {
        if let Some(c) = &mut self.child {
            // nginx's master stops its workers on TERM; a KILL would leave
            // them running (and burning CPU in the next measurement).
            let _ = std::process::Command::new("kill")
                .args(["-TERM", &c.id().to_string()])
                .status();
            for _ in 0..100 {
                if matches!(c.try_wait(), Ok(Some(_))) {
                    return;
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

pub fn have_nginx() -> bool {
    nginx_bin().is_some()
}

fn nginx_bin() -> Option<PathBuf> {
    ["/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
}

fn free_port() -> SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").expect("free port");
    l.local_addr().expect("addr")
}

fn wait_listening(addr: SocketAddr, child: &mut Option<Child>, what: &str) {
    let until = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(addr).is_err() {
        if let Some(c) = child
            && let Ok(Some(status)) = c.try_wait()
        {
            panic!("{what} exited early: {status}");
        }
        assert!(Instant::now() < until, "{what} did not listen on {addr}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// An nginx in its own prefix directory, with `http` as its http block body.
fn nginx(dir: &Path, workers: usize, http: &str, what: &str, addr: SocketAddr) -> Target {
    std::fs::create_dir_all(dir.join("logs")).expect("nginx dir");
    let conf = format!(
        "daemon off;\nmaster_process on;\nworker_processes {workers};\npid {pid};\nerror_log {err} warn;\nevents {{ worker_connections 4096; }}\nhttp {{\n  access_log off;\n  client_body_temp_path {tmp};\n  proxy_temp_path {tmp};\n{http}\n}}\n",
        pid = dir.join("nginx.pid").display(),
        err = dir.join("logs/error.log").display(),
        tmp = dir.join("tmp").display(),
    );
    std::fs::write(dir.join("nginx.conf"), conf).expect("nginx conf");
    let bin = nginx_bin().expect("nginx");
    let child = Command::new(bin)
        .arg("-p")
        .arg(dir)
        .arg("-c")
        .arg(dir.join("nginx.conf"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start nginx");
    let pid = child.id();
    let mut child = Some(child);
    wait_listening(addr, &mut child, what);
    Target {
        addr,
        child,
        cpu: CpuOf::Tree(pid),
    }
}

/// nginx `return 200` with a small JSON body, one worker.
pub fn nginx_upstream(dir: &Path) -> Target {
    let addr = free_port();
    let http = format!(
        "  server {{ listen {addr}; keepalive_requests 1000000; location / {{ default_type application/json; return 200 '{{\"ok\":true}}'; }} }}"
    );
    nginx(
        &dir.join("nginx-upstream"),
        1,
        &http,
        "nginx upstream",
        addr,
    )
}

/// nginx as the reverse proxy a user would write: keep-alive to the
/// upstream, `x-api-key` set to the real key; as many workers as cores.
pub fn nginx_proxy(dir: &Path, upstream: SocketAddr, workers: usize) -> Target {
    let addr = free_port();
    let http = format!(
        "  upstream up {{ server {upstream}; keepalive 64; keepalive_requests 1000000; }}\n  server {{ listen {addr}; keepalive_requests 1000000; location / {{ proxy_pass http://up; proxy_http_version 1.1; proxy_set_header Connection \"\"; proxy_set_header x-api-key \"{REAL}\"; proxy_set_header Accept-Encoding identity; }} }}"
    );
    nginx(
        &dir.join("nginx-proxy"),
        workers,
        &http,
        "nginx proxy",
        addr,
    )
}

/// `aigo proxy start` over a fresh state directory with one mapping to
/// `upstream`; `callers` are its extra arguments (`--allow-caller 127.0.0.1`
/// or `--any-caller`).
/// `bin` is another aigo binary to compare with (`AIGO_BENCH_BASELINE`), else this one.
pub fn aigo(
    dir: &Path,
    upstream: SocketAddr,
    callers: &[&str],
    name: &str,
    bin: Option<&Path>,
) -> Target {
    let home = dir.join(name.replace(|c: char| !c.is_ascii_alphanumeric(), "-"));
    std::fs::create_dir_all(&home).expect("aigo home");
    let bin = bin.unwrap_or(Path::new(env!("CARGO_BIN_EXE_aigo")));
    let add = Command::new(bin)
        .env("AIGO_HOME", &home)
        .env("BENCH_KEY", REAL)
        .args(["proxy", "add", "--name", "bench", "--type", "api-key"])
        .args(["--credential-env", "BENCH_KEY", "--upstream"])
        .arg(format!("http://{upstream}"))
        .output()
        .expect("aigo proxy add");
    assert!(
        add.status.success(),
        "{}",
        String::from_utf8_lossy(&add.stderr)
    );
    let addr = free_port();
    let child = Command::new(bin)
        .env("AIGO_HOME", &home)
        .env("AIGO_LOG", "warn")
        .args(["proxy", "start", "--bind", "127.0.0.1", "--port"])
        .arg(addr.port().to_string())
        .args(callers)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start aigo proxy");
    let pid = child.id();
    let mut child = Some(child);
    wait_listening(addr, &mut child, "aigo proxy");
    Target {
        addr,
        child,
        cpu: CpuOf::Tree(pid),
    }
}

/// The fallback upstream: hyper on one thread of this process.
pub fn builtin_upstream() -> Target {
    const NAME: &str = "bench-upstream";
    let l = TcpListener::bind("127.0.0.1:0").expect("bind upstream");
    let addr = l.local_addr().expect("addr");
    l.set_nonblocking(true).expect("nonblocking");
    std::thread::Builder::new()
        .name(NAME.into())
        .spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async move {
                let l = tokio::net::TcpListener::from_std(l).expect("listener");
                loop {
                    let Ok((s, _)) = l.accept().await else {
                        continue;
                    };
                    let _ = s.set_nodelay(true);
                    tokio::spawn(async move {
                        let svc = hyper::service::service_fn(
                            |req: hyper::Request<hyper::body::Incoming>| async move {
                                use http_body_util::BodyExt;
                                let _ = req.into_body().collect().await;
                                let mut r = hyper::Response::new(http_body_util::Full::new(
                                    bytes::Bytes::from_static(b"{\"ok\":true}"),
                                ));
                                r.headers_mut().insert(
                                    "content-type",
                                    http::HeaderValue::from_static("application/json"),
                                );
                                Ok::<_, std::convert::Infallible>(r)
                            },
                        );
                        let _ = hyper::server::conn::http1::Builder::new()
                            .serve_connection(hyper_util::rt::TokioIo::new(s), svc)
                            .await;
                    });
                }
            });
        })
        .expect("upstream thread");
    Target {
        addr,
        child: None,
        cpu: CpuOf::Thread(NAME),
    }
}

/// `pid` and its descendants.
fn tree_pids(pid: u32) -> Vec<u32> {
    let mut out = vec![pid];
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return out;
    };
    for e in dir.flatten() {
        let Some(p) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        let stat = std::fs::read_to_string(format!("/proc/{p}/stat")).unwrap_or_default();
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, r)| r.split_whitespace().nth(1))
            .and_then(|s| s.parse::<u32>().ok());
        if ppid == Some(pid) {
            out.push(p);
        }
    }
    out
}

/// utime + stime of a `stat` file, in seconds.
fn stat_secs(path: &str) -> f64 {
    let stat = std::fs::read_to_string(path).unwrap_or_default();
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or_default();
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11).and_then(|u| u.parse::<f64>().ok()).unwrap_or(0.0)
        + f.get(12).and_then(|s| s.parse::<f64>().ok()).unwrap_or(0.0);
    ticks / 100.0
}
