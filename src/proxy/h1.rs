//! The HTTP/1.1 wire format of the proxy's upstream side (RFC 9112): the
//! request head it writes, the response head it reads (parsed by `httparse`,
//! the parser hyper itself uses) and the response body's framing.
//!
//! Why not hyper's client: its connection runs as a state machine fed
//! through a dispatch channel and a oneshot per request, and hands the body
//! over through another channel; profiled, that was a third of the proxy's
//! own instructions per request. The upstream is the mapping's API, not the
//! container, so the hostile side (requests from agents) stays with hyper's
//! server; this side reads answers strictly and fails closed (a 502) on
//! anything it does not understand.

use bytes::{Bytes, BytesMut};
use http::header::{self, HeaderMap, HeaderName, HeaderValue};
use http::{Method, StatusCode, Version};

/// The largest response head accepted (hyper's default buffer is 400 KiB;
/// an API's answer heads are well under 16 KiB).
pub(crate) const MAX_HEAD: usize = 64 * 1024;
const MAX_HEADERS: usize = 100;
/// The longest chunk-size line (with extensions) or trailer section.
const MAX_LINE: usize = 4096;
const MAX_TRAILERS: usize = 16 * 1024;

/// What the upstream sent that cannot be passed on.
#[derive(Debug, thiserror::Error)]
pub enum WireError {
    #[error("the upstream's response head is larger than {MAX_HEAD} bytes")]
    HeadTooLarge,
    #[error("the upstream sent a malformed response: {0}")]
    Malformed(&'static str),
    #[error("the upstream closed the connection before its response was complete")]
    Closed,
}

/// How a request body is framed on the way up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ReqFraming {
    None,
    Length(u64),
    Chunked,
}

impl ReqFraming {
    /// From what the body says of its size: an exact size goes as
    /// Content-Length (omitted when empty where a body has no meaning), an
    /// unknown one chunked.
    pub fn of(method: &Method, exact: Option<u64>) -> Self {
        match exact {
            Some(0) if !matches!(*method, Method::POST | Method::PUT | Method::PATCH) => Self::None,
            Some(n) => Self::Length(n),
            None => Self::Chunked,
        }
    }
}

/// Headers that describe one hop, never forwarded (RFC 9110 §7.6.1).
const HOP_BY_HOP: [HeaderName; 9] = [
    header::CONNECTION,
    HeaderName::from_static("keep-alive"),
    HeaderName::from_static("proxy-connection"),
    header::PROXY_AUTHENTICATE,
    header::PROXY_AUTHORIZATION,
    header::TE,
    header::TRAILER,
    header::TRANSFER_ENCODING,
    header::UPGRADE,
];

/// Reads one Connection field (of a request or an answer): `close` sets
/// `close`; the names it lists besides `keep-alive` go to `listed`, being
/// hop-by-hop too. Nothing is allocated while none is listed.
fn connection_field(raw: &[u8], close: &mut bool, listed: &mut Vec<HeaderName>) {
    for t in raw.split(|&b| b == b',').map(<[u8]>::trim_ascii) {
        if t.eq_ignore_ascii_case(b"close") {
            *close = true;
        } else if !t.eq_ignore_ascii_case(b"keep-alive") {
            listed.extend(HeaderName::from_bytes(t).ok());
        }
    }
}

/// Appends a request head: the request line, the agent's `headers` minus
/// hop-by-hop ones, framing, `drop` and those `set` names, then `set` (what
/// the proxy decides: Host, the credential, ...), then the framing header.
/// The agent's header map is read, never rewritten.
pub(crate) fn encode_head(
    buf: &mut Vec<u8>,
    method: &Method,
    target: &str,
    headers: &HeaderMap,
    drop: &HeaderName,
    set: &[(&HeaderName, &HeaderValue)],
    framing: ReqFraming,
) {
    buf.extend_from_slice(method.as_str().as_bytes());
    buf.push(b' ');
    buf.extend_from_slice(target.as_bytes());
    buf.extend_from_slice(b" HTTP/1.1\r\n");
    let mut listed = Vec::new();
    for v in headers.get_all(header::CONNECTION) {
        // Whether the agent asked to close concerns its own hop only.
        connection_field(v.as_bytes(), &mut false, &mut listed);
    }
    let kept = headers.iter().filter(|(name, _)| {
        !(HOP_BY_HOP.contains(name)
            || *name == header::CONTENT_LENGTH
            || *name == drop
            || set.iter().any(|(n, _)| *n == *name)
            || listed.contains(name))
    });
    for (name, value) in kept.chain(set.iter().copied()) {
        buf.extend_from_slice(name.as_str().as_bytes());
        buf.extend_from_slice(b": ");
        buf.extend_from_slice(value.as_bytes());
        buf.extend_from_slice(b"\r\n");
    }
    match framing {
        ReqFraming::None => {}
        ReqFraming::Length(n) => {
            buf.extend_from_slice(b"content-length: ");
            buf.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
            buf.extend_from_slice(b"\r\n");
        }
        ReqFraming::Chunked => buf.extend_from_slice(b"transfer-encoding: chunked\r\n"),
    }
    buf.extend_from_slice(b"\r\n");
}

/// How the response body is delimited (RFC 9112 §6.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Framing {
    Empty,
    Length(u64),
    Chunked,
    /// Until the upstream closes the connection.
    Close,
}

/// A parsed response head.
#[derive(Debug)]
pub(crate) struct Head {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub framing: Framing,
    /// Whether the connection can take another request once the body is read.
    pub keep_alive: bool,
}

/// Parses a response head at the start of `buf`, taking it out of `buf`.
/// `Ok(None)`: not all of it is here yet.
pub(crate) fn parse_head(buf: &mut BytesMut, method: &Method) -> Result<Option<Head>, WireError> {
    // Uninitialised: a 4 KiB array set on every answer showed in profiles.
    let mut raw = [const { std::mem::MaybeUninit::uninit() }; MAX_HEADERS];
    let mut resp = httparse::Response::new(&mut []);
    let parsed = httparse::ParserConfig::default()
        .parse_response_with_uninit_headers(&mut resp, buf, &mut raw);
    let len = match parsed {
        Ok(httparse::Status::Complete(n)) => n,
        Ok(httparse::Status::Partial) if buf.len() > MAX_HEAD => {
            return Err(WireError::HeadTooLarge);
        }
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => {
            return Err(WireError::Malformed("more than 100 header fields"));
        }
        Err(_) => return Err(WireError::Malformed("the status line or a header field")),
    };
    if len > MAX_HEAD {
        return Err(WireError::HeadTooLarge);
    }
    let code = resp.code.ok_or(WireError::Malformed("no status code"))?;
    let status = StatusCode::from_u16(code).map_err(|_| WireError::Malformed("status code"))?;
    let version = if resp.version == Some(1) {
        Version::HTTP_11
    } else {
        Version::HTTP_10
    };
    // The values are slices of the head: one buffer, no copy per value.
    let base = buf.as_ptr() as usize;
    let at: Vec<_> = resp
        .headers
        .iter()
        .map(|h| {
            let name = h.name.as_ptr() as usize - base;
            let value = h.value.as_ptr() as usize - base;
            (name, h.name.len(), value, h.value.len())
        })
        .collect();
    let head = buf.split_to(len).freeze();
    // One pass: framing and connection headers are read here and, being
    // hop-by-hop, not kept; no look-ups in the map afterwards.
    let mut headers = HeaderMap::with_capacity(at.len());
    let mut chunked = None;
    let mut length = None;
    let mut lengths = 0usize;
    let mut close = version != Version::HTTP_11;
    let mut listed = Vec::new();
    for &(name, name_len, value, value_len) in &at {
        let name = HeaderName::from_bytes(&head[name..name + name_len])
            .map_err(|_| WireError::Malformed("a header name"))?;
        let raw = &head[value..value + value_len];
        if name == header::TRANSFER_ENCODING {
            // Counted over every field, empty list elements ignored.
            let (n, last) = chunked.unwrap_or((0, false));
            let codings = raw.split(|&b| b == b',').map(<[u8]>::trim_ascii);
            chunked = Some(
                codings
                    .filter(|c| !c.is_empty())
                    .fold((n, last), |(n, _), c| {
                        (n + 1, c.eq_ignore_ascii_case(b"chunked"))
                    }),
            );
        } else if name == header::CONNECTION {
            connection_field(raw, &mut close, &mut listed);
        } else if !HOP_BY_HOP.contains(&name) {
            if name == header::CONTENT_LENGTH {
                lengths += 1;
                for part in raw.split(|&b| b == b',') {
                    lengths += usize::from(part.len() != raw.len());
                    let n = parse_decimal(part.trim_ascii())
                        .ok_or(WireError::Malformed("Content-Length"))?;
                    if length.is_some_and(|l| l != n) {
                        return Err(WireError::Malformed("conflicting Content-Length values"));
                    }
                    length = Some(n);
                }
            }
            let value = HeaderValue::from_maybe_shared(head.slice(value..value + value_len))
                .map_err(|_| WireError::Malformed("a header value"))?;
            headers.append(name, value);
        }
    }
    for name in listed {
        headers.remove(name);
    }
    let framing = if *method == Method::HEAD
        || status.is_informational()
        || status == StatusCode::NO_CONTENT
        || status == StatusCode::NOT_MODIFIED
    {
        Framing::Empty
    } else if let Some(codings) = chunked {
        // Transfer-Encoding overrides Content-Length, which must then go.
        // Only chunked alone: a compressing coding (never asked for) would
        // hide the credential from the masker, as Content-Encoding would.
        if codings != (1, true) {
            return Err(WireError::Malformed(
                "a transfer coding other than chunked alone",
            ));
        }
        headers.remove(header::CONTENT_LENGTH);
        Framing::Chunked
    } else if let Some(n) = length {
        if lengths > 1 {
            // `3, 3` or two fields of 3: one value on the way on.
            headers.insert(header::CONTENT_LENGTH, HeaderValue::from(n));
        }
        Framing::Length(n)
    } else {
        Framing::Close
    };
    Ok(Some(Head {
        status,
        headers,
        framing,
        keep_alive: !close && framing != Framing::Close,
    }))
}

fn parse_decimal(s: &[u8]) -> Option<u64> {
    if s.is_empty() || s.len() > 19 || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    s.iter().try_fold(0u64, |n, &d| {
        n.checked_mul(10)?.checked_add(u64::from(d - b'0'))
    })
}

/// What a body decoder made of the bytes it was given.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Step {
    Data(Bytes),
    /// Needs more bytes.
    More,
    Done,
}

/// Takes a response body out of the connection's read buffer.
#[derive(Debug)]
pub(crate) enum Decoder {
    Length(u64),
    Chunked(Chunk),
    Close,
    Done,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Chunk {
    Size,
    Data(u64),
    DataEnd,
    Trailers(usize),
}

impl Decoder {
    pub fn new(framing: Framing) -> Self {
        match framing {
            Framing::Empty | Framing::Length(0) => Self::Done,
            Framing::Length(n) => Self::Length(n),
            Framing::Chunked => Self::Chunked(Chunk::Size),
            Framing::Close => Self::Close,
        }
    }

    pub fn is_done(&self) -> bool {
        matches!(self, Self::Done)
    }

    /// Bytes still to come, when known.
    pub fn remaining(&self) -> Option<u64> {
        match self {
            Self::Length(n) => Some(*n),
            Self::Done => Some(0),
            _ => None,
        }
    }

    /// The next piece of body in `buf`, if any.
    pub fn step(&mut self, buf: &mut BytesMut) -> Result<Step, WireError> {
        match self {
            Self::Done => Ok(Step::Done),
            Self::Length(left) => {
                if buf.is_empty() {
                    return Ok(Step::More);
                }
                let take = buf.len().min(usize::try_from(*left).unwrap_or(usize::MAX));
                *left -= take as u64;
                let data = buf.split_to(take).freeze();
                if *left == 0 {
                    *self = Self::Done;
                }
                Ok(Step::Data(data))
            }
            Self::Close if buf.is_empty() => Ok(Step::More),
            Self::Close => Ok(Step::Data(buf.split().freeze())),
            Self::Chunked(state) => {
                let step = chunked(state, buf)?;
                if step == Step::Done {
                    *self = Self::Done;
                }
                Ok(step)
            }
        }
    }

    /// The upstream closed the connection: the end of a close-delimited
    /// body, a truncated one otherwise.
    pub fn eof(&mut self) -> Result<(), WireError> {
        match self {
            Self::Close | Self::Done => {
                *self = Self::Done;
                Ok(())
            }
            _ => Err(WireError::Closed),
        }
    }
}

fn chunked(state: &mut Chunk, buf: &mut BytesMut) -> Result<Step, WireError> {
    loop {
        match *state {
            Chunk::Size => {
                let Some(line) = take_line(buf)? else {
                    return Ok(Step::More);
                };
                let size = chunk_size(&line)?;
                *state = if size == 0 {
                    Chunk::Trailers(0)
                } else {
                    Chunk::Data(size)
                };
            }
            Chunk::Data(left) => {
                if buf.is_empty() {
                    return Ok(Step::More);
                }
                let take = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
                let rest = left - take as u64;
                *state = if rest == 0 {
                    Chunk::DataEnd
                } else {
                    Chunk::Data(rest)
                };
                return Ok(Step::Data(buf.split_to(take).freeze()));
            }
            Chunk::DataEnd => {
                if buf.len() < 2 {
                    return Ok(Step::More);
                }
                if &buf[..2] != b"\r\n" {
                    return Err(WireError::Malformed("a chunk not followed by CRLF"));
                }
                let _ = buf.split_to(2);
                *state = Chunk::Size;
            }
            Chunk::Trailers(seen) => {
                // Trailer fields are not passed on (requests never ask for
                // them: TE is a hop-by-hop header the proxy drops).
                let Some(line) = take_line(buf)? else {
                    return Ok(Step::More);
                };
                if line.len() == 2 {
                    return Ok(Step::Done);
                }
                let seen = seen + line.len();
                if seen > MAX_TRAILERS {
                    return Err(WireError::Malformed("trailer section too large"));
                }
                *state = Chunk::Trailers(seen);
            }
        }
    }
}

/// A whole line ending in CRLF (bare LF is refused), CRLF included.
fn take_line(buf: &mut BytesMut) -> Result<Option<BytesMut>, WireError> {
    let window = &buf[..buf.len().min(MAX_LINE)];
    match memchr::memchr(b'\n', window) {
        Some(i) if i > 0 && buf[i - 1] == b'\r' => Ok(Some(buf.split_to(i + 1))),
        Some(_) => Err(WireError::Malformed("a line ending in a bare LF")),
        None if buf.len() >= MAX_LINE => Err(WireError::Malformed("a chunk line too long")),
        None => Ok(None),
    }
}

/// `chunk-size [ chunk-ext ] CRLF`: hex digits, then nothing, or
/// whitespace and `;` extensions (ignored).
fn chunk_size(line: &[u8]) -> Result<u64, WireError> {
    let line = &line[..line.len() - 2];
    let digits = line.iter().take_while(|b| b.is_ascii_hexdigit()).count();
    if digits == 0 || digits > 16 {
        return Err(WireError::Malformed("a chunk size"));
    }
    let rest = line[digits..].trim_ascii_start();
    if !rest.is_empty() && rest[0] != b';' {
        return Err(WireError::Malformed("a chunk size"));
    }
    if rest.iter().any(|&b| b < 0x20 && b != b'\t' || b == 0x7f) {
        return Err(WireError::Malformed("a chunk extension"));
    }
    let hex =
        std::str::from_utf8(&line[..digits]).map_err(|_| WireError::Malformed("a chunk size"))?;
    u64::from_str_radix(hex, 16).map_err(|_| WireError::Malformed("a chunk size"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(raw: &[u8], method: Method) -> Result<Option<Head>, WireError> {
        parse_head(&mut BytesMut::from(raw), &method)
    }

    /// Feeds `wire` one byte at a time and collects the body.
    fn decode_bytewise(framing: Framing, wire: &[u8]) -> Result<(Vec<u8>, BytesMut), WireError> {
        let mut d = Decoder::new(framing);
        let mut buf = BytesMut::new();
        let mut out = Vec::new();
        for &b in wire {
            buf.extend_from_slice(&[b]);
            loop {
                match d.step(&mut buf)? {
                    Step::Data(x) => out.extend_from_slice(&x),
                    Step::More => break,
                    Step::Done => return Ok((out, buf)),
                }
            }
        }
        d.eof()?;
        Ok((out, buf))
    }

    #[test]
    fn a_request_head_carries_its_framing() {
        let mut h = HeaderMap::new();
        h.insert("host", HeaderValue::from_static("api.example"));
        h.insert("x-api-key", HeaderValue::from_static("k"));
        let mut buf = Vec::new();
        h.insert("x-keep", HeaderValue::from_static("1"));
        h.insert("content-length", HeaderValue::from_static("99"));
        let f = ReqFraming::of(&Method::POST, Some(5));
        let key = HeaderValue::from_static("real");
        let x_api_key = HeaderName::from_static("x-api-key");
        let set = [(&x_api_key, &key)];
        encode_head(
            &mut buf,
            &Method::POST,
            "/v1/messages?x=1",
            &h,
            &header::HOST,
            &set,
            f,
        );
        assert_eq!(
            String::from_utf8_lossy(&buf),
            "POST /v1/messages?x=1 HTTP/1.1\r\nx-keep: 1\r\nx-api-key: real\r\ncontent-length: 5\r\n\r\n"
        );
        assert_eq!(ReqFraming::of(&Method::GET, Some(0)), ReqFraming::None);
        assert_eq!(
            ReqFraming::of(&Method::POST, Some(0)),
            ReqFraming::Length(0)
        );
        assert_eq!(ReqFraming::of(&Method::POST, None), ReqFraming::Chunked);
    }

    #[test]
    fn hop_by_hop_and_connection_listed_headers_go_both_ways() {
        let mut h = HeaderMap::new();
        h.insert("connection", HeaderValue::from_static("keep-alive, x-hop"));
        h.insert("x-hop", HeaderValue::from_static("1"));
        h.insert("keep-alive", HeaderValue::from_static("timeout=5"));
        h.insert("te", HeaderValue::from_static("trailers"));
        h.insert("x-end", HeaderValue::from_static("2"));
        let mut buf = Vec::new();
        encode_head(
            &mut buf,
            &Method::GET,
            "/",
            &h,
            &header::HOST,
            &[],
            ReqFraming::None,
        );
        assert_eq!(
            String::from_utf8_lossy(&buf),
            "GET / HTTP/1.1\r\nx-end: 2\r\n\r\n"
        );

        let raw = b"HTTP/1.1 200 OK\r\nConnection: keep-alive, X-Hop\r\nx-hop: 1\r\nkeep-alive: timeout=5\r\nupgrade: h2c\r\nx-end: 2\r\ncontent-length: 0\r\n\r\n";
        let h = head(raw, Method::GET).unwrap().unwrap();
        let mut names: Vec<_> = h.headers.keys().map(HeaderName::as_str).collect();
        names.sort_unstable();
        assert_eq!(names, ["content-length", "x-end"]);
        assert!(h.keep_alive);
    }

    #[test]
    fn a_head_is_parsed_only_when_whole() {
        let raw = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nx-a: 1\r\n\r\nhi";
        for cut in 0..raw.len() - 2 {
            assert!(
                head(&raw[..cut], Method::GET).unwrap().is_none(),
                "cut {cut}"
            );
        }
        let mut buf = BytesMut::from(&raw[..]);
        let h = parse_head(&mut buf, &Method::GET).unwrap().unwrap();
        assert_eq!(h.status, 200);
        assert_eq!(h.headers["x-a"], "1");
        assert_eq!(h.framing, Framing::Length(2));
        assert!(h.keep_alive);
        assert_eq!(&buf[..], b"hi", "the body stays in the buffer");
    }

    #[test]
    fn framing_follows_rfc_9112() {
        let f = |raw: &[u8], m: Method| head(raw, m).unwrap().unwrap();
        let h = f(
            b"HTTP/1.1 200 OK\r\ncontent-length: 9\r\n\r\n",
            Method::HEAD,
        );
        assert_eq!(h.framing, Framing::Empty);
        assert_eq!(
            f(b"HTTP/1.1 204 No Content\r\n\r\n", Method::GET).framing,
            Framing::Empty
        );
        assert_eq!(
            f(b"HTTP/1.1 304 Not Modified\r\n\r\n", Method::GET).framing,
            Framing::Empty
        );
        let h = f(
            b"HTTP/1.1 200 OK\r\ncontent-length: 9\r\ntransfer-encoding: chunked,\r\n\r\n",
            Method::GET,
        );
        assert_eq!(h.framing, Framing::Chunked);
        assert!(
            !h.headers.contains_key("content-length"),
            "TE wins, CL goes"
        );
        assert!(!h.headers.contains_key("transfer-encoding"), "hop-by-hop");
        let h = f(b"HTTP/1.1 200 OK\r\n\r\n", Method::GET);
        assert_eq!((h.framing, h.keep_alive), (Framing::Close, false));
        let h = f(
            b"HTTP/1.1 200 OK\r\ncontent-length: 3, 3\r\n\r\n",
            Method::GET,
        );
        assert_eq!(h.framing, Framing::Length(3));
        assert_eq!(h.headers["content-length"], "3", "one value on the way on");
        let h = f(b"HTTP/1.0 200 OK\r\ncontent-length: 3\r\n\r\n", Method::GET);
        assert!(!h.keep_alive, "HTTP/1.0 closes");
        let h = f(
            b"HTTP/1.1 200 OK\r\nConnection: Close\r\ncontent-length: 0\r\n\r\n",
            Method::GET,
        );
        assert!(!h.keep_alive);
    }

    #[test]
    fn bad_heads_are_refused() {
        for raw in [
            &b"HTTP/1.1 200 OK\r\ncontent-length: 3\r\ncontent-length: 4\r\n\r\n"[..],
            b"HTTP/1.1 200 OK\r\ncontent-length: -1\r\n\r\n",
            b"HTTP/1.1 200 OK\r\ncontent-length: 99999999999999999999\r\n\r\n",
            b"HTTP/1.1 200 OK\r\ncontent-length: +3\r\n\r\n",
            b"HTTP/1.1 2000 OK\r\n\r\n",
            b"HTTX/1.1 200 OK\r\n\r\n",
            b"HTTP/1.1 200 OK\r\nbad header\r\n\r\n",
            b"HTTP/1.1 200 OK\r\ntransfer-encoding: gzip, chunked\r\n\r\n",
            b"HTTP/1.1 200 OK\r\ntransfer-encoding: gzip\r\n\r\n",
            b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\ntransfer-encoding: chunked\r\n\r\n",
        ] {
            assert!(
                head(raw, Method::GET).is_err(),
                "{}",
                String::from_utf8_lossy(raw)
            );
        }
        let mut big = b"HTTP/1.1 200 OK\r\nx: ".to_vec();
        big.resize(MAX_HEAD + 10, b'a');
        assert!(matches!(
            head(&big, Method::GET),
            Err(WireError::HeadTooLarge)
        ));
    }

    #[test]
    fn chunked_bodies_decode_at_any_split() {
        let wire =
            b"5;ext=1\r\nhello\r\n1 \r\n \r\n10\r\n0123456789abcdef\r\n0\r\nx-t: 1\r\n\r\nNEXT";
        let (body, rest) = decode_bytewise(Framing::Chunked, wire).unwrap();
        assert_eq!(body, b"hello 0123456789abcdef");
        assert_eq!(rest.len(), 0, "fed bytewise, nothing past the end was read");
        let mut d = Decoder::new(Framing::Chunked);
        let mut buf = BytesMut::from(&wire[..]);
        let mut out = Vec::new();
        while let Step::Data(x) = d.step(&mut buf).unwrap() {
            out.extend_from_slice(&x);
        }
        assert!(d.is_done());
        assert_eq!(out, b"hello 0123456789abcdef");
        assert_eq!(&buf[..], b"NEXT", "the next response stays");
    }

    #[test]
    fn bad_chunks_are_refused() {
        for wire in [
            &b"5\nhello\r\n0\r\n\r\n"[..],
            b"5\r\nhelloXX0\r\n\r\n",
            b"x\r\n",
            b"-5\r\n",
            b"11111111111111111\r\n",
            b"5 x\r\nhello\r\n",
        ] {
            assert!(
                decode_bytewise(Framing::Chunked, wire).is_err(),
                "{}",
                String::from_utf8_lossy(wire)
            );
        }
        assert!(
            matches!(
                decode_bytewise(Framing::Chunked, b"5\r\nhel"),
                Err(WireError::Closed)
            ),
            "truncated"
        );
    }

    #[test]
    fn length_and_close_delimited_bodies() {
        let (body, rest) = decode_bytewise(Framing::Length(3), b"abc").unwrap();
        assert_eq!((&body[..], rest.len()), (&b"abc"[..], 0));
        assert!(matches!(
            decode_bytewise(Framing::Length(4), b"abc"),
            Err(WireError::Closed)
        ));
        let (body, _) = decode_bytewise(Framing::Close, b"until the end").unwrap();
        assert_eq!(body, b"until the end");
        assert!(Decoder::new(Framing::Empty).is_done());
    }
}
