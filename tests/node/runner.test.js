// container/runner.js against the fake claude, on the host: the IPC contract end to end.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { RUNNER, FAKE_CLAUDE, ipcDir, send, close, files, count, until } = require('./helpers.js');

/** Starts the runner; `exit` resolves to its status (128+n for a signal) and stderr. */
function runner(t, ipc, extraEnv = {}) {
  const env = {
    ...process.env,
    AIGO_IPC_DIR: ipc,
    AIGO_CLAUDE_CMD: FAKE_CLAUDE,
    AIGO_GROUP: 'family',
    AIGO_SESSION: 's1',
    AIGO_IS_MAIN: '0',
    AIGO_CHAT_JID: 'tg:42',
    AIGO_MCP_ACK_MS: '300',
    CLAUDE_CONFIG_DIR: path.join(ipc, '..', 'claude-state'),
    ...extraEnv,
  };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const child = spawn(process.execPath, [RUNNER], { env, stdio: ['ignore', 'inherit', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exit = new Promise((resolve) => child.on('exit', (code, sig) => resolve({ code: code ?? 128 + require('node:os').constants.signals[sig], stderr })));
  t.after(() => child.kill('SIGKILL'));
  return { child, exit };
}

const events = (ipc) => files(path.join(ipc, 'events')).map((f) => f.body);
const replies = (ipc) => files(path.join(ipc, 'messages')).map((f) => f.body);

test('one live claude per session: prompt, follow-ups, _close', async (t) => {
  const { ipc } = ipcDir(t);
  const r = runner(t, ipc);
  const tricky = 'hello "world"\\ \ttab ✓ 😀';
  send(ipc, tricky);
  let m = await count(path.join(ipc, 'messages'), 1);
  assert.deepEqual(m[0].body, { type: 'message', chatJid: 'tg:42', text: tricky });
  assert.deepEqual(fs.readdirSync(path.join(ipc, 'input')), [], 'the prompt is consumed');

  send(ipc, 'whoami');
  m = await count(path.join(ipc, 'messages'), 2);
  const first = /pid=(\d+) turn=2 session=(\S+) resumed=none/.exec(m[1].body.text);
  assert.ok(first, m[1].body.text);
  send(ipc, 'whoami');
  m = await count(path.join(ipc, 'messages'), 3);
  assert.match(m[2].body.text, new RegExp(`pid=${first[1]} turn=3 session=${first[2]}`), 'the same claude process answers the follow-up');

  close(ipc);
  const { code } = await r.exit;
  assert.equal(code, 0);
  assert.ok(!fs.existsSync(path.join(ipc, 'input', '_close')));
  const ev = events(ipc);
  assert.deepEqual(ev.map((e) => e.type), ['started', 'turn', 'turn', 'turn']);
  for (const e of ev.slice(1)) {
    assert.equal(e.status, 'success');
    assert.equal(e.sessionId, first[2]);
    assert.equal(typeof e.durationMs, 'number');
    assert.equal(e.costUsd, 0.0001);
    assert.equal(e.error, null);
    assert.ok(!Number.isNaN(Date.parse(e.ts)));
  }
  assert.equal(ev[1].result, tricky);
  // Names sort in creation order: the started event is first, the last turn last.
  assert.ok(files(path.join(ipc, 'events')).every((f) => /^\d{13}-\d+-\d{6}\.json$/.test(f.name)));
});

test('_close answers the pending input first, and a follow-up during a turn joins the session', async (t) => {
  const { ipc } = ipcDir(t);
  const r = runner(t, ipc);
  send(ipc, 'sleep:300\nslow');
  await until(path.join(ipc, 'input'), () => fs.readdirSync(path.join(ipc, 'input')).length === 0, 'the prompt to be taken');
  send(ipc, 'second');
  close(ipc);
  assert.equal((await r.exit).code, 0);
  assert.deepEqual(replies(ipc).map((m) => m.text), ['slow', 'second']);
});

test('ignores *.tmp and dotfiles; quarantines what is not a message', async (t) => {
  const { ipc } = ipcDir(t);
  const input = path.join(ipc, 'input');
  fs.writeFileSync(path.join(input, '0001.json.tmp'), '{half');
  fs.writeFileSync(path.join(input, '.hidden'), 'x');
  fs.writeFileSync(path.join(input, '0002.json'), '{not json');
  fs.writeFileSync(path.join(input, '0003.json'), JSON.stringify({ type: 'schedule_task', text: 'x' }));
  fs.writeFileSync(path.join(input, '0004.json'), JSON.stringify({ type: 'message', text: 7 }));
  fs.symlinkSync('/etc/passwd', path.join(input, '0005.json'));
  const r = runner(t, ipc);
  send(ipc, 'real one');
  await count(path.join(ipc, 'messages'), 1);
  close(ipc);
  assert.equal((await r.exit).code, 0);
  assert.deepEqual(fs.readdirSync(input).sort(), ['.hidden', '0001.json.tmp']);
  const errors = path.join(ipc, 'errors');
  const reasons = fs.readdirSync(errors).filter((f) => f.endsWith('.reason.json'))
    .map((f) => JSON.parse(fs.readFileSync(path.join(errors, f), 'utf8'))).map((b) => [b.file, b.reason]);
  // The quarantined file itself sits beside its reason, moved (a link is moved, not followed).
  assert.ok(fs.lstatSync(path.join(errors, fs.readdirSync(errors).find((f) => f.endsWith('-0005.json')))).isSymbolicLink());
  assert.equal(reasons.length, 4, JSON.stringify(reasons));
  assert.match(reasons.find(([f]) => f === '0002.json')[1], /not JSON/);
  assert.match(reasons.find(([f]) => f === '0003.json')[1], /"type":"message"/);
  assert.match(reasons.find(([f]) => f === '0004.json')[1], /"text"/);
  assert.match(reasons.find(([f]) => f === '0005.json')[1], /symlink/);
  assert.deepEqual(replies(ipc).map((m) => m.text), ['real one']);
});

test('an error turn is a turn event with status error, and the session goes on', async (t) => {
  const { ipc } = ipcDir(t);
  const r = runner(t, ipc, { AIGO_CHAT_JID: '' });
  send(ipc, 'fail:quota exceeded');
  send(ipc, 'after');
  await count(path.join(ipc, 'messages'), 2);
  close(ipc);
  assert.equal((await r.exit).code, 0);
  const turn = events(ipc).filter((e) => e.type === 'turn');
  assert.equal(turn[0].status, 'error');
  assert.equal(turn[0].error, 'quota exceeded');
  assert.equal(turn[0].result, null);
  assert.equal(turn[1].status, 'success');
  // No chat for this run: replies carry a null chatJid (the host keeps them for the run's log).
  assert.deepEqual(replies(ipc).map((m) => [m.chatJid, m.text]), [[null, 'The agent could not answer: quota exceeded'], [null, 'after']]);
});

test('claude that cannot be started: an error event and a non-zero exit', async (t) => {
  const { ipc } = ipcDir(t);
  const r = runner(t, ipc, { AIGO_CLAUDE_CMD: '/nonexistent/claude' });
  const { code } = await r.exit;
  assert.notEqual(code, 0);
  const ev = events(ipc);
  assert.deepEqual(ev.map((e) => e.type), ['error']);
  assert.match(ev[0].message, /cannot start claude \(\/nonexistent\/claude\): .*ENOENT/);
});

test('claude dying mid-session: an error event with its last words, the runner exits with its status', async (t) => {
  const { ipc } = ipcDir(t);
  const r = runner(t, ipc);
  send(ipc, 'hi');
  await count(path.join(ipc, 'messages'), 1);
  send(ipc, 'exit:3');
  const { code } = await r.exit;
  assert.equal(code, 3);
  const ev = events(ipc);
  assert.deepEqual(ev.map((e) => e.type), ['started', 'turn', 'error']);
  assert.match(ev[2].message, /claude exited with status 3 unexpectedly: [\s\S]*fake-claude: exit 3 as asked$/);
});

test('AIGO_RESUME_SESSION resumes; an unknown session is an error event', async (t) => {
  const { ipc } = ipcDir(t);
  let r = runner(t, ipc);
  send(ipc, 'whoami');
  const m = await count(path.join(ipc, 'messages'), 1);
  const id = /session=(\S+)/.exec(m[0].body.text)[1];
  close(ipc);
  assert.equal((await r.exit).code, 0);

  for (const f of fs.readdirSync(path.join(ipc, 'messages'))) fs.rmSync(path.join(ipc, 'messages', f));
  for (const f of fs.readdirSync(path.join(ipc, 'events'))) fs.rmSync(path.join(ipc, 'events', f));
  r = runner(t, ipc, { AIGO_RESUME_SESSION: id });
  send(ipc, 'whoami');
  const m2 = await count(path.join(ipc, 'messages'), 1);
  assert.match(m2[0].body.text, new RegExp(`session=${id} resumed=${id} history=2`));
  close(ipc);
  assert.equal((await r.exit).code, 0);
  assert.equal(events(ipc).find((e) => e.type === 'turn').sessionId, id);

  for (const f of fs.readdirSync(path.join(ipc, 'events'))) fs.rmSync(path.join(ipc, 'events', f));
  r = runner(t, ipc, { AIGO_RESUME_SESSION: 'no-such-session' });
  assert.equal((await r.exit).code, 1);
  const err = events(ipc).find((e) => e.type === 'error');
  assert.match(err.message, /No conversation found with session ID: no-such-session/);
});

test('HOME not writable: a temporary home; TZ and the group reach claude', async (t) => {
  const { ipc } = ipcDir(t);
  const r = runner(t, ipc, { HOME: '/nonexistent', TZ: 'Asia/Tokyo' });
  send(ipc, 'env:HOME\nenv:TZ\nenv:AIGO_GROUP');
  const m = await count(path.join(ipc, 'messages'), 1);
  const [home, tz, group] = m[0].body.text.split('\n');
  assert.match(home, /^HOME=.*aigo-home$/);
  assert.ok(fs.statSync(home.slice(5)).isDirectory());
  assert.equal(tz, 'TZ=Asia/Tokyo');
  assert.equal(group, 'AIGO_GROUP=family');
  close(ipc);
  assert.equal((await r.exit).code, 0);
});

test('SIGTERM stops claude and exits 143', async (t) => {
  const { ipc } = ipcDir(t);
  const r = runner(t, ipc);
  send(ipc, 'whoami');
  const m = await count(path.join(ipc, 'messages'), 1);
  const pid = Number(/pid=(\d+)/.exec(m[0].body.text)[1]);
  r.child.kill('SIGTERM');
  assert.equal((await r.exit).code, 143);
  assert.throws(() => process.kill(pid, 0), /ESRCH/, 'claude is gone too');
});

test('a mid-turn tool call reaches messages/ before the turn\'s reply', async (t) => {
  const { ipc } = ipcDir(t);
  const r = runner(t, ipc);
  send(ipc, 'tool:send_message {"text":"working on it"}\ndone');
  const m = await count(path.join(ipc, 'messages'), 2);
  assert.deepEqual(m[0].body, { type: 'message', chatJid: 'tg:42', text: 'working on it' });
  assert.match(m[1].body.text, /^send_message: Queued as messages\/.*\ndone$/);
  close(ipc);
  assert.equal((await r.exit).code, 0);
});
