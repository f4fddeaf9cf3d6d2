//! How values read on paper, shared by the application and call documents: times with their zone,
//! section numbers, hashes in groups, sizes, quantities and the table parts the templates lay out
//! (`templates/parts.typ`). Money is not here: it is printed exactly as the budget engine formats it
//! ([`lixiang_core::money::Fen::wan`]), so the paper and the window never disagree by a digit.

use lixiang_core::calendar::{Moment, SHANGHAI_OFFSET_MINUTES};
use lixiang_core::Lang;
use serde_json::{json, Value};

/// `2027-01-15 17:30（北京时间）`: to the minute, in the moment's own offset (the one the deadline
/// was set in), naming the zone.
pub(crate) fn moment(m: &Moment, lang: Lang) -> String {
    let s = m.to_string();
    // Display is ASCII `YYYY-MM-DDTHH:MM:SS±HH:MM` or `…Z`, so these byte ranges are characters.
    let (date, hm) = (&s[..10], &s[11..16]);
    if m.offset_minutes() == SHANGHAI_OFFSET_MINUTES {
        return format!("{date} {hm}{}", lang.pick("（北京时间）", " (Beijing time)"));
    }
    let zone = if m.offset_minutes() == 0 { "UTC".to_string() } else { format!("UTC{}", &s[19..]) };
    format!("{date} {hm} ({zone})")
}

/// A stored RFC 3339 time as [`moment`] prints it, or the text as stored when it does not parse.
pub(crate) fn moment_text(text: &str, lang: Lang) -> String {
    Moment::parse(text).map_or_else(|| text.to_string(), |m| moment(&m, lang))
}

/// The n-th (from 1) section heading's number: 一、… 二十、 in Chinese, `1.` in English.
pub(crate) fn section_number(n: usize, lang: Lang) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match lang {
        Lang::En => format!("{n}. "),
        Lang::Zh => {
            let (tens, ones) = (n / 10, n % 10);
            let tens = match tens {
                0 => String::new(),
                1 => "十".to_string(),
                t if t < 10 => format!("{}十", DIGITS[t]),
                _ => return format!("{n}、"),
            };
            format!("{tens}{}、", DIGITS[ones])
        }
    }
}

/// A SHA-256 in groups of 8 hex digits: a line can break between groups, and a person reading it
/// aloud or comparing it keeps their place.
pub(crate) fn hash_groups(hex: &str) -> String {
    let chars: Vec<char> = hex.chars().collect();
    chars.chunks(8).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join(" ")
}

/// 1.5 MB, 200 KB, 512 字节.
pub(crate) fn bytes(n: u64, lang: Lang) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * 1024;
    if n >= MB {
        let tenths = n * 10 / MB;
        format!("{}.{} MB", tenths / 10, tenths % 10)
    } else if n >= KB {
        format!("{} KB", n / KB)
    } else {
        format!("{n} {}", lang.pick("字节", "bytes"))
    }
}

/// A call's target value (an f64 from its seed) as typed: `1.8`, `400`, never `1.7999999`.
pub(crate) fn target(value: f64) -> String {
    lixiang_core::application::Quantity::from_f64(value).map_or_else(|| value.to_string(), |q| q.to_string())
}

/// Yes or no.
pub(crate) fn yes_no(b: bool, lang: Lang) -> &'static str {
    match (b, lang) {
        (true, Lang::Zh) => "是",
        (false, Lang::Zh) => "否",
        (true, Lang::En) => "yes",
        (false, Lang::En) => "no",
    }
}

/// A two-column form part.
pub(crate) fn fields(rows: Vec<(String, String)>) -> Value {
    let rows: Vec<Value> = rows.into_iter().map(|(k, v)| json!([k, v])).collect();
    json!({ "kind": "fields", "rows": rows })
}

/// A table part: `columns` are `auto` or `<n>fr`, `align` `left`, `right` or `center`, one per column.
pub(crate) fn table(columns: &[&str], align: &[&str], header: Vec<String>, rows: Vec<Vec<String>>) -> Value {
    json!({ "kind": "table", "columns": columns, "align": align, "header": header, "rows": rows })
}

/// Lines of small text under a table, or in place of an empty one.
pub(crate) fn notes(lines: Vec<String>) -> Value {
    json!({ "kind": "notes", "lines": lines })
}

/// A numbered section heading and its parts.
pub(crate) fn section(n: usize, title: &str, parts: Vec<Value>, lang: Lang) -> Value {
    json!({ "title": format!("{}{title}", section_number(n, lang)), "parts": parts })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_numbers_read_as_chinese_numerals() {
        let zh: Vec<String> = [1, 9, 10, 11, 20, 23].iter().map(|&n| section_number(n, Lang::Zh)).collect();
        assert_eq!(zh, ["一、", "九、", "十、", "十一、", "二十、", "二十三、"]);
        assert_eq!(section_number(3, Lang::En), "3. ");
    }

    #[test]
    fn times_keep_their_zone_and_hashes_split_into_groups() {
        let m = Moment::parse("2027-01-15T17:30:00+08:00").unwrap();
        assert_eq!(moment(&m, Lang::Zh), "2027-01-15 17:30（北京时间）");
        let utc = Moment::parse("2027-01-15T09:30:00Z").unwrap();
        assert_eq!(moment(&utc, Lang::En), "2027-01-15 09:30 (UTC)");
        let other = Moment::parse("2027-01-15T09:30:00+06:00").unwrap();
        assert_eq!(moment(&other, Lang::Zh), "2027-01-15 09:30 (UTC+06:00)");
        assert_eq!(moment_text("not a time", Lang::Zh), "not a time");
        let sha = "0123456789abcdef".repeat(4);
        assert_eq!(hash_groups(&sha), "01234567 89abcdef 01234567 89abcdef 01234567 89abcdef 01234567 89abcdef");
        assert_eq!(target(1.8), "1.8");
        assert_eq!(bytes(1_572_864, Lang::Zh), "1.5 MB");
    }
}
