//! The ranking of a call's round as a workbook: the ranking under the chosen method with every
//! statistic and the funding line (sheet 排名), each item's rank under every method (sheet 敏感性), and
//! what it was computed from (sheet 说明). The same figures as `lixiang rank` and the window's
//! 评审结果, from the same functions.

use super::workbook::{add_facts, add_table, error, Cell, Column, Kind};
use crate::review::office::round_input;
use crate::score::{self, Method, NonConsensus};
use crate::workspace::Workspace;
use crate::{CoreError, Result};
use rust_xlsxwriter::Workbook;

fn method_zh(m: Method) -> &'static str {
    match m {
        Method::Mean => "均值",
        Method::Median => "中位数",
        Method::TrimmedMean => "截尾均值",
        Method::ZMean => "z 分均值",
    }
}

/// The workbook's bytes.
pub fn ranking_xlsx(ws: &mut Workspace, call: &str, round: u32, method: Method, made_at: &str) -> Result<Vec<u8>> {
    let input = round_input(ws, call, round)?;
    if input.sheets.is_empty() {
        return Err(CoreError::Validation {
            field: "round".into(),
            reason: "这一轮还没有收到封存的评分表 / no sealed score sheet was received for this round yet".into(),
        });
    }
    let c = crate::call::desk::get(ws, call)?;
    let titles: std::collections::BTreeMap<String, String> =
        crate::conflict::desk::call_applications(ws, &c.id.to_string())?
            .into_iter()
            .map(|(i, _)| (i.number, i.title))
            .collect();
    let rules = score::RoundRules { method, ..input.rules.clone() };
    let agg = score::aggregate(&input.sheets, &rules);
    let ranked = score::rank(&agg, method);
    let line = score::funding_line(&ranked, &input.requests_fen, input.budget_fen);
    let wan = |fen: i64| fen as f64 / 1_000_000.0;

    let columns = [
        Column { header: "名次", kind: Kind::Integer, width: 6 },
        Column { header: "申报编号", kind: Kind::Text, width: 18 },
        Column { header: "项目名称", kind: Kind::Text, width: 40 },
        Column { header: "评分表份数", kind: Kind::Integer, width: 10 },
        Column { header: "均值", kind: Kind::Decimal2, width: 8 },
        Column { header: "中位数", kind: Kind::Decimal2, width: 8 },
        Column { header: "标准差", kind: Kind::Decimal2, width: 8 },
        Column { header: "截尾均值", kind: Kind::Decimal2, width: 10 },
        Column { header: "z 均值（百分制）", kind: Kind::Decimal2, width: 14 },
        Column { header: "最低分", kind: Kind::Decimal2, width: 8 },
        Column { header: "最高分", kind: Kind::Decimal2, width: 8 },
        Column { header: "A", kind: Kind::Integer, width: 4 },
        Column { header: "B", kind: Kind::Integer, width: 4 },
        Column { header: "C", kind: Kind::Integer, width: 4 },
        Column { header: "D", kind: Kind::Integer, width: 4 },
        Column { header: "非共识", kind: Kind::Text, width: 14 },
        Column { header: "申请财政经费（万元）", kind: Kind::Wan, width: 18 },
        Column { header: "资助线", kind: Kind::Text, width: 10 },
    ];
    let mut rows = Vec::new();
    let mut sensitivity = Vec::new();
    for r in &ranked {
        let s = agg.items.iter().find(|s| s.item == r.item).expect("ranked items come from the aggregation");
        let flags: Vec<&str> = s
            .non_consensus
            .iter()
            .map(|f| match f {
                NonConsensus::Spread => "分差大",
                NonConsensus::GradesAandD => "A 与 D 并存",
            })
            .collect();
        let funded = if line.funded.contains(&r.item) {
            "资助"
        } else if line.first_unfunded.as_deref() == Some(r.item.as_str()) {
            "线下第一项"
        } else {
            ""
        };
        rows.push(vec![
            Cell::Number(r.rank as f64),
            Cell::Text(r.item.clone()),
            Cell::Text(titles.get(&r.item).cloned().unwrap_or_default()),
            Cell::Number(s.n as f64),
            Cell::Number(s.mean),
            Cell::Number(s.median),
            s.sd.map_or(Cell::Empty, Cell::Number),
            Cell::Number(s.trimmed_mean),
            Cell::Number(s.z_scaled),
            Cell::Number(s.min),
            Cell::Number(s.max),
            Cell::Number(s.grades[0] as f64),
            Cell::Number(s.grades[1] as f64),
            Cell::Number(s.grades[2] as f64),
            Cell::Number(s.grades[3] as f64),
            Cell::Text(flags.join("；")),
            Cell::Number(wan(input.requests_fen.get(&r.item).copied().unwrap_or(0))),
            Cell::Text(funded.into()),
        ]);
        let mut row = vec![Cell::Text(r.item.clone())];
        row.extend(r.ranks_by_method.iter().map(|k| Cell::Number(*k as f64)));
        let spread = r.ranks_by_method.iter().max().unwrap_or(&0) - r.ranks_by_method.iter().min().unwrap_or(&0);
        row.push(Cell::Number(spread as f64));
        sensitivity.push(row);
    }
    let mut wb = Workbook::new();
    add_table(&mut wb, "排名", &columns, &rows)?;
    add_table(
        &mut wb,
        "敏感性",
        &[
            Column { header: "申报编号", kind: Kind::Text, width: 18 },
            Column { header: "均值名次", kind: Kind::Integer, width: 10 },
            Column { header: "中位数名次", kind: Kind::Integer, width: 10 },
            Column { header: "截尾均值名次", kind: Kind::Integer, width: 12 },
            Column { header: "z 分均值名次", kind: Kind::Integer, width: 12 },
            Column { header: "名次极差", kind: Kind::Integer, width: 10 },
        ],
        &sensitivity,
    )?;
    add_facts(
        &mut wb,
        "说明",
        &[
            ("指南", format!("{} {}", c.code, c.title.zh)),
            ("评审轮次", round.to_string()),
            ("排序方法", method_zh(method).to_string()),
            (
                "截尾规则",
                if rules.trimming {
                    format!("评分表不少于 {} 份时去掉一个最高分和一个最低分", rules.trim_min_sheets)
                } else {
                    "不截尾".into()
                },
            ),
            ("非共识阈值", format!("极差不小于 {} 分，或 A 与 D 并存", rules.non_consensus_spread)),
            ("同分规则", "A 票多者在前，其次中位数高者在前，再次申报编号小者在前".into()),
            ("评分表份数", input.sheets.len().to_string()),
            ("资助总额（万元）", crate::money::Fen::new(line.budget_fen.max(0) as u64).wan()),
            ("已用（万元）", crate::money::Fen::new(line.used_fen.max(0) as u64).wan()),
            ("z 分回落到全轮均值的专家", agg.fallback_experts.join("、")),
            ("生成时间", made_at.to_string()),
        ],
    )?;
    wb.save_to_buffer().map_err(error("ranking"))
}

/// What the ranking report (PDF) prints: the round's ranking by the chosen method (the window's and
/// `lixiang rank`'s figures), and the two charts of the plan dashboard for this round — the distribution
/// of sheet totals and each expert's leniency against the panel — computed by the same functions
/// ([`super::dashboard::histogram`], [`super::dashboard::leniency`]), so the PDF and the window draw the
/// same data.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RankingReport {
    pub call_code: String,
    pub call_title: String,
    pub round: u32,
    pub round_name: String,
    pub view: crate::review::view::RankingView,
    pub bins: Vec<super::dashboard::Bin>,
    pub experts: Vec<super::dashboard::ExpertLeniency>,
    /// The round's mean and sample SD over every sheet.
    pub mean: f64,
    pub sd: Option<f64>,
    pub trimming: String,
    pub non_consensus: String,
}

/// Reads a round's ranking report. Refused as [`ranking_xlsx`] is for a round without sealed sheets.
pub fn ranking_report(ws: &mut Workspace, call: &str, round: u32, method: Method) -> Result<RankingReport> {
    let input = round_input(ws, call, round)?;
    if input.sheets.is_empty() {
        return Err(CoreError::Validation {
            field: "round".into(),
            reason: "这一轮还没有收到封存的评分表 / no sealed score sheet was received for this round yet".into(),
        });
    }
    let c = crate::call::desk::get(ws, call)?;
    let view = crate::review::view::ranking(ws, call, round, method)?;
    let mut totals: Vec<f64> = input.sheets.iter().map(|s| s.total).collect();
    totals.sort_by(f64::total_cmp);
    let mean = totals.iter().sum::<f64>() / totals.len() as f64;
    let sd = (totals.len() >= 2)
        .then(|| (totals.iter().map(|t| (t - mean).powi(2)).sum::<f64>() / (totals.len() - 1) as f64).sqrt());
    let rules = &input.rules;
    Ok(RankingReport {
        call_code: c.code.clone(),
        call_title: c.title.zh.clone(),
        round,
        round_name: c
            .review_plan
            .rounds
            .get(round as usize - 1)
            .map(|r| r.kind.name().zh.to_string())
            .unwrap_or_default(),
        view,
        bins: super::dashboard::histogram(&totals),
        experts: super::dashboard::leniency(&input.sheets),
        mean,
        sd,
        trimming: if rules.trimming {
            format!("评分表不少于 {} 份时去掉一个最高分和一个最低分", rules.trim_min_sheets)
        } else {
            "不截尾".into()
        },
        non_consensus: format!("极差不小于 {} 分，或 A 与 D 并存", rules.non_consensus_spread),
    })
}

/// The method's Chinese name.
pub fn method_name_zh(m: Method) -> &'static str {
    method_zh(m)
}
