//! The state directory: where it is, and how files in it are read and written.
//!
//! Owns path resolution (`--home`, `AIGO_HOME`, platform dirs), atomic writes
//! (temp file + fsync + rename), advisory locking for writers, and the
//! `schema_version` contract every state file carries. Nothing else in aigo
//! touches state files directly.

mod atomic;
mod error;
mod lock;
mod paths;
mod tomlfile;

pub use atomic::write_atomic;
pub use error::StateError;
pub use lock::FileLock;
pub use paths::{HOME_ENV, StateDir};
pub use tomlfile::{Versioned, load_toml, save_toml, update_toml};
