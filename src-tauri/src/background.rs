//! Long work the window waits for (an import of a folder of packages) run on a thread of its own at a
//! lower scheduling priority, so that the window keeps drawing its frames while it runs.
//!
//! Why: the import is CPU-bound (verifying and decrypting) and, on a two-core laptop, at normal priority
//! it takes a core away from the webview and the compositor, which then draw a frame every 130 ms
//! (tests/e2e/measure-import.mjs). At a lower priority it yields to them and gets every cycle they leave.
//! A thread's priority cannot be raised again without privilege, so the work runs on a thread started for
//! it, never on the async runtime's shared ones.

/// The nice value given to background work (0 is normal, 19 the lowest).
const BACKGROUND_NICE: i32 = 10;

/// Runs `f` on a new thread at background priority and waits for it (threads it starts inherit the
/// priority). A panic in `f` is resumed on the calling thread.
pub fn run<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("background".into())
            .spawn_scoped(scope, || {
                lower_this_threads_priority();
                f()
            })
            .expect("a thread for background work");
        worker.join().unwrap_or_else(|p| std::panic::resume_unwind(p))
    })
}

#[cfg(target_os = "linux")]
fn lower_this_threads_priority() {
    // On Linux a thread is a task of its own: PRIO_PROCESS with the thread's id sets its nice value alone.
    // Only ever lowered: a thread started by a process already running nicer keeps that.
    let tid = this_thread_id();
    // SAFETY: getpriority and setpriority are given this thread's own id.
    unsafe {
        if libc::getpriority(libc::PRIO_PROCESS, tid) < BACKGROUND_NICE {
            libc::setpriority(libc::PRIO_PROCESS, tid, BACKGROUND_NICE);
        }
    }
}

#[cfg(target_os = "linux")]
fn this_thread_id() -> libc::id_t {
    // SAFETY: gettid has no preconditions.
    unsafe { libc::syscall(libc::SYS_gettid) as libc::id_t }
}

#[cfg(not(target_os = "linux"))]
fn lower_this_threads_priority() {
    // Elsewhere the work runs at normal priority.
    let _ = BACKGROUND_NICE;
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    fn nice() -> i32 {
        // SAFETY: getpriority of this thread's own id.
        unsafe { libc::getpriority(libc::PRIO_PROCESS, super::this_thread_id()) }
    }

    #[test]
    fn the_work_runs_at_background_priority_and_gives_back_its_result() {
        let before = nice();
        assert_eq!(super::run(nice), before.max(super::BACKGROUND_NICE));
        assert_eq!(nice(), before, "the calling thread keeps its priority");
    }
}
