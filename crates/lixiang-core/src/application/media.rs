//! What kind of file an attachment really is, from its first bytes (magic numbers), so that a Word
//! document or a photo renamed `.pdf` is caught before it reaches the office. The blob-side caller reads
//! the first bytes of the file, records [`sniff_media_type`]'s answer in the attachment, and the checks
//! compare it with the file name's extension ([`media_type_for_extension`]).

/// PDF.
pub const PDF: &str = "application/pdf";
pub const PNG: &str = "image/png";
pub const JPEG: &str = "image/jpeg";
pub const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
pub const ZIP: &str = "application/zip";
/// What an attachment records when nothing was recognised.
pub const UNKNOWN: &str = "application/octet-stream";

/// The media type of a file from its first bytes, or `None` when none of the known signatures match.
///
/// PDF (`%PDF-`, which readers also accept after up to 1024 bytes of junk), PNG, JPEG, and ZIP; a ZIP is
/// told apart as docx or xlsx by the names of its entries (`word/…`, `xl/…`) in the local file headers
/// found among the bytes given, so pass the first few KiB (8 KiB recognises every Office file seen);
/// with fewer it may only answer `application/zip`.
pub fn sniff_media_type(first_bytes: &[u8]) -> Option<&'static str> {
    let b = first_bytes;
    if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(PNG);
    }
    if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(JPEG);
    }
    if b.starts_with(b"PK\x03\x04") {
        return Some(ooxml_kind(b));
    }
    let head = &b[..b.len().min(1024 + 5)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        return Some(PDF);
    }
    None
}

/// docx, xlsx or a plain ZIP, from the entry names of the local file headers (`PK\3\4`, name length at
/// offset 26, name at 30). Every header present in the bytes is looked at, so entries whose sizes are
/// only in a trailing data descriptor do not stop the scan.
fn ooxml_kind(b: &[u8]) -> &'static str {
    let mut i = 0;
    while i + 30 <= b.len() {
        if &b[i..i + 4] == b"PK\x03\x04" {
            let len = usize::from(u16::from_le_bytes([b[i + 26], b[i + 27]]));
            let name = &b[i + 30..b.len().min(i + 30 + len)];
            if name.starts_with(b"word/") {
                return DOCX;
            }
            if name.starts_with(b"xl/") {
                return XLSX;
            }
            i += 30;
        } else {
            i += 1;
        }
    }
    ZIP
}

/// The media type a file name's extension promises (case-insensitive), for the extensions calls accept.
pub fn media_type_for_extension(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "pdf" => PDF,
        "png" => PNG,
        "jpg" | "jpeg" => JPEG,
        "docx" => DOCX,
        "xlsx" => XLSX,
        "zip" => ZIP,
        _ => return None,
    })
}

/// The lower-case extension of a file name, if it has one.
pub fn extension(name: &str) -> Option<String> {
    let (stem, ext) = name.rsplit_once('.')?;
    (!stem.is_empty() && !ext.is_empty()).then(|| ext.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A local file header for `name` with no data, as a ZIP writer puts it before each entry.
    fn entry(name: &str) -> Vec<u8> {
        let mut h = b"PK\x03\x04".to_vec();
        h.extend_from_slice(&[20, 0, 8, 0, 8, 0, 0, 0, 0, 0]); // version, flags (data descriptor), method, time, date
        h.extend_from_slice(&[0; 12]); // crc, sizes: in the data descriptor
        h.extend_from_slice(&(name.len() as u16).to_le_bytes());
        h.extend_from_slice(&[0, 0]);
        h.extend_from_slice(name.as_bytes());
        h.extend_from_slice(b"\x03\x00compressed...");
        h
    }

    #[test]
    fn magic_numbers() {
        assert_eq!(sniff_media_type(b"%PDF-1.7\n%\xe2\xe3"), Some(PDF));
        assert_eq!(sniff_media_type(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some(PNG));
        assert_eq!(sniff_media_type(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F']), Some(JPEG));
        assert_eq!(sniff_media_type(b"Hello, world"), None);
        assert_eq!(sniff_media_type(b""), None);
        // A PDF after a little junk (some scanners write a header) is still a PDF.
        assert_eq!(sniff_media_type(b"\r\n\r\n%PDF-1.4"), Some(PDF));

        let mut docx = entry("[Content_Types].xml");
        docx.extend(entry("_rels/.rels"));
        docx.extend(entry("word/document.xml"));
        assert_eq!(sniff_media_type(&docx), Some(DOCX));
        let mut xlsx = entry("[Content_Types].xml");
        xlsx.extend(entry("xl/workbook.xml"));
        assert_eq!(sniff_media_type(&xlsx), Some(XLSX));
        assert_eq!(sniff_media_type(&entry("data.csv")), Some(ZIP));
        // A truncated header does not panic.
        assert_eq!(sniff_media_type(&docx[..40]), Some(ZIP));
    }

    #[test]
    fn extensions() {
        assert_eq!(media_type_for_extension("签字盖章页.PDF"), Some(PDF));
        assert_eq!(media_type_for_extension("photo.jpeg"), Some(JPEG));
        assert_eq!(media_type_for_extension("预算.xlsx"), Some(XLSX));
        assert_eq!(media_type_for_extension("readme"), None);
        assert_eq!(extension("a.tar.GZ").as_deref(), Some("gz"));
        assert_eq!(extension(".pdf"), None);
    }
}
