//! What the PDF tests share: a fixed creation time, and the real poppler tools (pdftotext, pdffonts,
//! pdfimages from poppler-utils, installed by scripts/setup) to read a PDF back. A missing tool fails
//! the test with what to install: these tests must never pass by skipping.
// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

use lixiang_core::Lang;
use lixiang_pdf::{Created, RenderOptions};
use std::process::Command;

/// 2026-05-01 10:00:00 in Beijing.
pub const FIXED: i64 = 1_777_600_800;

pub fn opts(lang: Lang) -> RenderOptions {
    RenderOptions { lang, created: Created::from_unix(FIXED) }
}

/// Runs a poppler tool on `pdf` and returns its stdout.
pub fn poppler(tool: &str, args: &[&str], pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = match Command::new(tool).args(args).arg(&path).arg("-").output() {
        Ok(o) => o,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            panic!("{tool} is not installed: run scripts/setup (it installs poppler-utils)")
        }
        Err(e) => panic!("cannot run {tool}: {e}"),
    };
    assert!(out.status.success(), "{tool} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("poppler prints UTF-8 with -enc UTF-8")
}

/// The text in content-stream order (`-raw`): a table row reads left to right even when one cell
/// wraps onto several lines, which the default physical-layout mode would interleave.
pub fn pdftotext(pdf: &[u8]) -> String {
    poppler("pdftotext", &["-raw", "-enc", "UTF-8"], pdf)
}

/// pdffonts prints a table; `-` is not a file for it, so it gets the path alone.
pub fn pdffonts(pdf: &[u8]) -> Vec<FontRow> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = match Command::new("pdffonts").arg(&path).output() {
        Ok(o) => o,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            panic!("pdffonts is not installed: run scripts/setup (it installs poppler-utils)")
        }
        Err(e) => panic!("cannot run pdffonts: {e}"),
    };
    assert!(out.status.success(), "pdffonts failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    // name type encoding emb sub uni object ID: the last five columns are fixed, the type may have
    // spaces ("CID Type 0C"), so read from the right.
    text.lines()
        .skip(2)
        .map(|line| {
            let cols: Vec<&str> = line.split_whitespace().collect();
            let n = cols.len();
            assert!(n >= 7, "unexpected pdffonts line: {line}");
            FontRow {
                name: cols[0].to_string(),
                emb: cols[n - 5] == "yes",
                sub: cols[n - 4] == "yes",
                line: line.into(),
            }
        })
        .collect()
}

#[derive(Debug)]
pub struct FontRow {
    pub name: String,
    pub emb: bool,
    pub sub: bool,
    pub line: String,
}

/// Layout breaks long cells and paragraphs into lines; characters are compared without the breaks.
pub fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

pub fn assert_contains_text(haystack: &str, needle: &str) {
    assert!(
        squeeze(haystack).contains(&squeeze(needle)),
        "the PDF's text lacks {needle:?}\n--- pdftotext ---\n{haystack}"
    );
}

/// `pdfimages -list`: (width, height) of every image drawn, in page order.
pub fn pdfimages(pdf: &[u8]) -> Vec<(u32, u32)> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = match Command::new("pdfimages").arg("-list").arg(&path).output() {
        Ok(o) => o,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            panic!("pdfimages is not installed: run scripts/setup (it installs poppler-utils)")
        }
        Err(e) => panic!("cannot run pdfimages: {e}"),
    };
    assert!(out.status.success(), "pdfimages failed: {}", String::from_utf8_lossy(&out.stderr));
    // page num type width height …, after two header lines.
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .skip(2)
        .filter(|l| l.split_whitespace().nth(2) == Some("image"))
        .map(|l| {
            let c: Vec<&str> = l.split_whitespace().collect();
            (c[3].parse().unwrap(), c[4].parse().unwrap())
        })
        .collect()
}
