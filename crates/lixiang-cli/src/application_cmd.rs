//! `lixiang application …`: the applicant's drafts (a demo draft for a call, the list, the live check),
//! submitting one as a sealed version in a submission package for the office, and — on the office's
//! laptop — the list of applications received with their 申报编号; the applicant's view of where an
//! application stands (the 申报编号 and the formal-check result from the office) and its withdrawal.

use crate::{passphrase, Out};
use lixiang_core::application::office::{self, ListFlag, ListQuery, OfficeStatus, SortKey};
use lixiang_core::application::{desk, formal};
use lixiang_core::calendar::Moment;
use lixiang_core::{identity, workspace, CoreError, Lang, Workspace};
use std::path::{Path, PathBuf};

#[derive(clap::Subcommand)]
pub enum Command {
    /// A new draft for a call, filled with demo content (synthetic people and units) and real files
    New(NewArgs),
    /// The drafts of this workspace
    List(JsonArgs),
    /// Check a draft: every problem, naming its section and field (exit 3 when any is an error)
    Validate(IdArgs),
    /// Seal a draft as the next version and write the submission package for the office
    Submit(SubmitArgs),
    /// The office's list of applications received (申报编号, status, flags): filter, search, sort
    Received(ReceivedArgs),
    /// Where an application stands: its newest version, the 申报编号 and the office's formal-check result
    Status(IdArgs),
    /// Withdraw a submitted application before the call closes (it cannot be submitted again)
    Withdraw(WithdrawArgs),
    /// Print the 申报书 as PDF (the draft, or a sealed version), with its 承诺书 pages to sign and stamp
    #[cfg(feature = "pdf")]
    Print(PrintArgs),
}

#[cfg(feature = "pdf")]
#[derive(clap::Args)]
pub struct PrintArgs {
    /// The application's id (or, at the office, its 申报编号)
    pub id: String,
    /// Where to write the PDF
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Print this sealed version instead of the draft (the office: a version received)
    #[arg(long, value_name = "N")]
    pub version: Option<u32>,
    /// Only the 承诺书 pages (pledges, signature and 公章 boxes)
    #[arg(long)]
    pub pledge_only: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct WithdrawArgs {
    /// The application's id
    pub id: String,
    /// Why (kept in this workspace's record)
    #[arg(long, default_value = "")]
    pub reason: String,
    /// Withdraw as of this time (RFC 3339 with offset) instead of now — for rehearsals and tests
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// Write the withdrawal notice for the office (a package signed by this workspace) to FILE. Given for an
    /// application withdrawn already, writes the notice again
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct NewArgs {
    /// The call's code (2027-ZX06-01) or id
    #[arg(long)]
    pub call: String,
    /// Fill the draft with the demo content (without it the draft is empty, to fill in the window)
    #[arg(long)]
    pub demo: bool,
    /// With --demo on a 定向委托 call: apply as its N-th designated or invited unit (1 = the first)
    #[arg(long, value_name = "N", requires = "demo", value_parser = clap::value_parser!(u32).range(1..))]
    pub unit: Option<u32>,
    /// With --demo: another application under this title (and an id of its own), to rehearse a call with
    /// several applications from one workspace
    #[arg(long, value_name = "TEXT", requires = "demo")]
    pub title: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct ReceivedArgs {
    /// Only this call (its code, e.g. 2027-ZX06-01, or id)
    #[arg(long)]
    pub call: Option<String>,
    /// Only this status: received, accepted, returned, not_accepted, withdrawn, funded, not_funded
    #[arg(long, value_parser = parse_status)]
    pub status: Option<OfficeStatus>,
    /// Only this applicant unit (part of its name, or its credit code)
    #[arg(long)]
    pub unit: Option<String>,
    /// Only applications with this flag: late, duplicate (查重), over_limit (限项), problems
    #[arg(long, value_parser = parse_flag)]
    pub flag: Option<ListFlag>,
    /// Words that must all match the 申报编号, title, unit or leader (牦牛), or their pinyin initials (xdnm)
    #[arg(long)]
    pub search: Option<String>,
    /// Sort by: number, title, unit, leader, call, programme, status, received_at, problems, similarity
    #[arg(long, value_parser = parse_sort, default_value = "number")]
    pub sort: SortKey,
    /// Sort descending
    #[arg(long)]
    pub desc: bool,
    /// At most this many rows
    #[arg(long)]
    pub limit: Option<u32>,
    #[arg(long)]
    pub json: bool,
}

fn parse_status(s: &str) -> Result<OfficeStatus, String> {
    OfficeStatus::parse(s).ok_or_else(|| {
        format!("unknown status {s:?}: received, accepted, returned, not_accepted, withdrawn, funded, not_funded")
    })
}

fn parse_flag(s: &str) -> Result<ListFlag, String> {
    ListFlag::parse(s).ok_or_else(|| format!("unknown flag {s:?}: late, duplicate, over_limit, problems"))
}

fn parse_sort(s: &str) -> Result<SortKey, String> {
    SortKey::parse(s).ok_or_else(|| {
        format!("unknown column {s:?}: number, title, unit, leader, call, programme, status, received_at, problems, similarity")
    })
}

#[derive(clap::Args)]
pub struct JsonArgs {
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct IdArgs {
    /// The application's id
    pub id: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct SubmitArgs {
    /// The application's id
    pub id: String,
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Submit as of this time (RFC 3339 with offset) instead of now — for rehearsals and tests
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    #[arg(long)]
    pub json: bool,
}

fn open(data_dir: Option<&Path>) -> lixiang_core::Result<Workspace> {
    Workspace::open(&workspace::resolve_dir(data_dir)?)
}

pub fn new(data_dir: Option<&Path>, a: &NewArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = open(data_dir)?;
    let (id, title) = if a.demo {
        let unit = a.unit.map(|n| n as usize - 1);
        let app = desk::new_demo_draft_titled(&mut ws, &a.call, unit, a.title.as_deref())?;
        (app.id.to_string(), app.title)
    } else {
        let form = desk::new_draft(&mut ws, &a.call)?;
        (form.id, form.title)
    };
    if out.json {
        let doc = serde_json::json!({ "schema": "lixiang.application_new.v1", "id": id, "title": title });
        crate::emit(&format!("{doc:#}\n"));
    } else {
        crate::emit(&format!("{} {}  {}\n", out.lang.pick("已新建申报书草稿", "New draft application"), id, title));
    }
    Ok(())
}

pub fn list(data_dir: Option<&Path>, _a: &JsonArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = open(data_dir)?;
    let drafts = desk::drafts(&mut ws)?;
    if out.json {
        let items: Vec<_> = drafts
            .iter()
            .map(|(id, call, title, at)| serde_json::json!({ "id": id, "call_id": call, "title": title, "saved_at": at }))
            .collect();
        crate::emit(&format!(
            "{:#}\n",
            serde_json::json!({ "schema": "lixiang.applications.v1", "applications": items })
        ));
    } else {
        for (id, _, title, at) in &drafts {
            crate::emit(&format!("{id}  {at}  {title}\n"));
        }
    }
    Ok(())
}

pub fn validate(data_dir: Option<&Path>, a: &IdArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = open(data_dir)?;
    // The form, as the window checks it: a value that does not parse is one problem on its field.
    let form = desk::get_form(&mut ws, &a.id)?;
    let check = desk::check_form(&mut ws, &form, Moment::now_utc().shanghai_date())?;
    let problems = check.problems;
    let errors = problems.iter().filter(|p| p.error).count();
    if out.json {
        let doc = serde_json::json!({
            "schema": "lixiang.application_check.v1",
            "errors": errors,
            // The budget's figures under the call's schema as this workspace holds it (empty when none).
            "budget": {
                "direct": check.budget.direct, "indirect": check.budget.indirect, "grand": check.budget.grand,
                "indirect_cap": check.budget.indirect_cap, "indirect_over_cap": check.budget.indirect_over_cap,
            },
            "problems": problems.iter().map(|p| serde_json::json!({
                "code": p.code, "field": p.field, "section": p.section, "error": p.error,
                "message": out.lang.pick(&p.message.zh, &p.message.en),
            })).collect::<Vec<_>>(),
        });
        crate::emit(&format!("{doc:#}\n"));
    } else {
        for p in &problems {
            crate::emit(&format!("{}  {}\n", p.field, out.lang.pick(&p.message.zh, &p.message.en)));
        }
        if problems.is_empty() {
            crate::emit(out.lang.pick("未发现问题。\n", "No problems found.\n"));
        }
    }
    if errors > 0 {
        return Err(CoreError::ApplicationRefused {
            application: form.title,
            problems: problems
                .into_iter()
                .filter(|p| p.error)
                .map(|p| lixiang_core::validate::Problem::error(&p.code, p.field, p.message.zh, p.message.en))
                .collect(),
        });
    }
    Ok(())
}

fn moment(at: Option<&str>, out: &Out) -> lixiang_core::Result<Moment> {
    match at {
        Some(t) => Moment::parse(t).ok_or_else(|| CoreError::Validation {
            field: "--at".into(),
            reason: out
                .lang
                .pick(
                    "应为带时区的时间，如 2027-03-01T09:00:00+08:00",
                    "expected a time with offset, e.g. 2027-03-01T09:00:00+08:00",
                )
                .into(),
        }),
        None => Ok(Moment::now_utc()),
    }
}

pub fn submit(data_dir: Option<&Path>, a: &SubmitArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = open(data_dir)?;
    identity::info(&mut ws)?.ok_or(CoreError::NoIdentity)?;
    let at = moment(a.at.as_deref(), out)?;
    let pass = passphrase::read(out.lang, false)?;
    let keys = identity::unlock(&mut ws, &pass)?;
    let s = desk::submit(&mut ws, &keys, &a.id, at, &a.out)?;
    if out.json {
        let mut doc = serde_json::to_value(&s).expect("serialises");
        doc["schema"] = "lixiang.submitted.v1".into();
        crate::emit(&format!("{doc:#}\n"));
    } else {
        crate::emit(&match out.lang {
            Lang::Zh => format!("已提交第 {} 版：{}\n版本哈希（SHA-256）：{}\n", s.version, s.path, s.sha256),
            Lang::En => format!("Submitted version {}: {}\nVersion hash (SHA-256): {}\n", s.version, s.path, s.sha256),
        });
    }
    Ok(())
}

pub fn received(data_dir: Option<&Path>, a: &ReceivedArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = open(data_dir)?;
    let query = ListQuery {
        call: a.call.clone(),
        status: a.status,
        unit: a.unit.clone(),
        flag: a.flag,
        search: a.search.clone(),
        sort: a.sort,
        descending: a.desc,
        limit: a.limit,
        offset: 0,
    };
    let list = office::office_list(&mut ws, &query)?;
    if out.json {
        crate::emit(&format!("{:#}\n", serde_json::json!({ "schema": "lixiang.received.v2", "applications": list })));
        return Ok(());
    }
    let lang = out.lang;
    for r in &list {
        let mut flags = Vec::new();
        if r.late {
            flags.push(lang.pick("逾期", "late").to_string());
        }
        if let Some(d) = &r.duplicate {
            flags.push(match lang {
                Lang::Zh => format!("查重 {:.1}% {}", d.similarity * 100.0, d.number),
                Lang::En => format!("duplicate {:.1}% {}", d.similarity * 100.0, d.number),
            });
        }
        if r.over_limit {
            flags.push(match lang {
                Lang::Zh => format!("超限项 {}/{}", r.leader_applications, r.leader_limit.unwrap_or_default()),
                Lang::En => format!("over limit {}/{}", r.leader_applications, r.leader_limit.unwrap_or_default()),
            });
        }
        if r.errors > 0 {
            flags.push(match lang {
                Lang::Zh => format!("{} 个问题", r.errors),
                Lang::En => format!("{} problems", r.errors),
            });
        }
        crate::emit(&format!(
            "{}  v{}  {}  {}  {}  {}  {}  {}\n",
            r.number,
            r.version,
            lang.pick(r.status.zh(), r.status.en()),
            r.title,
            r.unit,
            r.leader,
            r.received_at,
            flags.join(" · ")
        ));
    }
    if list.is_empty() {
        crate::emit(lang.pick("没有符合条件的申报书。\n", "No application matches.\n"));
    }
    Ok(())
}

pub fn status(data_dir: Option<&Path>, a: &IdArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = open(data_dir)?;
    let st = formal::status(&mut ws, &a.id)?;
    if out.json {
        let mut doc = serde_json::to_value(&st).expect("serialises");
        doc["schema"] = "lixiang.application_status.v1".into();
        crate::emit(&format!("{doc:#}\n"));
        return Ok(());
    }
    let lang = out.lang;
    let mut text = format!("{}  {}\n", st.application_id, st.title);
    text.push_str(&match lang {
        Lang::Zh => format!("状态：{}\n", st.state_zh),
        Lang::En => format!(
            "State: {}{}\n",
            st.state.replace('_', " "),
            if st.after_appeal { " (decided again after an appeal)" } else { "" }
        ),
    });
    if let (Some(v), Some(sha)) = (st.version, &st.sha256) {
        text.push_str(&match lang {
            Lang::Zh => format!("最新版本：第 {v} 版（SHA-256 {sha}）\n"),
            Lang::En => format!("Newest version: {v} (SHA-256 {sha})\n"),
        });
    }
    if let Some(n) = &st.number {
        text.push_str(&format!("{}{n}\n", lang.pick("申报编号：", "Application number (申报编号): ")));
    }
    if let Some(r) = &st.result {
        text.push_str(&match lang {
            Lang::Zh => format!("形式审查（第 {} 版）：{}\n", r.version, r.decision.zh()),
            Lang::En => format!("Formal check (version {}): {}\n", r.version, r.decision.en()),
        });
        for reason in &r.reasons {
            text.push_str(&format!("  {}{reason}\n", lang.pick("理由：", "reason: ")));
        }
        if let Some(d) = &r.fix_by {
            text.push_str(&format!("  {}{d}\n", lang.pick("修改截止：", "fix by: ")));
        }
    }
    if let Some(a) = &st.appeal {
        // 申诉结果：维持原决定（理由） — the office's answer to the appeal, as the result package carried it.
        text.push_str(&format!("{}\n", lang.pick(&a.zh, &a.en)));
        text.push_str(&match lang {
            Lang::Zh => format!("  申诉于 {} 收到，{} 处理\n", a.received_on, a.resolved_at),
            Lang::En => format!("  appeal received on {}, resolved at {}\n", a.received_on, a.resolved_at),
        });
    }
    if let Some(w) = &st.withdrawn {
        text.push_str(&format!("{}{}\n", lang.pick("撤回时间：", "Withdrawn at: "), w.withdrawn_at));
    }
    if let Some(f) = &st.funding {
        let rank = f.rank.map(|r| format!("{r}/{}", f.ranked)).unwrap_or_default();
        text.push_str(&match lang {
            Lang::Zh => format!(
                "立项决定：{}，资助 {} 万元（名次 {rank}）\n  理由：{}\n",
                f.decision_zh, f.amount_wan, f.reason_zh
            ),
            Lang::En => format!(
                "Funding decision: {}, {} 万元 (rank {rank})\n  reason: {}\n",
                if f.funded { "approved" } else { "not approved" },
                f.amount_wan,
                f.reason_en
            ),
        });
        for (head, list) in [
            (lang.pick("优点", "strength"), &f.comments.strengths),
            (lang.pick("不足", "weakness"), &f.comments.weaknesses),
            (lang.pick("意见", "opinion"), &f.comments.opinions),
        ] {
            for c in list {
                text.push_str(&format!("  {head}：{c}\n"));
            }
        }
    }
    crate::emit(&text);
    Ok(())
}

pub fn withdraw(data_dir: Option<&Path>, a: &WithdrawArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = open(data_dir)?;
    let at = moment(a.at.as_deref(), out)?;
    // With --out, an application withdrawn already only has its notice written again (a copy lost on the way).
    let held = formal::withdrawal(&mut ws, &a.id)?;
    let (w, newly) = match held.filter(|_| a.out.is_some()) {
        Some(w) => (w, false),
        None => (formal::withdraw(&mut ws, &a.id, at, &a.reason)?, true),
    };
    let notice = match &a.out {
        Some(path) => {
            identity::info(&mut ws)?.ok_or(CoreError::NoIdentity)?;
            let pass = passphrase::read(out.lang, false)?;
            let keys = identity::unlock(&mut ws, &pass)?;
            Some(lixiang_core::application::withdrawal::write_notice(&mut ws, &keys, &a.id, path)?)
        }
        None => None,
    };
    if out.json {
        let mut doc = serde_json::to_value(&w).expect("serialises");
        doc["schema"] = "lixiang.application_withdrawn.v1".into();
        doc["notice"] = serde_json::to_value(&notice).expect("serialises");
        crate::emit(&format!("{doc:#}\n"));
        return Ok(());
    }
    let mut text = if newly {
        match out.lang {
            Lang::Zh => format!("已撤回申报书 {}（第 {} 版），不能再提交。\n", w.application_id, w.version),
            Lang::En => format!(
                "Withdrew the application {} (version {}); it cannot be submitted again.\n",
                w.application_id, w.version
            ),
        }
    } else {
        String::new()
    };
    text.push_str(&match (&notice, out.lang) {
        (Some(n), Lang::Zh) => format!("撤回通知文件包：{}，请交给受理机构导入。\n", n.path),
        (Some(n), Lang::En) => format!("Withdrawal notice: {}; give it to the office to import.\n", n.path),
        (None, Lang::Zh) => {
            format!(
                "受理机构尚未得知：用 lixiang application withdraw {} --out 文件 写出撤回通知。\n",
                w.application_id
            )
        }
        (None, Lang::En) => format!(
            "The office does not know yet: write the notice with lixiang application withdraw {} --out FILE.\n",
            w.application_id
        ),
    });
    crate::emit(&text);
    Ok(())
}

/// Renders the application (or only its 承诺书) to `--out` and says where, how many pages, and which
/// version was printed.
#[cfg(feature = "pdf")]
pub fn print(data_dir: Option<&Path>, a: &PrintArgs, out: &Out) -> lixiang_core::Result<()> {
    use lixiang_core::application::print::{print_source, Printed};
    use lixiang_pdf::application::{render, Part};
    let mut ws = open(data_dir)?;
    let src = print_source(&mut ws, &a.id, a.version)?;
    let part = if a.pledge_only { Part::PledgeOnly } else { Part::Full };
    let opts = lixiang_pdf::RenderOptions { lang: out.lang, created: lixiang_pdf::Created::from_env_or_now() };
    let pdf = render(&src, part, &opts)?;
    lixiang_pdf::write_file(&a.out, &pdf.bytes)?;
    let shown = std::fs::canonicalize(&a.out).unwrap_or_else(|_| a.out.clone());
    let (version, sha256) = match &src.printed {
        Printed::Draft => (None, None),
        Printed::Version { number, sha256, .. } => (Some(*number), Some(sha256.clone())),
    };
    if out.json {
        let doc = serde_json::json!({
            "schema": "lixiang.application_pdf.v1",
            "path": shown,
            "pages": pdf.pages,
            "bytes": pdf.bytes.len(),
            "application_id": src.app.id.to_string(),
            "version": version,
            "sha256": sha256,
            "pledge_only": a.pledge_only,
        });
        crate::emit(&format!("{doc:#}\n"));
    } else {
        let what = match (version, out.lang) {
            (None, Lang::Zh) => "草稿".to_string(),
            (Some(v), Lang::Zh) => format!("第 {v} 版"),
            (None, Lang::En) => "draft".to_string(),
            (Some(v), Lang::En) => format!("version {v}"),
        };
        crate::emit(&match out.lang {
            Lang::Zh => format!("已生成申报书 PDF（{what}，{} 页）：{}\n", pdf.pages, shown.display()),
            Lang::En => format!("Application PDF written ({what}, {} pages): {}\n", pdf.pages, shown.display()),
        });
    }
    Ok(())
}
