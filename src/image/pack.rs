//! Packing a build context: a tar in memory (entries owned by root, as the Docker CLI sends
//! them) and a SHA-256 digest computed on the way, in one pass over the files. The digest
//! covers each file's content digest, so a file the digest cache vouches for is copied into
//! the tar without being hashed; when packing for a build it is not even read here but
//! streamed to the engine ([`Segment::File`]); without a tar (hash only) it is not read at all.

use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::ImageError;
use super::context::{BuildContext, ContextSource};

/// One entry to pack.
pub(super) enum Kind<'a> {
    Dir,
    /// A file on disk of `size` bytes (when stat'ed); `known` is its content digest when the
    /// digest cache vouches for it.
    File {
        src: &'a Path,
        size: u64,
        known: Option<[u8; 32]>,
    },
    Data(&'a [u8]),
    Symlink(PathBuf),
}

/// A piece of the tar: bytes packed in memory, or a file's content, read while it is sent.
#[derive(Debug, Clone)]
pub(super) enum Segment {
    Bytes(Vec<u8>),
    File { src: PathBuf, len: u64 },
}

/// Packs entries (in a fixed order) and hashes them on the way. File contents are read
/// straight into the tar buffer: a context is held in memory once.
pub(super) struct Packer {
    /// `None`: only the digest is wanted (`aigo image status`).
    tar: Option<tar::Builder<Vec<u8>>>,
    /// The tar so far, before what `tar`'s buffer holds.
    segments: Vec<Segment>,
    /// Leave files with a known digest on disk until the tar is sent.
    defer: bool,
    hash: Sha256,
    files: Vec<String>,
    entries: usize,
}

impl Packer {
    pub(super) fn new() -> Self {
        Self {
            tar: Some(tar::Builder::new(Vec::new())),
            segments: Vec::new(),
            defer: false,
            hash: Sha256::new(),
            files: Vec::new(),
            entries: 0,
        }
    }

    /// Files whose digest is known are read when the tar is sent, not now.
    pub(super) fn deferring() -> Self {
        Self {
            defer: true,
            ..Self::new()
        }
    }

    pub(super) fn hash_only() -> Self {
        Self {
            tar: None,
            ..Self::new()
        }
    }

    /// Hashes path, type, permission bits and content digest (not mtimes: touching a file
    /// does not make an image outdated). Returns the content digest of a file it had to hash.
    pub(super) fn add(
        &mut self,
        path: &str,
        kind: Kind<'_>,
        mode: u32,
        mtime: u64,
    ) -> Result<Option<[u8; 32]>, ImageError> {
        let err = |e| ImageError::context(path, "pack", e);
        self.entries += 1;
        self.hash.update(path.as_bytes());
        self.hash.update([0]);
        self.hash.update((mode & 0o7777).to_be_bytes());
        let mut h = tar::Header::new_gnu();
        h.set_mode(mode & 0o7777);
        h.set_mtime(mtime);
        h.set_uid(0);
        h.set_gid(0);
        match kind {
            Kind::Dir => {
                self.hash.update(b"d");
                if let Some(tar) = &mut self.tar {
                    h.set_entry_type(tar::EntryType::Directory);
                    h.set_size(0);
                    tar.append_data(&mut h, format!("{path}/"), std::io::empty())
                        .map_err(err)?;
                }
                Ok(None)
            }
            Kind::Symlink(target) => {
                self.hash.update(b"l");
                self.hash.update(target.to_string_lossy().as_bytes());
                self.hash.update([0]);
                if let Some(tar) = &mut self.tar {
                    h.set_entry_type(tar::EntryType::Symlink);
                    h.set_size(0);
                    tar.append_link(&mut h, path, &target).map_err(err)?;
                }
                self.files.push(path.to_string());
                Ok(None)
            }
            Kind::File {
                size,
                known: Some(d),
                ..
            } if self.tar.is_none() => {
                self.file_digest(path, size, &d);
                Ok(None)
            }
            Kind::File {
                src,
                size,
                known: Some(d),
            } if self.defer => {
                self.defer_file(path, &mut h, src, size, &d)?;
                Ok(None)
            }
            Kind::File { src, size, known } => {
                let mut f =
                    std::fs::File::open(src).map_err(|e| ImageError::context(src, "read", e))?;
                let len = f
                    .metadata()
                    .map_err(|e| ImageError::context(src, "stat", e))?
                    .len();
                if self.tar.is_none() {
                    let d = hash_reader(&mut f).map_err(|e| ImageError::context(src, "read", e))?;
                    self.file_digest(path, len, &d);
                    return Ok(Some(d));
                }
                // A digest vouched for a size the file no longer has: hash what is there.
                let known = known.filter(|_| len == size);
                self.append_file(path, &mut h, len, known, |buf| {
                    f.read_to_end(buf)
                        .map_err(|e| ImageError::context(src, "read", e))
                })
            }
            Kind::Data(data) => self.append_file(path, &mut h, data.len() as u64, None, |buf| {
                buf.extend_from_slice(data);
                Ok(data.len())
            }),
        }
    }

    fn file_digest(&mut self, path: &str, len: u64, digest: &[u8; 32]) {
        self.hash.update(b"f");
        self.hash.update(len.to_be_bytes());
        self.hash.update(digest);
        self.files.push(path.to_string());
    }

    /// The header now, the content as a [`Segment::File`], the padding after it.
    fn defer_file(
        &mut self,
        path: &str,
        h: &mut tar::Header,
        src: &Path,
        len: u64,
        digest: &[u8; 32],
    ) -> Result<(), ImageError> {
        let Some(tar) = &mut self.tar else {
            unreachable!("defer_file is only called when packing a tar")
        };
        h.set_entry_type(tar::EntryType::Regular);
        h.set_size(len);
        tar.append_data(h, path, std::io::empty())
            .map_err(|e| ImageError::context(path, "pack", e))?;
        let before = std::mem::take(tar.get_mut());
        tar.get_mut().resize(((512 - len % 512) % 512) as usize, 0);
        self.segments.push(Segment::Bytes(before));
        self.segments.push(Segment::File {
            src: src.to_path_buf(),
            len,
        });
        self.file_digest(path, len, digest);
        Ok(())
    }

    /// Header through the tar builder (it handles long names), content read in place and
    /// hashed there unless its digest is `known`.
    fn append_file(
        &mut self,
        path: &str,
        h: &mut tar::Header,
        len: u64,
        known: Option<[u8; 32]>,
        fill: impl FnOnce(&mut Vec<u8>) -> Result<usize, ImageError>,
    ) -> Result<Option<[u8; 32]>, ImageError> {
        let Some(tar) = &mut self.tar else {
            unreachable!("append_file is only called when packing a tar")
        };
        h.set_entry_type(tar::EntryType::Regular);
        h.set_size(len);
        tar.append_data(h, path, std::io::empty())
            .map_err(|e| ImageError::context(path, "pack", e))?;
        let buf = tar.get_mut();
        let start = buf.len();
        buf.reserve(len as usize + 512);
        let n = fill(buf)?;
        if n as u64 != len {
            // The file changed while we read it: the header's size would be wrong.
            return Err(ImageError::context(
                path,
                "read",
                std::io::Error::other("the file changed size while being read; try again"),
            ));
        }
        let (digest, fresh) = match known {
            Some(d) => (d, None),
            None => {
                let d: [u8; 32] = Sha256::digest(&buf[start..]).into();
                (d, Some(d))
            }
        };
        // From the length, not the buffer: after a deferred file the buffer starts mid-block.
        let pad = ((512 - len % 512) % 512) as usize;
        buf.resize(buf.len() + pad, 0);
        self.file_digest(path, len, &digest);
        Ok(fresh)
    }

    pub(super) fn finish(mut self, source: ContextSource) -> Result<BuildContext, ImageError> {
        if let Some(t) = self.tar {
            let rest = t
                .into_inner()
                .map_err(|e| ImageError::context("<build context>", "pack", e))?;
            self.segments.push(Segment::Bytes(rest));
        }
        Ok(BuildContext {
            source,
            body: self.segments,
            files: self.files,
            entries: self.entries,
            digest: hex::encode(self.hash.finalize()),
        })
    }
}

fn hash_reader(r: &mut impl Read) -> std::io::Result<[u8; 32]> {
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match r.read(&mut buf) {
            Ok(0) => return Ok(h.finalize().into()),
            Ok(n) => h.update(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}
