//! Mount validation against real files: symlink escapes, blocked patterns, `..`,
//! separators, trailing slashes, relative paths, symlinked roots. No escape may pass,
//! and every rejection carries its reason.

#![allow(clippy::unwrap_used)]

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use aigo::mounts::{self, AllowlistBody, MountRequest, MountValidation, RootSpec};
use aigo::state::StateDir;

struct Fixture {
    _tmp: tempfile::TempDir,
    base: PathBuf,
    state: StateDir,
}

impl Fixture {
    /// `base/root` (allowed, read-write allowed), `base/ro` (allowed, read-only),
    /// `base/outside`, and a few files in each.
    fn new() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let base = tmp.path().canonicalize().unwrap();
        for d in [
            "root/proj/src",
            "root/.ssh",
            "root/data/.aws",
            "ro/docs",
            "outside/secret",
            "root/abc",
        ] {
            std::fs::create_dir_all(base.join(d)).unwrap();
        }
        let state = StateDir::at(base.join("home"));
        mounts::add_root(
            &state,
            &base.join("root"),
            true,
            Some("projects".into()),
            false,
        )
        .unwrap();
        mounts::add_root(&state, &base.join("ro"), false, None, false).unwrap();
        Self {
            _tmp: tmp,
            base,
            state,
        }
    }

    fn p(&self, rel: &str) -> String {
        format!("{}/{rel}", self.base.display())
    }

    fn check(
        &self,
        host: &str,
        container: Option<&str>,
        read_only: Option<bool>,
        main: bool,
    ) -> MountValidation {
        let req = MountRequest {
            host_path: host.to_string(),
            container_path: container.map(str::to_string),
            read_only,
            group: None,
        };
        mounts::validate_mount(&self.state, &req, main).unwrap()
    }

    fn denied(&self, host: &str, container: Option<&str>, reason_part: &str) {
        let v = self.check(host, container, None, true);
        assert!(
            !v.allowed,
            "{host} ({container:?}) must be rejected, got {v:?}"
        );
        assert!(
            v.reason.contains(reason_part),
            "{host}: reason {:?} should contain {reason_part:?}",
            v.reason
        );
    }
}

#[test]
fn a_plain_directory_under_a_root_is_allowed_read_only_by_default() {
    let f = Fixture::new();
    let v = f.check(&f.p("root/proj"), None, None, true);
    assert!(v.allowed, "{v:?}");
    assert_eq!(v.real_host_path.as_deref(), Some(f.p("root/proj").as_str()));
    assert_eq!(v.container_path.as_deref(), Some("/workspace/extra/proj"));
    assert!(v.read_only);
    assert!(v.reason.contains("Allowed under root"));
}

#[test]
fn symlinks_that_escape_a_root_or_point_into_blocked_dirs_are_rejected() {
    let f = Fixture::new();
    symlink(f.base.join("outside/secret"), f.base.join("root/escape")).unwrap();
    symlink(f.base.join("root/.ssh"), f.base.join("root/innocent")).unwrap();
    symlink("../../outside", f.base.join("root/proj/rel-escape")).unwrap();
    f.denied(&f.p("root/escape"), None, "Path not under any allowed root");
    f.denied(
        &f.p("root/proj/rel-escape/secret"),
        None,
        "Path not under any allowed root",
    );
    f.denied(
        &f.p("root/innocent"),
        None,
        "Path contains blocked pattern \".ssh\"",
    );
    // The real path is reported so users see where the link leads.
    let v = f.check(&f.p("root/escape"), None, None, true);
    assert_eq!(
        v.real_host_path.as_deref(),
        Some(f.p("outside/secret").as_str())
    );
}

#[test]
fn dot_dot_in_the_host_path_cannot_leave_the_root() {
    let f = Fixture::new();
    f.denied(
        &f.p("root/proj/../../outside/secret"),
        None,
        "Path not under any allowed root",
    );
    // `..` that stays inside resolves to a real, allowed directory.
    let v = f.check(&f.p("root/proj/src/.."), None, None, true);
    assert!(v.allowed, "{v:?}");
    assert_eq!(v.real_host_path.as_deref(), Some(f.p("root/proj").as_str()));
}

#[test]
fn dot_dot_and_separators_in_the_container_path_are_rejected() {
    let f = Fixture::new();
    let host = f.p("root/proj");
    f.denied(&host, Some("../etc"), "must not contain \"..\"");
    f.denied(
        &host,
        Some("/workspace/extra/../../etc"),
        "must not contain \"..\"",
    );
    f.denied(
        &host,
        Some("/etc/passwd"),
        "must be under /workspace/extra/",
    );
    f.denied(
        &host,
        Some("/workspace/extra"),
        "must be under /workspace/extra/",
    );
    f.denied(&host, Some("/workspace/extra/"), "must name a directory");
    f.denied(&host, Some("a:b"), "contains ':'");
    f.denied(&host, Some("a,b"), "contains ','");
    f.denied(&host, Some("a//b"), "empty component");
    let ok = f.check(&host, Some("/workspace/extra/myapp"), Some(true), true);
    assert_eq!(ok.container_path.as_deref(), Some("/workspace/extra/myapp"));
    let ok = f.check(&host, Some("nested/app/"), Some(true), true);
    assert_eq!(
        ok.container_path.as_deref(),
        Some("/workspace/extra/nested/app")
    );
}

#[test]
fn a_blocked_pattern_in_any_component_is_rejected_and_named() {
    let f = Fixture::new();
    std::fs::create_dir_all(f.base.join("root/proj/.env.local/x")).unwrap();
    std::fs::create_dir_all(f.base.join("root/proj/.SSH")).unwrap();
    std::fs::create_dir_all(f.base.join("root/proj/my-credentials")).unwrap();
    f.denied(
        &f.p("root/.ssh"),
        None,
        "Path contains blocked pattern \".ssh\" (in path component \".ssh\")",
    );
    f.denied(&f.p("root/data/.aws"), None, "\".aws\"");
    f.denied(
        &f.p("root/proj/.env.local/x"),
        None,
        "(in path component \".env.local\")",
    );
    f.denied(&f.p("root/proj/.SSH"), None, "\".ssh\"");
    f.denied(&f.p("root/proj/my-credentials"), None, "\"credentials\"");
    // Even a path that does not exist is refused for its pattern first.
    f.denied(&f.p("root/.gnupg/nope"), None, "\".gnupg\"");
}

#[test]
fn default_patterns_stay_in_force_when_a_user_removes_them() {
    let f = Fixture::new();
    let body = AllowlistBody {
        allowed_roots: vec![RootSpec::Path(f.p("root"))],
        blocked_patterns: vec!["node_modules".into()],
        non_main_read_only: None,
        replace: false,
    };
    let view = mounts::set_allowlist(&f.state, body).unwrap();
    assert!(view.blocked_patterns.iter().any(|p| p == ".ssh"));
    assert!(view.blocked_patterns.iter().any(|p| p == "node_modules"));
    f.denied(&f.p("root/.ssh"), None, "\".ssh\"");
    std::fs::create_dir_all(f.base.join("root/proj/node_modules")).unwrap();
    f.denied(&f.p("root/proj/node_modules"), None, "\"node_modules\"");
}

#[test]
fn nonexistent_relative_and_separator_host_paths_are_rejected() {
    let f = Fixture::new();
    f.denied(&f.p("root/nope"), None, "Host path does not exist");
    f.denied("root/proj", None, "Host path must be absolute");
    f.denied("", None, "Host path must be absolute");
    std::fs::create_dir_all(f.base.join("root/a:b")).unwrap();
    std::fs::create_dir_all(f.base.join("root/a,b")).unwrap();
    f.denied(&f.p("root/a:b"), None, "contains ':'");
    f.denied(&f.p("root/a,b"), None, "contains ','");
}

#[test]
fn trailing_slashes_are_accepted_and_normalized() {
    let f = Fixture::new();
    let v = f.check(&format!("{}/", f.p("root/proj")), None, None, true);
    assert!(v.allowed, "{v:?}");
    assert_eq!(v.real_host_path.as_deref(), Some(f.p("root/proj").as_str()));
    assert_eq!(v.container_path.as_deref(), Some("/workspace/extra/proj"));
}

#[test]
fn a_sibling_with_a_common_prefix_is_not_under_the_root() {
    let f = Fixture::new();
    std::fs::create_dir_all(f.base.join("rootling")).unwrap();
    f.denied(&f.p("rootling"), None, "Path not under any allowed root");
}

#[test]
fn a_root_that_is_a_symlink_is_stored_and_checked_by_its_real_path() {
    let f = Fixture::new();
    std::fs::create_dir_all(f.base.join("real-projects/app")).unwrap();
    symlink(f.base.join("real-projects"), f.base.join("projects-link")).unwrap();
    let r = mounts::add_root(&f.state, &f.base.join("projects-link"), false, None, false).unwrap();
    assert_eq!(r.path, f.p("real-projects"));
    let v = f.check(&f.p("projects-link/app"), None, None, true);
    assert!(v.allowed, "{v:?}");
    assert_eq!(
        v.real_host_path.as_deref(),
        Some(f.p("real-projects/app").as_str())
    );
    // Re-pointing the link afterwards grants nothing new.
    std::fs::remove_file(f.base.join("projects-link")).unwrap();
    symlink(f.base.join("outside"), f.base.join("projects-link")).unwrap();
    f.denied(
        &f.p("projects-link/secret"),
        None,
        "Path not under any allowed root",
    );
}

#[test]
fn read_write_needs_the_root_the_request_and_the_main_group() {
    let f = Fixture::new();
    let host = f.p("root/proj");
    assert!(
        !f.check(&host, None, Some(false), true).read_only,
        "main + rw root + asked"
    );
    assert!(
        f.check(&host, None, Some(true), true).read_only,
        "asked read-only"
    );
    assert!(
        f.check(&host, None, None, true).read_only,
        "not asked: read-only"
    );
    let v = f.check(&host, None, Some(false), false);
    assert!(
        v.allowed && v.read_only,
        "non-main groups mount read-only: {v:?}"
    );
    assert!(v.reason.contains("non-main"));
    let v = f.check(&f.p("ro/docs"), None, Some(false), true);
    assert!(v.allowed && v.read_only, "read-only root: {v:?}");
    assert!(v.reason.contains("root does not allow read-write"));
}

#[test]
fn the_most_specific_root_decides_read_write() {
    let f = Fixture::new();
    mounts::add_root(&f.state, &f.base.join("root/proj"), false, None, false).unwrap();
    let v = f.check(&f.p("root/proj/src"), None, Some(false), true);
    assert!(v.read_only, "{v:?}");
    assert!(v.reason.contains(&f.p("root/proj")));
}

#[test]
fn roots_that_are_blocked_or_the_filesystem_root_cannot_be_added() {
    let f = Fixture::new();
    let e = mounts::add_root(&f.state, &f.base.join("root/.ssh"), false, None, false).unwrap_err();
    assert!(e.to_string().contains(".ssh"), "{e}");
    let e = mounts::add_root(&f.state, Path::new("/"), false, None, false).unwrap_err();
    assert!(e.to_string().contains("every path"), "{e}");
    let e = mounts::add_root(&f.state, &f.base.join("missing"), false, None, false).unwrap_err();
    assert!(e.to_string().contains("does not exist"), "{e}");
}

#[test]
fn no_roots_means_everything_is_rejected() {
    let tmp = tempfile::tempdir().unwrap();
    let state = StateDir::at(tmp.path().join("home"));
    std::fs::create_dir(tmp.path().join("work")).unwrap();
    let req = MountRequest {
        host_path: tmp.path().join("work").display().to_string(),
        ..Default::default()
    };
    let v = mounts::validate_mount(&state, &req, true).unwrap();
    assert!(!v.allowed);
    assert_eq!(v.reason, "Path not under any allowed root");
}

#[test]
fn the_state_directory_is_never_mountable_wherever_it_sits() {
    // The state dir inside an allowed root (like `aigo mount add ~` with the
    // default data dir): the dir, anything in it and anything holding it are refused.
    let tmp = tempfile::tempdir().unwrap();
    let base = tmp.path().canonicalize().unwrap();
    std::fs::create_dir_all(base.join("root/share/aigo/groups/main")).unwrap();
    std::fs::create_dir_all(base.join("root/proj")).unwrap();
    let state = StateDir::at(base.join("root/share/aigo"));
    mounts::add_root(&state, &base.join("root"), true, None, false).unwrap();
    let check = |rel: &str| {
        let req = MountRequest {
            host_path: base.join(rel).display().to_string(),
            read_only: Some(false),
            ..Default::default()
        };
        mounts::validate_mount(&state, &req, true).unwrap()
    };
    for (rel, why) in [
        ("root/share/aigo", "is inside aigo's state directory"),
        (
            "root/share/aigo/groups/main",
            "is inside aigo's state directory",
        ),
        ("root/share", "contains aigo's state directory"),
        ("root", "contains aigo's state directory"),
    ] {
        let v = check(rel);
        assert!(!v.allowed, "{rel} must be refused: {v:?}");
        assert!(v.reason.contains(why), "{rel}: {}", v.reason);
    }
    // Through a symlink inside the root: still the state dir.
    symlink(base.join("root/share/aigo"), base.join("root/proj/st")).unwrap();
    assert!(check("root/proj/st").reason.contains("state directory"));
    let v = check("root/proj");
    assert!(v.allowed, "{v:?}");
}

#[test]
fn a_hard_link_to_the_keystore_identity_inside_a_project_is_masked() {
    let f = Fixture::new();
    std::fs::create_dir_all(f.state.root()).unwrap();
    let key = f.state.root().join("keystore.key");
    std::fs::write(&key, "AGE-SECRET-KEY-1TEST\n").unwrap();
    std::fs::hard_link(&key, f.base.join("root/proj/notes.txt")).unwrap();
    let v = f.check(&f.p("root/proj"), None, None, true);
    assert!(v.allowed, "{v:?}");
    let m = v
        .masked
        .iter()
        .find(|m| m.container_path == "/workspace/extra/proj/notes.txt")
        .unwrap_or_else(|| panic!("not masked: {v:?}"));
    assert!(!m.directory);
    assert!(m.reason.contains("keystore identity"), "{m:?}");
    // The file itself is refused outright.
    let v = f.check(&f.p("root/proj/notes.txt"), None, None, true);
    assert!(
        !v.allowed && v.reason.contains("keystore identity"),
        "{v:?}"
    );
}

#[test]
fn system_trees_and_the_home_directory_are_refused_as_roots_with_the_reason() {
    let f = Fixture::new();
    for (root, why) in [
        ("/etc", "system directory"),
        ("/usr", "system directory"),
        ("/root", "system directory"),
        ("/proc/self", "kernel or runtime directory"),
        ("/sys/kernel", "kernel or runtime directory"),
        ("/dev", "system directory"),
        ("/var/run", "system directory"),
    ] {
        let e = mounts::add_root(&f.state, Path::new(root), false, None, false).unwrap_err();
        assert!(e.to_string().contains(why), "{root}: {e}");
        assert!(e.to_string().contains("too broad"), "{root}: {e}");
    }
    if let Some(home) = std::env::var_os("HOME").filter(|h| Path::new(h).is_dir()) {
        let e = mounts::add_root(&f.state, Path::new(&home), false, None, false).unwrap_err();
        assert!(
            e.to_string().contains("home directory") || e.to_string().contains("system directory"),
            "{e}"
        );
    }
    // The same over the API body: a root given by a symlink to /etc is judged
    // by its canonical path.
    symlink("/etc", f.base.join("etc-link")).unwrap();
    let e = mounts::set_allowlist(
        &f.state,
        AllowlistBody {
            allowed_roots: vec![RootSpec::Path(f.p("etc-link"))],
            blocked_patterns: vec![],
            non_main_read_only: None,
            replace: false,
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("/etc is too broad"), "{e}");
}

#[test]
fn a_missing_root_is_refused_unless_pending_and_a_pending_root_is_judged_when_it_appears() {
    let f = Fixture::new();
    let later = f.base.join("later");
    let body = |pending: bool| AllowlistBody {
        allowed_roots: vec![RootSpec::Full(mounts::RootInput {
            path: later.display().to_string(),
            pending,
            ..Default::default()
        })],
        blocked_patterns: vec![],
        non_main_read_only: None,
        // The fixture's roots go: `later` is the only one.
        replace: true,
    };
    let e = mounts::set_allowlist(&f.state, body(false)).unwrap_err();
    assert!(e.to_string().contains(&f.p("later")), "{e}");
    assert!(e.to_string().contains("pending"), "{e}");
    let v = mounts::set_allowlist(&f.state, body(true)).unwrap();
    assert!(v.allowed_roots[0].pending);
    assert!(v.warnings[0].contains("does not exist yet"), "{v:?}");
    // It appears as a symlink to /: the root is skipped, /etc is not allowed.
    symlink("/", &later).unwrap();
    let v = f.check(&f.p("later/etc"), None, None, true);
    assert!(!v.allowed, "{v:?}");
    assert!(
        v.reason.contains("Path not under any allowed root"),
        "{v:?}"
    );
    assert!(v.reason.contains("too broad"), "{v:?}");
    let v = f.check(&f.p("later/tmp"), None, None, true);
    assert!(!v.allowed, "{v:?}");
    // It appears as a real directory: mounts under it are allowed.
    std::fs::remove_file(&later).unwrap();
    std::fs::create_dir_all(later.join("app")).unwrap();
    let v = f.check(&f.p("later/app"), None, None, true);
    assert!(v.allowed, "{v:?}");
}

#[test]
fn an_existing_root_later_replaced_by_a_symlink_to_a_system_tree_yields_nothing() {
    let f = Fixture::new();
    std::fs::create_dir_all(f.base.join("proj2/app")).unwrap();
    mounts::add_root(&f.state, &f.base.join("proj2"), false, None, false).unwrap();
    assert!(f.check(&f.p("proj2/app"), None, None, true).allowed);
    std::fs::rename(f.base.join("proj2"), f.base.join("proj2.old")).unwrap();
    symlink("/usr", f.base.join("proj2")).unwrap();
    let v = f.check(&f.p("proj2/bin"), None, None, true);
    assert!(!v.allowed, "{v:?}");
    assert!(v.reason.contains("/usr is a system directory"), "{v:?}");
}

#[test]
fn secrets_inside_a_mounted_directory_are_masked_not_refused() {
    let f = Fixture::new();
    let proj = f.base.join("root/proj");
    std::fs::write(proj.join(".env"), "TOKEN=hunter2\n").unwrap();
    for d in [
        "sub/.ssh",
        "home/.config/gcloud",
        "home/.config/ghost",
        "home/.local/share/keyrings",
    ] {
        std::fs::create_dir_all(proj.join(d)).unwrap();
    }
    std::fs::write(proj.join("sub/.git-credentials"), "x").unwrap();
    std::fs::write(proj.join("home/.config/ghost/ok.txt"), "x").unwrap();
    let _sock = std::os::unix::net::UnixListener::bind(proj.join("sub/agent.sock")).unwrap();
    // A symlink named like a secret resolves inside the container: left alone.
    symlink("/nowhere", proj.join("link.env")).unwrap();
    let v = f.check(&f.p("root/proj"), None, None, true);
    assert!(v.allowed, "{v:?}");
    let got: Vec<(&str, bool)> = v
        .masked
        .iter()
        .map(|m| (m.container_path.as_str(), m.directory))
        .collect();
    assert_eq!(
        got,
        vec![
            ("/workspace/extra/proj/.env", false),
            ("/workspace/extra/proj/home/.config/gcloud", true),
            ("/workspace/extra/proj/home/.local/share/keyrings", true),
            ("/workspace/extra/proj/sub/.git-credentials", false),
            ("/workspace/extra/proj/sub/.ssh", true),
            ("/workspace/extra/proj/sub/agent.sock", false),
        ]
    );
    assert!(v.reason.contains("6 entries hidden"), "{}", v.reason);
    // Mounting the .config directory itself: `gcloud` is masked as the
    // sequence `.config/gcloud`, spanning the mount's own path.
    let v = f.check(&f.p("root/proj/home/.config"), None, None, true);
    assert!(v.allowed, "{v:?}");
    assert_eq!(v.masked.len(), 1, "{v:?}");
    assert_eq!(
        v.masked[0].container_path,
        "/workspace/extra/.config/gcloud"
    );
}

#[test]
fn a_pattern_with_a_slash_matches_consecutive_components_exactly() {
    let f = Fixture::new();
    std::fs::create_dir_all(f.base.join("root/proj/x/.config/gh")).unwrap();
    std::fs::create_dir_all(f.base.join("root/proj/y/.config/gh-tools")).unwrap();
    f.denied(&f.p("root/proj/x/.config/gh"), None, "\".config/gh\"");
    assert!(
        f.check(&f.p("root/proj/y/.config/gh-tools"), None, None, true)
            .allowed
    );
    mounts::set_allowlist(
        &f.state,
        AllowlistBody {
            allowed_roots: vec![RootSpec::Path(f.p("root"))],
            blocked_patterns: vec!["private/notes".into()],
            non_main_read_only: None,
            replace: false,
        },
    )
    .unwrap();
    std::fs::create_dir_all(f.base.join("root/proj/private/notes")).unwrap();
    std::fs::create_dir_all(f.base.join("root/proj/notes")).unwrap();
    let v = f.check(&f.p("root/proj"), None, None, true);
    assert!(v.allowed, "{v:?}");
    assert!(
        v.masked
            .iter()
            .any(|m| m.container_path == "/workspace/extra/proj/private/notes"),
        "{v:?}"
    );
    assert!(
        !v.masked
            .iter()
            .any(|m| m.container_path == "/workspace/extra/proj/notes")
    );
}

#[test]
fn a_tree_beyond_the_scan_budget_is_refused_with_advice() {
    let f = Fixture::new();
    let mut deep = f.base.join("root/deep");
    for i in 0..=mounts::SCAN_MAX_DEPTH {
        deep = deep.join(format!("d{i}"));
    }
    std::fs::create_dir_all(&deep).unwrap();
    f.denied(&f.p("root/deep"), None, "choose a narrower directory");
    // The entry budget, made small here (creating 50 001 files is slow on a
    // busy disk); validation uses the same code with SCAN_MAX_ENTRIES.
    let wide = f.base.join("root/wide");
    std::fs::create_dir_all(&wide).unwrap();
    for i in 0..=1000 {
        std::fs::File::create(wide.join(i.to_string())).unwrap();
    }
    let list: mounts::MountAllowlist = aigo::state::load_toml(&f.state.mounts()).unwrap();
    let req = MountRequest {
        host_path: f.p("root/wide"),
        ..Default::default()
    };
    let budget = mounts::ScanBudget {
        max_depth: mounts::SCAN_MAX_DEPTH,
        max_entries: 1000,
    };
    let protected = mounts::Protected::for_state(&f.state);
    let v = mounts::validate_with(&list, &protected, &req, true, budget);
    assert!(!v.allowed, "{v:?}");
    assert!(v.reason.contains("more than 1000 entries"), "{}", v.reason);
    assert!(v.reason.contains("choose a narrower directory"));
    assert!(f.check(&f.p("root/wide"), None, None, true).allowed);
    // The deepest level allowed is still scanned and mountable.
    assert!(f.check(&f.p("root/deep/d0/d1"), None, None, true).allowed);
}
