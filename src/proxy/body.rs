//! Streaming bodies: frames pass through one by one as they arrive (no
//! buffering, so SSE keeps its pacing), with an idle timeout between frames
//! and, on responses, masking of the real credential should an upstream echo it.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::{Body, Frame, Incoming, SizeHint};
use tokio::time::{Instant, Sleep};

use super::route::Route;

/// Why a streamed body stopped early.
#[derive(Debug, thiserror::Error)]
pub enum BodyError {
    #[error(transparent)]
    Hyper(#[from] hyper::Error),
    #[error("no data for {0:?}; giving up on the stream")]
    Idle(Duration),
}

/// What the proxy answers with: a streamed upstream body or a small JSON error.
pub type ProxyBody = UnsyncBoxBody<Bytes, BodyError>;

pub(crate) fn full(bytes: impl Into<Bytes>) -> ProxyBody {
    UnsyncBoxBody::new(Full::new(bytes.into()).map_err(|never| match never {}))
}

/// `Incoming` with an idle timeout, optionally masking a credential.
pub struct Streamed {
    inner: Incoming,
    idle: Duration,
    /// Armed lazily on the first wait: most small bodies never wait.
    deadline: Option<Pin<Box<Sleep>>>,
    mask: Option<Arc<Route>>,
}

impl Streamed {
    pub fn new(inner: Incoming, idle: Duration, mask: Option<Arc<Route>>) -> Self {
        Self {
            inner,
            idle,
            deadline: None,
            mask,
        }
    }
}

impl Body for Streamed {
    type Data = Bytes;
    type Error = BodyError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BodyError>>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(d) = this.deadline.as_mut() {
                    d.as_mut().reset(Instant::now() + this.idle);
                }
                let frame = match (&this.mask, frame.into_data()) {
                    (Some(route), Ok(data)) => {
                        Frame::data(mask(data, route.credential.expose().as_bytes()))
                    }
                    (None, Ok(data)) => Frame::data(data),
                    (_, Err(other)) => other,
                };
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(e.into()))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => match this
                .deadline
                .get_or_insert_with(|| Box::pin(tokio::time::sleep(this.idle)))
                .as_mut()
                .poll(cx)
            {
                Poll::Ready(()) => Poll::Ready(Some(Err(BodyError::Idle(this.idle)))),
                Poll::Pending => Poll::Pending,
            },
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// Overwrites every whole occurrence of `secret` in `data` with `*` (same
/// length, so a Content-Length stays right). Copies only when there is a hit.
pub(crate) fn mask(data: Bytes, secret: &[u8]) -> Bytes {
    if secret.is_empty() || memchr::memmem::find(&data, secret).is_none() {
        return data;
    }
    let mut buf = BytesMut::from(&data[..]);
    let finder = memchr::memmem::Finder::new(secret);
    let mut from = 0;
    while let Some(at) = finder.find(&buf[from..]) {
        let start = from + at;
        buf[start..start + secret.len()].fill(b'*');
        from = start + secret.len();
    }
    buf.freeze()
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;

    #[test]
    fn masks_every_occurrence() {
        let out = super::mask(Bytes::from_static(b"a KEY b KEYKEY"), b"KEY");
        assert_eq!(&out[..], b"a *** b ******");
        let same = Bytes::from_static(b"nothing here");
        assert_eq!(super::mask(same.clone(), b"KEY"), same);
    }
}
