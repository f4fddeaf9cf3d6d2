//! Fuzzes the package reader. The first byte picks the mode: even, the rest is a whole file; odd, the rest
//! is a file without its signature, which the target signs with the seeded sender's key, so mutations
//! reach the manifest checks, decryption and hash checks behind the signature. Either way the reader
//! must not panic, and a package must never be accepted unless it is signed by the seeded sender.

#![no_main]

use libfuzzer_sys::fuzz_target;
use lixiang_core::package::{inspect_reader, open_reader, AttachmentMeta, AttachmentSink, Limits};
use std::io::{self, Cursor};

struct Sink;

impl AttachmentSink for Sink {
    type Writer = io::Sink;
    type Output = ();
    fn begin(&mut self, _: &AttachmentMeta) -> io::Result<io::Sink> {
        Ok(io::sink())
    }
    fn finish(&mut self, _: io::Sink, _: &AttachmentMeta) -> io::Result<()> {
        Ok(())
    }
    fn abort(&mut self, _: io::Sink) {}
    fn discard(&mut self, _: ()) {}
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let resigned = mode & 1 == 1;
    let bytes = if resigned { lixiang_fuzz::sign(rest) } else { rest.to_vec() };
    let limits = Limits { payload: 1 << 20, attachment: 1 << 20, file: 8 << 20, ..Limits::default() };
    let keys = lixiang_fuzz::recipient();
    let opened = open_reader(Cursor::new(&bytes), "fuzz", Some(&keys), &mut Sink, &limits);
    let inspected = inspect_reader(Cursor::new(&bytes), "fuzz", &limits);
    if let Ok(o) = &opened {
        assert!(inspected.is_ok(), "opened but inspect refused");
        assert_eq!(o.manifest.sender.key_id, lixiang_fuzz::sender().key_id(), "accepted an unsigned package");
    }
    if let Err(e) = &opened {
        // Every refusal has its messages.
        let _ = (e.code(), e.message(lixiang_core::Lang::Zh), e.message(lixiang_core::Lang::En));
    }
});
