//! Images on a Docker-API engine: build from a streamed tar context (BuildKit on Docker,
//! the classic builder's `POST /build` on Podman; labels in the `labels` parameter either
//! way), inspect, remove.

use std::collections::HashMap;

use bollard::query_parameters::BuildImageOptionsBuilder;
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use tokio::sync::mpsc;

use super::{DockerEngine, fail};
use crate::runtime::{Backend, BuildMessage, BuildOptions, ContextStream, EngineError, ImageInfo};

impl DockerEngine {
    /// Starts a build; its messages arrive on the returned stream, which ends when the
    /// engine is done. Dropping the stream abandons the build (the engine stops it when
    /// its client goes away). Docker builds with BuildKit (labels without a step of their
    /// own, see `buildkit.rs`); Podman's Docker API has only the classic builder.
    pub fn build_image(
        &self,
        opts: BuildOptions,
        context: ContextStream,
    ) -> BoxStream<'static, Result<BuildMessage, EngineError>> {
        if self.backend() == Backend::Docker {
            return self.build_buildkit(opts, context);
        }
        self.build_classic(opts, context)
    }

    fn build_classic(
        &self,
        opts: BuildOptions,
        context: ContextStream,
    ) -> BoxStream<'static, Result<BuildMessage, EngineError>> {
        let docker = self.client().clone();
        let b = self.backend();
        let (tx, rx) = mpsc::channel(16);
        // bollard's stream borrows the client: drive it on a task of its own that owns one.
        tokio::spawn(async move {
            let args: HashMap<String, String> = opts.build_args.into_iter().collect();
            let labels: HashMap<String, String> = opts.labels.into_iter().collect();
            let q = BuildImageOptionsBuilder::new()
                .dockerfile(&opts.dockerfile)
                .t(&opts.tag)
                .nocache(opts.no_cache)
                .rm(true)
                .forcerm(true)
                .buildargs(&args)
                .labels(&labels)
                .build();
            let mut stream = docker.build_image(q, None, Some(bollard::body_try_stream(context)));
            loop {
                let item = tokio::select! {
                    () = tx.closed() => return,
                    item = stream.next() => item,
                };
                let Some(item) = item else { return };
                let msgs = match item {
                    Ok(info) => {
                        let mut v = Vec::new();
                        if let Some(text) = info.stream {
                            v.push(Ok(BuildMessage::Output(text)));
                        }
                        if let Some(status) = info.status {
                            v.push(Ok(BuildMessage::Status(match info.id {
                                Some(id) => format!("{id}: {status}"),
                                None => status,
                            })));
                        }
                        if let Some(id) = info.aux.and_then(|a| a.id) {
                            v.push(Ok(BuildMessage::ImageId(id)));
                        }
                        v
                    }
                    Err(e) => vec![Err(fail(b, "build the image", &opts.tag, e))],
                };
                for m in msgs {
                    let stop = m.is_err();
                    if tx.send(m).await.is_err() || stop {
                        return;
                    }
                }
            }
        });
        futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|m| (m, rx)) })
            .boxed()
    }

    pub async fn remove_image(&self, tag: &str) -> Result<(), EngineError> {
        let opts = bollard::query_parameters::RemoveImageOptionsBuilder::new()
            .force(true)
            .build();
        match self.client().remove_image(tag, Some(opts), None).await {
            Ok(_) => Ok(()),
            Err(e) => match fail(self.backend(), "remove the image", tag, e) {
                EngineError::NotFound { .. } => Ok(()),
                other => Err(other),
            },
        }
    }

    pub async fn inspect_image(&self, tag: &str) -> Result<ImageInfo, EngineError> {
        let img = self
            .client()
            .inspect_image(tag)
            .await
            .map_err(|e| fail(self.backend(), "inspect the image", tag, e))?;
        Ok(ImageInfo {
            id: img.id.unwrap_or_default(),
            size: img.size,
            created: img.created,
            labels: img
                .config
                .and_then(|c| c.labels)
                .unwrap_or_default()
                .into_iter()
                .collect(),
        })
    }
}
