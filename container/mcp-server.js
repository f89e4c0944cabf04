#!/usr/bin/env node
// aigo MCP server: the agent's tools, served to Claude Code over stdio (Node >= 20, no npm deps).
//
// Owns the MCP side (JSON-RPC 2.0, one message per line on stdin/stdout; logs go to stderr) and
// turns each tool call into one IPC file the host's router already accepts (container/README.md):
//   send_message                          -> messages/NAME {"type":"message","chatJid","text"}
//   schedule_task, pause_task, resume_task,
//   cancel_task, update_task              -> tasks/NAME   {"type":"<tool>",…}
//   list_tasks                            <- current_tasks.json, the host's snapshot
// A tool result says what the host did with the file: it waits (event-driven, bounded by
// AIGO_MCP_ACK_MS) until the file is consumed (accepted) or moved to errors/ (refused, and why).
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');
const ipc = require('./ipc.js');

const env = process.env;
const IPC = env.AIGO_IPC_DIR || '/workspace/ipc';
const DIR = {
  messages: path.join(IPC, 'messages'),
  tasks: path.join(IPC, 'tasks'),
  errors: path.join(IPC, 'errors'),
};
const GROUP = env.AIGO_GROUP || '';
const IS_MAIN = env.AIGO_IS_MAIN === '1' || env.AIGO_IS_MAIN === 'true';
const CHAT_JID = env.AIGO_CHAT_JID ? env.AIGO_CHAT_JID : null;
const ACK_MS = (() => {
  const v = Number.parseInt(env.AIGO_MCP_ACK_MS || '', 10);
  return Number.isFinite(v) && v >= 0 ? v : 5000;
})();
const PROTOCOL_VERSIONS = ['2025-06-18', '2025-03-26', '2024-11-05'];
const SERVER_INFO = { name: 'aigo', version: '0.1.0' };

function log(msg) {
  process.stderr.write(`aigo-mcp: ${msg}\n`);
}

const scheduleSchema = {
  type: 'object',
  description: 'When it runs: cron (5 fields, local time), interval (milliseconds or "30m"), or once (ISO timestamp)',
  properties: {
    type: { type: 'string', enum: ['cron', 'interval', 'once'] },
    value: { type: ['string', 'integer'] },
  },
  required: ['type', 'value'],
};
const taskId = { type: 'string', description: 'The task (schedule) id, as list_tasks shows it' };
const scheduleFields = {
  name: { type: 'string', description: 'A short name for the task' },
  prompt: { type: 'string', description: 'What the agent is asked when the task runs' },
  schedule: scheduleSchema,
  contextMode: { type: 'string', enum: ['group', 'isolated'], description: 'group: join the group conversation; isolated: a fresh one every run' },
  timezone: { type: 'string', description: 'IANA zone for cron fields and once times (default: the host\'s)' },
  timeoutSecs: { type: 'integer', minimum: 1, description: 'Stop a run after this many seconds' },
  enabled: { type: 'boolean' },
};

const TOOLS = [
  {
    name: 'send_message',
    description: 'Send a message to the chat now (e.g. progress while you keep working). Your final answer is sent anyway; use this for anything before it.',
    inputSchema: {
      type: 'object',
      properties: {
        text: { type: 'string', description: 'The message' },
        chatJid: { type: 'string', description: 'Another chat of this group (default: the chat of this conversation)' },
      },
      required: ['text'],
    },
  },
  {
    name: 'schedule_task',
    description: 'Schedule a task: the agent runs with the prompt at the given times.' + (IS_MAIN ? ' As the main group you may schedule for another group.' : ''),
    inputSchema: {
      type: 'object',
      properties: { ...scheduleFields, group: { type: 'string', description: 'The group it runs for (default: this one; only main may name another)' } },
      required: ['prompt', 'schedule'],
    },
  },
  {
    name: 'list_tasks',
    description: IS_MAIN ? 'List all scheduled tasks.' : 'List this group\'s scheduled tasks.',
    inputSchema: { type: 'object', properties: {} },
  },
  ...['pause', 'resume', 'cancel'].map((verb) => ({
    name: `${verb}_task`,
    description: { pause: 'Pause a task (it stops running until resumed).', resume: 'Resume a paused task.', cancel: 'Delete a task for good.' }[verb],
    inputSchema: { type: 'object', properties: { taskId }, required: ['taskId'] },
  })),
  {
    name: 'update_task',
    description: 'Change a task: only the fields given change.',
    inputSchema: { type: 'object', properties: { taskId, ...scheduleFields }, required: ['taskId'] },
  },
];

class InvalidArgs extends Error {}

function str(args, key, required) {
  const v = args[key];
  if (v === undefined || v === null) {
    if (required) throw new InvalidArgs(`"${key}" is required`);
    return undefined;
  }
  if (typeof v !== 'string' || (required && !v.trim())) throw new InvalidArgs(`"${key}" must be a non-empty string`);
  return v;
}

/** The schedule fields both schedule_task and update_task take, in the host's field names. */
function scheduleBody(args) {
  const body = {};
  for (const k of ['name', 'prompt', 'timezone']) if (str(args, k) !== undefined) body[k] = args[k];
  if (args.schedule !== undefined) {
    const s = args.schedule;
    if (!s || typeof s !== 'object' || !['cron', 'interval', 'once'].includes(s.type) || !['string', 'number'].includes(typeof s.value)) {
      throw new InvalidArgs('"schedule" must be {"type":"cron"|"interval"|"once","value":…}');
    }
    body.schedule = { type: s.type, value: s.value };
  }
  if (args.contextMode !== undefined) {
    if (!['group', 'isolated'].includes(args.contextMode)) throw new InvalidArgs('"contextMode" must be "group" or "isolated"');
    body.contextMode = args.contextMode;
  }
  if (args.timeoutSecs !== undefined) {
    if (!Number.isInteger(args.timeoutSecs) || args.timeoutSecs < 1) throw new InvalidArgs('"timeoutSecs" must be a positive integer');
    body.containerConfig = { timeoutSecs: args.timeoutSecs };
  }
  if (args.enabled !== undefined) {
    if (typeof args.enabled !== 'boolean') throw new InvalidArgs('"enabled" must be true or false');
    body.enabled = args.enabled;
  }
  return body;
}

/** Tool name -> [directory, the IPC document, what it is in words]. */
function request(name, args) {
  switch (name) {
    case 'send_message': {
      const text = str(args, 'text', true);
      const chatJid = str(args, 'chatJid') || CHAT_JID;
      return [DIR.messages, { type: 'message', chatJid, text }, chatJid ? `message to ${chatJid}` : 'message for the run\'s log'];
    }
    case 'schedule_task': {
      const body = scheduleBody(args);
      if (!body.prompt) throw new InvalidArgs('"prompt" is required');
      if (!body.schedule) throw new InvalidArgs('"schedule" is required');
      // The host requires a name; a prompt's first words make a readable one.
      if (!body.name) body.name = body.prompt.replace(/\s+/g, ' ').trim().slice(0, 40);
      const group = str(args, 'group');
      if (group !== undefined) body.group = group;
      return [DIR.tasks, { type: 'schedule_task', ...body }, `schedule_task "${body.name}"`];
    }
    case 'pause_task':
    case 'resume_task':
    case 'cancel_task': {
      const id = str(args, 'taskId', true);
      return [DIR.tasks, { type: name, taskId: id }, `${name} ${id}`];
    }
    case 'update_task': {
      const id = str(args, 'taskId', true);
      const body = scheduleBody(args);
      if (Object.keys(body).length === 0) throw new InvalidArgs('nothing to change: give at least one field besides "taskId"');
      return [DIR.tasks, { type: 'update_task', taskId: id, ...body }, `update_task ${id}`];
    }
    default:
      return null;
  }
}

function text(t, isError = false) {
  return { content: [{ type: 'text', text: t }], isError };
}

/** list_tasks: the host's snapshot, `{"generatedAt","tasks":[…]}` (a bare array is read too). */
function listTasks() {
  const file = path.join(IPC, 'current_tasks.json');
  const r = ipc.readBounded(file);
  if (r.error !== undefined) {
    if (!fs.existsSync(file)) return text('No scheduled tasks are known: the host has not written current_tasks.json for this session.');
    return text(`Cannot read current_tasks.json: ${r.error}`, true);
  }
  let snap;
  try {
    snap = JSON.parse(r.text);
  } catch (e) {
    return text(`current_tasks.json is not JSON: ${e.message}`, true);
  }
  let tasks = Array.isArray(snap) ? snap : Array.isArray(snap && snap.tasks) ? snap.tasks : null;
  if (!tasks) return text('current_tasks.json has no "tasks" list', true);
  // The host writes only this group's tasks for a non-main group; never show more than that.
  if (!IS_MAIN) tasks = tasks.filter((t) => t && t.group === GROUP);
  const view = tasks.map((t) => ({
    id: t.id, name: t.name, group: t.group, prompt: t.prompt, schedule: t.schedule, description: t.description,
    status: t.status, nextRun: t.nextRun ?? null, lastRun: t.lastRun ?? null, lastStatus: t.lastStatus ?? null,
  }));
  const head = `${view.length} task(s)${snap.generatedAt ? ` as of ${snap.generatedAt}` : ''}:`;
  return text(`${head}\n${JSON.stringify(view, null, 2)}`);
}

async function callTool(name, args) {
  if (name === 'list_tasks') return listTasks();
  let req;
  try {
    req = request(name, args || {});
  } catch (e) {
    if (e instanceof InvalidArgs) return text(`Invalid arguments for ${name}: ${e.message}`, true);
    throw e;
  }
  const [dir, doc, what] = req;
  let file;
  try {
    fs.mkdirSync(dir, { recursive: true });
    file = ipc.writeJson(dir, doc);
  } catch (e) {
    return text(`Could not hand the ${what} to the host: ${e.message}`, true);
  }
  const rel = `${path.basename(dir)}/${file}`;
  log(`${name}: wrote ${rel}`);
  const answer = await ipc.awaitHost(dir, file, DIR.errors, ACK_MS);
  switch (answer.state) {
    case 'accepted':
      return text(name === 'send_message' ? `Sent: the host delivered the ${what}.` : `Done: the host applied ${what}.`);
    case 'refused':
      return text(`Refused by the host: ${answer.reason}`, true);
    default:
      return text(`Queued as ${rel}: the host has not picked it up yet (it does once the aigo daemon runs); ${what} is not confirmed.`);
  }
}

function reply(id, result) {
  process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', id, result })}\n`);
}

function fault(id, code, message) {
  process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', id, error: { code, message } })}\n`);
}

async function handle(msg) {
  if (!msg || typeof msg !== 'object' || Array.isArray(msg) || msg.jsonrpc !== '2.0' || typeof msg.method !== 'string') {
    // A response from the client (we send no requests) or garbage: answer only what has an id.
    if (msg && typeof msg === 'object' && 'id' in msg && !('result' in msg || 'error' in msg)) fault(msg.id ?? null, -32600, 'Invalid Request');
    return;
  }
  const isRequest = 'id' in msg && msg.id !== null;
  const params = msg.params || {};
  switch (msg.method) {
    case 'initialize': {
      const asked = params.protocolVersion;
      return reply(msg.id, {
        protocolVersion: PROTOCOL_VERSIONS.includes(asked) ? asked : PROTOCOL_VERSIONS[0],
        capabilities: { tools: { listChanged: false } },
        serverInfo: SERVER_INFO,
        instructions: 'Tools of aigo, the host running this agent: message the chat, and manage scheduled tasks.',
      });
    }
    case 'ping':
      return isRequest && reply(msg.id, {});
    case 'tools/list':
      return reply(msg.id, { tools: TOOLS });
    case 'tools/call': {
      if (!TOOLS.some((t) => t.name === params.name)) return fault(msg.id, -32602, `Unknown tool: ${params.name}`);
      if (params.arguments !== undefined && (typeof params.arguments !== 'object' || params.arguments === null || Array.isArray(params.arguments))) {
        return reply(msg.id, text(`Invalid arguments for ${params.name}: expected an object`, true));
      }
      try {
        return reply(msg.id, await callTool(params.name, params.arguments));
      } catch (e) {
        return reply(msg.id, text(`${params.name} failed: ${e.message}`, true));
      }
    }
    default:
      // Notifications (notifications/initialized, cancelled, …) need no answer.
      if (isRequest) fault(msg.id, -32601, `Method not found: ${msg.method}`);
  }
}

if (require.main === module) {
  const pending = new Set();
  readline.createInterface({ input: process.stdin }).on('line', (line) => {
    if (!line.trim()) return;
    let msg;
    try {
      msg = JSON.parse(line);
    } catch {
      return fault(null, -32700, 'Parse error');
    }
    const p = handle(msg).catch((e) => log(`internal error: ${e.stack || e}`));
    pending.add(p);
    p.finally(() => pending.delete(p));
  }).on('close', async () => {
    // The client closed stdin: finish the calls in flight, then go.
    await Promise.allSettled([...pending]);
    process.exit(0);
  });
}

module.exports = { TOOLS, request, handle };
