//! The fonts every printed document uses, found on the system and loaded once per process.
//!
//! Owns: which faces documents may use (Noto Sans CJK SC regular and bold, Tibetan Machine Uni), where
//! they are looked for, and the process-wide cache of the loaded set. It loads exactly these faces and
//! nothing else, so a document looks the same on every machine that has them, and a character none of
//! them covers is caught by [`crate::glyphs`] instead of being drawn by whatever font happens to be
//! installed. Must not touch: typst's layout (see [`crate::world`]).
//!
//! The files are not shipped with the program (the two CJK collections are 40 MB): they are the
//! Debian packages fonts-noto-cjk and fonts-tibetan-machine, declared in `scripts/setup`.
//! `LIXIANG_FONT_DIR` names one more directory, searched first (a Windows install, a test).

use crate::PdfError;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use typst::foundations::Bytes;
use typst::text::{Font, FontBook, FontWeight};
use typst::utils::LazyHash;

/// The families the templates name, in fallback order (`templates/base.typ` lists the same).
pub const CJK_FAMILY: &str = "Noto Sans CJK SC";
pub const TIBETAN_FAMILY: &str = "Tibetan Machine Uni";

/// One face a document needs: its family and weight, the file names it ships under on the platforms
/// we know, and the package that installs it.
struct Wanted {
    family: &'static str,
    bold: bool,
    files: &'static [&'static str],
    package: &'static str,
}

const WANTED: &[Wanted] = &[
    Wanted {
        family: CJK_FAMILY,
        bold: false,
        // Debian's collection first; the single-language OTF is what Adobe and other distributions ship.
        files: &["NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf"],
        package: "fonts-noto-cjk",
    },
    Wanted {
        family: CJK_FAMILY,
        bold: true,
        files: &["NotoSansCJK-Bold.ttc", "NotoSansCJKsc-Bold.otf"],
        package: "fonts-noto-cjk",
    },
    Wanted { family: TIBETAN_FAMILY, bold: false, files: &["TibetanMachineUni.ttf"], package: "fonts-tibetan-machine" },
];

/// How deep below a font directory we look: Debian nests two levels (`opentype/noto/`), and a bound
/// keeps a symlink loop or a huge home directory from stalling a print.
const MAX_DEPTH: usize = 4;

/// The loaded faces and typst's index of them.
pub struct FontSet {
    pub(crate) fonts: Vec<Font>,
    pub(crate) book: LazyHash<FontBook>,
    /// The files the faces came from, in [`WANTED`] order (for reports and tests).
    pub files: Vec<PathBuf>,
}

impl std::fmt::Debug for FontSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FontSet").field("files", &self.files).finish()
    }
}

/// Successful loads are kept for the life of the process (the desktop prints many times; reading
/// 45 MB of fonts each time would be felt). Failures are not kept, so installing the fonts and trying
/// again works without a restart.
static CACHE: Mutex<Option<Arc<FontSet>>> = Mutex::new(None);

/// The font set, loaded on first use from [`search_dirs`].
pub fn system() -> Result<Arc<FontSet>, PdfError> {
    // A poisoned lock only means another thread panicked while loading; the cache is still sound.
    let mut cached = CACHE.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(set) = cached.as_ref() {
        return Ok(Arc::clone(set));
    }
    let set = Arc::new(load(&search_dirs())?);
    *cached = Some(Arc::clone(&set));
    Ok(set)
}

/// Where fonts are looked for, in order: `LIXIANG_FONT_DIR`, then the platform's font directories.
/// The one place that knows platform font paths.
pub fn search_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(d) = std::env::var_os("LIXIANG_FONT_DIR").filter(|d| !d.is_empty()) {
        dirs.push(PathBuf::from(d));
    }
    if cfg!(windows) {
        if let Some(w) = std::env::var_os("WINDIR") {
            dirs.push(Path::new(&w).join("Fonts"));
        }
        if let Some(l) = std::env::var_os("LOCALAPPDATA") {
            dirs.push(Path::new(&l).join("Microsoft").join("Windows").join("Fonts"));
        }
    } else {
        dirs.push(PathBuf::from("/usr/share/fonts"));
        dirs.push(PathBuf::from("/usr/local/share/fonts"));
        match std::env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
            Some(x) => dirs.push(Path::new(&x).join("fonts")),
            None => {
                if let Some(h) = std::env::var_os("HOME") {
                    dirs.push(Path::new(&h).join(".local/share/fonts"));
                }
            }
        }
        if let Some(h) = std::env::var_os("HOME") {
            dirs.push(Path::new(&h).join(".fonts"));
        }
    }
    dirs
}

/// Loads the wanted faces from the first matching files below `dirs`. Errors name the family, the
/// file names and package, and every directory searched.
pub fn load(dirs: &[PathBuf]) -> Result<FontSet, PdfError> {
    let mut fonts = Vec::new();
    let mut files = Vec::new();
    for w in WANTED {
        let path = find(dirs, w.files).ok_or_else(|| PdfError::FontMissing {
            family: format!("{}{}", w.family, if w.bold { " Bold" } else { "" }),
            files: w.files.iter().map(|f| f.to_string()).collect(),
            package: w.package.to_string(),
            searched: dirs.to_vec(),
        })?;
        let data =
            std::fs::read(&path).map_err(|e| PdfError::FontUnreadable { path: path.clone(), reason: e.to_string() })?;
        // A collection holds the JP, KR, TC, HK and Mono faces too: keep only the one we name, so
        // fallback never picks a Japanese or Korean glyph form for a Chinese character.
        let face = Font::iter(Bytes::new(data))
            .find(|f| f.info().family == w.family && (f.info().variant.weight >= FontWeight::BOLD) == w.bold)
            .ok_or_else(|| PdfError::FontUnreadable {
                path: path.clone(),
                reason: format!(
                    "no face of the family {} ({}) in this file",
                    w.family,
                    if w.bold { "bold" } else { "regular" }
                ),
            })?;
        fonts.push(face);
        files.push(path);
    }
    let book = LazyHash::new(FontBook::from_fonts(&fonts));
    Ok(FontSet { fonts, book, files })
}

/// The first file named one of `names` below any of `dirs` (each searched in full before the next,
/// so `LIXIANG_FONT_DIR` wins over the system).
fn find(dirs: &[PathBuf], names: &[&str]) -> Option<PathBuf> {
    dirs.iter().find_map(|d| find_in(d, names, 0))
}

fn find_in(dir: &Path, names: &[&str], depth: usize) -> Option<PathBuf> {
    let entries = std::fs::read_dir(dir).ok()?;
    let mut subdirs = Vec::new();
    for e in entries.flatten() {
        let path = e.path();
        if path.is_dir() {
            subdirs.push(path);
        } else if e.file_name().to_str().is_some_and(|n| names.contains(&n)) {
            return Some(path);
        }
    }
    if depth >= MAX_DEPTH {
        return None;
    }
    // Sorted so two machines with the same files pick the same one.
    subdirs.sort();
    subdirs.into_iter().find_map(|d| find_in(&d, names, depth + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_font_names_the_package_and_the_places_searched() {
        let empty = tempfile::tempdir().unwrap();
        let err = load(&[empty.path().to_path_buf()]).unwrap_err();
        match err {
            PdfError::FontMissing { family, package, searched, .. } => {
                assert_eq!(family, CJK_FAMILY);
                assert_eq!(package, "fonts-noto-cjk");
                assert_eq!(searched, vec![empty.path().to_path_buf()]);
            }
            other => panic!("expected FontMissing, got {other:?}"),
        }
    }

    #[test]
    fn a_file_with_the_right_name_but_no_font_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("NotoSansCJK-Regular.ttc"), b"not a font").unwrap();
        let err = load(&[dir.path().to_path_buf()]).unwrap_err();
        assert!(matches!(err, PdfError::FontUnreadable { .. }), "{err:?}");
    }
}
