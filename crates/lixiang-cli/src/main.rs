//! `lixiang`: the command line over the same use cases as the desktop app.
//!
//! Conventions (../shared/architecture.md): `lixiang <noun> <verb>`; `--data-dir` names the workspace
//! (else `LIXIANG_DATA_DIR`, else the default); `--json` prints one JSON document with a `schema` field;
//! errors go to stderr as a message (or `{code, message}` with `--json`); exit codes 0 ok, 2 usage,
//! 3 input refused, 4 state conflict, 5 confirmation needed, 1 anything else. Messages are Chinese
//! unless `--lang en` or `LIXIANG_LANG=en`.

mod appeal_cmd;
mod application_cmd;
mod args;
mod assign_cmd;
mod audit_cmd;
mod backup_cmd;
mod bench_assign;
mod bench_office;
mod bench_package;
#[cfg(feature = "pdf")]
mod bench_pdf;
mod bench_rank;
mod budget_cmd;
mod call_cmd;
mod catalog_cmd;
mod check_cmd;
mod conflicts_cmd;
mod dashboard_cmd;
mod decide_cmd;
mod directed_cmd;
mod expert_cmd;
mod init_cmd;
mod key_cmd;
mod milestone_cmd;
mod package_cmd;
mod panel_cmd;
mod passphrase;
mod rank_cmd;
mod report_cmd;
mod review_cmd;

use clap::{Parser, Subcommand};
use lixiang_core::error::ErrorKind;
use lixiang_core::{CoreError, Lang};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "lixiang",
    version,
    about = "立项 Lixiang — 科技项目申报与评审（离线）/ offline S&T project applications and review"
)]
struct Cli {
    /// Workspace directory (default: $LIXIANG_DATA_DIR, else ~/.local/share/lixiang/default)
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,

    /// Language of messages and tables: zh (default) or en
    #[arg(long, global = true, env = "LIXIANG_LANG", value_name = "LANG", value_parser = parse_lang)]
    lang: Option<Lang>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create and seed the workspace (if needed) and say where it is
    Init(init_cmd::Args),
    /// Show the plan's catalog: the eight 科技重大专项 with their targets, and the 专栏1 indicators
    Catalog(catalog_cmd::Args),
    /// Calls (指南 / 榜单): create, list, show, publish, revise, export the call package, print the PDF
    #[command(subcommand)]
    Call(call_cmd::Command),
    /// Budget schemas (经费预算规则): list those held, add one from a schema file
    #[command(subcommand)]
    Budget(budget_cmd::Command),
    /// Applications (申报书): demo drafts, the check, submit, print; the office's list of those received
    #[command(subcommand)]
    Application(application_cmd::Command),
    /// The office's formal check (形式审查) of a received application; `--decide` records the decision
    /// and writes the result package
    Check(check_cmd::Args),
    /// The workspace identity's keys: show, export the key card, revoke
    #[command(subcommand)]
    Key(key_cmd::Command),
    /// Exchange packages (.lxpkg): inspect one, import files or folders
    #[command(subcommand)]
    Package(package_cmd::Command),
    /// Write the whole workspace (database and attachments) as one signed backup file
    Backup(backup_cmd::BackupArgs),
    /// Restore a backup file into a new directory, after verifying it
    Restore(backup_cmd::RestoreArgs),
    /// The workspace's audit chain: `audit verify` checks it and names the first broken link
    #[command(subcommand)]
    Audit(audit_cmd::Command),
    /// The expert pool (专家库): import template, import, list, key cards
    #[command(subcommand)]
    Expert(expert_cmd::Command),
    /// Conflicts of interest (回避) between the expert pool and a call's applications
    Conflicts(conflicts_cmd::Args),
    /// Assign experts to a call's accepted applications for one round (recorded in the audit chain);
    /// override a soft conflict, pin or remove pairs by hand
    Assign(assign_cmd::Args),
    /// Rank a call's round (or a score-sheet file): every statistic, the sensitivity table, the funding line
    Rank(rank_cmd::Args),
    /// Funding decisions of a round (the office): recommendation list, 公示 and objections, final decisions
    /// with a result package per applicant
    #[command(subcommand)]
    Decide(decide_cmd::Command),
    /// 定向委托 after its 可行性论证 (the office): verdicts per plan, panel opinions, selection, decisions
    #[command(subcommand)]
    Directed(directed_cmd::Command),
    /// 揭榜挂帅 races (the office): milestone results from the teams' reports, gates, the tranche ledger
    #[command(subcommand)]
    Milestone(milestone_cmd::Command),
    /// 会议评审 (the office): the shortlist from the previous round, the panel with conflicted members
    /// stepping out and the discussion order, the votes
    #[command(subcommand)]
    Panel(panel_cmd::Command),
    /// Reports officials file: a round's ranking workbook, recommendation list and 公示 notice; the plan dashboard
    #[command(subcommand)]
    Report(report_cmd::Command),
    /// Review packets (the office): export each assigned expert's packet, see the returns' progress
    #[command(subcommand)]
    Packet(review_cmd::PacketCommand),
    /// Score sheets (the expert): list packets, score, seal, declare a conflict, write the return
    #[command(subcommand)]
    Review(review_cmd::ReviewCommand),
    /// Paper score sheets (the expert): the xlsx template of a packet, and the import of the typed sheet
    #[command(subcommand)]
    Scoresheet(review_cmd::ScoresheetCommand),
    /// Benchmarks over seeded synthetic datasets (figures, never pass/fail)
    #[command(subcommand)]
    Bench(BenchCommand),
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Expert assignment: the exact min-cost-flow solver on a synthetic pool
    Assign(bench_assign::Args),
    /// Aggregation, sensitivity and funding line over synthetic score sheets
    Rank(bench_rank::Args),
    /// Rendering the catalog PDF (first render and the median of the next runs)
    #[cfg(feature = "pdf")]
    Pdf(bench_pdf::Args),
    /// Seal and open a confidential exchange package against an in-memory crypto baseline
    Package(bench_package::Args),
    /// Validation of a full application (median)
    Validate(bench_office::ValidateArgs),
    /// The office's list query over many received applications (search, initials, filters; median)
    List(bench_office::ListArgs),
    /// Import of many submission packages against a verify + decrypt baseline (packages/s, MB/s)
    Import(bench_office::ImportArgs),
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| format!("unknown language {s:?}: use zh or en"))
}

/// How a command's output and errors are written.
pub struct Out {
    pub lang: Lang,
    pub json: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = cli.lang.unwrap_or_default();
    let (json, result) = match &cli.command {
        Command::Init(a) => (a.json, init_cmd::run(cli.data_dir.as_deref(), a, &Out { lang, json: a.json })),
        Command::Catalog(a) => (a.json, catalog_cmd::run(cli.data_dir.as_deref(), a, &Out { lang, json: a.json })),
        Command::Audit(audit_cmd::Command::Verify(a)) => {
            (a.json, audit_cmd::verify(cli.data_dir.as_deref(), a, &Out { lang, json: a.json }))
        }
        Command::Key(key_cmd::Command::Show(a)) => {
            (a.json, key_cmd::show(cli.data_dir.as_deref(), a, &Out { lang, json: a.json }))
        }
        Command::Key(key_cmd::Command::Export(a)) => {
            (a.json, key_cmd::export(cli.data_dir.as_deref(), a, &Out { lang, json: a.json }))
        }
        Command::Key(key_cmd::Command::Recover(a)) => {
            (a.json, key_cmd::recover(cli.data_dir.as_deref(), a, &Out { lang, json: a.json }))
        }
        Command::Key(key_cmd::Command::Passphrase(a)) => {
            (a.json, key_cmd::change_passphrase(cli.data_dir.as_deref(), a, &Out { lang, json: a.json }))
        }
        Command::Key(key_cmd::Command::Revoke(a)) => {
            (a.json, key_cmd::revoke(cli.data_dir.as_deref(), a, &Out { lang, json: a.json }))
        }
        Command::Package(package_cmd::Command::Inspect(a)) => {
            (a.json, package_cmd::inspect(a, &Out { lang, json: a.json }))
        }
        Command::Package(package_cmd::Command::Import(a)) => {
            (a.json, package_cmd::import(cli.data_dir.as_deref(), a, &Out { lang, json: a.json }))
        }
        Command::Backup(a) => (a.json, backup_cmd::run_backup(cli.data_dir.as_deref(), a, &Out { lang, json: a.json })),
        Command::Restore(a) => (a.json, backup_cmd::run_restore(a, &Out { lang, json: a.json })),
        Command::Budget(budget_cmd::Command::List(a)) => {
            (a.json, budget_cmd::list(cli.data_dir.as_deref(), a, &Out { lang, json: a.json }))
        }
        Command::Budget(budget_cmd::Command::Import(a)) => {
            (a.json, budget_cmd::import(cli.data_dir.as_deref(), a, &Out { lang, json: a.json }))
        }
        Command::Call(c) => match c {
            call_cmd::Command::List(a) => {
                (a.json, call_cmd::list(cli.data_dir.as_deref(), a, &Out { lang, json: a.json }))
            }
            call_cmd::Command::Show(a) => {
                (a.json, call_cmd::show(cli.data_dir.as_deref(), a, &Out { lang, json: a.json }))
            }
            call_cmd::Command::Create(a) => {
                (a.json, call_cmd::create(cli.data_dir.as_deref(), a, &Out { lang, json: a.json }))
            }
            call_cmd::Command::Publish(a) => {
                (a.json, call_cmd::publish(cli.data_dir.as_deref(), a, &Out { lang, json: a.json }))
            }
            call_cmd::Command::Revise(a) => {
                (a.json, call_cmd::revise(cli.data_dir.as_deref(), a, &Out { lang, json: a.json }))
            }
            call_cmd::Command::Export(a) => {
                (a.json, call_cmd::export(cli.data_dir.as_deref(), a, &Out { lang, json: a.json }))
            }
            #[cfg(feature = "pdf")]
            call_cmd::Command::Print(a) => {
                (a.json, call_cmd::print(cli.data_dir.as_deref(), a, &Out { lang, json: a.json }))
            }
        },
        Command::Application(c) => {
            let d = cli.data_dir.as_deref();
            match c {
                application_cmd::Command::New(a) => (a.json, application_cmd::new(d, a, &Out { lang, json: a.json })),
                application_cmd::Command::List(a) => (a.json, application_cmd::list(d, a, &Out { lang, json: a.json })),
                application_cmd::Command::Validate(a) => {
                    (a.json, application_cmd::validate(d, a, &Out { lang, json: a.json }))
                }
                application_cmd::Command::Submit(a) => {
                    (a.json, application_cmd::submit(d, a, &Out { lang, json: a.json }))
                }
                application_cmd::Command::Received(a) => {
                    (a.json, application_cmd::received(d, a, &Out { lang, json: a.json }))
                }
                application_cmd::Command::Status(a) => {
                    (a.json, application_cmd::status(d, a, &Out { lang, json: a.json }))
                }
                application_cmd::Command::Withdraw(a) => {
                    (a.json, application_cmd::withdraw(d, a, &Out { lang, json: a.json }))
                }
                #[cfg(feature = "pdf")]
                application_cmd::Command::Print(a) => {
                    (a.json, application_cmd::print(d, a, &Out { lang, json: a.json }))
                }
            }
        }
        Command::Check(a) => (a.json, check_cmd::run(cli.data_dir.as_deref(), a, &Out { lang, json: a.json })),
        Command::Expert(c) => {
            let d = cli.data_dir.as_deref();
            match c {
                expert_cmd::Command::Template(a) => (a.json, expert_cmd::template(a, &Out { lang, json: a.json })),
                expert_cmd::Command::Import(a) => (a.json, expert_cmd::import(d, a, &Out { lang, json: a.json })),
                expert_cmd::Command::List(a) => (a.json, expert_cmd::list(d, a, &Out { lang, json: a.json })),
                expert_cmd::Command::Key(a) => (a.json, expert_cmd::key(d, a, &Out { lang, json: a.json })),
                expert_cmd::Command::Add(a) => (a.json, expert_cmd::add(d, a, &Out { lang, json: a.json })),
                expert_cmd::Command::Edit(a) => (a.json, expert_cmd::edit(d, a, &Out { lang, json: a.json })),
            }
        }
        Command::Conflicts(a) => (a.json, conflicts_cmd::run(cli.data_dir.as_deref(), a, &Out { lang, json: a.json })),
        Command::Assign(a) => (a.json(), assign_cmd::run(cli.data_dir.as_deref(), a, &Out { lang, json: a.json() })),
        Command::Rank(a) => (a.json, rank_cmd::run(cli.data_dir.as_deref(), a, &Out { lang, json: a.json })),
        Command::Decide(c) => {
            let (d, o) = (cli.data_dir.as_deref(), Out { lang, json: c.json() });
            let done = match c {
                decide_cmd::Command::Recommend(a) => decide_cmd::recommend(d, a, &o),
                decide_cmd::Command::Publicity(a) => decide_cmd::publicity(d, a, &o),
                decide_cmd::Command::Objection(a) => decide_cmd::objection(d, a, &o),
                decide_cmd::Command::Resolve(a) => decide_cmd::resolve(d, a, &o),
                decide_cmd::Command::Final(a) => decide_cmd::finalize(d, a, &o),
                decide_cmd::Command::Resend(a) => decide_cmd::resend(d, a, &o),
                decide_cmd::Command::Show(a) => decide_cmd::show(d, a, &o),
                decide_cmd::Command::Select(a) => milestone_cmd::select(d, a, &o),
                decide_cmd::Command::Agreement(a) => milestone_cmd::agreement(d, a, &o),
                decide_cmd::Command::AgreementAnnul(a) => milestone_cmd::annul_agreement(d, a, &o),
                decide_cmd::Command::Accept(a) => milestone_cmd::accept(d, a, &o),
                decide_cmd::Command::Payout(a) => milestone_cmd::payout(d, a, &o),
            };
            (c.json(), done)
        }
        Command::Milestone(c) => {
            let (d, o) = (cli.data_dir.as_deref(), Out { lang, json: c.json() });
            let done = match c {
                milestone_cmd::Command::Record(a) => milestone_cmd::record(d, a, &o),
                milestone_cmd::Command::Gate(a) => milestone_cmd::gate(d, a, &o),
                milestone_cmd::Command::Show(a) => milestone_cmd::show(d, a, &o),
            };
            (c.json(), done)
        }
        Command::Panel(c) => {
            let (d, o) = (cli.data_dir.as_deref(), Out { lang, json: c.json() });
            let done = match c {
                panel_cmd::Command::Shortlist(a) => panel_cmd::shortlist(d, a, &o),
                panel_cmd::Command::Show(a) => panel_cmd::show(d, a, &o),
                panel_cmd::Command::Vote(a) => panel_cmd::vote(d, a, &o),
            };
            (c.json(), done)
        }
        Command::Directed(c) => {
            let (d, o) = (cli.data_dir.as_deref(), Out { lang, json: c.json() });
            let done = match c {
                directed_cmd::Command::Show(a) => directed_cmd::show(d, a, &o),
                directed_cmd::Command::Panel(a) => directed_cmd::panel(d, a, &o),
                directed_cmd::Command::Select(a) => directed_cmd::select(d, a, &o),
                directed_cmd::Command::Final(a) => directed_cmd::finalize(d, a, &o),
            };
            (c.json(), done)
        }
        Command::Report(report_cmd::Command::Ranking(a)) => {
            (a.json, report_cmd::ranking(cli.data_dir.as_deref(), a, &Out { lang, json: a.json }))
        }
        Command::Report(report_cmd::Command::Recommendation(a)) => {
            let out = Out { lang, json: a.json };
            (a.json, report_cmd::list(cli.data_dir.as_deref(), report_cmd::List::Recommendation, a, &out))
        }
        Command::Report(report_cmd::Command::Publicity(a)) => {
            let out = Out { lang, json: a.json };
            (a.json, report_cmd::list(cli.data_dir.as_deref(), report_cmd::List::Publicity, a, &out))
        }
        Command::Report(report_cmd::Command::Dashboard(a)) => {
            (a.json, dashboard_cmd::run(cli.data_dir.as_deref(), a, &Out { lang, json: a.json }))
        }
        Command::Packet(c) => {
            let d = cli.data_dir.as_deref();
            match c {
                review_cmd::PacketCommand::Export(a) => (a.json, review_cmd::export(d, a, &Out { lang, json: a.json })),
                review_cmd::PacketCommand::Progress(a) => {
                    (a.json, review_cmd::progress(d, a, &Out { lang, json: a.json }))
                }
            }
        }
        Command::Review(c) => {
            let d = cli.data_dir.as_deref();
            match c {
                review_cmd::ReviewCommand::List(a) => (a.json, review_cmd::list(d, a, &Out { lang, json: a.json })),
                review_cmd::ReviewCommand::Show(a) => (a.json, review_cmd::show(d, a, &Out { lang, json: a.json })),
                review_cmd::ReviewCommand::Score(a) => (a.json, review_cmd::score(d, a, &Out { lang, json: a.json })),
                review_cmd::ReviewCommand::Seal(a) => (a.json, review_cmd::seal(d, a, &Out { lang, json: a.json })),
                review_cmd::ReviewCommand::Conflict(a) => {
                    (a.json, review_cmd::conflict(d, a, &Out { lang, json: a.json }))
                }
                review_cmd::ReviewCommand::Return(a) => {
                    (a.json, review_cmd::write_return(d, a, &Out { lang, json: a.json }))
                }
                review_cmd::ReviewCommand::RemoveContents(a) => {
                    (a.json, review_cmd::remove_contents(d, a, &Out { lang, json: a.json }))
                }
                #[cfg(feature = "pdf")]
                review_cmd::ReviewCommand::Print(a) => (a.json, review_cmd::print(d, a, &Out { lang, json: a.json })),
            }
        }
        Command::Scoresheet(c) => {
            let d = cli.data_dir.as_deref();
            match c {
                review_cmd::ScoresheetCommand::Template(a) => {
                    (a.json, review_cmd::scoresheet_template(d, a, &Out { lang, json: a.json }))
                }
                review_cmd::ScoresheetCommand::Import(a) => {
                    (a.json, review_cmd::scoresheet_import(d, a, &Out { lang, json: a.json }))
                }
            }
        }
        Command::Bench(BenchCommand::Assign(a)) => (a.json, bench_assign::run(a, &Out { lang, json: a.json })),
        #[cfg(feature = "pdf")]
        Command::Bench(BenchCommand::Pdf(a)) => {
            (a.json, bench_pdf::run(cli.data_dir.as_deref(), a, &Out { lang, json: a.json }))
        }
        Command::Bench(BenchCommand::Rank(a)) => (a.json, bench_rank::run(a, &Out { lang, json: a.json })),
        Command::Bench(BenchCommand::Package(a)) => (a.json, bench_package::run(a, &Out { lang, json: a.json })),
        Command::Bench(BenchCommand::Validate(a)) => (a.json, bench_office::validate(a, &Out { lang, json: a.json })),
        Command::Bench(BenchCommand::List(a)) => (a.json, bench_office::list(a, &Out { lang, json: a.json })),
        Command::Bench(BenchCommand::Import(a)) => (a.json, bench_office::import(a, &Out { lang, json: a.json })),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            report(&e, &Out { lang, json });
            ExitCode::from(exit_code(&e))
        }
    }
}

/// Writes command output to stdout. A closed pipe (`lixiang catalog | head`) ends the output quietly
/// instead of panicking.
/// Prints result packages written again (`check --resend`, `decide resend`).
pub fn print_resent(done: &[lixiang_core::outgoing::Resent], out: &Out) {
    if out.json {
        crate::args::emit_json("lixiang.result_resent.v1", done);
        return;
    }
    let mut text = String::new();
    for r in done {
        text.push_str(&match out.lang {
            Lang::Zh => format!("{}：结果包已重新导出到 {}（SHA-256 {}）\n", r.number, r.path, r.file_sha256),
            Lang::En => {
                format!("{}: result package written again to {} (SHA-256 {})\n", r.number, r.path, r.file_sha256)
            }
        });
    }
    emit(&text);
}

pub fn emit(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

fn report(e: &CoreError, out: &Out) {
    if out.json {
        let mut doc = serde_json::json!({ "code": e.code(), "message": e.message(out.lang) });
        // A refused file carries its bad cells, so scripts can point at them without reading prose.
        if let CoreError::FileRejected { file, problems } = e {
            doc["file"] = file.as_str().into();
            doc["problems"] = problems
                .iter()
                .map(|p| serde_json::json!({ "row": p.row, "column": p.column, "reason": p.reason(out.lang) }))
                .collect();
        }
        eprintln!("{doc}");
    } else {
        eprintln!("lixiang: {} [{}]", e.message(out.lang), e.code());
    }
}

fn exit_code(e: &CoreError) -> u8 {
    match e.kind() {
        ErrorKind::InputRefused => 3,
        ErrorKind::StateConflict => 4,
        ErrorKind::Failure => 1,
        ErrorKind::ConfirmationNeeded => 5,
    }
}
