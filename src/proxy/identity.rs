//! The keystore's X25519 identity file: `age-keygen` format, mode 0600.

use std::io::Write;
use std::path::Path;

use age::secrecy::ExposeSecret;
use zeroize::Zeroize;

use super::KeystoreError;

/// Same format as `age-keygen` output: comments, then `AGE-SECRET-KEY-1…`.
pub(super) fn parse(text: &str) -> Result<age::x25519::Identity, String> {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .ok_or("no AGE-SECRET-KEY line")?;
    line.parse().map_err(|e: &str| e.to_string())
}

pub(super) fn create(path: &Path) -> Result<age::x25519::Identity, KeystoreError> {
    let io = |action, source| KeystoreError::Io {
        path: path.to_path_buf(),
        action,
        source,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| io("create directory for", e))?;
    }
    let id = age::x25519::Identity::generate();
    let mut text = format!(
        "# aigo keystore identity: decrypts keystore.age; keep it private and backed up\n# public key: {}\n{}\n",
        id.to_public(),
        id.to_string().expose_secret()
    );
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let res = opts
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()).and_then(|()| f.sync_all()));
    text.zeroize();
    res.map_err(|e| io("create identity file", e))?;
    tracing::info!(path = %path.display(), "created keystore identity");
    Ok(id)
}

#[cfg(unix)]
pub(super) fn check_mode(path: &Path) -> Result<(), KeystoreError> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).map_err(|e| KeystoreError::Io {
        path: path.to_path_buf(),
        action: "inspect",
        source: e,
    })?;
    let mode = meta.mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(KeystoreError::IdentityExposed {
            path: path.to_path_buf(),
            mode,
        });
    }
    Ok(())
}

#[cfg(not(unix))]
pub(super) fn check_mode(_: &Path) -> Result<(), KeystoreError> {
    Ok(())
}
