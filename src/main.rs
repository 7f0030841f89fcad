use clap::Parser;
use std::process::ExitCode;

// Extraction allocates small, short-lived buffers per sentence from several
// threads; mimalloc serves those faster than the system allocator.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // SAFETY: `mi_collect` only gives the calling thread's free pages back
    // to the system; it may be called at any time.
    let _ = textkg::app::RELEASE_FREED.set(|| unsafe { libmimalloc_sys::mi_collect(true) });
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
