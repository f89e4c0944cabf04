//! The one mapping from how a run ended to what its callers report: the
//! schedule log entry `{status, result, error}` (the agent's reply as result)
//! and whether `aigo run` exits 0.

use super::{RunRecord, RunState};
use crate::schedule::{RunOutcome, RunStatus};

impl RunRecord {
    /// Whether the agent did its job: it finished by itself or when the host
    /// closed it, with no failed turn or runner error, and either answered or
    /// exited 0.
    pub fn succeeded(&self) -> bool {
        let answered = self.error.is_none() && self.turns > 0;
        match self.state {
            RunState::Exited => answered || (self.error.is_none() && self.exit_code == Some(0)),
            // Closed for silence: only a success if it had answered before.
            RunState::IdleTimeout => answered,
            _ => false,
        }
    }

    /// What went wrong, in words (`None` when it succeeded).
    pub fn failure(&self) -> Option<String> {
        if self.succeeded() {
            return None;
        }
        Some(
            self.error
                .clone()
                .or_else(|| self.reason.clone())
                .unwrap_or_else(|| match self.state {
                    RunState::IdleTimeout => "closed when idle before the agent answered".into(),
                    _ => format!("the run {}", self.state),
                }),
        )
    }

    /// The schedule log's view of this run.
    pub fn outcome(&self) -> RunOutcome {
        let status = match self.state {
            _ if self.succeeded() => RunStatus::Success,
            RunState::Timeout | RunState::IdleTimeout => RunStatus::Timeout,
            RunState::Stopped | RunState::Interrupted => RunStatus::Interrupted,
            RunState::Running | RunState::Exited | RunState::Failed | RunState::Refused => {
                RunStatus::Error
            }
        };
        RunOutcome {
            status,
            result: self.result.clone(),
            error: self.failure(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runs::RunMode;

    fn rec(state: RunState, turns: u32, exit: Option<i64>, error: Option<&str>) -> RunRecord {
        RunRecord {
            schema_version: 1,
            id: "r".into(),
            group: "main".into(),
            session: "s".into(),
            image: "i".into(),
            container: "c".into(),
            container_id: None,
            owner: "daemon".into(),
            started_at: jiff::Timestamp::UNIX_EPOCH,
            ended_at: None,
            exit_code: exit,
            state,
            reason: Some("why".into()),
            binds: vec![],
            mode: RunMode::OneShot,
            chat_jid: None,
            turns,
            result: (turns > 0).then(|| "the reply".to_string()),
            error: error.map(str::to_string),
            agent_session: None,
            caller: None,
            mappings: Vec::new(),
        }
    }

    #[test]
    fn every_ending_maps_to_one_log_status() {
        use RunStatus::*;
        let cases = [
            (rec(RunState::Exited, 1, Some(0), None), Success),
            (
                rec(RunState::Exited, 1, Some(0), Some("rate limited")),
                Error,
            ),
            (rec(RunState::Exited, 0, Some(1), None), Error),
            (rec(RunState::IdleTimeout, 2, Some(0), None), Success),
            (rec(RunState::IdleTimeout, 0, Some(0), None), Timeout),
            (rec(RunState::Timeout, 0, Some(143), None), Timeout),
            (rec(RunState::Stopped, 0, Some(143), None), Interrupted),
            (rec(RunState::Interrupted, 0, None, None), Interrupted),
            (rec(RunState::Refused, 0, None, None), Error),
            (rec(RunState::Failed, 0, None, None), Error),
        ];
        for (r, want) in cases {
            let o = r.outcome();
            assert_eq!(o.status, want, "{:?}", r.state);
            assert_eq!(o.error.is_none(), want == Success, "{:?}", r.state);
        }
        let ok = rec(RunState::Exited, 1, Some(0), None).outcome();
        assert_eq!(ok.result.as_deref(), Some("the reply"));
        let bad = rec(RunState::Exited, 1, Some(0), Some("rate limited")).outcome();
        assert_eq!(bad.error.as_deref(), Some("rate limited"));
    }
}
