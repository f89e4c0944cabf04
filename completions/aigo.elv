
use builtin;
use str;

set edit:completion:arg-completer[aigo] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'aigo'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'aigo'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand runtime 'Detect the container runtime (Docker, Podman, Apple Container)'
            cand image 'Build the agent runner image and report its status'
            cand mount 'Manage the mount allowlist and validate mounts'
            cand daemon 'Run the daemon: management API, proxy, scheduler, IPC router'
            cand group 'Manage groups (who agents work for, which chats they may reach)'
            cand ipc 'Session IPC directories'
            cand send 'Send a follow-up message to a group''s running session'
            cand close 'Ask a group''s running session to finish'
            cand schedule 'Scheduled agent runs: check expressions, add, list, enable, logs'
            cand proxy 'Credential proxy: mappings, keystore, foreground proxy'
            cand channels 'Chat channels (Telegram, Slack, Discord, WhatsApp): add, validate, status'
            cand network 'The agents'' network: egress allowlist and host fence'
            cand run 'Run an agent in a container for a group'
            cand ps 'List running agent containers'
            cand stop 'Stop a run (the agent gets `_close`, then SIGTERM, then SIGKILL)'
            cand runs 'Run history: id, group, session, image, start, end, exit code, reason'
            cand logs 'Show the daemon''s log file'
            cand audit 'Show, verify and export the security audit log'
            cand completions 'Print a shell completion script'
            cand man 'Write man pages'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aigo;runtime'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand --json 'Print the API''s JSON'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
            cand status 'Detect the runtime and report it (the default)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aigo;runtime;status'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand --json 'Print the API''s JSON'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;runtime;help'= {
            cand status 'Detect the runtime and report it (the default)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aigo;runtime;help;status'= {
        }
        &'aigo;runtime;help;help'= {
        }
        &'aigo;image'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
            cand build 'Build the agent image: the embedded default, or --context DIR'
            cand status 'Is the image ready, building, failed, missing or outdated? Exits 1 unless ready'
            cand history 'Recent builds, newest first'
            cand context 'Write the embedded default build context to DIR, to start a custom image from'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aigo;image;build'= {
            cand -t 'Image tag (default: `image_tag` in config.toml, `aigo-agent-runner:latest`)'
            cand --tag 'Image tag (default: `image_tag` in config.toml, `aigo-agent-runner:latest`)'
            cand --context 'Build context directory (default: the image embedded in aigo)'
            cand -f 'Dockerfile path inside the context'
            cand --dockerfile 'Dockerfile path inside the context'
            cand --build-arg 'A build argument (repeatable)'
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand --no-cache 'Do not use the engine''s build cache'
            cand -q 'Print only the image id'
            cand --quiet 'Print only the image id'
            cand --json 'One JSON object per line: `step` and `log` events, then `finished` with the build record'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;image;status'= {
            cand -t 'Image tag (default: `image_tag` in config.toml)'
            cand --tag 'Image tag (default: `image_tag` in config.toml)'
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand --json 'Print JSON (the same shape the API returns) instead of text'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;image;history'= {
            cand -t 'Only builds of this tag'
            cand --tag 'Only builds of this tag'
            cand -n 'How many builds to show'
            cand --limit 'How many builds to show'
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand --json 'Print JSON (the same shape the API returns) instead of text'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;image;context'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand --force 'Overwrite files that exist'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;image;help'= {
            cand build 'Build the agent image: the embedded default, or --context DIR'
            cand status 'Is the image ready, building, failed, missing or outdated? Exits 1 unless ready'
            cand history 'Recent builds, newest first'
            cand context 'Write the embedded default build context to DIR, to start a custom image from'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aigo;image;help;build'= {
        }
        &'aigo;image;help;status'= {
        }
        &'aigo;image;help;history'= {
        }
        &'aigo;image;help;context'= {
        }
        &'aigo;image;help;help'= {
        }
        &'aigo;mount'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
            cand add 'Allow mounts under ROOT (stored by its canonical path; it must exist)'
            cand remove 'Stop allowing mounts under ROOT'
            cand list 'List the allowed roots'
            cand validate 'Check whether HOST_PATH may be mounted; exits 1 when it may not'
            cand allowlist 'Show or replace the whole allowlist (the API''s JSON)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aigo;mount;add'= {
            cand --description 'What this root is for (shown in `mount list`)'
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand --read-write 'Let mounts under this root be read-write when asked for'
            cand --pending 'ROOT may not exist yet: it matches nothing until it does, and is checked again (canonical path, not too broad) at every validation'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;mount;remove'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;mount;list'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand --json 'Print JSON (the same shape the API returns) instead of text'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;mount;validate'= {
            cand --container-path 'Where it would appear (relative to /workspace/extra, or absolute under it)'
            cand --group 'The group asking (non-main groups may be forced read-only)'
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand --read-only 'Ask for a read-only mount (the default)'
            cand --read-write 'Ask for a read-write mount'
            cand --json 'Print JSON (the same shape the API returns) instead of text'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;mount;allowlist'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
            cand show 'Print the allowlist as `GET …/mount/allowlist` returns it'
            cand set 'Merge a JSON body `{"allowedRoots":[…],"blockedPatterns":[…]}` into the allowlist by root path (given inline, as @FILE, or - for stdin) and say what changed. A root given as a bare string keeps its stored read-write flag and description; `{"path", "allowReadWrite", "description"}` sets them'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aigo;mount;allowlist;show'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand --json 'Print JSON (the same shape the API returns) instead of text'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;mount;allowlist;set'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand --replace 'Remove the roots and extra patterns the body does not list'
            cand --json 'Print JSON (the same shape the API returns, with `changes`) instead of text'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;mount;allowlist;help'= {
            cand show 'Print the allowlist as `GET …/mount/allowlist` returns it'
            cand set 'Merge a JSON body `{"allowedRoots":[…],"blockedPatterns":[…]}` into the allowlist by root path (given inline, as @FILE, or - for stdin) and say what changed. A root given as a bare string keeps its stored read-write flag and description; `{"path", "allowReadWrite", "description"}` sets them'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aigo;mount;allowlist;help;show'= {
        }
        &'aigo;mount;allowlist;help;set'= {
        }
        &'aigo;mount;allowlist;help;help'= {
        }
        &'aigo;mount;help'= {
            cand add 'Allow mounts under ROOT (stored by its canonical path; it must exist)'
            cand remove 'Stop allowing mounts under ROOT'
            cand list 'List the allowed roots'
            cand validate 'Check whether HOST_PATH may be mounted; exits 1 when it may not'
            cand allowlist 'Show or replace the whole allowlist (the API''s JSON)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aigo;mount;help;add'= {
        }
        &'aigo;mount;help;remove'= {
        }
        &'aigo;mount;help;list'= {
        }
        &'aigo;mount;help;validate'= {
        }
        &'aigo;mount;help;allowlist'= {
            cand show 'Print the allowlist as `GET …/mount/allowlist` returns it'
            cand set 'Merge a JSON body `{"allowedRoots":[…],"blockedPatterns":[…]}` into the allowlist by root path (given inline, as @FILE, or - for stdin) and say what changed. A root given as a bare string keeps its stored read-write flag and description; `{"path", "allowReadWrite", "description"}` sets them'
        }
        &'aigo;mount;help;allowlist;show'= {
        }
        &'aigo;mount;help;allowlist;set'= {
        }
        &'aigo;mount;help;help'= {
        }
        &'aigo;daemon'= {
            cand --bind 'API address (default: [api] bind in config.toml, 127.0.0.1:55765)'
            cand --token 'Require `Authorization: Bearer TOKEN` on the API. Visible to every user in the process list: prefer AIGO_API_TOKEN or --token-file'
            cand --token-file 'Read the API token from FILE (its first line), e.g. a systemd credential. Without --token or --token-file, AIGO_API_TOKEN is used when set'
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
            cand run 'Run in the foreground (the default): logs to stderr and logs/aigo.log'
            cand status 'Whether a daemon runs on this state directory, and where its API is'
            cand print-unit 'Print a service definition for this machine'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aigo;daemon;run'= {
            cand --bind 'API address (default: [api] bind in config.toml, 127.0.0.1:55765)'
            cand --token 'Require `Authorization: Bearer TOKEN` on the API. Visible to every user in the process list: prefer AIGO_API_TOKEN or --token-file'
            cand --token-file 'Read the API token from FILE (its first line), e.g. a systemd credential. Without --token or --token-file, AIGO_API_TOKEN is used when set'
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;daemon;status'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand --json 'Print JSON (the same shape the API returns) instead of text'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;daemon;print-unit'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;daemon;help'= {
            cand run 'Run in the foreground (the default): logs to stderr and logs/aigo.log'
            cand status 'Whether a daemon runs on this state directory, and where its API is'
            cand print-unit 'Print a service definition for this machine'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aigo;daemon;help;run'= {
        }
        &'aigo;daemon;help;status'= {
        }
        &'aigo;daemon;help;print-unit'= {
        }
        &'aigo;daemon;help;help'= {
        }
        &'aigo;group'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
            cand add 'Add a group (one group is the main group)'
            cand update 'Change a group: bind or unbind chats, allow or drop senders, describe it'
            cand list 'List groups'
            cand show 'Show a group: its chats, senders, and the agent sessions its runs resume'
            cand forget 'Forget the group''s agent sessions: the next run starts fresh'
            cand remove 'Remove a group (its sessions stay on disk)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aigo;group;add'= {
            cand --jid 'Bind a chat to the group: tg:<id>, slack:<channel>, dc:<id>, <n>@s.whatsapp.net, <id>@g.us'
            cand --sender 'Only these senders may start runs from chats (default: anyone in a bound chat)'
            cand --description 'What the group is for'
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand --main 'Make this the main group (may send anywhere, may mount read-write)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;group;update'= {
            cand --add-jid 'Bind another chat to the group (repeatable)'
            cand --remove-jid 'Unbind a chat from the group (repeatable)'
            cand --add-sender 'Allow another sender to start runs from chats (repeatable)'
            cand --remove-sender 'Stop allowing a sender (repeatable)'
            cand --description 'New description ("" clears it)'
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand --json 'Print JSON (the same shape the API returns) instead of text'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;group;list'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand --json 'Print JSON (the same shape the API returns) instead of text'
            cand -q 'Print only ids (names), one per line'
            cand --quiet 'Print only ids (names), one per line'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;group;show'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand --json 'Print JSON ({group, agentStateDir, sessions}) instead of text'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;group;forget'= {
            cand --chat 'Only this chat''s session (default: every session of the group)'
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;group;remove'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;group;help'= {
            cand add 'Add a group (one group is the main group)'
            cand update 'Change a group: bind or unbind chats, allow or drop senders, describe it'
            cand list 'List groups'
            cand show 'Show a group: its chats, senders, and the agent sessions its runs resume'
            cand forget 'Forget the group''s agent sessions: the next run starts fresh'
            cand remove 'Remove a group (its sessions stay on disk)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aigo;group;help;add'= {
        }
        &'aigo;group;help;update'= {
        }
        &'aigo;group;help;list'= {
        }
        &'aigo;group;help;show'= {
        }
        &'aigo;group;help;forget'= {
        }
        &'aigo;group;help;remove'= {
        }
        &'aigo;group;help;help'= {
        }
        &'aigo;ipc'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
            cand init 'Create a session''s IPC directories (input, messages, tasks, errors, events)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aigo;ipc;init'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand --json 'Print JSON (the same shape the API returns) instead of text'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;ipc;help'= {
            cand init 'Create a session''s IPC directories (input, messages, tasks, errors, events)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aigo;ipc;help;init'= {
        }
        &'aigo;ipc;help;help'= {
        }
        &'aigo;send'= {
            cand --group 'Group whose running session gets the message'
            cand --session 'Session to write to (default: the group''s newest running one)'
            cand --sender 'Who the message is from, as the agent sees it'
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;close'= {
            cand --group 'Group whose running session should finish'
            cand --session 'Session id (default: the group''s latest session)'
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;schedule'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
            cand check 'Show when a schedule fires (next runs in the zone and UTC), what it means in words, and DST or calendar surprises; exits 1 when it is invalid'
            cand add 'Add a schedule that runs PROMPT in GROUP''s agent container'
            cand list 'List schedules with their next run'
            cand show 'Show one schedule (by id or unique name) and its next runs'
            cand enable 'Enable a schedule; missed slots are skipped, not replayed'
            cand disable 'Disable (pause) a schedule'
            cand remove 'Remove a schedule (its run log is kept)'
            cand run 'Run a schedule''s prompt now, in the foreground, outside its slots; the result goes to the schedule''s run log'
            cand logs 'Show a schedule''s run log'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aigo;schedule;check'= {
            cand --cron 'Standard 5-field cron (minute hour day-of-month month day-of-week), or @hourly @daily @weekly @monthly @yearly'
            cand --every 'A fixed interval: 30m, 1h30m, 45s, 1500ms'
            cand --at 'Once, at a timestamp: 2026-12-01T09:00 (in the zone) or with an offset/Z'
            cand --tz 'IANA time zone (default: the system''s)'
            cand --from 'Pretend it is now TIMESTAMP, for a reproducible answer'
            cand --count 'How many next runs to show'
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand --json 'Print JSON (the same shape the API returns) instead of text'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'aigo;schedule;add'= {
            cand --name 'A name to refer to the schedule by (unique)'
            cand --group 'Group whose agent runs the prompt'
            cand --prompt 'What the agent is asked to do'
            cand --cron 'Standard 5-field cron (minute hour day-of-month month day-of-week), or @hourly @daily @weekly @monthly @yearly'
            cand --every 'A fixed interval: 30m, 1h30m, 45s, 1500ms'
            cand --at 'Once, at a timestamp: 2026-12-01T09:00 (in the zone) or with an offset/Z'
            cand --timeout 'Stop a run after this long (e.g. 300s, 10m)'
            cand --context 'Run in the group''s session, or in a fresh one each time'
            cand --tz 'IANA time zone for cron fields and a naive --at (default: the system''s)'
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand --disabled 'Add it paused'
            cand --json 'Print JSON (the same shape the API returns) instead of text'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;schedule;list'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand --json 'Print JSON (the same shape the API returns) instead of text'
            cand -q 'Print only ids (names), one per line'
            cand --quiet 'Print only ids (names), one per line'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;schedule;show'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand --json 'Print JSON (the same shape the API returns) instead of text'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;schedule;enable'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;schedule;disable'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;schedule;remove'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;schedule;run'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;schedule;logs'= {
            cand --last 'Only the last N runs'
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand --json 'Print JSON (the same shape the API returns) instead of text'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;schedule;help'= {
            cand check 'Show when a schedule fires (next runs in the zone and UTC), what it means in words, and DST or calendar surprises; exits 1 when it is invalid'
            cand add 'Add a schedule that runs PROMPT in GROUP''s agent container'
            cand list 'List schedules with their next run'
            cand show 'Show one schedule (by id or unique name) and its next runs'
            cand enable 'Enable a schedule; missed slots are skipped, not replayed'
            cand disable 'Disable (pause) a schedule'
            cand remove 'Remove a schedule (its run log is kept)'
            cand run 'Run a schedule''s prompt now, in the foreground, outside its slots; the result goes to the schedule''s run log'
            cand logs 'Show a schedule''s run log'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aigo;schedule;help;check'= {
        }
        &'aigo;schedule;help;add'= {
        }
        &'aigo;schedule;help;list'= {
        }
        &'aigo;schedule;help;show'= {
        }
        &'aigo;schedule;help;enable'= {
        }
        &'aigo;schedule;help;disable'= {
        }
        &'aigo;schedule;help;remove'= {
        }
        &'aigo;schedule;help;run'= {
        }
        &'aigo;schedule;help;logs'= {
        }
        &'aigo;schedule;help;help'= {
        }
        &'aigo;proxy'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
            cand add 'Add a credential mapping. The real credential comes from a hidden prompt, --credential-stdin or --credential-env, never from an argument'
            cand list 'List mappings (placeholders are shown; real credentials never are)'
            cand remove 'Remove a mapping and its stored credential'
            cand rotate 'Replace a mapping''s real credential, and/or issue it a new placeholder'
            cand start 'Run the proxy in the foreground until Ctrl-C (SIGHUP reloads mappings)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aigo;proxy;add'= {
            cand --name 'A label, e.g. "Anthropic API"'
            cand --upstream 'The real API endpoint, e.g. https://api.anthropic.com (a path prefix is kept)'
            cand --type 'How the key is sent upstream: api-key (x-api-key) or oauth (Authorization: Bearer)'
            cand --credential-env 'Read the real credential from this environment variable'
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand --default 'Make this the mapping CREDENTIAL_PROXY_PLACEHOLDER selects (the first one is)'
            cand --credential-stdin 'Read the real credential from standard input'
            cand --json 'Print JSON (the same shape the API returns) instead of text'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'aigo;proxy;list'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand --json 'Print JSON (the same shape the API returns) instead of text'
            cand -q 'Print only ids (names), one per line'
            cand --quiet 'Print only ids (names), one per line'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;proxy;remove'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand --json 'Print JSON (the same shape the API returns) instead of text'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;proxy;rotate'= {
            cand --credential-env 'Read the real credential from this environment variable'
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand --credential-stdin 'Read the real credential from standard input'
            cand --new-placeholder 'Also issue a new placeholder (containers holding the old one lose access)'
            cand --placeholder-only 'Only issue a new placeholder; keep the stored credential'
            cand --json 'Print JSON (the same shape the API returns) instead of text'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;proxy;start'= {
            cand --port 'Port to listen on (default: config.toml''s proxy.port, 3001)'
            cand --bind 'Address to listen on (default: loopback on macOS/WSL, the container bridge gateway on Linux; 0.0.0.0 only when given here or in config.toml)'
            cand --allow-caller 'Serve requests from this source address (repeatable), e.g. a container you started yourself. The daemon admits its own agent containers'
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand --any-caller 'Serve any caller that knows a placeholder, as before callers were identified (every process and container that reaches the port)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;proxy;help'= {
            cand add 'Add a credential mapping. The real credential comes from a hidden prompt, --credential-stdin or --credential-env, never from an argument'
            cand list 'List mappings (placeholders are shown; real credentials never are)'
            cand remove 'Remove a mapping and its stored credential'
            cand rotate 'Replace a mapping''s real credential, and/or issue it a new placeholder'
            cand start 'Run the proxy in the foreground until Ctrl-C (SIGHUP reloads mappings)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aigo;proxy;help;add'= {
        }
        &'aigo;proxy;help;list'= {
        }
        &'aigo;proxy;help;remove'= {
        }
        &'aigo;proxy;help;rotate'= {
        }
        &'aigo;proxy;help;start'= {
        }
        &'aigo;proxy;help;help'= {
        }
        &'aigo;channels'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
            cand add 'Configure a channel. Tokens go to the encrypted keystore, never to channels.toml; they come from hidden prompts or --token-stdin'
            cand validate 'Call the service''s identity endpoint (Telegram getMe, Slack auth.test…) and report the bot''s name, or why the token is refused'
            cand status 'Connection status, bot identity, last error and message counts (from the running daemon; without one, only whether the channel is configured)'
            cand remove 'Remove a channel and its stored tokens'
            cand list 'List configured channels (settings and keystore entry names, never tokens)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aigo;channels;add'= {
            cand --phone-number-id 'WhatsApp: the business phone number''s id in the Graph API'
            cand --graph-version 'WhatsApp: the Graph API version, like v26.0 (default: the current one when this aigo was released)'
            cand --api-base 'The service''s API base URL (default: the public endpoint)'
            cand --trigger 'In group chats, a message with this word counts like an @mention'
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand --token-stdin 'Read the secrets from standard input, one per line: telegram/discord: the bot token; slack: the bot token (xoxb-) then the app token (xapp-); whatsapp: the access token, the webhook verify token, then the app secret'
            cand --json 'Print JSON (the same shape the API returns) instead of text'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;channels;validate'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand --json 'Print JSON (the same shape the API returns) instead of text'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;channels;status'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand --json 'Print JSON (the same shape the API returns) instead of text'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;channels;remove'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;channels;list'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand --json 'Print JSON (the same shape the API returns) instead of text'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;channels;help'= {
            cand add 'Configure a channel. Tokens go to the encrypted keystore, never to channels.toml; they come from hidden prompts or --token-stdin'
            cand validate 'Call the service''s identity endpoint (Telegram getMe, Slack auth.test…) and report the bot''s name, or why the token is refused'
            cand status 'Connection status, bot identity, last error and message counts (from the running daemon; without one, only whether the channel is configured)'
            cand remove 'Remove a channel and its stored tokens'
            cand list 'List configured channels (settings and keystore entry names, never tokens)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aigo;channels;help;add'= {
        }
        &'aigo;channels;help;validate'= {
        }
        &'aigo;channels;help;status'= {
        }
        &'aigo;channels;help;remove'= {
        }
        &'aigo;channels;help;list'= {
        }
        &'aigo;channels;help;help'= {
        }
        &'aigo;network'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
            cand allow 'Let agents reach hosts through the egress gateway ([network] egress = "allowlist"): api.example.com, *.example.com, an IP address or a CIDR range'
            cand deny 'Remove hosts from the egress allowlist'
            cand list 'The egress mode and the allowlist'
            cand fence 'Print the nftables rules that fence the host from the agents'' network (what the daemon loads as root; load them yourself when it cannot)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aigo;network;allow'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;network;deny'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;network;list'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand --json 'Print JSON ({egress, network, allow}) instead of text'
            cand -q 'Print only the allowlist entries, one per line'
            cand --quiet 'Print only the allowlist entries, one per line'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;network;fence'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;network;help'= {
            cand allow 'Let agents reach hosts through the egress gateway ([network] egress = "allowlist"): api.example.com, *.example.com, an IP address or a CIDR range'
            cand deny 'Remove hosts from the egress allowlist'
            cand list 'The egress mode and the allowlist'
            cand fence 'Print the nftables rules that fence the host from the agents'' network (what the daemon loads as root; load them yourself when it cannot)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aigo;network;help;allow'= {
        }
        &'aigo;network;help;deny'= {
        }
        &'aigo;network;help;list'= {
        }
        &'aigo;network;help;fence'= {
        }
        &'aigo;network;help;help'= {
        }
        &'aigo;run'= {
            cand --group 'Group the agent works for (see `aigo group list`)'
            cand --prompt 'The first message the agent gets (optional with -i: then the first line you type)'
            cand --prompt-file 'Read the prompt from FILE (- for stdin)'
            cand --mount 'Extra mount HOST_PATH:NAME[:rw], validated against the allowlist (repeatable)'
            cand --timeout 'Wall-clock limit, e.g. 30m (default: [runs] timeout_secs)'
            cand --idle-timeout 'Close the session this long after the agent''s last answer or your last message, e.g. 5m (default: [runs] idle_timeout_secs; 0 = never)'
            cand --image 'Image to run (default: config.toml image_tag)'
            cand --session 'Join this session instead of starting a fresh one'
            cand --jid 'Chat the agent''s replies go to (default: none, they come to this terminal)'
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand --new 'Start a fresh agent session instead of resuming this chat''s last one'
            cand -i 'A conversation: each line you type is a follow-up; Ctrl-D ends it'
            cand --interactive 'A conversation: each line you type is a follow-up; Ctrl-D ends it'
            cand --detach 'Hand the run to the daemon and print its id; `aigo ps`, `aigo stop` and `aigo runs` follow it'
            cand --json 'Print the runner''s events as JSON lines, then the run''s record'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;ps'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand --json 'Print JSON (the same shape the API returns) instead of text'
            cand -q 'Print only run ids, one per line'
            cand --quiet 'Print only run ids, one per line'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;stop'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;runs'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand --json 'Print JSON (the same shape the API returns) instead of text'
            cand -q 'Print only run ids, one per line'
            cand --quiet 'Print only run ids, one per line'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;logs'= {
            cand -n 'How many of the last lines to show'
            cand --last 'How many of the last lines to show'
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand -f 'Keep printing lines as the daemon writes them (Ctrl-C to stop)'
            cand --follow 'Keep printing lines as the daemon writes them (Ctrl-C to stop)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;audit'= {
            cand --severity 'Only events of exactly this severity (info, warning, violation)'
            cand --min-severity 'Events of this severity or worse (warning = warnings and violations)'
            cand --category 'Only this category (mount, ipc, quarantine, proxy, container, compliance, audit, channel)'
            cand --group 'Only events of this group'
            cand -n 'How many of the newest matching events to show'
            cand --limit 'How many of the newest matching events to show'
            cand --since 'Only events at or after this time: RFC 3339, or a duration back from now (30m, 1h, 2d, 1w)'
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand --json 'Print `{"events":[…],"total":N}` as `GET /api/v1/container/audit-log` returns it'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
            cand verify 'Check the hash chain; exits 1 and names the first bad line when it is broken'
            cand export 'Print every event as a JSON array (e.g. `aigo audit export > audit.json`)'
            cand record 'Append events (for scripts and tests)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aigo;audit;verify'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand --json 'Print JSON (the same shape the API returns) instead of text'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;audit;export'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;audit;record'= {
            cand --severity 'Severity of the event: info, warning or violation'
            cand --category 'Category of the event (mount, ipc, proxy, container, …)'
            cand --message 'What happened, in words'
            cand --group 'The group the event concerns'
            cand --details 'Details as a JSON object'
            cand --count 'Append this many events (the message gets " #i" appended)'
            cand --batch 'Events per write + fsync'
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;audit;help'= {
            cand verify 'Check the hash chain; exits 1 and names the first bad line when it is broken'
            cand export 'Print every event as a JSON array (e.g. `aigo audit export > audit.json`)'
            cand record 'Append events (for scripts and tests)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aigo;audit;help;verify'= {
        }
        &'aigo;audit;help;export'= {
        }
        &'aigo;audit;help;record'= {
        }
        &'aigo;audit;help;help'= {
        }
        &'aigo;completions'= {
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;man'= {
            cand --out-dir 'Write one page per command into DIR (default: print `aigo.1` to stdout)'
            cand --home 'State directory (default: $AIGO_HOME, else the platform data directory)'
            cand -v 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand --verbose 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'aigo;help'= {
            cand runtime 'Detect the container runtime (Docker, Podman, Apple Container)'
            cand image 'Build the agent runner image and report its status'
            cand mount 'Manage the mount allowlist and validate mounts'
            cand daemon 'Run the daemon: management API, proxy, scheduler, IPC router'
            cand group 'Manage groups (who agents work for, which chats they may reach)'
            cand ipc 'Session IPC directories'
            cand send 'Send a follow-up message to a group''s running session'
            cand close 'Ask a group''s running session to finish'
            cand schedule 'Scheduled agent runs: check expressions, add, list, enable, logs'
            cand proxy 'Credential proxy: mappings, keystore, foreground proxy'
            cand channels 'Chat channels (Telegram, Slack, Discord, WhatsApp): add, validate, status'
            cand network 'The agents'' network: egress allowlist and host fence'
            cand run 'Run an agent in a container for a group'
            cand ps 'List running agent containers'
            cand stop 'Stop a run (the agent gets `_close`, then SIGTERM, then SIGKILL)'
            cand runs 'Run history: id, group, session, image, start, end, exit code, reason'
            cand logs 'Show the daemon''s log file'
            cand audit 'Show, verify and export the security audit log'
            cand completions 'Print a shell completion script'
            cand man 'Write man pages'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aigo;help;runtime'= {
            cand status 'Detect the runtime and report it (the default)'
        }
        &'aigo;help;runtime;status'= {
        }
        &'aigo;help;image'= {
            cand build 'Build the agent image: the embedded default, or --context DIR'
            cand status 'Is the image ready, building, failed, missing or outdated? Exits 1 unless ready'
            cand history 'Recent builds, newest first'
            cand context 'Write the embedded default build context to DIR, to start a custom image from'
        }
        &'aigo;help;image;build'= {
        }
        &'aigo;help;image;status'= {
        }
        &'aigo;help;image;history'= {
        }
        &'aigo;help;image;context'= {
        }
        &'aigo;help;mount'= {
            cand add 'Allow mounts under ROOT (stored by its canonical path; it must exist)'
            cand remove 'Stop allowing mounts under ROOT'
            cand list 'List the allowed roots'
            cand validate 'Check whether HOST_PATH may be mounted; exits 1 when it may not'
            cand allowlist 'Show or replace the whole allowlist (the API''s JSON)'
        }
        &'aigo;help;mount;add'= {
        }
        &'aigo;help;mount;remove'= {
        }
        &'aigo;help;mount;list'= {
        }
        &'aigo;help;mount;validate'= {
        }
        &'aigo;help;mount;allowlist'= {
            cand show 'Print the allowlist as `GET …/mount/allowlist` returns it'
            cand set 'Merge a JSON body `{"allowedRoots":[…],"blockedPatterns":[…]}` into the allowlist by root path (given inline, as @FILE, or - for stdin) and say what changed. A root given as a bare string keeps its stored read-write flag and description; `{"path", "allowReadWrite", "description"}` sets them'
        }
        &'aigo;help;mount;allowlist;show'= {
        }
        &'aigo;help;mount;allowlist;set'= {
        }
        &'aigo;help;daemon'= {
            cand run 'Run in the foreground (the default): logs to stderr and logs/aigo.log'
            cand status 'Whether a daemon runs on this state directory, and where its API is'
            cand print-unit 'Print a service definition for this machine'
        }
        &'aigo;help;daemon;run'= {
        }
        &'aigo;help;daemon;status'= {
        }
        &'aigo;help;daemon;print-unit'= {
        }
        &'aigo;help;group'= {
            cand add 'Add a group (one group is the main group)'
            cand update 'Change a group: bind or unbind chats, allow or drop senders, describe it'
            cand list 'List groups'
            cand show 'Show a group: its chats, senders, and the agent sessions its runs resume'
            cand forget 'Forget the group''s agent sessions: the next run starts fresh'
            cand remove 'Remove a group (its sessions stay on disk)'
        }
        &'aigo;help;group;add'= {
        }
        &'aigo;help;group;update'= {
        }
        &'aigo;help;group;list'= {
        }
        &'aigo;help;group;show'= {
        }
        &'aigo;help;group;forget'= {
        }
        &'aigo;help;group;remove'= {
        }
        &'aigo;help;ipc'= {
            cand init 'Create a session''s IPC directories (input, messages, tasks, errors, events)'
        }
        &'aigo;help;ipc;init'= {
        }
        &'aigo;help;send'= {
        }
        &'aigo;help;close'= {
        }
        &'aigo;help;schedule'= {
            cand check 'Show when a schedule fires (next runs in the zone and UTC), what it means in words, and DST or calendar surprises; exits 1 when it is invalid'
            cand add 'Add a schedule that runs PROMPT in GROUP''s agent container'
            cand list 'List schedules with their next run'
            cand show 'Show one schedule (by id or unique name) and its next runs'
            cand enable 'Enable a schedule; missed slots are skipped, not replayed'
            cand disable 'Disable (pause) a schedule'
            cand remove 'Remove a schedule (its run log is kept)'
            cand run 'Run a schedule''s prompt now, in the foreground, outside its slots; the result goes to the schedule''s run log'
            cand logs 'Show a schedule''s run log'
        }
        &'aigo;help;schedule;check'= {
        }
        &'aigo;help;schedule;add'= {
        }
        &'aigo;help;schedule;list'= {
        }
        &'aigo;help;schedule;show'= {
        }
        &'aigo;help;schedule;enable'= {
        }
        &'aigo;help;schedule;disable'= {
        }
        &'aigo;help;schedule;remove'= {
        }
        &'aigo;help;schedule;run'= {
        }
        &'aigo;help;schedule;logs'= {
        }
        &'aigo;help;proxy'= {
            cand add 'Add a credential mapping. The real credential comes from a hidden prompt, --credential-stdin or --credential-env, never from an argument'
            cand list 'List mappings (placeholders are shown; real credentials never are)'
            cand remove 'Remove a mapping and its stored credential'
            cand rotate 'Replace a mapping''s real credential, and/or issue it a new placeholder'
            cand start 'Run the proxy in the foreground until Ctrl-C (SIGHUP reloads mappings)'
        }
        &'aigo;help;proxy;add'= {
        }
        &'aigo;help;proxy;list'= {
        }
        &'aigo;help;proxy;remove'= {
        }
        &'aigo;help;proxy;rotate'= {
        }
        &'aigo;help;proxy;start'= {
        }
        &'aigo;help;channels'= {
            cand add 'Configure a channel. Tokens go to the encrypted keystore, never to channels.toml; they come from hidden prompts or --token-stdin'
            cand validate 'Call the service''s identity endpoint (Telegram getMe, Slack auth.test…) and report the bot''s name, or why the token is refused'
            cand status 'Connection status, bot identity, last error and message counts (from the running daemon; without one, only whether the channel is configured)'
            cand remove 'Remove a channel and its stored tokens'
            cand list 'List configured channels (settings and keystore entry names, never tokens)'
        }
        &'aigo;help;channels;add'= {
        }
        &'aigo;help;channels;validate'= {
        }
        &'aigo;help;channels;status'= {
        }
        &'aigo;help;channels;remove'= {
        }
        &'aigo;help;channels;list'= {
        }
        &'aigo;help;network'= {
            cand allow 'Let agents reach hosts through the egress gateway ([network] egress = "allowlist"): api.example.com, *.example.com, an IP address or a CIDR range'
            cand deny 'Remove hosts from the egress allowlist'
            cand list 'The egress mode and the allowlist'
            cand fence 'Print the nftables rules that fence the host from the agents'' network (what the daemon loads as root; load them yourself when it cannot)'
        }
        &'aigo;help;network;allow'= {
        }
        &'aigo;help;network;deny'= {
        }
        &'aigo;help;network;list'= {
        }
        &'aigo;help;network;fence'= {
        }
        &'aigo;help;run'= {
        }
        &'aigo;help;ps'= {
        }
        &'aigo;help;stop'= {
        }
        &'aigo;help;runs'= {
        }
        &'aigo;help;logs'= {
        }
        &'aigo;help;audit'= {
            cand verify 'Check the hash chain; exits 1 and names the first bad line when it is broken'
            cand export 'Print every event as a JSON array (e.g. `aigo audit export > audit.json`)'
            cand record 'Append events (for scripts and tests)'
        }
        &'aigo;help;audit;verify'= {
        }
        &'aigo;help;audit;export'= {
        }
        &'aigo;help;audit;record'= {
        }
        &'aigo;help;completions'= {
        }
        &'aigo;help;man'= {
        }
        &'aigo;help;help'= {
        }
    ]
    $completions[$command]
}
