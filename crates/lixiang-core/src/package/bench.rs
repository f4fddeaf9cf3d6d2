//! The package benchmark behind `lixiang bench package`: seal and open one confidential package with a
//! large attachment, against a baseline measured in the same run — SHA-256, age encryption and age
//! decryption of the same bytes in memory, the least work any design must do. Figures only, never a
//! pass/fail: targets are a ratio of at least 0.7 and under 64 MiB of extra peak memory.

use super::{open, seal, AttachmentSource, Kind, Limits, Seal, SecretKeys, StagingDir};
use crate::CoreError;
use sha2::{Digest, Sha256};
use std::io::{self, Read, Write};
use std::time::Instant;

/// What one run measured. Times in seconds; throughputs in MiB/s of attachment plaintext.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BenchReport {
    pub size_bytes: u64,
    pub seal_s: f64,
    /// The part of `seal_s` spent making the file durable (fsync): the disk's speed, not the code's.
    pub seal_flush_s: f64,
    pub open_s: f64,
    /// Size of the sealed file.
    pub file_bytes: u64,
    /// size / (seal + open).
    pub package_mib_s: f64,
    pub baseline_sha256_s: f64,
    pub baseline_encrypt_s: f64,
    pub baseline_decrypt_s: f64,
    /// size / (sha256 + encrypt + decrypt).
    pub baseline_mib_s: f64,
    /// package_mib_s / baseline_mib_s (target ≥ 0.7).
    pub ratio: f64,
    /// The same ratio with the durable flush left out: what the code costs over the baseline's
    /// in-memory work, whatever the disk (the baseline writes nothing to disk).
    pub ratio_without_flush: f64,
    /// Resident memory before sealing, after resetting the peak (Linux only).
    pub idle_rss_kib: Option<u64>,
    /// Peak resident memory (VmHWM) during seal and open (Linux only).
    pub peak_kib: Option<u64>,
    /// peak − idle, in MiB (target < 64).
    pub extra_peak_mib: Option<f64>,
}

/// Pseudo-random bytes that are never all in memory: a 1 MiB block, varied per block by its counter.
struct Synthetic {
    block: Vec<u8>,
    counter: u64,
    pos: usize,
    left: u64,
}

impl Synthetic {
    fn new(size: u64) -> Synthetic {
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let block = (0..super::BUF_LEN)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        Synthetic { block, counter: 0, pos: 0, left: size }
    }
}

impl Read for Synthetic {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            return Ok(0);
        }
        if self.pos == self.block.len() {
            self.counter += 1;
            self.block[..8].copy_from_slice(&self.counter.to_le_bytes());
            self.pos = 0;
        }
        let n = buf.len().min(self.block.len() - self.pos).min(self.left as usize);
        buf[..n].copy_from_slice(&self.block[self.pos..self.pos + n]);
        self.pos += n;
        self.left -= n as u64;
        Ok(n)
    }
}

fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Resets the process's peak resident set so VmHWM measures from now on (Linux ≥ 4.0).
fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// Seals and opens one confidential package with a `size_mb` MiB attachment (in a temporary directory),
/// then runs the in-memory baseline over the same bytes.
pub fn seal_open(size_mb: u64) -> crate::Result<BenchReport> {
    let size = size_mb << 20;
    let io_err = |op: &str| {
        let op = op.to_string();
        move |source: io::Error| CoreError::Package {
            file: "(bench)".into(),
            source: super::PackageError::Io { op, source },
        }
    };
    let dir = tempfile::tempdir().map_err(io_err("creating a temporary directory"))?;
    let sender = SecretKeys::generate();
    let receiver = SecretKeys::generate();
    let limits = Limits::default();
    let path = dir.path().join("bench.lxpkg");

    let idle = if reset_peak() { status_kib("VmRSS:") } else { None };
    let t0 = Instant::now();
    let mut source = Synthetic::new(size);
    let sealed = seal(
        &Seal {
            kind: Kind::Submission,
            sender: &sender,
            recipients: std::slice::from_ref(receiver.public()),
            confidential: true,
            created_at: "2027-03-15T08:30:00Z".into(),
            package_id: uuid::Uuid::now_v7(),
            audit_head: None,
        },
        br#"{"bench":true}"#,
        vec![AttachmentSource {
            name: "attachment.bin".into(),
            media_type: "application/octet-stream".into(),
            content: &mut source,
        }],
        &path,
        &limits,
    )?;
    let seal_s = t0.elapsed().as_secs_f64();
    let t1 = Instant::now();
    let mut sink = StagingDir { dir: dir.path().to_path_buf() };
    let opened = open(&path, Some(&receiver), &mut sink, &limits)?;
    let open_s = t1.elapsed().as_secs_f64();
    let peak = idle.and(status_kib("VmHWM:"));
    drop(opened);
    drop(dir);

    // The baseline: the same bytes, in memory, through the three primitives once each.
    let mut data = Vec::with_capacity(size as usize);
    Synthetic::new(size).read_to_end(&mut data).map_err(io_err("generating the data"))?;
    let t = Instant::now();
    let digest = Sha256::digest(&data);
    let baseline_sha256_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let recipient = receiver.public().recipient();
    let mut ciphertext = Vec::with_capacity(data.len() + data.len() / 4096 + 1024);
    {
        let enc = age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
            .map_err(|e| io_err("baseline encryption")(io::Error::other(e.to_string())))?;
        let mut w = enc.wrap_output(&mut ciphertext).map_err(io_err("baseline encryption"))?;
        w.write_all(&data).map_err(io_err("baseline encryption"))?;
        w.finish().map_err(io_err("baseline encryption"))?;
    }
    let baseline_encrypt_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let mut plain = Vec::with_capacity(data.len());
    {
        let dec = age::Decryptor::new_buffered(&ciphertext[..])
            .map_err(|e| io_err("baseline decryption")(io::Error::other(e.to_string())))?;
        let mut r = dec
            .decrypt(std::iter::once(receiver.identity() as &dyn age::Identity))
            .map_err(|e| io_err("baseline decryption")(io::Error::other(e.to_string())))?;
        r.read_to_end(&mut plain).map_err(io_err("baseline decryption"))?;
    }
    let baseline_decrypt_s = t.elapsed().as_secs_f64();
    // Keep the baseline honest: its results are used, and they agree with the package's.
    if plain != data || hex::encode(digest) != sealed.manifest.attachments[0].sha256 {
        return Err(io_err("checking the baseline")(io::Error::other("the baseline disagrees with the package")));
    }

    let mib = size as f64 / f64::from(1 << 20);
    let seal_flush_s = sealed.flushed_in.as_secs_f64();
    let package_mib_s = mib / (seal_s + open_s);
    let baseline_mib_s = mib / (baseline_sha256_s + baseline_encrypt_s + baseline_decrypt_s);
    Ok(BenchReport {
        size_bytes: size,
        seal_s,
        seal_flush_s,
        open_s,
        file_bytes: sealed.size,
        package_mib_s,
        baseline_sha256_s,
        baseline_encrypt_s,
        baseline_decrypt_s,
        baseline_mib_s,
        ratio: package_mib_s / baseline_mib_s,
        ratio_without_flush: (mib / (seal_s - seal_flush_s + open_s)) / baseline_mib_s,
        idle_rss_kib: idle,
        peak_kib: peak,
        extra_peak_mib: idle.zip(peak).map(|(i, p)| p.saturating_sub(i) as f64 / 1024.0),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_small_run_reports_consistent_figures() {
        let r = super::seal_open(2).unwrap();
        assert_eq!(r.size_bytes, 2 << 20);
        assert!(r.file_bytes > r.size_bytes, "the sealed file holds the ciphertext and its framing");
        assert!(r.seal_flush_s > 0.0 && r.seal_flush_s <= r.seal_s, "the fsync is part of the seal");
        assert!(r.ratio > 0.0 && r.ratio_without_flush >= r.ratio, "leaving the fsync out can only help");
    }
}
