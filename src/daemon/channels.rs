//! Chat channels inside the daemon: the hub as a component, and the inbound
//! sink that turns an accepted chat message into a follow-up for the group's
//! running session or a new run.

use std::sync::Arc;

use tokio_util::sync::CancellationToken;

use crate::channels::{InboundMessage, InboundSink};
use crate::ctx::Ctx;
use crate::groups::Group;
use crate::ipc::BoxFut;
use crate::runs::{self, RunRequest, RunState};

/// Follow-up into the group's running session (newest first), else a new run
/// with the message as prompt, owned by the daemon.
pub struct RunInbound {
    pub ctx: Arc<Ctx>,
    pub cancel: CancellationToken,
}

impl InboundSink for RunInbound {
    fn deliver<'a>(
        &'a self,
        group: &'a Group,
        msg: &'a InboundMessage,
    ) -> BoxFut<'a, Result<String, String>> {
        Box::pin(async move {
            let det = self.ctx.runtime().await;
            let docker = runs::docker_of(det.runtime.as_ref(), &det.status.message)
                .map_err(|e| e.to_string())?;
            let history = runs::reconciled_history(&self.ctx.state, Some(&docker))
                .await
                .map_err(|e| e.to_string())?;
            let running = history
                .iter()
                .filter(|r| r.group == group.name && r.state == RunState::Running)
                .max_by_key(|r| r.started_at);
            if let Some(r) = running {
                let dirs = crate::ipc::session_dirs(&self.ctx.state, &group.name, &r.session)
                    .map_err(|e| e.to_string())?;
                crate::ipc::send(&dirs, &msg.text, &msg.sender_label())
                    .map_err(|e| e.to_string())?;
                return Ok(format!("follow-up to run {} (session {})", r.id, r.session));
            }
            let req = RunRequest {
                group: group.name.clone(),
                session: None,
                prompt: msg.text.clone(),
                mounts: Vec::new(),
                timeout: None,
                idle_timeout: None,
                image: None,
                chat_jid: Some(msg.chat_jid.clone()),
                owner: "daemon".into(),
            };
            let config = self.ctx.config();
            let handle = runs::start(
                &self.ctx.state,
                &config,
                &self.ctx.mounts(),
                &self.ctx.audit,
                &docker,
                &req,
            )
            .await
            .map_err(|e| e.to_string())?;
            let id = handle.record.id.clone();
            let (c, cancel) = (self.ctx.clone(), self.cancel.child_token());
            self.ctx.tasks.spawn(async move {
                runs::execute(&c.state, &c.audit, handle, cancel).await;
            });
            Ok(format!("started run {id}"))
        })
    }
}
