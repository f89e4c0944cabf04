//! `.dockerignore` matching, as the Docker CLI does it: patterns are paths relative to the
//! context root with `*`, `?` and `**` (any number of directories); `!` re-includes; the last
//! matching pattern wins; a pattern that matches a directory excludes everything under it.

#[derive(Debug, Default, Clone)]
pub struct Ignore {
    /// `(negated, pattern segments)`, in file order.
    rules: Vec<(bool, Vec<String>)>,
}

impl Ignore {
    pub fn parse(text: &str) -> Self {
        let rules = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .filter_map(|l| {
                let (neg, pat) = match l.strip_prefix('!') {
                    Some(p) => (true, p.trim()),
                    None => (false, l),
                };
                let segs: Vec<String> = pat
                    .split('/')
                    .filter(|s| !s.is_empty() && *s != ".")
                    .map(str::to_string)
                    .collect();
                (!segs.is_empty()).then_some((neg, segs))
            })
            .collect();
        Self { rules }
    }

    /// Whether some rule re-includes paths: then excluded directories must still be walked.
    pub fn has_negations(&self) -> bool {
        self.rules.iter().any(|(neg, _)| *neg)
    }

    /// Whether `path` (relative, `/`-separated) is excluded from the context.
    pub fn excluded(&self, path: &str) -> bool {
        let segs: Vec<&str> = path.split('/').collect();
        let mut out = false;
        for (neg, pat) in &self.rules {
            // A match on the path itself or on any parent directory.
            if (1..=segs.len()).any(|n| match_segs(pat, &segs[..n])) {
                out = !neg;
            }
        }
        out
    }
}

fn match_segs(pat: &[String], path: &[&str]) -> bool {
    match pat.split_first() {
        None => path.is_empty(),
        Some((p, rest)) if p == "**" => (0..=path.len()).any(|i| match_segs(rest, &path[i..])),
        Some((p, rest)) => match path.split_first() {
            Some((s, prest)) => match_one(p.as_bytes(), s.as_bytes()) && match_segs(rest, prest),
            None => false,
        },
    }
}

/// One path segment against `*` / `?` (no `/` inside a segment).
fn match_one(p: &[u8], s: &[u8]) -> bool {
    match (p.first(), s.first()) {
        (None, None) => true,
        (Some(b'*'), _) => match_one(&p[1..], s) || (!s.is_empty() && match_one(p, &s[1..])),
        (Some(b'?'), Some(_)) => match_one(&p[1..], &s[1..]),
        (Some(b'\\'), Some(c)) if p.get(1) == Some(c) => match_one(&p[2..], &s[1..]),
        (Some(a), Some(b)) if a == b => match_one(&p[1..], &s[1..]),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::Ignore;

    #[test]
    fn dockerignore_semantics() {
        let i = Ignore::parse("# comment\nnode_modules\n*.log\n!keep.log\n**/tmp\n/build/*.o\n");
        assert!(i.excluded("node_modules"));
        assert!(i.excluded("node_modules/a/b.js"));
        assert!(i.excluded("x.log"));
        assert!(!i.excluded("keep.log"));
        assert!(!i.excluded("sub/x.log"), "* does not cross directories");
        assert!(i.excluded("a/b/tmp/c"));
        assert!(i.excluded("build/main.o"));
        assert!(!i.excluded("src/main.rs"));
        assert!(i.has_negations());
    }
}
