//! The Lixiang desktop shell: a Tauri v2 window over `lixiang-core`.
//!
//! This crate only converts and delegates. Commands are `async`, named `<area>_<verb>`, move the
//! blocking SQLite work to a worker thread, and map every core error once into [`IpcError`]. The
//! TypeScript bindings in `ui/src/bindings.ts` are generated from [`specta_builder`] by the
//! `export-bindings` binary; the shell holds no domain logic and no SQL.

pub mod commands;
pub mod error;
pub mod startup;
pub mod state;

pub use error::IpcError;

use state::AppState;
use std::path::PathBuf;
use tauri::{WebviewUrl, WebviewWindowBuilder};

/// The window title; tests and scripts find the window by it.
pub const WINDOW_TITLE: &str = "立项 Lixiang";

/// Every command the UI may call, with their types, for the invoke handler and the bindings.
pub fn specta_builder() -> tauri_specta::Builder<tauri::Wry> {
    // One TypeScript type per Rust type: the records only ever travel Rust → UI in one shape.
    tauri_specta::Builder::<tauri::Wry>::new().disable_serde_phases().commands(tauri_specta::collect_commands![
        commands::workspace_info,
        commands::catalog_get,
        commands::preference_get_language,
        commands::preference_set_language,
        startup::startup_ready,
    ])
}

/// The workspace the app acts on: `--data-dir DIR` on the command line, else `LIXIANG_DATA_DIR`,
/// else the default workspace (the same rule as the `lixiang` command).
fn data_dir_from_args() -> Option<PathBuf> {
    let mut args = std::env::args_os().skip(1);
    while let Some(a) = args.next() {
        if a == "--data-dir" {
            return args.next().map(PathBuf::from);
        }
        if let Some(v) = a.to_str().and_then(|s| s.strip_prefix("--data-dir=")) {
            return Some(PathBuf::from(v));
        }
    }
    None
}

/// Opens the workspace and runs the app until its window closes.
pub fn run() {
    let state = AppState::open(data_dir_from_args().as_deref());
    // The webview's profile (local storage, caches) lives in the workspace, so a fresh data dir is a
    // fresh app and nothing is kept in Tauri's own folders.
    let webview_dir = state.webview_dir();
    let builder = specta_builder();
    tauri::Builder::default()
        .manage(state)
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            builder.mount_events(app);
            let mut window = WebviewWindowBuilder::new(app, "main", WebviewUrl::App("index.html".into()))
                .title(WINDOW_TITLE)
                .inner_size(1280.0, 800.0)
                .min_inner_size(960.0, 600.0);
            if let Some(dir) = webview_dir {
                window = window.data_directory(dir);
            }
            window.build()?;
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("the Tauri runtime failed to start");
}
