use clap::Parser;
use std::process::ExitCode;

// Extraction allocates small, short-lived buffers per sentence from several
// threads; mimalloc serves those faster than the system allocator.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc.h's `mi_option_purge_delay` (milliseconds before freed pages
/// go back to the system), which libmimalloc-sys does not name.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// The delay mimalloc started with, put back after a phase without one.
static DEFAULT_PURGE_DELAY: std::sync::OnceLock<std::ffi::c_long> = std::sync::OnceLock::new();

fn main() -> ExitCode {
    // SAFETY: `mi_collect` only gives the calling thread's free pages back
    // to the system, and options may be read and set at any time.
    let _ = textkg::app::ALLOCATOR.set(textkg::app::Allocator {
        release_freed: || unsafe { libmimalloc_sys::mi_collect(true) },
        release_at_once: |on| unsafe {
            let default = *DEFAULT_PURGE_DELAY.get_or_init(|| libmimalloc_sys::mi_option_get(PURGE_DELAY));
            libmimalloc_sys::mi_option_set(PURGE_DELAY, if on { 0 } else { default });
        },
    });
    let cli = textkg::cli::Cli::parse();
    match textkg::app::run(cli) {
        Ok(code) => code,
        Err(e) => {
            if e.chain().any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)) {
                return ExitCode::SUCCESS;
            }
            eprintln!("textkg: {e:#}");
            ExitCode::from(2)
        }
    }
}
