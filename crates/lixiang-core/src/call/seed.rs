//! Reading and checking rubric templates (`seeds/rubrics/*.toml`) and calls (`seeds/calls/*.toml`),
//! formats in `seeds/README.md`. A malformed file is refused as a whole, naming the file, the entry
//! (`criterion originality`, `call 2027-ZX05-01`) and the field; a call is also run through
//! [`super::validate_call`] and refused on any error it reports, so a seeded call is always publishable.

use super::review::{
    default_plan, Band, Criterion, Form, HalfPoints, Ratio, ReviewPlan, Round, RoundDefaults, RoundKind, Rubric,
    RubricTemplate, TemplateUse, VerdictForm, VerdictItem, VerdictScale,
};
use super::{
    AttachmentRule, Bounty, BudgetRules, Call, CallId, CallStatus, Category, Challenge, Contest, CoreIndicator, Degree,
    Direction, Eligibility, ManagementModel, Milestone, Mode, Payout, PayoutWhen, Period, Race, SectionRule, Title,
    Unit,
};
use crate::budget::seed::is_code;
use crate::budget::{BudgetSchema, SchemaRef};
use crate::lang::Bilingual;
use crate::seed_toml::{parse_file, Node};
use crate::Result;
use std::collections::BTreeSet;

fn bilingual(n: &Node, field: &str) -> Result<Bilingual> {
    Ok(Bilingual::new(n.text(&format!("{field}_zh"))?, n.text_or_empty(&format!("{field}_en"))?))
}

fn ratio(n: &Node, field: &str) -> Result<Option<Ratio>> {
    match n.opt_text(field)? {
        None => Ok(None),
        Some(t) => match Ratio::parse(&t) {
            Some(r) if r.is_share() => Ok(Some(r)),
            _ => Err(n.err(field, format!("{t:?} is not a share such as \"2/3\" (above 0, at most 1)"))),
        },
    }
}

fn half_points(n: &Node, field: &str) -> Result<HalfPoints> {
    let x = n.number(field)?;
    let halves = x * 2.0;
    if x < 0.0 || halves.fract() != 0.0 || halves > 400.0 {
        return Err(n.err(field, format!("{x} is not a score in steps of 0.5")));
    }
    Ok(HalfPoints(halves as u32))
}

/// Parses one rubric template file.
pub fn parse_template(file: &str, text: &str) -> Result<RubricTemplate> {
    let root = parse_file(file, text)?;
    let top = Node::new(file, "(file)", &root);
    top.only(&[
        "code",
        "version",
        "applies_to",
        "name_zh",
        "name_en",
        "source",
        "form",
        "defaults",
        "criterion",
        "item",
    ])?;
    let code = top.text("code")?;
    if !is_code(&code) {
        return Err(top.err("code", "lower-case letters, digits, - and _ only, starting with a letter"));
    }
    let version = top.uint("version")?;
    if version == 0 {
        return Err(top.err("version", "versions count from 1"));
    }
    let applies_to = match top.text("applies_to")?.as_str() {
        "directed_commission" => TemplateUse::DirectedCommission,
        other => TemplateUse::Category(Category::parse(other).ok_or_else(|| {
            top.err(
                "applies_to",
                format!("{other} is not basic_research, tech_innovation, transfer or directed_commission"),
            )
        })?),
    };
    let name = bilingual(&top, "name")?;
    let source = top.text("source")?;
    let template = Some(super::TemplateRef { code: code.clone(), version });

    let d = top.child("defaults")?;
    let dn = Node::new(file, "defaults", d.node().table);
    dn.only(&[
        "mail_experts",
        "panel_experts",
        "mail_blind",
        "trimming",
        "trimming_min",
        "non_consensus",
        "vote_share",
        "shortlist_percent",
        "industry_user_min",
    ])?;
    let defaults = RoundDefaults {
        mail_experts: dn.uint("mail_experts")?,
        panel_experts: dn.uint("panel_experts")?,
        mail_blind: dn.bool_or("mail_blind", false)?,
        trimming: dn.bool_or("trimming", true)?,
        trimming_min: dn.uint_or("trimming_min", 5)?,
        non_consensus: dn.uint_or("non_consensus", 20)?,
        vote_share: ratio(&dn, "vote_share")?.unwrap_or(Ratio::new(2, 3)),
        shortlist_percent: dn.uint_or("shortlist_percent", 120)?,
        industry_user_min: ratio(&dn, "industry_user_min")?,
    };
    for (field, v) in [("mail_experts", defaults.mail_experts), ("panel_experts", defaults.panel_experts)] {
        if v == 0 {
            return Err(dn.err(field, "at least 1 expert"));
        }
    }
    if defaults.trimming_min < 3 {
        return Err(dn.err("trimming_min", "trimming drops two sheets: at least 3"));
    }
    if defaults.non_consensus == 0 || defaults.non_consensus > 100 {
        return Err(dn.err("non_consensus", "between 1 and 100 points"));
    }
    if defaults.shortlist_percent < 100 {
        return Err(dn.err("shortlist_percent", "at least 100 (percent of the places)"));
    }

    let form = match top.text("form")?.as_str() {
        "scored" => {
            if top.has("item") {
                return Err(top.err("item", "a scored form has criteria, not items"));
            }
            let mut criteria: Vec<Criterion> = Vec::new();
            for c in top.nonempty_list("criterion")? {
                let cn = c.node();
                let id = cn.text("id")?;
                let entry = format!("criterion {id}");
                let cn = Node::new(file, &entry, cn.table);
                cn.only(&["id", "name_zh", "name_en", "weight", "bands"])?;
                if !is_code(&id) {
                    return Err(cn.err("id", "lower-case letters, digits, - and _ only"));
                }
                if criteria.iter().any(|x| x.id == id) {
                    return Err(cn.err("id", "a second criterion with this id"));
                }
                let weight = cn.uint("weight")?;
                if weight == 0 || weight > 100 {
                    return Err(cn.err("weight", "between 1 and 100 points"));
                }
                let mut bands = Vec::new();
                for b in cn.list("bands")? {
                    let bn = b.node();
                    bn.only(&["from", "to", "zh", "en"])?;
                    bands.push(Band {
                        low: half_points(&bn, "from")?,
                        high: half_points(&bn, "to")?,
                        text: Bilingual::new(bn.text("zh")?, bn.text("en")?),
                    });
                }
                let criterion = Criterion { id, name: bilingual(&cn, "name")?, weight, bands };
                if let Some((_, _, en)) = super::check::band_gap(&criterion) {
                    return Err(cn.err("bands", en));
                }
                criteria.push(criterion);
            }
            let total: u32 = criteria.iter().map(|c| c.weight).sum();
            if total != 100 {
                return Err(top.err("criterion", format!("the weights add up to {total}, not 100")));
            }
            Form::Scored(Rubric { template, criteria })
        }
        "feasibility" => {
            if top.has("criterion") {
                return Err(top.err("criterion", "a verdict form has items, not criteria"));
            }
            let mut items: Vec<VerdictItem> = Vec::new();
            for it in top.nonempty_list("item")? {
                let n = it.node();
                n.only(&["id", "name_zh", "name_en"])?;
                let id = n.text("id")?;
                if !is_code(&id) || items.iter().any(|x| x.id == id) {
                    return Err(n.err("id", "a code (lower-case letters, digits, -, _) not used by another item"));
                }
                items.push(VerdictItem { id, name: bilingual(&n, "name")? });
            }
            Form::Verdicts(VerdictForm { template, scale: VerdictScale::Feasibility, items, per_core_indicator: false })
        }
        other => return Err(top.err("form", format!("{other} is not scored or feasibility"))),
    };
    match (applies_to, &form) {
        (TemplateUse::DirectedCommission, Form::Scored(_)) => {
            return Err(top.err("form", "定向委托 is not ranked: its template is a feasibility form"))
        }
        (TemplateUse::Category(_), Form::Verdicts(_)) => {
            return Err(top.err("form", "a category's template is a scored form"))
        }
        _ => {}
    }
    Ok(RubricTemplate { code, version, name, source, applies_to, form, defaults })
}

/// The standard sections and attachments of a call file, each with the modes it applies to.
struct Standard<T> {
    modes: Vec<String>,
    rule: T,
}

const MODES: &[&str] = &["open_competition", "challenge", "directed_commission"];

fn modes(n: &Node) -> Result<Vec<String>> {
    let m = n.strings("modes")?;
    if let Some(bad) = m.iter().find(|m| !MODES.contains(&m.as_str())) {
        return Err(n.err("modes", format!("{bad} is not one of {}", MODES.join(", "))));
    }
    Ok(if m.is_empty() { MODES.iter().map(|s| s.to_string()).collect() } else { m })
}

fn section(n: &Node) -> Result<SectionRule> {
    n.only(&["code", "name_zh", "name_en", "required", "max_chars", "blind_reviewable", "modes"])?;
    let code = n.text("code")?;
    if !is_code(&code) {
        return Err(n.err("code", "lower-case letters, digits, - and _ only"));
    }
    Ok(SectionRule {
        code,
        name: bilingual(n, "name")?,
        required: n.bool_or("required", true)?,
        max_chars: n.opt_uint("max_chars")?,
        blind_reviewable: n.bool_or("blind_reviewable", false)?,
    })
}

fn attachment(n: &Node) -> Result<AttachmentRule> {
    n.only(&["code", "name_zh", "name_en", "required", "max_mb", "formats", "modes"])?;
    let code = n.text("code")?;
    if !is_code(&code) {
        return Err(n.err("code", "lower-case letters, digits, - and _ only"));
    }
    let formats = n.strings("formats")?;
    if formats.is_empty() {
        return Err(n.err("formats", "name at least one file type (pdf, jpg …)"));
    }
    Ok(AttachmentRule {
        code,
        name: bilingual(n, "name")?,
        required: n.bool_or("required", true)?,
        max_bytes: n.u64("max_mb")?.saturating_mul(1024 * 1024),
        formats,
    })
}

/// Parses a call file against the known rubric templates and budget schemas. Every call is checked
/// with [`super::validate_call`]; an error there refuses the file, naming the call and the field.
pub fn parse_calls(
    file: &str,
    text: &str,
    templates: &[RubricTemplate],
    schemas: &[BudgetSchema],
) -> Result<Vec<Call>> {
    let root = parse_file(file, text)?;
    let top = Node::new(file, "(file)", &root);
    top.only(&["section", "attachment", "call"])?;
    let mut sections = Vec::new();
    for s in top.list("section")? {
        let n = s.node();
        sections.push(Standard { modes: modes(&n)?, rule: section(&n)? });
    }
    let mut attachments = Vec::new();
    for a in top.list("attachment")? {
        let n = a.node();
        attachments.push(Standard { modes: modes(&n)?, rule: attachment(&n)? });
    }
    let mut calls: Vec<Call> = Vec::new();
    let mut ids = BTreeSet::new();
    for c in top.nonempty_list("call")? {
        let n = c.node();
        let code = n.text("code")?;
        let entry = format!("call {code}");
        let n = Node::new(file, &entry, n.table);
        let call = parse_call(&n, code, &sections, &attachments, templates, schemas)?;
        if !ids.insert(call.id) {
            return Err(n.err("id", "a second call with this id"));
        }
        if calls.iter().any(|x| x.code == call.code) {
            return Err(n.err("code", "a second call with this code"));
        }
        if let Some(p) = super::validate_call(&call).into_iter().find(|p| p.is_error()) {
            return Err(n.err(&p.field, format!("{} ({})", p.en, p.code)));
        }
        calls.push(call);
    }
    Ok(calls)
}

fn parse_call(
    n: &Node,
    code: String,
    sections: &[Standard<SectionRule>],
    attachments: &[Standard<AttachmentRule>],
    templates: &[RubricTemplate],
    schemas: &[BudgetSchema],
) -> Result<Call> {
    n.only(&[
        "id",
        "code",
        "programme",
        "title_zh",
        "title_en",
        "year",
        "category",
        "management",
        "opens_at",
        "closes_at",
        "funding_per_project_wan",
        "funding_total_wan",
        "places",
        "period",
        "budget",
        "eligibility",
        "mode",
        "indicator",
        "round",
        "review_plan_version",
    ])?;
    let id_text = n.text("id")?;
    let id = CallId::parse(&id_text).ok_or_else(|| n.err("id", format!("{id_text} is not a UUID v7")))?;
    let category_text = n.text("category")?;
    let category = Category::parse(&category_text).ok_or_else(|| {
        n.err("category", format!("{category_text} is not basic_research, tech_innovation or transfer"))
    })?;
    let management = match n.opt_text("management")? {
        None => None,
        Some(m) => Some(ManagementModel::parse(&m).ok_or_else(|| {
            let all: Vec<&str> = ManagementModel::ALL.iter().map(|m| m.code()).collect();
            n.err("management", format!("{m} is not one of {}", all.join(", ")))
        })?),
    };

    let p = n.child("period")?;
    let pn = p.node();
    pn.only(&["start", "end"])?;
    let period = Period { start: pn.date("start")?, end: pn.date("end")? };

    let b = n.child("budget")?;
    let bn = b.node();
    bn.only(&["schema", "version", "pure_theory"])?;
    let schema = SchemaRef { code: bn.text("schema")?, version: bn.uint("version")? };
    if !schemas.iter().any(|s| s.reference() == schema) {
        return Err(bn.err("schema", format!("no budget schema {schema} in seeds/budget/")));
    }
    let budget = BudgetRules { schema, pure_theory: bn.bool_or("pure_theory", false)? };

    let eligibility = match n.opt_child("eligibility")? {
        None => Eligibility::default(),
        Some(e) => eligibility(&e.node())?,
    };

    let mut core_indicators = Vec::new();
    for i in n.list("indicator")? {
        core_indicators.push(indicator(&i.node())?);
    }

    let m = n.child("mode")?;
    let mode = mode(&m.node())?;

    let mode_code = mode.code();
    let pick = |s: &[Standard<SectionRule>]| -> Vec<SectionRule> {
        s.iter().filter(|x| x.modes.iter().any(|m| m == mode_code)).map(|x| x.rule.clone()).collect()
    };
    let sections = pick(sections);
    let attachments: Vec<AttachmentRule> =
        attachments.iter().filter(|x| x.modes.iter().any(|m| m == mode_code)).map(|x| x.rule.clone()).collect();

    let rounds_given = n.list("round")?;
    let review_plan = if rounds_given.is_empty() {
        default_plan(category, &mode, templates).ok_or_else(|| {
            n.err("category", format!("no rubric template in seeds/rubrics/ for {category_text} in mode {mode_code}"))
        })?
    } else {
        let mut rounds = Vec::new();
        for r in &rounds_given {
            rounds.push(round(&r.node(), category, templates)?);
        }
        ReviewPlan { version: n.uint_or("review_plan_version", 1)?, rounds }
    };

    Ok(Call {
        id,
        revision: 1,
        status: CallStatus::Draft,
        code,
        programme: n.text("programme")?,
        title: bilingual(n, "title")?,
        year: n.int("year")?,
        mode,
        category,
        management,
        opens_at: n.moment("opens_at")?,
        closes_at: n.moment("closes_at")?,
        funding_per_project: n.wan("funding_per_project_wan")?,
        funding_total: n.wan("funding_total_wan")?,
        places: n.uint("places")?,
        period,
        budget,
        sections,
        attachments,
        eligibility,
        core_indicators,
        review_plan,
    })
}

fn eligibility(n: &Node) -> Result<Eligibility> {
    n.only(&[
        "unit_registered_by",
        "leader_max_age",
        "leader_min_title",
        "leader_min_degree",
        "max_concurrent_projects",
        "xizang_unit_required",
    ])?;
    let title = match n.opt_text("leader_min_title")?.as_deref() {
        None => None,
        Some("intermediate") => Some(Title::Intermediate),
        Some("associate_senior") => Some(Title::AssociateSenior),
        Some("senior") => Some(Title::Senior),
        Some(o) => {
            return Err(n.err("leader_min_title", format!("{o} is not intermediate, associate_senior or senior")))
        }
    };
    let degree = match n.opt_text("leader_min_degree")?.as_deref() {
        None => None,
        Some("bachelor") => Some(Degree::Bachelor),
        Some("master") => Some(Degree::Master),
        Some("doctor") => Some(Degree::Doctor),
        Some(o) => return Err(n.err("leader_min_degree", format!("{o} is not bachelor, master or doctor"))),
    };
    Ok(Eligibility {
        unit_registered_by: n.opt_date("unit_registered_by")?,
        leader_max_age: n.opt_uint("leader_max_age")?,
        leader_min_title: title,
        leader_min_degree: degree,
        max_concurrent_projects: n.opt_uint("max_concurrent_projects")?,
        xizang_unit_required: n.bool_or("xizang_unit_required", false)?,
    })
}

fn indicator(n: &Node) -> Result<CoreIndicator> {
    n.only(&["code", "name_zh", "name_en", "unit", "target", "direction", "locked", "plan_target"])?;
    let direction = match n.text("direction")?.as_str() {
        ">=" | "≥" => Direction::AtLeast,
        "<=" | "≤" => Direction::AtMost,
        o => return Err(n.err("direction", format!("{o} is not >= or <="))),
    };
    Ok(CoreIndicator {
        code: n.text("code")?,
        name: bilingual(n, "name")?,
        unit: n.text("unit")?,
        target: n.number("target")?,
        direction,
        locked: n.bool_or("locked", false)?,
        plan_target: n.opt_text("plan_target")?,
    })
}

fn unit(n: &Node) -> Result<Unit> {
    n.only(&["name", "credit_code"])?;
    Ok(Unit { name: n.text("name")?, credit_code: n.text("credit_code")? })
}

fn mode(n: &Node) -> Result<Mode> {
    match n.text("kind")?.as_str() {
        "open_competition" => {
            n.only(&["kind", "two_stage"])?;
            Ok(Mode::OpenCompetition { two_stage: n.bool_or("two_stage", false)? })
        }
        "directed_commission" => {
            n.only(&["kind", "units"])?;
            let mut units = Vec::new();
            for u in n.nonempty_list("units")? {
                units.push(unit(&u.node())?);
            }
            Ok(Mode::DirectedCommission { units })
        }
        "challenge" => {
            n.only(&[
                "kind",
                "task_zh",
                "task_en",
                "end_user",
                "contest",
                "teams",
                "first_tranche_wan",
                "milestone",
                "reward_wan",
                "payout",
            ])?;
            let end_user = unit(&n.child("end_user")?.node())?;
            let contest = match n.text("contest")?.as_str() {
                "single" => Contest::Single,
                "race" => {
                    let mut milestones = Vec::new();
                    for m in n.nonempty_list("milestone")? {
                        let mn = m.node();
                        mn.only(&["code", "name_zh", "name_en", "due", "indicators", "tranche_wan"])?;
                        milestones.push(Milestone {
                            code: mn.text("code")?,
                            name: bilingual(&mn, "name")?,
                            due: mn.date("due")?,
                            indicators: mn.strings("indicators")?,
                            tranche: mn.wan("tranche_wan")?,
                        });
                    }
                    Contest::Race(Race {
                        teams: n.uint("teams")?,
                        first_tranche: n.wan("first_tranche_wan")?,
                        milestones,
                    })
                }
                "bounty" => {
                    let mut split = Vec::new();
                    for p in n.nonempty_list("payout")? {
                        let pn = p.node();
                        pn.only(&["label_zh", "label_en", "when", "percent"])?;
                        let when = match pn.text("when")?.as_str() {
                            "agreement" => PayoutWhen::Agreement,
                            "acceptance" => PayoutWhen::Acceptance,
                            o => return Err(pn.err("when", format!("{o} is not agreement or acceptance"))),
                        };
                        split.push(Payout { label: bilingual(&pn, "label")?, when, percent: pn.uint("percent")? });
                    }
                    Contest::Bounty(Bounty { reward: n.wan("reward_wan")?, split })
                }
                o => return Err(n.err("contest", format!("{o} is not single, race or bounty"))),
            };
            Ok(Mode::Challenge(Challenge { task: bilingual(n, "task")?, end_user, contest }))
        }
        o => Err(n.err("kind", format!("{o} is not one of {}", MODES.join(", ")))),
    }
}

/// A round written out in a call file: its kind and form, with the category template's defaults for
/// everything not given.
fn round(n: &Node, category: Category, templates: &[RubricTemplate]) -> Result<Round> {
    n.only(&[
        "kind",
        "experts",
        "blind",
        "form",
        "trimming",
        "trimming_min",
        "non_consensus",
        "vote_share",
        "shortlist_percent",
        "industry_user_min",
    ])?;
    let kind_text = n.text("kind")?;
    let kind = RoundKind::parse(&kind_text).ok_or_else(|| {
        let all: Vec<&str> = RoundKind::ALL.iter().map(|k| k.code()).collect();
        n.err("kind", format!("{kind_text} is not one of {}", all.join(", ")))
    })?;
    let newest = |u: TemplateUse| templates.iter().filter(|t| t.applies_to == u).max_by_key(|t| t.version);
    let cat = newest(TemplateUse::Category(category))
        .ok_or_else(|| n.err("form", format!("no rubric template for {}", category.code())))?;
    let form = match n.text("form")?.as_str() {
        "rubric" => cat.form.clone(),
        "vote" => Form::Vote,
        "feasibility" => newest(TemplateUse::DirectedCommission)
            .map(|t| t.form.clone())
            .ok_or_else(|| n.err("form", "no feasibility template in seeds/rubrics/"))?,
        "acceptance" => Form::Verdicts(VerdictForm {
            template: None,
            scale: VerdictScale::Acceptance,
            items: Vec::new(),
            per_core_indicator: true,
        }),
        o => return Err(n.err("form", format!("{o} is not rubric, vote, feasibility or acceptance"))),
    };
    let d = &cat.defaults;
    Ok(Round {
        kind,
        experts: n.uint("experts")?,
        blind: n.bool_or("blind", false)?,
        form,
        trimming: n.bool_or("trimming", d.trimming)?,
        trimming_min: n.uint_or("trimming_min", d.trimming_min)?,
        non_consensus: n.uint_or("non_consensus", d.non_consensus)?,
        vote_share: ratio(n, "vote_share")?.unwrap_or(d.vote_share),
        shortlist_percent: n.opt_uint("shortlist_percent")?,
        industry_user_min: match ratio(n, "industry_user_min")? {
            Some(r) => Some(r),
            None => d.industry_user_min,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CoreError;

    fn place(e: CoreError) -> (String, String, String) {
        match e {
            CoreError::SeedMalformed { file, entry, field, .. } => (file, entry, field),
            other => panic!("expected a malformed seed, got {other:?}"),
        }
    }

    #[test]
    fn the_shipped_templates_parse() {
        let all = super::super::review::embedded_templates().unwrap();
        for c in Category::ALL {
            assert!(all.iter().any(|t| t.applies_to == TemplateUse::Category(c)), "{c:?}");
        }
        assert!(all.iter().any(|t| t.applies_to == TemplateUse::DirectedCommission));
        let tech = all.iter().find(|t| t.applies_to == TemplateUse::Category(Category::TechInnovation)).unwrap();
        assert_eq!(tech.defaults.industry_user_min, Some(Ratio::new(1, 3)));
    }

    #[test]
    fn a_malformed_template_is_refused_naming_file_entry_and_field() {
        let (file, text) = super::super::review::EMBEDDED_TEMPLATES[0];
        let cases = [
            (text.replacen("weight = 30", "weight = 31", 1), "criterion originality", "bands"),
            // Without the last criterion (10 points) the weights add up to 90.
            (text[..text.rfind("[[criterion]]").unwrap()].to_string(), "(file)", "criterion"),
            (text.replacen("from = 24", "from = 23.7", 1), "criterion originality", "bands[0].from"),
            (text.replacen("from = 24", "from = 25", 1), "criterion originality", "bands"),
            (text.replacen("vote_share = \"2/3\"", "vote_share = \"3/2\"", 1), "defaults", "vote_share"),
            (text.replacen("applies_to = \"basic_research\"", "applies_to = \"applied\"", 1), "(file)", "applies_to"),
            (text.replacen("id = \"originality\"", "id = \"originality\"\nmax = 3", 1), "criterion originality", "max"),
        ];
        for (bad, entry, field) in cases {
            assert_ne!(bad, text, "the replacement must change the file ({entry} {field})");
            let e = parse_template(file, &bad).unwrap_err();
            assert_eq!(place(e), (file.to_string(), entry.to_string(), field.to_string()));
        }
    }

    #[test]
    fn a_malformed_call_file_is_refused_naming_file_entry_and_field() {
        let templates = super::super::review::embedded_templates().unwrap();
        let schemas = crate::budget::embedded_schemas().unwrap();
        let (file, text) = super::super::EMBEDDED_DEMO_CALLS;
        let cases = [
            // Syntax and shape.
            (text.replacen("[[call]]", "[[call]", 1), "(file)", "(syntax)"),
            (text.replacen("places = 4", "places = \"4\"", 1), "call 2027-ZX01-01", "places"),
            (
                text.replacen("category = \"tech_innovation\"", "category = \"applied\"", 1),
                "call 2027-ZX01-01",
                "category",
            ),
            (
                text.replacen("schema = \"central-2021\"", "schema = \"central-2099\"", 1),
                "call 2027-ZX01-01",
                "budget.schema",
            ),
            (text.replacen("start = 2027-03-01", "start = \"2027-02-30\"", 1), "call 2027-ZX01-01", "period.start"),
            (
                text.replacen("funding_total_wan = 1200", "funding_total_wan = \"12.00001\"", 1),
                "call 2027-ZX01-01",
                "funding_total_wan",
            ),
            (text.replacen("title_zh =", "titel_zh =", 1), "call 2027-ZX01-01", "titel_zh"),
            // Consistency found by validate_call.
            (
                text.replacen("funding_total_wan = 1200", "funding_total_wan = 1000", 1),
                "call 2027-ZX01-01",
                "funding_total",
            ),
            (text.replacen("percent = 30", "percent = 35", 1), "call 2027-ZX08-01", "mode.contest.split"),
            (
                text.replacen("due = 2028-06-30", "due = 2031-06-30", 1),
                "call 2027-ZX05-01",
                "mode.contest.milestones[0].due",
            ),
        ];
        for (bad, entry, field) in cases {
            assert_ne!(bad, text, "the replacement must change the file ({entry} {field})");
            let e = parse_calls(file, &bad, &templates, &schemas).unwrap_err();
            assert_eq!(place(e), (file.to_string(), entry.to_string(), field.to_string()));
        }
    }
}
