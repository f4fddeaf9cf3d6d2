//! The pinyin sort key of an expert's name: what the pool is ordered by (and what the officer may edit
//! when a reading is wrong).
//!
//! A key is the toneless pinyin of each character, lower case, separated by single spaces
//! (`zeng guo fan`); characters without a reading (Latin letters, digits) are kept lower-cased, and
//! punctuation such as the middle dot of transliterated names is dropped.
//!
//! Han names read their surname by the surname table, because the dictionary's first reading is the
//! wrong one for a surname (曾 is céng in 曾经 but Zēng as a name; 单 Shàn, 解 Xiè, 仇 Qiú, 区 Ōu …),
//! compound surnames (欧阳, 尉迟 Yùchí …) first. Tibetan names have no surname: they sort by the full
//! pinyin of their Chinese transliteration with the ordinary readings (单增 is Dān zēng, Tenzin, not
//! Shàn …). [`looks_tibetan`] guesses which kind a name is; the import template lets the officer say.

use pinyin::ToPinyin;

/// Surnames whose reading as a surname is not the dictionary's first reading of the character, and
/// compound surnames. Two-character entries are matched first.
const SURNAMES: &[(&str, &str)] = &[
    ("尉迟", "yu chi"),
    ("万俟", "mo qi"),
    ("单于", "chan yu"),
    ("长孙", "zhang sun"),
    ("澹台", "tan tai"),
    ("令狐", "ling hu"),
    ("欧阳", "ou yang"),
    ("司马", "si ma"),
    ("诸葛", "zhu ge"),
    ("上官", "shang guan"),
    ("东方", "dong fang"),
    ("皇甫", "huang fu"),
    ("公孙", "gong sun"),
    ("曾", "zeng"),
    ("单", "shan"),
    ("解", "xie"),
    ("仇", "qiu"),
    ("区", "ou"),
    ("查", "zha"),
    ("朴", "piao"),
    ("乐", "yue"),
    ("覃", "qin"),
    ("盖", "ge"),
    ("缪", "miao"),
    ("种", "chong"),
    ("繁", "po"),
    ("黑", "he"),
    ("召", "shao"),
    ("员", "yun"),
    ("翟", "zhai"),
    ("秘", "bi"),
    ("句", "gou"),
    ("折", "she"),
    ("能", "nai"),
    ("祭", "zhai"),
    ("隗", "wei"),
    ("谌", "chen"),
    ("冼", "xian"),
    ("阚", "kan"),
    ("柏", "bai"),
    ("薄", "bo"),
    ("重", "chong"),
    ("长", "chang"),
    ("宿", "su"),
    ("尉", "wei"),
    ("藏", "zang"),
    ("曲", "qu"),
    ("都", "du"),
    ("华", "hua"),
    ("任", "ren"),
    ("沈", "shen"),
    ("贾", "jia"),
    ("纪", "ji"),
    ("葛", "ge"),
    ("燕", "yan"),
    ("过", "guo"),
    ("宁", "ning"),
    ("那", "na"),
];

/// Common elements of Tibetan personal names as written in Chinese. A name made only of these (扎西次仁,
/// 卓玛, 单增) is taken for a Tibetan name.
const TIBETAN_ELEMENTS: &[&str] = &[
    "扎西", "次仁", "卓玛", "格桑", "多吉", "顿珠", "尼玛", "达瓦", "平措", "旺堆", "索朗", "拉巴", "普布", "边巴",
    "央金", "德吉", "白玛", "洛桑", "强巴", "丹增", "旦增", "单增", "益西", "巴桑", "措姆", "曲珍", "仁青", "旺姆",
    "罗布", "米玛", "次旦", "贡嘎", "阿旺", "嘎玛", "卓嘎", "拉姆", "桑珠", "琼达", "次央", "格列", "群培", "土登",
    "图登", "晋美", "尼珍", "德庆", "旺加", "次珍", "仓决", "边珍", "洛布", "旺久", "扎巴", "次旺", "顿旦", "达娃",
    "央宗", "德央", "其美", "泽仁", "泽旺", "斯朗", "才让", "才旦", "公保", "更登", "噶玛", "坚参", "坚赞", "江白",
    "拉珍", "欧珠", "普琼", "旦达", "顿珍", "格勒", "加措", "嘉措", "嘉央", "降央", "降措", "巴珠", "巴登", "贡布",
    "吉律", "赤列", "赤烈", "群宗", "曲吉", "曲扎", "桑布", "桑杰", "石曲", "索南", "旺扎", "旺姆", "西绕", "喜饶",
    "伦珠", "朗杰", "丹巴", "旦巴", "罗桑", "米久", "央吉", "玉珍", "益珍", "卓玛", "普赤", "多布", "杰布", "穷达",
    "次珠", "达吉", "德珍", "平措", "旦曲",
];

/// Whether `name` is written only with common Tibetan name elements (so it has no surname).
pub fn looks_tibetan(name: &str) -> bool {
    let chars: Vec<char> = name.chars().filter(|c| !c.is_whitespace() && *c != '·' && *c != '•').collect();
    if chars.len() < 2 || !chars.len().is_multiple_of(2) {
        return false;
    }
    chars.chunks(2).all(|pair| {
        let s: String = pair.iter().collect();
        TIBETAN_ELEMENTS.contains(&s.as_str())
    })
}

/// The toneless pinyin of one character with its ordinary reading; Latin letters and digits lower
/// cased; `None` for punctuation.
fn reading(c: char) -> Option<String> {
    if let Some(p) = c.to_pinyin() {
        return Some(p.plain().to_string());
    }
    c.is_alphanumeric().then(|| c.to_lowercase().collect())
}

/// The sort key of `name`. `tibetan`: read without a surname (see the module doc).
pub fn sort_key(name: &str, tibetan: bool) -> String {
    let name = crate::validate::normalize(name);
    let mut words: Vec<String> = Vec::new();
    let mut rest: &str = &name;
    if !tibetan {
        // A compound surname only when a given name follows it (欧阳修, not a two-character 欧阳).
        if let Some((s, key)) = SURNAMES
            .iter()
            .find(|(s, _)| rest.starts_with(s) && (s.chars().count() == 1 || rest.chars().count() > s.chars().count()))
        {
            words.push(key.to_string());
            rest = &rest[s.len()..];
        }
    }
    // Latin letters and digits run together as one word (`li` in a romanised name), CJK one per syllable.
    let mut latin = String::new();
    for c in rest.chars() {
        if c.to_pinyin().is_none() && c.is_alphanumeric() {
            latin.extend(c.to_lowercase());
            continue;
        }
        if !latin.is_empty() {
            words.push(std::mem::take(&mut latin));
        }
        if let Some(r) = reading(c) {
            words.push(r);
        }
    }
    if !latin.is_empty() {
        words.push(latin);
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_surnames_are_read_as_surnames() {
        assert_eq!(sort_key("曾国藩", false), "zeng guo fan");
        assert_eq!(sort_key("单雄信", false), "shan xiong xin");
        assert_eq!(sort_key("解缙", false), "xie jin");
        assert_eq!(sort_key("仇英", false), "qiu ying");
        assert_eq!(sort_key("区家明", false), "ou jia ming");
        assert_eq!(sort_key("尉迟恭", false), "yu chi gong");
        assert_eq!(sort_key("欧阳修", false), "ou yang xiu");
        // Without the table the dictionary reading would be used: the table is what makes these right.
        assert_ne!('曾'.to_pinyin().map(|p| p.plain()), Some("zeng"), "céng is the crate's first reading");
    }

    #[test]
    fn ordinary_names_and_typing_variants() {
        assert_eq!(sort_key("王  小明", false), "wang xiao ming");
        assert_eq!(sort_key("李娜", false), "li na");
        assert_eq!(sort_key("约翰·史密斯", false), "yue han shi mi si");
        assert_eq!(sort_key("Anna 李", false), "anna li");
    }

    #[test]
    fn tibetan_names_have_no_surname() {
        assert!(looks_tibetan("扎西次仁"));
        assert!(looks_tibetan("单增"));
        assert!(looks_tibetan("卓玛"));
        assert!(!looks_tibetan("曾国藩"));
        assert!(!looks_tibetan("扎西张"));
        assert_eq!(sort_key("扎西次仁", true), "zha xi ci ren");
        // 单增 (Tenzin): the ordinary reading dān, not the surname Shàn.
        assert_eq!(sort_key("单增", true), "dan zeng");
        assert_eq!(sort_key("单增", false), "shan zeng");
        assert_eq!(sort_key("曲珍", true), "qu zhen");
    }

    #[test]
    fn keys_order_the_pool() {
        let mut names = [("曾国藩", false), ("白玛", true), ("单增", true), ("蔡伦", false), ("单雄信", false)];
        names.sort_by_key(|(n, t)| sort_key(n, *t));
        let order: Vec<&str> = names.iter().map(|(n, _)| *n).collect();
        assert_eq!(order, ["白玛", "蔡伦", "单增", "单雄信", "曾国藩"]);
    }
}
