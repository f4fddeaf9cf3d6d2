//! Writes valid packages into `fuzz/corpus/reader/`, in both modes of the target (whole file; body to be
//! re-signed), so the fuzzer starts from files that pass every check.

use lixiang_core::package::{seal, AttachmentSource, Kind, Limits, Seal};
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/reader");
    std::fs::create_dir_all(&dir).expect("corpus directory");
    let sender = lixiang_fuzz::sender();
    let recipient = *lixiang_fuzz::recipient().public();
    let cases: [(&str, bool, Vec<(&str, &[u8])>); 3] = [
        ("public", false, vec![("指南.pdf", b"guide")]),
        ("confidential", true, vec![("申报书.pdf", b"%PDF tiny"), ("b.txt", b"")]),
        ("bare", true, vec![]),
    ];
    let tmp = std::env::temp_dir().join("lixiang-fuzz-seed.lxpkg");
    for (name, confidential, attachments) in cases {
        let mut readers: Vec<&[u8]> = attachments.iter().map(|(_, c)| *c).collect();
        let sources = attachments
            .iter()
            .zip(readers.iter_mut())
            .map(|((n, _), r)| AttachmentSource { name: n.to_string(), media_type: "application/pdf".into(), content: r })
            .collect();
        let recipients = if confidential { vec![recipient] } else { vec![] };
        let s = Seal {
            kind: Kind::Submission,
            sender: &sender,
            recipients: &recipients,
            confidential,
            created_at: "2027-03-15T08:30:00Z".into(),
            package_id: uuid::Uuid::now_v7(),
            audit_head: None,
        };
        seal(&s, b"{\"x\":1}", sources, &tmp, &Limits::default()).expect("seal");
        let bytes = std::fs::read(&tmp).expect("read back");
        let whole = [&[0u8][..], &bytes].concat();
        let body = [&[1u8][..], &bytes[..bytes.len() - 64]].concat();
        std::fs::write(dir.join(format!("{name}-whole")), whole).expect("write");
        std::fs::write(dir.join(format!("{name}-body")), body).expect("write");
    }
    let _ = std::fs::remove_file(tmp);
    println!("seeded {}", dir.display());
}
