//! The trust model attacked after issue 9 was merged: routes to hidden
//! values and to exemptions that the issue's own reproductions did not
//! take. Each test names the finding it pins down.
//!
//! The exempt user is the one running the tests. The restricted user is,
//! when the tests run as root (CI), a second OS user (`nobody`, through
//! `setpriv`) under the same plugins.toml; otherwise the same user under
//! restricted.toml, which exempts no one.

mod common;
use common::users::*;
use common::*;

use std::process::Output;

const SECRET: &str = "TOPSECRET";

fn config(allow: &str) -> String {
    format!(
        r#"
[[wrapper]]
use = "audit-log"

[[wrapper]]
use = "authorizer"
protect = ["payroll"]
hide = ["secrets"]
allow-users = ["{allow}"]

[[wrapper]]
use = "change-group"
"#
    )
}

/// A sandbox whose plugins.toml exempts the user running the tests.
fn sandbox() -> Sandbox {
    let s = Sandbox::new();
    s.config(&config(&os_user()));
    s.write("restricted.toml", &config("deploy"));
    s
}

/// Runs litewrite as a user the authorizer restricts (see the module docs).
fn restricted(s: &Sandbox, args: &[&str]) -> Output {
    if is_root() {
        s.run_as_other(args, &[])
    } else {
        let mut full = vec!["--config", "restricted.toml"];
        full.extend_from_slice(args);
        s.run(&full, None)
    }
}

#[track_caller]
fn no_secret(args: &[&str], out: &Output) {
    for (what, text) in [("stdout", stdout(out)), ("stderr", stderr(out))] {
        assert!(
            !text.contains(SECRET),
            "{args:?}: {what} shows a hidden value: {text}"
        );
    }
}

/// Finding: a foreign-key error names "the first violation" `PRAGMA
/// foreign_key_check` lists, over every table. A file made by another tool
/// can hold violations of its own, in a hidden table too: a restricted
/// user's deferred violation then got an error quoting the hidden table's
/// value (by `PRAGMA defer_foreign_keys`, a DEFERRABLE key at COMMIT, and a
/// transaction's commit alike).
#[test]
fn foreign_key_errors_never_quote_a_hidden_tables_violation() {
    let s = sandbox();
    // Made by the sqlite3 shell with foreign keys off; the hidden table is
    // made last, so the check lists its violation first.
    sqlite3(
        &s.path("d.db"),
        "pragma foreign_keys = off;
         create table p (id integer primary key);
         create table c (id integer primary key, pid integer references p (id));
         create table dc (id integer primary key,
                          pid integer references p (id) deferrable initially deferred);
         create table other (a);
         create table codes (code text primary key);
         create table secrets (id integer primary key, code text references codes (code));
         insert into secrets values (1, 'TOPSECRET-fk');",
    );
    // The exempt user is told about it: it is the first violation listed.
    let err = fails(
        &s.run(
            &[
                "query",
                "d.db",
                "pragma defer_foreign_keys = 1; insert into c values (1, 42)",
            ],
            None,
        ),
        1,
    );
    assert!(err.contains("TOPSECRET-fk"), "{err}");
    let cases: [&[&str]; 3] = [
        &[
            "query",
            "d.db",
            "pragma defer_foreign_keys = 1; insert into c values (1, 42)",
        ],
        &["query", "d.db", "insert into dc values (2, 43)"],
        &["insert", "d.db", "dc", "id:=3", "pid:=44"],
    ];
    for args in cases {
        let out = restricted(&s, args);
        no_secret(args, &out);
        let err = fails(&out, 1);
        assert!(
            err.contains("FOREIGN KEY constraint failed"),
            "{args:?}: {err}"
        );
        assert!(
            err.contains("of table \"c") || err.contains("of table \"dc"),
            "{args:?}: {err}"
        );
    }
    // And at a held transaction's commit.
    let begun = restricted(&s, &["tx", "begin", "d.db", "--write", "dc", "--read", "p"]);
    let id = ok(&begun).trim().to_string();
    ok(&restricted(
        &s,
        &["tx", "exec", &id, "insert into dc values (4, 45)"],
    ));
    let args = ["tx", "commit", &id];
    let out = restricted(&s, &args);
    no_secret(&args, &out);
    let err = fails(&out, 1);
    assert!(err.contains("of table \"dc\" holds 45"), "{err}");
    assert_eq!(count(&s.path("d.db"), "select count(*) from c"), 0);
    assert_eq!(count(&s.path("d.db"), "select count(*) from dc"), 0);
    let audit = sqlite3(
        &s.path("d.db"),
        "select group_concat(coalesce(error, ''), ' ') from _litewrite_audit where outcome = 'error' and id > 1",
    );
    assert!(!audit.contains(SECRET), "{audit}");
}
