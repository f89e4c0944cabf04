#!/bin/sh
# aigo-agent-runner: the process inside an aigo agent container (POSIX sh; runs under busybox).
#
# Protocol (container/README.md, DESIGN.md "Container contract"), under $AIGO_IPC_DIR (/workspace/ipc):
#   input/NAME      host -> agent {"type":"message","text":"...","sender":"...","ts":"..."}
#   input/_close    the host ends the session: pending messages are answered first, then exit 0
#   messages/NAME   agent -> chat {"type":"message","chatJid":"$AIGO_CHAT_JID","text":"..."}
#   errors/NAME     input that is not a message, with NAME.reason beside it (never dropped silently)
# Every input message is one agent turn: the first starts the conversation, later ones continue it.
# An input file is consumed (deleted) when its turn starts, so a restarted container never replays
# it. Files named .* or *.tmp are ignored; every file written goes to *.tmp first, then is renamed.
#
# Environment:
#   AIGO_AGENT_CMD            agent command; the prompt is appended as the last argument
#                             (default: claude --output-format text -p)
#   AIGO_AGENT_CONTINUE_ARGS  inserted before the prompt from the second turn on (default: --continue)
#   AIGO_CHAT_JID             chatJid of replies (JSON null when unset)
#   AIGO_IPC_DIR              default /workspace/ipc
#   AIGO_POLL_INTERVAL        seconds between scans of input/ (default 0.5)
#   AIGO_IDLE_TIMEOUT         exit 0 after this many seconds without input; 0 waits forever (default)
set -u

ipc=${AIGO_IPC_DIR:-/workspace/ipc}
agent=${AIGO_AGENT_CMD:-claude --output-format text -p}
cont=${AIGO_AGENT_CONTINUE_ARGS---continue}
poll=${AIGO_POLL_INTERVAL:-0.5}
idle=${AIGO_IDLE_TIMEOUT:-0}
work=${TMPDIR:-/tmp}/aigo-runner.$$
turns=0
seq=0
child=

log() { printf 'aigo-agent-runner: %s\n' "$*" >&2; }

# Claude Code keeps its conversation state in $HOME; a container run with the host user's uid
# (so that files in the IPC mount belong to that user) may have no writable home.
if [ ! -w "${HOME:-/nonexistent}" ]; then
	HOME=${TMPDIR:-/tmp}/aigo-home
	export HOME
	mkdir -p "$HOME"
fi

# json_get KEY < FILE: prints the decoded string value of top-level KEY; fails when the input is
# not a JSON object or KEY is missing or not a string. LC_ALL=C: awk works on bytes, so \uXXXX
# escapes are written out as UTF-8 byte by byte.
json_get() {
	LC_ALL=C awk -v want="$1" '
	function hexval(h,   i, v) { v = 0; h = tolower(h)
		for (i = 1; i <= 4; i++) v = v * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1
		return v }
	function utf8(c) {
		if (c < 128) return sprintf("%c", c)
		if (c < 2048) return sprintf("%c%c", 192 + int(c / 64), 128 + c % 64)
		if (c < 65536) return sprintf("%c%c%c", 224 + int(c / 4096), 128 + int(c / 64) % 64, 128 + c % 64)
		return sprintf("%c%c%c%c", 240 + int(c / 262144), 128 + int(c / 4096) % 64, 128 + int(c / 64) % 64, 128 + c % 64) }
	function ws() { while (p <= n && index(" \t\r\n", substr(s, p, 1))) p++ }
	# Reads the string starting at p (on its opening quote); sets ok=0 when malformed.
	function str(   out, c, e, cp, lo) { out = ""; p++
		while (p <= n) { c = substr(s, p, 1)
			if (c == "\"") { p++; return out }
			if (c != "\\") { out = out c; p++; continue }
			e = substr(s, p + 1, 1); p += 2
			if (e == "n") out = out "\n"; else if (e == "t") out = out "\t"
			else if (e == "r") out = out "\r"; else if (e == "b") out = out "\b"
			else if (e == "f") out = out "\f"; else if (e == "u") {
				cp = hexval(substr(s, p, 4)); p += 4
				if (cp >= 55296 && cp < 56320 && substr(s, p, 2) == "\\u") {
					lo = hexval(substr(s, p + 2, 4))
					if (lo >= 56320 && lo < 57344) { cp = 65536 + (cp - 55296) * 1024 + lo - 56320; p += 6 } }
				if (cp > 0) out = out utf8(cp)
			} else out = out e }
		ok = 0; return out }
	# Skips any value at p (nested objects and arrays included).
	function skip(   d, c) { d = 0
		while (p <= n) { c = substr(s, p, 1)
			if (c == "\"") { str(); if (d == 0) return; continue }
			if (c == "{" || c == "[") d++
			else if (c == "}" || c == "]") { if (d == 0) return; d--; if (d == 0) { p++; return } }
			else if (d == 0 && index(" \t\r\n,", c)) return
			p++ } }
	{ s = s (NR > 1 ? "\n" : "") $0 }
	END { n = length(s); p = 1; ok = 1; ws()
		if (substr(s, p, 1) != "{") exit 1
		p++
		while (ok && p <= n) { ws(); c = substr(s, p, 1)
			if (c == "}") exit 1
			if (c != "\"") exit 1
			k = str(); ws()
			if (substr(s, p, 1) != ":") exit 1
			p++; ws()
			if (k == want) { if (substr(s, p, 1) != "\"") exit 1; v = str(); if (!ok) exit 1; printf "%s", v; exit 0 }
			skip(); ws()
			if (substr(s, p, 1) == ",") p++ }
		exit 1 }'
}

# json_escape < FILE: the contents as the inside of a JSON string, trailing blank lines dropped.
json_escape() {
	LC_ALL=C awk '
	BEGIN { for (i = 1; i < 32; i++) ord[sprintf("%c", i)] = i }
	{ line[NR] = $0 }
	END { last = NR; while (last > 0 && line[last] == "") last--
		for (i = 1; i <= last; i++) { s = line[i]; out = ""
			for (j = 1; j <= length(s); j++) { c = substr(s, j, 1)
				if (c == "\\") out = out "\\\\"; else if (c == "\"") out = out "\\\""
				else if (c == "\t") out = out "\\t"; else if (c == "\r") out = out "\\r"
				else if (c in ord) out = out sprintf("\\u%04x", ord[c]); else out = out c }
			printf "%s%s", out, (i < last ? "\\n" : "") } }'
}

# reply FILE: writes the contents of FILE as one message, atomically.
reply() {
	seq=$((seq + 1))
	name=$(date +%s)-$(printf %06d "$seq").json
	if [ -n "${AIGO_CHAT_JID:-}" ]; then
		jid=\"$(printf '%s\n' "$AIGO_CHAT_JID" | json_escape)\"
	else
		jid=null
	fi
	{ printf '{"type":"message","chatJid":%s,"text":"' "$jid"; json_escape <"$1"; printf '"}\n'; } \
		>"$ipc/messages/$name.tmp" && mv -f "$ipc/messages/$name.tmp" "$ipc/messages/$name"
}

reject() {
	log "not a message, moved to errors/: ${1##*/} ($2)"
	mv -f "$1" "$ipc/errors/${1##*/}" && printf '%s\n' "$2" >"$ipc/errors/${1##*/}.reason.tmp" &&
		mv -f "$ipc/errors/${1##*/}.reason.tmp" "$ipc/errors/${1##*/}.reason"
}

handle() {
	file=$1
	type=$(json_get type <"$file") || type=
	if [ "$type" != message ]; then reject "$file" "expected a JSON object with \"type\":\"message\""; return; fi
	if ! text=$(json_get text <"$file"); then reject "$file" "missing or non-string \"text\""; return; fi
	rm -f "$file"
	log "turn $((turns + 1)): ${file##*/}"
	# shellcheck disable=SC2086 # word-split the continue arguments on purpose
	if [ "$turns" -eq 0 ]; then set --; else set -- $cont; fi
	# In the background so a TERM from `docker stop` is handled at once (see the trap below).
	# shellcheck disable=SC2086 # AIGO_AGENT_CMD is a command line: split it on purpose.
	$agent "$@" "$text" <"/dev/null" >"$work/out" 2>"$work/err" &
	child=$!
	wait "$child"
	rc=$?
	child=
	turns=$((turns + 1))
	if [ "$rc" -ne 0 ]; then
		log "agent exited with status $rc"
		tail -n 20 "$work/err" >&2
		if [ ! -s "$work/out" ]; then
			{ printf 'The agent failed (exit status %s).\n' "$rc"; tail -n 3 "$work/err"; } >"$work/out"
		fi
	fi
	if [ -s "$work/out" ]; then reply "$work/out"; else log "empty reply, nothing sent"; fi
}

trap 'rm -rf "$work"' EXIT
trap '[ -n "$child" ] && kill "$child" 2>/dev/null; exit 143' TERM
trap '[ -n "$child" ] && kill "$child" 2>/dev/null; exit 130' INT
mkdir -p "$work" "$ipc/input" "$ipc/messages" "$ipc/errors" || exit 1
log "waiting for input in $ipc/input"
quiet=0
while :; do
	for f in "$ipc"/input/*; do
		case ${f##*/} in _close | *.tmp | '*') continue ;; esac
		[ -f "$f" ] || continue
		handle "$f"
		quiet=0
	done
	if [ -e "$ipc/input/_close" ]; then
		rm -f "$ipc/input/_close"
		log "close requested after $turns turn(s)"
		exit 0
	fi
	if [ "$idle" != 0 ] && [ "$(awk -v q="$quiet" -v p="$poll" -v i="$idle" 'BEGIN { print (q * p >= i) }')" = 1 ]; then
		log "no input for ${idle}s, exiting"
		exit 0
	fi
	quiet=$((quiet + 1))
	sleep "$poll"
done
