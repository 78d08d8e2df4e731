//! Issue 11 items 6, 7 and 10: help and man pages (globals under their own
//! heading, flags only where they do something, examples, environment), one
//! man page per command that `man -l` renders, the help texts snapshotted,
//! and `litewrite config`.
//!
//! Snapshots live in tests/snapshots/help/; after a deliberate change to the
//! help, regenerate them with `UPDATE_SNAPSHOTS=1 cargo test --test help_and_man`
//! and review the diff.

mod common;
use common::*;

use std::path::Path;

use serde_json::Value;

/// Every command path: [], ["insert"], ..., ["tx", "begin"], ...
fn command_paths(s: &Sandbox) -> Vec<Vec<String>> {
    let dir = s.path("pages");
    let listed = ok(&s.run(&["man", "--dir", dir.to_str().unwrap()], None));
    listed
        .lines()
        .map(|p| {
            let name = Path::new(p)
                .file_stem()
                .unwrap()
                .to_str()
                .unwrap()
                .to_string();
            assert!(name.starts_with("litewrite"), "{name}");
            name.trim_start_matches("litewrite")
                .split('-')
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn every_man_page_renders_with_man() {
    let s = Sandbox::new();
    let dir = s.path("pages");
    let listed = ok(&s.run(&["man", "--dir", dir.to_str().unwrap()], None));
    let files: Vec<&str> = listed.lines().collect();
    // One page per command, tx and audit subcommands included.
    for page in [
        "litewrite.1",
        "litewrite-insert.1",
        "litewrite-query.1",
        "litewrite-config.1",
        "litewrite-tx-begin.1",
        "litewrite-tx-rollback-to.1",
        "litewrite-audit-verify.1",
    ] {
        assert!(
            files.iter().any(|f| f.ends_with(&format!("/{page}"))),
            "{page} in {listed}"
        );
    }
    assert!(files.len() >= 25, "{listed}");
    for file in files {
        let out = std::process::Command::new("man")
            .args(["-l", file])
            .env("MANWIDTH", "100")
            .env("MANPAGER", "cat")
            .env("PAGER", "cat")
            .output()
            .expect("man (man-db) is installed; .ci/run installs it");
        assert!(
            out.status.success(),
            "{file}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            "",
            "{file}: roff warnings"
        );
        let text = String::from_utf8_lossy(&out.stdout);
        for section in [
            "NAME",
            "SYNOPSIS",
            "EXIT STATUS",
            "ENVIRONMENT",
            "FILES",
            "SEE ALSO",
        ] {
            assert!(text.contains(section), "{file} lacks {section}");
        }
        assert!(text.contains("LITEWRITE_BUSY_TIMEOUT_MS"), "{file}");
        if !file.ends_with("/litewrite-tx.1") && !file.ends_with("/litewrite-audit-verify.1") {
            assert!(text.contains("EXAMPLES"), "{file} lacks EXAMPLES");
        }
    }
    // `litewrite man COMMAND` prints one page; the default is litewrite(1).
    let insert = ok(&s.run(&["man", "insert"], None));
    assert!(insert.contains("LITEWRITE-INSERT"), "{}", &insert[..200]);
    assert!(ok(&s.run(&["man", "tx-begin"], None)).contains("LITEWRITE-TX-BEGIN"));
    let err = fails(&s.run(&["man", "nope"], None), 2);
    assert!(err.contains("no man page for"), "{err}");
}

#[test]
fn help_texts_match_their_snapshots() {
    let s = Sandbox::new();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/help");
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut stale = Vec::new();
    for path in command_paths(&s) {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let help = ok(&s.run(&args, None));
        let name = if path.is_empty() {
            "litewrite".to_string()
        } else {
            format!("litewrite-{}", path.join("-"))
        };
        let file = dir.join(format!("{name}.txt"));
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&file, &help).unwrap();
        } else if std::fs::read_to_string(&file).ok().as_deref() != Some(help.as_str()) {
            stale.push(name);
        }
    }
    assert!(stale.is_empty(), "help changed for {stale:?}; review and run UPDATE_SNAPSHOTS=1 cargo test --test help_and_man");
}

#[test]
fn globals_have_their_heading_and_stay_off_commands_they_do_nothing_for() {
    let s = Sandbox::new();
    let top = ok(&s.run(&["--help"], None));
    assert!(top.contains("Global options:"), "{top}");
    for var in [
        "LITEWRITE_CONFIG",
        "LITEWRITE_ACTOR",
        "LITEWRITE_TX",
        "LITEWRITE_BUSY_TIMEOUT_MS",
        "XDG_CONFIG_HOME",
        "XDG_RUNTIME_DIR",
    ] {
        assert!(top.contains(var), "{var} in --help");
    }
    let insert = ok(&s.run(&["insert", "--help"], None));
    let global_at = insert.find("Global options:").expect("heading");
    let dry_at = insert.find("--dry-run").expect("--dry-run on insert");
    assert!(dry_at > global_at, "globals come under their heading");
    assert!(insert.contains("--flatten") && insert.contains("--delimiter"));

    let delete = ok(&s.run(&["delete", "--help"], None));
    assert!(
        !delete.contains("--flatten"),
        "--flatten does nothing for delete"
    );
    let man = ok(&s.run(&["man", "--help"], None));
    for flag in ["--dry-run", "--tx", "--actor", "--json"] {
        assert!(!man.contains(flag), "{flag} in man --help");
    }
    let history = ok(&s.run(&["history", "--help"], None));
    assert!(!history.contains("--dry-run") && history.contains("--actor"));
    // Given anyway, before or after the command name: a usage error.
    for args in [
        vec!["man", "--dry-run"],
        vec!["--dry-run", "schema", "x.db"],
        vec!["completions", "bash", "--tx", "abc"],
    ] {
        let err = fails(&s.run(&args, None), 2);
        assert!(err.contains("does nothing for"), "{args:?}: {err}");
    }
    // tx subcommands each show an example.
    for sub in [
        "begin",
        "exec",
        "savepoint",
        "release",
        "rollback-to",
        "commit",
        "rollback",
        "list",
        "status",
    ] {
        let help = ok(&s.run(&["tx", sub, "--help"], None));
        assert!(
            help.contains("litewrite tx "),
            "tx {sub} has no example:\n{help}"
        );
    }
}

#[test]
fn config_shows_the_chain_in_effect_and_where_it_came_from() {
    let s = Sandbox::new();
    let out = ok(&s.run(&["config"], None));
    assert!(
        out.contains("built-in default")
            && out.contains("use = \"audit-log\"")
            && out.contains("use = \"change-group\""),
        "{out}"
    );
    let v: Value = serde_json::from_str(&ok(&s.run(&["config", "--json"], None))).unwrap();
    assert_eq!(v["source"], Value::Null);
    assert_eq!(v["wrappers"][0]["use"], "audit-log");

    // The repository's plugins.toml parses and is the default chain.
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("plugins.toml");
    let from_repo: Value = serde_json::from_str(&ok(&s.run(
        &["--config", repo.to_str().unwrap(), "config", "--json"],
        None,
    )))
    .unwrap();
    assert_eq!(
        from_repo["wrappers"], v["wrappers"],
        "plugins.toml is the built-in chain"
    );

    // ./plugins.toml, then --config and $LITEWRITE_CONFIG, each named.
    s.config("[[wrapper]]\nuse = \"authorizer\"\nprotect = [\"payroll\"]\n");
    let local: Value = serde_json::from_str(&ok(&s.run(&["config", "--json"], None))).unwrap();
    assert_eq!(local["source"], "plugins.toml");
    assert_eq!(
        local["wrappers"][0]["protect"],
        serde_json::json!(["payroll"])
    );
    s.write("other.toml", "max-transactions = 2\n");
    let env: Value = serde_json::from_str(&ok(&run_env(
        &s,
        &[("LITEWRITE_CONFIG", "other.toml")],
        &["config", "--json"],
    )))
    .unwrap();
    assert_eq!(
        (env["source"].clone(), env["max-transactions"].clone()),
        (Value::from("other.toml"), Value::from(2))
    );
    let text = ok(&s.run(&["--config", "other.toml", "config"], None));
    assert!(text.starts_with("# in effect: other.toml\n"), "{text}");
    // A bad file is the usual usage error.
    s.write("bad.toml", "[[wrapper]]\nuse = \"nope\"\n");
    let err = fails(&s.run(&["--config", "bad.toml", "config"], None), 2);
    assert!(err.contains("bad.toml"), "{err}");
}

#[test]
fn completions_into_a_closed_pipe_end_quietly() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_litewrite"))
            .args(["completions", shell])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn litewrite");
        // Read one short line and close the pipe, like `| head -1`: every
        // script is longer than the pipe holds, so the rest can not be written.
        let mut reader = BufReader::with_capacity(64, child.stdout.take().unwrap());
        let mut first = String::new();
        reader.read_line(&mut first).unwrap();
        assert!(!first.is_empty(), "{shell}");
        drop(reader);
        let out = child.wait_with_output().expect("wait");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{shell}: stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stderr.is_empty(),
            "{shell}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
