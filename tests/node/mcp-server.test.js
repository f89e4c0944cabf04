// container/mcp-server.js over its real stdio transport: the MCP handshake, the seven tools, the
// IPC files they write, and what their results say once the (simulated) host has answered.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');
const { spawn } = require('node:child_process');
const { MCP_SERVER, ipcDir, files, until } = require('./helpers.js');

/** Starts the server; `rpc(method, params)` sends a request and resolves to its response. */
function server(t, ipc, extraEnv = {}) {
  const env = { ...process.env, AIGO_IPC_DIR: ipc, AIGO_GROUP: 'family', AIGO_IS_MAIN: '0', AIGO_CHAT_JID: 'tg:42', AIGO_MCP_ACK_MS: '400', ...extraEnv };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const child = spawn(process.execPath, [MCP_SERVER], { env, stdio: ['pipe', 'pipe', 'inherit'] });
  t.after(() => child.kill('SIGKILL'));
  const lines = [];
  const waiting = [];
  const unsolicited = [];
  readline.createInterface({ input: child.stdout }).on('line', (l) => {
    const m = JSON.parse(l);
    const i = waiting.findIndex((w) => w.id === m.id);
    if (i >= 0) waiting.splice(i, 1)[0].resolve(m);
    else {
      lines.push(m);
      for (const u of unsolicited.splice(0)) u();
    }
  });
  /** Resolves once `k` responses arrived that answer no request of ours. */
  const stray = (k) => new Promise((resolve) => {
    const check = () => (lines.length >= k ? resolve(lines) : unsolicited.push(check));
    check();
  });
  let id = 0;
  const raw = (text) => child.stdin.write(`${text}\n`);
  const rpc = (method, params, reqId = ++id) => new Promise((resolve) => {
    waiting.push({ id: reqId, resolve });
    raw(JSON.stringify({ jsonrpc: '2.0', id: reqId, method, params }));
  });
  const call = async (name, args) => (await rpc('tools/call', { name, arguments: args })).result;
  return { child, rpc, call, raw, lines, stray };
}

/** The simulated host: answers each new file in `dir` by deleting it or quarantining it. */
function host(t, ipc, dir, refuse) {
  const d = path.join(ipc, dir);
  const w = fs.watch(d, () => {
    for (const f of fs.readdirSync(d).filter((n) => n.endsWith('.json'))) {
      const body = fs.readFileSync(path.join(d, f), 'utf8');
      const why = refuse && refuse(JSON.parse(body));
      if (!why) { fs.rmSync(path.join(d, f), { force: true }); continue; }
      // As the router does: rename into errors/ under a unique name, then the reason beside it.
      const dest = `${Date.now()}000-${f}`;
      fs.renameSync(path.join(d, f), path.join(ipc, 'errors', dest));
      setTimeout(() => fs.writeFileSync(path.join(ipc, 'errors', `${dest}.reason.json`), JSON.stringify({ file: f, reason: why })), 50);
    }
  });
  t.after(() => w.close());
}

test('initialize negotiates the version; tools/list has the seven tools', async (t) => {
  const { ipc } = ipcDir(t);
  const s = server(t, ipc);
  const init = await s.rpc('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } });
  assert.equal(init.result.protocolVersion, '2025-06-18');
  assert.deepEqual(init.result.capabilities, { tools: { listChanged: false } });
  assert.equal(init.result.serverInfo.name, 'aigo');
  const old = await s.rpc('initialize', { protocolVersion: '2024-11-05', capabilities: {}, clientInfo: { name: 't', version: '1' } });
  assert.equal(old.result.protocolVersion, '2024-11-05');
  const future = await s.rpc('initialize', { protocolVersion: '2999-01-01', capabilities: {}, clientInfo: { name: 't', version: '1' } });
  assert.equal(future.result.protocolVersion, '2025-06-18', 'an unknown version gets the latest we speak');
  s.raw(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));

  const list = await s.rpc('tools/list', {});
  const names = list.result.tools.map((x) => x.name).sort();
  assert.deepEqual(names, ['cancel_task', 'list_tasks', 'pause_task', 'resume_task', 'schedule_task', 'send_message', 'update_task']);
  for (const tool of list.result.tools) {
    assert.equal(tool.inputSchema.type, 'object');
    assert.ok(tool.description.length > 10);
  }
  assert.deepEqual((await s.rpc('ping')).result, {});
  assert.deepEqual(s.lines, [], 'a notification is never answered');
});

test('protocol errors: parse error, unknown method, unknown tool, invalid request', async (t) => {
  const { ipc } = ipcDir(t);
  const s = server(t, ipc);
  assert.equal((await s.rpc('resources/list', {})).error.code, -32601);
  assert.equal((await s.rpc('tools/call', { name: 'rm_rf', arguments: {} })).error.code, -32602);
  s.raw('{not json');
  s.raw(JSON.stringify({ id: 99, method: 'tools/list' }));
  await s.stray(2);
  assert.deepEqual(s.lines.map((l) => [l.id, l.error.code]), [[null, -32700], [99, -32600]]);
  // Still serving after garbage.
  assert.equal((await s.rpc('ping')).result !== undefined, true);
});

test('send_message: one atomic file in the router\'s shape; delivered, refused, or queued', async (t) => {
  const { ipc } = ipcDir(t);
  const s = server(t, ipc);
  // Nobody answers: the file waits in messages/ and the result says it is not confirmed.
  let r = await s.call('send_message', { text: 'line 1\nline 2 "quoted" ✓' });
  assert.equal(r.isError, false);
  assert.match(r.content[0].text, /^Queued as messages\/\d{13}-\d+-\d{6}\.json: the host has not picked it up yet/);
  const queued = files(path.join(ipc, 'messages'));
  assert.equal(queued.length, 1);
  assert.deepEqual(queued[0].body, { type: 'message', chatJid: 'tg:42', text: 'line 1\nline 2 "quoted" ✓' });
  assert.equal(fs.readFileSync(path.join(ipc, 'messages', queued[0].name), 'utf8').split('\n').length, 2, 'one JSON line');
  fs.rmSync(path.join(ipc, 'messages', queued[0].name));

  // With a host answering (and room for a loaded machine: the wait ends when it answers).
  const s2 = server(t, ipc, { AIGO_MCP_ACK_MS: '20000' });
  host(t, ipc, 'messages', (m) => (m.chatJid === 'tg:666' ? 'group "family" may not send to tg:666' : null));
  r = await s2.call('send_message', { text: 'progress' });
  assert.deepEqual(r, { content: [{ type: 'text', text: 'Sent: the host delivered the message to tg:42.' }], isError: false });
  r = await s2.call('send_message', { text: 'x', chatJid: 'tg:666' });
  assert.equal(r.isError, true);
  assert.equal(r.content[0].text, 'Refused by the host: group "family" may not send to tg:666');
});

test('send_message without a chat writes chatJid null; bad arguments write nothing', async (t) => {
  const { ipc } = ipcDir(t);
  const s = server(t, ipc, { AIGO_CHAT_JID: '' });
  await s.call('send_message', { text: 'for the log' });
  assert.deepEqual(files(path.join(ipc, 'messages'))[0].body, { type: 'message', chatJid: null, text: 'for the log' });
  for (const [tool, args, why] of [
    ['send_message', {}, /"text" is required/],
    ['send_message', { text: 42 }, /"text" must be a non-empty string/],
    ['schedule_task', { prompt: 'p' }, /"schedule" is required/],
    ['schedule_task', { prompt: 'p', schedule: { type: 'weekly', value: 'x' } }, /"schedule" must be/],
    ['schedule_task', { prompt: 'p', schedule: { type: 'cron', value: '* * * * *' }, timeoutSecs: -1 }, /timeoutSecs/],
    ['pause_task', {}, /"taskId" is required/],
    ['update_task', { taskId: 'abc' }, /nothing to change/],
  ]) {
    const r = await s.call(tool, args);
    assert.equal(r.isError, true, tool);
    assert.match(r.content[0].text, why);
  }
  assert.equal(files(path.join(ipc, 'messages')).length, 1);
  assert.deepEqual(fs.readdirSync(path.join(ipc, 'tasks')), []);
});

test('task tools write the TaskRequest shapes the router parses', async (t) => {
  const { ipc } = ipcDir(t);
  const s = server(t, ipc, { AIGO_MCP_ACK_MS: '50' });
  await s.call('schedule_task', { prompt: 'Summarise   the\nnews', schedule: { type: 'cron', value: '0 9 * * 1-5' }, contextMode: 'isolated', timezone: 'Europe/Berlin', timeoutSecs: 600 });
  await s.call('schedule_task', { name: 'ping', prompt: 'p', schedule: { type: 'interval', value: 60000 }, group: 'other' });
  await s.call('pause_task', { taskId: 't1' });
  await s.call('resume_task', { taskId: 't1' });
  await s.call('cancel_task', { taskId: 't2' });
  await s.call('update_task', { taskId: 't3', prompt: 'new', enabled: false, schedule: { type: 'once', value: '2030-01-01T09:00:00Z' } });
  assert.deepEqual(files(path.join(ipc, 'tasks')).map((f) => f.body), [
    { type: 'schedule_task', name: 'Summarise the news', prompt: 'Summarise   the\nnews', timezone: 'Europe/Berlin', schedule: { type: 'cron', value: '0 9 * * 1-5' }, contextMode: 'isolated', containerConfig: { timeoutSecs: 600 } },
    { type: 'schedule_task', name: 'ping', prompt: 'p', schedule: { type: 'interval', value: 60000 }, group: 'other' },
    { type: 'pause_task', taskId: 't1' },
    { type: 'resume_task', taskId: 't1' },
    { type: 'cancel_task', taskId: 't2' },
    { type: 'update_task', taskId: 't3', prompt: 'new', schedule: { type: 'once', value: '2030-01-01T09:00:00Z' }, enabled: false },
  ]);
});

test('a refused task: the tool result says so and why', async (t) => {
  const { ipc } = ipcDir(t);
  const s = server(t, ipc, { AIGO_MCP_ACK_MS: '20000' });
  host(t, ipc, 'tasks', (m) => (m.group && m.group !== 'family' ? `group "family" may not schedule for group "${m.group}"` : null));
  let r = await s.call('schedule_task', { prompt: 'p', schedule: { type: 'interval', value: '1h' }, group: 'main' });
  assert.equal(r.isError, true);
  assert.equal(r.content[0].text, 'Refused by the host: group "family" may not schedule for group "main"');
  r = await s.call('schedule_task', { prompt: 'p', schedule: { type: 'interval', value: '1h' } });
  assert.equal(r.isError, false);
  assert.equal(r.content[0].text, 'Done: the host applied schedule_task "p".');
});

test('list_tasks: the host\'s snapshot, never another group\'s tasks', async (t) => {
  const { ipc } = ipcDir(t);
  let s = server(t, ipc);
  let r = await s.call('list_tasks', {});
  assert.equal(r.isError, false);
  assert.match(r.content[0].text, /No scheduled tasks are known/);

  const task = (id, group) => ({ id, name: `n-${id}`, group, prompt: 'p', schedule: { type: 'cron', value: '0 9 * * *' }, timezone: 'local', description: 'at 09:00', status: 'active', enabled: true, nextRun: '2030-01-01T09:00:00Z', lastRun: null, lastStatus: null });
  fs.writeFileSync(path.join(ipc, 'current_tasks.json'), JSON.stringify({ generatedAt: '2030-01-01T00:00:00Z', tasks: [task('a', 'family'), task('b', 'main')] }));
  r = await s.call('list_tasks', {});
  const [head, ...rest] = r.content[0].text.split('\n');
  assert.equal(head, '1 task(s) as of 2030-01-01T00:00:00Z:');
  const shown = JSON.parse(rest.join('\n'));
  assert.deepEqual(shown.map((x) => x.id), ['a']);
  assert.equal(shown[0].nextRun, '2030-01-01T09:00:00Z');

  s = server(t, ipc, { AIGO_IS_MAIN: '1', AIGO_GROUP: 'main' });
  r = await s.call('list_tasks', {});
  assert.match(r.content[0].text, /^2 task\(s\)/);

  fs.writeFileSync(path.join(ipc, 'current_tasks.json'), '{oops');
  r = await s.call('list_tasks', {});
  assert.equal(r.isError, true);
  assert.match(r.content[0].text, /current_tasks.json is not JSON/);
});

test('stdin closed: calls in flight finish, then the server exits 0', async (t) => {
  const { ipc } = ipcDir(t);
  const s = server(t, ipc, { AIGO_MCP_ACK_MS: '300' });
  const pending = s.call('send_message', { text: 'last' });
  await until(path.join(ipc, 'messages'), () => fs.readdirSync(path.join(ipc, 'messages')).length > 0 || undefined, 'the file');
  s.child.stdin.end();
  const r = await pending;
  assert.match(r.content[0].text, /^Queued as/);
  const code = await new Promise((resolve) => (s.child.exitCode !== null ? resolve(s.child.exitCode) : s.child.on('exit', resolve)));
  assert.equal(code, 0);
});
