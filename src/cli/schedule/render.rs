//! Text rendering for `aigo schedule`: times in a schedule's zone, `show`.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::schedule::{self, CheckRequest, ScheduleSpec, ScheduleView};

pub(super) fn show(v: &ScheduleView, now: Timestamp) {
    let tz = zone_of(v);
    let spec = match &v.schedule {
        ScheduleSpec::Cron(c) => format!("cron {c}"),
        ScheduleSpec::Interval(ms) => format!("every {}", schedule::format_ms(*ms)),
        ScheduleSpec::Once(at) => format!("once at {at}"),
    };
    println!("{} ({})", v.id, v.name);
    println!("  group:    {}", v.group);
    println!("  when:     {spec} — {} ({})", v.description, v.timezone);
    println!("  status:   {}", v.status);
    println!("  context:  {}", v.context_mode.as_str());
    if let Some(t) = v.container_config.timeout_secs {
        println!("  timeout:  {t}s");
    }
    println!("  next run: {}", when(&tz, v.next_run));
    println!("  last run: {}", last(&tz, v));
    println!("  prompt:   {}", v.prompt);
    if v.enabled
        && v.status != "completed"
        && let Some(next) = v.next_run
    {
        // `next_run` may be overdue (the daemon fires it); later ones follow from it.
        let rest = schedule::check(
            &CheckRequest {
                schedule: v.schedule.clone(),
                timezone: Some(v.timezone.clone()).filter(|z| z != "local"),
                from: Some(next.to_string()),
                count: Some(4),
            },
            now,
        );
        let mut all = vec![when(&tz, Some(next))];
        all.extend(rest.next_runs.iter().map(|t| when(&tz, Some(*t))));
        println!("  upcoming: {}", all.join(", "));
    }
}

pub(super) fn zone_of(v: &ScheduleView) -> TimeZone {
    if v.timezone == "local" {
        TimeZone::system()
    } else {
        schedule::resolve_zone(Some(&v.timezone)).unwrap_or_else(|_| TimeZone::system())
    }
}

pub(super) fn when(tz: &TimeZone, t: Option<Timestamp>) -> String {
    match t {
        Some(t) => {
            let z = t.to_zoned(tz.clone());
            let fmt = if z.second() == 0 && z.subsec_nanosecond() == 0 {
                "%Y-%m-%d %H:%M %Z (%a)"
            } else {
                "%Y-%m-%d %H:%M:%S %Z (%a)"
            };
            z.strftime(fmt).to_string()
        }
        None => "-".into(),
    }
}

pub(super) fn last(tz: &TimeZone, v: &ScheduleView) -> String {
    match (v.last_run, v.last_status) {
        (Some(t), Some(s)) => format!(
            "{} ({})",
            when(tz, Some(t)),
            format!("{s:?}").to_lowercase()
        ),
        (Some(t), None) => when(tz, Some(t)),
        _ => "-".into(),
    }
}

pub(super) fn warn_all(ws: &[String]) {
    for w in ws {
        eprintln!("warning: {w}");
    }
}
