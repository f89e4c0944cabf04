//! `keystore.age`: the only place real credentials are stored.
//!
//! The file is an age-encrypted JSON map `name -> secret`, encrypted either to
//! an X25519 identity kept in its own 0600 file (by default `keystore.key` in
//! the state directory; `AIGO_KEYSTORE_IDENTITY` or a systemd credential named
//! `aigo-keystore-identity` moves it elsewhere) or to a passphrase from
//! `AIGO_KEYSTORE_PASSPHRASE`. Plaintext exists only in memory. Names are
//! namespaced by their owner (`proxy/<mapping id>`, later `channel/<name>`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use age::secrecy::SecretString;
use zeroize::Zeroize;

use super::Secret;
use super::identity;
use crate::state::{FileLock, StateDir, StateError, write_atomic};

/// Path of the X25519 identity file, when it should not live in the state dir.
pub const IDENTITY_ENV: &str = "AIGO_KEYSTORE_IDENTITY";
/// A passphrase to encrypt the keystore with instead of an identity file.
pub const PASSPHRASE_ENV: &str = "AIGO_KEYSTORE_PASSPHRASE";
/// The name looked for in `$CREDENTIALS_DIRECTORY` (systemd `LoadCredential=`).
pub const SYSTEMD_CREDENTIAL: &str = "aigo-keystore-identity";

/// What the keystore is encrypted to.
#[derive(Debug, Clone)]
pub enum KeySource {
    /// An age X25519 identity file (created 0600 on first write when missing).
    IdentityFile(PathBuf),
    Passphrase(Secret),
}

impl KeySource {
    /// The passphrase from the environment, else the identity file from the
    /// environment, a systemd credential, or `keystore.key` in the state dir.
    pub fn from_env(state: &StateDir) -> Self {
        if let Some(p) = std::env::var(PASSPHRASE_ENV).ok().filter(|p| !p.is_empty()) {
            return Self::Passphrase(Secret::new(p));
        }
        if let Some(p) = std::env::var_os(IDENTITY_ENV).filter(|p| !p.is_empty()) {
            return Self::IdentityFile(PathBuf::from(p));
        }
        if let Some(dir) = std::env::var_os("CREDENTIALS_DIRECTORY") {
            let p = Path::new(&dir).join(SYSTEMD_CREDENTIAL);
            if p.is_file() {
                return Self::IdentityFile(p);
            }
        }
        Self::IdentityFile(super::default_identity_path(state))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum KeystoreError {
    #[error(transparent)]
    State(#[from] StateError),
    #[error("cannot {action} {path}: {source}")]
    Io {
        path: PathBuf,
        action: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is not an age X25519 identity file ({reason})")]
    BadIdentity { path: PathBuf, reason: String },
    #[error(
        "{path} may be read by other users (mode {mode:o}); run `chmod 600 {path}`",
        path = .path.display()
    )]
    IdentityExposed { path: PathBuf, mode: u32 },
    #[error(
        "the keystore {keystore} exists but its identity file {identity} does not; restore the identity file (or point {IDENTITY_ENV} at it), or move the keystore away to start over",
        keystore = .keystore.display(), identity = .identity.display()
    )]
    IdentityMissing {
        keystore: PathBuf,
        identity: PathBuf,
    },
    #[error("{path} is encrypted with a passphrase; set {PASSPHRASE_ENV}", path = .path.display())]
    NeedsPassphrase { path: PathBuf },
    #[error(
        "{path} is encrypted to an identity file, not a passphrase; unset {PASSPHRASE_ENV}",
        path = .path.display()
    )]
    NotPassphrase { path: PathBuf },
    #[error("cannot decrypt {path}: {reason}", path = .path.display())]
    Decrypt { path: PathBuf, reason: String },
    #[error("cannot encrypt {path}: {reason}", path = .path.display())]
    Encrypt { path: PathBuf, reason: String },
    #[error(
        "{path} decrypts but does not hold a keystore ({reason}); it was left untouched",
        path = .path.display()
    )]
    Corrupt { path: PathBuf, reason: String },
}

/// The decrypted contents: secret name → value.
#[derive(Debug, Default)]
pub struct Secrets(BTreeMap<String, Secret>);

impl Secrets {
    pub fn get(&self, name: &str) -> Option<&Secret> {
        self.0.get(name)
    }
    pub fn insert(&mut self, name: &str, value: Secret) {
        self.0.insert(name.to_string(), value);
    }
    pub fn remove(&mut self, name: &str) -> Option<Secret> {
        self.0.remove(name)
    }
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Handle on `keystore.age`; holds no secrets itself besides a passphrase.
#[derive(Debug, Clone)]
pub struct Keystore {
    path: PathBuf,
    key: KeySource,
}

impl Keystore {
    /// The state dir's keystore, with the key chosen by [`KeySource::from_env`].
    pub fn open(state: &StateDir) -> Self {
        Self::with_key(state, KeySource::from_env(state))
    }

    pub fn with_key(state: &StateDir, key: KeySource) -> Self {
        Self {
            path: state.root().join("keystore.age"),
            key,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn key_source(&self) -> &KeySource {
        &self.key
    }

    /// Every secret; empty when the keystore does not exist yet.
    pub fn load(&self) -> Result<Secrets, KeystoreError> {
        let mut bytes = match std::fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Secrets::default()),
            Err(e) => return Err(self.io("read", e)),
        };
        let plain = self.decrypt(&bytes);
        bytes.zeroize();
        let mut plain = plain?;
        let parsed = parse(&plain);
        plain.zeroize();
        parsed.map_err(|reason| KeystoreError::Corrupt {
            path: self.path.clone(),
            reason,
        })
    }

    pub fn get(&self, name: &str) -> Result<Option<Secret>, KeystoreError> {
        Ok(self.load()?.remove(name))
    }

    pub fn put(&self, name: &str, value: Secret) -> Result<(), KeystoreError> {
        self.update(|s| s.insert(name, value))
    }

    /// Returns whether `name` was there.
    pub fn remove(&self, name: &str) -> Result<bool, KeystoreError> {
        self.update(|s| s.remove(name).is_some())
    }

    /// Locked read-modify-write; nothing is written when loading fails.
    pub fn update<R>(&self, f: impl FnOnce(&mut Secrets) -> R) -> Result<R, KeystoreError> {
        let _lock = FileLock::acquire(&self.path)?;
        let mut secrets = self.load()?;
        let out = f(&mut secrets);
        self.save(&secrets)?;
        Ok(out)
    }

    fn save(&self, secrets: &Secrets) -> Result<(), KeystoreError> {
        let mut plain = serialize(secrets).map_err(|reason| KeystoreError::Encrypt {
            path: self.path.clone(),
            reason,
        })?;
        let encrypted = self.encrypt(&plain);
        plain.zeroize();
        write_atomic(&self.path, &encrypted?)?;
        tracing::debug!(path = %self.path.display(), secrets = secrets.len(), "keystore written");
        Ok(())
    }

    fn encrypt(&self, plain: &[u8]) -> Result<Vec<u8>, KeystoreError> {
        let res = match &self.key {
            KeySource::Passphrase(p) => {
                let r = age::scrypt::Recipient::new(SecretString::from(p.expose().to_string()));
                age::encrypt(&r, plain)
            }
            KeySource::IdentityFile(path) => {
                let id = self.identity(path, true)?;
                age::encrypt(&id.to_public(), plain)
            }
        };
        res.map_err(|e| KeystoreError::Encrypt {
            path: self.path.clone(),
            reason: e.to_string(),
        })
    }

    fn decrypt(&self, bytes: &[u8]) -> Result<Vec<u8>, KeystoreError> {
        let is_scrypt = age::Decryptor::new(bytes)
            .map(|d| d.is_scrypt())
            .map_err(|e| self.decrypt_error(e))?;
        let res = match (&self.key, is_scrypt) {
            (KeySource::Passphrase(p), true) => {
                let id = age::scrypt::Identity::new(SecretString::from(p.expose().to_string()));
                age::decrypt(&id, bytes)
            }
            (KeySource::IdentityFile(path), false) => {
                age::decrypt(&self.identity(path, false)?, bytes)
            }
            (KeySource::IdentityFile(_), true) => {
                return Err(KeystoreError::NeedsPassphrase {
                    path: self.path.clone(),
                });
            }
            (KeySource::Passphrase(_), false) => {
                return Err(KeystoreError::NotPassphrase {
                    path: self.path.clone(),
                });
            }
        };
        res.map_err(|e| self.decrypt_error(e))
    }

    fn decrypt_error(&self, e: age::DecryptError) -> KeystoreError {
        KeystoreError::Decrypt {
            path: self.path.clone(),
            reason: e.to_string(),
        }
    }

    /// Reads the identity; creates it only when asked to and no keystore exists
    /// yet, so a lost identity never silently orphans an existing keystore.
    fn identity(&self, path: &Path, create: bool) -> Result<age::x25519::Identity, KeystoreError> {
        match std::fs::read_to_string(path) {
            Ok(mut text) => {
                identity::check_mode(path)?;
                let id = identity::parse(&text).map_err(|reason| KeystoreError::BadIdentity {
                    path: path.to_path_buf(),
                    reason,
                });
                text.zeroize();
                id
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                if !create || self.path.exists() {
                    return Err(KeystoreError::IdentityMissing {
                        keystore: self.path.clone(),
                        identity: path.to_path_buf(),
                    });
                }
                identity::create(path)
            }
            Err(e) => Err(KeystoreError::Io {
                path: path.to_path_buf(),
                action: "read",
                source: e,
            }),
        }
    }

    fn io(&self, action: &'static str, source: std::io::Error) -> KeystoreError {
        KeystoreError::Io {
            path: self.path.clone(),
            action,
            source,
        }
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Doc<S> {
    schema_version: u32,
    secrets: BTreeMap<String, S>,
}

fn serialize(secrets: &Secrets) -> Result<Vec<u8>, String> {
    let doc = Doc {
        schema_version: 1,
        secrets: secrets
            .0
            .iter()
            .map(|(k, v)| (k.clone(), v.expose()))
            .collect(),
    };
    serde_json::to_vec(&doc).map_err(|e| e.to_string())
}

fn parse(plain: &[u8]) -> Result<Secrets, String> {
    let doc: Doc<String> = serde_json::from_slice(plain).map_err(|e| {
        // serde_json's message quotes no input for these cases, but be sure.
        format!("invalid JSON at line {} column {}", e.line(), e.column())
    })?;
    if doc.schema_version > 1 {
        return Err(format!(
            "schema_version {} is newer than this aigo understands",
            doc.schema_version
        ));
    }
    Ok(Secrets(
        doc.secrets
            .into_iter()
            .map(|(k, v)| (k, Secret::from(v)))
            .collect(),
    ))
}
