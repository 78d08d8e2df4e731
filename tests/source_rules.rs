//! Rules about the source itself that review would otherwise have to
//! check by hand (issue 8): no command is steered through process globals,
//! the step loop and the check for SQLite ending a transaction exist once,
//! and wrappers never reach into the commands.

use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, with its text.
fn sources(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("read source");
                out.push((path, text));
            }
        }
    }
    out
}

fn src() -> Vec<(PathBuf, String)> {
    sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
}

/// The places `needle` occurs in code (not in comments).
fn occurrences(files: &[(PathBuf, String)], needle: &str) -> Vec<String> {
    files
        .iter()
        .flat_map(|(path, text)| {
            text.lines().enumerate().filter_map(move |(i, line)| {
                let code = line.split("//").next().unwrap_or("");
                code.contains(needle)
                    .then(|| format!("{}:{}: {}", path.display(), i + 1, line.trim()))
            })
        })
        .collect()
}

#[test]
fn no_command_state_lives_in_process_globals() {
    let files = src();
    assert!(files.len() > 20, "found the sources");
    for needle in [
        "set_var(",
        "remove_var(",
        "set_current_dir(",
        "thread_local!",
    ] {
        let found = occurrences(&files, needle);
        assert!(found.is_empty(), "{needle} in src/: {found:#?}");
    }
}

#[test]
fn the_step_loop_and_the_autocommit_check_exist_once() {
    let files = src();
    let loops = occurrences(&files, "for step in 0..");
    assert_eq!(loops.len(), 1, "{loops:#?}");
    assert!(loops[0].contains("pipeline.rs"), "{loops:#?}");
    let checks = occurrences(&files, "is_autocommit(");
    assert_eq!(checks.len(), 1, "{checks:#?}");
    assert!(checks[0].contains("pipeline.rs"), "{checks:#?}");
}

#[test]
fn wrappers_see_the_job_never_the_commands() {
    let wrappers = sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src/wrappers"));
    let found = occurrences(&wrappers, "crate::cmd");
    assert!(found.is_empty(), "{found:#?}");
}
