
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'aigo' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'aigo'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'aigo' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('runtime', 'runtime', [CompletionResultType]::ParameterValue, 'Detect the container runtime (Docker, Podman, Apple Container)')
            [CompletionResult]::new('image', 'image', [CompletionResultType]::ParameterValue, 'Build the agent runner image and report its status')
            [CompletionResult]::new('mount', 'mount', [CompletionResultType]::ParameterValue, 'Manage the mount allowlist and validate mounts')
            [CompletionResult]::new('daemon', 'daemon', [CompletionResultType]::ParameterValue, 'Run the daemon: management API, proxy, scheduler, IPC router')
            [CompletionResult]::new('group', 'group', [CompletionResultType]::ParameterValue, 'Manage groups (who agents work for, which chats they may reach)')
            [CompletionResult]::new('ipc', 'ipc', [CompletionResultType]::ParameterValue, 'Session IPC directories')
            [CompletionResult]::new('send', 'send', [CompletionResultType]::ParameterValue, 'Send a follow-up message to a group''s running session')
            [CompletionResult]::new('close', 'close', [CompletionResultType]::ParameterValue, 'Ask a group''s running session to finish')
            [CompletionResult]::new('schedule', 'schedule', [CompletionResultType]::ParameterValue, 'Scheduled agent runs: check expressions, add, list, enable, logs')
            [CompletionResult]::new('proxy', 'proxy', [CompletionResultType]::ParameterValue, 'Credential proxy: mappings, keystore, foreground proxy')
            [CompletionResult]::new('channels', 'channels', [CompletionResultType]::ParameterValue, 'Chat channels (Telegram, Slack, Discord, WhatsApp): add, validate, status')
            [CompletionResult]::new('network', 'network', [CompletionResultType]::ParameterValue, 'The agents'' network: egress allowlist and host fence')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run an agent in a container for a group')
            [CompletionResult]::new('ps', 'ps', [CompletionResultType]::ParameterValue, 'List running agent containers')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'Stop a run (the agent gets `_close`, then SIGTERM, then SIGKILL)')
            [CompletionResult]::new('runs', 'runs', [CompletionResultType]::ParameterValue, 'Run history: id, group, session, image, start, end, exit code, reason')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Show the daemon''s log file')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Show, verify and export the security audit log')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Write man pages')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aigo;runtime' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the API''s JSON')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Detect the runtime and report it (the default)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aigo;runtime;status' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the API''s JSON')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;runtime;help' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Detect the runtime and report it (the default)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aigo;runtime;help;status' {
            break
        }
        'aigo;runtime;help;help' {
            break
        }
        'aigo;image' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('build', 'build', [CompletionResultType]::ParameterValue, 'Build the agent image: the embedded default, or --context DIR')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Is the image ready, building, failed, missing or outdated? Exits 1 unless ready')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'Recent builds, newest first')
            [CompletionResult]::new('context', 'context', [CompletionResultType]::ParameterValue, 'Write the embedded default build context to DIR, to start a custom image from')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aigo;image;build' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Image tag (default: `image_tag` in config.toml, `aigo-agent-runner:latest`)')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Image tag (default: `image_tag` in config.toml, `aigo-agent-runner:latest`)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Build context directory (default: the image embedded in aigo)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Dockerfile path inside the context')
            [CompletionResult]::new('--dockerfile', '--dockerfile', [CompletionResultType]::ParameterName, 'Dockerfile path inside the context')
            [CompletionResult]::new('--build-arg', '--build-arg', [CompletionResultType]::ParameterName, 'A build argument (repeatable)')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Do not use the engine''s build cache')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the image id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the image id')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'One JSON object per line: `step` and `log` events, then `finished` with the build record')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;image;status' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Image tag (default: `image_tag` in config.toml)')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Image tag (default: `image_tag` in config.toml)')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (the same shape the API returns) instead of text')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;image;history' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Only builds of this tag')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Only builds of this tag')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'How many builds to show')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'How many builds to show')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (the same shape the API returns) instead of text')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;image;context' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite files that exist')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;image;help' {
            [CompletionResult]::new('build', 'build', [CompletionResultType]::ParameterValue, 'Build the agent image: the embedded default, or --context DIR')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Is the image ready, building, failed, missing or outdated? Exits 1 unless ready')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'Recent builds, newest first')
            [CompletionResult]::new('context', 'context', [CompletionResultType]::ParameterValue, 'Write the embedded default build context to DIR, to start a custom image from')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aigo;image;help;build' {
            break
        }
        'aigo;image;help;status' {
            break
        }
        'aigo;image;help;history' {
            break
        }
        'aigo;image;help;context' {
            break
        }
        'aigo;image;help;help' {
            break
        }
        'aigo;mount' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Allow mounts under ROOT (stored by its canonical path; it must exist)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Stop allowing mounts under ROOT')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the allowed roots')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check whether HOST_PATH may be mounted; exits 1 when it may not')
            [CompletionResult]::new('allowlist', 'allowlist', [CompletionResultType]::ParameterValue, 'Show or replace the whole allowlist (the API''s JSON)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aigo;mount;add' {
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'What this root is for (shown in `mount list`)')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('--read-write', '--read-write', [CompletionResultType]::ParameterName, 'Let mounts under this root be read-write when asked for')
            [CompletionResult]::new('--pending', '--pending', [CompletionResultType]::ParameterName, 'ROOT may not exist yet: it matches nothing until it does, and is checked again (canonical path, not too broad) at every validation')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;mount;remove' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;mount;list' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (the same shape the API returns) instead of text')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;mount;validate' {
            [CompletionResult]::new('--container-path', '--container-path', [CompletionResultType]::ParameterName, 'Where it would appear (relative to /workspace/extra, or absolute under it)')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'The group asking (non-main groups may be forced read-only)')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('--read-only', '--read-only', [CompletionResultType]::ParameterName, 'Ask for a read-only mount (the default)')
            [CompletionResult]::new('--read-write', '--read-write', [CompletionResultType]::ParameterName, 'Ask for a read-write mount')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (the same shape the API returns) instead of text')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;mount;allowlist' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the allowlist as `GET …/mount/allowlist` returns it')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Merge a JSON body `{"allowedRoots":[…],"blockedPatterns":[…]}` into the allowlist by root path (given inline, as @FILE, or - for stdin) and say what changed. A root given as a bare string keeps its stored read-write flag and description; `{"path", "allowReadWrite", "description"}` sets them')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aigo;mount;allowlist;show' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (the same shape the API returns) instead of text')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;mount;allowlist;set' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('--replace', '--replace', [CompletionResultType]::ParameterName, 'Remove the roots and extra patterns the body does not list')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (the same shape the API returns, with `changes`) instead of text')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;mount;allowlist;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the allowlist as `GET …/mount/allowlist` returns it')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Merge a JSON body `{"allowedRoots":[…],"blockedPatterns":[…]}` into the allowlist by root path (given inline, as @FILE, or - for stdin) and say what changed. A root given as a bare string keeps its stored read-write flag and description; `{"path", "allowReadWrite", "description"}` sets them')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aigo;mount;allowlist;help;show' {
            break
        }
        'aigo;mount;allowlist;help;set' {
            break
        }
        'aigo;mount;allowlist;help;help' {
            break
        }
        'aigo;mount;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Allow mounts under ROOT (stored by its canonical path; it must exist)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Stop allowing mounts under ROOT')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the allowed roots')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check whether HOST_PATH may be mounted; exits 1 when it may not')
            [CompletionResult]::new('allowlist', 'allowlist', [CompletionResultType]::ParameterValue, 'Show or replace the whole allowlist (the API''s JSON)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aigo;mount;help;add' {
            break
        }
        'aigo;mount;help;remove' {
            break
        }
        'aigo;mount;help;list' {
            break
        }
        'aigo;mount;help;validate' {
            break
        }
        'aigo;mount;help;allowlist' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the allowlist as `GET …/mount/allowlist` returns it')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Merge a JSON body `{"allowedRoots":[…],"blockedPatterns":[…]}` into the allowlist by root path (given inline, as @FILE, or - for stdin) and say what changed. A root given as a bare string keeps its stored read-write flag and description; `{"path", "allowReadWrite", "description"}` sets them')
            break
        }
        'aigo;mount;help;allowlist;show' {
            break
        }
        'aigo;mount;help;allowlist;set' {
            break
        }
        'aigo;mount;help;help' {
            break
        }
        'aigo;daemon' {
            [CompletionResult]::new('--bind', '--bind', [CompletionResultType]::ParameterName, 'API address (default: [api] bind in config.toml, 127.0.0.1:55765)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Require `Authorization: Bearer TOKEN` on the API. Visible to every user in the process list: prefer AIGO_API_TOKEN or --token-file')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'Read the API token from FILE (its first line), e.g. a systemd credential. Without --token or --token-file, AIGO_API_TOKEN is used when set')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run in the foreground (the default): logs to stderr and logs/aigo.log')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Whether a daemon runs on this state directory, and where its API is')
            [CompletionResult]::new('print-unit', 'print-unit', [CompletionResultType]::ParameterValue, 'Print a service definition for this machine')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aigo;daemon;run' {
            [CompletionResult]::new('--bind', '--bind', [CompletionResultType]::ParameterName, 'API address (default: [api] bind in config.toml, 127.0.0.1:55765)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Require `Authorization: Bearer TOKEN` on the API. Visible to every user in the process list: prefer AIGO_API_TOKEN or --token-file')
            [CompletionResult]::new('--token-file', '--token-file', [CompletionResultType]::ParameterName, 'Read the API token from FILE (its first line), e.g. a systemd credential. Without --token or --token-file, AIGO_API_TOKEN is used when set')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;daemon;status' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (the same shape the API returns) instead of text')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;daemon;print-unit' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;daemon;help' {
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run in the foreground (the default): logs to stderr and logs/aigo.log')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Whether a daemon runs on this state directory, and where its API is')
            [CompletionResult]::new('print-unit', 'print-unit', [CompletionResultType]::ParameterValue, 'Print a service definition for this machine')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aigo;daemon;help;run' {
            break
        }
        'aigo;daemon;help;status' {
            break
        }
        'aigo;daemon;help;print-unit' {
            break
        }
        'aigo;daemon;help;help' {
            break
        }
        'aigo;group' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a group (one group is the main group)')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a group: bind or unbind chats, allow or drop senders, describe it')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List groups')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a group: its chats, senders, and the agent sessions its runs resume')
            [CompletionResult]::new('forget', 'forget', [CompletionResultType]::ParameterValue, 'Forget the group''s agent sessions: the next run starts fresh')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a group (its sessions stay on disk)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aigo;group;add' {
            [CompletionResult]::new('--jid', '--jid', [CompletionResultType]::ParameterName, 'Bind a chat to the group: tg:<id>, slack:<channel>, dc:<id>, <n>@s.whatsapp.net, <id>@g.us')
            [CompletionResult]::new('--sender', '--sender', [CompletionResultType]::ParameterName, 'Only these senders may start runs from chats (default: anyone in a bound chat)')
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'What the group is for')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('--main', '--main', [CompletionResultType]::ParameterName, 'Make this the main group (may send anywhere, may mount read-write)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;group;update' {
            [CompletionResult]::new('--add-jid', '--add-jid', [CompletionResultType]::ParameterName, 'Bind another chat to the group (repeatable)')
            [CompletionResult]::new('--remove-jid', '--remove-jid', [CompletionResultType]::ParameterName, 'Unbind a chat from the group (repeatable)')
            [CompletionResult]::new('--add-sender', '--add-sender', [CompletionResultType]::ParameterName, 'Allow another sender to start runs from chats (repeatable)')
            [CompletionResult]::new('--remove-sender', '--remove-sender', [CompletionResultType]::ParameterName, 'Stop allowing a sender (repeatable)')
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'New description ("" clears it)')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (the same shape the API returns) instead of text')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;group;list' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (the same shape the API returns) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids (names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids (names), one per line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;group;show' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON ({group, agentStateDir, sessions}) instead of text')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;group;forget' {
            [CompletionResult]::new('--chat', '--chat', [CompletionResultType]::ParameterName, 'Only this chat''s session (default: every session of the group)')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;group;remove' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;group;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a group (one group is the main group)')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a group: bind or unbind chats, allow or drop senders, describe it')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List groups')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a group: its chats, senders, and the agent sessions its runs resume')
            [CompletionResult]::new('forget', 'forget', [CompletionResultType]::ParameterValue, 'Forget the group''s agent sessions: the next run starts fresh')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a group (its sessions stay on disk)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aigo;group;help;add' {
            break
        }
        'aigo;group;help;update' {
            break
        }
        'aigo;group;help;list' {
            break
        }
        'aigo;group;help;show' {
            break
        }
        'aigo;group;help;forget' {
            break
        }
        'aigo;group;help;remove' {
            break
        }
        'aigo;group;help;help' {
            break
        }
        'aigo;ipc' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create a session''s IPC directories (input, messages, tasks, errors, events)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aigo;ipc;init' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (the same shape the API returns) instead of text')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;ipc;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create a session''s IPC directories (input, messages, tasks, errors, events)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aigo;ipc;help;init' {
            break
        }
        'aigo;ipc;help;help' {
            break
        }
        'aigo;send' {
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Group whose running session gets the message')
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Session to write to (default: the group''s newest running one)')
            [CompletionResult]::new('--sender', '--sender', [CompletionResultType]::ParameterName, 'Who the message is from, as the agent sees it')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;close' {
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Group whose running session should finish')
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Session id (default: the group''s latest session)')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;schedule' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Show when a schedule fires (next runs in the zone and UTC), what it means in words, and DST or calendar surprises; exits 1 when it is invalid')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a schedule that runs PROMPT in GROUP''s agent container')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List schedules with their next run')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one schedule (by id or unique name) and its next runs')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Enable a schedule; missed slots are skipped, not replayed')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Disable (pause) a schedule')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a schedule (its run log is kept)')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a schedule''s prompt now, in the foreground, outside its slots; the result goes to the schedule''s run log')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Show a schedule''s run log')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aigo;schedule;check' {
            [CompletionResult]::new('--cron', '--cron', [CompletionResultType]::ParameterName, 'Standard 5-field cron (minute hour day-of-month month day-of-week), or @hourly @daily @weekly @monthly @yearly')
            [CompletionResult]::new('--every', '--every', [CompletionResultType]::ParameterName, 'A fixed interval: 30m, 1h30m, 45s, 1500ms')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Once, at a timestamp: 2026-12-01T09:00 (in the zone) or with an offset/Z')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'IANA time zone (default: the system''s)')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Pretend it is now TIMESTAMP, for a reproducible answer')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'How many next runs to show')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (the same shape the API returns) instead of text')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'aigo;schedule;add' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'A name to refer to the schedule by (unique)')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Group whose agent runs the prompt')
            [CompletionResult]::new('--prompt', '--prompt', [CompletionResultType]::ParameterName, 'What the agent is asked to do')
            [CompletionResult]::new('--cron', '--cron', [CompletionResultType]::ParameterName, 'Standard 5-field cron (minute hour day-of-month month day-of-week), or @hourly @daily @weekly @monthly @yearly')
            [CompletionResult]::new('--every', '--every', [CompletionResultType]::ParameterName, 'A fixed interval: 30m, 1h30m, 45s, 1500ms')
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'Once, at a timestamp: 2026-12-01T09:00 (in the zone) or with an offset/Z')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Stop a run after this long (e.g. 300s, 10m)')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Run in the group''s session, or in a fresh one each time')
            [CompletionResult]::new('--tz', '--tz', [CompletionResultType]::ParameterName, 'IANA time zone for cron fields and a naive --at (default: the system''s)')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('--disabled', '--disabled', [CompletionResultType]::ParameterName, 'Add it paused')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (the same shape the API returns) instead of text')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;schedule;list' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (the same shape the API returns) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids (names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids (names), one per line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;schedule;show' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (the same shape the API returns) instead of text')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;schedule;enable' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;schedule;disable' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;schedule;remove' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;schedule;run' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;schedule;logs' {
            [CompletionResult]::new('--last', '--last', [CompletionResultType]::ParameterName, 'Only the last N runs')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (the same shape the API returns) instead of text')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;schedule;help' {
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Show when a schedule fires (next runs in the zone and UTC), what it means in words, and DST or calendar surprises; exits 1 when it is invalid')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a schedule that runs PROMPT in GROUP''s agent container')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List schedules with their next run')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one schedule (by id or unique name) and its next runs')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Enable a schedule; missed slots are skipped, not replayed')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Disable (pause) a schedule')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a schedule (its run log is kept)')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a schedule''s prompt now, in the foreground, outside its slots; the result goes to the schedule''s run log')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Show a schedule''s run log')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aigo;schedule;help;check' {
            break
        }
        'aigo;schedule;help;add' {
            break
        }
        'aigo;schedule;help;list' {
            break
        }
        'aigo;schedule;help;show' {
            break
        }
        'aigo;schedule;help;enable' {
            break
        }
        'aigo;schedule;help;disable' {
            break
        }
        'aigo;schedule;help;remove' {
            break
        }
        'aigo;schedule;help;run' {
            break
        }
        'aigo;schedule;help;logs' {
            break
        }
        'aigo;schedule;help;help' {
            break
        }
        'aigo;proxy' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a credential mapping. The real credential comes from a hidden prompt, --credential-stdin or --credential-env, never from an argument')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List mappings (placeholders are shown; real credentials never are)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a mapping and its stored credential')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Replace a mapping''s real credential, and/or issue it a new placeholder')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Run the proxy in the foreground until Ctrl-C (SIGHUP reloads mappings)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aigo;proxy;add' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'A label, e.g. "Anthropic API"')
            [CompletionResult]::new('--upstream', '--upstream', [CompletionResultType]::ParameterName, 'The real API endpoint, e.g. https://api.anthropic.com (a path prefix is kept)')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'How the key is sent upstream: api-key (x-api-key) or oauth (Authorization: Bearer)')
            [CompletionResult]::new('--credential-env', '--credential-env', [CompletionResultType]::ParameterName, 'Read the real credential from this environment variable')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('--default', '--default', [CompletionResultType]::ParameterName, 'Make this the mapping CREDENTIAL_PROXY_PLACEHOLDER selects (the first one is)')
            [CompletionResult]::new('--credential-stdin', '--credential-stdin', [CompletionResultType]::ParameterName, 'Read the real credential from standard input')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (the same shape the API returns) instead of text')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'aigo;proxy;list' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (the same shape the API returns) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only ids (names), one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only ids (names), one per line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;proxy;remove' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (the same shape the API returns) instead of text')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;proxy;rotate' {
            [CompletionResult]::new('--credential-env', '--credential-env', [CompletionResultType]::ParameterName, 'Read the real credential from this environment variable')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('--credential-stdin', '--credential-stdin', [CompletionResultType]::ParameterName, 'Read the real credential from standard input')
            [CompletionResult]::new('--new-placeholder', '--new-placeholder', [CompletionResultType]::ParameterName, 'Also issue a new placeholder (containers holding the old one lose access)')
            [CompletionResult]::new('--placeholder-only', '--placeholder-only', [CompletionResultType]::ParameterName, 'Only issue a new placeholder; keep the stored credential')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (the same shape the API returns) instead of text')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;proxy;start' {
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'Port to listen on (default: config.toml''s proxy.port, 3001)')
            [CompletionResult]::new('--bind', '--bind', [CompletionResultType]::ParameterName, 'Address to listen on (default: loopback on macOS/WSL, the container bridge gateway on Linux; 0.0.0.0 only when given here or in config.toml)')
            [CompletionResult]::new('--allow-caller', '--allow-caller', [CompletionResultType]::ParameterName, 'Serve requests from this source address (repeatable), e.g. a container you started yourself. The daemon admits its own agent containers')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('--any-caller', '--any-caller', [CompletionResultType]::ParameterName, 'Serve any caller that knows a placeholder, as before callers were identified (every process and container that reaches the port)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;proxy;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a credential mapping. The real credential comes from a hidden prompt, --credential-stdin or --credential-env, never from an argument')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List mappings (placeholders are shown; real credentials never are)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a mapping and its stored credential')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Replace a mapping''s real credential, and/or issue it a new placeholder')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Run the proxy in the foreground until Ctrl-C (SIGHUP reloads mappings)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aigo;proxy;help;add' {
            break
        }
        'aigo;proxy;help;list' {
            break
        }
        'aigo;proxy;help;remove' {
            break
        }
        'aigo;proxy;help;rotate' {
            break
        }
        'aigo;proxy;help;start' {
            break
        }
        'aigo;proxy;help;help' {
            break
        }
        'aigo;channels' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Configure a channel. Tokens go to the encrypted keystore, never to channels.toml; they come from hidden prompts or --token-stdin')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Call the service''s identity endpoint (Telegram getMe, Slack auth.test…) and report the bot''s name, or why the token is refused')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Connection status, bot identity, last error and message counts (from the running daemon; without one, only whether the channel is configured)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a channel and its stored tokens')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List configured channels (settings and keystore entry names, never tokens)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aigo;channels;add' {
            [CompletionResult]::new('--phone-number-id', '--phone-number-id', [CompletionResultType]::ParameterName, 'WhatsApp: the business phone number''s id in the Graph API')
            [CompletionResult]::new('--graph-version', '--graph-version', [CompletionResultType]::ParameterName, 'WhatsApp: the Graph API version, like v26.0 (default: the current one when this aigo was released)')
            [CompletionResult]::new('--api-base', '--api-base', [CompletionResultType]::ParameterName, 'The service''s API base URL (default: the public endpoint)')
            [CompletionResult]::new('--trigger', '--trigger', [CompletionResultType]::ParameterName, 'In group chats, a message with this word counts like an @mention')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('--token-stdin', '--token-stdin', [CompletionResultType]::ParameterName, 'Read the secrets from standard input, one per line: telegram/discord: the bot token; slack: the bot token (xoxb-) then the app token (xapp-); whatsapp: the access token, the webhook verify token, then the app secret')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (the same shape the API returns) instead of text')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;channels;validate' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (the same shape the API returns) instead of text')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;channels;status' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (the same shape the API returns) instead of text')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;channels;remove' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;channels;list' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (the same shape the API returns) instead of text')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;channels;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Configure a channel. Tokens go to the encrypted keystore, never to channels.toml; they come from hidden prompts or --token-stdin')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Call the service''s identity endpoint (Telegram getMe, Slack auth.test…) and report the bot''s name, or why the token is refused')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Connection status, bot identity, last error and message counts (from the running daemon; without one, only whether the channel is configured)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a channel and its stored tokens')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List configured channels (settings and keystore entry names, never tokens)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aigo;channels;help;add' {
            break
        }
        'aigo;channels;help;validate' {
            break
        }
        'aigo;channels;help;status' {
            break
        }
        'aigo;channels;help;remove' {
            break
        }
        'aigo;channels;help;list' {
            break
        }
        'aigo;channels;help;help' {
            break
        }
        'aigo;network' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('allow', 'allow', [CompletionResultType]::ParameterValue, 'Let agents reach hosts through the egress gateway ([network] egress = "allowlist"): api.example.com, *.example.com, an IP address or a CIDR range')
            [CompletionResult]::new('deny', 'deny', [CompletionResultType]::ParameterValue, 'Remove hosts from the egress allowlist')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The egress mode and the allowlist')
            [CompletionResult]::new('fence', 'fence', [CompletionResultType]::ParameterValue, 'Print the nftables rules that fence the host from the agents'' network (what the daemon loads as root; load them yourself when it cannot)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aigo;network;allow' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;network;deny' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;network;list' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON ({egress, network, allow}) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only the allowlist entries, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only the allowlist entries, one per line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;network;fence' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;network;help' {
            [CompletionResult]::new('allow', 'allow', [CompletionResultType]::ParameterValue, 'Let agents reach hosts through the egress gateway ([network] egress = "allowlist"): api.example.com, *.example.com, an IP address or a CIDR range')
            [CompletionResult]::new('deny', 'deny', [CompletionResultType]::ParameterValue, 'Remove hosts from the egress allowlist')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The egress mode and the allowlist')
            [CompletionResult]::new('fence', 'fence', [CompletionResultType]::ParameterValue, 'Print the nftables rules that fence the host from the agents'' network (what the daemon loads as root; load them yourself when it cannot)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aigo;network;help;allow' {
            break
        }
        'aigo;network;help;deny' {
            break
        }
        'aigo;network;help;list' {
            break
        }
        'aigo;network;help;fence' {
            break
        }
        'aigo;network;help;help' {
            break
        }
        'aigo;run' {
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Group the agent works for (see `aigo group list`)')
            [CompletionResult]::new('--prompt', '--prompt', [CompletionResultType]::ParameterName, 'The first message the agent gets (optional with -i: then the first line you type)')
            [CompletionResult]::new('--prompt-file', '--prompt-file', [CompletionResultType]::ParameterName, 'Read the prompt from FILE (- for stdin)')
            [CompletionResult]::new('--mount', '--mount', [CompletionResultType]::ParameterName, 'Extra mount HOST_PATH:NAME[:rw], validated against the allowlist (repeatable)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Wall-clock limit, e.g. 30m (default: [runs] timeout_secs)')
            [CompletionResult]::new('--idle-timeout', '--idle-timeout', [CompletionResultType]::ParameterName, 'Close the session this long after the agent''s last answer or your last message, e.g. 5m (default: [runs] idle_timeout_secs; 0 = never)')
            [CompletionResult]::new('--image', '--image', [CompletionResultType]::ParameterName, 'Image to run (default: config.toml image_tag)')
            [CompletionResult]::new('--session', '--session', [CompletionResultType]::ParameterName, 'Join this session instead of starting a fresh one')
            [CompletionResult]::new('--jid', '--jid', [CompletionResultType]::ParameterName, 'Chat the agent''s replies go to (default: none, they come to this terminal)')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('--new', '--new', [CompletionResultType]::ParameterName, 'Start a fresh agent session instead of resuming this chat''s last one')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'A conversation: each line you type is a follow-up; Ctrl-D ends it')
            [CompletionResult]::new('--interactive', '--interactive', [CompletionResultType]::ParameterName, 'A conversation: each line you type is a follow-up; Ctrl-D ends it')
            [CompletionResult]::new('--detach', '--detach', [CompletionResultType]::ParameterName, 'Hand the run to the daemon and print its id; `aigo ps`, `aigo stop` and `aigo runs` follow it')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the runner''s events as JSON lines, then the run''s record')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;ps' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (the same shape the API returns) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only run ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only run ids, one per line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;stop' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;runs' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (the same shape the API returns) instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only run ids, one per line')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only run ids, one per line')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;logs' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'How many of the last lines to show')
            [CompletionResult]::new('--last', '--last', [CompletionResultType]::ParameterName, 'How many of the last lines to show')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Keep printing lines as the daemon writes them (Ctrl-C to stop)')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Keep printing lines as the daemon writes them (Ctrl-C to stop)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;audit' {
            [CompletionResult]::new('--severity', '--severity', [CompletionResultType]::ParameterName, 'Only events of exactly this severity (info, warning, violation)')
            [CompletionResult]::new('--min-severity', '--min-severity', [CompletionResultType]::ParameterName, 'Events of this severity or worse (warning = warnings and violations)')
            [CompletionResult]::new('--category', '--category', [CompletionResultType]::ParameterName, 'Only this category (mount, ipc, quarantine, proxy, container, compliance, audit, channel)')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'Only events of this group')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'How many of the newest matching events to show')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'How many of the newest matching events to show')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events at or after this time: RFC 3339, or a duration back from now (30m, 1h, 2d, 1w)')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print `{"events":[…],"total":N}` as `GET /api/v1/container/audit-log` returns it')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check the hash chain; exits 1 and names the first bad line when it is broken')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print every event as a JSON array (e.g. `aigo audit export > audit.json`)')
            [CompletionResult]::new('record', 'record', [CompletionResultType]::ParameterValue, 'Append events (for scripts and tests)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aigo;audit;verify' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON (the same shape the API returns) instead of text')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;audit;export' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;audit;record' {
            [CompletionResult]::new('--severity', '--severity', [CompletionResultType]::ParameterName, 'Severity of the event: info, warning or violation')
            [CompletionResult]::new('--category', '--category', [CompletionResultType]::ParameterName, 'Category of the event (mount, ipc, proxy, container, …)')
            [CompletionResult]::new('--message', '--message', [CompletionResultType]::ParameterName, 'What happened, in words')
            [CompletionResult]::new('--group', '--group', [CompletionResultType]::ParameterName, 'The group the event concerns')
            [CompletionResult]::new('--details', '--details', [CompletionResultType]::ParameterName, 'Details as a JSON object')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Append this many events (the message gets " #i" appended)')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Events per write + fsync')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;audit;help' {
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check the hash chain; exits 1 and names the first bad line when it is broken')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print every event as a JSON array (e.g. `aigo audit export > audit.json`)')
            [CompletionResult]::new('record', 'record', [CompletionResultType]::ParameterValue, 'Append events (for scripts and tests)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aigo;audit;help;verify' {
            break
        }
        'aigo;audit;help;export' {
            break
        }
        'aigo;audit;help;record' {
            break
        }
        'aigo;audit;help;help' {
            break
        }
        'aigo;completions' {
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;man' {
            [CompletionResult]::new('--out-dir', '--out-dir', [CompletionResultType]::ParameterName, 'Write one page per command into DIR (default: print `aigo.1` to stdout)')
            [CompletionResult]::new('--home', '--home', [CompletionResultType]::ParameterName, 'State directory (default: $AIGO_HOME, else the platform data directory)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More log output on stderr (-v info, -vv debug, -vvv trace); AIGO_LOG overrides')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'aigo;help' {
            [CompletionResult]::new('runtime', 'runtime', [CompletionResultType]::ParameterValue, 'Detect the container runtime (Docker, Podman, Apple Container)')
            [CompletionResult]::new('image', 'image', [CompletionResultType]::ParameterValue, 'Build the agent runner image and report its status')
            [CompletionResult]::new('mount', 'mount', [CompletionResultType]::ParameterValue, 'Manage the mount allowlist and validate mounts')
            [CompletionResult]::new('daemon', 'daemon', [CompletionResultType]::ParameterValue, 'Run the daemon: management API, proxy, scheduler, IPC router')
            [CompletionResult]::new('group', 'group', [CompletionResultType]::ParameterValue, 'Manage groups (who agents work for, which chats they may reach)')
            [CompletionResult]::new('ipc', 'ipc', [CompletionResultType]::ParameterValue, 'Session IPC directories')
            [CompletionResult]::new('send', 'send', [CompletionResultType]::ParameterValue, 'Send a follow-up message to a group''s running session')
            [CompletionResult]::new('close', 'close', [CompletionResultType]::ParameterValue, 'Ask a group''s running session to finish')
            [CompletionResult]::new('schedule', 'schedule', [CompletionResultType]::ParameterValue, 'Scheduled agent runs: check expressions, add, list, enable, logs')
            [CompletionResult]::new('proxy', 'proxy', [CompletionResultType]::ParameterValue, 'Credential proxy: mappings, keystore, foreground proxy')
            [CompletionResult]::new('channels', 'channels', [CompletionResultType]::ParameterValue, 'Chat channels (Telegram, Slack, Discord, WhatsApp): add, validate, status')
            [CompletionResult]::new('network', 'network', [CompletionResultType]::ParameterValue, 'The agents'' network: egress allowlist and host fence')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run an agent in a container for a group')
            [CompletionResult]::new('ps', 'ps', [CompletionResultType]::ParameterValue, 'List running agent containers')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'Stop a run (the agent gets `_close`, then SIGTERM, then SIGKILL)')
            [CompletionResult]::new('runs', 'runs', [CompletionResultType]::ParameterValue, 'Run history: id, group, session, image, start, end, exit code, reason')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Show the daemon''s log file')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Show, verify and export the security audit log')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Write man pages')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'aigo;help;runtime' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Detect the runtime and report it (the default)')
            break
        }
        'aigo;help;runtime;status' {
            break
        }
        'aigo;help;image' {
            [CompletionResult]::new('build', 'build', [CompletionResultType]::ParameterValue, 'Build the agent image: the embedded default, or --context DIR')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Is the image ready, building, failed, missing or outdated? Exits 1 unless ready')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'Recent builds, newest first')
            [CompletionResult]::new('context', 'context', [CompletionResultType]::ParameterValue, 'Write the embedded default build context to DIR, to start a custom image from')
            break
        }
        'aigo;help;image;build' {
            break
        }
        'aigo;help;image;status' {
            break
        }
        'aigo;help;image;history' {
            break
        }
        'aigo;help;image;context' {
            break
        }
        'aigo;help;mount' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Allow mounts under ROOT (stored by its canonical path; it must exist)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Stop allowing mounts under ROOT')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the allowed roots')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check whether HOST_PATH may be mounted; exits 1 when it may not')
            [CompletionResult]::new('allowlist', 'allowlist', [CompletionResultType]::ParameterValue, 'Show or replace the whole allowlist (the API''s JSON)')
            break
        }
        'aigo;help;mount;add' {
            break
        }
        'aigo;help;mount;remove' {
            break
        }
        'aigo;help;mount;list' {
            break
        }
        'aigo;help;mount;validate' {
            break
        }
        'aigo;help;mount;allowlist' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print the allowlist as `GET …/mount/allowlist` returns it')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Merge a JSON body `{"allowedRoots":[…],"blockedPatterns":[…]}` into the allowlist by root path (given inline, as @FILE, or - for stdin) and say what changed. A root given as a bare string keeps its stored read-write flag and description; `{"path", "allowReadWrite", "description"}` sets them')
            break
        }
        'aigo;help;mount;allowlist;show' {
            break
        }
        'aigo;help;mount;allowlist;set' {
            break
        }
        'aigo;help;daemon' {
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run in the foreground (the default): logs to stderr and logs/aigo.log')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Whether a daemon runs on this state directory, and where its API is')
            [CompletionResult]::new('print-unit', 'print-unit', [CompletionResultType]::ParameterValue, 'Print a service definition for this machine')
            break
        }
        'aigo;help;daemon;run' {
            break
        }
        'aigo;help;daemon;status' {
            break
        }
        'aigo;help;daemon;print-unit' {
            break
        }
        'aigo;help;group' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a group (one group is the main group)')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a group: bind or unbind chats, allow or drop senders, describe it')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List groups')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a group: its chats, senders, and the agent sessions its runs resume')
            [CompletionResult]::new('forget', 'forget', [CompletionResultType]::ParameterValue, 'Forget the group''s agent sessions: the next run starts fresh')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a group (its sessions stay on disk)')
            break
        }
        'aigo;help;group;add' {
            break
        }
        'aigo;help;group;update' {
            break
        }
        'aigo;help;group;list' {
            break
        }
        'aigo;help;group;show' {
            break
        }
        'aigo;help;group;forget' {
            break
        }
        'aigo;help;group;remove' {
            break
        }
        'aigo;help;ipc' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Create a session''s IPC directories (input, messages, tasks, errors, events)')
            break
        }
        'aigo;help;ipc;init' {
            break
        }
        'aigo;help;send' {
            break
        }
        'aigo;help;close' {
            break
        }
        'aigo;help;schedule' {
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Show when a schedule fires (next runs in the zone and UTC), what it means in words, and DST or calendar surprises; exits 1 when it is invalid')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a schedule that runs PROMPT in GROUP''s agent container')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List schedules with their next run')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one schedule (by id or unique name) and its next runs')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Enable a schedule; missed slots are skipped, not replayed')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Disable (pause) a schedule')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a schedule (its run log is kept)')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Run a schedule''s prompt now, in the foreground, outside its slots; the result goes to the schedule''s run log')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'Show a schedule''s run log')
            break
        }
        'aigo;help;schedule;check' {
            break
        }
        'aigo;help;schedule;add' {
            break
        }
        'aigo;help;schedule;list' {
            break
        }
        'aigo;help;schedule;show' {
            break
        }
        'aigo;help;schedule;enable' {
            break
        }
        'aigo;help;schedule;disable' {
            break
        }
        'aigo;help;schedule;remove' {
            break
        }
        'aigo;help;schedule;run' {
            break
        }
        'aigo;help;schedule;logs' {
            break
        }
        'aigo;help;proxy' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a credential mapping. The real credential comes from a hidden prompt, --credential-stdin or --credential-env, never from an argument')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List mappings (placeholders are shown; real credentials never are)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a mapping and its stored credential')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Replace a mapping''s real credential, and/or issue it a new placeholder')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Run the proxy in the foreground until Ctrl-C (SIGHUP reloads mappings)')
            break
        }
        'aigo;help;proxy;add' {
            break
        }
        'aigo;help;proxy;list' {
            break
        }
        'aigo;help;proxy;remove' {
            break
        }
        'aigo;help;proxy;rotate' {
            break
        }
        'aigo;help;proxy;start' {
            break
        }
        'aigo;help;channels' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Configure a channel. Tokens go to the encrypted keystore, never to channels.toml; they come from hidden prompts or --token-stdin')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Call the service''s identity endpoint (Telegram getMe, Slack auth.test…) and report the bot''s name, or why the token is refused')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Connection status, bot identity, last error and message counts (from the running daemon; without one, only whether the channel is configured)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a channel and its stored tokens')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List configured channels (settings and keystore entry names, never tokens)')
            break
        }
        'aigo;help;channels;add' {
            break
        }
        'aigo;help;channels;validate' {
            break
        }
        'aigo;help;channels;status' {
            break
        }
        'aigo;help;channels;remove' {
            break
        }
        'aigo;help;channels;list' {
            break
        }
        'aigo;help;network' {
            [CompletionResult]::new('allow', 'allow', [CompletionResultType]::ParameterValue, 'Let agents reach hosts through the egress gateway ([network] egress = "allowlist"): api.example.com, *.example.com, an IP address or a CIDR range')
            [CompletionResult]::new('deny', 'deny', [CompletionResultType]::ParameterValue, 'Remove hosts from the egress allowlist')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'The egress mode and the allowlist')
            [CompletionResult]::new('fence', 'fence', [CompletionResultType]::ParameterValue, 'Print the nftables rules that fence the host from the agents'' network (what the daemon loads as root; load them yourself when it cannot)')
            break
        }
        'aigo;help;network;allow' {
            break
        }
        'aigo;help;network;deny' {
            break
        }
        'aigo;help;network;list' {
            break
        }
        'aigo;help;network;fence' {
            break
        }
        'aigo;help;run' {
            break
        }
        'aigo;help;ps' {
            break
        }
        'aigo;help;stop' {
            break
        }
        'aigo;help;runs' {
            break
        }
        'aigo;help;logs' {
            break
        }
        'aigo;help;audit' {
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check the hash chain; exits 1 and names the first bad line when it is broken')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Print every event as a JSON array (e.g. `aigo audit export > audit.json`)')
            [CompletionResult]::new('record', 'record', [CompletionResultType]::ParameterValue, 'Append events (for scripts and tests)')
            break
        }
        'aigo;help;audit;verify' {
            break
        }
        'aigo;help;audit;export' {
            break
        }
        'aigo;help;audit;record' {
            break
        }
        'aigo;help;completions' {
            break
        }
        'aigo;help;man' {
            break
        }
        'aigo;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
