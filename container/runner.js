#!/usr/bin/env node
// aigo runner: the process inside an agent container (Node >= 20, no npm dependencies).
//
// Owns one live Claude Code process per session, driven over stream-json, and the agent's side
// of the IPC contract (container/README.md) under $AIGO_IPC_DIR (/workspace/ipc):
//   input/NAME    host -> agent; the first is the prompt, later ones are pushed into the live
//                 session as they arrive (fs.watch, a scan at start and after every event)
//   input/_close  end the session once pending input is answered: close claude's stdin, wait for
//                 it, exit with its status
//   messages/NAME every claude `result` as a reply {"type":"message","chatJid":…,"text":…}
//   events/NAME   started / turn / error, for the host's lifecycle decisions
//   errors/NAME   input that is not a message, with NAME.reason.json beside it
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const { spawn } = require('node:child_process');
const ipc = require('./ipc.js');

const env = process.env;
const IPC = env.AIGO_IPC_DIR || '/workspace/ipc';
const DIR = {
  input: path.join(IPC, 'input'),
  messages: path.join(IPC, 'messages'),
  events: path.join(IPC, 'events'),
  errors: path.join(IPC, 'errors'),
  tasks: path.join(IPC, 'tasks'),
};
const CHAT_JID = env.AIGO_CHAT_JID ? env.AIGO_CHAT_JID : null;
const MCP_SERVER = env.AIGO_MCP_SERVER || path.join(__dirname, 'mcp-server.js');
// After stdin is closed claude finishes on its own; this bounds a claude that hangs instead.
const EXIT_GRACE_MS = 10_000;
const STDERR_TAIL_LINES = 20;

function log(msg) {
  process.stderr.write(`aigo-runner: ${msg}\n`);
}

function now() {
  return new Date().toISOString();
}

function event(body) {
  try {
    ipc.writeJson(DIR.events, { ...body, ts: now() });
  } catch (e) {
    log(`cannot write event ${body.type}: ${e.message}`);
  }
}

/** Claude Code keeps state under $HOME; a container run as the host user's uid may have none. */
function ensureHome() {
  try {
    fs.accessSync(env.HOME || '/nonexistent', fs.constants.W_OK);
    return;
  } catch {
    const home = path.join(os.tmpdir(), 'aigo-home');
    fs.mkdirSync(home, { recursive: true, mode: 0o700 });
    env.HOME = home;
    log(`HOME is not writable; using ${home}`);
  }
}

/** The MCP config handed to claude: our server, with the env it needs spelled out (MCP clients
 * start stdio servers with a minimal environment, not ours). */
function writeMcpConfig(dir) {
  const pass = ['AIGO_IPC_DIR', 'AIGO_GROUP', 'AIGO_SESSION', 'AIGO_IS_MAIN', 'AIGO_CHAT_JID', 'AIGO_MCP_ACK_MS', 'TZ'];
  const serverEnv = { AIGO_IPC_DIR: IPC };
  for (const k of pass) if (env[k] !== undefined) serverEnv[k] = env[k];
  const file = path.join(dir, 'mcp.json');
  const config = {
    mcpServers: { aigo: { type: 'stdio', command: process.execPath, args: [MCP_SERVER], env: serverEnv } },
  };
  fs.writeFileSync(file, JSON.stringify(config, null, 2), { mode: 0o600 });
  return file;
}

function claudeArgv(mcpConfig) {
  // Split on whitespace (no quoting), so tests can say `node /path/to/claude.js`.
  const cmd = (env.AIGO_CLAUDE_CMD || 'claude').trim().split(/\s+/);
  const args = [
    ...cmd.slice(1),
    '-p',
    '--input-format', 'stream-json',
    '--output-format', 'stream-json',
    '--verbose',
    // Unattended: nobody can answer a permission prompt. The container is the sandbox.
    '--permission-mode', 'bypassPermissions',
    '--mcp-config', mcpConfig,
  ];
  if (env.AIGO_RESUME_SESSION) args.push('--resume', env.AIGO_RESUME_SESSION);
  return [cmd[0], args];
}

class Session {
  constructor() {
    this.child = null;
    this.sessionId = env.AIGO_RESUME_SESSION || null;
    this.sent = 0;
    this.answered = 0;
    this.closing = false;
    this.stdinClosed = false;
    this.exiting = false;
    this.stderrTail = [];
    this.scanning = false;
    this.rescan = false;
    this.signal = null;
  }

  start() {
    ensureHome();
    for (const d of Object.values(DIR)) fs.mkdirSync(d, { recursive: true });
    this.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aigo-runner-'));
    const [cmd, args] = claudeArgv(writeMcpConfig(this.tmp));
    log(`starting ${cmd} ${args.join(' ')}`);
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env });
    this.child = child;
    child.on('error', (e) => this.fail(`cannot start claude (${cmd}): ${e.message}`, 127));
    child.on('spawn', () => {
      event({ type: 'started' });
      this.watch();
    });
    child.on('exit', (code, sig) => this.exited(code, sig));
    // Claude gone mid-write: its exit is reported by 'exit'; do not crash on EPIPE first.
    child.stdin.on('error', (e) => log(`claude's stdin: ${e.message}`));
    readline.createInterface({ input: child.stdout }).on('line', (l) => this.onLine(l));
    readline.createInterface({ input: child.stderr }).on('line', (l) => {
      process.stderr.write(`${l}\n`);
      this.stderrTail.push(l);
      if (this.stderrTail.length > STDERR_TAIL_LINES) this.stderrTail.shift();
    });
    for (const [sig, code] of [['SIGTERM', 143], ['SIGINT', 130], ['SIGHUP', 129]]) {
      // As PID 1 nothing happens on a signal unless we handle it: stop claude, then exit.
      process.on(sig, () => this.stop(sig, code));
    }
  }

  /** Watch first, then scan: a file that lands in between is seen by the scan or the watch. */
  watch() {
    try {
      this.watcher = fs.watch(DIR.input, () => this.scan());
      this.watcher.on('error', (e) => this.fail(`watching ${DIR.input} failed: ${e.message}`, 2));
    } catch (e) {
      return this.fail(`cannot watch ${DIR.input}: ${e.message}`, 2);
    }
    this.scan();
  }

  /** One pass over input/ in name order; events during a pass ask for one more pass. */
  scan() {
    if (this.scanning) {
      this.rescan = true;
      return;
    }
    this.scanning = true;
    try {
      do {
        this.rescan = false;
        this.scanOnce();
      } while (this.rescan);
    } finally {
      this.scanning = false;
    }
  }

  scanOnce() {
    if (this.closing || this.exiting) return;
    let names;
    try {
      names = fs.readdirSync(DIR.input).filter((n) => !ipc.ignored(n)).sort();
    } catch (e) {
      return this.fail(`cannot read ${DIR.input}: ${e.message}`, 2);
    }
    for (const name of names) {
      if (name === '_close') continue;
      this.take(name);
    }
    if (names.includes('_close')) {
      fs.rmSync(path.join(DIR.input, '_close'), { force: true, recursive: true });
      this.closing = true;
      log(`close requested after ${this.sent} message(s)`);
      this.maybeEndInput();
    }
  }

  take(name) {
    const file = path.join(DIR.input, name);
    const r = ipc.readBounded(file);
    let msg;
    if (r.error === undefined) {
      try {
        msg = JSON.parse(r.text);
      } catch (e) {
        r.error = `not JSON: ${e.message}`;
      }
    }
    if (r.error === undefined && (msg === null || typeof msg !== 'object' || msg.type !== 'message')) {
      r.error = 'expected a JSON object with "type":"message"';
    } else if (r.error === undefined && typeof msg.text !== 'string') {
      r.error = 'missing or non-string "text"';
    }
    if (r.error !== undefined) {
      log(`input/${name} is not a message, moved to errors/: ${r.error}`);
      ipc.quarantine(DIR.input, name, DIR.errors, r.error);
      return;
    }
    // Consumed as it is handed over: a restarted container never replays it.
    fs.rmSync(file, { force: true });
    this.send(msg.text);
  }

  /** One SDK user message (stream-json input) per line on claude's stdin. */
  send(text) {
    this.sent += 1;
    log(`message ${this.sent} to claude (${Buffer.byteLength(text)} bytes)`);
    const line = {
      type: 'user',
      message: { role: 'user', content: text },
      parent_tool_use_id: null,
      session_id: this.sessionId || '',
    };
    this.child.stdin.write(`${JSON.stringify(line)}\n`);
  }

  onLine(line) {
    if (!line.trim()) return;
    let m;
    try {
      m = JSON.parse(line);
    } catch {
      log(`claude (not JSON): ${line.slice(0, 500)}`);
      return;
    }
    if (typeof m.session_id === 'string' && m.session_id) this.sessionId = m.session_id;
    if (m.type === 'system' && m.subtype === 'init') {
      const servers = (m.mcp_servers || []).map((s) => `${s.name}:${s.status}`).join(' ');
      log(`claude session ${m.session_id} (model ${m.model || '?'}; mcp ${servers || 'none'})`);
    } else if (m.type === 'result') {
      this.result(m);
    }
  }

  /** A finished turn: the reply first, then the event, so a host that acts on the event finds it. */
  result(m) {
    this.answered += 1;
    const ok = m.subtype === 'success' && !m.is_error;
    const result = typeof m.result === 'string' ? m.result : null;
    let error = null;
    if (!ok) {
      const errs = Array.isArray(m.errors) ? m.errors.filter((e) => typeof e === 'string') : [];
      error = errs.length ? errs.join('; ') : result || `claude reported ${m.subtype || 'an error'}`;
    }
    const text = ok ? result : `The agent could not answer: ${error}`;
    if (text) {
      try {
        ipc.writeJson(DIR.messages, { type: 'message', chatJid: CHAT_JID, text });
      } catch (e) {
        log(`cannot write the reply: ${e.message}`);
      }
    } else {
      log('empty reply, nothing sent');
    }
    event({
      type: 'turn',
      status: ok ? 'success' : 'error',
      sessionId: this.sessionId,
      durationMs: typeof m.duration_ms === 'number' ? m.duration_ms : null,
      costUsd: typeof m.total_cost_usd === 'number' ? m.total_cost_usd : null,
      result,
      error,
    });
    this.maybeEndInput();
  }

  /** After `_close`, once every message sent has its result, claude's input ends. */
  maybeEndInput() {
    if (!this.closing || this.stdinClosed || this.answered < this.sent) return;
    this.stdinClosed = true;
    log('all input answered; closing the session');
    this.child.stdin.end();
    setTimeout(() => {
      log(`claude still running ${EXIT_GRACE_MS} ms after its input ended; stopping it`);
      this.child.kill('SIGTERM');
    }, EXIT_GRACE_MS).unref();
  }

  exited(code, sig) {
    const status = code !== null ? code : 128 + (os.constants.signals[sig] || 0);
    if (this.signal) return this.finish(this.signal.code);
    if (this.stdinClosed) {
      log(`claude exited (${sig || `status ${code}`})`);
      return this.finish(status);
    }
    const tail = this.stderrTail.slice(-5).join('\n');
    const how = sig ? `was killed by ${sig}` : `exited with status ${code}`;
    this.fail(`claude ${how} unexpectedly${tail ? `: ${tail}` : ''}`.slice(0, 2000), status || 1);
  }

  /** The runner itself failed: say so to the host, stop claude, exit non-zero. */
  fail(message, code) {
    if (this.exiting) return;
    log(message);
    event({ type: 'error', message });
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    this.finish(code || 1);
  }

  stop(sig, code) {
    log(`${sig}: stopping claude`);
    this.signal = { code };
    this.closing = true;
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) return this.finish(code);
    this.child.kill('SIGTERM');
    setTimeout(() => this.finish(code), 5000).unref();
  }

  finish(code) {
    if (this.exiting) return;
    this.exiting = true;
    if (this.watcher) this.watcher.close();
    if (this.tmp) fs.rmSync(this.tmp, { recursive: true, force: true });
    process.exitCode = code;
    // stdout/stderr flush on their own; nothing else should keep us alive.
    setImmediate(() => process.exit(code));
  }
}

if (require.main === module) new Session().start();

module.exports = { claudeArgv, Session };
