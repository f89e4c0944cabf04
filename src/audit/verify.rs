//! `aigo audit verify`: walks the chain and names the first line that breaks it.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::AuditError;
use super::event::{AuditEvent, GENESIS_HASH, hash_value};
use super::tail::{self, Head};
use crate::state::{FileLock, StateDir};

/// What is wrong, as a stable machine-readable name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum Problem {
    /// The line is not JSON, or not an audit event.
    Unparseable,
    /// The line's content does not match its own hash: it was edited.
    HashMismatch,
    /// `prevHash` is not the previous line's hash: lines deleted, inserted or reordered.
    BrokenLink,
    /// Ids skip: events were deleted (possibly at the end, before later appends).
    IdGap,
    /// The last line has no newline: an append was interrupted (a crash, a full disk).
    TruncatedLastLine,
    /// The log ends before the event its head anchor records: the last lines were deleted.
    MissingTail,
    /// The event the head anchor records has a different hash: the end was rewritten.
    HeadMismatch,
}

/// The result of [`verify`] (`aigo audit verify --json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VerifyReport {
    pub valid: bool,
    /// Events checked and found sound (all of them when `valid`).
    pub events: u64,
    /// 1-based line of the first problem.
    pub first_bad_line: Option<u64>,
    pub problem: Option<Problem>,
    pub reason: Option<String>,
    /// Hash of the last sound event: note it somewhere else to anchor the log.
    pub last_hash: Option<String>,
    /// Things that do not break the chain but deserve a look.
    pub warnings: Vec<String>,
}

/// Verifies `state.audit()` without modifying anything. A missing log is valid
/// and empty. Only I/O errors are `Err`; a broken chain is a report.
pub fn verify(state: &StateDir) -> Result<VerifyReport, AuditError> {
    verify_file(&state.audit())
}

pub fn verify_file(path: &Path) -> Result<VerifyReport, AuditError> {
    let mut report = VerifyReport {
        valid: true,
        events: 0,
        first_bad_line: None,
        problem: None,
        reason: None,
        last_hash: None,
        warnings: Vec::new(),
    };
    // Writers finish their line before they unlock, so a snapshot of the length
    // and anchor taken under the lock ends on a line boundary (unless a crash
    // tore it), and appends made while we read lie beyond it.
    let lock = match path.exists().then(|| FileLock::acquire(path)).transpose() {
        Ok(l) => l,
        Err(e) => {
            report.warnings.push(format!(
                "{e}; verifying without it, so an append in progress may look like a torn line"
            ));
            None
        }
    };
    let anchor = match tail::read_head(&tail::head_path(path)) {
        Ok(a) => a,
        Err(w) => {
            report.warnings.push(format!(
                "{w}; the end of the log cannot be checked against it"
            ));
            None
        }
    };
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(a) = anchor.filter(|a| a.id > 0) {
                fail(
                    &mut report,
                    1,
                    Problem::MissingTail,
                    format!(
                        "the log file is missing but its head anchor records event {}",
                        a.id
                    ),
                );
            }
            return Ok(report);
        }
        Err(e) => return Err(AuditError::io(path, "open", e)),
    };
    let len = file
        .metadata()
        .map_err(|e| AuditError::io(path, "stat", e))?
        .len();
    drop(lock);
    let mut reader = BufReader::new(file.take(len));
    let mut prev = Head::genesis();
    let mut anchor_seen = false;
    let mut line = Vec::new();
    let mut n = 0u64;
    loop {
        line.clear();
        let read = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| AuditError::io(path, "read", e))?;
        if read == 0 {
            break;
        }
        n += 1;
        if line.last() != Some(&b'\n') {
            fail(
                &mut report,
                n,
                Problem::TruncatedLastLine,
                format!(
                    "line {n} is incomplete (no newline): an append was interrupted, e.g. by a crash; lines 1-{} are sound, and the next append moves the torn bytes aside",
                    n - 1
                ),
            );
            return Ok(report);
        }
        if let Err((problem, reason)) = check_line(&line[..line.len() - 1], n, &prev) {
            fail(&mut report, n, problem, reason);
            return Ok(report);
        }
        prev = tail::parse_head(&line).unwrap_or_else(Head::genesis);
        if let Some(a) = &anchor
            && a.id == prev.id
        {
            anchor_seen = true;
            if a.hash != prev.hash {
                fail(
                    &mut report,
                    n,
                    Problem::HeadMismatch,
                    format!(
                        "line {n} (event {}) differs from the event the head anchor records: the end of the log was rewritten",
                        prev.id
                    ),
                );
                return Ok(report);
            }
        }
        report.events += 1;
        report.last_hash = Some(prev.hash.clone());
    }
    if let Some(a) = anchor.filter(|a| a.id > prev.id && !anchor_seen) {
        fail(
            &mut report,
            n + 1,
            Problem::MissingTail,
            format!(
                "the log ends at event {} (line {n}) but its head anchor records event {}: the last lines were deleted",
                prev.id, a.id
            ),
        );
    }
    Ok(report)
}

fn fail(r: &mut VerifyReport, line: u64, problem: Problem, reason: String) {
    r.valid = false;
    r.first_bad_line = Some(line);
    r.problem = Some(problem);
    r.reason = Some(reason);
}

fn check_line(bytes: &[u8], n: u64, prev: &Head) -> Result<(), (Problem, String)> {
    let v: Value = serde_json::from_slice(bytes).map_err(|e| {
        (
            Problem::Unparseable,
            format!("line {n} is not valid JSON ({e})"),
        )
    })?;
    let stored = v.get("hash").and_then(Value::as_str).unwrap_or_default();
    if hash_value(&v) != stored {
        return Err((
            Problem::HashMismatch,
            format!("line {n} was modified: its content does not match its hash"),
        ));
    }
    let prev_hash = v
        .get("prevHash")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let first = prev.hash == GENESIS_HASH && prev.id == 0;
    if prev_hash != prev.hash {
        let what = if first {
            "the first line does not start the chain: earlier lines were deleted"
        } else {
            "it does not follow the line before it: lines were deleted, inserted or reordered here"
        };
        return Err((Problem::BrokenLink, format!("line {n}: {what}")));
    }
    let id = v.get("id").and_then(Value::as_u64).unwrap_or(0);
    if id != prev.id + 1 {
        return Err((
            Problem::IdGap,
            format!(
                "line {n}: event ids jump from {} to {id}: events were deleted here",
                prev.id
            ),
        ));
    }
    serde_json::from_value::<AuditEvent>(v).map_err(|e| {
        (
            Problem::Unparseable,
            format!("line {n} is not an audit event ({e})"),
        )
    })?;
    Ok(())
}
