//! A bare Tauri window built exactly like the app (same crate, profile and features), showing a
//! static page: the baseline the app's cold start is compared with. With `LIXIANG_TRACE_STARTUP`
//! set it prints the milliseconds from process start to its first painted frame.

use tauri::{WebviewUrl, WebviewWindowBuilder};

fn main() {
    lixiang_desktop::startup::mark_process_start();
    // Drawn exactly as the app is drawn, so the comparison is of what the two pages do.
    lixiang_desktop::rendering::prefer_cpu_rendering();
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![lixiang_desktop::startup::startup_ready])
        .setup(|app| {
            lixiang_desktop::startup::mark("setup");
            let dir = std::env::temp_dir().join(format!("lixiang-bare-window-{}", std::process::id()));
            WebviewWindowBuilder::new(app, "main", WebviewUrl::App("bare.html".into()))
                .title("bare window")
                .inner_size(1280.0, 800.0)
                .data_directory(dir)
                .build()?;
            lixiang_desktop::startup::mark("window_built");
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("the Tauri runtime failed to start");
}
