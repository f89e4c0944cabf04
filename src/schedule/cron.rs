//! The 5-field cron expression: parsing and matching civil (wall-clock) times.
//!
//! Fields are `minute hour day-of-month month day-of-week`, each `*`, a number,
//! a name (`JAN`–`DEC`, `SUN`–`SAT`), a range `a-b`, a step `*/n`, `a-b/n` or
//! `a/n` (= `a-max/n`), or a comma list of those. Sunday is 0 and 7. As in
//! Vixie cron, when both day fields are restricted (neither starts with `*`) a
//! day matches if EITHER matches; otherwise both must. Macros `@hourly`,
//! `@daily`/`@midnight`, `@weekly`, `@monthly`, `@yearly`/`@annually` expand to
//! their 5-field forms. Time zones live in `next.rs`; this file is zone-free.

use jiff::civil::{Date, DateTime};

use super::CronError;
use super::field::{DOM, DOW, HOUR, MINUTE, MONTH, parse_field};
pub use super::field::{Field, Item};

/// A parsed cron expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CronExpr {
    pub minute: Field,
    pub hour: Field,
    pub dom: Field,
    pub month: Field,
    pub dow: Field,
    /// The expression as given (macros included).
    pub source: String,
}

impl CronExpr {
    pub fn parse(text: &str) -> Result<Self, CronError> {
        let src = text.trim();
        if src.is_empty() {
            return Err(CronError::new(
                None,
                "the expression is empty; expected 5 fields: minute hour day-of-month month day-of-week",
            ));
        }
        let expanded = if src.starts_with('@') {
            macro_expansion(src)?
        } else {
            src
        };
        let parts: Vec<&str> = expanded.split_whitespace().collect();
        if parts.len() != 5 {
            let hint = if parts.len() == 6 {
                " (aigo cron has no seconds field)"
            } else {
                ""
            };
            return Err(CronError::new(
                None,
                format!(
                    "expected 5 fields (minute hour day-of-month month day-of-week), found {}{hint}",
                    parts.len()
                ),
            ));
        }
        let mut dow = parse_field(parts[4], &DOW)?;
        if dow.contains(7) {
            dow.bits = (dow.bits & !(1 << 7)) | 1;
        }
        let expr = Self {
            minute: parse_field(parts[0], &MINUTE)?,
            hour: parse_field(parts[1], &HOUR)?,
            dom: parse_field(parts[2], &DOM)?,
            month: parse_field(parts[3], &MONTH)?,
            dow,
            source: src.to_string(),
        };
        expr.check_reachable()?;
        Ok(expr)
    }

    /// Both day fields restricted: the OR rule applies.
    pub fn days_or(&self) -> bool {
        !self.dom.star && !self.dow.star
    }

    /// Whether `date` is a firing day.
    pub fn day_matches(&self, date: Date) -> bool {
        if !self.month.contains(date.month() as u8) {
            return false;
        }
        let dom = self.dom.contains(date.day() as u8);
        let dow = self
            .dow
            .contains(date.weekday().to_sunday_zero_offset() as u8);
        if self.days_or() {
            dom || dow
        } else {
            dom && dow
        }
    }

    pub fn matches(&self, dt: DateTime) -> bool {
        self.day_matches(dt.date())
            && self.hour.contains(dt.hour() as u8)
            && self.minute.contains(dt.minute() as u8)
    }

    /// An expression whose days exist in no allowed month (`0 0 30 2 *`) never fires.
    fn check_reachable(&self) -> Result<(), CronError> {
        // Only "restricted day-of-month AND any weekday" can name days that never come.
        if self.dom.star || !self.dow.star {
            return Ok(());
        }
        let ok = self
            .month
            .values()
            .any(|m| self.dom.values().any(|d| d <= max_days(m)));
        if ok {
            Ok(())
        } else {
            Err(CronError::new(
                Some(DOM.name),
                format!(
                    "the expression never fires: no chosen day ({}) exists in the chosen months",
                    list(self.dom.values())
                ),
            ))
        }
    }
}

/// The most days month `m` ever has (February: 29).
pub fn max_days(m: u8) -> u8 {
    match m {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn list(vals: impl Iterator<Item = u8>) -> String {
    vals.map(|v| v.to_string()).collect::<Vec<_>>().join(",")
}

fn macro_expansion(src: &str) -> Result<&'static str, CronError> {
    Ok(match src.to_ascii_lowercase().as_str() {
        "@hourly" => "0 * * * *",
        "@daily" | "@midnight" => "0 0 * * *",
        "@weekly" => "0 0 * * 0",
        "@monthly" => "0 0 1 * *",
        "@yearly" | "@annually" => "0 0 1 1 *",
        _ => {
            return Err(CronError::new(
                None,
                format!(
                    "unknown macro {src:?}; expected @hourly, @daily, @midnight, @weekly, @monthly, @yearly or @annually"
                ),
            ));
        }
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parses_fields() {
        let e = CronExpr::parse("*/15 9-17 1,15 JAN-mar mon-fri").unwrap();
        assert_eq!(e.minute.values().collect::<Vec<_>>(), vec![0, 15, 30, 45]);
        assert_eq!(e.hour.values().count(), 9);
        assert_eq!(e.month.values().collect::<Vec<_>>(), vec![1, 2, 3]);
        assert_eq!(e.dow.values().collect::<Vec<_>>(), vec![1, 2, 3, 4, 5]);
        assert!(e.days_or());
    }

    #[test]
    fn sunday_is_0_and_7() {
        let a = CronExpr::parse("0 0 * * 0").unwrap();
        let b = CronExpr::parse("0 0 * * 7").unwrap();
        let c = CronExpr::parse("0 0 * * 5-7").unwrap();
        assert_eq!(a.dow.bits, b.dow.bits);
        assert_eq!(c.dow.values().collect::<Vec<_>>(), vec![0, 5, 6]);
    }

    #[test]
    fn refuses_with_field() {
        let e = CronExpr::parse("61 * * * *").unwrap_err();
        assert_eq!(e.field, Some("minute"));
        assert!(e.message.contains("0-59"), "{e}");
        assert!(CronExpr::parse("* * *").is_err());
        assert!(
            CronExpr::parse("0 * * * * *")
                .unwrap_err()
                .message
                .contains("seconds")
        );
        assert!(CronExpr::parse("").is_err());
        assert!(CronExpr::parse("0 0 30 2 *").is_err());
        assert!(CronExpr::parse("5-1 * * * *").is_err());
        assert!(CronExpr::parse("*/0 * * * *").is_err());
        assert!(CronExpr::parse("@often").is_err());
    }
}
