//! The lists a round's decisions are filed and published as (issue 8 "Exports"): the recommendation
//! list (立项建议名单, what the office proposes within the funding line, with the officer's additions and
//! drops and their reasons) and the 公示 list (拟立项项目公示, what the public reads during the notice
//! period, with the period and where objections go). Both read the round's decision state
//! ([`crate::review::decision::show`]) once into a [`DecisionList`], which the workbooks here and the PDFs
//! of `lixiang-pdf` lay out, so that the xlsx file and the PDF of one list never disagree.
//!
//! The 公示 list shows what such notices show — number, title, unit, leader, proposed funding — and
//! nothing of the review itself (no scores, no ranks): a notice invites objections to who is funded, and
//! scores of the others are not the public's. The recommendation list is an internal paper and carries
//! rank, score and the basis of each line.

use super::workbook::{add_facts, add_table, error, Cell, Column, Kind};
use crate::call::desk as calls;
use crate::review::decision::{self, Basis, RoundDecisions};
use crate::workspace::Workspace;
use crate::{CoreError, Result};
use rust_xlsxwriter::Workbook;
use serde::Serialize;

/// One line of a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListedItem {
    /// 序号, from 1 in list order (the ranking's order).
    pub seq: u32,
    pub number: String,
    pub title: String,
    /// The applicant unit's name as the application gives it.
    pub unit: String,
    /// The project leader's name (项目负责人).
    pub leader: String,
    pub rank: u32,
    /// The score by the list's method, 2 decimals.
    pub score: String,
    pub requested_fen: i64,
    /// `line` (within the funding line), `added` (added below the line by the officer), `selected`
    /// (揭榜挂帅) or `voted` (会议评审 vote, within the line).
    pub basis: Basis,
    pub reason: Option<String>,
}

/// An item within the funding line that the officer dropped, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DroppedLine {
    pub number: String,
    pub title: String,
    pub rank: u32,
    pub reason: String,
}

/// The 公示's period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoticePeriod {
    pub starts_on: String,
    pub ends_on: String,
    pub days: u32,
}

/// A round's recommendation list with everything its two documents print.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecisionList {
    pub call_code: String,
    pub call_title: String,
    pub programme: String,
    pub year: i32,
    pub round: u32,
    pub round_name: String,
    /// The ranking method's code (`mean` …).
    pub method: String,
    pub ranking_sha256: String,
    pub items: Vec<ListedItem>,
    pub dropped: Vec<DroppedLine>,
    pub recommended_fen: i64,
    pub budget_fen: i64,
    pub made_at: String,
    /// The office that publishes (its identity's name), for the notice's signature.
    pub office: String,
    pub publicity: Option<NoticePeriod>,
}

/// The method's Chinese name as the lists print it.
pub fn method_zh(code: &str) -> &'static str {
    match code {
        "median" => "中位数",
        "trimmed_mean" => "截尾均值",
        "z_mean" => "z 分均值",
        _ => "均值",
    }
}

/// Reads a round's recommendation list, with each item's unit and leader from its application.
/// Refused (`decision.no_recommendation`) until the list is made.
pub fn decision_list(ws: &mut Workspace, call: &str, round: u32) -> Result<DecisionList> {
    let d: RoundDecisions = decision::show(ws, call, round)?;
    let c = calls::get(ws, call)?;
    let apps = crate::conflict::desk::call_applications(ws, &d.call_id)?;
    let find = |number: &str| apps.iter().find(|(r, _)| r.number == number);
    let office = crate::identity::info(ws)?.map(|i| i.name).unwrap_or_default();
    let items = d
        .items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            let app = find(&it.number).map(|(_, a)| a);
            ListedItem {
                seq: i as u32 + 1,
                number: it.number.clone(),
                title: it.title.clone(),
                unit: app.map(|a| a.applicant.name.clone()).unwrap_or_default(),
                leader: app.and_then(|a| a.leader()).map(|(_, m)| m.name.clone()).unwrap_or_default(),
                rank: it.rank,
                score: it.score.clone(),
                requested_fen: it.requested_fen,
                basis: it.basis,
                // A line of a vote round's list gives the panel's tally where an added line gives its reason.
                reason: it.reason.clone().or_else(|| it.votes.as_ref().map(|v| v.zh())),
            }
        })
        .collect();
    let dropped = d
        .dropped
        .iter()
        .map(|x| DroppedLine {
            number: x.number.clone(),
            title: find(&x.number).map(|(r, _)| r.title.clone()).unwrap_or_default(),
            rank: x.rank,
            reason: x.reason.clone(),
        })
        .collect();
    let round_name = c
        .review_plan
        .rounds
        .get(round.saturating_sub(1) as usize)
        .map(|r| r.kind.name().zh.to_string())
        .unwrap_or_default();
    Ok(DecisionList {
        call_code: c.code.clone(),
        call_title: c.title.zh.clone(),
        programme: c.programme.clone(),
        year: c.year,
        round,
        round_name,
        method: d.method.clone(),
        ranking_sha256: d.ranking_sha256.clone(),
        items,
        dropped,
        recommended_fen: d.recommended_fen,
        budget_fen: d.budget_fen,
        made_at: d.made_at.clone(),
        office,
        publicity: d.publicity.as_ref().map(|p| NoticePeriod {
            starts_on: p.starts_on.clone(),
            ends_on: p.ends_on.clone(),
            days: p.days,
        }),
    })
}

/// Refused unless the 公示 has started: the notice prints its period.
pub fn require_publicity(list: &DecisionList) -> Result<&NoticePeriod> {
    list.publicity.as_ref().ok_or_else(|| CoreError::DecisionRefused {
        code: "decision.no_publicity",
        zh: format!(
            "指南 {} 第 {} 轮尚未开始公示：请先开始公示（decide publicity），再导出公示名单",
            list.call_code, list.round
        ),
        en: format!(
            "call {} round {} has no 公示 yet: start it (decide publicity) before exporting the notice",
            list.call_code, list.round
        ),
    })
}

fn wan(fen: i64) -> f64 {
    fen as f64 / 1_000_000.0
}

fn wan_text(fen: i64) -> String {
    crate::money::Fen::new(fen.max(0) as u64).wan()
}

/// The recommendation list as a workbook: sheet 推荐名单 (each line with rank, score, requested funding and
/// its basis), sheet 调出 (items within the line the officer dropped), sheet 说明.
pub fn recommendation_xlsx(list: &DecisionList, exported_at: &str) -> Result<Vec<u8>> {
    let columns = [
        Column { header: "序号", kind: Kind::Integer, width: 6 },
        Column { header: "申报编号", kind: Kind::Text, width: 18 },
        Column { header: "项目名称", kind: Kind::Text, width: 40 },
        Column { header: "申报单位", kind: Kind::Text, width: 30 },
        Column { header: "项目负责人", kind: Kind::Text, width: 12 },
        Column { header: "名次", kind: Kind::Integer, width: 6 },
        Column { header: "得分", kind: Kind::Decimal2, width: 8 },
        Column { header: "申请财政经费（万元）", kind: Kind::Wan, width: 18 },
        Column { header: "依据", kind: Kind::Text, width: 12 },
        Column { header: "理由", kind: Kind::Text, width: 30 },
    ];
    let rows: Vec<Vec<Cell>> = list
        .items
        .iter()
        .map(|i| {
            vec![
                Cell::Number(f64::from(i.seq)),
                Cell::Text(i.number.clone()),
                Cell::Text(i.title.clone()),
                Cell::Text(i.unit.clone()),
                Cell::Text(i.leader.clone()),
                Cell::Number(f64::from(i.rank)),
                i.score.parse::<f64>().map_or(Cell::Text(i.score.clone()), Cell::Number),
                Cell::Number(wan(i.requested_fen)),
                Cell::Text(basis_zh(i.basis).into()),
                Cell::Text(i.reason.clone().unwrap_or_default()),
            ]
        })
        .collect();
    let dropped: Vec<Vec<Cell>> = list
        .dropped
        .iter()
        .map(|d| {
            vec![
                Cell::Text(d.number.clone()),
                Cell::Text(d.title.clone()),
                Cell::Number(f64::from(d.rank)),
                Cell::Text(d.reason.clone()),
            ]
        })
        .collect();
    let mut wb = Workbook::new();
    add_table(&mut wb, "推荐名单", &columns, &rows)?;
    add_table(
        &mut wb,
        "调出",
        &[
            Column { header: "申报编号", kind: Kind::Text, width: 18 },
            Column { header: "项目名称", kind: Kind::Text, width: 40 },
            Column { header: "名次", kind: Kind::Integer, width: 6 },
            Column { header: "理由", kind: Kind::Text, width: 40 },
        ],
        &dropped,
    )?;
    add_facts(
        &mut wb,
        "说明",
        &[
            ("指南", format!("{} {}", list.call_code, list.call_title)),
            ("评审轮次", format!("{} {}", list.round, list.round_name)),
            ("排序方法", method_zh(&list.method).to_string()),
            ("排名依据（SHA-256）", list.ranking_sha256.clone()),
            ("推荐项目数", list.items.len().to_string()),
            ("推荐经费合计（万元）", wan_text(list.recommended_fen)),
            ("资助总额（万元）", wan_text(list.budget_fen)),
            ("名单形成时间", list.made_at.clone()),
            ("导出时间", exported_at.to_string()),
        ],
    )?;
    wb.save_to_buffer().map_err(error("recommendation"))
}

/// The 公示 list as a workbook: sheet 公示名单 (number, title, unit, leader, proposed funding) and sheet
/// 说明 with the period. Refused before the 公示 starts.
pub fn publicity_xlsx(list: &DecisionList, exported_at: &str) -> Result<Vec<u8>> {
    let period = require_publicity(list)?;
    let columns = [
        Column { header: "序号", kind: Kind::Integer, width: 6 },
        Column { header: "申报编号", kind: Kind::Text, width: 18 },
        Column { header: "项目名称", kind: Kind::Text, width: 40 },
        Column { header: "承担单位", kind: Kind::Text, width: 30 },
        Column { header: "项目负责人", kind: Kind::Text, width: 12 },
        Column { header: "拟资助经费（万元）", kind: Kind::Wan, width: 18 },
    ];
    let rows: Vec<Vec<Cell>> = list
        .items
        .iter()
        .map(|i| {
            vec![
                Cell::Number(f64::from(i.seq)),
                Cell::Text(i.number.clone()),
                Cell::Text(i.title.clone()),
                Cell::Text(i.unit.clone()),
                Cell::Text(i.leader.clone()),
                Cell::Number(wan(i.requested_fen)),
            ]
        })
        .collect();
    let mut wb = Workbook::new();
    add_table(&mut wb, "公示名单", &columns, &rows)?;
    add_facts(
        &mut wb,
        "说明",
        &[
            ("指南", format!("{} {}", list.call_code, list.call_title)),
            ("公示期", format!("{} 至 {}（{} 天）", period.starts_on, period.ends_on, period.days)),
            ("公示项目数", list.items.len().to_string()),
            ("拟资助经费合计（万元）", wan_text(list.recommended_fen)),
            ("发布单位", list.office.clone()),
            ("导出时间", exported_at.to_string()),
        ],
    )?;
    wb.save_to_buffer().map_err(error("publicity"))
}

/// The basis of a line as the lists print it.
pub fn basis_zh(b: Basis) -> &'static str {
    match b {
        Basis::Line => "资助线内",
        Basis::Added => "线下增补",
        Basis::Selected => "揭榜挂帅入选",
        Basis::Voted => "会议评审表决通过",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{Date, Moment};
    use crate::review::decision::RecommendInput;
    use calamine::{Data, Reader, Xlsx};

    fn sheet(bytes: &[u8], name: &str) -> Vec<Vec<Data>> {
        let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
        wb.worksheet_range(name).unwrap().rows().map(|r| r.to_vec()).collect()
    }

    fn text(d: &Data) -> String {
        match d {
            Data::String(s) => s.clone(),
            other => panic!("expected a text cell, got {other:?}"),
        }
    }

    #[test]
    fn the_recommendation_and_publicity_workbooks_read_back_with_the_list_and_the_period() {
        let mut w = crate::review::decision_tests::reviewed();
        let code = w.call.code.clone();
        let n = w.numbers.clone();
        let t0 = Moment::parse("2027-06-01T09:00:00+08:00").unwrap();
        let err = decision_list(&mut w.office.ws, &code, 1).unwrap_err();
        assert_eq!(err.code(), "decision.no_recommendation");
        let input = RecommendInput {
            add: vec![(n[1].clone(), "非共识项目，支持探索性研究".into())],
            ..RecommendInput::default()
        };
        crate::review::decision::recommend(&mut w.office.ws, &code, 1, &input, t0).unwrap();
        let list = decision_list(&mut w.office.ws, &code, 1).unwrap();
        let numbers: Vec<&str> = list.items.iter().map(|i| i.number.as_str()).collect();
        assert_eq!(numbers, [n[0].as_str(), n[1].as_str()]);
        assert!(list.items.iter().all(|i| !i.unit.is_empty() && !i.leader.is_empty()), "{:?}", list.items);

        let bytes = recommendation_xlsx(&list, "2027-06-01T09:00:00+08:00").unwrap();
        let rows = sheet(&bytes, "推荐名单");
        assert_eq!(text(&rows[0][1]), "申报编号");
        assert_eq!(rows.len(), 3, "a header and two lines");
        // Identity columns are text, so Excel keeps every digit.
        assert_eq!(text(&rows[1][1]), n[0]);
        assert_eq!(text(&rows[2][1]), n[1]);
        let styled = crate::report::workbook::inspect::Book::read(&bytes);
        assert!(styled.cell("推荐名单", 0, 1).is_header());
        assert_eq!(styled.cell("推荐名单", 1, 1).num_format, "@");
        assert_eq!(styled.frozen("推荐名单"), (1, 0));
        assert_eq!(text(&rows[1][3]), list.items[0].unit);
        assert_eq!(text(&rows[1][8]), "资助线内");
        assert_eq!((text(&rows[2][8]), text(&rows[2][9])), ("线下增补".into(), "非共识项目，支持探索性研究".into()));
        let requested = list.items[0].requested_fen as f64 / 1_000_000.0;
        assert_eq!(rows[1][7], Data::Float(requested));
        assert_eq!(rows[1][6], Data::Float(list.items[0].score.parse::<f64>().unwrap()));
        let facts = sheet(&bytes, "说明");
        let fact = |k: &str| facts.iter().find(|r| text(&r[0]) == k).map(|r| text(&r[1])).unwrap();
        assert_eq!(fact("排序方法"), "均值");
        assert_eq!(fact("排名依据（SHA-256）"), list.ranking_sha256);
        assert_eq!(fact("推荐项目数"), "2");

        // The notice needs its period.
        let err = publicity_xlsx(&list, "x").unwrap_err();
        assert_eq!(err.code(), "decision.no_publicity");
        crate::review::decision::start_publicity(&mut w.office.ws, &code, 1, Date::new(2027, 6, 2).unwrap(), 7, t0)
            .unwrap();
        let list = decision_list(&mut w.office.ws, &code, 1).unwrap();
        let bytes = publicity_xlsx(&list, "2027-06-02T09:00:00+08:00").unwrap();
        let rows = sheet(&bytes, "公示名单");
        assert_eq!(
            rows[0].iter().map(text).collect::<Vec<_>>(),
            ["序号", "申报编号", "项目名称", "承担单位", "项目负责人", "拟资助经费（万元）"]
        );
        assert_eq!(text(&rows[2][1]), n[1]);
        assert_eq!(text(&rows[2][4]), list.items[1].leader);
        let facts = sheet(&bytes, "说明");
        let period = facts.iter().find(|r| text(&r[0]) == "公示期").map(|r| text(&r[1])).unwrap();
        assert_eq!(period, "2027-06-02 至 2027-06-08（7 天）");
    }
}
