# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_aigo_global_optspecs
    string join \n home= v/verbose h/help V/version
end

function __fish_aigo_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_aigo_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_aigo_using_subcommand
    set -l cmd (__fish_aigo_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c aigo -n "__fish_aigo_needs_command" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_needs_command" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_needs_command" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_needs_command" -s V -l version -d 'Print version'
complete -c aigo -n "__fish_aigo_needs_command" -f -a "runtime" -d 'Detect the container runtime (Docker, Podman, Apple Container)'
complete -c aigo -n "__fish_aigo_needs_command" -f -a "image" -d 'Build the agent runner image and report its status'
complete -c aigo -n "__fish_aigo_needs_command" -f -a "mount" -d 'Manage the mount allowlist and validate mounts'
complete -c aigo -n "__fish_aigo_needs_command" -f -a "daemon" -d 'Run the daemon: management API, proxy, scheduler, IPC router'
complete -c aigo -n "__fish_aigo_needs_command" -f -a "group" -d 'Manage groups (who agents work for, which chats they may reach)'
complete -c aigo -n "__fish_aigo_needs_command" -f -a "ipc" -d 'Session IPC directories'
complete -c aigo -n "__fish_aigo_needs_command" -f -a "send" -d 'Send a follow-up message to a group\'s running session'
complete -c aigo -n "__fish_aigo_needs_command" -f -a "close" -d 'Ask a group\'s running session to finish'
complete -c aigo -n "__fish_aigo_needs_command" -f -a "schedule" -d 'Scheduled agent runs: check expressions, add, list, enable, logs'
complete -c aigo -n "__fish_aigo_needs_command" -f -a "proxy" -d 'Credential proxy: mappings, keystore, foreground proxy'
complete -c aigo -n "__fish_aigo_needs_command" -f -a "channels" -d 'Chat channels (Telegram, Slack, Discord, WhatsApp): add, validate, status'
complete -c aigo -n "__fish_aigo_needs_command" -f -a "network" -d 'The agents\' network: egress allowlist and host fence'
complete -c aigo -n "__fish_aigo_needs_command" -f -a "run" -d 'Run an agent in a container for a group'
complete -c aigo -n "__fish_aigo_needs_command" -f -a "ps" -d 'List running agent containers'
complete -c aigo -n "__fish_aigo_needs_command" -f -a "stop" -d 'Stop a run (the agent gets `_close`, then SIGTERM, then SIGKILL)'
complete -c aigo -n "__fish_aigo_needs_command" -f -a "runs" -d 'Run history: id, group, session, image, start, end, exit code, reason'
complete -c aigo -n "__fish_aigo_needs_command" -f -a "logs" -d 'Show the daemon\'s log file'
complete -c aigo -n "__fish_aigo_needs_command" -f -a "audit" -d 'Show, verify and export the security audit log'
complete -c aigo -n "__fish_aigo_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c aigo -n "__fish_aigo_needs_command" -f -a "man" -d 'Write man pages'
complete -c aigo -n "__fish_aigo_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aigo -n "__fish_aigo_using_subcommand runtime; and not __fish_seen_subcommand_from status help" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand runtime; and not __fish_seen_subcommand_from status help" -l json -d 'Print the API\'s JSON'
complete -c aigo -n "__fish_aigo_using_subcommand runtime; and not __fish_seen_subcommand_from status help" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand runtime; and not __fish_seen_subcommand_from status help" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand runtime; and not __fish_seen_subcommand_from status help" -f -a "status" -d 'Detect the runtime and report it (the default)'
complete -c aigo -n "__fish_aigo_using_subcommand runtime; and not __fish_seen_subcommand_from status help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aigo -n "__fish_aigo_using_subcommand runtime; and __fish_seen_subcommand_from status" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand runtime; and __fish_seen_subcommand_from status" -l json -d 'Print the API\'s JSON'
complete -c aigo -n "__fish_aigo_using_subcommand runtime; and __fish_seen_subcommand_from status" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand runtime; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand runtime; and __fish_seen_subcommand_from help" -f -a "status" -d 'Detect the runtime and report it (the default)'
complete -c aigo -n "__fish_aigo_using_subcommand runtime; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aigo -n "__fish_aigo_using_subcommand image; and not __fish_seen_subcommand_from build status history context help" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand image; and not __fish_seen_subcommand_from build status history context help" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand image; and not __fish_seen_subcommand_from build status history context help" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand image; and not __fish_seen_subcommand_from build status history context help" -f -a "build" -d 'Build the agent image: the embedded default, or --context DIR'
complete -c aigo -n "__fish_aigo_using_subcommand image; and not __fish_seen_subcommand_from build status history context help" -f -a "status" -d 'Is the image ready, building, failed, missing or outdated? Exits 1 unless ready'
complete -c aigo -n "__fish_aigo_using_subcommand image; and not __fish_seen_subcommand_from build status history context help" -f -a "history" -d 'Recent builds, newest first'
complete -c aigo -n "__fish_aigo_using_subcommand image; and not __fish_seen_subcommand_from build status history context help" -f -a "context" -d 'Write the embedded default build context to DIR, to start a custom image from'
complete -c aigo -n "__fish_aigo_using_subcommand image; and not __fish_seen_subcommand_from build status history context help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aigo -n "__fish_aigo_using_subcommand image; and __fish_seen_subcommand_from build" -s t -l tag -d 'Image tag (default: `image_tag` in config.toml, `aigo-agent-runner:latest`)' -r
complete -c aigo -n "__fish_aigo_using_subcommand image; and __fish_seen_subcommand_from build" -l context -d 'Build context directory (default: the image embedded in aigo)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand image; and __fish_seen_subcommand_from build" -s f -l dockerfile -d 'Dockerfile path inside the context' -r
complete -c aigo -n "__fish_aigo_using_subcommand image; and __fish_seen_subcommand_from build" -l build-arg -d 'A build argument (repeatable)' -r
complete -c aigo -n "__fish_aigo_using_subcommand image; and __fish_seen_subcommand_from build" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand image; and __fish_seen_subcommand_from build" -l no-cache -d 'Do not use the engine\'s build cache'
complete -c aigo -n "__fish_aigo_using_subcommand image; and __fish_seen_subcommand_from build" -s q -l quiet -d 'Print only the image id'
complete -c aigo -n "__fish_aigo_using_subcommand image; and __fish_seen_subcommand_from build" -l json -d 'One JSON object per line: `step` and `log` events, then `finished` with the build record'
complete -c aigo -n "__fish_aigo_using_subcommand image; and __fish_seen_subcommand_from build" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand image; and __fish_seen_subcommand_from build" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand image; and __fish_seen_subcommand_from status" -s t -l tag -d 'Image tag (default: `image_tag` in config.toml)' -r
complete -c aigo -n "__fish_aigo_using_subcommand image; and __fish_seen_subcommand_from status" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand image; and __fish_seen_subcommand_from status" -l json -d 'Print JSON (the same shape the API returns) instead of text'
complete -c aigo -n "__fish_aigo_using_subcommand image; and __fish_seen_subcommand_from status" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand image; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand image; and __fish_seen_subcommand_from history" -s t -l tag -d 'Only builds of this tag' -r
complete -c aigo -n "__fish_aigo_using_subcommand image; and __fish_seen_subcommand_from history" -s n -l limit -d 'How many builds to show' -r
complete -c aigo -n "__fish_aigo_using_subcommand image; and __fish_seen_subcommand_from history" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand image; and __fish_seen_subcommand_from history" -l json -d 'Print JSON (the same shape the API returns) instead of text'
complete -c aigo -n "__fish_aigo_using_subcommand image; and __fish_seen_subcommand_from history" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand image; and __fish_seen_subcommand_from history" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand image; and __fish_seen_subcommand_from context" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand image; and __fish_seen_subcommand_from context" -l force -d 'Overwrite files that exist'
complete -c aigo -n "__fish_aigo_using_subcommand image; and __fish_seen_subcommand_from context" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand image; and __fish_seen_subcommand_from context" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "build" -d 'Build the agent image: the embedded default, or --context DIR'
complete -c aigo -n "__fish_aigo_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "status" -d 'Is the image ready, building, failed, missing or outdated? Exits 1 unless ready'
complete -c aigo -n "__fish_aigo_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "history" -d 'Recent builds, newest first'
complete -c aigo -n "__fish_aigo_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "context" -d 'Write the embedded default build context to DIR, to start a custom image from'
complete -c aigo -n "__fish_aigo_using_subcommand image; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aigo -n "__fish_aigo_using_subcommand mount; and not __fish_seen_subcommand_from add remove list validate allowlist help" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand mount; and not __fish_seen_subcommand_from add remove list validate allowlist help" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand mount; and not __fish_seen_subcommand_from add remove list validate allowlist help" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand mount; and not __fish_seen_subcommand_from add remove list validate allowlist help" -f -a "add" -d 'Allow mounts under ROOT (stored by its canonical path; it must exist)'
complete -c aigo -n "__fish_aigo_using_subcommand mount; and not __fish_seen_subcommand_from add remove list validate allowlist help" -f -a "remove" -d 'Stop allowing mounts under ROOT'
complete -c aigo -n "__fish_aigo_using_subcommand mount; and not __fish_seen_subcommand_from add remove list validate allowlist help" -f -a "list" -d 'List the allowed roots'
complete -c aigo -n "__fish_aigo_using_subcommand mount; and not __fish_seen_subcommand_from add remove list validate allowlist help" -f -a "validate" -d 'Check whether HOST_PATH may be mounted; exits 1 when it may not'
complete -c aigo -n "__fish_aigo_using_subcommand mount; and not __fish_seen_subcommand_from add remove list validate allowlist help" -f -a "allowlist" -d 'Show or replace the whole allowlist (the API\'s JSON)'
complete -c aigo -n "__fish_aigo_using_subcommand mount; and not __fish_seen_subcommand_from add remove list validate allowlist help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aigo -n "__fish_aigo_using_subcommand mount; and __fish_seen_subcommand_from add" -l description -d 'What this root is for (shown in `mount list`)' -r
complete -c aigo -n "__fish_aigo_using_subcommand mount; and __fish_seen_subcommand_from add" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand mount; and __fish_seen_subcommand_from add" -l read-write -d 'Let mounts under this root be read-write when asked for'
complete -c aigo -n "__fish_aigo_using_subcommand mount; and __fish_seen_subcommand_from add" -l pending -d 'ROOT may not exist yet: it matches nothing until it does, and is checked again (canonical path, not too broad) at every validation'
complete -c aigo -n "__fish_aigo_using_subcommand mount; and __fish_seen_subcommand_from add" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand mount; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand mount; and __fish_seen_subcommand_from remove" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand mount; and __fish_seen_subcommand_from remove" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand mount; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand mount; and __fish_seen_subcommand_from list" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand mount; and __fish_seen_subcommand_from list" -l json -d 'Print JSON (the same shape the API returns) instead of text'
complete -c aigo -n "__fish_aigo_using_subcommand mount; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand mount; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand mount; and __fish_seen_subcommand_from validate" -l container-path -d 'Where it would appear (relative to /workspace/extra, or absolute under it)' -r
complete -c aigo -n "__fish_aigo_using_subcommand mount; and __fish_seen_subcommand_from validate" -l group -d 'The group asking (non-main groups may be forced read-only)' -r
complete -c aigo -n "__fish_aigo_using_subcommand mount; and __fish_seen_subcommand_from validate" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand mount; and __fish_seen_subcommand_from validate" -l read-only -d 'Ask for a read-only mount (the default)'
complete -c aigo -n "__fish_aigo_using_subcommand mount; and __fish_seen_subcommand_from validate" -l read-write -d 'Ask for a read-write mount'
complete -c aigo -n "__fish_aigo_using_subcommand mount; and __fish_seen_subcommand_from validate" -l json -d 'Print JSON (the same shape the API returns) instead of text'
complete -c aigo -n "__fish_aigo_using_subcommand mount; and __fish_seen_subcommand_from validate" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand mount; and __fish_seen_subcommand_from validate" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand mount; and __fish_seen_subcommand_from allowlist" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand mount; and __fish_seen_subcommand_from allowlist" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand mount; and __fish_seen_subcommand_from allowlist" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand mount; and __fish_seen_subcommand_from allowlist" -f -a "show" -d 'Print the allowlist as `GET …/mount/allowlist` returns it'
complete -c aigo -n "__fish_aigo_using_subcommand mount; and __fish_seen_subcommand_from allowlist" -f -a "set" -d 'Merge a JSON body `{"allowedRoots":[…],"blockedPatterns":[…]}` into the allowlist by root path (given inline, as @FILE, or - for stdin) and say what changed. A root given as a bare string keeps its stored read-write flag and description; `{"path", "allowReadWrite", "description"}` sets them'
complete -c aigo -n "__fish_aigo_using_subcommand mount; and __fish_seen_subcommand_from allowlist" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aigo -n "__fish_aigo_using_subcommand mount; and __fish_seen_subcommand_from help" -f -a "add" -d 'Allow mounts under ROOT (stored by its canonical path; it must exist)'
complete -c aigo -n "__fish_aigo_using_subcommand mount; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Stop allowing mounts under ROOT'
complete -c aigo -n "__fish_aigo_using_subcommand mount; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the allowed roots'
complete -c aigo -n "__fish_aigo_using_subcommand mount; and __fish_seen_subcommand_from help" -f -a "validate" -d 'Check whether HOST_PATH may be mounted; exits 1 when it may not'
complete -c aigo -n "__fish_aigo_using_subcommand mount; and __fish_seen_subcommand_from help" -f -a "allowlist" -d 'Show or replace the whole allowlist (the API\'s JSON)'
complete -c aigo -n "__fish_aigo_using_subcommand mount; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aigo -n "__fish_aigo_using_subcommand daemon; and not __fish_seen_subcommand_from run status print-unit help" -l bind -d 'API address (default: [api] bind in config.toml, 127.0.0.1:55765)' -r
complete -c aigo -n "__fish_aigo_using_subcommand daemon; and not __fish_seen_subcommand_from run status print-unit help" -l token -d 'Require `Authorization: Bearer TOKEN` on the API. Visible to every user in the process list: prefer AIGO_API_TOKEN or --token-file' -r
complete -c aigo -n "__fish_aigo_using_subcommand daemon; and not __fish_seen_subcommand_from run status print-unit help" -l token-file -d 'Read the API token from FILE (its first line), e.g. a systemd credential. Without --token or --token-file, AIGO_API_TOKEN is used when set' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand daemon; and not __fish_seen_subcommand_from run status print-unit help" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand daemon; and not __fish_seen_subcommand_from run status print-unit help" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand daemon; and not __fish_seen_subcommand_from run status print-unit help" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand daemon; and not __fish_seen_subcommand_from run status print-unit help" -f -a "run" -d 'Run in the foreground (the default): logs to stderr and logs/aigo.log'
complete -c aigo -n "__fish_aigo_using_subcommand daemon; and not __fish_seen_subcommand_from run status print-unit help" -f -a "status" -d 'Whether a daemon runs on this state directory, and where its API is'
complete -c aigo -n "__fish_aigo_using_subcommand daemon; and not __fish_seen_subcommand_from run status print-unit help" -f -a "print-unit" -d 'Print a service definition for this machine'
complete -c aigo -n "__fish_aigo_using_subcommand daemon; and not __fish_seen_subcommand_from run status print-unit help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aigo -n "__fish_aigo_using_subcommand daemon; and __fish_seen_subcommand_from run" -l bind -d 'API address (default: [api] bind in config.toml, 127.0.0.1:55765)' -r
complete -c aigo -n "__fish_aigo_using_subcommand daemon; and __fish_seen_subcommand_from run" -l token -d 'Require `Authorization: Bearer TOKEN` on the API. Visible to every user in the process list: prefer AIGO_API_TOKEN or --token-file' -r
complete -c aigo -n "__fish_aigo_using_subcommand daemon; and __fish_seen_subcommand_from run" -l token-file -d 'Read the API token from FILE (its first line), e.g. a systemd credential. Without --token or --token-file, AIGO_API_TOKEN is used when set' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand daemon; and __fish_seen_subcommand_from run" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand daemon; and __fish_seen_subcommand_from run" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand daemon; and __fish_seen_subcommand_from run" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand daemon; and __fish_seen_subcommand_from status" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand daemon; and __fish_seen_subcommand_from status" -l json -d 'Print JSON (the same shape the API returns) instead of text'
complete -c aigo -n "__fish_aigo_using_subcommand daemon; and __fish_seen_subcommand_from status" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand daemon; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand daemon; and __fish_seen_subcommand_from print-unit" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand daemon; and __fish_seen_subcommand_from print-unit" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand daemon; and __fish_seen_subcommand_from print-unit" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand daemon; and __fish_seen_subcommand_from help" -f -a "run" -d 'Run in the foreground (the default): logs to stderr and logs/aigo.log'
complete -c aigo -n "__fish_aigo_using_subcommand daemon; and __fish_seen_subcommand_from help" -f -a "status" -d 'Whether a daemon runs on this state directory, and where its API is'
complete -c aigo -n "__fish_aigo_using_subcommand daemon; and __fish_seen_subcommand_from help" -f -a "print-unit" -d 'Print a service definition for this machine'
complete -c aigo -n "__fish_aigo_using_subcommand daemon; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aigo -n "__fish_aigo_using_subcommand group; and not __fish_seen_subcommand_from add update list show forget remove help" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand group; and not __fish_seen_subcommand_from add update list show forget remove help" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand group; and not __fish_seen_subcommand_from add update list show forget remove help" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand group; and not __fish_seen_subcommand_from add update list show forget remove help" -f -a "add" -d 'Add a group (one group is the main group)'
complete -c aigo -n "__fish_aigo_using_subcommand group; and not __fish_seen_subcommand_from add update list show forget remove help" -f -a "update" -d 'Change a group: bind or unbind chats, allow or drop senders, describe it'
complete -c aigo -n "__fish_aigo_using_subcommand group; and not __fish_seen_subcommand_from add update list show forget remove help" -f -a "list" -d 'List groups'
complete -c aigo -n "__fish_aigo_using_subcommand group; and not __fish_seen_subcommand_from add update list show forget remove help" -f -a "show" -d 'Show a group: its chats, senders, and the agent sessions its runs resume'
complete -c aigo -n "__fish_aigo_using_subcommand group; and not __fish_seen_subcommand_from add update list show forget remove help" -f -a "forget" -d 'Forget the group\'s agent sessions: the next run starts fresh'
complete -c aigo -n "__fish_aigo_using_subcommand group; and not __fish_seen_subcommand_from add update list show forget remove help" -f -a "remove" -d 'Remove a group (its sessions stay on disk)'
complete -c aigo -n "__fish_aigo_using_subcommand group; and not __fish_seen_subcommand_from add update list show forget remove help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aigo -n "__fish_aigo_using_subcommand group; and __fish_seen_subcommand_from add" -l jid -d 'Bind a chat to the group: tg:<id>, slack:<channel>, dc:<id>, <n>@s.whatsapp.net, <id>@g.us' -r
complete -c aigo -n "__fish_aigo_using_subcommand group; and __fish_seen_subcommand_from add" -l sender -d 'Only these senders may start runs from chats (default: anyone in a bound chat)' -r
complete -c aigo -n "__fish_aigo_using_subcommand group; and __fish_seen_subcommand_from add" -l description -d 'What the group is for' -r
complete -c aigo -n "__fish_aigo_using_subcommand group; and __fish_seen_subcommand_from add" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand group; and __fish_seen_subcommand_from add" -l main -d 'Make this the main group (may send anywhere, may mount read-write)'
complete -c aigo -n "__fish_aigo_using_subcommand group; and __fish_seen_subcommand_from add" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand group; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand group; and __fish_seen_subcommand_from update" -l add-jid -d 'Bind another chat to the group (repeatable)' -r
complete -c aigo -n "__fish_aigo_using_subcommand group; and __fish_seen_subcommand_from update" -l remove-jid -d 'Unbind a chat from the group (repeatable)' -r
complete -c aigo -n "__fish_aigo_using_subcommand group; and __fish_seen_subcommand_from update" -l add-sender -d 'Allow another sender to start runs from chats (repeatable)' -r
complete -c aigo -n "__fish_aigo_using_subcommand group; and __fish_seen_subcommand_from update" -l remove-sender -d 'Stop allowing a sender (repeatable)' -r
complete -c aigo -n "__fish_aigo_using_subcommand group; and __fish_seen_subcommand_from update" -l description -d 'New description ("" clears it)' -r
complete -c aigo -n "__fish_aigo_using_subcommand group; and __fish_seen_subcommand_from update" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand group; and __fish_seen_subcommand_from update" -l json -d 'Print JSON (the same shape the API returns) instead of text'
complete -c aigo -n "__fish_aigo_using_subcommand group; and __fish_seen_subcommand_from update" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand group; and __fish_seen_subcommand_from update" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand group; and __fish_seen_subcommand_from list" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand group; and __fish_seen_subcommand_from list" -l json -d 'Print JSON (the same shape the API returns) instead of text'
complete -c aigo -n "__fish_aigo_using_subcommand group; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only ids (names), one per line'
complete -c aigo -n "__fish_aigo_using_subcommand group; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand group; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand group; and __fish_seen_subcommand_from show" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand group; and __fish_seen_subcommand_from show" -l json -d 'Print JSON ({group, agentStateDir, sessions}) instead of text'
complete -c aigo -n "__fish_aigo_using_subcommand group; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand group; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand group; and __fish_seen_subcommand_from forget" -l chat -d 'Only this chat\'s session (default: every session of the group)' -r
complete -c aigo -n "__fish_aigo_using_subcommand group; and __fish_seen_subcommand_from forget" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand group; and __fish_seen_subcommand_from forget" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand group; and __fish_seen_subcommand_from forget" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand group; and __fish_seen_subcommand_from remove" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand group; and __fish_seen_subcommand_from remove" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand group; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand group; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add a group (one group is the main group)'
complete -c aigo -n "__fish_aigo_using_subcommand group; and __fish_seen_subcommand_from help" -f -a "update" -d 'Change a group: bind or unbind chats, allow or drop senders, describe it'
complete -c aigo -n "__fish_aigo_using_subcommand group; and __fish_seen_subcommand_from help" -f -a "list" -d 'List groups'
complete -c aigo -n "__fish_aigo_using_subcommand group; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show a group: its chats, senders, and the agent sessions its runs resume'
complete -c aigo -n "__fish_aigo_using_subcommand group; and __fish_seen_subcommand_from help" -f -a "forget" -d 'Forget the group\'s agent sessions: the next run starts fresh'
complete -c aigo -n "__fish_aigo_using_subcommand group; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove a group (its sessions stay on disk)'
complete -c aigo -n "__fish_aigo_using_subcommand group; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aigo -n "__fish_aigo_using_subcommand ipc; and not __fish_seen_subcommand_from init help" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand ipc; and not __fish_seen_subcommand_from init help" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand ipc; and not __fish_seen_subcommand_from init help" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand ipc; and not __fish_seen_subcommand_from init help" -f -a "init" -d 'Create a session\'s IPC directories (input, messages, tasks, errors, events)'
complete -c aigo -n "__fish_aigo_using_subcommand ipc; and not __fish_seen_subcommand_from init help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aigo -n "__fish_aigo_using_subcommand ipc; and __fish_seen_subcommand_from init" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand ipc; and __fish_seen_subcommand_from init" -l json -d 'Print JSON (the same shape the API returns) instead of text'
complete -c aigo -n "__fish_aigo_using_subcommand ipc; and __fish_seen_subcommand_from init" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand ipc; and __fish_seen_subcommand_from init" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand ipc; and __fish_seen_subcommand_from help" -f -a "init" -d 'Create a session\'s IPC directories (input, messages, tasks, errors, events)'
complete -c aigo -n "__fish_aigo_using_subcommand ipc; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aigo -n "__fish_aigo_using_subcommand send" -l group -d 'Group whose running session gets the message' -r
complete -c aigo -n "__fish_aigo_using_subcommand send" -l session -d 'Session to write to (default: the group\'s newest running one)' -r
complete -c aigo -n "__fish_aigo_using_subcommand send" -l sender -d 'Who the message is from, as the agent sees it' -r
complete -c aigo -n "__fish_aigo_using_subcommand send" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand send" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand send" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand close" -l group -d 'Group whose running session should finish' -r
complete -c aigo -n "__fish_aigo_using_subcommand close" -l session -d 'Session id (default: the group\'s latest session)' -r
complete -c aigo -n "__fish_aigo_using_subcommand close" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand close" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand close" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and not __fish_seen_subcommand_from check add list show enable disable remove run logs help" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and not __fish_seen_subcommand_from check add list show enable disable remove run logs help" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and not __fish_seen_subcommand_from check add list show enable disable remove run logs help" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and not __fish_seen_subcommand_from check add list show enable disable remove run logs help" -f -a "check" -d 'Show when a schedule fires (next runs in the zone and UTC), what it means in words, and DST or calendar surprises; exits 1 when it is invalid'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and not __fish_seen_subcommand_from check add list show enable disable remove run logs help" -f -a "add" -d 'Add a schedule that runs PROMPT in GROUP\'s agent container'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and not __fish_seen_subcommand_from check add list show enable disable remove run logs help" -f -a "list" -d 'List schedules with their next run'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and not __fish_seen_subcommand_from check add list show enable disable remove run logs help" -f -a "show" -d 'Show one schedule (by id or unique name) and its next runs'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and not __fish_seen_subcommand_from check add list show enable disable remove run logs help" -f -a "enable" -d 'Enable a schedule; missed slots are skipped, not replayed'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and not __fish_seen_subcommand_from check add list show enable disable remove run logs help" -f -a "disable" -d 'Disable (pause) a schedule'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and not __fish_seen_subcommand_from check add list show enable disable remove run logs help" -f -a "remove" -d 'Remove a schedule (its run log is kept)'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and not __fish_seen_subcommand_from check add list show enable disable remove run logs help" -f -a "run" -d 'Run a schedule\'s prompt now, in the foreground, outside its slots; the result goes to the schedule\'s run log'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and not __fish_seen_subcommand_from check add list show enable disable remove run logs help" -f -a "logs" -d 'Show a schedule\'s run log'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and not __fish_seen_subcommand_from check add list show enable disable remove run logs help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from check" -l cron -d 'Standard 5-field cron (minute hour day-of-month month day-of-week), or @hourly @daily @weekly @monthly @yearly' -r
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from check" -l every -d 'A fixed interval: 30m, 1h30m, 45s, 1500ms' -r
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from check" -l at -d 'Once, at a timestamp: 2026-12-01T09:00 (in the zone) or with an offset/Z' -r
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from check" -l tz -d 'IANA time zone (default: the system\'s)' -r
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from check" -l from -d 'Pretend it is now TIMESTAMP, for a reproducible answer' -r
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from check" -l count -d 'How many next runs to show' -r
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from check" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from check" -l json -d 'Print JSON (the same shape the API returns) instead of text'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from check" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from add" -l name -d 'A name to refer to the schedule by (unique)' -r
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from add" -l group -d 'Group whose agent runs the prompt' -r
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from add" -l prompt -d 'What the agent is asked to do' -r
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from add" -l cron -d 'Standard 5-field cron (minute hour day-of-month month day-of-week), or @hourly @daily @weekly @monthly @yearly' -r
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from add" -l every -d 'A fixed interval: 30m, 1h30m, 45s, 1500ms' -r
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from add" -l at -d 'Once, at a timestamp: 2026-12-01T09:00 (in the zone) or with an offset/Z' -r
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from add" -l timeout -d 'Stop a run after this long (e.g. 300s, 10m)' -r
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from add" -l context -d 'Run in the group\'s session, or in a fresh one each time' -r -f -a "group\t''
isolated\t''"
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from add" -l tz -d 'IANA time zone for cron fields and a naive --at (default: the system\'s)' -r
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from add" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from add" -l disabled -d 'Add it paused'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from add" -l json -d 'Print JSON (the same shape the API returns) instead of text'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from add" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from list" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from list" -l json -d 'Print JSON (the same shape the API returns) instead of text'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only ids (names), one per line'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from show" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from show" -l json -d 'Print JSON (the same shape the API returns) instead of text'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from show" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from enable" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from enable" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from enable" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from disable" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from disable" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from disable" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from remove" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from remove" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from run" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from run" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from run" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from logs" -l last -d 'Only the last N runs' -r
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from logs" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from logs" -l json -d 'Print JSON (the same shape the API returns) instead of text'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from logs" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from logs" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from help" -f -a "check" -d 'Show when a schedule fires (next runs in the zone and UTC), what it means in words, and DST or calendar surprises; exits 1 when it is invalid'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add a schedule that runs PROMPT in GROUP\'s agent container'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from help" -f -a "list" -d 'List schedules with their next run'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one schedule (by id or unique name) and its next runs'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from help" -f -a "enable" -d 'Enable a schedule; missed slots are skipped, not replayed'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from help" -f -a "disable" -d 'Disable (pause) a schedule'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove a schedule (its run log is kept)'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from help" -f -a "run" -d 'Run a schedule\'s prompt now, in the foreground, outside its slots; the result goes to the schedule\'s run log'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from help" -f -a "logs" -d 'Show a schedule\'s run log'
complete -c aigo -n "__fish_aigo_using_subcommand schedule; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and not __fish_seen_subcommand_from add list remove rotate start help" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and not __fish_seen_subcommand_from add list remove rotate start help" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and not __fish_seen_subcommand_from add list remove rotate start help" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and not __fish_seen_subcommand_from add list remove rotate start help" -f -a "add" -d 'Add a credential mapping. The real credential comes from a hidden prompt, --credential-stdin or --credential-env, never from an argument'
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and not __fish_seen_subcommand_from add list remove rotate start help" -f -a "list" -d 'List mappings (placeholders are shown; real credentials never are)'
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and not __fish_seen_subcommand_from add list remove rotate start help" -f -a "remove" -d 'Remove a mapping and its stored credential'
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and not __fish_seen_subcommand_from add list remove rotate start help" -f -a "rotate" -d 'Replace a mapping\'s real credential, and/or issue it a new placeholder'
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and not __fish_seen_subcommand_from add list remove rotate start help" -f -a "start" -d 'Run the proxy in the foreground until Ctrl-C (SIGHUP reloads mappings)'
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and not __fish_seen_subcommand_from add list remove rotate start help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and __fish_seen_subcommand_from add" -l name -d 'A label, e.g. "Anthropic API"' -r
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and __fish_seen_subcommand_from add" -l upstream -d 'The real API endpoint, e.g. https://api.anthropic.com (a path prefix is kept)' -r
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and __fish_seen_subcommand_from add" -l type -d 'How the key is sent upstream: api-key (x-api-key) or oauth (Authorization: Bearer)' -r -f -a "api-key\t'Sent upstream as `x-api-key`'
oauth-bearer\t'Sent upstream as `Authorization: Bearer`'"
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and __fish_seen_subcommand_from add" -l credential-env -d 'Read the real credential from this environment variable' -r
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and __fish_seen_subcommand_from add" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and __fish_seen_subcommand_from add" -l default -d 'Make this the mapping CREDENTIAL_PROXY_PLACEHOLDER selects (the first one is)'
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and __fish_seen_subcommand_from add" -l credential-stdin -d 'Read the real credential from standard input'
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and __fish_seen_subcommand_from add" -l json -d 'Print JSON (the same shape the API returns) instead of text'
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and __fish_seen_subcommand_from add" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and __fish_seen_subcommand_from list" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and __fish_seen_subcommand_from list" -l json -d 'Print JSON (the same shape the API returns) instead of text'
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only ids (names), one per line'
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and __fish_seen_subcommand_from remove" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and __fish_seen_subcommand_from remove" -l json -d 'Print JSON (the same shape the API returns) instead of text'
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and __fish_seen_subcommand_from remove" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and __fish_seen_subcommand_from rotate" -l credential-env -d 'Read the real credential from this environment variable' -r
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and __fish_seen_subcommand_from rotate" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and __fish_seen_subcommand_from rotate" -l credential-stdin -d 'Read the real credential from standard input'
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and __fish_seen_subcommand_from rotate" -l new-placeholder -d 'Also issue a new placeholder (containers holding the old one lose access)'
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and __fish_seen_subcommand_from rotate" -l placeholder-only -d 'Only issue a new placeholder; keep the stored credential'
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and __fish_seen_subcommand_from rotate" -l json -d 'Print JSON (the same shape the API returns) instead of text'
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and __fish_seen_subcommand_from rotate" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and __fish_seen_subcommand_from rotate" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and __fish_seen_subcommand_from start" -l port -d 'Port to listen on (default: config.toml\'s proxy.port, 3001)' -r
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and __fish_seen_subcommand_from start" -l bind -d 'Address to listen on (default: loopback on macOS/WSL, the container bridge gateway on Linux; 0.0.0.0 only when given here or in config.toml)' -r
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and __fish_seen_subcommand_from start" -l allow-caller -d 'Serve requests from this source address (repeatable), e.g. a container you started yourself. The daemon admits its own agent containers' -r
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and __fish_seen_subcommand_from start" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and __fish_seen_subcommand_from start" -l any-caller -d 'Serve any caller that knows a placeholder, as before callers were identified (every process and container that reaches the port)'
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and __fish_seen_subcommand_from start" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and __fish_seen_subcommand_from start" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add a credential mapping. The real credential comes from a hidden prompt, --credential-stdin or --credential-env, never from an argument'
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and __fish_seen_subcommand_from help" -f -a "list" -d 'List mappings (placeholders are shown; real credentials never are)'
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove a mapping and its stored credential'
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and __fish_seen_subcommand_from help" -f -a "rotate" -d 'Replace a mapping\'s real credential, and/or issue it a new placeholder'
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and __fish_seen_subcommand_from help" -f -a "start" -d 'Run the proxy in the foreground until Ctrl-C (SIGHUP reloads mappings)'
complete -c aigo -n "__fish_aigo_using_subcommand proxy; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aigo -n "__fish_aigo_using_subcommand channels; and not __fish_seen_subcommand_from add validate status remove list help" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand channels; and not __fish_seen_subcommand_from add validate status remove list help" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand channels; and not __fish_seen_subcommand_from add validate status remove list help" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand channels; and not __fish_seen_subcommand_from add validate status remove list help" -f -a "add" -d 'Configure a channel. Tokens go to the encrypted keystore, never to channels.toml; they come from hidden prompts or --token-stdin'
complete -c aigo -n "__fish_aigo_using_subcommand channels; and not __fish_seen_subcommand_from add validate status remove list help" -f -a "validate" -d 'Call the service\'s identity endpoint (Telegram getMe, Slack auth.test…) and report the bot\'s name, or why the token is refused'
complete -c aigo -n "__fish_aigo_using_subcommand channels; and not __fish_seen_subcommand_from add validate status remove list help" -f -a "status" -d 'Connection status, bot identity, last error and message counts (from the running daemon; without one, only whether the channel is configured)'
complete -c aigo -n "__fish_aigo_using_subcommand channels; and not __fish_seen_subcommand_from add validate status remove list help" -f -a "remove" -d 'Remove a channel and its stored tokens'
complete -c aigo -n "__fish_aigo_using_subcommand channels; and not __fish_seen_subcommand_from add validate status remove list help" -f -a "list" -d 'List configured channels (settings and keystore entry names, never tokens)'
complete -c aigo -n "__fish_aigo_using_subcommand channels; and not __fish_seen_subcommand_from add validate status remove list help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aigo -n "__fish_aigo_using_subcommand channels; and __fish_seen_subcommand_from add" -l phone-number-id -d 'WhatsApp: the business phone number\'s id in the Graph API' -r
complete -c aigo -n "__fish_aigo_using_subcommand channels; and __fish_seen_subcommand_from add" -l graph-version -d 'WhatsApp: the Graph API version, like v26.0 (default: the current one when this aigo was released)' -r
complete -c aigo -n "__fish_aigo_using_subcommand channels; and __fish_seen_subcommand_from add" -l api-base -d 'The service\'s API base URL (default: the public endpoint)' -r
complete -c aigo -n "__fish_aigo_using_subcommand channels; and __fish_seen_subcommand_from add" -l trigger -d 'In group chats, a message with this word counts like an @mention' -r
complete -c aigo -n "__fish_aigo_using_subcommand channels; and __fish_seen_subcommand_from add" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand channels; and __fish_seen_subcommand_from add" -l token-stdin -d 'Read the secrets from standard input, one per line: telegram/discord: the bot token; slack: the bot token (xoxb-) then the app token (xapp-); whatsapp: the access token, the webhook verify token, then the app secret'
complete -c aigo -n "__fish_aigo_using_subcommand channels; and __fish_seen_subcommand_from add" -l json -d 'Print JSON (the same shape the API returns) instead of text'
complete -c aigo -n "__fish_aigo_using_subcommand channels; and __fish_seen_subcommand_from add" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand channels; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand channels; and __fish_seen_subcommand_from validate" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand channels; and __fish_seen_subcommand_from validate" -l json -d 'Print JSON (the same shape the API returns) instead of text'
complete -c aigo -n "__fish_aigo_using_subcommand channels; and __fish_seen_subcommand_from validate" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand channels; and __fish_seen_subcommand_from validate" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand channels; and __fish_seen_subcommand_from status" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand channels; and __fish_seen_subcommand_from status" -l json -d 'Print JSON (the same shape the API returns) instead of text'
complete -c aigo -n "__fish_aigo_using_subcommand channels; and __fish_seen_subcommand_from status" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand channels; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand channels; and __fish_seen_subcommand_from remove" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand channels; and __fish_seen_subcommand_from remove" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand channels; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand channels; and __fish_seen_subcommand_from list" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand channels; and __fish_seen_subcommand_from list" -l json -d 'Print JSON (the same shape the API returns) instead of text'
complete -c aigo -n "__fish_aigo_using_subcommand channels; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand channels; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand channels; and __fish_seen_subcommand_from help" -f -a "add" -d 'Configure a channel. Tokens go to the encrypted keystore, never to channels.toml; they come from hidden prompts or --token-stdin'
complete -c aigo -n "__fish_aigo_using_subcommand channels; and __fish_seen_subcommand_from help" -f -a "validate" -d 'Call the service\'s identity endpoint (Telegram getMe, Slack auth.test…) and report the bot\'s name, or why the token is refused'
complete -c aigo -n "__fish_aigo_using_subcommand channels; and __fish_seen_subcommand_from help" -f -a "status" -d 'Connection status, bot identity, last error and message counts (from the running daemon; without one, only whether the channel is configured)'
complete -c aigo -n "__fish_aigo_using_subcommand channels; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove a channel and its stored tokens'
complete -c aigo -n "__fish_aigo_using_subcommand channels; and __fish_seen_subcommand_from help" -f -a "list" -d 'List configured channels (settings and keystore entry names, never tokens)'
complete -c aigo -n "__fish_aigo_using_subcommand channels; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aigo -n "__fish_aigo_using_subcommand network; and not __fish_seen_subcommand_from allow deny list fence help" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand network; and not __fish_seen_subcommand_from allow deny list fence help" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand network; and not __fish_seen_subcommand_from allow deny list fence help" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand network; and not __fish_seen_subcommand_from allow deny list fence help" -f -a "allow" -d 'Let agents reach hosts through the egress gateway ([network] egress = "allowlist"): api.example.com, *.example.com, an IP address or a CIDR range'
complete -c aigo -n "__fish_aigo_using_subcommand network; and not __fish_seen_subcommand_from allow deny list fence help" -f -a "deny" -d 'Remove hosts from the egress allowlist'
complete -c aigo -n "__fish_aigo_using_subcommand network; and not __fish_seen_subcommand_from allow deny list fence help" -f -a "list" -d 'The egress mode and the allowlist'
complete -c aigo -n "__fish_aigo_using_subcommand network; and not __fish_seen_subcommand_from allow deny list fence help" -f -a "fence" -d 'Print the nftables rules that fence the host from the agents\' network (what the daemon loads as root; load them yourself when it cannot)'
complete -c aigo -n "__fish_aigo_using_subcommand network; and not __fish_seen_subcommand_from allow deny list fence help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aigo -n "__fish_aigo_using_subcommand network; and __fish_seen_subcommand_from allow" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand network; and __fish_seen_subcommand_from allow" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand network; and __fish_seen_subcommand_from allow" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand network; and __fish_seen_subcommand_from deny" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand network; and __fish_seen_subcommand_from deny" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand network; and __fish_seen_subcommand_from deny" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand network; and __fish_seen_subcommand_from list" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand network; and __fish_seen_subcommand_from list" -l json -d 'Print JSON ({egress, network, allow}) instead of text'
complete -c aigo -n "__fish_aigo_using_subcommand network; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only the allowlist entries, one per line'
complete -c aigo -n "__fish_aigo_using_subcommand network; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand network; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand network; and __fish_seen_subcommand_from fence" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand network; and __fish_seen_subcommand_from fence" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand network; and __fish_seen_subcommand_from fence" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand network; and __fish_seen_subcommand_from help" -f -a "allow" -d 'Let agents reach hosts through the egress gateway ([network] egress = "allowlist"): api.example.com, *.example.com, an IP address or a CIDR range'
complete -c aigo -n "__fish_aigo_using_subcommand network; and __fish_seen_subcommand_from help" -f -a "deny" -d 'Remove hosts from the egress allowlist'
complete -c aigo -n "__fish_aigo_using_subcommand network; and __fish_seen_subcommand_from help" -f -a "list" -d 'The egress mode and the allowlist'
complete -c aigo -n "__fish_aigo_using_subcommand network; and __fish_seen_subcommand_from help" -f -a "fence" -d 'Print the nftables rules that fence the host from the agents\' network (what the daemon loads as root; load them yourself when it cannot)'
complete -c aigo -n "__fish_aigo_using_subcommand network; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aigo -n "__fish_aigo_using_subcommand run" -l group -d 'Group the agent works for (see `aigo group list`)' -r
complete -c aigo -n "__fish_aigo_using_subcommand run" -l prompt -d 'The first message the agent gets (optional with -i: then the first line you type)' -r
complete -c aigo -n "__fish_aigo_using_subcommand run" -l prompt-file -d 'Read the prompt from FILE (- for stdin)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand run" -l mount -d 'Extra mount HOST_PATH:NAME[:rw], validated against the allowlist (repeatable)' -r
complete -c aigo -n "__fish_aigo_using_subcommand run" -l timeout -d 'Wall-clock limit, e.g. 30m (default: [runs] timeout_secs)' -r
complete -c aigo -n "__fish_aigo_using_subcommand run" -l idle-timeout -d 'Close the session this long after the agent\'s last answer or your last message, e.g. 5m (default: [runs] idle_timeout_secs; 0 = never)' -r
complete -c aigo -n "__fish_aigo_using_subcommand run" -l image -d 'Image to run (default: config.toml image_tag)' -r
complete -c aigo -n "__fish_aigo_using_subcommand run" -l session -d 'Join this session instead of starting a fresh one' -r
complete -c aigo -n "__fish_aigo_using_subcommand run" -l jid -d 'Chat the agent\'s replies go to (default: none, they come to this terminal)' -r
complete -c aigo -n "__fish_aigo_using_subcommand run" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand run" -l new -d 'Start a fresh agent session instead of resuming this chat\'s last one'
complete -c aigo -n "__fish_aigo_using_subcommand run" -s i -l interactive -d 'A conversation: each line you type is a follow-up; Ctrl-D ends it'
complete -c aigo -n "__fish_aigo_using_subcommand run" -l detach -d 'Hand the run to the daemon and print its id; `aigo ps`, `aigo stop` and `aigo runs` follow it'
complete -c aigo -n "__fish_aigo_using_subcommand run" -l json -d 'Print the runner\'s events as JSON lines, then the run\'s record'
complete -c aigo -n "__fish_aigo_using_subcommand run" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand run" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand ps" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand ps" -l json -d 'Print JSON (the same shape the API returns) instead of text'
complete -c aigo -n "__fish_aigo_using_subcommand ps" -s q -l quiet -d 'Print only run ids, one per line'
complete -c aigo -n "__fish_aigo_using_subcommand ps" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand ps" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand stop" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand stop" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand stop" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand runs" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand runs" -l json -d 'Print JSON (the same shape the API returns) instead of text'
complete -c aigo -n "__fish_aigo_using_subcommand runs" -s q -l quiet -d 'Print only run ids, one per line'
complete -c aigo -n "__fish_aigo_using_subcommand runs" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand runs" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand logs" -s n -l last -d 'How many of the last lines to show' -r
complete -c aigo -n "__fish_aigo_using_subcommand logs" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand logs" -s f -l follow -d 'Keep printing lines as the daemon writes them (Ctrl-C to stop)'
complete -c aigo -n "__fish_aigo_using_subcommand logs" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand logs" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand audit; and not __fish_seen_subcommand_from verify export record help" -l severity -d 'Only events of exactly this severity (info, warning, violation)' -r
complete -c aigo -n "__fish_aigo_using_subcommand audit; and not __fish_seen_subcommand_from verify export record help" -l min-severity -d 'Events of this severity or worse (warning = warnings and violations)' -r
complete -c aigo -n "__fish_aigo_using_subcommand audit; and not __fish_seen_subcommand_from verify export record help" -l category -d 'Only this category (mount, ipc, quarantine, proxy, container, compliance, audit, channel)' -r
complete -c aigo -n "__fish_aigo_using_subcommand audit; and not __fish_seen_subcommand_from verify export record help" -l group -d 'Only events of this group' -r
complete -c aigo -n "__fish_aigo_using_subcommand audit; and not __fish_seen_subcommand_from verify export record help" -s n -l limit -d 'How many of the newest matching events to show' -r
complete -c aigo -n "__fish_aigo_using_subcommand audit; and not __fish_seen_subcommand_from verify export record help" -l since -d 'Only events at or after this time: RFC 3339, or a duration back from now (30m, 1h, 2d, 1w)' -r
complete -c aigo -n "__fish_aigo_using_subcommand audit; and not __fish_seen_subcommand_from verify export record help" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand audit; and not __fish_seen_subcommand_from verify export record help" -l json -d 'Print `{"events":[…],"total":N}` as `GET /api/v1/container/audit-log` returns it'
complete -c aigo -n "__fish_aigo_using_subcommand audit; and not __fish_seen_subcommand_from verify export record help" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand audit; and not __fish_seen_subcommand_from verify export record help" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand audit; and not __fish_seen_subcommand_from verify export record help" -f -a "verify" -d 'Check the hash chain; exits 1 and names the first bad line when it is broken'
complete -c aigo -n "__fish_aigo_using_subcommand audit; and not __fish_seen_subcommand_from verify export record help" -f -a "export" -d 'Print every event as a JSON array (e.g. `aigo audit export > audit.json`)'
complete -c aigo -n "__fish_aigo_using_subcommand audit; and not __fish_seen_subcommand_from verify export record help" -f -a "record" -d 'Append events (for scripts and tests)'
complete -c aigo -n "__fish_aigo_using_subcommand audit; and not __fish_seen_subcommand_from verify export record help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aigo -n "__fish_aigo_using_subcommand audit; and __fish_seen_subcommand_from verify" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand audit; and __fish_seen_subcommand_from verify" -l json -d 'Print JSON (the same shape the API returns) instead of text'
complete -c aigo -n "__fish_aigo_using_subcommand audit; and __fish_seen_subcommand_from verify" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand audit; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand audit; and __fish_seen_subcommand_from export" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand audit; and __fish_seen_subcommand_from export" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand audit; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand audit; and __fish_seen_subcommand_from record" -l severity -d 'Severity of the event: info, warning or violation' -r
complete -c aigo -n "__fish_aigo_using_subcommand audit; and __fish_seen_subcommand_from record" -l category -d 'Category of the event (mount, ipc, proxy, container, …)' -r
complete -c aigo -n "__fish_aigo_using_subcommand audit; and __fish_seen_subcommand_from record" -l message -d 'What happened, in words' -r
complete -c aigo -n "__fish_aigo_using_subcommand audit; and __fish_seen_subcommand_from record" -l group -d 'The group the event concerns' -r
complete -c aigo -n "__fish_aigo_using_subcommand audit; and __fish_seen_subcommand_from record" -l details -d 'Details as a JSON object' -r
complete -c aigo -n "__fish_aigo_using_subcommand audit; and __fish_seen_subcommand_from record" -l count -d 'Append this many events (the message gets " #i" appended)' -r
complete -c aigo -n "__fish_aigo_using_subcommand audit; and __fish_seen_subcommand_from record" -l batch -d 'Events per write + fsync' -r
complete -c aigo -n "__fish_aigo_using_subcommand audit; and __fish_seen_subcommand_from record" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand audit; and __fish_seen_subcommand_from record" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand audit; and __fish_seen_subcommand_from record" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Check the hash chain; exits 1 and names the first bad line when it is broken'
complete -c aigo -n "__fish_aigo_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "export" -d 'Print every event as a JSON array (e.g. `aigo audit export > audit.json`)'
complete -c aigo -n "__fish_aigo_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "record" -d 'Append events (for scripts and tests)'
complete -c aigo -n "__fish_aigo_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aigo -n "__fish_aigo_using_subcommand completions" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand completions" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand completions" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand man" -l out-dir -d 'Write one page per command into DIR (default: print `aigo.1` to stdout)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand man" -l home -d 'State directory (default: $AIGO_HOME, else the platform data directory)' -r -F
complete -c aigo -n "__fish_aigo_using_subcommand man" -s v -l verbose -d 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides'
complete -c aigo -n "__fish_aigo_using_subcommand man" -s h -l help -d 'Print help'
complete -c aigo -n "__fish_aigo_using_subcommand help; and not __fish_seen_subcommand_from runtime image mount daemon group ipc send close schedule proxy channels network run ps stop runs logs audit completions man help" -f -a "runtime" -d 'Detect the container runtime (Docker, Podman, Apple Container)'
complete -c aigo -n "__fish_aigo_using_subcommand help; and not __fish_seen_subcommand_from runtime image mount daemon group ipc send close schedule proxy channels network run ps stop runs logs audit completions man help" -f -a "image" -d 'Build the agent runner image and report its status'
complete -c aigo -n "__fish_aigo_using_subcommand help; and not __fish_seen_subcommand_from runtime image mount daemon group ipc send close schedule proxy channels network run ps stop runs logs audit completions man help" -f -a "mount" -d 'Manage the mount allowlist and validate mounts'
complete -c aigo -n "__fish_aigo_using_subcommand help; and not __fish_seen_subcommand_from runtime image mount daemon group ipc send close schedule proxy channels network run ps stop runs logs audit completions man help" -f -a "daemon" -d 'Run the daemon: management API, proxy, scheduler, IPC router'
complete -c aigo -n "__fish_aigo_using_subcommand help; and not __fish_seen_subcommand_from runtime image mount daemon group ipc send close schedule proxy channels network run ps stop runs logs audit completions man help" -f -a "group" -d 'Manage groups (who agents work for, which chats they may reach)'
complete -c aigo -n "__fish_aigo_using_subcommand help; and not __fish_seen_subcommand_from runtime image mount daemon group ipc send close schedule proxy channels network run ps stop runs logs audit completions man help" -f -a "ipc" -d 'Session IPC directories'
complete -c aigo -n "__fish_aigo_using_subcommand help; and not __fish_seen_subcommand_from runtime image mount daemon group ipc send close schedule proxy channels network run ps stop runs logs audit completions man help" -f -a "send" -d 'Send a follow-up message to a group\'s running session'
complete -c aigo -n "__fish_aigo_using_subcommand help; and not __fish_seen_subcommand_from runtime image mount daemon group ipc send close schedule proxy channels network run ps stop runs logs audit completions man help" -f -a "close" -d 'Ask a group\'s running session to finish'
complete -c aigo -n "__fish_aigo_using_subcommand help; and not __fish_seen_subcommand_from runtime image mount daemon group ipc send close schedule proxy channels network run ps stop runs logs audit completions man help" -f -a "schedule" -d 'Scheduled agent runs: check expressions, add, list, enable, logs'
complete -c aigo -n "__fish_aigo_using_subcommand help; and not __fish_seen_subcommand_from runtime image mount daemon group ipc send close schedule proxy channels network run ps stop runs logs audit completions man help" -f -a "proxy" -d 'Credential proxy: mappings, keystore, foreground proxy'
complete -c aigo -n "__fish_aigo_using_subcommand help; and not __fish_seen_subcommand_from runtime image mount daemon group ipc send close schedule proxy channels network run ps stop runs logs audit completions man help" -f -a "channels" -d 'Chat channels (Telegram, Slack, Discord, WhatsApp): add, validate, status'
complete -c aigo -n "__fish_aigo_using_subcommand help; and not __fish_seen_subcommand_from runtime image mount daemon group ipc send close schedule proxy channels network run ps stop runs logs audit completions man help" -f -a "network" -d 'The agents\' network: egress allowlist and host fence'
complete -c aigo -n "__fish_aigo_using_subcommand help; and not __fish_seen_subcommand_from runtime image mount daemon group ipc send close schedule proxy channels network run ps stop runs logs audit completions man help" -f -a "run" -d 'Run an agent in a container for a group'
complete -c aigo -n "__fish_aigo_using_subcommand help; and not __fish_seen_subcommand_from runtime image mount daemon group ipc send close schedule proxy channels network run ps stop runs logs audit completions man help" -f -a "ps" -d 'List running agent containers'
complete -c aigo -n "__fish_aigo_using_subcommand help; and not __fish_seen_subcommand_from runtime image mount daemon group ipc send close schedule proxy channels network run ps stop runs logs audit completions man help" -f -a "stop" -d 'Stop a run (the agent gets `_close`, then SIGTERM, then SIGKILL)'
complete -c aigo -n "__fish_aigo_using_subcommand help; and not __fish_seen_subcommand_from runtime image mount daemon group ipc send close schedule proxy channels network run ps stop runs logs audit completions man help" -f -a "runs" -d 'Run history: id, group, session, image, start, end, exit code, reason'
complete -c aigo -n "__fish_aigo_using_subcommand help; and not __fish_seen_subcommand_from runtime image mount daemon group ipc send close schedule proxy channels network run ps stop runs logs audit completions man help" -f -a "logs" -d 'Show the daemon\'s log file'
complete -c aigo -n "__fish_aigo_using_subcommand help; and not __fish_seen_subcommand_from runtime image mount daemon group ipc send close schedule proxy channels network run ps stop runs logs audit completions man help" -f -a "audit" -d 'Show, verify and export the security audit log'
complete -c aigo -n "__fish_aigo_using_subcommand help; and not __fish_seen_subcommand_from runtime image mount daemon group ipc send close schedule proxy channels network run ps stop runs logs audit completions man help" -f -a "completions" -d 'Print a shell completion script'
complete -c aigo -n "__fish_aigo_using_subcommand help; and not __fish_seen_subcommand_from runtime image mount daemon group ipc send close schedule proxy channels network run ps stop runs logs audit completions man help" -f -a "man" -d 'Write man pages'
complete -c aigo -n "__fish_aigo_using_subcommand help; and not __fish_seen_subcommand_from runtime image mount daemon group ipc send close schedule proxy channels network run ps stop runs logs audit completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from runtime" -f -a "status" -d 'Detect the runtime and report it (the default)'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "build" -d 'Build the agent image: the embedded default, or --context DIR'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "status" -d 'Is the image ready, building, failed, missing or outdated? Exits 1 unless ready'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "history" -d 'Recent builds, newest first'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from image" -f -a "context" -d 'Write the embedded default build context to DIR, to start a custom image from'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from mount" -f -a "add" -d 'Allow mounts under ROOT (stored by its canonical path; it must exist)'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from mount" -f -a "remove" -d 'Stop allowing mounts under ROOT'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from mount" -f -a "list" -d 'List the allowed roots'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from mount" -f -a "validate" -d 'Check whether HOST_PATH may be mounted; exits 1 when it may not'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from mount" -f -a "allowlist" -d 'Show or replace the whole allowlist (the API\'s JSON)'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from daemon" -f -a "run" -d 'Run in the foreground (the default): logs to stderr and logs/aigo.log'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from daemon" -f -a "status" -d 'Whether a daemon runs on this state directory, and where its API is'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from daemon" -f -a "print-unit" -d 'Print a service definition for this machine'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from group" -f -a "add" -d 'Add a group (one group is the main group)'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from group" -f -a "update" -d 'Change a group: bind or unbind chats, allow or drop senders, describe it'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from group" -f -a "list" -d 'List groups'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from group" -f -a "show" -d 'Show a group: its chats, senders, and the agent sessions its runs resume'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from group" -f -a "forget" -d 'Forget the group\'s agent sessions: the next run starts fresh'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from group" -f -a "remove" -d 'Remove a group (its sessions stay on disk)'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from ipc" -f -a "init" -d 'Create a session\'s IPC directories (input, messages, tasks, errors, events)'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from schedule" -f -a "check" -d 'Show when a schedule fires (next runs in the zone and UTC), what it means in words, and DST or calendar surprises; exits 1 when it is invalid'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from schedule" -f -a "add" -d 'Add a schedule that runs PROMPT in GROUP\'s agent container'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from schedule" -f -a "list" -d 'List schedules with their next run'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from schedule" -f -a "show" -d 'Show one schedule (by id or unique name) and its next runs'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from schedule" -f -a "enable" -d 'Enable a schedule; missed slots are skipped, not replayed'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from schedule" -f -a "disable" -d 'Disable (pause) a schedule'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from schedule" -f -a "remove" -d 'Remove a schedule (its run log is kept)'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from schedule" -f -a "run" -d 'Run a schedule\'s prompt now, in the foreground, outside its slots; the result goes to the schedule\'s run log'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from schedule" -f -a "logs" -d 'Show a schedule\'s run log'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from proxy" -f -a "add" -d 'Add a credential mapping. The real credential comes from a hidden prompt, --credential-stdin or --credential-env, never from an argument'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from proxy" -f -a "list" -d 'List mappings (placeholders are shown; real credentials never are)'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from proxy" -f -a "remove" -d 'Remove a mapping and its stored credential'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from proxy" -f -a "rotate" -d 'Replace a mapping\'s real credential, and/or issue it a new placeholder'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from proxy" -f -a "start" -d 'Run the proxy in the foreground until Ctrl-C (SIGHUP reloads mappings)'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from channels" -f -a "add" -d 'Configure a channel. Tokens go to the encrypted keystore, never to channels.toml; they come from hidden prompts or --token-stdin'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from channels" -f -a "validate" -d 'Call the service\'s identity endpoint (Telegram getMe, Slack auth.test…) and report the bot\'s name, or why the token is refused'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from channels" -f -a "status" -d 'Connection status, bot identity, last error and message counts (from the running daemon; without one, only whether the channel is configured)'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from channels" -f -a "remove" -d 'Remove a channel and its stored tokens'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from channels" -f -a "list" -d 'List configured channels (settings and keystore entry names, never tokens)'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from network" -f -a "allow" -d 'Let agents reach hosts through the egress gateway ([network] egress = "allowlist"): api.example.com, *.example.com, an IP address or a CIDR range'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from network" -f -a "deny" -d 'Remove hosts from the egress allowlist'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from network" -f -a "list" -d 'The egress mode and the allowlist'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from network" -f -a "fence" -d 'Print the nftables rules that fence the host from the agents\' network (what the daemon loads as root; load them yourself when it cannot)'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from audit" -f -a "verify" -d 'Check the hash chain; exits 1 and names the first bad line when it is broken'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from audit" -f -a "export" -d 'Print every event as a JSON array (e.g. `aigo audit export > audit.json`)'
complete -c aigo -n "__fish_aigo_using_subcommand help; and __fish_seen_subcommand_from audit" -f -a "record" -d 'Append events (for scripts and tests)'
