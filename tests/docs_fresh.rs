//! The committed `completions/` and `man/` must match the clap definitions.
//! Regenerate with `AIGO_UPDATE_DOCS=1 cargo test --test docs_fresh`.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;
use std::path::Path;

fn read_dir(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| {
                    (
                        e.file_name().to_string_lossy().into_owned(),
                        std::fs::read_to_string(e.path()).unwrap_or_default(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn check(name: &str, generate: fn(&Path) -> anyhow::Result<()>) {
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    if std::env::var("AIGO_UPDATE_DOCS").as_deref() == Ok("1") {
        let _ = std::fs::remove_dir_all(&committed);
        generate(&committed).unwrap();
        return;
    }
    let fresh = tempfile::tempdir().unwrap();
    generate(fresh.path()).unwrap();
    let (want, have) = (read_dir(fresh.path()), read_dir(&committed));
    let stale: Vec<_> = want
        .keys()
        .chain(have.keys())
        .filter(|k| want.get(*k) != have.get(*k))
        .collect();
    assert!(
        stale.is_empty(),
        "{name}/ is stale ({stale:?}); run `AIGO_UPDATE_DOCS=1 cargo test --test docs_fresh` and commit"
    );
}

#[test]
fn completions_are_fresh() {
    check("completions", aigo::cli::write_completions);
}

#[test]
fn man_pages_are_fresh() {
    check("man", aigo::cli::write_man_pages);
}
