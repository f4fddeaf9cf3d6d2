//! The call (指南 / 榜单) for publication. Owns the call's data for `templates/call.typ`: its facts
//! (programme, mode, category, dates with their zone, funding, places, period, budget rules), what the
//! mode adds (the 榜单's task and end user; a race's teams, gates and tranches; a bounty's reward and
//! payouts; the designated or invited units), eligibility, core indicators, the sections and attachments
//! asked for, and the review plan. Everything is formatted here; the template only lays out.

use crate::format::{self, fields, notes, section, table, yes_no};
use crate::{meta, Job, Pdf, PdfError, RenderOptions};
use lixiang_core::budget::BudgetSchema;
use lixiang_core::call::{Call, CallStatus, Contest, Degree, Form, Mode, PayoutWhen, Title};
use lixiang_core::catalog::Catalog;
use lixiang_core::{CoreError, Lang, Workspace};
use serde_json::{json, Value};

/// The call's job: what typst is given. `schema` is the budget schema the call names, when the workspace
/// holds it (its name, indirect-cost tiers, equipment threshold and negative list are printed).
pub fn job(call: &Call, catalog: &Catalog, schema: Option<&BudgetSchema>, opts: &RenderOptions) -> Job {
    let lang = opts.lang;
    let l = |zh, en| lang.pick(zh, en).to_string();
    let programme = catalog.programmes.iter().find(|p| p.code == call.programme);
    let plan_target = |code: &str| {
        programme
            .and_then(|p| p.targets.iter().find(|t| t.code == code))
            .map_or_else(|| code.to_string(), |t| format!("{} {}", t.code, t.indicator))
    };
    let state = match &call.status {
        CallStatus::Draft => l("草稿（未发布）", "draft (not published)"),
        CallStatus::Published { at } => match lang {
            Lang::Zh => format!("已发布（{}）", format::moment(at, lang)),
            Lang::En => format!("published ({})", format::moment(at, lang)),
        },
    };
    let funding_label = match call.mode {
        Mode::Challenge(_) => l("资助额度（固定）", "Fixed funding"),
        _ => l("单项资助额度", "Funding per project"),
    };
    let schema_line = schema.map_or_else(
        || call.budget.schema.to_string(),
        |s| format!("{}（{} v{}）", s.name.get(lang), s.code, s.version),
    );
    let mut facts = vec![
        (l("指南编号", "Call code"), call.code.clone()),
        (l("修订版", "Revision"), format!("{} · {state}", call.revision)),
        (
            l("所属专项", "Programme"),
            programme.map_or_else(|| call.programme.clone(), |p| format!("{} {}", p.code, p.name)),
        ),
        (l("年度", "Year"), call.year.to_string()),
        (l("遴选方式", "Selection mode"), call.mode.name().get(lang).to_string()),
        (l("项目类别", "Category"), call.category.name().get(lang).to_string()),
    ];
    if let Some(m) = call.management {
        facts.push((l("管理模式", "Management model"), m.name().get(lang).to_string()));
    }
    facts.extend([
        (l("申报开始时间", "Opens"), format::moment(&call.opens_at, lang)),
        (l("申报截止时间", "Closes"), format::moment(&call.closes_at, lang)),
        (funding_label, format!("{} 万元", call.funding_per_project.wan())),
        (l("资助总额", "Total funding"), format!("{} 万元", call.funding_total.wan())),
        (l("拟支持项目数", "Places"), call.places.to_string()),
        (
            l("实施周期", "Period"),
            match lang {
                Lang::Zh => format!("{} 至 {}", call.period.start, call.period.end),
                Lang::En => format!("{} to {}", call.period.start, call.period.end),
            },
        ),
        (
            l("预算规则", "Budget rules"),
            if call.budget.pure_theory {
                format!("{schema_line}{}", lang.pick("；适用纯理论基础研究间接费用比例", "; pure-theory indirect rate"))
            } else {
                schema_line
            },
        ),
    ]);
    // The caps an applicant's budget must keep, from the schema the call carries (shipped or not).
    if let Some(s) = schema {
        let tiers = crate::application::tiers(s, call.budget.pure_theory, lang);
        facts.extend([
            (
                l("间接费用上限", "Indirect-cost cap"),
                match lang {
                    Lang::Zh => format!("按直接费用扣除设备购置费后的数额分档核定：{tiers}"),
                    Lang::En => format!("tiered on direct costs less equipment purchase: {tiers}"),
                },
            ),
            (
                l("设备费详细测算", "Equipment detail"),
                match lang {
                    Lang::Zh => format!("单价 {} 万元及以上的设备须单列测算依据", s.equipment_detail_threshold.wan()),
                    Lang::En => {
                        format!("itemise equipment of unit price {} 万元 or more", s.equipment_detail_threshold.wan())
                    }
                },
            ),
        ]);
    }

    let mut sections = Vec::new();
    let mut n = 0;
    let mut push = |title: String, parts: Vec<Value>| {
        n += 1;
        sections.push(section(n, &title, parts, lang));
    };
    push(l("基本信息", "Facts"), vec![fields(facts)]);
    push(l("遴选方式", "Selection mode"), mode_parts(call, schema, lang));
    push(l("申报条件", "Eligibility"), vec![eligibility(call, lang)]);
    push(
        l("核心指标", "Core indicators"),
        vec![if call.core_indicators.is_empty() {
            notes(vec![l("本指南未设核心指标。", "This call sets no core indicators.")])
        } else {
            table(
                &["auto", "2fr", "auto", "auto", "2fr"],
                &["left", "left", "right", "center", "left"],
                vec![
                    l("编号", "No."),
                    l("指标", "Indicator"),
                    l("目标", "Target"),
                    l("锁定", "Locked"),
                    l("对应规划目标", "Plan target"),
                ],
                call.core_indicators
                    .iter()
                    .map(|c| {
                        vec![
                            c.code.clone(),
                            c.name.get(lang).to_string(),
                            format!("{} {} {}", c.direction.symbol(), format::target(c.target), c.unit),
                            yes_no(c.locked, lang).to_string(),
                            c.plan_target.as_deref().map_or_else(|| "—".to_string(), plan_target),
                        ]
                    })
                    .collect(),
            )
        }],
    );
    push(
        l("申报书内容", "Sections of the application"),
        vec![table(
            &["1fr", "auto", "auto", "auto"],
            &["left", "center", "right", "center"],
            vec![
                l("章节", "Section"),
                l("必填", "Required"),
                l("字数上限", "Max characters"),
                l("盲评可见", "Blind review"),
            ],
            call.sections
                .iter()
                .map(|s| {
                    vec![
                        s.name.get(lang).to_string(),
                        yes_no(s.required, lang).to_string(),
                        s.max_chars.map_or_else(|| "—".to_string(), |m| m.to_string()),
                        yes_no(s.blind_reviewable, lang).to_string(),
                    ]
                })
                .collect(),
        )],
    );
    push(
        l("附件要求", "Attachments"),
        vec![table(
            &["1fr", "auto", "auto", "auto"],
            &["left", "center", "left", "right"],
            vec![l("附件", "Attachment"), l("必交", "Required"), l("格式", "Formats"), l("大小上限", "Max size")],
            call.attachments
                .iter()
                .map(|a| {
                    vec![
                        a.name.get(lang).to_string(),
                        yes_no(a.required, lang).to_string(),
                        a.formats.join(" / "),
                        format::bytes(a.max_bytes, lang),
                    ]
                })
                .collect(),
        )],
    );
    push(l("评审安排", "Review plan"), review_parts(call, lang));

    let title = call.title.get(lang).to_string();
    let header = format!("{} · {}", call.code, lang.pick("指南", "Call"));
    let mut meta = meta(&title, &header, opts);
    // A draft call printed for review must never pass for the published one.
    if call.status == CallStatus::Draft {
        meta["watermark"] = lang.pick("草稿", "DRAFT").into();
    }
    let data = json!({
        "meta": meta,
        "kicker": match lang {
            Lang::Zh => format!("西藏自治区科技重大专项 · {} 年度项目申报指南", call.year),
            Lang::En => format!("Tibet major S&T programme · call for {}", call.year),
        },
        "title": title,
        "sections": sections,
    });
    Job { kind: "call", title, main: Job::main_source("call", "call"), data, files: Default::default() }
}

/// The call as PDF. Errors as [`crate::render`].
pub fn render(
    call: &Call,
    catalog: &Catalog,
    schema: Option<&BudgetSchema>,
    opts: &RenderOptions,
) -> Result<Pdf, PdfError> {
    crate::render(&job(call, catalog, schema, opts), opts.created)
}

/// The newest revision of the call `code_or_id` in this workspace as PDF: what the CLI's
/// `call print` and the desktop's print button call.
pub fn call_pdf(ws: &mut Workspace, code_or_id: &str, opts: &RenderOptions) -> Result<Pdf, CoreError> {
    let call = lixiang_core::call::desk::get(ws, code_or_id)?;
    let catalog = lixiang_core::catalog::get(ws)?;
    // The schema as this workspace holds it: shipped, added here, or carried in with the call's package.
    let held = lixiang_core::budget::held::find(ws, &call.budget.schema)?;
    Ok(render(&call, &catalog, held.as_ref().map(|h| &h.schema), opts)?)
}

fn mode_parts(call: &Call, schema: Option<&BudgetSchema>, lang: Lang) -> Vec<Value> {
    let l = |zh, en| lang.pick(zh, en).to_string();
    match &call.mode {
        Mode::OpenCompetition { two_stage } => vec![notes(vec![if *two_stage {
            l(
                "公开竞争，分预申报和正式申报两个阶段；正式申报的考核指标不得低于预申报。",
                "Open competition in two stages, pre-application then full application; the full application may not lower any indicator of its pre-application.",
            )
        } else {
            l("公开竞争，一次申报。", "Open competition, one stage.")
        }])],
        Mode::DirectedCommission { units } => vec![
            notes(vec![if units.len() == 1 {
                l("定向委托：由下列指定单位编制实施方案，经可行性论证后立项。", "Directed commission: the designated unit below writes the implementation plan, which a feasibility review examines.")
            } else {
                l(
                    "定向委托：下列受邀单位各自编制实施方案，经可行性论证后择优确定一家。",
                    "Directed commission: each invited unit below writes an implementation plan; after the feasibility review the office selects one.",
                )
            }]),
            table(
                &["1fr", "auto"],
                &["left", "left"],
                vec![l("单位", "Unit"), l("统一社会信用代码", "Credit code")],
                units.iter().map(|u| vec![u.name.clone(), u.credit_code.clone()]).collect(),
            ),
        ],
        Mode::Challenge(c) => {
            let mut parts = vec![fields(vec![
                (l("榜单任务", "Task"), c.task.get(lang).to_string()),
                (l("发榜方", "End user"), format!("{}（{}）", c.end_user.name, c.end_user.credit_code)),
            ])];
            match &c.contest {
                Contest::Single => parts.push(notes(vec![l(
                    "择优选定一支揭榜团队（挂帅）；须立军令状，达到全部核心指标。",
                    "One team is selected; it signs a pledge to reach every core indicator.",
                )])),
                Contest::Race(r) => {
                    parts.push(notes(vec![match lang {
                        Lang::Zh => format!(
                            "赛马：并行支持 {} 支团队，首笔拨付每队 {} 万元；各里程碑考核通过后拨付对应经费，未通过的终止或合并。",
                            r.teams,
                            r.first_tranche.wan()
                        ),
                        Lang::En => format!(
                            "Race: {} teams funded in parallel, first tranche {} 万元 each; each milestone gate releases its tranche to the teams that pass, the others end or merge.",
                            r.teams,
                            r.first_tranche.wan()
                        ),
                    }]));
                    parts.push(table(
                        &["auto", "1fr", "auto", "auto", "auto"],
                        &["left", "left", "center", "left", "right"],
                        vec![
                            l("编号", "No."),
                            l("里程碑", "Milestone"),
                            l("考核时间", "Due"),
                            l("考核核心指标", "Indicators examined"),
                            l("拨付（万元）", "Tranche (万元)"),
                        ],
                        r.milestones
                            .iter()
                            .map(|m| {
                                vec![
                                    m.code.clone(),
                                    m.name.get(lang).to_string(),
                                    m.due.to_string(),
                                    m.indicators.join("、"),
                                    m.tranche.wan(),
                                ]
                            })
                            .collect(),
                    ));
                }
                Contest::Bounty(b) => {
                    parts.push(notes(vec![match lang {
                        Lang::Zh => format!("悬赏：悬赏金额 {} 万元，按下列节点兑付。", b.reward.wan()),
                        Lang::En => format!("Bounty: a reward of {} 万元, paid out as below.", b.reward.wan()),
                    }]));
                    parts.push(table(
                        &["1fr", "auto", "auto", "auto"],
                        &["left", "left", "right", "right"],
                        vec![
                            l("兑付节点", "Payout"),
                            l("条件", "When"),
                            l("比例", "Share"),
                            l("金额（万元）", "Amount (万元)"),
                        ],
                        b.split
                            .iter()
                            .zip(b.payouts())
                            .map(|(p, amount)| {
                                vec![
                                    p.label.get(lang).to_string(),
                                    match p.when {
                                        PayoutWhen::Agreement => l("签订协议后", "on signing the agreement"),
                                        PayoutWhen::Acceptance => l(
                                            "验收确认全部核心指标达到后",
                                            "when acceptance verifies every core indicator",
                                        ),
                                    },
                                    format!("{}%", p.percent),
                                    amount.wan(),
                                ]
                            })
                            .collect(),
                    ));
                }
            }
            if let Some(s) = schema.filter(|s| !s.challenge.negative_list.is_empty()) {
                let mut lines = vec![l("经费使用负面清单：", "Negative list of spending:")];
                lines.extend(s.challenge.negative_list.iter().map(|x| format!("· {}", x.get(lang))));
                parts.push(notes(lines));
            }
            parts
        }
    }
}

fn eligibility(call: &Call, lang: Lang) -> Value {
    let e = &call.eligibility;
    let l = |zh, en| lang.pick(zh, en).to_string();
    let title = |t: Title| match t {
        Title::Intermediate => l("中级", "intermediate"),
        Title::AssociateSenior => l("副高级", "associate senior"),
        Title::Senior => l("正高级", "senior"),
    };
    let degree = |d: Degree| match d {
        Degree::Bachelor => l("学士", "bachelor's"),
        Degree::Master => l("硕士", "master's"),
        Degree::Doctor => l("博士", "doctorate"),
    };
    let mut lines = Vec::new();
    if let Some(d) = e.unit_registered_by {
        lines.push(match lang {
            Lang::Zh => format!("申报单位须于 {d} 前（含）注册成立。"),
            Lang::En => format!("The applicant unit was registered on or before {d}."),
        });
    }
    if let Some(a) = e.leader_max_age {
        lines.push(match lang {
            Lang::Zh => format!("项目负责人在申报截止日不超过 {a} 周岁。"),
            Lang::En => format!("The leader is at most {a} on the closing date."),
        });
    }
    if let Some(t) = e.leader_min_title {
        lines.push(match lang {
            Lang::Zh => format!("项目负责人具有{}及以上职称。", title(t)),
            Lang::En => format!("The leader holds at least an {} title.", title(t)),
        });
    }
    if let Some(d) = e.leader_min_degree {
        lines.push(match lang {
            Lang::Zh => format!("项目负责人具有{}及以上学位。", degree(d)),
            Lang::En => format!("The leader holds at least a {} degree.", degree(d)),
        });
    }
    if let Some(m) = e.max_concurrent_projects {
        lines.push(match lang {
            Lang::Zh => format!("限项：项目负责人主持在研项目（含本项目）不超过 {m} 项。"),
            Lang::En => format!("The leader leads at most {m} running projects, this one included."),
        });
    }
    if e.xizang_unit_required {
        lines.push(l(
            "申报单位或合作单位须为在西藏自治区注册的单位。",
            "The applicant or a partner unit is registered in the Tibet Autonomous Region.",
        ));
    }
    if matches!(call.mode, Mode::Challenge(_)) {
        lines.push(l(
            "揭榜挂帅不限制申报单位注册时间及项目负责人年龄、学历和职称；揭榜团队须达到全部核心指标并立军令状。",
            "A challenge does not limit the unit's registration date or the leader's age, degree or title; teams must meet every core indicator and sign a pledge.",
        ));
    }
    if lines.is_empty() {
        lines.push(l("无特别限制。", "No particular limits."));
    }
    notes(lines)
}

fn review_parts(call: &Call, lang: Lang) -> Vec<Value> {
    let l = |zh, en| lang.pick(zh, en).to_string();
    let rows = call
        .review_plan
        .rounds
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut rules = Vec::new();
            if r.trimming {
                rules.push(match lang {
                    Lang::Zh => format!("≥{} 份时去掉最高、最低分", r.trimming_min),
                    Lang::En => format!("highest and lowest dropped from {} sheets", r.trimming_min),
                });
            }
            if matches!(r.form, Form::Scored(_)) {
                rules.push(match lang {
                    Lang::Zh => format!("极差 ≥{} 分为非共识", r.non_consensus),
                    Lang::En => format!("non-consensus at a spread of {}", r.non_consensus),
                });
            }
            if matches!(r.form, Form::Vote) {
                rules.push(match lang {
                    Lang::Zh => format!("赞成票 ≥{} 推荐", r.vote_share),
                    Lang::En => format!("recommended at {} yes votes", r.vote_share),
                });
            }
            if let Some(p) = r.shortlist_percent {
                rules.push(match lang {
                    Lang::Zh => format!("按支持项目数的 {p}% 入围下一轮"),
                    Lang::En => format!("{p}% of the places go on"),
                });
            }
            if let Some(u) = r.industry_user_min {
                rules.push(match lang {
                    Lang::Zh => format!("产业用户专家不少于 {u}"),
                    Lang::En => format!("at least {u} industry users"),
                });
            }
            vec![
                (i + 1).to_string(),
                r.kind.name().get(lang).to_string(),
                r.experts.to_string(),
                r.form.name().get(lang).to_string(),
                yes_no(r.blind, lang).to_string(),
                rules.join(lang.pick("；", "; ")),
            ]
        })
        .collect();
    vec![
        table(
            &["auto", "auto", "auto", "auto", "auto", "1fr"],
            &["center", "left", "right", "left", "center", "left"],
            vec![
                l("轮次", "Round"),
                l("评审方式", "Kind"),
                l("专家人数", "Experts"),
                l("评审表", "Form"),
                l("盲评", "Blind"),
                l("规则", "Rules"),
            ],
            rows,
        ),
        notes(vec![l(
            "评审专家按回避规则遴选；形式审查在各轮评审之前进行。",
            "Experts are drawn with conflicts of interest avoided; the formal check comes before every round.",
        )]),
    ]
}
