//! One cron field: its bounds and names, the parsed value set (a bitmask) and
//! the items it was written as (kept for plain-words descriptions).

use super::CronError;

/// One field's bounds, names and label.
pub(crate) struct FieldSpec {
    pub(crate) name: &'static str,
    min: u8,
    max: u8,
    names: &'static [&'static str],
    /// The first name's value (JAN = 1, SUN = 0).
    names_from: u8,
}

pub(crate) const MINUTE: FieldSpec = spec("minute", 0, 59, &[], 0);
pub(crate) const HOUR: FieldSpec = spec("hour", 0, 23, &[], 0);
pub(crate) const DOM: FieldSpec = spec("day-of-month", 1, 31, &[], 0);
const MONTHS: &[&str] = &[
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
pub(crate) const MONTH: FieldSpec = spec("month", 1, 12, MONTHS, 1);
const DAYS: &[&str] = &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
// 7 is accepted as Sunday and folded onto 0 after parsing.
pub(crate) const DOW: FieldSpec = spec("day-of-week", 0, 7, DAYS, 0);

const fn spec(
    name: &'static str,
    min: u8,
    max: u8,
    names: &'static [&'static str],
    names_from: u8,
) -> FieldSpec {
    FieldSpec {
        name,
        min,
        max,
        names,
        names_from,
    }
}

/// One comma-separated item of a field, kept for plain-words descriptions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item {
    /// `*` or `*/step`.
    All { step: u8 },
    /// `a`, `a-b`, `a-b/step`, `a/step` (then `b` is the field's max).
    Range { from: u8, to: u8, step: u8 },
}

/// A parsed field: the set of allowed values as a bitmask plus the items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub bits: u64,
    pub items: Vec<Item>,
    /// The field began with `*` (used by the day-of-month/day-of-week rule).
    pub star: bool,
}

impl Field {
    pub fn contains(&self, v: u8) -> bool {
        self.bits & (1u64 << v) != 0
    }
    pub fn values(&self) -> impl Iterator<Item = u8> + '_ {
        (0u8..64).filter(|v| self.contains(*v))
    }
    /// The single value when the field allows exactly one.
    pub fn single(&self) -> Option<u8> {
        (self.bits.count_ones() == 1).then(|| self.bits.trailing_zeros() as u8)
    }
}

pub(crate) fn parse_field(text: &str, f: &FieldSpec) -> Result<Field, CronError> {
    let mut bits = 0u64;
    let mut items = Vec::new();
    for part in text.split(',') {
        let item = parse_item(part, f)?;
        let (from, to, step) = match item {
            Item::All { step } => (f.min, f.max, step),
            Item::Range { from, to, step } => (from, to, step),
        };
        let mut v = from;
        while v <= to {
            bits |= 1u64 << v;
            v = match v.checked_add(step) {
                Some(n) => n,
                None => break,
            };
        }
        items.push(item);
    }
    Ok(Field {
        bits,
        items,
        star: text.starts_with('*'),
    })
}

fn parse_item(part: &str, f: &FieldSpec) -> Result<Item, CronError> {
    let err = |msg: String| CronError::new(Some(f.name), msg);
    if part.is_empty() {
        return Err(err("empty list item (two commas in a row?)".into()));
    }
    let (base, step) = match part.split_once('/') {
        Some((b, s)) => {
            let step: u8 = s.parse().map_err(|_| {
                err(format!(
                    "step {s:?} in {part:?} is not a number; expected e.g. */15"
                ))
            })?;
            if step == 0 || step > f.max {
                return Err(err(format!(
                    "step {step} in {part:?} is out of range (expected 1-{})",
                    f.max
                )));
            }
            (b, Some(step))
        }
        None => (part, None),
    };
    if base == "*" {
        return Ok(Item::All {
            step: step.unwrap_or(1),
        });
    }
    let (from, to) = match base.split_once('-') {
        Some((a, b)) => (value(a, f)?, value(b, f)?),
        None => {
            let a = value(base, f)?;
            // `a/n` means "from a to the end, every n" (Vixie cron).
            (a, if step.is_some() { f.max } else { a })
        }
    };
    if from > to {
        return Err(err(format!(
            "range {base:?} runs backwards; write the smaller value first"
        )));
    }
    Ok(Item::Range {
        from,
        to,
        step: step.unwrap_or(1),
    })
}

fn value(text: &str, f: &FieldSpec) -> Result<u8, CronError> {
    let range = || {
        let mut s = format!("{}-{}", f.min, f.max);
        if !f.names.is_empty() {
            s.push_str(&format!(
                " or {}-{}",
                f.names[0],
                f.names[f.names.len() - 1]
            ));
        }
        s
    };
    if let Ok(n) = text.parse::<u32>() {
        if n < u32::from(f.min) || n > u32::from(f.max) {
            return Err(CronError::new(
                Some(f.name),
                format!("{n} is out of range (expected {})", range()),
            ));
        }
        return Ok(n as u8);
    }
    let upper = text.to_ascii_uppercase();
    if let Some(i) = f.names.iter().position(|n| *n == upper) {
        return Ok(f.names_from + i as u8);
    }
    Err(CronError::new(
        Some(f.name),
        format!("{text:?} is not a valid value (expected {})", range()),
    ))
}
