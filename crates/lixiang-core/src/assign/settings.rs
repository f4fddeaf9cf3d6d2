//! The office's assignment settings of a call ([`AssignmentSettings`]): the collaboration window the conflict
//! rules use (3–5 years, domain.md "soft"), the per-round load L (bounded by each expert's yearly cap left in
//! any case), the match weights (domain.md's default score, "as call data") and who counts as an industry-user
//! expert for the rounds with an industry-user share (domain.md's per-call setting). One set per call, read by every
//! conflict listing, run, pin and override of the call in the window and the CLI, so that what the officer sees
//! listed is what the solver excludes. A call never set uses the defaults.
//!
//! They are office data, not part of the published call: applicants never see them, and the office may change
//! them during review. Each change is one `assignment_change` audit event with the officer's reason, the new
//! settings and those replaced; the runs themselves record the settings they were made with.
//! Not here: SQL (lixiang-store's `assignment_settings`).

use crate::audit::record_sha256;
use crate::call::desk as calls;
use crate::conflict::ConflictSettings;
use crate::discipline::MatchWeights;
use crate::expert::IndustryUserDefinition;
use crate::workspace::Workspace;
use crate::{CoreError, Result};
use lixiang_store::{now_rfc3339_utc, AuditAction, AuditEvent};
use serde::{Deserialize, Serialize};

/// The highest weight allowed: scores stay small integers the solver sums without overflow.
pub const MAX_WEIGHT: u32 = 100;
/// The most shared keywords that may count.
pub const MAX_KEYWORDS: u32 = 10;

/// A call's assignment settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct AssignmentSettings {
    /// A collaboration is a conflict within this many years of the call's year (3–5).
    pub collaboration_years: u32,
    /// L: items per expert in a round; `None` for the yearly cap left only.
    pub max_load: Option<u32>,
    pub weights: MatchWeights,
    /// Who counts towards a round's industry-user share. Absent in settings stored before it existed: the
    /// default (产业 or 企业), which is what those calls were assigned with.
    #[serde(default)]
    pub industry_user: IndustryUserDefinition,
}

impl Default for AssignmentSettings {
    fn default() -> AssignmentSettings {
        AssignmentSettings {
            collaboration_years: ConflictSettings::default().collaboration_years,
            max_load: None,
            weights: MatchWeights::default(),
            industry_user: IndustryUserDefinition::default(),
        }
    }
}

impl AssignmentSettings {
    /// The settings of the conflict rules.
    pub fn conflicts(&self) -> ConflictSettings {
        ConflictSettings { collaboration_years: self.collaboration_years }
    }

    /// Every problem, each as (field, Chinese, English); empty when the settings may be stored.
    pub fn problems(&self) -> Vec<(&'static str, String, String)> {
        let mut out = Vec::new();
        if !ConflictSettings::YEARS.contains(&self.collaboration_years) {
            out.push((
                "collaboration_years",
                format!("合作回避年限应为 3–5 年，不能是 {}", self.collaboration_years),
                format!("the collaboration window must be 3–5 years, not {}", self.collaboration_years),
            ));
        }
        if self.max_load == Some(0) {
            out.push((
                "max_load",
                "每位专家上限不能为 0：留空则只受年度上限约束".into(),
                "the load per expert cannot be 0: leave it empty to be bound by the yearly cap only".into(),
            ));
        }
        let w = &self.weights;
        for (field, value) in [
            ("weights.same_code", w.same_code),
            ("weights.same_parent", w.same_parent),
            ("weights.same_top", w.same_top),
            ("weights.per_keyword", w.per_keyword),
        ] {
            if value > MAX_WEIGHT {
                out.push((
                    field,
                    format!("匹配分不能超过 {MAX_WEIGHT}（现为 {value}）"),
                    format!("a weight cannot exceed {MAX_WEIGHT} (it is {value})"),
                ));
            }
        }
        if w.max_keywords > MAX_KEYWORDS {
            out.push((
                "weights.max_keywords",
                format!("计分的关键词最多 {MAX_KEYWORDS} 个（现为 {}）", w.max_keywords),
                format!("at most {MAX_KEYWORDS} keywords may count (it is {})", w.max_keywords),
            ));
        }
        // A closer discipline match must never score less than a looser one, or the solver would prefer
        // experts further from the application's field.
        if !(w.same_code >= w.same_parent && w.same_parent >= w.same_top) {
            out.push((
                "weights",
                format!(
                    "学科匹配分应逐级不增：同一代码 {} ≥ 同一二级 {} ≥ 同一一级 {}",
                    w.same_code, w.same_parent, w.same_top
                ),
                format!(
                    "discipline weights must not grow as the match loosens: same code {} ≥ same parent {} ≥ same top {}",
                    w.same_code, w.same_parent, w.same_top
                ),
            ));
        }
        out.extend(self.industry_user.problems());
        out
    }
}

fn unreadable(call: &str, e: impl std::fmt::Display) -> CoreError {
    CoreError::Validation {
        field: format!("assignment settings of {call}"),
        reason: format!("stored settings unreadable: {e}"),
    }
}

/// A call's settings (its code or id): those stored, or the defaults.
pub fn of_call(ws: &mut Workspace, call: &str) -> Result<AssignmentSettings> {
    let call = calls::get(ws, call)?;
    let stored = ws.store.read(|r| r.assignment_settings(&call.id.to_string()))?;
    match stored {
        None => Ok(AssignmentSettings::default()),
        Some(body) => serde_json::from_str(&body).map_err(|e| unreadable(&call.code, e)),
    }
}

/// What a change did.
#[derive(Debug, Clone, Serialize)]
pub struct SettingsChange {
    pub call: String,
    pub settings: AssignmentSettings,
    /// The settings before (the defaults when never set).
    pub replaced: AssignmentSettings,
    pub reason: String,
}

/// Sets a call's settings with the officer's reason, recorded with an `assignment_change` event (`what`:
/// `settings`). Errors: an empty reason or bad settings, every problem named by its field
/// ([`CoreError::Validation`]; nothing written); an unknown call (`NotFound`).
pub fn set(ws: &mut Workspace, call: &str, settings: &AssignmentSettings, reason: &str) -> Result<SettingsChange> {
    let reason = reason.trim();
    let mut problems = settings.problems();
    if reason.is_empty() {
        problems.push((
            "reason",
            "修改分配设置须写明理由".into(),
            "changing the assignment settings needs a reason".into(),
        ));
    }
    if !problems.is_empty() {
        let fields: Vec<&str> = problems.iter().map(|p| p.0).collect();
        let zh: Vec<&str> = problems.iter().map(|p| p.1.as_str()).collect();
        let en: Vec<&str> = problems.iter().map(|p| p.2.as_str()).collect();
        return Err(CoreError::Validation {
            field: fields.join(", "),
            reason: format!("{} / {}", zh.join("；"), en.join("; ")),
        });
    }
    let replaced = of_call(ws, call)?;
    let call = calls::get(ws, call)?;
    let call_id = call.id.to_string();
    let body = serde_json::to_string(settings).expect("settings serialise");
    let digest = record_sha256(settings).map_err(|e| unreadable(&call.code, e))?;
    let event = AuditEvent::new(AuditAction::AssignmentChange, "call_assignment_settings", call.code.clone(), digest)
        .with_detail(&serde_json::json!({
            "what": "settings",
            "call": call.code,
            "reason": reason,
            "settings": settings,
            "replaces": replaced,
        }));
    let at = now_rfc3339_utc();
    ws.store.write(event, |w| w.assignment_settings_put(&call_id, &body, &at))?;
    Ok(SettingsChange { call: call.code, settings: settings.clone(), replaced, reason: reason.to_string() })
}
