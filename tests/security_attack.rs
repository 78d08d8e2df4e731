//! The trust model attacked after issue 9 was merged: routes to hidden
//! values and to exemptions that the issue's own reproductions did not
//! take. Each test names the finding it pins down.
//!
//! The exempt user is the one running the tests. The restricted user is,
//! when the tests run as root (CI), a second OS user (`nobody`, through
//! `setpriv`) under the same plugins.toml; otherwise the same user under
//! restricted.toml, which exempts no one.

mod common;
use common::tx::*;
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

/// Finding: `allow-users` was matched case-insensitively, as table names
/// are; OS user names are not: `allow-users = ["deploy"]` exempted a user
/// named `Deploy` too (anyone who can name an account).
#[test]
fn allow_users_matches_user_names_exactly() {
    let s = sandbox();
    sqlite3(
        &s.path("t.db"),
        "create table secrets (id integer primary key, v text);
         insert into secrets values (1, 'TOPSECRET-case');",
    );
    let (user, run): (String, &dyn Fn(&str) -> Output) = if is_root() {
        (OTHER.to_string(), &|config: &str| {
            s.run_as_other(
                &["--config", config, "query", "t.db", "select v from secrets"],
                &[],
            )
        })
    } else {
        (os_user(), &|config: &str| {
            s.run(
                &["--config", config, "query", "t.db", "select v from secrets"],
                None,
            )
        })
    };
    let upper = user.to_uppercase();
    let mut near = user.clone();
    near.replace_range(..1, &user[..1].to_uppercase());
    for pattern in [upper.as_str(), near.as_str(), &format!("{}*", &upper[..1])] {
        s.write("case.toml", &config(pattern));
        let out = run("case.toml");
        no_secret(&[pattern], &out);
        let err = fails(&out, 3);
        assert!(err.contains("hidden"), "{pattern}: {err}");
    }
    // The name as the system spells it, or a pattern that matches it, exempts.
    for pattern in [user.as_str(), &format!("{}*", &user[..1])] {
        s.write("case.toml", &config(pattern));
        let out = ok(&run("case.toml"));
        assert!(out.contains("TOPSECRET-case"), "{pattern}: {out}");
    }
}

/// Finding: the audit file sink appended to whatever `audit.jsonl` it
/// found: a file another user made first in a shared directory (who then
/// read every entry, hidden tables' parameters included), or a symbolic
/// link (entries appended to a file of that user's choosing).
#[test]
fn the_audit_file_sink_appends_only_to_the_writers_own_file() {
    let s = sandbox();
    s.config(&config(&os_user()).replace(
        "use = \"audit-log\"",
        "use = \"audit-log\"\nfile = \"audit.jsonl\"",
    ));
    sqlite3(
        &s.path("t.db"),
        "create table secrets (id integer primary key, v text);",
    );
    let write = |value: &str| {
        s.run(
            &[
                "query",
                "t.db",
                "insert into secrets (v) values (:v)",
                "-p",
                "v",
                value,
            ],
            None,
        )
    };
    let victim = s.write("victim.txt", "mine\n");
    std::os::unix::fs::symlink(&victim, s.path("audit.jsonl")).unwrap();
    let err = fails(&write("TOPSECRET-link"), 1);
    assert!(
        err.contains("symbolic link") && err.contains("nothing was written"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "mine\n");
    assert_eq!(count(&s.path("t.db"), "select count(*) from secrets"), 0);
    std::fs::remove_file(s.path("audit.jsonl")).unwrap();
    if can_switch_user("the_audit_file_sink_appends_only_to_the_writers_own_file") {
        // The other user makes the file first, private to them.
        s.share();
        let made = std::process::Command::new("setpriv")
            .args([
                &format!("--reuid={OTHER_UID}"),
                &format!("--regid={OTHER_UID}"),
                "--clear-groups",
                "sh",
                "-c",
                "umask 077; : > audit.jsonl",
            ])
            .current_dir(s.dir.path())
            .status()
            .unwrap();
        assert!(made.success());
        let err = fails(&write("TOPSECRET-theirs"), 1);
        assert!(err.contains("another user"), "{err}");
        assert_eq!(std::fs::read(s.path("audit.jsonl")).unwrap(), b"");
        assert_eq!(count(&s.path("t.db"), "select count(*) from secrets"), 0);
        std::fs::remove_file(s.path("audit.jsonl")).unwrap();
    }
    // A file of the writer's own is created 0600 and appended to.
    ok(&write("TOPSECRET-own"));
    let text = std::fs::read_to_string(s.path("audit.jsonl")).unwrap();
    assert!(text.contains("TOPSECRET-own"), "{text}");
    assert_eq!(count(&s.path("t.db"), "select count(*) from secrets"), 1);
}

/// Finding: a restricted user could begin a transaction naming a hidden
/// table in `--read`/`--write`: nothing in it could touch the table, but
/// it held the database's write lock.
#[test]
fn a_transaction_can_not_list_what_the_authorizer_refuses_its_user() {
    let t = Tx::new();
    t.s.config(&config(&os_user()));
    t.s.write("restricted.toml", &config("deploy"));
    sqlite3(
        &t.db("t.db"),
        "create table secrets (id integer primary key, v text);
         create virtual table sfts using fts5 (v, content = 'secrets', content_rowid = 'id');
         create table payroll (id integer primary key, amount integer);
         create table free (id integer primary key);",
    );
    let lists: [&[&str]; 5] = [
        &["--write", "secrets"],
        &["--read", "secrets"],
        &["--read", "sfts"],
        &["--write", "sfts_data"],
        &["--write", "free", "--create", "copy", "--read", "SECRETS"],
    ];
    for list in lists {
        let mut args = vec!["tx", "begin", "t.db"];
        args.extend_from_slice(list);
        let err = fails(&restricted(&t.s, &args), 3);
        assert!(
            err.contains("is hidden by the authorizer") || err.contains("is protected"),
            "{list:?}: {err}"
        );
    }
    // What it may use begins; the lock was never taken by the refusals.
    let id = ok(&restricted(
        &t.s,
        &[
            "tx", "begin", "t.db", "--write", "free", "--read", "payroll",
        ],
    ));
    ok(&restricted(&t.s, &["tx", "rollback", id.trim()]));
    // The exempt user may list them all.
    let id = t.begin("t.db", &["--write", "secrets", "--write", "payroll"]);
    t.exec(&id, "insert into secrets values (1, 'x')");
    ok(&t.run(&["tx", "commit", &id], None));
    assert_eq!(count(&t.db("t.db"), "select count(*) from secrets"), 1);
}

/// Finding: the `rowids` column of `_litewrite_changes` (the rowids of the
/// rows of a table keyed by a declared primary key) was readable while
/// `key` was not: it is withheld like the other columns about rows.
#[test]
fn change_records_withhold_rowids_with_keys_and_images() {
    let s = sandbox();
    ok(&s.run(
        &[
            "create",
            "r.db",
            "secrets",
            "code:text",
            "v:text",
            "--pk",
            "code",
        ],
        None,
    ));
    ok(&s.run(
        &["insert", "r.db", "secrets", "code=TOPSECRET-code", "v=x"],
        None,
    ));
    for column in ["rowids", "key", "digest"] {
        let sql = format!("select {column} from _litewrite_changes where tbl = 'secrets'");
        let args = ["query", "r.db", sql.as_str()];
        let out = restricted(&s, &args);
        no_secret(&args, &out);
        let err = fails(&out, 3);
        assert!(err.contains(&format!("column \"{column}\"")), "{err}");
    }
    // The exempt user reads them.
    let out = ok(&s.run(
        &[
            "query",
            "r.db",
            "select rowids from _litewrite_changes where op = 'insert'",
        ],
        None,
    ));
    assert!(out.contains("\"1\""), "{out}");
}
