//! The cold-start trace: with `LIXIANG_TRACE_STARTUP=1` the app prints the milliseconds from process
//! start to the first frame painted after the programme list is in the page (the UI calls
//! [`startup_ready`] from a `requestAnimationFrame` callback once the list is rendered). With
//! `LIXIANG_TRACE_STARTUP=exit` it also quits then, so a benchmark can run it repeatedly.
//!
//! "Process start" is the first statement of `main` (the dynamic loader's few milliseconds before it
//! are the same for the bare window this is compared with).

use std::sync::OnceLock;
use std::time::Instant;

static PROCESS_START: OnceLock<Instant> = OnceLock::new();
static REPORTED: OnceLock<()> = OnceLock::new();

/// Call first thing in `main`.
pub fn mark_process_start() {
    let _ = PROCESS_START.set(Instant::now());
}

/// Called by the UI once the first frame with the programme list has been painted.
#[tauri::command]
#[specta::specta]
pub async fn startup_ready(app: tauri::AppHandle) {
    let Ok(mode) = std::env::var("LIXIANG_TRACE_STARTUP") else { return };
    if REPORTED.set(()).is_err() {
        return;
    }
    let Some(start) = PROCESS_START.get() else { return };
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    println!("LIXIANG_STARTUP_MS={ms:.1}");
    if mode == "exit" {
        app.exit(0);
    }
}
