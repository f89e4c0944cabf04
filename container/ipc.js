// aigo IPC files, shared by runner.js and mcp-server.js (Node >= 20, no npm dependencies).
//
// Owns the file conventions of the IPC contract (container/README.md): names that sort in
// creation order, atomic writes (NAME.tmp, fsync, rename), which names readers ignore, bounded
// reads, quarantine into errors/ with a reason, and waiting for the host to answer a file.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

/** Largest file either process reads from the IPC dir; the host's limit is of the same order. */
const MAX_FILE_BYTES = 1024 * 1024;

let lastMs = 0;
let seq = 0;

/**
 * `<13-digit epoch ms>-<pid>-<seq>.json`: sorts in creation order within this process (the
 * clock is never allowed to go backwards here), and two processes never pick the same name.
 */
function fileName() {
  lastMs = Math.max(lastMs, Date.now());
  seq += 1;
  return `${String(lastMs).padStart(13, '0')}-${process.pid}-${String(seq).padStart(6, '0')}.json`;
}

/** Names every reader skips: files being written and hidden files. */
function ignored(name) {
  return name.startsWith('.') || name.endsWith('.tmp');
}

/** Writes `value` as JSON to `dir/name` (a fresh name by default) via `name.tmp` + rename. */
function writeJson(dir, value, name = fileName()) {
  const tmp = path.join(dir, `${name}.tmp`);
  const fd = fs.openSync(tmp, 'w', 0o644);
  try {
    fs.writeSync(fd, `${JSON.stringify(value)}\n`);
    // Durable before it becomes visible: the host may act on it and delete it at once.
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, path.join(dir, name));
  return name;
}

/**
 * Reads a regular file of at most MAX_FILE_BYTES without following a symlink.
 * Returns `{ text }` or `{ error }` saying why it was not read.
 */
function readBounded(file) {
  let fd;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  } catch (e) {
    if (e.code === 'ELOOP') return { error: 'a symlink, not a regular file' };
    return { error: `cannot open: ${e.code || e.message}` };
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { error: 'not a regular file' };
    if (st.size > MAX_FILE_BYTES) return { error: `larger than ${MAX_FILE_BYTES} bytes (${st.size})` };
    const buf = Buffer.alloc(st.size);
    const n = st.size === 0 ? 0 : fs.readSync(fd, buf, 0, st.size, 0);
    return { text: buf.subarray(0, n).toString('utf8') };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Moves `dir/name` into `errors/` (under a unique name, like the host's router) with
 * `<that name>.reason.json` beside it: nothing is dropped silently.
 */
function quarantine(dir, name, errorsDir, reason) {
  const dest = `${Date.now()}-${name}`;
  try {
    fs.renameSync(path.join(dir, name), path.join(errorsDir, dest));
  } catch (e) {
    // Gone already (or unmovable): still leave no trace of it in the inbox.
    try { fs.rmSync(path.join(dir, name), { force: true, recursive: true }); } catch { /* nothing left to do */ }
    return null;
  }
  writeJson(errorsDir, { file: name, reason, ts: new Date().toISOString() }, `${dest}.reason.json`);
  return dest;
}

/** The reason the host gave for quarantining `name`, if it did (errors/…-NAME + .reason.json). */
function findRefusal(errorsDir, name) {
  let entries;
  try { entries = fs.readdirSync(errorsDir); } catch { return null; }
  const moved = entries.find((e) => (e === name || e.endsWith(`-${name}`)));
  if (!moved) return null;
  for (const suffix of ['.reason.json', '.reason']) {
    const r = readBounded(path.join(errorsDir, moved + suffix));
    if (r.text === undefined) continue;
    try {
      const v = JSON.parse(r.text);
      return { reason: typeof v.reason === 'string' ? v.reason : r.text.trim() };
    } catch {
      return { reason: r.text.trim() };
    }
  }
  return { reason: null };
}

/**
 * Waits (event-driven, bounded by `timeoutMs`) until the host has taken `dir/name`:
 * `{ state: 'accepted' }` when it consumed the file, `{ state: 'refused', reason }` when it moved
 * it to errors/, `{ state: 'pending' }` when nobody answered in time.
 */
function awaitHost(dir, name, errorsDir, timeoutMs) {
  return new Promise((resolve) => {
    const watchers = [];
    let timer = null;
    let done = false;
    const finish = (v) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      for (const w of watchers) w.close();
      resolve(v);
    };
    const check = (final) => {
      if (done) return;
      if (fs.existsSync(path.join(dir, name))) {
        if (final) finish({ state: 'pending' });
        return;
      }
      const refused = findRefusal(errorsDir, name);
      if (refused === null) return finish({ state: 'accepted' });
      // Moved but its reason not yet written (the host renames first): the reason's own
      // write wakes us again.
      if (refused.reason === null && !final) return;
      finish({ state: 'refused', reason: refused.reason || 'no reason given' });
    };
    for (const d of [dir, errorsDir]) {
      try { watchers.push(fs.watch(d, () => check(false))); } catch { /* the deadline still answers */ }
    }
    timer = setTimeout(() => check(true), timeoutMs);
    check(false);
  });
}

module.exports = { MAX_FILE_BYTES, fileName, ignored, writeJson, readBounded, quarantine, findRefusal, awaitHost };
