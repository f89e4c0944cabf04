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
