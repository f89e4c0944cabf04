//! `[runs] extra_run_args`: deny by default. Flags that widen the container's
//! power are refused by name; a few harmless ones are understood; anything else
//! is refused as unsupported rather than passed through unchecked.

use super::RunError;

/// Refused whatever their value: each one can break the container boundary or
/// bypass the mount allowlist.
pub const DENIED_RUN_ARGS: &[&str] = &[
    "--privileged",
    "--cap-add",
    "--security-opt",
    "--device",
    "--device-cgroup-rule",
    "--pid",
    "--network",
    "--net",
    "--userns",
    "--ipc",
    "--uts",
    "--cgroupns",
    "--volume",
    "-v",
    "--mount",
    "--volumes-from",
    "--group-add",
    "--user",
    "-u",
];

/// The extra arguments aigo understands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExtraArgs {
    pub add_hosts: Vec<String>,
    pub env: Vec<String>,
    pub dns: Vec<String>,
    pub labels: Vec<(String, String)>,
}

pub fn check_extra_args(args: &[String]) -> Result<ExtraArgs, RunError> {
    let mut out = ExtraArgs::default();
    let mut it = args.iter();
    while let Some(raw) = it.next() {
        let (flag, inline) = match raw.split_once('=') {
            Some((f, v)) if f.starts_with('-') => (f.to_string(), Some(v.to_string())),
            _ => (raw.clone(), None),
        };
        let deny = |why: &str| RunError::DeniedArg {
            arg: raw.clone(),
            why: why.into(),
        };
        if DENIED_RUN_ARGS.contains(&flag.as_str()) {
            return Err(deny(
                "it would weaken the container's isolation or bypass the mount allowlist",
            ));
        }
        let mut value = || {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or_else(|| deny("it needs a value"))
        };
        match flag.as_str() {
            "--add-host" => out.add_hosts.push(value()?),
            "-e" | "--env" => {
                let v = value()?;
                if v.starts_with("ANTHROPIC_") || v.starts_with("AIGO_") {
                    return Err(deny("aigo sets ANTHROPIC_* and AIGO_* itself"));
                }
                out.env.push(v);
            }
            "--dns" => out.dns.push(value()?),
            "-l" | "--label" => {
                let v = value()?;
                let (k, val) = v.split_once('=').unwrap_or((v.as_str(), ""));
                if k.starts_with("aigo.") {
                    return Err(deny("labels under aigo. are aigo's own"));
                }
                out.labels.push((k.to_string(), val.to_string()));
            }
            _ => {
                return Err(deny(
                    "not a supported run argument (supported: --add-host, --env, --dns, --label)",
                ));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn dangerous_flags_are_refused_in_every_spelling() {
        for bad in [
            &["--privileged"][..],
            &["--cap-add", "SYS_ADMIN"],
            &["--cap-add=ALL"],
            &["--security-opt", "seccomp=unconfined"],
            &["--device=/dev/kmsg"],
            &["--pid=host"],
            &["--network=host"],
            &["--net", "host"],
            &["--userns=host"],
            &["--ipc=host"],
            &["-v", "/:/host"],
            &["--mount", "type=bind,src=/,dst=/h"],
            &["--env", "ANTHROPIC_API_KEY=sk-real"],
            &["--label", "aigo.managed=false"],
            &["--restart=always"],
        ] {
            assert!(
                check_extra_args(&v(bad)).is_err(),
                "{bad:?} must be refused"
            );
        }
    }

    #[test]
    fn harmless_flags_are_understood() {
        let a = check_extra_args(&v(&[
            "--add-host=db:10.0.0.5",
            "-e",
            "TZ=UTC",
            "--dns",
            "1.1.1.1",
            "--label",
            "team=x",
        ]))
        .unwrap();
        assert_eq!(a.add_hosts, ["db:10.0.0.5"]);
        assert_eq!(a.env, ["TZ=UTC"]);
        assert_eq!(a.dns, ["1.1.1.1"]);
        assert_eq!(a.labels, [("team".to_string(), "x".to_string())]);
    }
}
