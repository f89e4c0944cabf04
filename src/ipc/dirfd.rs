//! Directory handles for the agent-writable IPC folders: every operation is an
//! `*at` call relative to a directory opened with `O_DIRECTORY|O_NOFOLLOW`, so
//! an entry the agent swapped for a symlink is found and refused, never followed.
//!
//! Why handles rather than paths: a path is resolved again by every call, and
//! the agent owns the folders those paths pass through. A handle pins the
//! directory the host checked; names below it are opened with `O_NOFOLLOW` and
//! checked with `fstat` on the opened file, not on the name.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::ffi::OsStringExt;
use std::path::{Path, PathBuf};

use rustix::fs::{AtFlags, CWD, FileType, Mode, OFlags};
use rustix::io::Errno;

/// At most this many names are listed per directory per call; the rest wait
/// for the next call, so a directory of millions of entries costs bounded memory.
pub const LIST_CAP: usize = 65_536;

/// An entry that should be a real directory but is something else: what the
/// audit's `violation` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsafe {
    pub path: PathBuf,
    pub found: String,
}

impl std::fmt::Display for Unsafe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} is {}, not a real directory",
            self.path.display(),
            self.found
        )
    }
}

/// Why a directory could not be opened.
#[derive(Debug)]
pub enum OpenError {
    /// The entry does not exist.
    Missing,
    /// The entry exists but is not a real directory (never followed).
    Unsafe(Unsafe),
    Io(std::io::Error),
}

/// Why a file was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// It went away (handled by someone else); nothing to do.
    Gone,
    /// It is not something the host reads; the reason says why.
    Refused(String),
}

/// An open directory, and the path it was reached by (for messages only; no
/// operation ever resolves it again).
#[derive(Debug)]
pub struct DirHandle {
    fd: OwnedFd,
    path: PathBuf,
}

fn io(e: Errno) -> std::io::Error {
    std::io::Error::from_raw_os_error(e.raw_os_error())
}

const DIR_FLAGS: OFlags = OFlags::RDONLY
    .union(OFlags::DIRECTORY)
    .union(OFlags::NOFOLLOW)
    .union(OFlags::CLOEXEC);

impl DirHandle {
    /// Opens a host-owned directory by path (its ancestors are the host's own,
    /// e.g. `<state>/sessions`); the last component is still not followed.
    pub fn open_path(path: &Path) -> Result<Self, OpenError> {
        match rustix::fs::openat(CWD, path, DIR_FLAGS, Mode::empty()) {
            Ok(fd) => Ok(Self {
                fd,
                path: path.to_path_buf(),
            }),
            Err(e) => Err(classify(CWD, path, path.to_path_buf(), e)),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Opens the directory `name` below this one without following it.
    pub fn open_dir(&self, name: &str) -> Result<Self, OpenError> {
        let path = self.path.join(name);
        match rustix::fs::openat(&self.fd, name, DIR_FLAGS, Mode::empty()) {
            Ok(fd) => Ok(Self { fd, path }),
            Err(e) => Err(classify(self.fd.as_fd(), Path::new(name), path, e)),
        }
    }

    /// Creates `name` (mode 0700) unless it exists, opens it without following
    /// it, and makes it owner-only through the open handle (never a chmod by name).
    pub fn ensure_dir(&self, name: &str) -> Result<Self, OpenError> {
        match rustix::fs::mkdirat(&self.fd, name, Mode::from_raw_mode(0o700)) {
            Ok(()) | Err(Errno::EXIST) => {}
            Err(e) => return Err(OpenError::Io(io(e))),
        }
        let d = self.open_dir(name)?;
        rustix::fs::fchmod(&d.fd, Mode::from_raw_mode(0o700)).map_err(|e| OpenError::Io(io(e)))?;
        Ok(d)
    }

    /// What `name` is, without following it: `None` when absent.
    pub fn kind_of(&self, name: &str) -> std::io::Result<Option<FileType>> {
        match rustix::fs::statat(&self.fd, name, AtFlags::SYMLINK_NOFOLLOW) {
            Ok(st) => Ok(Some(FileType::from_raw_mode(st.st_mode))),
            Err(Errno::NOENT) => Ok(None),
            Err(e) => Err(io(e)),
        }
    }

    /// Names in this directory (not `.`/`..`), at most [`LIST_CAP`], unsorted.
    pub fn list(&self) -> std::io::Result<Vec<String>> {
        let mut out = Vec::new();
        let dir = rustix::fs::Dir::read_from(&self.fd).map_err(io)?;
        for entry in dir {
            let entry = entry.map_err(io)?;
            let name = entry.file_name().to_bytes();
            if name == b"." || name == b".." {
                continue;
            }
            // Names that are not UTF-8 are kept lossily; opening one by its
            // lossy name fails and the file is reported, never misread.
            out.push(String::from_utf8_lossy(name).into_owned());
            if out.len() >= LIST_CAP {
                break;
            }
        }
        Ok(out)
    }

    /// Reads `name` if it is a regular file of at most `max` bytes with one
    /// link; otherwise says why not (the caller quarantines it). Never follows a
    /// symlink, never blocks on a FIFO, never reads past `max`.
    pub fn read_file(&self, name: &str, max: u64) -> Result<Vec<u8>, ReadError> {
        let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
        let fd = match rustix::fs::openat(&self.fd, name, flags, Mode::empty()) {
            Ok(fd) => fd,
            Err(Errno::NOENT) => return Err(ReadError::Gone),
            Err(Errno::LOOP) => {
                return Err(ReadError::Refused(
                    "a symlink (IPC files must be regular files)".into(),
                ));
            }
            Err(e) => return Err(ReadError::Refused(format!("cannot open: {}", io(e)))),
        };
        self.read_open(fd, max).map_err(ReadError::Refused)
    }

    fn read_open(&self, fd: OwnedFd, max: u64) -> Result<Vec<u8>, String> {
        let st = rustix::fs::fstat(&fd).map_err(|e| format!("cannot stat: {}", io(e)))?;
        if FileType::from_raw_mode(st.st_mode) != FileType::RegularFile {
            return Err("not a regular file".into());
        }
        if st.st_nlink > 1 {
            // A second name for the same file may sit outside the session.
            return Err("a hard link (IPC files must have a single name)".into());
        }
        let len = st.st_size as u64;
        if len > max {
            return Err(format!("oversized: {len} bytes, the limit is {max}"));
        }
        let mut buf = Vec::with_capacity(len as usize);
        std::fs::File::from(fd)
            .take(max + 1)
            .read_to_end(&mut buf)
            .map_err(|e| format!("cannot read: {e}"))?;
        if buf.len() as u64 > max {
            return Err(format!("oversized: grew past {max} bytes while read"));
        }
        Ok(buf)
    }

    /// The modification time of `name` (not followed), when it can be read.
    pub fn modified(&self, name: &str) -> Option<std::time::SystemTime> {
        let st = rustix::fs::statat(&self.fd, name, AtFlags::SYMLINK_NOFOLLOW).ok()?;
        let secs = u64::try_from(st.st_mtime).ok()?;
        Some(std::time::UNIX_EPOCH + std::time::Duration::new(secs, st.st_mtime_nsec as u32))
    }

    /// Removes the entry `name` (a file or a link; the link itself, never its target).
    pub fn unlink(&self, name: &str) -> std::io::Result<()> {
        rustix::fs::unlinkat(&self.fd, name, AtFlags::empty()).map_err(io)
    }

    /// Moves `name` from this directory to `to_name` in `to` (a link moves as a link).
    pub fn rename_to(&self, name: &str, to: &DirHandle, to_name: &str) -> std::io::Result<()> {
        rustix::fs::renameat(&self.fd, name, &to.fd, to_name).map_err(io)
    }

    /// Writes `bytes` as `name` atomically: a hidden `.name.<pid>-<n>.tmp` is
    /// created exclusively (an entry already there, link or not, is an error,
    /// never opened), written, then renamed over `name`. Readers skip `.*` and
    /// `*.tmp`; a leftover temp file from a crash never blocks a later write.
    pub fn write_atomic(&self, name: &str, bytes: &[u8]) -> std::io::Result<()> {
        static TMP_SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = TMP_SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmp = format!(".{name}.{}-{n}.tmp", std::process::id());
        let flags =
            OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let fd = rustix::fs::openat(&self.fd, tmp.as_str(), flags, Mode::from_raw_mode(0o600))
            .map_err(io)?;
        // The file belongs to whoever owns the directory: an agent that runs as
        // its own uid (aigo running as root) must be able to read and consume it.
        let (dir, file) = (
            rustix::fs::fstat(&self.fd).map_err(io)?,
            rustix::fs::fstat(&fd).map_err(io)?,
        );
        if (dir.st_uid, dir.st_gid) != (file.st_uid, file.st_gid)
            && let Err(e) = std::os::unix::fs::fchown(&fd, Some(dir.st_uid), Some(dir.st_gid))
        {
            let _ = self.unlink(&tmp);
            return Err(e);
        }
        // Not fsynced: IPC files are transient messages between two live
        // processes; a power cut loses the container that would read them too.
        let written = std::fs::File::from(fd).write_all(bytes);
        if let Err(e) = written {
            let _ = self.unlink(&tmp);
            return Err(e);
        }
        self.rename_to(&tmp, self, name)
    }

    /// Appends one line to `name` (created 0600 if absent), never through a link.
    pub fn append_line(&self, name: &str, line: &[u8]) -> std::io::Result<()> {
        let flags =
            OFlags::WRONLY | OFlags::CREATE | OFlags::APPEND | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let fd =
            rustix::fs::openat(&self.fd, name, flags, Mode::from_raw_mode(0o600)).map_err(io)?;
        let mut buf = Vec::with_capacity(line.len() + 1);
        buf.extend_from_slice(line);
        buf.push(b'\n');
        std::fs::File::from(fd).write_all(&buf)
    }
}

/// Turns a failed directory open into what was found there, looked at without
/// following it (`lstat` + `readlink` on the entry itself).
fn classify<Fd: AsFd>(dir: Fd, name: &Path, path: PathBuf, e: Errno) -> OpenError {
    match e {
        Errno::NOENT => OpenError::Missing,
        Errno::LOOP | Errno::NOTDIR => {
            let found = match rustix::fs::statat(&dir, name, AtFlags::SYMLINK_NOFOLLOW) {
                Ok(st) => describe(&dir, name, FileType::from_raw_mode(st.st_mode)),
                Err(_) => "not a directory".to_string(),
            };
            OpenError::Unsafe(Unsafe { path, found })
        }
        e => OpenError::Io(io(e)),
    }
}

fn describe<Fd: AsFd>(dir: Fd, name: &Path, t: FileType) -> String {
    match t {
        FileType::Symlink => match rustix::fs::readlinkat(&dir, name, Vec::new()) {
            Ok(target) => format!(
                "a symlink to {}",
                PathBuf::from(OsString::from_vec(target.into_bytes())).display()
            ),
            Err(_) => "a symlink".to_string(),
        },
        FileType::RegularFile => "a regular file".to_string(),
        FileType::Fifo => "a FIFO".to_string(),
        FileType::Socket => "a socket".to_string(),
        FileType::CharacterDevice | FileType::BlockDevice => "a device node".to_string(),
        _ => "not a directory".to_string(),
    }
}
