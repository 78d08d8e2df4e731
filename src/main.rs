//! The `litewrite` binary: parse, run, map the error to an exit code, print once.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args
        .get(1)
        .is_some_and(|a| a == litewrite::tx::holder::HOLDER_ARG)
    {
        args.remove(1);
        litewrite::tx::holder::main(litewrite::cli::TxHolderArgs::parse_from(args));
    }
    let cli = match litewrite::cli::parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => return ExitCode::from(litewrite::cmd::command_line_error(e, &args)),
    };
    let quiet_json = cli.global.quiet && cli.global.json;
    let (code, err) = litewrite::cmd::execute(cli);
    if let Some(e) = err {
        if !quiet_json {
            eprintln!("litewrite: {e}");
        }
    }
    ExitCode::from(code)
}

// Rows are parsed on one thread and freed on another (see input::prefetch):
// mimalloc handles such cross-thread frees without the lock contention and
// page churn of the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
