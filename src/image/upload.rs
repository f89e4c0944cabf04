//! Sending a packed build context: the tar's in-memory pieces and the files left on disk,
//! read in chunks while the engine receives them (a blocking task feeds the request body).

use std::path::Path;

use bytes::Bytes;
use tokio::sync::mpsc::Sender;

use super::pack::Segment;

/// Streams the tar in chunks (in a blocking task: it reads files). Stops quietly when the
/// request is gone; a file that changed size since it was packed ends the body with an error.
pub(super) fn send_body(
    body: Vec<Segment>,
    tx: &Sender<std::io::Result<Bytes>>,
) -> Result<(), String> {
    for seg in body {
        match seg {
            Segment::Bytes(b) => {
                if tx.blocking_send(Ok(b.into())).is_err() {
                    return Ok(());
                }
            }
            Segment::File { src, len } => {
                if let Err(e) = send_file(&src, len, tx) {
                    let why = format!(
                        "{}: {e} while the build context was being sent; try again",
                        src.display()
                    );
                    let _ = tx.blocking_send(Err(std::io::Error::other(why.clone())));
                    return Err(why);
                }
            }
        }
    }
    Ok(())
}

/// One file's `len` bytes, as packed; `Ok` also when the request is gone.
fn send_file(src: &Path, len: u64, tx: &Sender<std::io::Result<Bytes>>) -> std::io::Result<()> {
    const CHUNK: u64 = 256 * 1024;
    let mut f = std::fs::File::open(src)?;
    let mut left = len;
    while left > 0 {
        let mut buf = vec![0u8; left.min(CHUNK) as usize];
        std::io::Read::read_exact(&mut f, &mut buf)
            .map_err(|_| std::io::Error::other("the file shrank"))?;
        left -= buf.len() as u64;
        if tx.blocking_send(Ok(buf.into())).is_err() {
            return Ok(());
        }
    }
    if f.metadata()?.len() != len {
        return Err(std::io::Error::other("the file changed size"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{Segment, send_body};

    #[test]
    fn a_file_that_changed_size_ends_the_body_with_an_error() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let f = dir.path().join("f");
        std::fs::write(&f, "12345")?;
        let (tx, mut rx) = tokio::sync::mpsc::channel(16);
        let body = vec![
            Segment::Bytes(b"head".to_vec()),
            Segment::File {
                src: f.clone(),
                len: 5,
            },
        ];
        assert_eq!(send_body(body, &tx), Ok(()));
        let got: Vec<u8> = std::iter::from_fn(|| rx.try_recv().ok())
            .map(|c| c.map(|b| b.to_vec()))
            .collect::<Result<Vec<_>, _>>()?
            .concat();
        assert_eq!(got, b"head12345");

        std::fs::write(&f, "123456")?;
        let body = vec![Segment::File { src: f, len: 5 }];
        let err = send_body(body, &tx).expect_err("changed size");
        assert!(err.contains("changed size"), "{err}");
        let last = std::iter::from_fn(|| rx.try_recv().ok()).last();
        assert!(matches!(last, Some(Err(_))));
        Ok(())
    }
}
