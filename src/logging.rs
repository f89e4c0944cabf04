//! Logging setup: `tracing` to stderr for every command, plus the daemon's
//! size-rotated log file (`logs/aigo.log`, then `.1` … `.5`) that `aigo logs` reads.
//! Colour only goes to a terminal, never to the file, a pipe or journald, and
//! never when `NO_COLOR` is set (<https://no-color.org>).

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::writer::MakeWriterExt;
use tracing_subscriber::prelude::*;

/// Environment variable with a `tracing` filter (`AIGO_LOG=debug`, `AIGO_LOG=aigo::proxy=trace`).
pub const LOG_ENV: &str = "AIGO_LOG";
const MAX_BYTES: u64 = 10 * 1024 * 1024;
const KEEP: usize = 5;

/// The filter: `AIGO_LOG` wins, then `-v` counts up from `base`.
pub fn filter(verbosity: u8, base: &str) -> EnvFilter {
    if let Ok(f) = EnvFilter::try_from_env(LOG_ENV) {
        return f;
    }
    let level = match verbosity {
        0 => base,
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let level = if verbosity > 0 && rank(level) < rank(base) {
        base
    } else {
        level
    };
    EnvFilter::new(level)
}

fn rank(l: &str) -> u8 {
    match l {
        "error" => 0,
        "warn" => 1,
        "info" => 2,
        "debug" => 3,
        _ => 4,
    }
}

/// Whether stderr gets ANSI colour: only a terminal, and only without a
/// non-empty `NO_COLOR`.
pub fn stderr_ansi() -> bool {
    ansi_allowed(
        io::IsTerminal::is_terminal(&io::stderr()),
        std::env::var_os("NO_COLOR").as_deref(),
    )
}

/// The rule behind [`stderr_ansi`]: `NO_COLOR` counts when present and not empty.
pub fn ansi_allowed(is_terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
    is_terminal && no_color.is_none_or(|v| v.is_empty())
}

/// Logs to stderr only (every command but the daemon).
pub fn init_stderr(filter: EnvFilter) {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(io::stderr)
        .with_ansi(stderr_ansi())
        .with_target(false)
        .try_init();
}

/// Logs to stderr and to the rotating file. Keep the guard alive: dropping it flushes.
pub fn init_daemon(
    filter: EnvFilter,
    log_file: &Path,
) -> io::Result<tracing_appender::non_blocking::WorkerGuard> {
    let file = RotatingFile::open(log_file.to_path_buf())?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    // Under systemd stderr is journald: colour codes there are noise.
    let stderr = tracing_subscriber::fmt::layer()
        .with_ansi(stderr_ansi())
        .with_writer(io::stderr.with_max_level(tracing::Level::TRACE));
    let file_layer = tracing_subscriber::fmt::layer()
        .with_ansi(false)
        .with_writer(writer);
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(stderr)
        .with(file_layer)
        .try_init();
    Ok(guard)
}

/// An append-only file that renames itself to `.1` (shifting older ones up to
/// `.5`) once it passes 10 MiB, so the daemon never fills the disk.
pub struct RotatingFile {
    path: PathBuf,
    inner: Mutex<(File, u64)>,
}

impl RotatingFile {
    pub fn open(path: PathBuf) -> io::Result<Self> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let f = OpenOptions::new().create(true).append(true).open(&path)?;
        let len = f.metadata()?.len();
        Ok(Self {
            path,
            inner: Mutex::new((f, len)),
        })
    }

    fn rotate(&self, slot: &mut (File, u64)) -> io::Result<()> {
        for i in (1..KEEP).rev() {
            let _ = std::fs::rename(numbered(&self.path, i), numbered(&self.path, i + 1));
        }
        std::fs::rename(&self.path, numbered(&self.path, 1))?;
        slot.0 = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)?;
        slot.1 = 0;
        Ok(())
    }
}

/// `aigo.log` → `aigo.log.N`.
pub fn numbered(path: &Path, n: usize) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(format!(".{n}"));
    PathBuf::from(s)
}

impl Write for RotatingFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut slot = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if slot.1 + buf.len() as u64 > MAX_BYTES && slot.1 > 0 {
            self.rotate(&mut slot)?;
        }
        slot.0.write_all(buf)?;
        slot.1 += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .0
            .flush()
    }
}

#[cfg(test)]
mod tests {
    use super::ansi_allowed;
    use std::ffi::OsStr;

    #[test]
    fn colour_only_on_a_terminal_without_no_color() {
        assert!(ansi_allowed(true, None));
        assert!(ansi_allowed(true, Some(OsStr::new(""))));
        assert!(!ansi_allowed(true, Some(OsStr::new("1"))));
        assert!(!ansi_allowed(false, None));
    }
}
