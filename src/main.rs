//! The `litewrite` binary: parse, run, map the error to an exit code, print once.

use std::process::ExitCode;

use clap::Parser;
use litewrite::cli::Cli;
use litewrite::error::Error;
use serde_json::json;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = cli.global.json;
    let quiet = cli.global.quiet;
    match litewrite::cmd::run(cli) {
        Ok(result) => {
            if json {
                if let Some(obj) = result {
                    if let Err(e) = litewrite::output::print_json(&obj) {
                        return fail(&e, false, quiet);
                    }
                }
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e, json, quiet),
    }
}

fn fail(e: &Error, json: bool, quiet: bool) -> ExitCode {
    // A reader that stopped reading (`| head`) is not a failure.
    if e.broken_pipe {
        return ExitCode::SUCCESS;
    }
    if json {
        let obj = json!({"ok": false, "error": e.to_string(), "kind": e.kind.name()});
        let _ = litewrite::output::print_json(&obj);
    }
    if !quiet || !json {
        eprintln!("litewrite: {e}");
    }
    ExitCode::from(e.kind.exit_code())
}
