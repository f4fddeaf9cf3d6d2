//! The cold-start trace: with `LIXIANG_TRACE_STARTUP=1` the app prints the milliseconds from process
//! start to the first frame painted after the programme list is in the page: the UI's `frame` mark,
//! taken in a `requestAnimationFrame` callback once the list is in the page (by the page itself when it
//! showed the first screen rendered ahead, see `ui/index.html`), and sent with [`startup_ready`] once the
//! app has drawn or taken over the list (printed as `LIXIANG_STARTUP_READY_MS`). With
//! `LIXIANG_TRACE_STARTUP=exit` it also quits then, so a benchmark can run it repeatedly.
//!
//! Along the way the shell ([`mark`]) and the UI (the `marks` it reports) note when each step of the
//! start finished, so a slow start can be taken apart: each is printed as `LIXIANG_STARTUP_MARK name ms`,
//! in milliseconds since process start, before the total.
//!
//! "Process start" is the first statement of `main` (the dynamic loader's few milliseconds before it
//! are the same for the bare window this is compared with).

use serde::Deserialize;
use specta::Type;
use std::sync::{Mutex, OnceLock};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// Process start, as a monotonic instant and as wall-clock milliseconds since the Unix epoch (the
/// webview's marks are wall-clock times: it is another process).
static PROCESS_START: OnceLock<(Instant, f64)> = OnceLock::new();
static REPORTED: OnceLock<()> = OnceLock::new();
static SHELL_MARKS: Mutex<Vec<(&'static str, Instant)>> = Mutex::new(Vec::new());

/// Call first thing in `main`.
pub fn mark_process_start() {
    let wall = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs_f64() * 1000.0).unwrap_or(0.0);
    let _ = PROCESS_START.set((Instant::now(), wall));
}

/// Notes that the shell finished a step of the start: only when the trace is on and not printed yet (some
/// marks sit in commands that run again later, e.g. reading the catalog).
pub fn mark(name: &'static str) {
    static TRACING: OnceLock<bool> = OnceLock::new();
    let tracing = *TRACING.get_or_init(|| std::env::var_os("LIXIANG_TRACE_STARTUP").is_some());
    if tracing && REPORTED.get().is_none() && PROCESS_START.get().is_some() {
        SHELL_MARKS.lock().unwrap_or_else(|p| p.into_inner()).push((name, Instant::now()));
    }
}

/// A step of the start as the UI saw it: its name and when it finished, in wall-clock milliseconds
/// since the Unix epoch (`performance.timeOrigin + performance.now()`).
#[derive(Debug, Clone, Deserialize, Type)]
pub struct StartupMark {
    pub name: String,
    pub epoch_ms: f64,
}

/// Called by the UI once the first frame with the programme list has been painted, with the marks it
/// took on the way.
#[tauri::command]
#[specta::specta]
pub async fn startup_ready(app: tauri::AppHandle, marks: Vec<StartupMark>) {
    let Ok(mode) = std::env::var("LIXIANG_TRACE_STARTUP") else { return };
    if REPORTED.set(()).is_err() {
        return;
    }
    let Some((start, wall_start)) = PROCESS_START.get() else { return };
    let ready = start.elapsed().as_secs_f64() * 1000.0;
    for line in trace_lines(*start, *wall_start, &SHELL_MARKS.lock().unwrap_or_else(|p| p.into_inner()), &marks) {
        println!("{line}");
    }
    // The UI's `frame` mark is the first frame with the programme list; where the page showed the first
    // screen rendered ahead, that came before the app took it over and reported (`ready`).
    println!("LIXIANG_STARTUP_MS={:.1}", first_frame_ms(*wall_start, &marks).unwrap_or(ready));
    println!("LIXIANG_STARTUP_READY_MS={ready:.1}");
    if mode == "exit" {
        app.exit(0);
    }
}

/// The milliseconds from process start to the UI's `frame` mark, if it sent one.
fn first_frame_ms(wall_start: f64, ui: &[StartupMark]) -> Option<f64> {
    ui.iter().find(|m| m.name == "frame").map(|m| m.epoch_ms - wall_start)
}

/// The marks of the shell and of the UI, in the order they happened, as `LIXIANG_STARTUP_MARK` lines.
fn trace_lines(start: Instant, wall_start: f64, shell: &[(&str, Instant)], ui: &[StartupMark]) -> Vec<String> {
    let mut all: Vec<(String, f64)> = shell
        .iter()
        .map(|(name, at)| (format!("shell:{name}"), at.duration_since(start).as_secs_f64() * 1000.0))
        .chain(ui.iter().map(|m| (format!("ui:{}", m.name), m.epoch_ms - wall_start)))
        .collect();
    all.sort_by(|a, b| a.1.total_cmp(&b.1));
    all.into_iter().map(|(name, ms)| format!("LIXIANG_STARTUP_MARK {name} {ms:.1}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn the_cold_start_is_the_ui_frame_mark_when_there_is_one() {
        let wall = 1_000_000.0;
        let ui = [
            StartupMark { name: "first_screen_shown".into(), epoch_ms: wall + 200.0 },
            StartupMark { name: "frame".into(), epoch_ms: wall + 240.5 },
            StartupMark { name: "app_frame".into(), epoch_ms: wall + 330.0 },
        ];
        assert_eq!(first_frame_ms(wall, &ui), Some(240.5));
        assert_eq!(first_frame_ms(wall, &ui[..1]), None);
    }

    #[test]
    fn shell_and_ui_marks_are_merged_in_time_order_relative_to_process_start() {
        let start = Instant::now();
        let wall = 1_000_000.0;
        let shell = [("setup", start + Duration::from_millis(40)), ("window", start + Duration::from_millis(90))];
        let ui = [
            StartupMark { name: "script".into(), epoch_ms: wall + 60.0 },
            StartupMark { name: "mount".into(), epoch_ms: wall + 120.5 },
        ];
        assert_eq!(
            trace_lines(start, wall, &shell, &ui),
            [
                "LIXIANG_STARTUP_MARK shell:setup 40.0",
                "LIXIANG_STARTUP_MARK ui:script 60.0",
                "LIXIANG_STARTUP_MARK shell:window 90.0",
                "LIXIANG_STARTUP_MARK ui:mount 120.5",
            ]
        );
    }
}
