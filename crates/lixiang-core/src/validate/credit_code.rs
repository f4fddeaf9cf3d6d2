//! 统一社会信用代码 (unified social credit code), GB 32100-2015: how units are matched everywhere
//! (conflicts, partner units, 限项), never by their names.
//!
//! Layout of the 18 characters: 1 registration authority, 1 organisation category, 6 administrative
//! division (GB/T 2260; `54xxxx` is 西藏), 9 organisation code (GB 11714), 1 check character. The
//! alphabet is the digits and the capital letters without I, O, Z, S, V (which read like 1, 0, 2, 5, U),
//! 31 characters in all, each worth its position in [`ALPHABET`].
//!
//! Check character: with Cᵢ the values of the first 17 characters and Wᵢ = 3^(i−1) mod 31, the check
//! value is 31 − (Σ Cᵢ·Wᵢ mod 31), and 31 becomes 0. Since 31 is prime and no weight is 0, changing any
//! one character changes the sum mod 31, so every single substitution is detected.
//!
//! Only the check character is enforced, with the alphabet and the digits of the division: the
//! registration authority and category letters grow as authorities are added, and refusing a real
//! code costs a person more than the rare typo these would catch.

use super::{compact, Problem};
use crate::Lang;

/// The 31 characters of the code, in value order.
pub const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// Wᵢ = 3^(i−1) mod 31 for positions 1 to 17.
pub const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// A credit code that passed every check, in its canonical form (18 capital ASCII characters).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct CreditCode(String);

/// Why a credit code was refused. Positions are 1-based, as a person counts them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreditCodeError {
    Empty,
    Length {
        found: usize,
    },
    /// A character outside the alphabet (a confusable letter I, O, Z, S, V, or not a letter or digit).
    BadChar {
        position: usize,
        found: char,
    },
    /// Characters 3–8 must be the digits of an administrative division.
    DivisionNotDigits {
        position: usize,
        found: char,
    },
    CheckMismatch {
        expected: char,
        found: char,
    },
}

fn value(c: u8) -> Option<u32> {
    ALPHABET.iter().position(|&a| a == c).map(|p| p as u32)
}

/// The check character for the first 17 characters of a code (`None` if one is not in the alphabet).
pub fn check_char(first17: &str) -> Option<char> {
    let b = first17.as_bytes();
    if b.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (i, &c) in b.iter().enumerate() {
        sum += value(c)? * WEIGHTS[i];
    }
    let check = (31 - sum % 31) % 31;
    Some(ALPHABET[check as usize] as char)
}

impl CreditCode {
    /// Checks a code as a person typed it: full-width characters, spaces and lower case are accepted
    /// and normalised first.
    pub fn parse(text: &str) -> Result<CreditCode, CreditCodeError> {
        let s = compact(text).to_ascii_uppercase();
        let count = s.chars().count();
        if count == 0 {
            return Err(CreditCodeError::Empty);
        }
        if count != 18 {
            return Err(CreditCodeError::Length { found: count });
        }
        for (i, c) in s.chars().enumerate() {
            if !c.is_ascii() || value(c as u8).is_none() {
                return Err(CreditCodeError::BadChar { position: i + 1, found: c });
            }
            if (2..8).contains(&i) && !c.is_ascii_digit() {
                return Err(CreditCodeError::DivisionNotDigits { position: i + 1, found: c });
            }
        }
        let expected = check_char(&s[..17]).unwrap_or('?');
        let found = s.as_bytes()[17] as char;
        if expected != found {
            return Err(CreditCodeError::CheckMismatch { expected, found });
        }
        Ok(CreditCode(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The administrative division (characters 3–8), e.g. `540102` (拉萨市城关区).
    pub fn division(&self) -> &str {
        &self.0[2..8]
    }

    /// Whether the unit is registered in 西藏 (division `54xxxx`): pre-fills an expert's region.
    pub fn is_xizang(&self) -> bool {
        self.division().starts_with("54")
    }
}

impl std::fmt::Display for CreditCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl CreditCodeError {
    /// Stable code for the UI and tests.
    pub fn code(&self) -> &'static str {
        match self {
            CreditCodeError::Empty => "credit_code.empty",
            CreditCodeError::Length { .. } => "credit_code.length",
            CreditCodeError::BadChar { .. } => "credit_code.bad_char",
            CreditCodeError::DivisionNotDigits { .. } => "credit_code.division",
            CreditCodeError::CheckMismatch { .. } => "credit_code.check",
        }
    }

    /// What is wrong and what to do.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (CreditCodeError::Empty, Lang::Zh) => "统一社会信用代码为空，请填写营业执照或登记证书上的 18 位代码".into(),
            (CreditCodeError::Empty, Lang::En) => {
                "The unified social credit code is empty: enter the 18 characters on the licence or registration certificate".into()
            }
            (CreditCodeError::Length { found }, Lang::Zh) => {
                format!("统一社会信用代码应为 18 位，现为 {found} 位，请对照证书核对")
            }
            (CreditCodeError::Length { found }, Lang::En) => {
                format!("A unified social credit code has 18 characters, this one has {found}: check it against the certificate")
            }
            (CreditCodeError::BadChar { position, found }, Lang::Zh) => format!(
                "第 {position} 位“{found}”不是代码用字：只能用数字和除 I、O、Z、S、V 以外的大写字母（字母 O 请改为数字 0，I 改为 1）"
            ),
            (CreditCodeError::BadChar { position, found }, Lang::En) => format!(
                "Character {position} “{found}” cannot occur: only digits and capital letters except I, O, Z, S, V (type the digit 0 for O, 1 for I)"
            ),
            (CreditCodeError::DivisionNotDigits { position, found }, Lang::Zh) => {
                format!("第 3–8 位是行政区划代码，应为数字，第 {position} 位却是“{found}”")
            }
            (CreditCodeError::DivisionNotDigits { position, found }, Lang::En) => format!(
                "Characters 3–8 are the administrative division and must be digits; character {position} is “{found}”"
            ),
            (CreditCodeError::CheckMismatch { expected, found }, Lang::Zh) => {
                format!("校验位应为 {expected}，现为 {found}：代码中有字符输错，请对照证书逐位核对")
            }
            (CreditCodeError::CheckMismatch { expected, found }, Lang::En) => format!(
                "The check character should be {expected}, not {found}: a character is mistyped; compare each one with the certificate"
            ),
        }
    }

    /// The failure as a [`Problem`] of the field that holds the code.
    pub fn to_problem(&self, field: impl Into<String>) -> Problem {
        Problem::error(self.code(), field, self.message(Lang::Zh), self.message(Lang::En))
    }
}

impl std::fmt::Display for CreditCodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for CreditCodeError {}

#[cfg(test)]
mod tests {
    use super::*;

    /// Synthetic code 1 (no real unit): authority 9 (市场监管), category 1 (企业), division 540100 (拉萨市),
    /// organisation code MA6T0001 with its GB 11714 check 2 (M=22·3 + A=10·7 + 6·9 + T=29·10 + 1·2 = 482,
    /// 482 mod 11 = 9, 11 − 9 = 2). Values (T is 26 in the GB 32100 alphabet, which skips I O S) × weights:
    ///   9·1=9  1·3=3  5·9=45  4·27=108  0·19=0  1·26=26  0·16=0  0·17=0
    ///   M 21·20=420  A 10·29=290  6·25=150  T 26·13=338  0·8=0  0·24=0  0·10=0  1·30=30  2·28=56
    ///   Σ = 1475 = 31·47 + 18; 31 − 18 = 13 → value 13 is `D`.
    const CODE_1: &str = "91540100MA6T00012D";

    /// Synthetic code 2: authority 1 (机构编制), category 2 (事业单位), division 540000 (西藏自治区),
    /// organisation code 12345678 with its GB 11714 check 8 (3+14+27+40+25+48+28+16 = 201, 201 mod 11 = 3,
    /// 11 − 3 = 8).
    ///   1·1=1  2·3=6  5·9=45  4·27=108  0·19=0  0·26=0  0·16=0  0·17=0
    ///   1·20=20  2·29=58  3·25=75  4·13=52  5·8=40  6·24=144  7·10=70  8·30=240  8·28=224
    ///   Σ = 1083 = 31·34 + 29; 31 − 29 = 2 → `2`.
    const CODE_2: &str = "125400001234567882";

    #[test]
    fn hand_computed_codes_pass() {
        for code in [CODE_1, CODE_2] {
            let c = CreditCode::parse(code).unwrap_or_else(|e| panic!("{code}: {e}"));
            assert_eq!(c.as_str(), code);
            assert!(c.is_xizang());
        }
        assert_eq!(check_char(&CODE_1[..17]), Some('D'));
        assert_eq!(check_char(&CODE_2[..17]), Some('2'));
        assert_eq!(CreditCode::parse(CODE_1).unwrap().division(), "540100");
    }

    #[test]
    fn a_check_value_of_31_becomes_0() {
        // Find a body whose sum is a multiple of 31 by adjusting the last body character (weight 28).
        let base = "9154010000000000";
        let found = ALPHABET.iter().map(|&c| format!("{base}{}", c as char)).find(|b| {
            let s: u32 = b.bytes().enumerate().map(|(i, c)| value(c).unwrap() * WEIGHTS[i]).sum();
            s.is_multiple_of(31)
        });
        let body = found.expect("weight 28 is invertible mod 31, so one character makes the sum 0 mod 31");
        assert_eq!(check_char(&body), Some('0'));
    }

    #[test]
    fn typed_forms_are_normalised() {
        assert!(CreditCode::parse(" ９１５４０１００ma6t 00012d ").is_ok());
    }

    #[test]
    fn each_failure_says_what_is_wrong() {
        let e = CreditCode::parse("91540100MA6T00012E").unwrap_err();
        assert_eq!(e, CreditCodeError::CheckMismatch { expected: 'D', found: 'E' });
        assert!(e.message(Lang::Zh).contains("校验位应为 D"));
        assert_eq!(e.to_problem("applicant.credit_code").code, "credit_code.check");
        assert_eq!(CreditCode::parse("9154").unwrap_err(), CreditCodeError::Length { found: 4 });
        assert_eq!(
            CreditCode::parse("91540100MA6O00012D").unwrap_err(),
            CreditCodeError::BadChar { position: 12, found: 'O' }
        );
        assert_eq!(
            CreditCode::parse("9154A100MA6T00012D").unwrap_err(),
            CreditCodeError::DivisionNotDigits { position: 5, found: 'A' }
        );
        assert_eq!(CreditCode::parse(" ").unwrap_err(), CreditCodeError::Empty);
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    /// A valid code: any authority and category character, 6 division digits, 9 characters of the alphabet.
    fn valid() -> impl Strategy<Value = String> {
        (
            prop::collection::vec(0usize..31, 2),
            prop::collection::vec(0usize..10, 6),
            prop::collection::vec(0usize..31, 9),
        )
            .prop_map(|(head, division, body)| {
                let mut s: String = head.iter().chain(&division).chain(&body).map(|&i| ALPHABET[i] as char).collect();
                let c = check_char(&s).expect("alphabet characters");
                s.push(c);
                s
            })
    }

    proptest! {
        /// The check character detects every single substitution: any character of the alphabet (or one of
        /// the confusable letters) put anywhere in place of another makes the code fail.
        #[test]
        fn every_single_substitution_fails(code in valid()) {
            prop_assert!(CreditCode::parse(&code).is_ok());
            let bytes = code.as_bytes();
            let replacements: Vec<u8> = ALPHABET.iter().copied().chain(*b"IOZSV").collect();
            for pos in 0..18 {
                for &r in &replacements {
                    if r == bytes[pos] {
                        continue;
                    }
                    let mut changed = bytes.to_vec();
                    changed[pos] = r;
                    let changed = String::from_utf8(changed).unwrap();
                    prop_assert!(CreditCode::parse(&changed).is_err(), "{code} → {changed} passed");
                    // The checksum alone catches it too (when the character is in the alphabet).
                    if pos < 17 && value(r).is_some() {
                        prop_assert_ne!(check_char(&changed[..17]), Some(bytes[17] as char));
                    }
                }
            }
        }
    }
}
