//! Schedules through the API (the reference's body) and through agents' `tasks/` IPC.

#![allow(clippy::unwrap_used)]

mod common;

use aigo::daemon::DaemonOptions;
use aigo::groups::{self, Group};
use aigo::ipc::{TaskRefusal, TaskRequest, TaskSink};
use common::{TestDaemon, http};

#[test]
fn the_reference_schedule_body_round_trips_through_the_api() {
    let d = TestDaemon::start(DaemonOptions::default());
    let body = r#"{"name": "standup", "group": "main", "prompt": "summarize", "schedule": {"type": "cron", "value": "0 9 * * 1-5"},
                  "containerConfig": {"timeoutSecs": 300}, "contextMode": "isolated", "enabled": true}"#;
    let r = http(
        d.addr,
        "POST",
        "/api/v1/container/schedules",
        Some(body),
        &[],
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let v = r.json();
    let id = v["id"].as_str().unwrap().to_string();
    assert_eq!(v["enabled"], true);
    assert!(v["nextRun"].as_str().unwrap().ends_with('Z'), "{v}");
    for key in ["lastRun", "lastResult", "status"] {
        assert!(v.get(key).is_some(), "{key} missing: {v}");
    }
    let all = d.get("/api/v1/container/schedules").json();
    assert_eq!(all[0]["id"], id.as_str());

    let r = http(
        d.addr,
        "PATCH",
        &format!("/api/v1/container/schedules/{id}"),
        Some(r#"{"enabled": false}"#),
        &[],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["enabled"], false);
    assert_eq!(
        d.get(&format!("/api/v1/container/schedules/{id}/logs"))
            .json(),
        serde_json::json!([])
    );

    let every =
        r#"{"name": "tick", "prompt": "x", "schedule": {"type": "interval", "value": 1800000}}"#;
    assert_eq!(
        http(
            d.addr,
            "POST",
            "/api/v1/container/schedules",
            Some(every),
            &[]
        )
        .status,
        201
    );
    let bad =
        r#"{"name": "bad", "prompt": "x", "schedule": {"type": "cron", "value": "61 * * * *"}}"#;
    let r = http(
        d.addr,
        "POST",
        "/api/v1/container/schedules",
        Some(bad),
        &[],
    );
    assert_eq!(r.status, 400);
    assert!(
        r.json()["message"].as_str().unwrap().contains("minute"),
        "{}",
        r.body
    );

    let r = http(
        d.addr,
        "DELETE",
        &format!("/api/v1/container/schedules/{id}"),
        None,
        &[],
    );
    assert_eq!(r.status, 200);
    assert_eq!(
        d.get(&format!("/api/v1/container/schedules/{id}")).status,
        404
    );
}

#[test]
fn check_answers_invalid_expressions_with_200_and_the_reason() {
    let d = TestDaemon::start(DaemonOptions::default());
    let ok = r#"{"schedule": {"type": "cron", "value": "0 9 * * 0"}, "timezone": "UTC", "from": "2026-11-23T00:00:00Z", "count": 2}"#;
    let v = http(
        d.addr,
        "POST",
        "/api/v1/container/schedules/check",
        Some(ok),
        &[],
    )
    .json();
    assert_eq!(v["valid"], true);
    assert_eq!(
        v["nextRuns"],
        serde_json::json!(["2026-11-29T09:00:00Z", "2026-12-06T09:00:00Z"])
    );
    let bad = r#"{"schedule": {"type": "cron", "value": "* * *"}}"#;
    let r = http(
        d.addr,
        "POST",
        "/api/v1/container/schedules/check",
        Some(bad),
        &[],
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["valid"], false);
}

#[tokio::test]
async fn agents_manage_their_own_schedules_but_not_other_groups() {
    let home = tempfile::tempdir().unwrap();
    let state = aigo::state::StateDir::at(home.path());
    groups::add(
        &state,
        Group {
            name: "main".into(),
            main: true,
            jids: vec![],
            senders: vec![],
            ..Default::default()
        },
    )
    .unwrap();
    groups::add(
        &state,
        Group {
            name: "family".into(),
            main: false,
            jids: vec![],
            senders: vec![],
            ..Default::default()
        },
    )
    .unwrap();
    let sink = aigo::schedule::ScheduleTasks::new(state.clone());
    let new = |group: Option<&str>| {
        let mut v = serde_json::json!({"name": "t", "prompt": "p", "schedule": {"type": "interval", "value": "1h"}});
        if let Some(g) = group {
            v["group"] = g.into();
        }
        TaskRequest::ScheduleTask(v)
    };
    let ok = sink.apply("family", new(None)).await.unwrap();
    let fam_id = ok.split_whitespace().nth(1).unwrap().to_string();
    assert_eq!(
        aigo::schedule::get(&state, &fam_id).unwrap().group,
        "family"
    );
    assert!(matches!(
        sink.apply("family", new(Some("main"))).await,
        Err(TaskRefusal::Unauthorized(_))
    ));
    let main_ok = sink.apply("main", new(Some("main"))).await.unwrap();
    let main_id = main_ok.split_whitespace().nth(1).unwrap().to_string();

    let pause = |id: &str| TaskRequest::PauseTask { task_id: id.into() };
    assert!(matches!(
        sink.apply("family", pause(&main_id)).await,
        Err(TaskRefusal::Unauthorized(_))
    ));
    sink.apply("family", pause(&fam_id)).await.unwrap();
    assert!(!aigo::schedule::get(&state, &fam_id).unwrap().enabled);
    sink.apply(
        "main",
        TaskRequest::ResumeTask {
            task_id: fam_id.clone(),
        },
    )
    .await
    .unwrap();
    let upd = TaskRequest::UpdateTask {
        task_id: fam_id.clone(),
        changes: serde_json::json!({"group": "main"}),
    };
    assert!(matches!(
        sink.apply("family", upd).await,
        Err(TaskRefusal::Unauthorized(_))
    ));
    sink.apply(
        "family",
        TaskRequest::CancelTask {
            task_id: fam_id.clone(),
        },
    )
    .await
    .unwrap();
    assert!(aigo::schedule::get(&state, &fam_id).is_err());
    assert!(matches!(
        sink.apply("family", pause("nope")).await,
        Err(TaskRefusal::Invalid(_))
    ));
}

/// `aigo schedule run` over the API: `POST …/schedules/{id}/run` starts the
/// schedule's prompt as a daemon-owned run at once, and its reply lands in the
/// schedule's run log; a run that cannot start is refused with its status and
/// logged there too.
#[test]
fn a_schedule_runs_now_through_the_api_and_logs_its_reply() {
    if !common::docker_or_skip("a_schedule_runs_now_through_the_api") {
        return;
    }
    const IMAGE: &str = "aigo-test-schedule-run:latest";
    common::contract_runner_image(IMAGE);
    let home = tempfile::tempdir().unwrap();
    let state = aigo::state::StateDir::at(home.path());
    std::fs::write(state.config(), format!("image_tag = \"{IMAGE}\"\n")).unwrap();
    groups::add(
        &state,
        Group {
            name: "main".into(),
            main: true,
            ..Default::default()
        },
    )
    .unwrap();
    let d = TestDaemon::start_in(home, DaemonOptions::default());
    common::wait_for("the daemon", 30, || d.get("/api/v1/health").status == 200);
    let post = |path: &str, body: Option<&str>| http(d.addr, "POST", path, body, &[]);
    for (name, group) in [("nightly", "main"), ("ghost", "nobody")] {
        let body = format!(
            r#"{{"name": "{name}", "group": "{group}", "prompt": "report", "schedule": {{"type": "cron", "value": "0 3 * * *"}}, "containerConfig": {{"timeoutSecs": 60}}}}"#
        );
        let r = post("/api/v1/container/schedules", Some(&body));
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let next_run = d.get("/api/v1/container/schedules/nightly").json()["nextRun"].clone();

    let r = post("/api/v1/container/schedules/nightly/run", None);
    assert_eq!(r.status, 201, "{}", r.body);
    let run = r.json();
    assert_eq!(run["group"], "main");
    assert_eq!(run["state"], "running");
    let logs = || d.get("/api/v1/container/schedules/nightly/logs").json();
    common::wait_for("the run's outcome in the schedule's log", 60, || {
        logs().as_array().is_some_and(|l| !l.is_empty())
    });
    let log = logs();
    assert_eq!(log[0]["status"], "success", "{log}");
    assert_eq!(log[0]["result"], "echo: report", "{log}");
    assert_eq!(
        d.get("/api/v1/container/schedules/nightly").json()["nextRun"],
        next_run,
        "running now leaves the slot grid alone"
    );
    let rec = aigo::runs::load_record(&d.state, run["id"].as_str().unwrap()).unwrap();
    assert_eq!(rec.owner, "daemon");

    let r = post("/api/v1/container/schedules/nope/run", None);
    assert_eq!(r.status, 404, "{}", r.body);
    let r = post("/api/v1/container/schedules/ghost/run", None);
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.json()["error"], "unknown_group");
    let log = d.get("/api/v1/container/schedules/ghost/logs").json();
    assert_eq!(log[0]["status"], "error", "{log}");
    assert!(
        log[0]["error"]
            .as_str()
            .unwrap()
            .contains("no group \"nobody\""),
        "{log}"
    );
}
