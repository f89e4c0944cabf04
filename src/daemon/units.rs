//! Service definitions for systemd and launchd, from the templates in `examples/`.

use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum UnitKind {
    Systemd,
    Launchd,
}

const SYSTEMD: &str = include_str!("../../examples/aigo.service");
const LAUNCHD: &str = include_str!("../../examples/dev.aigo.daemon.plist");

/// The unit for `exe` serving the state directory `home`. XML-escaped for launchd.
pub fn render_unit(kind: UnitKind, exe: &Path, home: &Path) -> String {
    let (template, esc): (&str, fn(&str) -> String) = match kind {
        UnitKind::Systemd => (SYSTEMD, |s| s.to_string()),
        UnitKind::Launchd => (LAUNCHD, |s| {
            s.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
        }),
    };
    template
        .replace("{{EXE}}", &esc(&exe.display().to_string()))
        .replace("{{HOME}}", &esc(&home.display().to_string()))
}

/// What is wrong with running a unit for `home` (printed as warnings): under
/// systemd's `PrivateTmp=yes` a state directory under /tmp or /var/tmp is a
/// different, empty directory for the service.
pub fn unit_warnings(kind: UnitKind, home: &Path) -> Vec<String> {
    let real = std::fs::canonicalize(home).unwrap_or_else(|_| home.to_path_buf());
    let private = ["/tmp", "/var/tmp"]
        .iter()
        .find(|t| home.starts_with(t) || real.starts_with(t));
    match (kind, private) {
        (UnitKind::Systemd, Some(t)) => vec![format!(
            "the state directory {} is under {t}: the unit's PrivateTmp=yes gives the daemon \
             its own empty {t}, so it would not see this state directory. Use one outside \
             {t} (`aigo --home DIR daemon print-unit systemd`), or set PrivateTmp=no in the unit",
            home.display()
        )],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_state_dir_under_tmp_gets_a_private_tmp_warning_for_systemd_only() {
        let w = unit_warnings(UnitKind::Systemd, Path::new("/tmp/aigo-home"));
        assert!(w[0].contains("PrivateTmp=yes"), "{w:?}");
        assert!(unit_warnings(UnitKind::Systemd, Path::new("/var/tmp/x"))[0].contains("/var/tmp"));
        assert!(unit_warnings(UnitKind::Launchd, Path::new("/tmp/aigo-home")).is_empty());
        assert!(
            unit_warnings(UnitKind::Systemd, Path::new("/home/me/.local/share/aigo")).is_empty()
        );
        assert!(unit_warnings(UnitKind::Systemd, Path::new("/tmpfoo/aigo")).is_empty());
    }
}
