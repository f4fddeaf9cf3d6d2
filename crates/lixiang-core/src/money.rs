//! Money: stored as integer fen (分); people type 万元 with up to 4 decimals (1 万元 = 1,000,000 分).

use crate::Lang;

/// Why a typed amount was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoneyError {
    Empty,
    NotANumber,
    TooManyDecimals,
    TooLarge,
}

impl MoneyError {
    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            MoneyError::Empty => lang.pick("金额为空", "the amount is empty"),
            MoneyError::NotANumber => {
                lang.pick("应为以万元计的非负数，如 35.5", "must be a non-negative amount in 万元, such as 35.5")
            }
            MoneyError::TooManyDecimals => {
                lang.pick("万元最多 4 位小数（精确到元）", "at most 4 decimals of 万元 (one yuan)")
            }
            MoneyError::TooLarge => lang.pick("金额过大", "the amount is too large"),
        }
    }
}

/// Fen in one 万元.
pub const FEN_PER_WAN: i64 = 1_000_000;

/// Parses an amount typed in 万元 ("120", "35.5", "0.0001", full-width digits allowed) into fen.
/// Refuses negatives, more than 4 decimals and anything that is not a plain decimal number.
pub fn parse_wan(text: &str) -> Result<i64, MoneyError> {
    let s: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '．' => '.',
            c => c,
        })
        .filter(|c| *c != ',' && *c != '，')
        .collect();
    if s.is_empty() {
        return Err(MoneyError::Empty);
    }
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(MoneyError::NotANumber);
    }
    if frac.len() > 4 {
        return Err(MoneyError::TooManyDecimals);
    }
    let whole: i64 = int.parse().map_err(|_| MoneyError::TooLarge)?;
    let frac_fen: i64 = format!("{frac:0<4}").parse::<i64>().unwrap_or(0) * 100;
    whole.checked_mul(FEN_PER_WAN).and_then(|f| f.checked_add(frac_fen)).ok_or(MoneyError::TooLarge)
}

/// Formats fen as 万元 with 4 decimals and thousands separators ("1,234.5600").
pub fn format_wan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let fen = fen.unsigned_abs();
    let whole = fen / FEN_PER_WAN as u64;
    let frac = (fen % FEN_PER_WAN as u64) / 100;
    let digits = whole.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{frac:04}")
}

/// An amount of money in fen that cannot be negative or fractional: budgets, funding and rewards
/// use it so that neither can be written down at all.
///
/// Addition saturates at `u64::MAX` instead of wrapping: a real budget is more than ten orders of
/// magnitude below it, and a saturated total can only disagree with the amounts it should equal, so
/// the checks that compare totals report it instead of a wrapped, plausible-looking figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Fen(u64);

impl Fen {
    pub const ZERO: Fen = Fen(0);

    pub const fn new(fen: u64) -> Fen {
        Fen(fen)
    }

    /// Whole 万元 (for seeds and tests): `Fen::from_wan_whole(300)` is 300 万元.
    pub const fn from_wan_whole(wan: u64) -> Fen {
        Fen(wan.saturating_mul(FEN_PER_WAN as u64))
    }

    /// Parses an amount typed in 万元, as [`parse_wan`].
    pub fn parse_wan(text: &str) -> Result<Fen, MoneyError> {
        parse_wan(text).map(|f| Fen(f as u64))
    }

    pub const fn get(self) -> u64 {
        self.0
    }

    /// The amount as 万元 with 4 decimals, as [`format_wan`].
    pub fn wan(self) -> String {
        format_wan(i64::try_from(self.0).unwrap_or(i64::MAX))
    }

    pub const fn saturating_sub(self, other: Fen) -> Fen {
        Fen(self.0.saturating_sub(other.0))
    }
}

impl std::ops::Add for Fen {
    type Output = Fen;
    fn add(self, other: Fen) -> Fen {
        Fen(self.0.saturating_add(other.0))
    }
}

impl std::ops::AddAssign for Fen {
    fn add_assign(&mut self, other: Fen) {
        *self = *self + other;
    }
}

impl std::iter::Sum for Fen {
    fn sum<I: Iterator<Item = Fen>>(iter: I) -> Fen {
        iter.fold(Fen::ZERO, |a, b| a + b)
    }
}

impl std::fmt::Display for Fen {
    /// `1,234.5600 万元`: the unit people type.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} 万元", self.wan())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wan_parses_to_exact_fen() {
        assert_eq!(parse_wan("120"), Ok(120 * FEN_PER_WAN));
        assert_eq!(parse_wan("35.5"), Ok(35_500_000));
        assert_eq!(parse_wan("0.0001"), Ok(100));
        assert_eq!(parse_wan(" １２．５ "), Ok(12_500_000));
        assert_eq!(parse_wan("1,000"), Ok(1000 * FEN_PER_WAN));
        assert_eq!(parse_wan(" "), Err(MoneyError::Empty));
        assert_eq!(parse_wan("1.00001"), Err(MoneyError::TooManyDecimals));
        assert_eq!(parse_wan("99999999999999999"), Err(MoneyError::TooLarge));
        for bad in ["-1", "abc", "1e3", ".5"] {
            assert_eq!(parse_wan(bad), Err(MoneyError::NotANumber), "{bad:?}");
        }
    }

    #[test]
    fn fen_formats_as_wan() {
        assert_eq!(format_wan(1_234_560_000), "1,234.5600");
        assert_eq!(format_wan(100), "0.0001");
        assert_eq!(format_wan(0), "0.0000");
    }
}
