//! Moving a refused file into the session's `errors/` with a `.reason.json`
//! beside it, through handles: an `errors/` that is not a real directory
//! quarantines the session instead, and nothing is written through it.

use super::IpcError;
use super::dirfd::DirHandle;
use super::layout::{OpenSession, Sub};

/// Moves `name` (whatever it is: a link is moved, not followed) from `from`
/// into `errors/` under a unique name, with the reason beside it; `false`
/// when it could not be moved (it stays where it is).
pub(crate) fn to_errors(
    s: &OpenSession,
    from: &DirHandle,
    name: &str,
    reason: &str,
) -> Result<bool, IpcError> {
    let errors = s.ensure(Sub::Errors)?;
    let stamp = jiff::Timestamp::now().as_nanosecond();
    let dest = format!("{stamp}-{name}");
    if let Err(e) = from.rename_to(name, &errors, &dest) {
        tracing::error!(file = %from.path().join(name).display(), error = %e, "cannot quarantine");
        return Ok(false);
    }
    let note = serde_json::json!({"file": name, "reason": reason, "ts": jiff::Timestamp::now()});
    if let Err(e) = errors.write_atomic(&format!("{dest}.reason.json"), note.to_string().as_bytes())
    {
        tracing::warn!(file = %dest, error = %e, "cannot write the quarantine reason");
    }
    Ok(true)
}
