//! `man`: one man page per command, rendered by clap_mangen from the same
//! definitions as `--help`, with EXAMPLES (each command's examples), EXIT
//! STATUS, ENVIRONMENT, FILES and SEE ALSO sections added.

use std::io::Write;

use clap_mangen::roff::{roman, Roff};
use serde_json::Value as Json;

use crate::cli::{GlobalArgs, ManArgs};
use crate::error::{Error, Result};

pub fn run(_g: &GlobalArgs, a: ManArgs) -> Result<Option<Json>> {
    let pages = pages();
    if let Some(dir) = &a.dir {
        std::fs::create_dir_all(dir).map_err(|e| {
            Error::usage(format!("can not create directory {}: {e}", dir.display()))
        })?;
        let mut out = crate::stdio::stdout();
        for (name, cmd) in &pages {
            let path = dir.join(format!("{name}.1"));
            let mut file = std::fs::File::create(&path)
                .map_err(|e| Error::usage(format!("can not write {}: {e}", path.display())))?;
            render(cmd, name, &pages, &mut file)?;
            writeln!(out, "{}", path.display())?;
        }
        out.flush()?;
        return Ok(None);
    }
    let wanted = match &a.page {
        None => "litewrite".to_string(),
        Some(p) => format!(
            "litewrite-{}",
            p.trim_start_matches("litewrite-").replace(' ', "-")
        ),
    };
    let Some((name, cmd)) = pages.iter().find(|(n, _)| *n == wanted) else {
        let names: Vec<&str> = pages
            .iter()
            .map(|(n, _)| n.trim_start_matches("litewrite-"))
            .collect();
        return Err(Error::usage(format!(
            "no man page for {:?}; pages: {}",
            a.page.unwrap_or_default(),
            names.join(", ")
        )));
    };
    let mut out = crate::stdio::stdout();
    render(cmd, name, &pages, &mut out)?;
    out.flush()?;
    Ok(None)
}

/// Every page: `litewrite`, then `litewrite-insert`, ..., `litewrite-tx-begin`.
pub fn pages() -> Vec<(String, clap::Command)> {
    fn walk(cmd: &clap::Command, name: &str, out: &mut Vec<(String, clap::Command)>) {
        out.push((name.to_string(), cmd.clone().display_name(name)));
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            if sub.get_name() == "help" {
                continue;
            }
            walk(sub, &format!("{name}-{}", sub.get_name()), out);
        }
    }
    let mut out = Vec::new();
    walk(&crate::cli::command(), "litewrite", &mut out);
    out
}

const EXIT_STATUS: [(&str, &str); 8] = [
    ("0", "ok: success"),
    (
        "1",
        "sql: the database refused the write (constraint, SQL error), or an internal failure",
    ),
    (
        "2",
        "usage: bad flags, unreadable input (malformed JSON/CSV), bad config",
    ),
    (
        "3",
        "denied: a wrapper or a transaction's table lists refused it",
    ),
    (
        "4",
        "not-found: database, table, row, transaction, savepoint or change group missing",
    ),
    (
        "5",
        "conflict: already exists, savepoint exists, undo conflict",
    ),
    (
        "6",
        "busy: lock not acquired in time, too many open transactions",
    ),
    (
        "7",
        "expired: the transaction timed out and was rolled back",
    ),
];

const ENVIRONMENT: [(&str, &str); 6] = [
    ("LITEWRITE_CONFIG", "The plugins.toml to use when --config is not given."),
    ("LITEWRITE_ACTOR", "Who is writing, a label for the records, when --actor is not given (else the OS user name)."),
    ("LITEWRITE_TX", "The open transaction a command joins when --tx is not given."),
    ("LITEWRITE_BUSY_TIMEOUT_MS", "How long a write waits for the database lock, in milliseconds (default 30000)."),
    ("XDG_CONFIG_HOME", "plugins.toml is also looked for in $XDG_CONFIG_HOME/litewrite/ (default ~/.config)."),
    ("XDG_RUNTIME_DIR", "Transaction holders keep their sockets in $XDG_RUNTIME_DIR/litewrite (else $XDG_CACHE_HOME/litewrite/tx, default ~/.cache/litewrite/tx; without a usable home, litewrite-UID in the temp dir)."),
];

const FILES: [(&str, &str); 3] = [
    ("./plugins.toml", "The wrapper chain, when neither --config nor $LITEWRITE_CONFIG names one; `litewrite config` shows which file applies."),
    ("$XDG_CONFIG_HOME/litewrite/plugins.toml", "The user's wrapper chain, when there is no ./plugins.toml."),
    ("$XDG_RUNTIME_DIR/litewrite/, ~/.cache/litewrite/tx/", "The sockets of open transactions (mode 0700: only their user can reach them)."),
];

/// Renders one page: clap_mangen's sections, then ours.
fn render(
    cmd: &clap::Command,
    name: &str,
    pages: &[(String, clap::Command)],
    w: &mut dyn Write,
) -> Result<()> {
    let man = clap_mangen::Man::new(cmd.clone()).title(name.to_uppercase());
    man.render_title(w)?;
    man.render_name_section(w)?;
    man.render_synopsis_section(w)?;
    man.render_description_section(w)?;
    man.render_options_section(w)?;
    if cmd.get_subcommands().any(|s| !s.is_hide_set()) {
        man.render_subcommands_section(w)?;
    }
    let mut roff = Roff::new();
    // The examples are the indented lines of the command's after-help.
    let after = cmd
        .get_after_help()
        .map(|h| h.to_string())
        .unwrap_or_default();
    let examples: Vec<&str> = after
        .lines()
        .filter(|l| {
            l.starts_with("  ")
                && !l.trim_start().starts_with("LITEWRITE_")
                && !l.trim_start().starts_with("XDG_")
        })
        .map(str::trim)
        .collect();
    if !examples.is_empty() {
        roff.control("SH", ["EXAMPLES"]);
        roff.control("nf", [] as [&str; 0]);
        for line in examples {
            roff.text([roman(line)]);
        }
        roff.control("fi", [] as [&str; 0]);
    }
    roff.control("SH", ["EXIT STATUS"]);
    for (code, meaning) in EXIT_STATUS {
        roff.control("TP", [] as [&str; 0]);
        roff.text([roman(code)]);
        roff.text([roman(meaning)]);
    }
    for (title, entries) in [("ENVIRONMENT", &ENVIRONMENT[..]), ("FILES", &FILES[..])] {
        roff.control("SH", [title]);
        for (key, meaning) in entries {
            roff.control("TP", [] as [&str; 0]);
            roff.text([roman(*key)]);
            roff.text([roman(*meaning)]);
        }
    }
    roff.control("SH", ["SEE ALSO"]);
    let others: Vec<String> = pages
        .iter()
        .filter(|(n, _)| n != name)
        .map(|(n, _)| format!("{n}(1)"))
        .collect();
    roff.text([roman(others.join(", "))]);
    roff.to_writer(w)?;
    Ok(())
}
