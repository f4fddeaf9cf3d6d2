//! [`check_budget`]: the checks people expect of an application's budget against its call and schema.
//! Each problem names the category, year and field (`lines[labour][2028]`, `requested.fiscal`,
//! `equipment[2].estimate`) and carries a stable `budget.…` code.
//!
//! The indirect cap and the call's per-project funding govern 财政资金 (the fiscal source): the rules
//! cap what the state pays. Self-raised funds are only required to add up.

use super::{totals, BudgetSchema, BudgetTable, CostKind};
use crate::call::{Call, Mode};
use crate::money::Fen;
use crate::validate::Problem;
use std::collections::BTreeMap;

fn err(code: &str, field: impl Into<String>, zh: impl Into<String>, en: impl Into<String>) -> Problem {
    Problem::error(code, field, zh, en)
}

/// Every problem of `table` under `schema` for an application to `call`.
pub fn check_budget(schema: &BudgetSchema, call: &Call, table: &BudgetTable) -> Vec<Problem> {
    let mut out = Vec::new();
    let reference = schema.reference();
    if table.schema != reference || call.budget.schema != reference {
        out.push(err(
            "budget.schema_mismatch",
            "schema",
            format!(
                "预算按 {} 编制，指南要求 {}，检查所用规则为 {reference}：请按指南要求的规则重新编制",
                table.schema, call.budget.schema
            ),
            format!(
                "The budget follows {}, the call asks for {}, and the rules checked are {reference}: redo it under the call's rules",
                table.schema, call.budget.schema
            ),
        ));
    }

    let years = call.period.years();
    for (code, by_year) in &table.lines {
        let Some(cat) = schema.category(code) else {
            out.push(err(
                "budget.unknown_category",
                format!("lines[{code}]"),
                format!("预算科目“{code}”不在 {reference} 中，该行未计入合计"),
                format!("The budget category “{code}” is not in {reference}; the line is left out of the totals"),
            ));
            continue;
        };
        if !schema.is_leaf(code) {
            out.push(err(
                "budget.subtotal_entered",
                format!("lines[{code}]"),
                format!("“{}”是小计科目，金额由下级科目自动汇总，请填在下级科目中", cat.name.zh),
                format!("“{}” is a subtotal computed from its sub-categories: enter the amounts there", cat.name.en),
            ));
        }
        for year in by_year.keys() {
            if !years.contains(year) {
                out.push(err(
                    "budget.year_outside_period",
                    format!("lines[{code}][{year}]"),
                    format!("{year} 年不在实施周期 {} 至 {} 内", call.period.start, call.period.end),
                    format!("{year} is outside the period {} to {}", call.period.start, call.period.end),
                ));
            }
        }
    }

    let t = totals(schema, table);
    for (source_zh, source_en, field, computed, requested) in [
        ("财政资金", "fiscal", "requested.fiscal", t.grand.fiscal, table.requested.fiscal),
        ("自筹资金", "self-raised", "requested.self_raised", t.grand.self_raised, table.requested.self_raised),
    ] {
        if computed != requested {
            out.push(err(
                "budget.total_mismatch",
                field,
                format!("预算表{source_zh}合计 {computed}，与申请的{source_zh} {requested} 不一致"),
                format!("The table's {source_en} total is {computed}, but {requested} is requested"),
            ));
        }
    }

    let fiscal = t.grand.fiscal;
    let fixed = schema.challenge.fixed_funding && matches!(call.mode, Mode::Challenge(_));
    if fixed {
        if fiscal != call.funding_per_project {
            out.push(err(
                "budget.fixed_funding_mismatch",
                "requested.fiscal",
                format!("揭榜挂帅资助额度固定为 {}，预算财政资金合计为 {fiscal}", call.funding_per_project),
                format!(
                    "A challenge's funding is fixed at {}; the budget's fiscal total is {fiscal}",
                    call.funding_per_project
                ),
            ));
        }
    } else if fiscal > call.funding_per_project {
        out.push(err(
            "budget.fiscal_over_call_funding",
            "requested.fiscal",
            format!("财政资金合计 {fiscal} 超过指南的单项资助额度 {}", call.funding_per_project),
            format!("The fiscal total {fiscal} is above the call's funding per project {}", call.funding_per_project),
        ));
    }

    if call.budget.pure_theory && schema.indirect.pure_theory_percent.is_none() {
        out.push(err(
            "budget.pure_theory_unavailable",
            "schema",
            format!("{reference} 没有纯理论基础研究的间接费用比例，按分档比例核定"),
            format!("{reference} has no pure-theory indirect rate; the tiers apply"),
        ));
    }
    let cap = schema.indirect_cap(t.direct.fiscal, t.equipment_purchase.fiscal, call.budget.pure_theory);
    if t.indirect.fiscal > cap {
        let root = schema.roots().find(|c| c.kind == CostKind::Indirect).map(|c| c.code.as_str()).unwrap_or("indirect");
        let base = t.direct.fiscal.saturating_sub(t.equipment_purchase.fiscal);
        out.push(err(
            "budget.indirect_over_cap",
            format!("lines[{root}]"),
            format!(
                "间接费用（财政资金）{} 超过上限 {cap}：上限按直接费用扣除设备购置费后的 {base} 分档核定",
                t.indirect.fiscal
            ),
            format!(
                "Indirect costs (fiscal) of {} exceed the cap of {cap}, computed in tiers on direct costs less equipment purchase, {base}",
                t.indirect.fiscal
            ),
        ));
    }

    equipment(schema, call, table, &t, &mut out);
    out
}

fn equipment(schema: &BudgetSchema, call: &Call, table: &BudgetTable, t: &super::Totals, out: &mut Vec<Problem>) {
    // 揭榜挂帅 budgets are simplified: a negative list instead of itemised equipment estimates.
    let simplified = matches!(call.mode, Mode::Challenge(_));
    let mut listed: BTreeMap<&str, Fen> = BTreeMap::new();
    for (i, line) in table.equipment.iter().enumerate() {
        let at = |f: &str| format!("equipment[{i}].{f}");
        match schema.category(&line.category) {
            Some(c) if c.equipment && schema.is_leaf(&c.code) => {
                *listed.entry(c.code.as_str()).or_default() += line.amount();
            }
            _ => {
                out.push(err(
                    "budget.equipment_category",
                    at("category"),
                    format!("设备“{}”应归入设备类科目（{}）", line.name, equipment_codes(schema)),
                    format!(
                        "The equipment “{}” must be under an equipment category ({})",
                        line.name,
                        equipment_codes(schema)
                    ),
                ));
            }
        }
        if line.quantity == 0 {
            out.push(err(
                "budget.equipment_quantity_zero",
                at("quantity"),
                format!("设备“{}”的数量为 0", line.name),
                format!("The equipment “{}” has a quantity of 0", line.name),
            ));
        }
        if !simplified && line.unit_price >= schema.equipment_detail_threshold && line.estimate.trim().is_empty() {
            out.push(err(
                "budget.equipment_estimate_missing",
                at("estimate"),
                format!(
                    "设备“{}”单价 {}，达到 {}，须填写详细测算依据（规格、报价来源、必要性）",
                    line.name, line.unit_price, schema.equipment_detail_threshold
                ),
                format!(
                    "The equipment “{}” costs {} a unit, at or above {}: give a detailed estimate (specification, quotes, need)",
                    line.name, line.unit_price, schema.equipment_detail_threshold
                ),
            ));
        }
    }
    for (code, sum) in listed {
        let budgeted = t.category(code).total();
        if sum > budgeted {
            let name = schema.category(code).map(|c| c.name.clone()).unwrap_or_default();
            out.push(err(
                "budget.equipment_over_category",
                format!("lines[{code}]"),
                format!("所列设备合计 {sum}，超过“{}”预算 {budgeted}", name.zh),
                format!("The equipment listed adds up to {sum}, more than the {budgeted} budgeted for “{}”", name.en),
            ));
        }
    }
}

fn equipment_codes(schema: &BudgetSchema) -> String {
    schema.leaves().filter(|c| c.equipment).map(|c| c.code.as_str()).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::super::{embedded_schemas, EquipmentLine, Sources};
    use super::*;
    use crate::call::demo_calls;

    const WAN: u64 = 1_000_000;

    fn fen(wan: u64) -> Fen {
        Fen::new(wan * WAN)
    }

    fn setup(call_code: &str) -> (BudgetSchema, Call) {
        let call = demo_calls().unwrap().into_iter().find(|c| c.code == call_code).unwrap();
        let schema = embedded_schemas().unwrap().into_iter().find(|s| s.reference() == call.budget.schema).unwrap();
        (schema, call)
    }

    /// A sound budget for the ZX01 demo call (300 万元 per project, central-2021): 250 direct, 50 indirect.
    fn sound(schema: &BudgetSchema) -> BudgetTable {
        let mut t = BudgetTable::new(schema, vec![2027, 2028, 2029]);
        t.set("equipment_purchase", 2027, Sources::new(fen(60), Fen::ZERO));
        t.set("operations", 2027, Sources::new(fen(40), fen(10)));
        t.set("operations", 2028, Sources::new(fen(50), fen(10)));
        t.set("labour", 2028, Sources::new(fen(50), Fen::ZERO));
        t.set("labour", 2029, Sources::new(fen(50), Fen::ZERO));
        t.set("indirect", 2029, Sources::new(fen(50), Fen::ZERO));
        t.requested = Sources::new(fen(300), fen(20));
        t.equipment.push(EquipmentLine {
            category: "equipment_purchase".into(),
            name: "激光雷达".into(),
            unit_price: fen(60),
            quantity: 1,
            estimate: "三家报价，型号…".into(),
        });
        t
    }

    fn codes(p: &[Problem]) -> Vec<(&str, &str)> {
        p.iter().map(|p| (p.code.as_str(), p.field.as_str())).collect()
    }

    #[test]
    fn a_sound_budget_has_no_problems() {
        let (schema, call) = setup("2027-ZX01-01");
        assert_eq!(codes(&check_budget(&schema, &call, &sound(&schema))), vec![]);
    }

    #[test]
    fn each_problem_names_its_place() {
        let (schema, call) = setup("2027-ZX01-01");
        let check = |t: &BudgetTable| check_budget(&schema, &call, t);

        let mut t = sound(&schema);
        t.requested.fiscal = fen(310);
        assert_eq!(codes(&check(&t)), vec![("budget.total_mismatch", "requested.fiscal")]);

        let mut t = sound(&schema);
        t.set("labour", 2029, Sources::new(fen(60), Fen::ZERO));
        t.requested.fiscal = fen(310);
        assert_eq!(codes(&check(&t)), vec![("budget.fiscal_over_call_funding", "requested.fiscal")]);

        // Direct 245, equipment purchase 60: base 185 → cap 55.5 万元, so 55 passes. Direct 244: base 184 →
        // cap 55.2 万元, so 56 is over.
        let mut t = sound(&schema);
        t.set("labour", 2029, Sources::new(fen(45), Fen::ZERO));
        t.set("indirect", 2029, Sources::new(fen(55), Fen::ZERO));
        assert_eq!(codes(&check(&t)), vec![]);
        t.set("labour", 2029, Sources::new(fen(44), Fen::ZERO));
        t.set("indirect", 2029, Sources::new(fen(56), Fen::ZERO));
        let p = check(&t);
        assert_eq!(codes(&p), vec![("budget.indirect_over_cap", "lines[indirect]")]);
        assert!(p[0].zh.contains("55.2000 万元"), "{}", p[0].zh);

        let mut t = sound(&schema);
        t.equipment[0].estimate = "  ".into();
        assert_eq!(codes(&check(&t)), vec![("budget.equipment_estimate_missing", "equipment[0].estimate")]);
        // Below the 50 万元 threshold no estimate is needed; exactly at it one is (≥).
        t.equipment[0].unit_price = Fen::new(50 * WAN - 1);
        assert_eq!(codes(&check(&t)), vec![]);
        t.equipment[0].unit_price = fen(50);
        assert_eq!(codes(&check(&t)), vec![("budget.equipment_estimate_missing", "equipment[0].estimate")]);

        let mut t = sound(&schema);
        t.equipment[0].quantity = 2;
        assert_eq!(codes(&check(&t)), vec![("budget.equipment_over_category", "lines[equipment_purchase]")]);
        t.equipment[0].quantity = 1;
        t.equipment[0].category = "labour".into();
        assert_eq!(codes(&check(&t)), vec![("budget.equipment_category", "equipment[0].category")]);

        let mut t = sound(&schema);
        t.set("direct", 2027, Sources::new(fen(1), Fen::ZERO));
        t.set("travel", 2027, Sources::new(fen(1), Fen::ZERO));
        t.set("labour", 2031, Sources::new(Fen::ZERO, Fen::ZERO));
        assert_eq!(
            codes(&check(&t)),
            vec![
                ("budget.subtotal_entered", "lines[direct]"),
                ("budget.year_outside_period", "lines[labour][2031]"),
                ("budget.unknown_category", "lines[travel]"),
            ]
        );

        let mut t = sound(&schema);
        t.schema.version = 2;
        assert_eq!(codes(&check(&t)), vec![("budget.schema_mismatch", "schema")]);
    }

    #[test]
    fn a_challenge_budget_must_ask_exactly_the_fixed_funding() {
        let (schema, call) = setup("2027-ZX04-01");
        let mut t = BudgetTable::new(&schema, vec![2027, 2028]);
        t.set("operations", 2027, Sources::new(fen(250), Fen::ZERO));
        t.set("labour", 2028, Sources::new(fen(80), Fen::ZERO));
        t.set("indirect", 2028, Sources::new(fen(60), Fen::ZERO));
        // A large instrument without an estimate is fine: a challenge uses the negative list.
        t.set("equipment_purchase", 2027, Sources::new(Fen::ZERO, fen(80)));
        t.equipment.push(EquipmentLine {
            category: "equipment_purchase".into(),
            name: "低压舱".into(),
            unit_price: fen(80),
            quantity: 1,
            estimate: String::new(),
        });
        t.requested = Sources::new(fen(390), fen(80));
        assert_eq!(
            codes(&check_budget(&schema, &call, &t)),
            vec![("budget.fixed_funding_mismatch", "requested.fiscal")]
        );
        t.set("labour", 2028, Sources::new(fen(90), Fen::ZERO));
        t.requested.fiscal = fen(400);
        assert_eq!(codes(&check_budget(&schema, &call, &t)), vec![]);
    }
}
