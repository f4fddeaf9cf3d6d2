//! How WebKitGTK draws the window: the one environment setting the shell makes before the webview
//! starts, shared by the app and the bare window it is measured against.
//!
//! WebKitGTK (2.46 and later) rasterises page tiles with Skia on the GPU by default. Where OpenGL is
//! Mesa's software renderer (virtual machines, remote desktops, the laptops in a sealed review venue
//! with no graphics driver, Xvfb in CI) that "GPU" raster is slower than Skia's own CPU raster: the
//! first frame with the programme list took about 95 ms to present on the GPU path and 15–40 ms on the
//! CPU path here (see the README's cold-start section). Lixiang's screens are text, forms and tables,
//! which the CPU rasteriser draws well on any machine, so the shell asks for it unless the user has
//! chosen: `WEBKIT_SKIA_ENABLE_CPU_RENDERING=0` in the environment keeps the GPU path.

/// WebKitGTK's switch between CPU and GPU rasterisation.
pub const CPU_RENDERING_VAR: &str = "WEBKIT_SKIA_ENABLE_CPU_RENDERING";

/// Call first thing in `main`, before any thread starts (the variable is read by the web process,
/// which inherits the environment).
pub fn prefer_cpu_rendering() {
    if cfg!(target_os = "linux") && std::env::var_os(CPU_RENDERING_VAR).is_none() {
        std::env::set_var(CPU_RENDERING_VAR, "1");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // One test for both cases: the environment is the process's, shared by every test thread.
    #[test]
    fn cpu_rendering_is_asked_for_unless_the_user_chose() {
        if !cfg!(target_os = "linux") {
            return;
        }
        std::env::remove_var(CPU_RENDERING_VAR);
        prefer_cpu_rendering();
        assert_eq!(std::env::var(CPU_RENDERING_VAR).as_deref(), Ok("1"));
        std::env::set_var(CPU_RENDERING_VAR, "0");
        prefer_cpu_rendering();
        assert_eq!(std::env::var(CPU_RENDERING_VAR).as_deref(), Ok("0"), "the user's choice is kept");
        std::env::remove_var(CPU_RENDERING_VAR);
    }
}
