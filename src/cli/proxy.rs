//! `aigo proxy add|list|remove|rotate|start`.

use std::io::{IsTerminal, Read};
use std::net::IpAddr;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use tokio_util::sync::CancellationToken;

use super::{Outcome, output};
use crate::config::Config;
use crate::proxy::{self, CredentialType, Keystore, MappingView, NewMapping, Proxy, Secret};
use crate::state::StateDir;

#[derive(Debug, Subcommand)]
pub enum ProxyCmd {
    /// Add a credential mapping. The real credential comes from a hidden
    /// prompt, --credential-stdin or --credential-env, never from an argument
    Add(AddArgs),
    /// List mappings (placeholders are shown; real credentials never are)
    List {
        /// Print JSON (the same shape the API returns) instead of text
        #[arg(long)]
        json: bool,
        /// Print only ids (names), one per line
        #[arg(short, long, conflicts_with = "json")]
        quiet: bool,
    },
    /// Remove a mapping and its stored credential
    Remove {
        /// Mapping name or id
        name: String,
        /// Print JSON (the same shape the API returns) instead of text
        #[arg(long)]
        json: bool,
    },
    /// Replace a mapping's real credential, and/or issue it a new placeholder
    Rotate(RotateArgs),
    /// Run the proxy in the foreground until Ctrl-C (SIGHUP reloads mappings)
    Start(StartArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum TypeArg {
    /// Sent upstream as `x-api-key`
    ApiKey,
    /// Sent upstream as `Authorization: Bearer`
    OauthBearer,
}

#[derive(Debug, Args)]
pub struct CredentialArgs {
    /// Read the real credential from standard input
    #[arg(long, conflicts_with = "credential_env")]
    credential_stdin: bool,
    /// Read the real credential from this environment variable
    #[arg(long, value_name = "VAR")]
    credential_env: Option<String>,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// A label, e.g. "Anthropic API"
    #[arg(long)]
    name: String,
    /// The real API endpoint, e.g. https://api.anthropic.com (a path prefix is kept)
    #[arg(long)]
    upstream: String,
    /// How the key is sent upstream: api-key (x-api-key) or oauth (Authorization: Bearer)
    #[arg(long = "type", value_enum, default_value = "api-key")]
    credential_type: TypeArg,
    /// Make this the mapping CREDENTIAL_PROXY_PLACEHOLDER selects (the first one is)
    #[arg(long)]
    default: bool,
    #[command(flatten)]
    credential: CredentialArgs,
    /// Print JSON (the same shape the API returns) instead of text
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct RotateArgs {
    /// Mapping name or id
    name: String,
    #[command(flatten)]
    credential: CredentialArgs,
    /// Also issue a new placeholder (containers holding the old one lose access)
    #[arg(long)]
    new_placeholder: bool,
    /// Only issue a new placeholder; keep the stored credential
    #[arg(long, conflicts_with_all = ["credential_stdin", "credential_env"])]
    placeholder_only: bool,
    /// Print JSON (the same shape the API returns) instead of text
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct StartArgs {
    /// Port to listen on (default: config.toml's proxy.port, 3001)
    #[arg(long)]
    port: Option<u16>,
    /// Address to listen on (default: loopback on macOS/WSL, the container
    /// bridge gateway on Linux; 0.0.0.0 only when given here or in config.toml)
    #[arg(long)]
    bind: Option<IpAddr>,
    /// Serve requests from this source address (repeatable), e.g. a container
    /// you started yourself. The daemon admits its own agent containers.
    #[arg(long, value_name = "IP")]
    allow_caller: Vec<IpAddr>,
    /// Serve any caller that knows a placeholder, as before callers were
    /// identified (every process and container that reaches the port)
    #[arg(long, conflicts_with = "allow_caller")]
    any_caller: bool,
}

pub async fn run(state: &StateDir, cmd: ProxyCmd) -> anyhow::Result<Outcome> {
    match cmd {
        ProxyCmd::Add(a) => {
            let credential = read_credential(&a.credential, &a.name)?;
            let keystore = Keystore::open(state);
            let new = NewMapping {
                name: a.name,
                upstream_url: a.upstream,
                credential_type: match a.credential_type {
                    TypeArg::ApiKey => CredentialType::ApiKey,
                    TypeArg::OauthBearer => CredentialType::OauthBearer,
                },
                make_default: a.default,
            };
            let v = proxy::add_mapping(state, &keystore, new, credential)?;
            warn_plain_http(&v.upstream_url);
            if a.json {
                output::print_json(&v)?;
            } else {
                println!(
                    "added mapping {:?} ({}) -> {}",
                    v.name, v.id, v.upstream_url
                );
                print_usage(state, &v);
            }
        }
        ProxyCmd::List { json, quiet } => {
            let list = proxy::list_mappings(state)?;
            if quiet {
                output::print_ids(list.iter().map(|m| &m.name));
            } else if json {
                output::print_json(&list)?;
            } else if list.is_empty() {
                println!(
                    "No credential mappings. Add one with `aigo proxy add --name NAME --upstream URL`."
                );
            } else {
                let mut t = output::table(&["Name", "Upstream", "Type", "Placeholder", "Default"]);
                for m in list {
                    t.add_row(vec![
                        m.name,
                        m.upstream_url,
                        m.credential_type.as_str().into(),
                        m.placeholder,
                        if m.is_default { "yes" } else { "" }.into(),
                    ]);
                }
                println!("{t}");
            }
        }
        ProxyCmd::Remove { name, json } => {
            let v = proxy::remove_mapping(state, &Keystore::open(state), &name)?;
            if json {
                output::print_json(&v)?;
            } else {
                println!("removed mapping {:?} and its stored credential", v.name);
            }
        }
        ProxyCmd::Rotate(a) => {
            let credential = if a.placeholder_only {
                None
            } else {
                Some(read_credential(&a.credential, &a.name)?)
            };
            let new_ph = a.new_placeholder || a.placeholder_only;
            let v =
                proxy::rotate_mapping(state, &Keystore::open(state), &a.name, credential, new_ph)?;
            if a.json {
                output::print_json(&v)?;
            } else {
                println!("rotated mapping {:?}", v.name);
                if new_ph {
                    print_usage(state, &v);
                }
                println!(
                    "A running proxy picks this up on reload (SIGHUP, or the daemon's reload)."
                );
            }
        }
        ProxyCmd::Start(a) => start(state, a).await?,
    }
    Ok(Outcome::Success)
}

async fn start(state: &StateDir, a: StartArgs) -> anyhow::Result<()> {
    let config = Config::load(state)?;
    let mut pc = config.proxy.clone();
    pc.port = a.port.unwrap_or(pc.port);
    pc.bind = a.bind.or(pc.bind);
    // Agents on their internal network reach the proxy only at its gateway address.
    let mut gateway = None;
    if pc.bind.is_none()
        && config.network.egress != crate::network::Egress::Open
        && let Ok(engine) = crate::runtime::connect(&config).await
        && let Some(p) = crate::network::prepare(
            &engine,
            &Config {
                proxy: pc.clone(),
                ..config.clone()
            },
        )
        .await?
    {
        gateway = Some(std::net::SocketAddr::new(p.network.gateway, pc.port));
        if let Some(w) = p.fence.warning() {
            eprintln!("warning: {w}");
        }
    }
    let opts = proxy::ProxyOptions {
        audit: Some(crate::audit::AuditLog::open(state)),
        callers: if a.any_caller {
            proxy::CallerPolicy::Anyone
        } else {
            proxy::CallerPolicy::Registered
        },
        ..Default::default()
    };
    let (p, listener) = match gateway {
        Some(addr) => proxy::prepare_at_gateway(state, addr, opts).await?,
        None => {
            // Detection is only needed to pick the default address.
            let status = match pc.bind {
                Some(_) => crate::runtime::RuntimeStatus::unavailable(String::new()),
                None => crate::runtime::detect(&config).await.status,
            };
            proxy::prepare(state, &pc, &status, opts).await?
        }
    };
    let p = Arc::new(p);
    for ip in &a.allow_caller {
        p.callers().admit(*ip, "manual", None);
    }
    if a.any_caller {
        eprintln!(
            "warning: --any-caller: every process and container that reaches this port can use the placeholders"
        );
    } else if a.allow_caller.is_empty() {
        eprintln!(
            "warning: no caller admitted; every request gets 403 (give --allow-caller IP, or run agents through the daemon)"
        );
    }
    let addr = listener.local_addr()?;
    if addr.ip().is_unspecified() {
        eprintln!(
            "warning: listening on every interface ({}); anyone who can reach this host can use the placeholders",
            addr.ip()
        );
    }
    if p.mapping_count() == 0 {
        eprintln!(
            "warning: no usable mappings; every request gets 401 (add one with `aigo proxy add`)"
        );
    }
    println!(
        "credential proxy listening on http://{addr} with {} mapping(s); Ctrl-C stops it",
        p.mapping_count()
    );
    let shutdown = CancellationToken::new();
    tokio::spawn(signals(p.clone(), shutdown.clone()));
    proxy::serve(listener, p, shutdown).await?;
    Ok(())
}

/// Ctrl-C / SIGTERM stop the proxy; SIGHUP reloads mappings and credentials.
async fn signals(p: Arc<Proxy>, shutdown: CancellationToken) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let (Ok(mut term), Ok(mut hup)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
        ) else {
            let _ = tokio::signal::ctrl_c().await;
            shutdown.cancel();
            return;
        };
        loop {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => break,
                _ = term.recv() => break,
                _ = hup.recv() => match p.reload() {
                    Ok(n) => eprintln!("reloaded: {n} mapping(s)"),
                    Err(e) => eprintln!("error: reload failed, keeping the old mappings: {e}"),
                },
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = &p;
        let _ = tokio::signal::ctrl_c().await;
    }
    shutdown.cancel();
}

fn read_credential(a: &CredentialArgs, name: &str) -> anyhow::Result<Secret> {
    let raw = if let Some(var) = &a.credential_env {
        std::env::var(var)
            .with_context(|| format!("environment variable {var} is not set (or not UTF-8)"))?
    } else if a.credential_stdin {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("reading the credential from stdin")?;
        s
    } else if std::io::stdin().is_terminal() {
        rpassword::prompt_password(format!("Real credential for {name:?} (input hidden): "))
            .context("reading the credential from the terminal")?
    } else {
        bail!(
            "no credential given: use --credential-stdin, --credential-env VAR, or run in a terminal to be prompted"
        );
    };
    let secret = Secret::new(raw.trim());
    drop(Secret::new(raw));
    proxy::check_credential(&secret)?;
    Ok(secret)
}

fn print_usage(state: &StateDir, v: &MappingView) {
    let port = Config::load(state)
        .map(|c| c.proxy.port)
        .unwrap_or(crate::config::DEFAULT_PROXY_PORT);
    println!("  placeholder: {}", v.placeholder);
    let key_var = match v.credential_type {
        CredentialType::ApiKey => "ANTHROPIC_API_KEY",
        CredentialType::OauthBearer => "ANTHROPIC_AUTH_TOKEN",
    };
    println!(
        "  containers use: ANTHROPIC_BASE_URL=http://host-gateway:{port} {key_var}={}",
        v.placeholder
    );
    if v.is_default {
        println!("  (default mapping: CREDENTIAL_PROXY_PLACEHOLDER works too)");
    }
}

fn warn_plain_http(url: &str) {
    let Some(rest) = url.strip_prefix("http://") else {
        return;
    };
    let host = rest.split(['/', ':']).next().unwrap_or_default();
    if !(host == "localhost" || host.starts_with("127.") || rest.starts_with("[::1]")) {
        eprintln!(
            "warning: {url} is plain http: the real credential crosses the network unencrypted"
        );
    }
}
