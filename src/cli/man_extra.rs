//! The man page sections clap does not generate: EXIT STATUS, ENVIRONMENT and
//! FILES (the same on every page) and EXAMPLES per command.

/// Appended to every page, in roff.
pub const COMMON: &str = r#".SH "EXIT STATUS"
.TP
.B 0
Success.
.TP
.B 1
A well\-formed "no": a mount rejected (mount validate), an invalid expression (schedule check), no runtime available (runtime), an image not ready (image status), no daemon running (daemon status, logs), a channel not configured or stopped (channels status) or a token refused (channels validate), a broken audit chain (audit verify), or an agent run that ended without success (run, schedule run).
.TP
.B 2
An error: bad input, unreadable or corrupt state, a refused run, or wrong usage. The message names the file, line and fix.
.SH ENVIRONMENT
.TP
.B AIGO_HOME
The state directory (overridden by \-\-home).
.TP
.B AIGO_LOG
Log filter for stderr and the daemon's log file (e.g. debug, aigo=trace); overrides \-v.
.TP
.B AIGO_API_TOKEN
Bearer token the daemon's API requires and the CLI sends to it (the daemon also takes \-\-token\-file).
.TP
.B DOCKER_HOST
The Docker or Podman engine to use (unix:// or tcp://).
.TP
.B NO_COLOR
When set, no colour in any output.
.SH FILES
All under the state directory ($AIGO_HOME, else ~/.local/share/aigo on Linux, ~/Library/Application Support/dev.aigo.aigo on macOS):
.TP
.B config.toml
Ports, runtime override, image tag, log level, run defaults.
.TP
.B mounts.toml
The mount allowlist: allowed roots, blocked patterns.
.TP
.B groups.toml
Groups, their chats and senders.
.TP
.B proxy.toml, keystore.age, keystore.key
Credential mappings; the real keys, age\-encrypted, and the identity that opens them.
.TP
.B schedules.toml, logs/schedules/
Schedules and their run logs.
.TP
.B channels.toml
Chat channels (tokens live in the keystore).
.TP
.B network.toml
The agents' egress allowlist (aigo network allow).
.TP
.B runs/, sessions/
Run records and logs; each session's IPC directories.
.TP
.B audit.jsonl
The hash\-chained security audit log.
.TP
.B logs/aigo.log, daemon.json
The daemon's log file; where a running daemon listens.
"#;

/// `(what it does, command line)` for a page, by its file stem (`aigo-mount-add`).
pub fn examples(page: &str) -> Option<&'static [(&'static str, &'static str)]> {
    Some(match page {
        "aigo" => &[
            ("Which engine aigo will use", "aigo runtime"),
            (
                "Allow mounts under your projects",
                "aigo mount add ~/projects --read-write",
            ),
            ("Create the main group", "aigo group add main --main"),
            (
                "Run an agent and print its answer",
                "aigo run --group main --prompt \"Tidy the README\"",
            ),
            ("Start the daemon", "aigo daemon"),
        ],
        "aigo-run" => &[
            (
                "One answer, printed when it arrives",
                "aigo run --group main --prompt \"Summarize the open issues\"",
            ),
            (
                "A chat in the terminal (Ctrl\u{2011}D ends it)",
                "aigo run --group main -i --prompt \"Let's plan the release\"",
            ),
            (
                "With a project mounted read\u{2011}write, in the background",
                "aigo run --group main --prompt-file task.md --mount ~/projects/app:app:rw --detach",
            ),
        ],
        "aigo-mount-add" => &[(
            "Allow read\u{2011}write mounts under ~/projects",
            "aigo mount add ~/projects --read-write --description \"my code\"",
        )],
        "aigo-mount-allowlist-set" => &[
            (
                "Merge the reference's body: bare roots keep their read\u{2011}write flag and description",
                "aigo mount allowlist set @allowlist.json",
            ),
            (
                "Make the allowlist exactly the body's roots",
                "aigo mount allowlist set --replace @allowlist.json",
            ),
        ],
        "aigo-schedule-run" => &[(
            "Run a schedule's prompt now; the result goes to its log",
            "aigo schedule run inbox && aigo schedule logs inbox --last 1",
        )],
        "aigo-mount-validate" => &[
            (
                "Would this mount be allowed?",
                "aigo mount validate ~/projects/app --read-write",
            ),
            (
                "Rejected (exit 1): a blocked pattern",
                "aigo mount validate ~/.ssh",
            ),
        ],
        "aigo-group-add" => &[
            (
                "The main group, bound to a Telegram chat",
                "aigo group add main --main --jid tg:123456",
            ),
            ("Another group", "aigo group add family --jid tg:-100200300"),
        ],
        "aigo-group-update" => &[
            (
                "Bind a second chat",
                "aigo group update main --add-jid slack:C0123",
            ),
            (
                "Only one sender may start runs",
                "aigo group update family --add-sender 42",
            ),
        ],
        "aigo-schedule-add" => &[
            (
                "Weekdays at nine",
                "aigo schedule add --name inbox --prompt \"Summarize new mail\" --cron \"0 9 * * 1-5\"",
            ),
            (
                "Every 30 minutes, fresh context each time",
                "aigo schedule add --name tick --prompt \"Check the build\" --every 30m --context isolated",
            ),
        ],
        "aigo-schedule-check" => &[(
            "When does it fire, in words",
            "aigo schedule check --cron \"0 9 * * 1-5\" --tz Europe/Berlin",
        )],
        "aigo-proxy-add" => &[(
            "Store a key; containers only ever see the placeholder",
            "printf %s \"$ANTHROPIC_API_KEY\" | aigo proxy add --name anthropic --upstream https://api.anthropic.com --type api-key --credential-stdin",
        )],
        "aigo-audit" => &[
            ("Violations only", "aigo audit --severity violation"),
            ("Check the hash chain", "aigo audit verify"),
        ],
        "aigo-daemon" => &[
            ("In the foreground", "aigo daemon"),
            (
                "Install as a systemd user service",
                "aigo daemon print-unit systemd > ~/.config/systemd/user/aigo.service",
            ),
        ],
        "aigo-network-allow" => &[
            (
                "Let agents reach GitHub's API and npm (egress = \"allowlist\")",
                "aigo network allow api.github.com '*.npmjs.org'",
            ),
            (
                "An internal host: pin its address in [network.hosts], then allow the name",
                "aigo network allow git.internal",
            ),
        ],
        "aigo-network-fence" => &[(
            "Load the host fence yourself (as root) when the daemon cannot",
            "aigo network fence | sudo nft -f -",
        )],
        "aigo-image-build" => &[
            ("The default image", "aigo image build"),
            (
                "A custom image from the default context",
                "aigo image context ./agent-image && aigo image build --context ./agent-image --tag my-agent:latest",
            ),
        ],
        _ => return None,
    })
}
