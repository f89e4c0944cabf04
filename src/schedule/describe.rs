//! Plain-words readings of schedules: "at 09:00 on Monday through Friday".

use super::cron::{CronExpr, Field};
use super::next::{Timing, Trigger};
use super::timeparse::zone_name;

const DAY_NAMES: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
pub(super) const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

pub fn describe(timing: &Timing) -> String {
    match &timing.trigger {
        Trigger::Cron(e) => describe_cron(e),
        Trigger::Interval { ms } => format!("every {}", spell_ms(*ms)),
        Trigger::Once { at } => format!(
            "once, at {} ({})",
            timing.tz.to_datetime(*at).strftime("%Y-%m-%d %H:%M"),
            zone_name(&timing.tz)
        ),
    }
}

pub fn describe_cron(e: &CronExpr) -> String {
    let time = describe_time(e);
    let days = describe_days(e);
    let all_months = e.month.values().count() == 12;
    // "every 15 minutes" needs no "every day"; "at 09:00" does.
    let repeats_daily = time.starts_with("every");
    let mut parts = vec![time];
    if days.is_empty() {
        if !repeats_daily {
            parts.push("every day".into());
        }
    } else {
        parts.push(days);
    }
    if !all_months {
        parts.push(format!(
            "in {}",
            runs(&e.month.values().collect::<Vec<_>>(), |m| {
                MONTH_NAMES[usize::from(m) - 1].to_string()
            })
        ));
    }
    parts.join(" ")
}

fn hhmm(h: u8, m: u8) -> String {
    format!("{h:02}:{m:02}")
}

fn describe_time(e: &CronExpr) -> String {
    let minutes: Vec<u8> = e.minute.values().collect();
    let hours: Vec<u8> = e.hour.values().collect();
    if minutes.len() * hours.len() <= 4 || (minutes.len() == 1 && hours.len() <= 6) {
        let times: Vec<String> = hours
            .iter()
            .flat_map(|h| minutes.iter().map(move |m| hhmm(*h, *m)))
            .collect();
        return format!("at {}", join_and(&times));
    }
    let minute_part = if minutes.len() == 60 {
        "every minute".to_string()
    } else if let Some(step) = uniform_step(&e.minute) {
        format!("every {step} minutes")
    } else if minutes.len() == 1 && minutes[0] == 0 {
        "on the hour".to_string()
    } else if minutes.len() == 1 {
        format!("at minute {}", minutes[0])
    } else {
        format!("at minutes {}", join_and(&strs(&minutes)))
    };
    if hours.len() == 24 {
        return if minute_part == "on the hour" {
            "every hour, on the hour".into()
        } else if minutes.len() == 1 {
            format!("{minute_part} of every hour")
        } else {
            minute_part
        };
    }
    format!("{minute_part} during {}", hour_windows(&hours))
}

/// Hours as wall-clock windows: `9-17` is "09:00–17:59".
fn hour_windows(hours: &[u8]) -> String {
    let mut out = Vec::new();
    let mut i = 0;
    while i < hours.len() {
        let mut j = i;
        while j + 1 < hours.len() && hours[j + 1] == hours[j] + 1 {
            j += 1;
        }
        out.push(format!("{:02}:00–{:02}:59", hours[i], hours[j]));
        i = j + 1;
    }
    join_and(&out)
}

/// `*/n` (or `0-59/n`) starting at 0: "every n minutes".
fn uniform_step(f: &Field) -> Option<u8> {
    match f.items.as_slice() {
        [super::cron::Item::All { step }] if *step > 1 => Some(*step),
        [super::cron::Item::Range { from: 0, to, step }] if *to > 59 - *step && *step > 1 => {
            Some(*step)
        }
        _ => None,
    }
}

fn describe_days(e: &CronExpr) -> String {
    let doms: Vec<u8> = e.dom.values().collect();
    let dows: Vec<u8> = e.dow.values().collect();
    let dom_all = doms.len() == 31;
    let dow_all = dows.len() == 7;
    let dom_text = || {
        if doms.len() == 1 {
            format!("on day {} of the month", doms[0])
        } else {
            format!("on days {} of the month", runs(&doms, |d| d.to_string()))
        }
    };
    let dow_text = || runs(&dows, |d| DAY_NAMES[usize::from(d)].to_string());
    match (dom_all, dow_all) {
        (true, true) => String::new(),
        // Either-day rule with one side covering every day: every day matches.
        _ if e.days_or() && (dom_all || dow_all) => String::new(),
        (true, false) => format!("on {}", dow_text()),
        (false, true) => dom_text(),
        (false, false) if e.days_or() => format!("{} or on {}", dom_text(), dow_text()),
        (false, false) => format!("{} if it is also a {}", dom_text(), dow_text()),
    }
}

/// "1 through 5", "Monday, Wednesday and Friday", "1 through 7 and 15".
fn runs(values: &[u8], name: impl Fn(u8) -> String) -> String {
    let mut out = Vec::new();
    let mut i = 0;
    while i < values.len() {
        let mut j = i;
        while j + 1 < values.len() && values[j + 1] == values[j] + 1 {
            j += 1;
        }
        if j - i >= 2 {
            out.push(format!("{} through {}", name(values[i]), name(values[j])));
        } else {
            out.extend(values[i..=j].iter().map(|v| name(*v)));
        }
        i = j + 1;
    }
    join_and(&out)
}

fn strs(v: &[u8]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

pub(crate) fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// "30 minutes", "1 hour 30 minutes", "1500 milliseconds".
pub fn spell_ms(ms: u64) -> String {
    if !ms.is_multiple_of(1000) || ms == 0 {
        return format!("{ms} milliseconds");
    }
    let mut secs = ms / 1000;
    let mut out = Vec::new();
    for (unit, size) in [
        ("day", 86_400),
        ("hour", 3_600),
        ("minute", 60),
        ("second", 1),
    ] {
        if secs >= size {
            let n = secs / size;
            out.push(format!("{n} {unit}{}", if n == 1 { "" } else { "s" }));
            secs %= size;
        }
    }
    out.join(" ")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(s: &str) -> String {
        describe_cron(&CronExpr::parse(s).unwrap())
    }

    #[test]
    fn readings() {
        assert_eq!(d("0 9 * * 1-5"), "at 09:00 on Monday through Friday");
        assert_eq!(d("*/15 * * * *"), "every 15 minutes");
        assert_eq!(d("0 * * * *"), "every hour, on the hour");
        assert_eq!(d("*/5 9-17 * * *"), "every 5 minutes during 09:00–17:59");
        assert_eq!(d("30 9,17 * * *"), "at 09:30 and 17:30 every day");
        assert_eq!(d("0 0 1 * *"), "at 00:00 on day 1 of the month");
        assert_eq!(
            d("0 12 1,15 * MON"),
            "at 12:00 on days 1 and 15 of the month or on Monday"
        );
        assert_eq!(
            d("0 0 29 2 *"),
            "at 00:00 on day 29 of the month in February"
        );
        assert_eq!(
            d("*/10 9-17 * * 1,3,5"),
            "every 10 minutes during 09:00–17:59 on Monday, Wednesday and Friday"
        );
        assert_eq!(d("0 9 1-31 * MON"), "at 09:00 every day");
        assert_eq!(spell_ms(5_400_000), "1 hour 30 minutes");
    }
}
