//! Discord's gateway, one connection per [`Discord::gateway`] call, as the
//! gateway documentation describes it: hello, then Identify (a new session)
//! or Resume (the session id and last sequence, on the session's
//! `resume_gateway_url`, so the gateway replays what was missed); heartbeats
//! with a random first delay and an ack check; op 7 (reconnect and resume),
//! op 9 (resume if `d` is true, else wait 1–5 s and identify afresh); close
//! codes 4004 and 4010–4014 stop the channel (retrying cannot fix them), 4007
//! and 4009 start a new session, the others resume. Identifies respect
//! `session_start_limit` and the 5-second identify rate.
//!
//! Why not `twilight-gateway` (0.18, measured here on the 2-core machine): it
//! adds 9 crates, among them a second websocket stack (`tokio-websockets`
//! beside the `tokio-tungstenite` Slack already needs) and `twilight-model`,
//! about 19 s of extra compile time in a debug build (10 s of it the model
//! crate, on the critical path), for a protocol whose gateway part is these
//! few hundred lines; and it would not cover the REST side (buckets, global
//! limit, `allowed_mentions`), which lives in `twilight-http`, heavier still.
//! The behaviour twilight would give is pinned instead by tests against a
//! fake gateway that speaks the documented protocol (resume replay, op 7/9,
//! close codes, identify budget).

use std::time::Duration;

use serde_json::{Value, json};
use tokio::time::Instant;

use super::discord::{Discord, KIND, to_inbound};
use super::retry::unit_random;
use super::ws::{Frame, Ws};
use super::{ChannelError, Link, StatusCell};

/// GUILD_MESSAGES | DIRECT_MESSAGES | MESSAGE_CONTENT (privileged: enable the
/// Message Content Intent in the developer portal).
pub const INTENTS: u64 = (1 << 9) | (1 << 12) | (1 << 15);

/// Discord allows one identify per 5 s (per `max_concurrency` bucket).
const IDENTIFY_GAP: Duration = Duration::from_secs(5);

/// What a resumable session needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: String,
    pub seq: Option<u64>,
    pub resume_url: String,
}

/// `GET /gateway/bot`: where to connect and how many identifies are left.
struct GatewayInfo {
    url: String,
    remaining: Option<u64>,
    reset_after: Duration,
}

fn svc(reason: impl Into<String>) -> ChannelError {
    ChannelError::Service {
        kind: KIND,
        reason: reason.into(),
    }
}

fn stopped(reason: &str) -> ChannelError {
    ChannelError::Stopped {
        kind: KIND,
        reason: reason.to_string(),
    }
}

fn with_query(url: &str) -> String {
    format!("{}/?v=10&encoding=json", url.trim_end_matches('/'))
}

/// What a close code means for the next connection: `Err` stops the channel,
/// `Ok(true)` resumes, `Ok(false)` identifies afresh.
pub fn close_verdict(code: Option<u16>) -> Result<bool, ChannelError> {
    match code {
        Some(4004) => Err(stopped(
            "Discord rejected the bot token (close code 4004, authentication failed): reset the token in the Discord developer portal, then `aigo channels remove discord` and add it again",
        )),
        Some(4010) => Err(stopped(
            "Discord refused the shard (close code 4010, invalid shard); aigo connects as one shard",
        )),
        Some(4011) => Err(stopped(
            "Discord requires sharding for this bot (close code 4011): it is in too many servers for one connection, which aigo does not support",
        )),
        Some(4012) => Err(stopped(
            "Discord refused the gateway API version (close code 4012): upgrade aigo",
        )),
        Some(4013) => Err(stopped(
            "Discord refused the intents (close code 4013, invalid intents): upgrade aigo",
        )),
        Some(4014) => Err(stopped(
            "Discord refused a privileged intent (close code 4014, disallowed intents): in the Discord developer portal open your application, Bot, Privileged Gateway Intents, turn on Message Content Intent, then restart the daemon (`aigo daemon`)",
        )),
        Some(4007 | 4009) => Ok(false),
        _ => Ok(true),
    }
}

impl Discord {
    fn session(&self) -> Option<Session> {
        self.session
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn set_session(&self, s: Option<Session>) {
        *self.session.lock().unwrap_or_else(|p| p.into_inner()) = s;
    }

    fn set_seq(&self, seq: u64) {
        if let Some(s) = self
            .session
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_mut()
        {
            s.seq = Some(seq);
        }
    }

    async fn gateway_info(&self) -> Result<GatewayInfo, ChannelError> {
        let r = self.get("gateway/bot").await?;
        let v = r.json().unwrap_or(Value::Null);
        match (r.status, v["url"].as_str()) {
            (200, Some(u)) => Ok(GatewayInfo {
                url: u.to_string(),
                remaining: v["session_start_limit"]["remaining"].as_u64(),
                reset_after: Duration::from_millis(
                    v["session_start_limit"]["reset_after"]
                        .as_u64()
                        .unwrap_or(0),
                ),
            }),
            (401 | 403, _) => Err(ChannelError::Unauthorized {
                kind: KIND,
                reason: super::discord::message(&v, r.status),
            }),
            (s, _) => Err(svc(format!(
                "gateway/bot: {}",
                super::discord::message(&v, s)
            ))),
        }
    }

    /// Waits until an identify is allowed: the daily budget and the 5-second gap.
    async fn identify_slot(&self, info: &GatewayInfo, link: &Link) -> Result<(), ChannelError> {
        if info.remaining == Some(0) {
            let why = format!(
                "Discord's identify budget (session_start_limit) is used up; waiting {}s for it to reset",
                info.reset_after.as_secs()
            );
            tracing::warn!(channel = %KIND, "{why}");
            link.status.record_error(&why);
            tokio::select! {
                () = link.cancel.cancelled() => return Err(svc("stopping")),
                () = tokio::time::sleep(info.reset_after) => {}
            }
        }
        let last = *self.last_identify.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(t) = last {
            tokio::time::sleep_until(t + IDENTIFY_GAP).await;
        }
        Ok(())
    }

    /// One gateway connection, until it fails (the session kept for a resume,
    /// or dropped) or a fatal close code stops the channel.
    pub(super) async fn gateway(&self, link: &Link) -> Result<(), ChannelError> {
        let mut bot = self.bot_identity().await?;
        let resume = self.session();
        let url = match &resume {
            Some(s) => with_query(&s.resume_url),
            None => {
                let info = self.gateway_info().await?;
                self.identify_slot(&info, link).await?;
                with_query(&info.url)
            }
        };
        let mut ws = Ws::connect(&url, Duration::from_secs(20))
            .await
            .map_err(svc)?;
        let interval = match ws.next_json().await.map_err(svc)? {
            Frame::Json(v) if v["op"] == 10 => {
                v["d"]["heartbeat_interval"].as_u64().unwrap_or(41_250)
            }
            Frame::Closed { code, why } => {
                close_verdict(code)?;
                return Err(svc(why));
            }
            _ => return Err(svc("the gateway did not say hello")),
        };
        match &resume {
            Some(s) => {
                tracing::info!(channel = %KIND, seq = ?s.seq, "resuming the gateway session");
                ws.send_json(&json!({"op": 6, "d": {
                    "token": self.token.expose(), "session_id": s.id, "seq": s.seq,
                }}))
                .await
                .map_err(svc)?
            }
            None => {
                *self.last_identify.lock().unwrap_or_else(|p| p.into_inner()) =
                    Some(Instant::now());
                ws.send_json(&json!({"op": 2, "d": {
                    "token": self.token.expose(),
                    "intents": INTENTS,
                    "properties": {"os": std::env::consts::OS, "browser": "aigo", "device": "aigo"},
                }}))
                .await
                .map_err(svc)?
            }
        }
        let every = Duration::from_millis(interval.max(100));
        // The first beat at a random point of the interval, so many clients
        // reconnecting together do not beat in step.
        let mut next_beat = Instant::now() + every.mul_f64(unit_random());
        let mut acked = true;
        loop {
            tokio::select! {
                () = tokio::time::sleep_until(next_beat) => {
                    // No ack since the last beat: a zombie connection; resume.
                    if !acked {
                        return Err(svc("the gateway stopped acknowledging heartbeats"));
                    }
                    acked = false;
                    next_beat += every;
                    let seq = self.session().and_then(|s| s.seq);
                    ws.send_json(&json!({"op": 1, "d": seq})).await.map_err(svc)?;
                }
                f = ws.next_json() => {
                    let v = match f.map_err(svc)? {
                        Frame::Json(v) => v,
                        Frame::Pong => continue,
                        Frame::Closed { code, why } => {
                            if !close_verdict(code)? {
                                self.set_session(None);
                            }
                            return Err(svc(why));
                        }
                    };
                    match v["op"].as_u64() {
                        Some(0) => {
                            if let Some(s) = v["s"].as_u64() {
                                self.set_seq(s);
                            }
                            match v["t"].as_str() {
                                Some("READY") => {
                                    let d = &v["d"];
                                    if let Some(id) = d["user"]["id"].as_str() {
                                        bot.id = id.to_string();
                                    }
                                    self.set_session(d["session_id"].as_str().map(|id| Session {
                                        id: id.to_string(),
                                        seq: v["s"].as_u64(),
                                        resume_url: d["resume_gateway_url"]
                                            .as_str()
                                            .unwrap_or(&url)
                                            .to_string(),
                                    }));
                                    link.status.set_connected(bot.clone());
                                }
                                Some("RESUMED") => {
                                    tracing::info!(channel = %KIND, "gateway session resumed");
                                    link.status.set_connected(bot.clone());
                                }
                                Some("MESSAGE_CREATE") => {
                                    if let Some(m) = to_inbound(&v["d"], &bot.id) {
                                        StatusCell::bump(&link.status.received);
                                        if link.inbound.send(m).await.is_err() {
                                            return Ok(());
                                        }
                                    }
                                }
                                _ => {}
                            }
                        }
                        Some(1) => {
                            let seq = self.session().and_then(|s| s.seq);
                            ws.send_json(&json!({"op": 1, "d": seq})).await.map_err(svc)?;
                        }
                        Some(7) => {
                            ws.close().await;
                            return Err(svc("the gateway asked for a reconnect (op 7); resuming"));
                        }
                        Some(9) => {
                            ws.close().await;
                            if v["d"] == true {
                                return Err(svc("the gateway invalidated the session (op 9, resumable); resuming"));
                            }
                            self.set_session(None);
                            // As documented: wait 1–5 s before identifying again.
                            let wait = Duration::from_millis(1000 + (unit_random() * 4000.0) as u64);
                            tokio::select! {
                                () = link.cancel.cancelled() => {}
                                () = tokio::time::sleep(wait) => {}
                            }
                            return Err(svc("the gateway invalidated the session (op 9); identifying again"));
                        }
                        Some(11) => acked = true,
                        _ => {}
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::close_verdict;

    #[test]
    fn fatal_close_codes_stop_and_the_others_resume_or_identify() {
        for code in [4004, 4010, 4011, 4012, 4013, 4014] {
            assert!(close_verdict(Some(code)).is_err(), "{code}");
        }
        assert!(
            close_verdict(Some(4014))
                .unwrap_err()
                .to_string()
                .contains("Message Content Intent")
        );
        assert!(!close_verdict(Some(4007)).unwrap());
        assert!(!close_verdict(Some(4009)).unwrap());
        assert!(close_verdict(Some(4000)).unwrap());
        assert!(close_verdict(None).unwrap());
    }
}
