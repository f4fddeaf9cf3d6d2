//! The daily automatic backup's decisions, kept pure so they are tested without a clock or a disk:
//! whether a backup is due, the names of backup files, and which automatic backups to delete. The
//! settings (folder, how many to keep, when the last one was written) are workspace preferences.
//!
//! Only files named exactly `lixiang-auto-YYYYMMDD.lxpkg` are ever pruned: a backup the person made
//! by hand (`lixiang-backup-…`) or any other file in the folder is never touched.

use crate::calendar::Moment;
use crate::{CoreError, Lang, Result, Workspace};
use lixiang_store::Unaudited;
use serde::Serialize;

/// A day, the interval of automatic backups.
pub const INTERVAL_SECONDS: i64 = 24 * 3600;
/// How many automatic backups are kept when the person has not said.
pub const DEFAULT_KEEP: u32 = 7;
/// The most that may be kept.
pub const MAX_KEEP: u32 = 365;

const AUTO_PREFIX: &str = "lixiang-auto-";
const SUFFIX: &str = ".lxpkg";
const FOLDER_KEY: &str = "backup.auto.folder";
const KEEP_KEY: &str = "backup.auto.keep";
const LAST_KEY: &str = "backup.auto.last";

/// Whether an automatic backup is due at `now`: never made, made 24 hours ago or more, or "made" in
/// the future (the clock was turned back: better one backup too many than none).
pub fn is_due(last_unix: Option<i64>, now_unix: i64) -> bool {
    match last_unix {
        None => true,
        Some(last) => now_unix - last >= INTERVAL_SECONDS || last > now_unix,
    }
}

/// (year, month, day, hour, minute) on the wall clock `offset_minutes` from UTC.
fn wall_clock(unix: i64, offset_minutes: i16) -> (i64, u32, u32, u32, u32) {
    let local = unix + i64::from(offset_minutes) * 60;
    let days = local.div_euclid(86_400);
    let secs = local.rem_euclid(86_400);
    let (year, month, day) = lixiang_store::civil_from_days(days);
    (year, month, day, (secs / 3600) as u32, ((secs % 3600) / 60) as u32)
}

/// The moment `unix` as RFC 3339 in UTC (`2026-11-29T08:00:00Z`), as the last backup time is stored.
pub fn utc_text(unix: i64) -> String {
    let (y, mo, d, h, mi) = wall_clock(unix, 0);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{:02}Z", unix.rem_euclid(60))
}

/// `lixiang-backup-YYYYMMDD-HHMM.lxpkg`, the name proposed for a backup made by hand.
pub fn manual_file_name(now_unix: i64, offset_minutes: i16) -> String {
    let (y, mo, d, h, mi) = wall_clock(now_unix, offset_minutes);
    format!("lixiang-backup-{y:04}{mo:02}{d:02}-{h:02}{mi:02}{SUFFIX}")
}

/// `lixiang-auto-YYYYMMDD.lxpkg`, the name of the automatic backup of that day.
pub fn auto_file_name(now_unix: i64, offset_minutes: i16) -> String {
    let (y, mo, d, _, _) = wall_clock(now_unix, offset_minutes);
    format!("{AUTO_PREFIX}{y:04}{mo:02}{d:02}{SUFFIX}")
}

/// Whether `name` is an automatic backup's (`lixiang-auto-` + 8 digits + `.lxpkg`).
pub fn is_auto_file_name(name: &str) -> bool {
    name.strip_prefix(AUTO_PREFIX)
        .and_then(|rest| rest.strip_suffix(SUFFIX))
        .is_some_and(|date| date.len() == 8 && date.bytes().all(|b| b.is_ascii_digit()))
}

/// Of the file names in the backup folder, the automatic backups to delete so that `keep` remain:
/// the oldest first (the date in the name orders them). Other files are never listed.
pub fn to_prune(names: &[String], keep: u32) -> Vec<String> {
    let mut auto: Vec<&String> = names.iter().filter(|n| is_auto_file_name(n)).collect();
    auto.sort();
    auto.dedup();
    let excess = auto.len().saturating_sub(keep.max(1) as usize);
    auto.into_iter().take(excess).cloned().collect()
}

/// The automatic backup's settings in this workspace.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct AutoBackup {
    /// The folder the daily backup is written to; `None` when automatic backup is off.
    pub folder: Option<String>,
    /// How many automatic backups are kept (the oldest beyond are deleted).
    pub keep: u32,
    /// When the last automatic backup was written (RFC 3339 UTC), if ever.
    pub last: Option<String>,
}

/// The settings, with the defaults where nothing was chosen.
pub fn settings(ws: &mut Workspace) -> Result<AutoBackup> {
    let (folder, keep, last) = ws
        .store
        .read(|r| Ok::<_, CoreError>((r.preference(FOLDER_KEY)?, r.preference(KEEP_KEY)?, r.preference(LAST_KEY)?)))?;
    Ok(AutoBackup {
        folder: folder.filter(|f| !f.is_empty()),
        keep: keep.and_then(|k| k.parse().ok()).unwrap_or(DEFAULT_KEEP).clamp(1, MAX_KEEP),
        last: last.filter(|l| !l.is_empty()),
    })
}

/// Chooses the folder (`None` turns automatic backup off) and how many to keep (1 to 365). The folder
/// must be an absolute path to an existing directory.
pub fn set(ws: &mut Workspace, folder: Option<String>, keep: u32, lang: Lang) -> Result<AutoBackup> {
    if !(1..=MAX_KEEP).contains(&keep) {
        return Err(CoreError::Validation {
            field: lang.pick("保留份数", "backups kept").into(),
            reason: lang.pick("须在 1 到 365 之间", "must be between 1 and 365").into(),
        });
    }
    let folder = folder.map(|f| f.trim().to_string()).filter(|f| !f.is_empty());
    if let Some(f) = &folder {
        let p = std::path::Path::new(f);
        if !p.is_absolute() || !p.is_dir() {
            return Err(CoreError::Validation {
                field: f.clone(),
                reason: lang.pick("不是已存在的文件夹", "is not an existing folder").into(),
            });
        }
    }
    let stored = folder.clone().unwrap_or_default();
    ws.store.write_unaudited(Unaudited::Preference, |w| {
        w.preference_set(FOLDER_KEY, &stored)?;
        w.preference_set(KEEP_KEY, &keep.to_string())?;
        Ok::<_, CoreError>(())
    })?;
    settings(ws)
}

/// Records that an automatic backup was written at `at` (RFC 3339).
pub fn record_done(ws: &mut Workspace, at: &str) -> Result<()> {
    ws.store.write_unaudited(Unaudited::Preference, |w| Ok(w.preference_set(LAST_KEY, at)?))
}

/// The last automatic backup's time in seconds since the epoch, when recorded and readable.
pub fn last_unix(settings: &AutoBackup) -> Option<i64> {
    settings.last.as_deref().and_then(Moment::parse).map(|m| m.unix_seconds())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{Date, SHANGHAI_OFFSET_MINUTES};

    fn unix(text: &str) -> i64 {
        Moment::parse(text).unwrap().unix_seconds()
    }

    #[test]
    fn a_backup_is_due_when_never_made_or_a_day_old() {
        let now = unix("2026-11-29T08:00:00Z");
        assert!(is_due(None, now));
        assert!(!is_due(Some(now), now));
        assert!(!is_due(Some(now - INTERVAL_SECONDS + 1), now), "23:59:59 ago is not yet due");
        assert!(is_due(Some(now - INTERVAL_SECONDS), now));
        assert!(is_due(Some(now - 10 * INTERVAL_SECONDS), now));
        assert!(is_due(Some(now + 3600), now), "a last time in the future means the clock moved back");
    }

    #[test]
    fn file_names_carry_the_wall_clock_date() {
        let t = unix("2026-11-29T17:05:00Z");
        assert_eq!(manual_file_name(t, 0), "lixiang-backup-20261129-1705.lxpkg");
        // 01:05 the next day in Beijing.
        assert_eq!(manual_file_name(t, SHANGHAI_OFFSET_MINUTES), "lixiang-backup-20261130-0105.lxpkg");
        assert_eq!(auto_file_name(t, SHANGHAI_OFFSET_MINUTES), "lixiang-auto-20261130.lxpkg");
        assert_eq!(auto_file_name(unix("2028-02-29T00:00:00Z"), 0), "lixiang-auto-20280229.lxpkg");
        assert_eq!(auto_file_name(unix("1999-12-31T23:59:59Z"), 0), "lixiang-auto-19991231.lxpkg");
        assert_eq!(utc_text(unix("2026-11-29T17:05:09+08:00")), "2026-11-29T09:05:09Z");
        // Agrees with the calendar for many days.
        for d in (0..40_000).step_by(97) {
            let secs = d * 86_400 + 3_600;
            let (y, m, day, h, _) = wall_clock(secs, 0);
            let date = Date::new(y as i32, m as u8, day as u8).unwrap();
            assert_eq!(date.days_since_epoch(), d);
            assert_eq!(h, 1);
        }
    }

    #[test]
    fn only_automatic_backup_names_are_recognised() {
        assert!(is_auto_file_name("lixiang-auto-20261129.lxpkg"));
        for other in [
            "lixiang-backup-20261129-0800.lxpkg",
            "lixiang-auto-2026112.lxpkg",
            "lixiang-auto-2026112x.lxpkg",
            "lixiang-auto-20261129.lxpkg.tmp",
            "lixiang-auto-20261129-2.lxpkg",
            "my-lixiang-auto-20261129.lxpkg",
            "notes.txt",
        ] {
            assert!(!is_auto_file_name(other), "{other}");
        }
    }

    #[test]
    fn pruning_deletes_the_oldest_automatic_backups_beyond_keep_and_nothing_else() {
        let names: Vec<String> = [
            "lixiang-auto-20261127.lxpkg",
            "notes.txt",
            "lixiang-auto-20261125.lxpkg",
            "lixiang-backup-20260101-0900.lxpkg",
            "lixiang-auto-20261129.lxpkg",
            "lixiang-auto-20261126.lxpkg",
            "lixiang-auto-20261128.lxpkg",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(to_prune(&names, 3), vec!["lixiang-auto-20261125.lxpkg", "lixiang-auto-20261126.lxpkg"]);
        assert_eq!(to_prune(&names, 5), Vec::<String>::new());
        assert_eq!(to_prune(&names, 50), Vec::<String>::new());
        assert_eq!(to_prune(&names, 0).len(), 4, "at least the newest is always kept");
        assert_eq!(to_prune(&[], 1), Vec::<String>::new());
    }

    #[test]
    fn settings_are_kept_in_the_workspace_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        let folder = tempfile::tempdir().unwrap();
        let mut ws = Workspace::open(&dir.path().join("ws")).unwrap();
        assert_eq!(settings(&mut ws).unwrap(), AutoBackup { folder: None, keep: DEFAULT_KEEP, last: None });
        let f = folder.path().display().to_string();
        let s = set(&mut ws, Some(f.clone()), 3, Lang::En).unwrap();
        assert_eq!(s, AutoBackup { folder: Some(f.clone()), keep: 3, last: None });
        assert!(set(&mut ws, Some(f.clone()), 0, Lang::En).is_err());
        assert!(set(&mut ws, Some("relative/dir".into()), 3, Lang::En).is_err());
        assert!(set(&mut ws, Some(folder.path().join("missing").display().to_string()), 3, Lang::Zh).is_err());
        record_done(&mut ws, "2026-11-29T08:00:00Z").unwrap();
        let s = settings(&mut ws).unwrap();
        assert_eq!(last_unix(&s), Some(unix("2026-11-29T08:00:00Z")));
        assert_eq!(set(&mut ws, None, 2, Lang::Zh).unwrap().folder, None, "off");
    }
}
