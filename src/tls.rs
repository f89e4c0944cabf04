//! The one TLS crypto provider aigo uses: rustls with `ring`.
//!
//! rustls refuses to pick a provider by itself when its features leave the
//! choice open, so every TLS client (the credential proxy's upstream client,
//! later channel connectors) calls [`install_default_provider`] first.

/// Installs `ring` as the process-wide rustls provider. Idempotent: a second
/// call, or a provider installed by someone else, is fine.
pub fn install_default_provider() {
    // `Err` only means a provider is already installed, which is what we want.
    let _ = rustls::crypto::ring::default_provider().install_default();
}
