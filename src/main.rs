//! The `litewrite` binary: parse, run, map the error to an exit code, print once.

use std::process::ExitCode;

use clap::Parser;
use litewrite::cli::Cli;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let quiet_json = cli.global.quiet && cli.global.json;
    let (code, err) = litewrite::cmd::execute(cli);
    if let Some(e) = err {
        if !quiet_json {
            eprintln!("litewrite: {e}");
        }
    }
    ExitCode::from(code)
}
