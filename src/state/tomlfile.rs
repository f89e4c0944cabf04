//! Versioned TOML state files: load, save and locked read-modify-write.

use std::path::Path;

use serde::{Serialize, de::DeserializeOwned};

use super::{FileLock, StateError, write_atomic};

/// A state file model. `schema_version` is written into every file; a file from a
/// newer aigo is refused rather than half-understood and rewritten.
pub trait Versioned: Serialize + DeserializeOwned + Default {
    /// The newest schema this build reads and writes.
    const SCHEMA_VERSION: u32;
    fn schema_version(&self) -> u32;
    fn set_schema_version(&mut self, v: u32);
}

/// Loads `path`, or the default when the file does not exist yet.
pub fn load_toml<T: Versioned>(path: &Path) -> Result<T, StateError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut v = T::default();
            v.set_schema_version(T::SCHEMA_VERSION);
            return Ok(v);
        }
        Err(e) => return Err(StateError::io(path, "read", e)),
    };
    let value: T = toml::from_str(&text).map_err(|e| parse_error(path, &text, &e))?;
    if value.schema_version() > T::SCHEMA_VERSION {
        return Err(StateError::NewerSchema {
            path: path.to_path_buf(),
            found: value.schema_version(),
            supported: T::SCHEMA_VERSION,
        });
    }
    Ok(value)
}

/// Writes `value` atomically, stamped with the current schema version.
pub fn save_toml<T: Versioned>(path: &Path, value: &mut T) -> Result<(), StateError> {
    value.set_schema_version(T::SCHEMA_VERSION);
    let text = toml::to_string_pretty(value).map_err(|e| StateError::Serialize {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    write_atomic(path, text.as_bytes())
}

/// Read-modify-write under the file's advisory lock. When `f` fails, or the file
/// does not parse, nothing is written.
pub fn update_toml<T, R, E>(path: &Path, f: impl FnOnce(&mut T) -> Result<R, E>) -> Result<R, E>
where
    T: Versioned,
    E: From<StateError>,
{
    let _lock = FileLock::acquire(path)?;
    let mut value: T = load_toml(path)?;
    let out = f(&mut value)?;
    save_toml(path, &mut value)?;
    Ok(out)
}

fn parse_error(path: &Path, text: &str, e: &toml::de::Error) -> StateError {
    let offset = e.span().map(|s| s.start).unwrap_or(0).min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    StateError::Parse {
        path: path.to_path_buf(),
        line,
        column,
        message: e.message().to_string(),
    }
}

/// Implements [`Versioned`] for a struct with a `schema_version: u32` field.
#[macro_export]
macro_rules! versioned {
    ($ty:ty, $v:expr) => {
        impl $crate::state::Versioned for $ty {
            const SCHEMA_VERSION: u32 = $v;
            fn schema_version(&self) -> u32 {
                self.schema_version
            }
            fn set_schema_version(&mut self, v: u32) {
                self.schema_version = v;
            }
        }
    };
}
