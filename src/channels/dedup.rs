//! A bounded memory of recently seen ids, for services that deliver an event
//! more than once (Slack's `message` + `app_mention`, Meta's webhook retries).

use std::collections::{HashSet, VecDeque};
use std::sync::Mutex;

/// The last `cap` keys, oldest forgotten first.
#[derive(Debug)]
pub struct Recent {
    cap: usize,
    inner: Mutex<(VecDeque<String>, HashSet<String>)>,
}

impl Recent {
    pub fn new(cap: usize) -> Self {
        Self {
            cap: cap.max(1),
            inner: Mutex::new((VecDeque::new(), HashSet::new())),
        }
    }

    /// True the first time `key` is seen (within the last `cap` keys).
    pub fn first(&self, key: &str) -> bool {
        let mut g = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let (order, set) = &mut *g;
        if !set.insert(key.to_string()) {
            return false;
        }
        order.push_back(key.to_string());
        if order.len() > self.cap
            && let Some(old) = order.pop_front()
        {
            set.remove(&old);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::Recent;

    #[test]
    fn remembers_the_last_keys_only() {
        let r = Recent::new(2);
        assert!(r.first("a"));
        assert!(!r.first("a"));
        assert!(r.first("b"));
        assert!(r.first("c"));
        assert!(r.first("a"), "forgotten after two newer keys");
    }
}
