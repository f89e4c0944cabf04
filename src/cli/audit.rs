//! `aigo audit [filters]`, `aigo audit verify`, `aigo audit export`.

use anyhow::Context;
use clap::{Args, Subcommand};

use super::{Outcome, output};
use crate::audit::{self, AuditLog, AuditQueryParams, Category, NewEvent, Severity};
use crate::state::StateDir;

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct AuditArgs {
    #[command(subcommand)]
    cmd: Option<AuditCmd>,
    #[command(flatten)]
    list: ListArgs,
}

/// Without a verb: list events, oldest first, the newest `--limit` of them.
#[derive(Debug, Args)]
struct ListArgs {
    /// Only events of exactly this severity (info, warning, violation)
    #[arg(long, conflicts_with = "min_severity")]
    severity: Option<Severity>,
    /// Events of this severity or worse (warning = warnings and violations)
    #[arg(long)]
    min_severity: Option<Severity>,
    /// Only this category (mount, ipc, quarantine, proxy, container, compliance, audit, channel)
    #[arg(long)]
    category: Option<String>,
    /// Only events of this group
    #[arg(long)]
    group: Option<String>,
    /// How many of the newest matching events to show
    #[arg(long, short = 'n', default_value_t = audit::DEFAULT_LIMIT)]
    limit: usize,
    /// Only events at or after this time: RFC 3339, or a duration back from now (30m, 1h, 2d, 1w)
    #[arg(long)]
    since: Option<String>,
    /// Print `{"events":[…],"total":N}` as `GET /api/v1/container/audit-log` returns it
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Subcommand)]
enum AuditCmd {
    /// Check the hash chain; exits 1 and names the first bad line when it is broken
    Verify {
        /// Print JSON (the same shape the API returns) instead of text
        #[arg(long)]
        json: bool,
    },
    /// Print every event as a JSON array (e.g. `aigo audit export > audit.json`)
    Export,
    /// Append events (for scripts and tests)
    #[command(hide = true)]
    Record(RecordArgs),
}

#[derive(Debug, Args)]
struct RecordArgs {
    /// Severity of the event: info, warning or violation
    #[arg(long, default_value = "info")]
    severity: Severity,
    /// Category of the event (mount, ipc, proxy, container, …)
    #[arg(long)]
    category: Category,
    /// What happened, in words
    #[arg(long)]
    message: String,
    /// The group the event concerns
    #[arg(long)]
    group: Option<String>,
    /// Details as a JSON object
    #[arg(long)]
    details: Option<String>,
    /// Append this many events (the message gets " #i" appended)
    #[arg(long, default_value_t = 1)]
    count: usize,
    /// Events per write + fsync
    #[arg(long, default_value_t = 1)]
    batch: usize,
}

pub fn run(state: &StateDir, a: AuditArgs) -> anyhow::Result<Outcome> {
    match a.cmd {
        None => list(state, a.list),
        Some(AuditCmd::Verify { json }) => verify(state, json),
        Some(AuditCmd::Export) => {
            output::print_json(&audit::export(state)?)?;
            Ok(Outcome::Success)
        }
        Some(AuditCmd::Record(r)) => record(state, r),
    }
}

fn list(state: &StateDir, a: ListArgs) -> anyhow::Result<Outcome> {
    let params = AuditQueryParams {
        severity: a.severity.map(|s| s.to_string()),
        min_severity: a.min_severity.map(|s| s.to_string()),
        limit: Some(a.limit),
        since: a.since,
        category: a.category,
        group: a.group,
    };
    let q = params.resolve(jiff::Timestamp::now())?;
    let page = audit::query(state, &q)?;
    if a.json {
        output::print_json(&page)?;
        return Ok(Outcome::Success);
    }
    if page.total == 0 {
        println!("No audit events match.");
        return Ok(Outcome::Success);
    }
    let tz = jiff::tz::TimeZone::system();
    let mut t = output::table(&["Time", "Severity", "Category", "Group", "Message"]);
    for e in &page.events {
        t.add_row(vec![
            e.ts.to_zoned(tz.clone())
                .strftime("%Y-%m-%d %H:%M:%S")
                .to_string(),
            e.severity.to_string(),
            e.category.clone(),
            e.group.clone().unwrap_or_else(|| "-".into()),
            e.message.clone(),
        ]);
    }
    println!("{t}");
    if page.events.len() < page.total {
        println!(
            "{} of {} matching events (newest last); --limit N shows more",
            page.events.len(),
            page.total
        );
    }
    Ok(Outcome::Success)
}

fn verify(state: &StateDir, json: bool) -> anyhow::Result<Outcome> {
    let r = audit::verify(state)?;
    if json {
        output::print_json(&r)?;
    } else {
        for w in &r.warnings {
            println!("warning: {w}");
        }
        if r.valid {
            println!("audit log OK: {} events, chain intact", r.events);
            if let Some(h) = &r.last_hash {
                println!("last hash {h}");
            }
        } else {
            println!(
                "audit log INVALID at line {}: {}",
                r.first_bad_line.unwrap_or(0),
                r.reason.as_deref().unwrap_or("unknown problem")
            );
            println!(
                "{} events before it verified ({})",
                r.events,
                state.audit().display()
            );
        }
    }
    Ok(if r.valid {
        Outcome::Success
    } else {
        Outcome::Negative
    })
}

fn record(state: &StateDir, r: RecordArgs) -> anyhow::Result<Outcome> {
    let details = match &r.details {
        Some(d) => serde_json::from_str(d).context("--details is not JSON")?,
        None => serde_json::json!({}),
    };
    let log = AuditLog::open(state);
    let event = |i: usize| {
        let msg = if r.count > 1 {
            format!("{} #{i}", r.message)
        } else {
            r.message.clone()
        };
        let e = NewEvent::new(r.severity, r.category, msg).details(details.clone());
        match &r.group {
            Some(g) => e.group(g),
            None => e,
        }
    };
    let mut i = 1;
    while i <= r.count {
        let n = r.batch.max(1).min(r.count + 1 - i);
        log.record_batch((i..i + n).map(event).collect())?;
        i += n;
    }
    Ok(Outcome::Success)
}
