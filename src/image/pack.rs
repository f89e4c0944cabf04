//! Packing a build context: a tar in memory (entries owned by root, as the Docker CLI sends
//! them) and a SHA-256 digest computed on the way, in one pass over the files.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::ImageError;
use super::context::{BuildContext, ContextSource};

/// One entry to pack.
pub(super) enum Kind<'a> {
    Dir,
    File(&'a Path),
    Data(&'a [u8]),
    Symlink(PathBuf),
}

/// Packs entries (in a fixed order) and hashes them on the way. File contents are read
/// straight into the tar buffer: a context is held in memory once.
pub(super) struct Packer {
    tar: tar::Builder<Vec<u8>>,
    hash: Sha256,
    files: Vec<String>,
    entries: usize,
}

impl Packer {
    pub(super) fn new() -> Self {
        Self {
            tar: tar::Builder::new(Vec::new()),
            hash: Sha256::new(),
            files: Vec::new(),
            entries: 0,
        }
    }

    /// Hashes path, type, permission bits and content (not mtimes: touching a file does not
    /// make an image outdated); the tar entry is owned by root, as the Docker CLI sends it.
    pub(super) fn add(
        &mut self,
        path: &str,
        kind: Kind<'_>,
        mode: u32,
        mtime: u64,
    ) -> Result<(), ImageError> {
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
                h.set_entry_type(tar::EntryType::Directory);
                h.set_size(0);
                self.tar
                    .append_data(&mut h, format!("{path}/"), std::io::empty())
                    .map_err(err)?;
            }
            Kind::Symlink(target) => {
                self.hash.update(b"l");
                self.hash.update(target.to_string_lossy().as_bytes());
                self.hash.update([0]);
                h.set_entry_type(tar::EntryType::Symlink);
                h.set_size(0);
                self.tar.append_link(&mut h, path, &target).map_err(err)?;
                self.files.push(path.to_string());
            }
            Kind::File(src) => {
                let mut f =
                    std::fs::File::open(src).map_err(|e| ImageError::context(src, "read", e))?;
                let len = f
                    .metadata()
                    .map_err(|e| ImageError::context(src, "stat", e))?
                    .len();
                self.append_file(path, &mut h, len, |buf| {
                    std::io::Read::read_to_end(&mut f, buf)
                        .map_err(|e| ImageError::context(src, "read", e))
                })?;
            }
            Kind::Data(data) => {
                self.append_file(path, &mut h, data.len() as u64, |buf| {
                    buf.extend_from_slice(data);
                    Ok(data.len())
                })?;
            }
        }
        Ok(())
    }

    /// Header through the tar builder (it handles long names), content read in place.
    fn append_file(
        &mut self,
        path: &str,
        h: &mut tar::Header,
        len: u64,
        fill: impl FnOnce(&mut Vec<u8>) -> Result<usize, ImageError>,
    ) -> Result<(), ImageError> {
        h.set_entry_type(tar::EntryType::Regular);
        h.set_size(len);
        self.tar
            .append_data(h, path, std::io::empty())
            .map_err(|e| ImageError::context(path, "pack", e))?;
        let buf = self.tar.get_mut();
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
        self.hash.update(b"f");
        self.hash.update(len.to_be_bytes());
        self.hash.update(&buf[start..]);
        let pad = (512 - buf.len() % 512) % 512;
        buf.resize(buf.len() + pad, 0);
        self.files.push(path.to_string());
        Ok(())
    }

    pub(super) fn finish(self, source: ContextSource) -> Result<BuildContext, ImageError> {
        let tar = self
            .tar
            .into_inner()
            .map_err(|e| ImageError::context("<build context>", "pack", e))?;
        Ok(BuildContext {
            source,
            tar,
            files: self.files,
            entries: self.entries,
            digest: hex::encode(self.hash.finalize()),
        })
    }
}
