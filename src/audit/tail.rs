//! The end of the log: its last complete line, a torn line left by a crash, and
//! the head anchor (`audit.jsonl.head`) that makes deleting the last lines visible.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::AuditError;
use super::event::GENESIS_HASH;

/// Where the chain ends: the id and hash the next event links to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    pub id: u64,
    pub hash: String,
}

impl Head {
    pub fn genesis() -> Self {
        Self {
            id: 0,
            hash: GENESIS_HASH.into(),
        }
    }
}

/// What [`read_tail`] found at the end of the file.
pub struct Tail {
    pub head: Head,
    /// Byte offset where a torn (newline-less) last line starts, if there is one.
    pub torn_at: Option<u64>,
}

/// `audit.jsonl` → `audit.jsonl.head`.
pub fn head_path(log: &Path) -> PathBuf {
    let mut s = log.as_os_str().to_owned();
    s.push(".head");
    PathBuf::from(s)
}

/// Reads backwards from the end in growing chunks until the last complete line
/// is found, so an append costs the same on a 1 KB and a 1 GB log.
pub fn read_tail(file: &mut File, path: &Path, len: u64) -> Result<Tail, AuditError> {
    let io = |action| move |e| AuditError::io(path, action, e);
    if len == 0 {
        return Ok(Tail {
            head: Head::genesis(),
            torn_at: None,
        });
    }
    let mut chunk = 4096u64;
    loop {
        let start = len.saturating_sub(chunk);
        let mut buf = vec![0; (len - start) as usize];
        file.seek(SeekFrom::Start(start)).map_err(io("seek"))?;
        file.read_exact(&mut buf).map_err(io("read"))?;
        // Complete lines end at the last '\n'; anything after it is torn.
        let end = match buf.iter().rposition(|&b| b == b'\n') {
            Some(i) => i,
            None if start == 0 => {
                return Ok(Tail {
                    head: Head::genesis(),
                    torn_at: Some(0),
                });
            }
            None => {
                chunk *= 4;
                continue;
            }
        };
        let torn_at = (end + 1 < buf.len()).then_some(start + end as u64 + 1);
        let line_start = match buf[..end].iter().rposition(|&b| b == b'\n') {
            Some(i) => i + 1,
            None if start == 0 => 0,
            None => {
                chunk *= 4;
                continue;
            }
        };
        let head = parse_head(&buf[line_start..end]).ok_or_else(|| AuditError::CorruptTail {
            path: path.to_path_buf(),
            line: count_lines(path).unwrap_or(0),
        })?;
        return Ok(Tail { head, torn_at });
    }
}

/// The id and hash of one line, if it is a JSON object carrying both.
pub fn parse_head(line: &[u8]) -> Option<Head> {
    let v: Value = serde_json::from_slice(line).ok()?;
    Some(Head {
        id: v.get("id")?.as_u64()?,
        hash: v.get("hash")?.as_str()?.to_string(),
    })
}

fn count_lines(path: &Path) -> Option<usize> {
    let bytes = std::fs::read(path).ok()?;
    Some(bytes.iter().filter(|&&b| b == b'\n').count())
}

/// Fixed width, so an in-place overwrite never leaves a longer old tail behind.
const HEAD_WIDTH: usize = 127;

/// Reads the anchor. `Ok(None)`: there is none (a log from before anchors, or a
/// fresh one). `Err`: it exists but does not parse.
pub fn read_head(path: &Path) -> Result<Option<Head>, String> {
    match std::fs::read(path) {
        Ok(b) => serde_json::from_slice::<Head>(b.trim_ascii())
            .map(Some)
            .map_err(|e| format!("{} is unreadable: {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

/// Overwrites the anchor in place, after the log itself was written and synced.
/// It is not fsynced: after a crash it can only lag behind the log, which
/// verification accepts; what it must never do is run ahead of it.
pub fn write_head(path: &Path, head: &Head) -> Result<(), AuditError> {
    let mut text = serde_json::to_string(head).map_err(|e| AuditError::Serialize(e.to_string()))?;
    while text.len() < HEAD_WIDTH {
        text.push(' ');
    }
    text.push('\n');
    let mut opts = OpenOptions::new();
    opts.create(true).truncate(false).write(true);
    private(&mut opts);
    let mut f = opts
        .open(path)
        .map_err(|e| AuditError::io(path, "open", e))?;
    f.write_all(text.as_bytes())
        .and_then(|()| f.set_len(text.len() as u64))
        .map_err(|e| AuditError::io(path, "write", e))
}

/// Audit files are 0600 on Unix: events name paths and groups.
pub fn private(opts: &mut OpenOptions) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = opts;
}
