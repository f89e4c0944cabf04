#!/usr/bin/env node
// A fake `claude` for aigo's tests: speaks Claude Code's stream-json protocol without a model.
//
// Invocation (what container/runner.js passes; anything else is refused like a usage error):
//   claude -p --input-format stream-json --output-format stream-json --verbose
//          [--permission-mode MODE] [--mcp-config FILE|JSON] [--resume SESSION_ID]
// stdin: SDK user messages, one per line: {"type":"user","message":{"role":"user","content":…}}.
// stdout: {"type":"system","subtype":"init",…} once, then per message (one turn each, in order):
//   "assistant" messages (text, tool_use), "user" tool_result messages, one "result".
// stderr: `fake-claude: seen turn=N pid=P` the moment message N is read (benchmarks time it).
// stdin closed: the queued turns finish, then exit 0.
//
// Prompt language: each line of a prompt is one step; the reply is the steps' outputs joined
// by "\n" (so a plain prompt is echoed back verbatim).
//   whoami                 -> `pid=P turn=N session=S resumed=R|none history=H` (H: turns of
//                             this session so far, also from earlier runs that it resumed)
//   env:NAME               -> `NAME=value` (`NAME unset`)
//   tool:NAME {json}       -> calls MCP tool NAME with the arguments mid-turn; outputs
//                             `NAME: <text of the tool result>` (`NAME error: …` when isError)
//   tools                  -> `tools: a,b,c` (the tools the MCP servers listed)
//   sleep:MS               -> waits MS milliseconds before going on
//   fail[:MESSAGE]         -> ends the turn as an error result (subtype error_during_execution)
//   exit:N                 -> exits with status N at once (a crash mid-session)
//   anything else          -> echoed
// Sessions persist under $CLAUDE_CONFIG_DIR (default $HOME/.claude)/fake-claude/<id>.json; like
// the real one, `--resume` of an unknown session fails (status 1, "No conversation found…").
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const readline = require('node:readline');
const { spawn } = require('node:child_process');

function die(msg, code = 1) {
  process.stderr.write(`${msg}\n`);
  process.exit(code);
}

function parseArgs(argv) {
  const o = { flags: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) die(`error: option '${a}' argument missing`);
      return argv[++i];
    };
    if (a === '-p' || a === '--print' || a === '--verbose') o.flags.add(a === '--print' ? '-p' : a);
    else if (a === '--input-format') o.input = value();
    else if (a === '--output-format') o.output = value();
    else if (a === '--permission-mode') o.permissionMode = value();
    else if (a === '--mcp-config') o.mcpConfig = value();
    else if (a === '--resume' || a === '-r') o.resume = value();
    else die(`error: unknown option '${a}'`);
  }
  if (!o.flags.has('-p')) die('fake-claude: only print mode (-p) is faked');
  if (o.input !== 'stream-json' || o.output !== 'stream-json') die('fake-claude: needs --input-format stream-json --output-format stream-json');
  // As Claude Code: stream-json output in print mode requires --verbose.
  if (!o.flags.has('--verbose')) die('Error: When using --print, --output-format=stream-json requires --verbose');
  return o;
}

const opts = parseArgs(process.argv.slice(2));
const stateDir = path.join(process.env.CLAUDE_CONFIG_DIR || path.join(process.env.HOME || os.tmpdir(), '.claude'), 'fake-claude');
const sessionId = opts.resume || crypto.randomUUID();
const sessionFile = path.join(stateDir, `${sessionId.replace(/[^A-Za-z0-9-]/g, '_')}.json`);
let history = 0;
if (opts.resume) {
  try {
    history = JSON.parse(fs.readFileSync(sessionFile, 'utf8')).turns;
  } catch {
    die(`No conversation found with session ID: ${opts.resume}`);
  }
}

function emit(obj) {
  process.stdout.write(`${JSON.stringify({ ...obj, session_id: sessionId, uuid: crypto.randomUUID() })}\n`);
}

/** A minimal MCP client over stdio (newline-delimited JSON-RPC), as Claude Code starts one. */
class McpClient {
  constructor(name, spec) {
    this.name = name;
    this.nextId = 1;
    this.waiting = new Map();
    this.tools = [];
    this.proc = spawn(spec.command, spec.args || [], { env: { ...process.env, ...(spec.env || {}) }, stdio: ['pipe', 'pipe', 'inherit'] });
    this.proc.on('error', (e) => this.failAll(e));
    this.proc.on('exit', () => this.failAll(new Error(`MCP server ${name} exited`)));
    readline.createInterface({ input: this.proc.stdout }).on('line', (l) => {
      let m;
      try { m = JSON.parse(l); } catch { return; }
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if (m.error) w.reject(new Error(`${m.error.code}: ${m.error.message}`));
      else w.resolve(m.result);
    });
  }

  failAll(e) {
    for (const w of this.waiting.values()) w.reject(e);
    this.waiting.clear();
  }

  request(method, params) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.proc.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
    });
  }

  async connect() {
    const init = await this.request('initialize', {
      protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'fake-claude', version: '0.0.0' },
    });
    this.proc.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
    this.tools = (await this.request('tools/list', {})).tools.map((t) => t.name);
    return init;
  }

  close() {
    this.proc.stdin.end();
  }
}

function loadMcp() {
  if (!opts.mcpConfig) return [];
  const raw = opts.mcpConfig.trim().startsWith('{') ? opts.mcpConfig : fs.readFileSync(opts.mcpConfig, 'utf8');
  const servers = JSON.parse(raw).mcpServers || {};
  return Object.entries(servers).map(([name, spec]) => new McpClient(name, spec));
}

const clients = loadMcp();
const ready = Promise.all(clients.map((c) => c.connect().then(() => 'connected', (e) => {
  process.stderr.write(`fake-claude: MCP server ${c.name} failed: ${e.message}\n`);
  return 'failed';
})));

async function callTool(qualified, args) {
  const client = clients.find((c) => c.tools.includes(qualified));
  if (!client) return { text: `no MCP server offers ${qualified}`, isError: true };
  const useId = `toolu_${crypto.randomBytes(8).toString('hex')}`;
  emit({ type: 'assistant', parent_tool_use_id: null, message: { role: 'assistant', type: 'message', model: 'fake', content: [{ type: 'tool_use', id: useId, name: `mcp__${client.name}__${qualified}`, input: args }] } });
  let res;
  try {
    res = await client.request('tools/call', { name: qualified, arguments: args });
  } catch (e) {
    res = { content: [{ type: 'text', text: e.message }], isError: true };
  }
  const text = (res.content || []).filter((c) => c.type === 'text').map((c) => c.text).join('\n');
  emit({ type: 'user', parent_tool_use_id: null, message: { role: 'user', content: [{ type: 'tool_result', tool_use_id: useId, content: text, is_error: !!res.isError }] } });
  return { text, isError: !!res.isError };
}

let turn = 0;

async function runTurn(prompt) {
  const started = Date.now();
  turn += 1;
  history += 1;
  const out = [];
  let failure = null;
  for (const line of prompt.split('\n')) {
    let m;
    if (line === 'whoami') out.push(`pid=${process.pid} turn=${turn} session=${sessionId} resumed=${opts.resume || 'none'} history=${history}`);
    else if ((m = /^env:(\w+)$/.exec(line))) out.push(process.env[m[1]] === undefined ? `${m[1]} unset` : `${m[1]}=${process.env[m[1]]}`);
    else if (line === 'tools') out.push(`tools: ${clients.flatMap((c) => c.tools).join(',')}`);
    else if ((m = /^sleep:(\d+)$/.exec(line))) await new Promise((r) => setTimeout(r, Number(m[1])));
    else if ((m = /^exit:(\d+)$/.exec(line))) die(`fake-claude: exit ${m[1]} as asked`, Number(m[1]));
    else if ((m = /^fail(?::(.*))?$/.exec(line))) { failure = m[1] || 'failed as asked'; break; }
    else if ((m = /^tool:(\w+)(?:\s+(.*))?$/.exec(line))) {
      let args = {};
      try { args = m[2] ? JSON.parse(m[2]) : {}; } catch (e) { out.push(`${m[1]} error: bad JSON arguments: ${e.message}`); continue; }
      const r = await callTool(m[1], args);
      out.push(`${m[1]}${r.isError ? ' error' : ''}: ${r.text}`);
    } else out.push(line);
  }
  try {
    fs.mkdirSync(stateDir, { recursive: true });
    fs.writeFileSync(sessionFile, JSON.stringify({ turns: history }));
  } catch (e) {
    // The real one goes on without persisting too; a later --resume then fails.
    process.stderr.write(`fake-claude: cannot save the session in ${stateDir}: ${e.message}\n`);
  }
  const result = out.join('\n');
  const base = { type: 'result', duration_ms: Date.now() - started, duration_api_ms: 0, num_turns: 1, total_cost_usd: 0.0001, usage: { input_tokens: prompt.length, output_tokens: result.length } };
  if (failure !== null) {
    emit({ ...base, subtype: 'error_during_execution', is_error: true, errors: [failure] });
  } else {
    emit({ type: 'assistant', parent_tool_use_id: null, message: { role: 'assistant', type: 'message', model: 'fake', content: [{ type: 'text', text: result }] } });
    emit({ ...base, subtype: 'success', is_error: false, result });
  }
}

function promptText(content) {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.filter((b) => b && b.type === 'text').map((b) => b.text).join('\n');
  return '';
}

let queue = ready.then((statuses) => {
  emit({
    type: 'system', subtype: 'init', cwd: process.cwd(), model: 'fake-claude', permissionMode: opts.permissionMode || 'default',
    apiKeySource: 'none', tools: clients.flatMap((c) => c.tools.map((t) => `mcp__${c.name}__${t}`)),
    mcp_servers: clients.map((c, i) => ({ name: c.name, status: statuses[i] })),
  });
});
let seen = 0;
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  if (!line.trim()) return;
  let m;
  try { m = JSON.parse(line); } catch { die(`fake-claude: stdin line is not JSON: ${line.slice(0, 200)}`); }
  if (m.type !== 'user' || !m.message || m.message.role !== 'user') die(`fake-claude: expected an SDK user message, got ${line.slice(0, 200)}`);
  seen += 1;
  process.stderr.write(`fake-claude: seen turn=${seen} pid=${process.pid}\n`);
  const prompt = promptText(m.message.content);
  queue = queue.then(() => runTurn(prompt));
}).on('close', () => {
  queue.then(() => {
    for (const c of clients) c.close();
    process.exit(0);
  });
});
process.on('SIGTERM', () => process.exit(143));
