//! Two-stage pipelines over a few reused 1 MiB buffers, so that encryption or decryption runs on one core
//! while hashing and I/O run on the other (the machines this runs on have two). Used for large sections
//! only; the order of bytes is kept, and memory stays at `DEPTH` buffers per pipeline.

use super::{PackageError, BUF_LEN};
use std::io;
use std::sync::mpsc;

const DEPTH: usize = 4;

fn worker_gone() -> PackageError {
    PackageError::Io { op: "pipelining".into(), source: io::Error::other("the worker thread stopped") }
}

/// Runs `produce` on a worker thread, filling buffers (returning how many bytes, 0 at the end), while
/// `consume` takes them in order on the caller's thread.
pub(crate) fn produce_on_worker<P, C>(mut produce: P, mut consume: C) -> Result<(), PackageError>
where
    P: FnMut(&mut [u8]) -> Result<usize, PackageError> + Send,
    C: FnMut(&[u8]) -> Result<(), PackageError>,
{
    std::thread::scope(|s| {
        type Filled = Result<(Vec<u8>, usize), PackageError>;
        let (full_tx, full_rx) = mpsc::sync_channel::<Filled>(DEPTH);
        let (empty_tx, empty_rx) = mpsc::sync_channel::<Vec<u8>>(DEPTH);
        for _ in 0..DEPTH {
            let _ = empty_tx.send(vec![0u8; BUF_LEN]);
        }
        s.spawn(move || {
            while let Ok(mut buf) = empty_rx.recv() {
                let filled = produce(&mut buf);
                let last = !matches!(filled, Ok(n) if n > 0);
                if full_tx.send(filled.map(|n| (buf, n))).is_err() || last {
                    return;
                }
            }
        });
        let result = (|| loop {
            match full_rx.recv() {
                Ok(Ok((_, 0))) => return Ok(()),
                Ok(Ok((buf, n))) => {
                    consume(&buf[..n])?;
                    let _ = empty_tx.send(buf);
                }
                Ok(Err(e)) => return Err(e),
                Err(_) => return Err(worker_gone()),
            }
        })();
        // Closing both channels stops the worker wherever it waits.
        drop(full_rx);
        drop(empty_tx);
        result
    })
}

/// Runs `produce` on the caller's thread (it may read from something that cannot cross threads), while
/// `consume` writes the buffers, in order, into `state` on a worker thread; returns `state`.
pub(crate) fn consume_on_worker<W, P, C>(mut produce: P, mut state: W, consume: C) -> Result<W, PackageError>
where
    W: Send,
    P: FnMut(&mut [u8]) -> Result<usize, PackageError>,
    C: Fn(&mut W, &[u8]) -> Result<(), PackageError> + Send,
{
    std::thread::scope(|s| {
        let (full_tx, full_rx) = mpsc::sync_channel::<(Vec<u8>, usize)>(DEPTH);
        let (empty_tx, empty_rx) = mpsc::sync_channel::<Vec<u8>>(DEPTH);
        for _ in 0..DEPTH {
            let _ = empty_tx.send(vec![0u8; BUF_LEN]);
        }
        let worker = s.spawn(move || -> Result<W, PackageError> {
            while let Ok((buf, n)) = full_rx.recv() {
                consume(&mut state, &buf[..n])?;
                let _ = empty_tx.send(buf);
            }
            Ok(state)
        });
        let produced = (|| loop {
            // A closed channel means the worker failed; its error is the one reported.
            let Ok(mut buf) = empty_rx.recv() else { return Ok(()) };
            let n = produce(&mut buf)?;
            if n == 0 || full_tx.send((buf, n)).is_err() {
                return Ok(());
            }
        })();
        drop(full_tx);
        let worked = worker.join().map_err(|_| worker_gone())?;
        produced?;
        worked
    })
}
