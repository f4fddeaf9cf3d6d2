// Keeps a console window from opening next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    lixiang_desktop::startup::mark_process_start();
    lixiang_desktop::rendering::prefer_cpu_rendering();
    lixiang_desktop::run();
}
