//! Image builds on this machine's engine, through the library the daemon uses:
//! missing → building → ready, a failing Dockerfile, `outdated`, and the 409 for a second build.

mod support_image;

use aigo::image::{BuildRequest, BuildState, ImageBuilds, ImageError, ImageState, begin};
use aigo::state::StateDir;
use support_image::{busybox_context, docker_or_skip, remove_image, unique_tag};

fn request(tag: &str, context: &std::path::Path) -> BuildRequest {
    BuildRequest {
        image_tag: tag.to_string(),
        context: Some(context.to_path_buf()),
        ..BuildRequest::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_goes_missing_building_ready_then_outdated() {
    let Some(docker) = docker_or_skip("status_goes_missing_building_ready_then_outdated").await
    else {
        return;
    };
    let home = tempfile::tempdir().expect("tempdir");
    let ctx = busybox_context(&home.path().join("ctx"), "RUN echo built > /built\n");
    let tag = unique_tag("ready");
    let state = StateDir::at(home.path().join("state"));
    let builds = ImageBuilds::new(state.clone());

    let st = builds.status(Some(&docker), &tag).await.expect("status");
    assert_eq!(st.status, ImageState::Missing);
    assert!(st.image_id.is_none() && st.build_id.is_none());

    // Another aigo process holding the state dir's build slot: refused with its build's id.
    let held = begin(&state, request(&tag, &ctx)).expect("begin elsewhere");
    let held_id = held.id().clone();
    let err = builds
        .start_build(&docker, request(&tag, &ctx))
        .expect_err("slot taken");
    assert!(
        matches!(&err, ImageError::AlreadyBuilding { id } if id == &held_id),
        "{err}"
    );
    // That process dies without finishing: its record turns `failed` (interrupted).
    drop(held);
    let rec = builds.build(&held_id).expect("load").expect("record");
    assert_eq!(rec.status, BuildState::Failed);
    assert!(
        rec.error
            .as_deref()
            .is_some_and(|e| e.contains("interrupted")),
        "{rec:?}"
    );

    // --no-cache: the build runs a few containers, so it is still running below.
    let req = BuildRequest {
        no_cache: true,
        ..request(&tag, &ctx)
    };
    let id = builds.start_build(&docker, req).expect("start");
    let st = builds.status(Some(&docker), &tag).await.expect("status");
    assert_eq!(st.status, ImageState::Building, "{st:?}");
    assert_eq!(st.build_id.as_ref(), Some(&id));
    assert!(st.progress.is_some());

    // A second request while the first runs: refused with the running build's id (API: 409).
    let err = builds
        .start_build(&docker, request(&tag, &ctx))
        .expect_err("second build");
    assert!(
        matches!(&err, ImageError::AlreadyBuilding { id: running } if running == &id),
        "{err}"
    );
    assert_eq!(err.http_status(), 409);
    assert_eq!(builds.running().as_ref(), Some(&id));

    let rec = builds.wait(&id).await.expect("wait").expect("record");
    assert_eq!(rec.status, BuildState::Succeeded, "{:?}", rec.error);
    let st = builds.status(Some(&docker), &tag).await.expect("status");
    assert_eq!(st.status, ImageState::Ready, "{st:?}");
    assert_eq!(st.image_id, rec.image_id);
    assert!(st.size.is_some_and(|s| s > 0) && st.created.is_some());
    assert!(st.output.contains("Successfully tagged"), "{}", st.output);
    assert_eq!(st.context_hash, st.image_context_hash);
    assert_eq!(builds.history().expect("history")[0].id, id);

    // The context changes: the image no longer matches it.
    std::fs::write(ctx.join("new-file.txt"), "changed").expect("write");
    let st = builds.status(Some(&docker), &tag).await.expect("status");
    assert_eq!(st.status, ImageState::Outdated, "{st:?}");
    assert_ne!(st.context_hash, st.image_context_hash);

    // Rebuilding makes it ready again; a second manager can build once the slot is free.
    let other = ImageBuilds::new(state.clone());
    let id2 = other
        .start_build(&docker, request(&tag, &ctx))
        .expect("rebuild");
    let rec = other.wait(&id2).await.expect("wait").expect("record");
    assert_eq!(rec.status, BuildState::Succeeded, "{:?}", rec.error);
    assert_eq!(
        builds
            .status(Some(&docker), &tag)
            .await
            .expect("status")
            .status,
        ImageState::Ready
    );
    remove_image(&docker, &tag).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_dockerfile_reports_the_engine_error() {
    let Some(docker) = docker_or_skip("a_failing_dockerfile_reports_the_engine_error").await else {
        return;
    };
    let home = tempfile::tempdir().expect("tempdir");
    let ctx = busybox_context(
        &home.path().join("ctx"),
        "RUN echo about to fail && exit 3\n",
    );
    let tag = unique_tag("fail");
    let builds = ImageBuilds::new(StateDir::at(home.path().join("state")));
    let id = builds
        .start_build(&docker, request(&tag, &ctx))
        .expect("start");
    let rec = builds.wait(&id).await.expect("wait").expect("record");
    assert_eq!(rec.status, BuildState::Failed);
    let err = rec.error.clone().expect("error");
    // The failing command and its exit code, in BuildKit's words (Docker) or the classic
    // builder's (Podman).
    assert!(
        err.contains("echo about to fail && exit 3")
            && (err.contains("exit code: 3") || err.contains("returned a non-zero code: 3")),
        "{err}"
    );

    let st = builds.status(Some(&docker), &tag).await.expect("status");
    assert_eq!(st.status, ImageState::Failed, "{st:?}");
    assert!(st.output.contains("about to fail"), "{}", st.output);
    assert!(st.output.contains(&err), "{}", st.output);

    // A Dockerfile the engine cannot parse fails the same way, with its message.
    std::fs::write(
        ctx.join("Dockerfile"),
        "FROM scratch\nNOT_AN_INSTRUCTION x\n",
    )
    .expect("write");
    let id = builds
        .start_build(&docker, request(&tag, &ctx))
        .expect("start");
    let rec = builds.wait(&id).await.expect("wait").expect("record");
    assert_eq!(rec.status, BuildState::Failed);
    let st = builds.status(Some(&docker), &tag).await.expect("status");
    assert_eq!(st.status, ImageState::Failed);
    assert!(
        st.output.to_lowercase().contains("unknown instruction"),
        "{}",
        st.output
    );
    // The slot is free again after failures.
    assert!(builds.running().is_none());
    remove_image(&docker, &tag).await;
}

#[tokio::test]
async fn bad_requests_are_refused_before_anything_runs() {
    let home = tempfile::tempdir().expect("tempdir");
    let state = StateDir::at(home.path());
    let empty = home.path().join("empty");
    std::fs::create_dir(&empty).expect("mkdir");
    let err = aigo::image::begin(&state, request("x:1", &empty)).expect_err("no Dockerfile");
    assert!(err.to_string().contains("no Dockerfile"), "{err}");
    let err = aigo::image::begin(&state, request("bad tag", &empty)).expect_err("bad tag");
    assert_eq!(err.http_status(), 400);
    let err =
        aigo::image::begin(&state, request("x:1", &home.path().join("nope"))).expect_err("no dir");
    assert!(err.to_string().contains("nope"), "{err}");
    assert!(
        aigo::image::list_builds(&state)
            .expect("history")
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_cancels_a_running_build() {
    let Some(docker) = docker_or_skip("shutdown_cancels_a_running_build").await else {
        return;
    };
    let home = tempfile::tempdir().expect("tempdir");
    let ctx = busybox_context(&home.path().join("ctx"), "RUN echo cancel-me\n");
    let tag = unique_tag("cancel");
    let tracker = tokio_util::task::TaskTracker::new();
    let shutdown = tokio_util::sync::CancellationToken::new();
    let state = StateDir::at(home.path().join("state"));
    let builds = ImageBuilds::supervised(state, tracker.clone(), shutdown.clone());
    let req = BuildRequest {
        no_cache: true,
        ..request(&tag, &ctx)
    };
    let id = builds.start_build(&docker, req).expect("start");
    shutdown.cancel();
    tracker.close();
    tracker.wait().await;
    let rec = builds.wait(&id).await.expect("wait").expect("record");
    assert_eq!(rec.status, BuildState::Failed);
    assert!(
        rec.error
            .as_deref()
            .is_some_and(|e| e.contains("cancelled")),
        "{rec:?}"
    );
    assert_eq!(
        builds
            .status(Some(&docker), &tag)
            .await
            .expect("status")
            .status,
        ImageState::Failed
    );
    assert!(builds.running().is_none());
    remove_image(&docker, &tag).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_digest_cache_does_not_hide_a_changed_file() {
    let Some(docker) = docker_or_skip("the_digest_cache_does_not_hide_a_changed_file").await else {
        return;
    };
    let home = tempfile::tempdir().expect("tempdir");
    let ctx = busybox_context(&home.path().join("ctx"), "COPY data.txt /data.txt\n");
    let data = ctx.join("data.txt");
    std::fs::write(&data, "version 1").expect("write");
    // Files changed within the racy window are always hashed; let them age so the build and
    // the status check below use (and fill) the digest cache.
    std::thread::sleep(aigo::image::RACY_WINDOW + std::time::Duration::from_millis(200));
    let tag = unique_tag("digests");
    let state = StateDir::at(home.path().join("state"));
    let builds = ImageBuilds::new(state.clone());
    let id = builds
        .start_build(&docker, request(&tag, &ctx))
        .expect("start");
    let rec = builds.wait(&id).await.expect("wait").expect("record");
    assert_eq!(rec.status, BuildState::Succeeded, "{:?}", rec.error);
    let cache = std::fs::read_to_string(state.root().join("builds/digests.json")).expect("cache");
    assert!(cache.contains("data.txt"), "{cache}");
    let st = builds.status(Some(&docker), &tag).await.expect("status");
    assert_eq!(st.status, ImageState::Ready, "{st:?}");

    // New content of the same size, with the old mtime put back.
    let mtime = std::fs::metadata(&data)
        .and_then(|m| m.modified())
        .expect("mtime");
    std::fs::write(&data, "version 2").expect("write");
    std::fs::File::options()
        .write(true)
        .open(&data)
        .and_then(|f| f.set_modified(mtime))
        .expect("set mtime");
    let st = builds.status(Some(&docker), &tag).await.expect("status");
    assert_eq!(st.status, ImageState::Outdated, "{st:?}");
    remove_image(&docker, &tag).await;
}
