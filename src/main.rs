//! The `litewrite` binary: parse, run, map the error to an exit code, print once.
//!
//! This is one of the two front ends that build a [`Session`] and run a
//! command with it; the other is a transaction holder serving a request
//! (`litewrite __tx-holder`, see `tx::holder`).

use std::process::ExitCode;

use litewrite::session::{Env, Session, Streams};

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args
        .get(1)
        .is_some_and(|a| a == litewrite::tx::holder::HOLDER_ARG)
    {
        return ExitCode::from(litewrite::tx::holder::main(&args));
    }
    let cli = match litewrite::cli::parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => return ExitCode::from(litewrite::cmd::command_line_error(e, &args)),
    };
    let argv = args
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let session = Session::new(
        cli.global.clone(),
        argv,
        std::path::PathBuf::new(),
        Env::from_process(),
        Streams::process(),
        None,
        None,
    );
    let (code, err) = litewrite::cmd::execute(&session, cli.command);
    if let Some(e) = err {
        if !(session.flags.quiet && session.flags.json) {
            session.diag.line(&e.to_string());
        }
    }
    ExitCode::from(code)
}

// Rows are parsed on one thread and freed on another (see input::prefetch):
// mimalloc handles such cross-thread frees without the lock contention and
// page churn of the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
