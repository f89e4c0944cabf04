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
        mounts::add_root(&state, &base.join("root"), true, Some("projects".into())).unwrap();
        mounts::add_root(&state, &base.join("ro"), false, None).unwrap();
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
    let r = mounts::add_root(&f.state, &f.base.join("projects-link"), false, None).unwrap();
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
    mounts::add_root(&f.state, &f.base.join("root/proj"), false, None).unwrap();
    let v = f.check(&f.p("root/proj/src"), None, Some(false), true);
    assert!(v.read_only, "{v:?}");
    assert!(v.reason.contains(&f.p("root/proj")));
}

#[test]
fn roots_that_are_blocked_or_the_filesystem_root_cannot_be_added() {
    let f = Fixture::new();
    let e = mounts::add_root(&f.state, &f.base.join("root/.ssh"), false, None).unwrap_err();
    assert!(e.to_string().contains(".ssh"), "{e}");
    let e = mounts::add_root(&f.state, Path::new("/"), false, None).unwrap_err();
    assert!(e.to_string().contains("every path"), "{e}");
    let e = mounts::add_root(&f.state, &f.base.join("missing"), false, None).unwrap_err();
    assert!(e.to_string().contains("does not exist"), "{e}");
}

#[test]
fn no_roots_means_everything_is_rejected() {
    let tmp = tempfile::tempdir().unwrap();
    let state = StateDir::at(tmp.path().join("home"));
    let req = MountRequest {
        host_path: tmp.path().display().to_string(),
        ..Default::default()
    };
    let v = mounts::validate_mount(&state, &req, true).unwrap();
    assert!(!v.allowed);
    assert_eq!(v.reason, "Path not under any allowed root");
}
