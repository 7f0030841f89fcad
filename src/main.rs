use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
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
