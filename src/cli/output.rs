//! Rendering helpers shared by the command groups.

use std::io::IsTerminal;

use serde::Serialize;

/// Prints `value` as the API would return it (pretty, camelCase).
pub fn print_json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// Prints `value` as one compact JSON line (a stream of events).
pub fn print_json_line<T: Serialize>(value: &T) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", serde_json::to_string(value)?)?;
    out.flush()?;
    Ok(())
}

/// A table with the house style: box-drawing borders in a terminal, plain
/// space-aligned columns (no borders, no wrapping) when piped, so `grep`, `awk`
/// and `cut` see one row per line.
pub fn table(header: &[&str]) -> comfy_table::Table {
    let mut t = comfy_table::Table::new();
    if std::io::stdout().is_terminal() {
        t.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(comfy_table::ContentArrangement::Dynamic);
    } else {
        t.load_preset(comfy_table::presets::NOTHING)
            .set_content_arrangement(comfy_table::ContentArrangement::Disabled);
    }
    t.set_header(header.to_vec());
    t
}

/// Prints one id per line (`-q`): for `xargs` and shell loops.
pub fn print_ids<I: IntoIterator<Item = S>, S: std::fmt::Display>(ids: I) {
    for id in ids {
        println!("{id}");
    }
}
