//! Images through the `container` CLI: `build` (BuildKit in Apple's builder VM; labels with
//! `--label`, which BuildKit writes into the image config without a step) and `image inspect`.
//! The CLI builds from a directory, so the streamed tar context is unpacked into a private
//! temporary directory first.

use std::process::Stdio;

use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::Command;
use tokio::sync::mpsc;

use super::json::ImageDetail;
use super::{AppleEngine, fail};
use crate::runtime::{Backend, BuildMessage, BuildOptions, ContextStream, EngineError, ImageInfo};

type Msg = Result<BuildMessage, EngineError>;

impl AppleEngine {
    pub fn build_image(
        &self,
        opts: BuildOptions,
        context: ContextStream,
    ) -> BoxStream<'static, Msg> {
        let (tx, rx) = mpsc::channel(16);
        let engine = self.clone();
        tokio::spawn(async move {
            let r = engine.build(opts, context, &tx).await;
            if let Err(e) = r {
                let _ = tx.send(Err(e)).await;
            }
        });
        futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|m| (m, rx)) })
            .boxed()
    }

    async fn build(
        &self,
        opts: BuildOptions,
        mut context: ContextStream,
        tx: &mpsc::Sender<Msg>,
    ) -> Result<(), EngineError> {
        let dir = tempfile::tempdir().map_err(|e| io(std::env::temp_dir(), "create", e))?;
        let tar_path = dir.path().join("context.tar");
        let mut tar = tokio::fs::File::create(&tar_path)
            .await
            .map_err(|e| io(tar_path.clone(), "create", e))?;
        while let Some(chunk) = context.next().await {
            let chunk =
                chunk.map_err(|e| io(tar_path.clone(), "read the build context into", e))?;
            tar.write_all(&chunk)
                .await
                .map_err(|e| io(tar_path.clone(), "write", e))?;
        }
        tar.flush()
            .await
            .map_err(|e| io(tar_path.clone(), "write", e))?;
        drop(tar);
        let ctx = dir.path().join("context");
        let (t, c) = (tar_path.clone(), ctx.clone());
        tokio::task::spawn_blocking(move || {
            let f = std::fs::File::open(&t)?;
            // Our own packed tar; `unpack` refuses entries escaping `c` all the same.
            tar::Archive::new(f).unpack(&c)
        })
        .await
        .map_err(|e| {
            io(
                ctx.clone(),
                "unpack the build context into",
                std::io::Error::other(e),
            )
        })?
        .map_err(|e| io(ctx.clone(), "unpack the build context into", e))?;

        let mut args: Vec<String> = vec!["build".into(), "--tag".into(), opts.tag.clone()];
        args.extend([
            "--file".into(),
            ctx.join(&opts.dockerfile).display().to_string(),
        ]);
        if opts.no_cache {
            args.push("--no-cache".into());
        }
        for (k, v) in &opts.build_args {
            args.extend(["--build-arg".into(), format!("{k}={v}")]);
        }
        for (k, v) in &opts.labels {
            args.extend(["--label".into(), format!("{k}={v}")]);
        }
        args.extend(["--progress".into(), "plain".into()]);
        args.push(ctx.display().to_string());
        let mut child = Command::new(self.bin())
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| {
                fail(
                    "build the image",
                    &opts.tag,
                    format!("`{} build`: {e}", self.bin().display()),
                )
            })?;
        // Both streams carry progress (BuildKit writes it to stderr): interleave by line.
        let (out, err) = (child.stdout.take(), child.stderr.take());
        let mut lines = futures_util::stream::select(lines_of(out).boxed(), lines_of(err).boxed());
        let mut tail: Vec<String> = Vec::new();
        while let Some(line) = lines.next().await {
            tail.push(line.clone());
            if tail.len() > 5 {
                tail.remove(0);
            }
            if tx
                .send(Ok(BuildMessage::Output(format!("{line}\n"))))
                .await
                .is_err()
            {
                return Ok(()); // the caller is gone; kill_on_drop ends the build
            }
        }
        let status = child
            .wait()
            .await
            .map_err(|e| fail("build the image", &opts.tag, e.to_string()))?;
        if !status.success() {
            return Err(EngineError::Failed {
                backend: Backend::AppleContainer,
                action: "build the image",
                message: format!(
                    "`container build` exited with {status}: {}",
                    tail.join(" | ")
                ),
            });
        }
        let img = self.inspect_image(&opts.tag).await?;
        let _ = tx.send(Ok(BuildMessage::ImageId(img.id))).await;
        Ok(())
    }

    pub async fn remove_image(&self, tag: &str) -> Result<(), EngineError> {
        match self
            .call("remove the image", tag, &["image", "delete", tag])
            .await
        {
            Ok(_) | Err(EngineError::NotFound { .. }) => Ok(()),
            Err(e) => Err(e),
        }
    }

    pub async fn inspect_image(&self, tag: &str) -> Result<ImageInfo, EngineError> {
        let out = self
            .call("inspect the image", tag, &["image", "inspect", tag])
            .await?;
        let list: Vec<ImageDetail> =
            serde_json::from_str(&out).map_err(|e| EngineError::Failed {
                backend: Backend::AppleContainer,
                action: "inspect the image",
                message: format!("unexpected JSON from the container CLI: {e}"),
            })?;
        list.into_iter()
            .next()
            .map(ImageDetail::info)
            .ok_or_else(|| EngineError::NotFound {
                backend: Backend::AppleContainer,
                action: "inspect the image",
                what: tag.to_string(),
            })
    }
}

fn lines_of<R: tokio::io::AsyncRead + Unpin + Send + 'static>(
    r: Option<R>,
) -> impl futures_util::Stream<Item = String> + Send {
    futures_util::stream::unfold(r.map(|r| BufReader::new(r).lines()), |l| async move {
        let mut l = l?;
        match l.next_line().await {
            Ok(Some(line)) => Some((line, Some(l))),
            _ => None,
        }
    })
}

fn io(path: std::path::PathBuf, action: &'static str, source: std::io::Error) -> EngineError {
    EngineError::Io {
        path,
        action,
        source,
    }
}
