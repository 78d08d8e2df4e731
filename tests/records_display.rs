//! Issue 11 item 9: reading the records in a terminal. `show`, `audit` and
//! `history` tables fit the width (`$COLUMNS` here, the terminal's when
//! stdout is one), one record a line, long SQL and row images cut with an
//! ellipsis; an update reads as a diff (the changed columns, old → new);
//! `--json` and the other formats keep every value whole; and what the
//! authorizer hides stays hidden in every format.

mod common;
use common::users::*;
use common::*;

use std::process::Output;

use serde_json::Value;

/// Runs litewrite with `$COLUMNS` set (None: unset, stdout not a terminal).
fn run_cols(s: &Sandbox, columns: Option<u16>, args: &[&str]) -> Output {
    let mut c = s.cmd();
    if let Some(w) = columns {
        c.env("COLUMNS", w.to_string());
    }
    c.args(args);
    c.write_stdin(String::new());
    c.output().expect("run litewrite")
}

/// The lines of a table: none wider than `width` characters on screen.
#[track_caller]
fn fits(out: &str, width: usize) -> Vec<String> {
    let lines: Vec<String> = out.lines().map(str::to_string).collect();
    for l in &lines {
        assert!(
            l.chars().count() <= width,
            "line wider than {width}: {l:?}\n{out}"
        );
    }
    lines
}

/// The body rows of a table (between the header separator and the bottom).
fn body(lines: &[String]) -> Vec<String> {
    let start = lines
        .iter()
        .position(|l| l.starts_with('╞'))
        .expect("header separator")
        + 1;
    lines[start..]
        .iter()
        .filter(|l| l.starts_with('│'))
        .cloned()
        .collect()
}

const BIO: &str = "a biography long enough that no terminal shows it whole: \
    it goes on about many things, places and people, for well over two hundred \
    characters, so that a table of changes either cuts it or is as wide as it, \
    which is what this test looks at; the end of it is ZZ-END";

fn people(s: &Sandbox) -> i64 {
    ok(&s.run(
        &[
            "create",
            "p.db",
            "people",
            "id:integer",
            "name:text",
            "bio:text",
            "n:integer",
            "--pk",
            "id",
        ],
        None,
    ));
    ok(&s.run(
        &[
            "insert",
            "p.db",
            "people",
            "id:=1",
            "name=ann",
            &format!("bio={BIO}"),
            "n:=1",
        ],
        None,
    ));
    ok(&s.run(
        &["update", "p.db", "people", "1", "name=anne", "n:=2"],
        None,
    ));
    count(&s.path("p.db"), "select max(id) from _litewrite_groups")
}

#[test]
fn show_of_an_update_reads_as_a_diff_and_fits_the_width() {
    let s = Sandbox::new();
    let update = people(&s);
    let group = update.to_string();
    for width in [60u16, 80, 120] {
        let out = ok(&run_cols(&s, Some(width), &["show", "p.db", &group]));
        let rows = body(&fits(&out, width as usize));
        assert_eq!(rows.len(), 1, "{out}");
        // The changed columns, old → new; not the unchanged biography.
        assert!(rows[0].contains("update"), "{out}");
        assert!(!rows[0].contains("biography"), "{out}");
        if width >= 80 {
            assert!(
                rows[0].contains(r#"name: "ann" → "anne", n: 1 → 2"#),
                "{out}"
            );
        }
    }
    // The insert's whole row is cut to fit, with an ellipsis.
    let insert = (update - 1).to_string();
    let out = ok(&run_cols(&s, Some(80), &["show", "p.db", &insert]));
    let rows = body(&fits(&out, 80));
    assert_eq!(rows.len(), 1, "{out}");
    assert!(
        rows[0].contains('…') && !rows[0].contains("ZZ-END"),
        "{out}"
    );
    // Without a width (not a terminal, no $COLUMNS) nothing is cut; still one line.
    let out = ok(&run_cols(&s, None, &["show", "p.db", &insert]));
    let lines: Vec<String> = out.lines().map(str::to_string).collect();
    assert_eq!(body(&lines).len(), 1, "{out}");
    assert!(out.contains("ZZ-END") && !out.contains('…'), "{out}");
    // --json and the other formats keep the whole rows, whatever the width.
    for args in [
        vec!["--json", "show", "p.db", &group],
        vec!["show", "p.db", &group, "--format", "json"],
    ] {
        let out = ok(&run_cols(&s, Some(40), &args));
        let v: Value = serde_json::from_str(&out).expect("json");
        assert_eq!(v[0]["before"]["bio"], BIO, "{args:?}");
        assert_eq!(v[0]["after"]["name"], "anne");
        assert_eq!(v[0]["before"]["name"], "ann");
        assert!(!out.contains('…'));
    }
    for format in ["ndjson", "csv", "tsv"] {
        let out = ok(&run_cols(
            &s,
            Some(40),
            &["show", "p.db", &group, "--format", format],
        ));
        assert!(
            out.contains("ZZ-END") && !out.contains('…'),
            "{format}: {out}"
        );
    }
    // A dry run's table reads the same way, and changes nothing.
    let out = ok(&run_cols(
        &s,
        Some(100),
        &["update", "--dry-run", "p.db", "people", "1", "n:=3"],
    ));
    let rows = body(&fits(&out, 100));
    assert!(rows[0].contains("n: 2 → 3"), "{out}");
    assert_eq!(count(&s.path("p.db"), "select n from people"), 2);
}

#[test]
fn audit_and_history_tables_fit_the_width_one_record_a_line() {
    let s = Sandbox::new();
    let columns: Vec<String> = (0..40).map(|i| format!("column_{i}:text")).collect();
    let mut args = vec!["create", "w.db", "wide"];
    args.extend(columns.iter().map(String::as_str));
    ok(&s.run(&args, None));
    let long_sql = format!("insert into wide (column_0) values ('{}')", "x".repeat(300));
    ok(&s.run(&["query", "w.db", &long_sql], None));
    ok(&s.run(
        &["-m", "a note", "insert", "w.db", "wide", "column_1=y"],
        None,
    ));
    let entries = count(&s.path("w.db"), "select count(*) from _litewrite_audit") as usize;
    assert_eq!(entries, 3);
    for width in [80u16, 100, 160] {
        let out = ok(&run_cols(
            &s,
            Some(width),
            &["audit", "w.db", "--format", "table"],
        ));
        let rows = body(&fits(&out, width as usize));
        // One line per entry: the CREATE TABLE's many lines are one, cut.
        assert_eq!(rows.len(), entries, "{out}");
        assert!(
            rows[0].contains("CREATE TABLE") && rows[0].contains('…'),
            "{out}"
        );
        assert!(
            rows[1].contains("insert into") && rows[1].contains('…'),
            "{out}"
        );
        let out = ok(&run_cols(&s, Some(width), &["history", "w.db"]));
        assert_eq!(body(&fits(&out, width as usize)).len(), 3, "{out}");
    }
    // --json keeps every entry's SQL whole, line breaks and all.
    let out = ok(&run_cols(&s, Some(80), &["--json", "audit", "w.db"]));
    let v: Value = serde_json::from_str(&out).expect("json");
    let create = v[0]["sql"].as_str().expect("sql");
    assert!(
        create.contains('\n') && create.contains("\"column_39\" TEXT"),
        "{create}"
    );
    assert_eq!(v[1]["sql"], long_sql);
    assert_eq!(
        v[0]["time"].as_str().map(str::len),
        Some("2026-01-01T00:00:00.000000Z".len())
    );
    // Not a terminal and no $COLUMNS: whole values, still one line each.
    let out = ok(&run_cols(&s, None, &["audit", "w.db"]));
    let lines: Vec<String> = out.lines().map(str::to_string).collect();
    assert_eq!(body(&lines).len(), entries, "{out}");
    assert!(
        out.contains(&long_sql) && out.contains("\"column_39\" TEXT"),
        "{out}"
    );
}

const SECRET: &str = "TOPSECRET";

fn hide_config(allow: &str) -> String {
    format!(
        r#"
[[wrapper]]
use = "audit-log"

[[wrapper]]
use = "authorizer"
hide = ["secrets"]
allow-users = ["{allow}"]

[[wrapper]]
use = "change-group"
"#
    )
}

#[test]
fn hidden_tables_stay_hidden_in_every_format_and_width() {
    let s = Sandbox::new();
    s.config(&hide_config(&os_user()));
    s.write("restricted.toml", &hide_config("deploy"));
    ok(&s.run(
        &[
            "insert",
            "h.db",
            "secrets",
            "id:=1",
            "v=TOPSECRET-1",
            "--pk",
            "id",
        ],
        None,
    ));
    ok(&s.run(
        &[
            "query",
            "h.db",
            "update secrets set v = :v where id = 1",
            "-p",
            "v",
            "TOPSECRET-2",
        ],
        None,
    ));
    let update = count(&s.path("h.db"), "select max(id) from _litewrite_groups").to_string();
    let restricted = |columns: Option<u16>, args: &[&str]| -> Output {
        let mut env: Vec<(&str, String)> = Vec::new();
        if let Some(w) = columns {
            env.push(("COLUMNS", w.to_string()));
        }
        if is_root() {
            let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
            s.run_as_other(args, &env)
        } else {
            let mut c = s.cmd();
            for (k, v) in &env {
                c.env(k, v);
            }
            c.arg("--config").arg("restricted.toml").args(args);
            c.write_stdin(String::new());
            c.output().expect("run litewrite")
        }
    };
    for columns in [None, Some(80u16), Some(300)] {
        for format in ["table", "json", "ndjson", "csv", "tsv"] {
            for command in [
                vec!["show", "h.db", update.as_str()],
                vec!["audit", "h.db"],
                vec!["history", "h.db"],
            ] {
                let mut args = command.clone();
                args.extend(["--format", format]);
                let out = restricted(columns, &args);
                let text = ok(&out);
                assert!(
                    !text.contains(SECRET) && !stderr(&out).contains(SECRET),
                    "{args:?} {columns:?}: {text}"
                );
                if format == "table" && command[0] != "history" {
                    assert!(text.contains("(hidden)"), "{args:?} {columns:?}: {text}");
                }
            }
        }
    }
    // The exempt user sees the diff, values and all.
    let out = ok(&run_cols(&s, Some(100), &["show", "h.db", &update]));
    assert!(out.contains(r#"v: "TOPSECRET-1" → "TOPSECRET-2""#), "{out}");
}

/// A long old value does not push the other changed columns of an update
/// out of the terminal: each value is cut to its share of the width, and
/// every changed column is named; without a width nothing is cut.
#[test]
fn show_of_an_update_names_every_changed_column_despite_a_long_value() {
    let s = Sandbox::new();
    let long = format!("{}ZZ-END", "x".repeat(300));
    ok(&s.run(
        &[
            "insert",
            "w.db",
            "t",
            "--pk",
            "id",
            "id:=1",
            &format!("a={long}"),
            "b=old",
            "c=keep",
        ],
        None,
    ));
    ok(&s.run(&["update", "w.db", "t", "1", "a=short", "b=new"], None));
    let group = count(&s.path("w.db"), "select max(id) from _litewrite_groups").to_string();
    for width in [80u16, 120] {
        let out = ok(&run_cols(&s, Some(width), &["show", "w.db", &group]));
        let rows = body(&fits(&out, width as usize));
        assert_eq!(rows.len(), 1, "{out}");
        assert!(
            rows[0].contains("a: \"xxx") && rows[0].contains("… → \"short\", b: \"old\" → \"new\""),
            "{out}"
        );
        assert!(
            !rows[0].contains("ZZ-END") && !rows[0].contains("keep"),
            "{out}"
        );
    }
    let out = ok(&run_cols(&s, None, &["show", "w.db", &group]));
    assert!(
        out.contains(&format!("a: \"{long}\" → \"short\", b: \"old\" → \"new\"")),
        "{out}"
    );
}
