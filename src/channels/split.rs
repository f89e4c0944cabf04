//! Splitting a long reply into messages a service accepts.

/// Splits `text` into pieces of at most `limit` UTF-16 units (Telegram counts
/// those; for Discord and Slack it is a safe over-count). A piece ends at the
/// last newline, else the last space, in its second half; else it is cut hard
/// at a character boundary. Nothing is lost but the whitespace a break replaces.
pub fn split_message(text: &str, limit: usize) -> Vec<String> {
    let limit = limit.max(2); // a surrogate pair must fit
    let mut out = Vec::new();
    let mut rest = text;
    loop {
        // Byte index of the first char that no longer fits, if any.
        let mut used = 0;
        let mut overflow = None;
        for (i, c) in rest.char_indices() {
            if used + c.len_utf16() > limit {
                overflow = Some(i);
                break;
            }
            used += c.len_utf16();
        }
        let Some(end) = overflow else {
            if !rest.is_empty() || out.is_empty() {
                out.push(rest.to_string());
            }
            return out;
        };
        let window = &rest[..end];
        let half = window.len() / 2;
        let cut = window
            .rfind('\n')
            .filter(|&i| i >= half && i > 0)
            .or_else(|| window.rfind(' ').filter(|&i| i >= half && i > 0));
        match cut {
            Some(i) => {
                out.push(window[..i].to_string());
                rest = &rest[i + 1..];
            }
            None => {
                out.push(window.to_string());
                rest = &rest[end..];
            }
        }
    }
}

#[cfg(test)]
fn units(s: &str) -> usize {
    s.encode_utf16().count()
}

#[cfg(test)]
mod tests {
    use super::{split_message, units};

    #[test]
    fn short_text_is_one_piece() {
        assert_eq!(split_message("hi", 10), vec!["hi"]);
        assert_eq!(split_message("", 10), vec![""]);
    }

    #[test]
    fn breaks_at_newlines_then_spaces_then_hard() {
        assert_eq!(split_message("aaaa\nbbbb", 6), vec!["aaaa", "bbbb"]);
        assert_eq!(split_message("aaaa bbbb", 6), vec!["aaaa", "bbbb"]);
        assert_eq!(split_message("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
    }

    #[test]
    fn every_piece_fits_and_multibyte_text_survives() {
        let text = "héllo wörld 🎉 ".repeat(900);
        for limit in [4096, 2000, 7] {
            let parts = split_message(&text, limit);
            assert!(parts.iter().all(|p| units(p) <= limit));
            let joined: String = parts.concat();
            let squeeze = |s: &str| s.split_whitespace().collect::<String>();
            assert_eq!(squeeze(&joined), squeeze(&text));
        }
    }
}
