//! 公民身份号码 (citizen ID number), GB 11643-1999: how persons are matched (限项, conflicts of
//! interest, team members), never by their names — identical names are common in Tibet.
//!
//! Layout of the 18 characters: 6 digits of the administrative division where the number was issued
//! (GB/T 2260; `54xxxx` is 西藏), 8 digits of the birth date `YYYYMMDD`, 3 digits of sequence, and a check
//! character computed by ISO 7064 MOD 11-2: with aᵢ the first 17 digits and Wᵢ = 2^(18−i) mod 11, the check
//! value is (12 − Σ aᵢ·Wᵢ mod 11) mod 11, written `X` when it is 10. Since 11 is prime and no weight is 0,
//! every single substitution is detected.
//!
//! Residence permits of 港澳台 residents follow the same layout with the divisions 81, 82 and 83, so they
//! pass here too; which document type a number is stays with the record that holds it.

use super::{compact, Problem};
use crate::calendar::Date;
use crate::Lang;

/// Wᵢ = 2^(18−i) mod 11 for positions 1 to 17.
pub const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// The province-level prefixes of GB/T 2260 (and 81/82/83 of the 港澳台 residence permits).
pub const PROVINCES: &[&str] = &[
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43", "44",
    "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82", "83",
];

/// The earliest birth date accepted: an earlier one is a typo, not a living applicant or expert.
pub const EARLIEST_BIRTH: (i32, u8, u8) = (1900, 1, 1);

/// An ID number that passed every check, in canonical form (17 digits and a digit or capital `X`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IdNumber {
    number: String,
    birth: Date,
}

impl serde::Serialize for IdNumber {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.number)
    }
}

/// Why an ID number was refused. Positions are 1-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdNumberError {
    Empty,
    Length {
        found: usize,
    },
    /// Positions 1–17 must be digits, 18 a digit or X.
    BadChar {
        position: usize,
        found: char,
    },
    /// The first two digits are not a province of GB/T 2260.
    UnknownProvince {
        prefix: String,
    },
    /// Digits 7–14 are not a date on the calendar (or before 1900).
    BadBirthDate {
        digits: String,
    },
    BirthInFuture {
        birth: Date,
        today: Date,
    },
    CheckMismatch {
        expected: char,
        found: char,
    },
}

/// The check character for the first 17 digits (`None` if one is not a digit).
pub fn check_char(first17: &str) -> Option<char> {
    let b = first17.as_bytes();
    if b.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (i, &c) in b.iter().enumerate() {
        if !c.is_ascii_digit() {
            return None;
        }
        sum += u32::from(c - b'0') * WEIGHTS[i];
    }
    Some(match (12 - sum % 11) % 11 {
        10 => 'X',
        v => char::from(b'0' + v as u8),
    })
}

impl IdNumber {
    /// Checks a number as a person typed it (full-width digits, spaces, lower-case x accepted);
    /// `today` bounds the birth date.
    pub fn parse(text: &str, today: Date) -> Result<IdNumber, IdNumberError> {
        let s = compact(text).to_ascii_uppercase();
        let count = s.chars().count();
        if count == 0 {
            return Err(IdNumberError::Empty);
        }
        if count != 18 {
            return Err(IdNumberError::Length { found: count });
        }
        for (i, c) in s.chars().enumerate() {
            let ok = c.is_ascii_digit() || (i == 17 && c == 'X');
            if !ok {
                return Err(IdNumberError::BadChar { position: i + 1, found: c });
            }
        }
        if !PROVINCES.contains(&&s[0..2]) {
            return Err(IdNumberError::UnknownProvince { prefix: s[0..2].to_string() });
        }
        let birth_digits = &s[6..14];
        let earliest = Date::new(EARLIEST_BIRTH.0, EARLIEST_BIRTH.1, EARLIEST_BIRTH.2);
        let birth = match Date::parse_compact(birth_digits) {
            Some(d) if Some(d) >= earliest => d,
            _ => return Err(IdNumberError::BadBirthDate { digits: birth_digits.to_string() }),
        };
        if birth > today {
            return Err(IdNumberError::BirthInFuture { birth, today });
        }
        let expected = check_char(&s[..17]).unwrap_or('?');
        let found = s.as_bytes()[17] as char;
        if expected != found {
            return Err(IdNumberError::CheckMismatch { expected, found });
        }
        Ok(IdNumber { number: s, birth })
    }

    pub fn as_str(&self) -> &str {
        &self.number
    }

    /// The division of issue (digits 1–6).
    pub fn division(&self) -> &str {
        &self.number[0..6]
    }

    /// Whether the number was issued in 西藏 (`54xxxx`): pre-fills an expert's region.
    pub fn is_xizang(&self) -> bool {
        self.number.starts_with("54")
    }

    pub fn birth_date(&self) -> Date {
        self.birth
    }
}

impl std::fmt::Display for IdNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.number)
    }
}

impl IdNumberError {
    /// Stable code for the UI and tests.
    pub fn code(&self) -> &'static str {
        match self {
            IdNumberError::Empty => "id_number.empty",
            IdNumberError::Length { .. } => "id_number.length",
            IdNumberError::BadChar { .. } => "id_number.bad_char",
            IdNumberError::UnknownProvince { .. } => "id_number.division",
            IdNumberError::BadBirthDate { .. } => "id_number.birth_date",
            IdNumberError::BirthInFuture { .. } => "id_number.birth_in_future",
            IdNumberError::CheckMismatch { .. } => "id_number.check",
        }
    }

    /// What is wrong and what to do.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (IdNumberError::Empty, Lang::Zh) => "身份证号码为空，请填写 18 位公民身份号码".into(),
            (IdNumberError::Empty, Lang::En) => "The ID number is empty: enter the 18-character citizen ID number".into(),
            (IdNumberError::Length { found }, Lang::Zh) => {
                format!("身份证号码应为 18 位，现为 {found} 位（15 位旧号码请换用 18 位号码）")
            }
            (IdNumberError::Length { found }, Lang::En) => format!(
                "An ID number has 18 characters, this one has {found} (replace an old 15-digit number by the 18-digit one)"
            ),
            (IdNumberError::BadChar { position, found }, Lang::Zh) => {
                format!("第 {position} 位“{found}”有误：前 17 位只能是数字，第 18 位是数字或 X")
            }
            (IdNumberError::BadChar { position, found }, Lang::En) => format!(
                "Character {position} “{found}” cannot occur: the first 17 are digits, the 18th a digit or X"
            ),
            (IdNumberError::UnknownProvince { prefix }, Lang::Zh) => {
                format!("前 6 位是行政区划代码，但“{prefix}”不是任何省级行政区的代码，请核对")
            }
            (IdNumberError::UnknownProvince { prefix }, Lang::En) => format!(
                "The first 6 digits are an administrative division, but “{prefix}” is no province's code: check them"
            ),
            (IdNumberError::BadBirthDate { digits }, Lang::Zh) => {
                format!("第 7–14 位是出生日期，但“{digits}”不是有效日期，请核对")
            }
            (IdNumberError::BadBirthDate { digits }, Lang::En) => {
                format!("Digits 7–14 are the birth date, but “{digits}” is not a valid date: check them")
            }
            (IdNumberError::BirthInFuture { birth, today }, Lang::Zh) => {
                format!("出生日期 {birth} 晚于今天（{today}），请核对第 7–14 位")
            }
            (IdNumberError::BirthInFuture { birth, today }, Lang::En) => {
                format!("The birth date {birth} is after today ({today}): check digits 7–14")
            }
            (IdNumberError::CheckMismatch { expected, found }, Lang::Zh) => {
                format!("校验位应为 {expected}，现为 {found}：号码中有数字输错，请对照证件逐位核对")
            }
            (IdNumberError::CheckMismatch { expected, found }, Lang::En) => format!(
                "The check character should be {expected}, not {found}: a digit is mistyped; compare each one with the document"
            ),
        }
    }

    /// The failure as a [`Problem`] of the field that holds the number.
    pub fn to_problem(&self, field: impl Into<String>) -> Problem {
        Problem::error(self.code(), field, self.message(Lang::Zh), self.message(Lang::En))
    }
}

impl std::fmt::Display for IdNumberError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for IdNumberError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::new(2026, 6, 1).unwrap()
    }

    /// Synthetic number 1 (no real person): division 540102 (拉萨市城关区), born 1985-03-17, sequence 123.
    ///   5·7=35  4·9=36  0·10=0  1·5=5  0·8=0  2·4=8  1·2=2  9·1=9  8·6=48  5·3=15  0·7=0  3·9=27
    ///   1·10=10  7·5=35  1·8=8  2·4=8  3·2=6
    ///   Σ = 252 = 11·22 + 10; (12 − 10) mod 11 = 2 → `2`.
    const ID_1: &str = "540102198503171232";

    /// Synthetic number 2: division 540402 (林芝市巴宜区), born 2000-02-29 (a leap day), sequence 007.
    ///   5·7=35  4·9=36  0·10=0  4·5=20  0·8=0  2·4=8  2·2=4  0·1=0  0·6=0  0·3=0  0·7=0  2·9=18
    ///   2·10=20  9·5=45  0·8=0  0·4=0  7·2=14
    ///   Σ = 200 = 11·18 + 2; (12 − 2) mod 11 = 10 → `X`.
    const ID_2: &str = "54040220000229007X";

    #[test]
    fn hand_computed_numbers_pass() {
        let a = IdNumber::parse(ID_1, today()).unwrap();
        assert_eq!(a.birth_date(), Date::new(1985, 3, 17).unwrap());
        assert!(a.is_xizang());
        assert_eq!(a.division(), "540102");
        let b = IdNumber::parse(ID_2, today()).unwrap();
        assert_eq!(b.birth_date(), Date::new(2000, 2, 29).unwrap());
        assert_eq!(check_char(&ID_1[..17]), Some('2'));
        assert_eq!(check_char(&ID_2[..17]), Some('X'));
        // Lower-case x, full-width digits and spaces as people type them.
        assert_eq!(IdNumber::parse(" ５４０４０２ 20000229007x", today()).unwrap(), b);
    }

    #[test]
    fn each_failure_says_what_is_wrong() {
        let cases: [(&str, &str); 7] = [
            ("54040220000229007Y", "id_number.bad_char"),
            ("5404022000022900", "id_number.length"),
            ("99040220000229007X", "id_number.division"),
            ("540402200102290070", "id_number.birth_date"), // 2001-02-29 is not a date
            ("540402189912310070", "id_number.birth_date"), // before 1900
            ("540402203001010070", "id_number.birth_in_future"),
            ("540402200002290071", "id_number.check"),
        ];
        for (text, code) in cases {
            let e = IdNumber::parse(text, today()).unwrap_err();
            assert_eq!(e.code(), code, "{text}: {e}");
        }
        let e = IdNumber::parse("540402200002290071", today()).unwrap_err();
        assert_eq!(e, IdNumberError::CheckMismatch { expected: 'X', found: '1' });
        assert!(e.message(Lang::Zh).starts_with("校验位应为 X"));
        assert_eq!(e.to_problem("team[0].id_number").field, "team[0].id_number");
        // Born today is fine; tomorrow is not.
        let born_today = "54010220260601123";
        let full = format!("{born_today}{}", check_char(born_today).unwrap());
        assert!(IdNumber::parse(&full, today()).is_ok());
        assert!(IdNumber::parse(&full, Date::new(2026, 5, 31).unwrap()).is_err());
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn today() -> Date {
        Date::new(2026, 6, 1).unwrap()
    }

    /// A valid number: a province, 4 digits, a real birth date from 1900 to today, 3 digits, the check.
    fn valid() -> impl Strategy<Value = String> {
        let birth = (1900i32..=2026, 1u8..=12)
            .prop_flat_map(|(y, m)| (Just(y), Just(m), 1..=crate::calendar::days_in_month(y, m)))
            .prop_map(|(y, m, d)| Date::new(y, m, d).unwrap())
            .prop_filter("not after today", |d| *d <= today());
        (0..PROVINCES.len(), 0u32..10_000, birth, 0u32..1000).prop_map(|(p, area, d, seq)| {
            let body = format!("{}{area:04}{:04}{:02}{:02}{seq:03}", PROVINCES[p], d.year(), d.month(), d.day());
            format!("{body}{}", check_char(&body).unwrap())
        })
    }

    proptest! {
        /// MOD 11-2 detects every single substitution: any digit or X put anywhere in place of another
        /// makes the number fail, and the checksum alone already disagrees.
        #[test]
        fn every_single_substitution_fails(number in valid()) {
            prop_assert!(IdNumber::parse(&number, today()).is_ok(), "{number}");
            let bytes = number.as_bytes();
            for pos in 0..18 {
                for r in b"0123456789X".iter().copied() {
                    if r == bytes[pos] {
                        continue;
                    }
                    let mut changed = bytes.to_vec();
                    changed[pos] = r;
                    let changed = String::from_utf8(changed).unwrap();
                    prop_assert!(IdNumber::parse(&changed, today()).is_err(), "{number} → {changed} passed");
                    if pos < 17 && r != b'X' {
                        prop_assert_ne!(check_char(&changed[..17]), Some(bytes[17] as char));
                    }
                }
            }
        }
    }
}
