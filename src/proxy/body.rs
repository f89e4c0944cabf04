//! Streaming bodies: frames pass through one by one as they arrive (no
//! buffering, so SSE keeps its pacing), with an idle timeout between frames
//! and, on responses, masking of the real credential should an upstream echo it.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use hyper::body::{Body, Frame, SizeHint};
use tokio::time::{Instant, Sleep};

use super::conn::Answered;
use super::route::Route;
use super::upstream::UpBody;

/// Why a streamed body stopped early.
#[derive(Debug, thiserror::Error)]
pub enum BodyError {
    #[error(transparent)]
    Hyper(#[from] hyper::Error),
    #[error("no data for {0:?}; giving up on the stream")]
    Idle(Duration),
    #[error(transparent)]
    Upstream(#[from] super::h1::WireError),
    #[error("reading from the upstream failed: {0}")]
    Read(#[source] std::io::Error),
}

/// What the proxy answers with: a streamed upstream body or a small JSON
/// error. A concrete type rather than a boxed one: no allocation per response.
pub struct ProxyBody(Kind, Option<Answered>);

enum Kind {
    Full(Option<Bytes>),
    Stream(Streamed<UpBody>),
}

pub(crate) fn full(bytes: impl Into<Bytes>) -> ProxyBody {
    ProxyBody(Kind::Full(Some(bytes.into())), None)
}

impl ProxyBody {
    pub(crate) fn stream(s: Streamed<UpBody>) -> Self {
        Self(Kind::Stream(s), None)
    }

    /// Marks the connection idle once hyper has sent this body whole (or
    /// given up on it): when it drops the body.
    pub(crate) fn on_end(mut self, answered: Answered) -> Self {
        self.1 = Some(answered);
        self
    }
}

impl Body for ProxyBody {
    type Data = Bytes;
    type Error = BodyError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BodyError>>> {
        match &mut self.get_mut().0 {
            Kind::Full(b) => Poll::Ready(b.take().map(|b| Ok(Frame::data(b)))),
            Kind::Stream(s) => Pin::new(s).poll_frame(cx),
        }
    }

    fn is_end_stream(&self) -> bool {
        match &self.0 {
            Kind::Full(b) => b.is_none(),
            Kind::Stream(s) => s.is_end_stream(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match &self.0 {
            Kind::Full(b) => SizeHint::with_exact(b.as_ref().map_or(0, |b| b.len() as u64)),
            Kind::Stream(s) => s.size_hint(),
        }
    }
}

/// A body (a client's request, an upstream's answer) with an idle timeout,
/// optionally masking a credential.
pub struct Streamed<B> {
    inner: B,
    idle: Duration,
    /// Armed lazily on the first wait: most small bodies never wait.
    deadline: Option<Pin<Box<Sleep>>>,
    mask: Option<Masker>,
    /// A trailers frame that arrived while masked bytes were still held.
    trailers: Option<Frame<Bytes>>,
}

impl<B> Streamed<B> {
    pub fn new(inner: B, idle: Duration, mask: Option<Arc<Route>>) -> Self {
        Self {
            inner,
            idle,
            deadline: None,
            mask: mask.map(|route| Masker {
                route,
                held: BytesMut::new(),
            }),
            trailers: None,
        }
    }

    fn held(&self) -> usize {
        self.mask.as_ref().map_or(0, |m| m.held.len())
    }
}

impl<B> Body for Streamed<B>
where
    B: Body<Data = Bytes> + Unpin,
    B::Error: Into<BodyError>,
{
    type Data = Bytes;
    type Error = BodyError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BodyError>>> {
        let this = &mut *self;
        if let Some(t) = this.trailers.take() {
            return Poll::Ready(Some(Ok(t)));
        }
        loop {
            match Pin::new(&mut this.inner).poll_frame(cx) {
                Poll::Ready(Some(Ok(frame))) => {
                    if let Some(d) = this.deadline.as_mut() {
                        d.as_mut().reset(Instant::now() + this.idle);
                    }
                    let Some(masker) = this.mask.as_mut() else {
                        return Poll::Ready(Some(Ok(frame)));
                    };
                    match frame.into_data() {
                        Ok(data) => {
                            let out = masker.push(data, this.inner.is_end_stream());
                            if out.is_empty() {
                                // All of it may begin the key: wait for more.
                                continue;
                            }
                            return Poll::Ready(Some(Ok(Frame::data(out))));
                        }
                        Err(trailers) => match masker.flush() {
                            Some(held) => {
                                this.trailers = Some(trailers);
                                return Poll::Ready(Some(Ok(Frame::data(held))));
                            }
                            None => return Poll::Ready(Some(Ok(trailers))),
                        },
                    }
                }
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e.into()))),
                Poll::Ready(None) => {
                    // The stream ended: what was held cannot be the whole key.
                    let held = this.mask.as_mut().and_then(Masker::flush);
                    return Poll::Ready(held.map(|h| Ok(Frame::data(h))));
                }
                Poll::Pending => {
                    return match this
                        .deadline
                        .get_or_insert_with(|| Box::pin(tokio::time::sleep(this.idle)))
                        .as_mut()
                        .poll(cx)
                    {
                        Poll::Ready(()) => Poll::Ready(Some(Err(BodyError::Idle(this.idle)))),
                        Poll::Pending => Poll::Pending,
                    };
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.trailers.is_none() && self.held() == 0 && self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        // Masking keeps lengths; held bytes are still to come.
        let inner = self.inner.size_hint();
        let held = self.held() as u64;
        let mut h = SizeHint::new();
        h.set_lower(inner.lower() + held);
        if let Some(u) = inner.upper() {
            h.set_upper(u + held);
        }
        h
    }
}

/// Masks the credential across chunk boundaries: the longest tail of a chunk
/// that could begin the key (at most key length − 1 bytes) is held back and
/// joined to the next chunk. Only a tail that matches the key's start is held,
/// so an SSE event (ending in `\n`, which no key contains) is never delayed.
struct Masker {
    route: Arc<Route>,
    held: BytesMut,
}

impl Masker {
    /// Masks `data` (after the held tail) and returns what can go out now.
    fn push(&mut self, data: Bytes, end: bool) -> Bytes {
        let secret = self.route.credential.expose().as_bytes();
        let finder = &self.route.finder;
        let joined = if self.held.is_empty() {
            data
        } else {
            let mut b = std::mem::take(&mut self.held);
            b.extend_from_slice(&data);
            b.freeze()
        };
        let mut out = mask_with(joined, secret, finder);
        if !end {
            let keep = partial_key_tail(&out, secret);
            if keep > 0 {
                let tail = out.split_off(out.len() - keep);
                self.held = BytesMut::from(&tail[..]);
            }
        }
        out
    }

    fn flush(&mut self) -> Option<Bytes> {
        (!self.held.is_empty()).then(|| std::mem::take(&mut self.held).freeze())
    }
}

/// The length of the longest proper prefix of `secret` that `data` ends with.
fn partial_key_tail(data: &[u8], secret: &[u8]) -> usize {
    let Some(&first) = secret.first() else {
        return 0;
    };
    let window = secret.len().saturating_sub(1).min(data.len());
    let start = data.len() - window;
    // Candidates start where the key's first byte occurs; the earliest wins.
    memchr::memchr_iter(first, &data[start..])
        .map(|i| data.len() - (start + i))
        .find(|&len| data[data.len() - len..] == secret[..len])
        .unwrap_or(0)
}

/// Overwrites every whole occurrence of `secret` in `data` with `*` (same
/// length, so a Content-Length stays right). Copies only when there is a hit.
fn mask_with(data: Bytes, secret: &[u8], finder: &memchr::memmem::Finder<'_>) -> Bytes {
    if secret.is_empty() || finder.find(&data).is_none() {
        return data;
    }
    let mut buf = BytesMut::from(&data[..]);
    let mut from = 0;
    while let Some(at) = finder.find(&buf[from..]) {
        let start = from + at;
        buf[start..start + secret.len()].fill(b'*');
        from = start + secret.len();
    }
    buf.freeze()
}

#[cfg(test)]
pub(crate) fn mask(data: Bytes, secret: &[u8]) -> Bytes {
    mask_with(data, secret, &memchr::memmem::Finder::new(secret))
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

    #[test]
    fn holds_only_a_tail_that_may_begin_the_key() {
        let k = b"sk-abc";
        assert_eq!(super::partial_key_tail(b"data: x\n\n", k), 0);
        assert_eq!(super::partial_key_tail(b"xx sk-a", k), 4);
        assert_eq!(super::partial_key_tail(b"xx s", k), 1);
        assert_eq!(
            super::partial_key_tail(b"sk-abc", k),
            0,
            "a whole key is masked, not held"
        );
        assert_eq!(super::partial_key_tail(b"sk-sk-ab", k), 5);
        assert_eq!(super::partial_key_tail(b"", k), 0);
    }
}
