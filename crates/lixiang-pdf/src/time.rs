//! When a document was made: printed in its footer and stored as its PDF creation date, in Beijing
//! time (UTC+8, the time people filing applications in Tibet read), without a time-zone database.
//!
//! Owns: the one clock reading of a print. The caller passes it in, so a test (or
//! `SOURCE_DATE_EPOCH`) can fix it and get a byte-identical file.

use typst::foundations::Datetime;

/// Beijing time's offset from UTC, in minutes. China has no daylight saving time.
const OFFSET_MINUTES: i64 = 8 * 60;

/// A creation time in UTC+8, to the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Created {
    year: i32,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
}

impl Created {
    /// The moment `unix_seconds` after 1970-01-01 00:00 UTC.
    pub fn from_unix(unix_seconds: i64) -> Created {
        let local = unix_seconds + OFFSET_MINUTES * 60;
        let days = local.div_euclid(86_400);
        let secs = local.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        // rem_euclid keeps `secs` in 0..86400, so the casts below cannot truncate.
        Created {
            year,
            month,
            day,
            hour: (secs / 3600) as u8,
            minute: (secs % 3600 / 60) as u8,
            second: (secs % 60) as u8,
        }
    }

    /// Now, by the system clock (a clock before 1970 reads as 1970).
    pub fn now() -> Created {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX / 2))
            .unwrap_or(0);
        Created::from_unix(secs)
    }

    /// `SOURCE_DATE_EPOCH` when set to a number (the reproducible-builds convention, so a script or a
    /// test gets the same file twice), else now.
    pub fn from_env_or_now() -> Created {
        std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .and_then(|s| s.trim().parse::<i64>().ok())
            .map_or_else(Created::now, Created::from_unix)
    }

    /// `2026-05-01 10:00` as printed in a footer.
    pub fn display(&self) -> String {
        format!("{:04}-{:02}-{:02} {:02}:{:02}", self.year, self.month, self.day, self.hour, self.minute)
    }

    /// The same moment as typst's date-time (local time; the offset goes into the PDF separately).
    /// `None` only for years typst cannot represent (beyond ±9999).
    pub(crate) fn to_typst(self) -> Option<Datetime> {
        Datetime::from_ymd_hms(self.year, self.month, self.day, self.hour, self.minute, self.second)
    }

    /// The PDF's creation date: this moment with its +08:00 offset.
    pub(crate) fn to_pdf_timestamp(self) -> Option<typst_pdf::Timestamp> {
        typst_pdf::Timestamp::new_local(self.to_typst()?, OFFSET_MINUTES as i32)
    }
}

/// Days since 1970-01-01 to (year, month, day), as the store computes it, in the types typst takes.
fn civil_from_days(days: i64) -> (i32, u8, u8) {
    let (year, month, day) = lixiang_core::calendar::civil_from_days(days);
    (year.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32, month as u8, day as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_seconds_become_beijing_time() {
        assert_eq!(Created::from_unix(0).display(), "1970-01-01 08:00");
        // 2026-04-30 16:30:05 UTC is 2026-05-01 00:30:05 in Beijing: the date rolls over.
        let c = Created::from_unix(1_777_566_605);
        assert_eq!(c.display(), "2026-05-01 00:30");
        assert_eq!(c.second, 5);
        // Leap day.
        assert_eq!(Created::from_unix(1_709_164_800).display(), "2024-02-29 08:00");
        assert_eq!(Created::from_unix(-1).display(), "1970-01-01 07:59");
    }
}
