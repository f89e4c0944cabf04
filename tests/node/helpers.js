// Shared by the node --test files: paths, a scratch IPC dir, host-side file IO, event waits.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const RUNNER = path.join(ROOT, 'container', 'runner.js');
const MCP_SERVER = path.join(ROOT, 'container', 'mcp-server.js');
const FAKE_CLAUDE = path.join(ROOT, 'tests', 'fake-claude', 'claude.js');

/** A fresh session IPC dir with the folders the host creates. */
function ipcDir(t) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'aigo-node-test-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const ipc = path.join(root, 'ipc');
  for (const d of ['input', 'messages', 'tasks', 'errors', 'events']) fs.mkdirSync(path.join(ipc, d), { recursive: true });
  return { root, ipc };
}

let n = 0;
/** Writes an input message the way the host does: NAME.tmp, then rename. */
function send(ipc, text, name) {
  n += 1;
  const file = name || `${String(Date.now()).padStart(13, '0')}-${String(n).padStart(4, '0')}.json`;
  const tmp = path.join(ipc, 'input', `${file}.tmp`);
  fs.writeFileSync(tmp, JSON.stringify({ type: 'message', text, sender: 'alice', ts: new Date().toISOString() }));
  fs.renameSync(tmp, path.join(ipc, 'input', file));
  return file;
}

function close(ipc) {
  fs.writeFileSync(path.join(ipc, 'input', '_close'), '');
}

/** The finished (renamed) JSON files of `dir`, in name order. */
function files(dir) {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.json') && !f.startsWith('.')).sort()
    .map((f) => ({ name: f, body: JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) }));
}

/** Resolves once `pred()` holds, re-checked on every change in `dir` (bounded: 20 s). */
function until(dir, pred, what) {
  return new Promise((resolve, reject) => {
    let w;
    const timer = setTimeout(() => { w.close(); reject(new Error(`timed out waiting for ${what}`)); }, 20000);
    const check = () => {
      let v;
      try { v = pred(); } catch { v = undefined; }
      if (v) { clearTimeout(timer); w.close(); resolve(v); }
    };
    w = fs.watch(dir, check);
    check();
  });
}

/** Waits for `n` finished files in `dir` and returns them. */
function count(dir, k) {
  return until(dir, () => { const f = files(dir); return f.length >= k ? f : undefined; }, `${k} file(s) in ${path.basename(dir)}/`);
}

module.exports = { ROOT, RUNNER, MCP_SERVER, FAKE_CLAUDE, ipcDir, send, close, files, until, count };
