//! A complete, valid application for each demo call ([`demo_application`]), for tests, the end-to-end
//! tests and the benchmarks, and the validation benchmark ([`bench_validate`]).
//!
//! Every person and unit is synthetic and marked （示例）: ID numbers and credit codes are built from made-up
//! divisions, dates and sequences with their check characters computed here (GB 11643, GB 32100), never
//! taken from a real person or unit. The application's id is derived from the call's, so the same call
//! always gives the same application and the same version hash.

use super::check::required_pledges;
use super::media::{media_type_for_extension, UNKNOWN};
use super::text::{Block, RichText, Span};
use super::*;
use crate::budget::{totals, BudgetSchema, CostKind, EquipmentLine, Sources};
use crate::call::{Call, Contest, Mode, Period};
use crate::catalog::Catalog;
use crate::money::Fen;
use crate::validate::{credit_code, id_number};
use lixiang_store::sha256_hex;
use std::time::{Duration, Instant};

/// A synthetic ID number: `division` (6 digits), the birth date, a 3-digit sequence, and its check
/// character.
pub fn synthetic_id_number(division: &str, birth: Date, seq: u16) -> String {
    let body = format!("{division}{:04}{:02}{:02}{seq:03}", birth.year(), birth.month(), birth.day());
    let check = id_number::check_char(&body).unwrap_or('0');
    format!("{body}{check}")
}

/// A synthetic credit code: 17 characters of the code's alphabet and their check character.
pub fn synthetic_credit_code(first17: &str) -> String {
    let check = credit_code::check_char(first17).unwrap_or('0');
    format!("{first17}{check}")
}

/// `y-m-d`, or `fallback` when that is not a date (every date written below is one; the fallback only
/// keeps the builders total).
fn date_or(y: i32, m: u8, d: u8, fallback: Date) -> Date {
    Date::new(y, m, d).unwrap_or(fallback)
}

/// The synthetic applicant unit of calls that are not directed commissions.
pub const DEMO_APPLICANT_FIRST17: &str = "12540100710000881";
/// A synthetic partner unit in 西藏 and one outside (四川).
pub const DEMO_PARTNER_FIRST17: [&str; 2] = ["91540000MA6T03012", "12510000450700113"];

fn discipline(programme: &str) -> &'static str {
    match programme {
        "ZX01" => "170",
        "ZX02" | "ZX06" => "210",
        "ZX03" => "180",
        "ZX04" => "320",
        "ZX05" => "480",
        "ZX07" => "520",
        _ => "440",
    }
}

fn demo_id(call: &Call) -> ApplicationId {
    // The call's id with a few random bits flipped: still a UUID v7 (version and variant untouched), and
    // the same for the same call.
    let mut bytes = *call.id.uuid().as_bytes();
    bytes[15] ^= 0xA5;
    bytes[14] ^= 0x5A;
    ApplicationId::from_uuid(uuid::Uuid::from_bytes(bytes)).unwrap_or_default()
}

/// A member with a doctorate and an intermediate title; callers change what differs.
fn member(
    name: &str,
    document: DocumentKind,
    id_number: String,
    birth: Date,
    unit: &str,
    role: Role,
    months: u32,
) -> Member {
    Member {
        name: name.into(),
        document,
        id_number,
        birth_date: birth,
        unit_credit_code: unit.into(),
        department: "示例研究室".into(),
        title: Some(Title::Intermediate),
        title_name: "助理研究员".into(),
        degree: Some(Degree::Doctor),
        role,
        months,
    }
}

fn titled(m: Member, title: Option<Title>, title_name: &str) -> Member {
    Member { title, title_name: title_name.into(), ..m }
}

fn section_text(call: &Call, code: &str, figure: Option<&str>) -> RichText {
    let mut blocks = vec![
        Block::Paragraph {
            spans: vec![
                Span::plain(format!("本项目面向“{}”，", call.title.zh)),
                Span::bold("聚焦高原特殊环境下的关键科学问题与技术瓶颈"),
                Span::plain("，研究区面积约 1.2×10"),
                Span::superscript("4"),
                Span::plain(" km"),
                Span::superscript("2"),
                Span::plain("，兼顾 CO"),
                Span::subscript("2"),
                Span::plain(" 排放与生态保护（示例文本）。"),
            ],
        },
        Block::List {
            ordered: true,
            items: vec![
                vec![Span::plain("梳理现有基础与需求；")],
                vec![Span::italic("in situ"), Span::plain(" 观测与试验示范；")],
                vec![Span::plain("形成可推广的技术规程。")],
            ],
        },
    ];
    if code == "content" {
        blocks.push(Block::Table {
            rows: vec![
                vec![vec![Span::bold("任务")], vec![Span::bold("内容")], vec![Span::bold("年度")]],
                vec![vec![Span::plain("课题一")], vec![Span::plain("机理研究")], vec![Span::plain("第一年")]],
                vec![vec![Span::plain("课题二")], vec![Span::plain("集成示范")], vec![Span::plain("第二至三年")]],
            ],
        });
        if let Some(sha) = figure {
            blocks.push(Block::Image { sha256: sha.into(), caption: vec![Span::plain("图 1 技术路线图")] });
        }
    }
    RichText { blocks }
}

fn attachment(call: &Call, rule: &crate::call::AttachmentRule, label: &str, size: u64) -> Attachment {
    let format = rule.formats.first().map(String::as_str).unwrap_or("pdf");
    let name = format!("{label}.{format}");
    Attachment {
        rule: rule.code.clone(),
        sha256: sha256_hex(format!("lixiang demo {} {} {label}", call.code, rule.code).as_bytes()),
        size: size.min(rule.max_bytes),
        media_type: media_type_for_extension(&name).unwrap_or(UNKNOWN).to_string(),
        name,
    }
}

/// A budget that passes [`crate::budget::check_budget`] under `schema` for `call`: the call's whole
/// funding per project as fiscal funds (exactly, as 揭榜挂帅 requires), 20% equipment purchase in the
/// first year with its estimate, 8% indirect costs (below every schema's lowest tier on the base that
/// remains), the rest spread evenly over up to three other direct categories and the period's years,
/// with 10% self-raised funds on top.
fn demo_budget(call: &Call, schema: Option<&BudgetSchema>) -> BudgetTable {
    let years = call.period.years();
    let Some(schema) = schema else {
        return BudgetTable {
            schema: call.budget.schema.clone(),
            years,
            lines: BTreeMap::new(),
            requested: Sources::default(),
            equipment: Vec::new(),
        };
    };
    let mut t = BudgetTable::new(schema, years.clone());
    let f = call.funding_per_project.get();
    let indirect = f * 8 / 100;
    let equipment = f * 20 / 100;
    let leaves: Vec<_> = schema.leaves().collect();
    let first_year = years.first().copied().unwrap_or(call.year);
    if let Some(c) = leaves.iter().find(|c| c.kind == CostKind::Indirect) {
        t.set(&c.code, first_year, Sources::new(Fen::new(indirect), Fen::ZERO));
    }
    if let Some(c) = leaves.iter().find(|c| c.equipment_purchase) {
        t.set(&c.code, first_year, Sources::new(Fen::new(equipment), Fen::ZERO));
        t.equipment.push(EquipmentLine {
            category: c.code.clone(),
            name: "高原型野外监测仪（示例）".into(),
            unit_price: Fen::new(equipment),
            quantity: 1,
            estimate: "规格：耐低温低压型；三家供应商报价取中值；用于野外连续观测（示例）".into(),
        });
    }
    let others: Vec<&str> =
        leaves.iter().filter(|c| c.kind == CostKind::Direct && !c.equipment).map(|c| c.code.as_str()).take(3).collect();
    let cells: Vec<(&str, i32)> = others.iter().flat_map(|c| years.iter().map(move |y| (*c, *y))).collect();
    let rest = f - indirect - equipment;
    let n = cells.len().max(1) as u64;
    for (k, (code, year)) in cells.iter().enumerate() {
        let mut amount = rest / n;
        if k + 1 == cells.len() {
            amount += rest % n;
        }
        let self_raised = if k == 0 { f / 10 } else { 0 };
        t.set(code, *year, Sources::new(Fen::new(amount), Fen::new(self_raised)));
    }
    t.requested = totals(schema, &t).grand;
    t
}

fn schema_for(call: &Call) -> Option<BudgetSchema> {
    crate::budget::embedded_schemas().ok()?.into_iter().find(|s| s.reference() == call.budget.schema)
}

/// A complete application for `call` with no error under [`validate_application`] (before the call's
/// closing date): the designated unit for a 定向委托 call, a synthetic unit otherwise; five members with
/// the four kinds of documents; every rich-text section the call asks for; an indicator answering each
/// core indicator exactly at its target, one linked to a plan target, and a paper indicator; race
/// milestones when the call is a race; a budget using the whole funding; the required attachments; three
/// 代表作 for 基础研究; one expert to avoid where the call takes them; every pledge accepted.
pub fn demo_application(call: &Call) -> Application {
    let schema = schema_for(call);
    demo_application_with(call, schema.as_ref())
}

/// [`demo_application`] with its budget on `schema` (the one the workspace holds for the call, which may
/// be one the program does not ship); with `None` the budget is empty.
pub fn demo_application_with(call: &Call, schema: Option<&BudgetSchema>) -> Application {
    let catalog = crate::catalog::embedded().ok();
    build(call, catalog.as_ref(), schema)
}

fn build(call: &Call, catalog: Option<&Catalog>, schema: Option<&BudgetSchema>) -> Application {
    let applicant = match &call.mode {
        Mode::DirectedCommission { units } if !units.is_empty() => ApplicantUnit {
            name: units[0].name.clone(),
            credit_code: units[0].credit_code.clone(),
            registered_on: date_or(1995, 6, 1, call.period.start),
            region: "540100".into(),
        },
        _ => ApplicantUnit {
            name: "西藏高原示例研究院（示例）".into(),
            credit_code: synthetic_credit_code(DEMO_APPLICANT_FIRST17),
            registered_on: date_or(2001, 5, 10, call.period.start),
            region: "540100".into(),
        },
    };
    let partners = vec![
        PartnerUnit {
            name: "西藏示例科技有限公司（示例）".into(),
            credit_code: synthetic_credit_code(DEMO_PARTNER_FIRST17[0]),
        },
        PartnerUnit {
            name: "四川示例大学（示例）".into(),
            credit_code: synthetic_credit_code(DEMO_PARTNER_FIRST17[1]),
        },
    ];
    let home = applicant.credit_code.clone();
    let (p1, p2) = (partners[0].credit_code.clone(), partners[1].credit_code.clone());
    let period = Period { start: call.period.start, end: call.period.end };
    let date = |y, m, d| date_or(y, m, d, call.period.start);
    let leader_birth = date(1978, 5, 12);
    let team = vec![
        titled(
            member(
                "次仁多吉（示例）",
                DocumentKind::ResidentId,
                synthetic_id_number("540102", leader_birth, 71),
                leader_birth,
                &home,
                Role::Leader,
                20,
            ),
            Some(Title::Senior),
            "研究员",
        ),
        // The hand-computed synthetic number of the ID number tests (validate::id_number).
        titled(
            member(
                "卓玛（示例）",
                DocumentKind::ResidentId,
                "540102198503171232".into(),
                date(1985, 3, 17),
                &home,
                Role::Backbone,
                18,
            ),
            Some(Title::AssociateSenior),
            "副研究员",
        ),
        titled(
            member(
                "王磊（示例）",
                DocumentKind::ResidentId,
                synthetic_id_number("510107", date(1990, 8, 8), 35),
                date(1990, 8, 8),
                &p2,
                Role::Backbone,
                12,
            ),
            Some(Title::Intermediate),
            "讲师",
        ),
        titled(
            member(
                "陈嘉怡（示例）",
                DocumentKind::HkMacaoTaiwanPermit,
                "H10293847".into(),
                date(1992, 11, 3),
                &p1,
                Role::Participant,
                6,
            ),
            Some(Title::Intermediate),
            "工程师",
        ),
        titled(
            member(
                "Maria Rossi（示例）",
                DocumentKind::Passport,
                "YA1234567".into(),
                date(1988, 1, 21),
                &home,
                Role::Participant,
                6,
            ),
            None,
            "博士后",
        ),
    ];

    let other_rule = call.attachments.iter().find(|r| r.code == "other" && r.formats.iter().any(|f| f == "png"));
    let mut attachments: Vec<Attachment> =
        call.attachments.iter().filter(|r| r.required).map(|r| attachment(call, r, &r.name.zh, 1_048_576)).collect();
    let figure = other_rule.map(|r| {
        let mut a = attachment(call, r, "技术路线图", 204_800);
        a.name = "技术路线图.png".into();
        a.media_type = media_type_for_extension(&a.name).unwrap_or(UNKNOWN).into();
        a
    });
    if let Some(f) = &figure {
        attachments.push(f.clone());
    }

    let mut sections = BTreeMap::new();
    for rule in call.sections.iter().filter(|s| !check::STRUCTURED_SECTIONS.contains(&s.code.as_str())) {
        sections.insert(rule.code.clone(), section_text(call, &rule.code, figure.as_ref().map(|f| f.sha256.as_str())));
    }

    let mut indicators = Vec::new();
    for core in &call.core_indicators {
        let linked = core.plan_target.is_some();
        indicators.push(Indicator {
            id: format!("K{}", indicators.len() + 1),
            name: core.name.zh.clone(),
            kind: if linked { IndicatorKind::Technology } else { IndicatorKind::Other },
            unit: core.unit.clone(),
            baseline: None,
            target: Quantity::from_f64(core.target).unwrap_or(Quantity::whole(0)),
            direction: core.direction,
            plan_target: core.plan_target.clone(),
            core_indicator: Some(core.code.clone()),
        });
    }
    if !call.core_indicators.iter().any(|c| c.plan_target.is_some()) {
        let target = catalog
            .and_then(|c| c.programmes.iter().find(|p| p.code == call.programme))
            .and_then(|p| p.targets.first());
        if let Some(t) = target {
            indicators.push(Indicator {
                id: format!("K{}", indicators.len() + 1),
                name: t.indicator.clone(),
                kind: IndicatorKind::Technology,
                unit: t.unit.clone(),
                baseline: Some(Quantity::whole(0)),
                target: Quantity::whole(1),
                direction: Direction::AtLeast,
                plan_target: Some(t.code.clone()),
                core_indicator: None,
            });
        }
    }
    indicators.push(Indicator {
        id: format!("K{}", indicators.len() + 1),
        name: "发表高水平学术论文".into(),
        kind: IndicatorKind::Paper,
        unit: "篇".into(),
        baseline: Some(Quantity::whole(2)),
        target: Quantity::whole(6),
        direction: Direction::AtLeast,
        plan_target: None,
        core_indicator: None,
    });

    let milestones = match &call.mode {
        Mode::Challenge(c) => match &c.contest {
            Contest::Race(r) => r
                .milestones
                .iter()
                .map(|g| MilestonePlan {
                    code: g.code.clone(),
                    name: g.name.zh.clone(),
                    due: g.due,
                    deliverable: "提交阶段报告与第三方测试报告（示例）".into(),
                })
                .collect(),
            _ => default_milestones(&period),
        },
        _ => default_milestones(&period),
    };

    let mut representative_works = Vec::new();
    if call.category == crate::call::Category::BasicResearch {
        let rule = call.attachments.iter().find(|r| r.code == "representative_works");
        for i in 1..=3 {
            let file = rule.map(|r| attachment(call, r, &format!("代表作{i}"), 2_097_152));
            representative_works.push(RepresentativeWork {
                title: format!("高原生态系统碳收支研究（示例）之{i}"),
                citation: format!("次仁多吉, 卓玛. 示例学报, 202{i}, 4{i}(2): 1-12"),
                year: 2020 + i,
                attachment: file.as_ref().map(|f| f.sha256.clone()),
            });
            attachments.extend(file);
        }
    }

    let avoid_experts = if call.sections.iter().any(|s| s.code == "avoid_experts") {
        vec![AvoidedExpert {
            name: "某专家（示例）".into(),
            unit: "示例大学".into(),
            reason: "近三年与项目负责人存在直接竞争关系（示例）".into(),
        }]
    } else {
        Vec::new()
    };

    Application {
        id: demo_id(call),
        call_id: call.id,
        call_revision: call.revision,
        programme: call.programme.clone(),
        stage: Stage::Full,
        pre_application: None,
        title: format!("{}（示例申报）", call.title.zh),
        keywords: vec!["青藏高原".into(), "关键技术".into(), "示范应用".into()],
        discipline: discipline(&call.programme).into(),
        period,
        applicant,
        partners,
        team,
        sections,
        indicators,
        milestones,
        budget: demo_budget(call, schema),
        representative_works,
        attachments,
        avoid_experts,
        pledges: required_pledges(call).into_iter().map(|p| (p.code.to_string(), true)).collect(),
    }
}

fn default_milestones(period: &Period) -> Vec<MilestonePlan> {
    let middle = Date::new(period.start.year() + 1, 6, 30).filter(|d| period.contains(*d)).unwrap_or(period.end);
    vec![
        MilestonePlan {
            code: "M1".into(),
            name: "关键技术突破".into(),
            due: middle,
            deliverable: "中期报告与样机（示例）".into(),
        },
        MilestonePlan {
            code: "M2".into(),
            name: "集成示范与验收".into(),
            due: period.end,
            deliverable: "示范报告与验收材料（示例）".into(),
        },
    ]
}

/// The demo application of `call` grown to the size of a large real one: 15 members and every rich-text
/// section filled to 90% of its limit. What the validation benchmark measures.
pub fn bench_application(call: &Call) -> Application {
    let mut app = demo_application(call);
    let home = app.applicant.credit_code.clone();
    for k in 0..10u16 {
        let birth = date_or(1980 + i32::from(k), 1 + (k % 12) as u8, 1 + k as u8, call.period.start);
        app.team.push(member(
            &format!("示例成员{k}"),
            DocumentKind::ResidentId,
            synthetic_id_number("540102", birth, 100 + k),
            birth,
            &home,
            Role::Participant,
            6,
        ));
    }
    let paragraph = "高原生态系统演变机制与关键技术集成示范研究，面向区域重大需求开展系统攻关（示例文本）。";
    let per = paragraph.chars().filter(|c| !c.is_whitespace()).count();
    for rule in &call.sections {
        let (Some(max), Some(text)) = (rule.max_chars, app.sections.get_mut(&rule.code)) else { continue };
        let room = (max as usize * 9 / 10).saturating_sub(text.char_count());
        for _ in 0..room / per {
            text.blocks.push(Block::Paragraph { spans: vec![Span::plain(paragraph)] });
        }
    }
    app
}

/// Median time of `n` runs (at least 1) of [`validate_application`] on [`bench_application`] of the
/// 基础研究 demo call (two-stage, 代表作, the most checks), the catalog loaded beforehand. A figure to
/// report, never a pass/fail (target ≤ 5 ms).
pub fn bench_validate(n: usize) -> Duration {
    let calls = crate::call::demo_calls().unwrap_or_default();
    let Some(call) = calls.iter().find(|c| c.code == "2027-ZX03-01").or(calls.first()) else {
        return Duration::ZERO;
    };
    let catalog = crate::catalog::embedded().unwrap_or(Catalog {
        programmes: Vec::new(),
        plan_indicators: Vec::new(),
        plan_footnotes: Vec::new(),
    });
    let app = bench_application(call);
    let today = call.opens_at.local_date();
    let mut times: Vec<Duration> = (0..n.max(1))
        .map(|_| {
            let start = Instant::now();
            let problems = validate_application(call, &app, &catalog, today);
            let took = start.elapsed();
            std::hint::black_box(problems);
            took
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}
