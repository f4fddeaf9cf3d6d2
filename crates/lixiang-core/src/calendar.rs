//! Civil dates and moments with their UTC offset, as calls and identity documents need them: a call opens
//! and closes at a moment written with its offset (Asia/Shanghai, +08:00), a project period and race
//! milestones are dates, an ID number holds a birth date.
//!
//! Only the proleptic Gregorian calendar and fixed offsets: time zones with rules are the UI's concern,
//! and China has kept +08:00 without daylight saving since 1991. No clock is read here; whoever needs
//! "today" passes it in, so tests inject it.

/// Days since 1970-01-01 to (year, month, day); the inverse of [`Date::days_since_epoch`].
pub use lixiang_store::civil_from_days;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A calendar date (`2027-03-01`). Always a real date: the constructors refuse 2027-02-29.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// The date, or `None` when it is not on the calendar. Years are limited to 1…9999 (four digits).
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD` exactly (no other separators, no missing zeros).
    pub fn parse(text: &str) -> Option<Date> {
        let b = text.as_bytes();
        if !text.is_ascii() || b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        Date::new(digits(&text[0..4])? as i32, digits(&text[5..7])? as u8, digits(&text[8..10])? as u8)
    }

    /// Parses the 8 digits `YYYYMMDD` of an ID number.
    pub fn parse_compact(text: &str) -> Option<Date> {
        if !text.is_ascii() || text.len() != 8 {
            return None;
        }
        Date::new(digits(&text[0..4])? as i32, digits(&text[4..6])? as u8, digits(&text[6..8])? as u8)
    }

    pub fn year(self) -> i32 {
        self.year
    }
    pub fn month(self) -> u8 {
        self.month
    }
    pub fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (negative before). Howard Hinnant's days_from_civil.
    pub fn days_since_epoch(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }
}

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = String::deserialize(d)?;
        Date::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("{s:?} is not a date YYYY-MM-DD")))
    }
}

/// A moment written with its offset from UTC (`2027-03-01T09:00:00+08:00`). Two moments compare by
/// the instant ([`Moment::unix_seconds`]); the offset is kept so that a deadline is shown as it was set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Moment {
    date: Date,
    hour: u8,
    minute: u8,
    second: u8,
    offset_minutes: i16,
}

/// The offset of Asia/Shanghai, which calls are written in.
pub const SHANGHAI_OFFSET_MINUTES: i16 = 8 * 60;

impl Moment {
    /// The moment, or `None` for an impossible time or an offset beyond ±18:00.
    pub fn new(date: Date, hour: u8, minute: u8, second: u8, offset_minutes: i16) -> Option<Moment> {
        if hour > 23 || minute > 59 || second > 59 || offset_minutes.unsigned_abs() > 18 * 60 {
            return None;
        }
        Some(Moment { date, hour, minute, second, offset_minutes })
    }

    /// Parses RFC 3339 with seconds and an explicit offset (`Z` or `±HH:MM`); fractions of a second
    /// are refused, since no deadline needs them.
    /// Now, in UTC, to the second (the system clock).
    pub fn now_utc() -> Moment {
        Moment::parse(&lixiang_store::now_rfc3339_utc()).expect("the store's clock writes RFC 3339 UTC")
    }

    pub fn parse(text: &str) -> Option<Moment> {
        let b = text.as_bytes();
        // ASCII only, so that every byte index below is a character boundary.
        if !text.is_ascii()
            || b.len() < 20
            || !(b[10] == b'T' || b[10] == b't' || b[10] == b' ')
            || b[13] != b':'
            || b[16] != b':'
        {
            return None;
        }
        let date = Date::parse(&text[0..10])?;
        let (h, m, s) = (digits(&text[11..13])?, digits(&text[14..16])?, digits(&text[17..19])?);
        let offset = match &text[19..] {
            "Z" | "z" => 0,
            o if o.len() == 6 && (o.starts_with('+') || o.starts_with('-')) && o.as_bytes()[3] == b':' => {
                let (oh, om) = (digits(&o[1..3])?, digits(&o[4..6])?);
                if om > 59 {
                    return None;
                }
                let mins = oh * 60 + om;
                let mins = i16::try_from(mins).ok()?;
                if o.starts_with('-') {
                    -mins
                } else {
                    mins
                }
            }
            _ => return None,
        };
        Moment::new(date, h as u8, m as u8, s as u8, offset)
    }

    /// Seconds since 1970-01-01T00:00:00Z.
    pub fn unix_seconds(&self) -> i64 {
        self.date.days_since_epoch() * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
            - i64::from(self.offset_minutes) * 60
    }

    /// The date on the wall clock of the moment's own offset.
    pub fn local_date(&self) -> Date {
        self.date
    }

    pub fn offset_minutes(&self) -> i16 {
        self.offset_minutes
    }

    /// The date on a wall clock at `offset_minutes` from UTC at this instant.
    pub fn date_at(&self, offset_minutes: i16) -> Date {
        let days = (self.unix_seconds() + i64::from(offset_minutes) * 60).div_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        Date::new(y as i32, m as u8, d as u8).expect("a day count is a calendar date")
    }

    /// The date in Beijing (Asia/Shanghai) at this instant: the office's and the applicants' "today", and
    /// the day a decision was made, whatever the offset the moment was written with (the clock writes UTC:
    /// from 00:00 to 08:00 Beijing time the UTC date is still the day before).
    pub fn shanghai_date(&self) -> Date {
        self.date_at(SHANGHAI_OFFSET_MINUTES)
    }
}

impl PartialOrd for Moment {
    fn partial_cmp(&self, other: &Moment) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Moment {
    /// By instant; equal instants written with different offsets are ordered by offset so that the
    /// order agrees with `Eq`.
    fn cmp(&self, other: &Moment) -> std::cmp::Ordering {
        (self.unix_seconds(), self.offset_minutes).cmp(&(other.unix_seconds(), other.offset_minutes))
    }
}

impl fmt::Display for Moment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}T{:02}:{:02}:{:02}", self.date, self.hour, self.minute, self.second)?;
        if self.offset_minutes == 0 {
            return f.write_str("Z");
        }
        let sign = if self.offset_minutes < 0 { '-' } else { '+' };
        let abs = self.offset_minutes.unsigned_abs();
        write!(f, "{sign}{:02}:{:02}", abs / 60, abs % 60)
    }
}

impl Serialize for Moment {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Moment {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Moment, D::Error> {
        let s = String::deserialize(d)?;
        Moment::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("{s:?} is not a time with offset (RFC 3339)")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_beijing_date_of_a_moment_is_the_next_day_from_16_00_utc() {
        let late_utc = Moment::parse("2026-11-30T16:14:00Z").unwrap();
        assert_eq!(late_utc.local_date(), Date::new(2026, 11, 30).unwrap());
        assert_eq!(late_utc.shanghai_date(), Date::new(2026, 12, 1).unwrap());
        assert_eq!(Moment::parse("2026-11-30T15:59:59Z").unwrap().shanghai_date(), Date::new(2026, 11, 30).unwrap());
        assert_eq!(Moment::parse("2027-01-01T07:00:00+08:00").unwrap().shanghai_date(), Date::new(2027, 1, 1).unwrap());
        assert_eq!(Moment::parse("2026-12-31T23:30:00-05:00").unwrap().shanghai_date(), Date::new(2027, 1, 1).unwrap());
        assert_eq!(Moment::parse("1969-12-31T20:00:00Z").unwrap().date_at(0), Date::new(1969, 12, 31).unwrap());
    }

    #[test]
    fn dates_are_real_calendar_dates() {
        assert!(Date::parse("2024-02-29").is_some());
        assert!(Date::parse("2023-02-29").is_none());
        assert!(Date::parse("1900-02-29").is_none());
        assert!(Date::parse("2000-02-29").is_some());
        assert!(Date::parse("2027-13-01").is_none());
        assert!(Date::parse("2027-1-01").is_none());
        assert_eq!(Date::parse_compact("19800101"), Date::new(1980, 1, 1));
        assert_eq!(Date::new(1970, 1, 1).map(Date::days_since_epoch), Some(0));
        assert_eq!(Date::new(2000, 3, 1).map(Date::days_since_epoch), Some(11_017));
        assert_eq!(Date::new(1969, 12, 31).map(Date::days_since_epoch), Some(-1));
    }

    #[test]
    fn moments_compare_by_instant_and_keep_their_offset() {
        let beijing = Moment::parse("2027-03-01T09:00:00+08:00").unwrap();
        let utc = Moment::parse("2027-03-01T01:00:00Z").unwrap();
        assert_eq!(beijing.unix_seconds(), utc.unix_seconds());
        assert_eq!(beijing.to_string(), "2027-03-01T09:00:00+08:00");
        assert_eq!(utc.to_string(), "2027-03-01T01:00:00Z");
        assert!(Moment::parse("2027-03-01T09:00:01+08:00").unwrap() > utc);
        assert!(Moment::parse("2027-03-01T09:00:00").is_none(), "an offset is required");
        assert!(Moment::parse("2027-03-01T24:00:00+08:00").is_none());
        assert!(Moment::parse("2027-03-01T09:00:00+19:00").is_none());
        assert!(Moment::parse("2027-03-01T09:00:00+08:60").is_none());
    }

    proptest::proptest! {
        /// Whatever is typed or found in a file, parsing answers and never panics.
        #[test]
        fn parsing_never_panics(s in "\\PC{0,30}", t in "[0-9T:+Z-]{0,30}") {
            let _ = (Date::parse(&s), Date::parse_compact(&s), Moment::parse(&s));
            let _ = (Date::parse(&t), Date::parse_compact(&t), Moment::parse(&t));
        }
    }

    #[test]
    fn non_ascii_is_refused_not_a_panic() {
        assert_eq!(Moment::parse("2027-03-01T09:00:0é+08:00"), None);
        assert_eq!(Date::parse_compact("2027é01"), None);
    }
}
