//! Held transactions attacked after issues 8 and 9 were merged: routes to
//! the same broken states that the issue's own reproductions did not take.
//! Each test names the finding it pins down; every one runs the real
//! binary, checks exact exit codes and reads the database afterwards.
//!
//! Every test has its own `XDG_RUNTIME_DIR` inside its sandbox and ends
//! what it begins.

mod common;
use common::tx::*;
use common::*;

fn table(t: &Tx, db: &str, name: &str) {
    ok(&t.run(
        &["create", db, name, "id:integer", "name:text", "--pk", "id"],
        None,
    ));
}

fn ids(t: &Tx, db: &str, table: &str) -> Vec<i64> {
    rows(&t.db(db), &format!("select id from {table} order by id"))
        .iter()
        .map(|r| r["id"].as_i64().expect("id"))
        .collect()
}

/// A parent table `p` (rows 1 and 2) and a child `c` whose key to it SQLite
/// checks at once.
fn parent_and_child(t: &Tx, db: &str) {
    sqlite3(
        &t.db(db),
        "create table p (id integer primary key);
         insert into p values (1), (2);
         create table c (id integer primary key, pid integer references p (id));",
    );
}

/// Finding: a request that deferred foreign keys and left a violation
/// failed, but returned before setting any setting back, so
/// `defer_foreign_keys` stayed on for every later request: their
/// violations were no longer reported where they happened.
#[test]
fn a_request_failing_on_a_deferred_violation_leaves_no_setting_behind() {
    let t = Tx::new();
    parent_and_child(&t, "d.db");
    let id = t.begin("d.db", &["--write", "c", "--read", "p"]);
    let err = fails(
        &t.run(
            &[
                "tx",
                "exec",
                &id,
                "pragma defer_foreign_keys = 1; insert into c values (1, 99)",
            ],
            None,
        ),
        1,
    );
    assert!(
        err.contains("FOREIGN KEY constraint failed") && err.contains("holds 99"),
        "{err}"
    );
    let setting = t.exec(&id, "pragma defer_foreign_keys");
    assert_eq!(setting[0]["defer_foreign_keys"], 0, "{setting}");
    // A later violation fails where it happens, whatever route it takes.
    let err = fails(
        &t.run(&["tx", "exec", &id, "insert into c values (2, 98)"], None),
        1,
    );
    assert!(err.contains("holds 98"), "{err}");
    fails(
        &t.run(
            &["insert", "--tx", &id, "d.db", "c", "id:=3", "pid:=97"],
            None,
        ),
        1,
    );
    // The transaction goes on: a good row and a commit.
    t.exec(&id, "insert into c values (4, 2)");
    ok(&t.run(&["tx", "commit", &id], None));
    assert_eq!(ids(&t, "d.db", "c"), vec![4]);
}

/// Finding: when COMMIT itself failed (a deferred foreign key), the audit
/// entries of the transaction's earlier failures were written inside the
/// transaction the failed COMMIT rolled back, and the failed commit was
/// recorded nowhere; later commands said "does not exist".
#[test]
fn a_failed_commit_is_audited_with_the_failures_before_it_and_later_commands_say_why() {
    let t = Tx::new();
    sqlite3(
        &t.db("d.db"),
        "create table p (id integer primary key);
         create table c (id integer primary key,
                         pid integer references p (id) deferrable initially deferred);",
    );
    let id = t.begin("d.db", &["--write", "c", "--write", "p"]);
    t.exec(&id, "insert into p values (5)");
    fails(
        &t.run(&["tx", "exec", &id, "insert into nosuch values (1)"], None),
        1,
    );
    t.exec(&id, "insert into c values (3, 97)");
    let err = fails(&t.run(&["tx", "commit", &id], None), 1);
    assert!(
        err.contains("holds 97") && err.contains("nothing in it was committed"),
        "{err}"
    );
    assert_eq!(ids(&t, "d.db", "p"), Vec::<i64>::new());
    assert_eq!(ids(&t, "d.db", "c"), Vec::<i64>::new());
    let entries = rows(
        &t.db("d.db"),
        &format!("select sql, outcome from _litewrite_audit where tx = '{id}' order by id"),
    );
    assert_eq!(
        entries,
        vec![
            serde_json::json!({"sql": "insert into nosuch values (1)", "outcome": "error"}),
            serde_json::json!({"sql": "COMMIT", "outcome": "error"}),
        ]
    );
    ok(&t.run(&["audit", "verify", "d.db"], None));
    for args in [
        vec!["tx", "commit", &id],
        vec!["tx", "status", &id],
        vec!["tx", "exec", &id, "select 1"],
    ] {
        let err = fails(&t.run(&args, None), 7);
        assert!(err.contains("holds 97"), "{args:?}: {err}");
    }
    assert!(!t.listed().contains(&id));
    // The lock went with it.
    ok(&t.run(&["insert", "d.db", "p", "id:=1"], None));
}

/// Finding: `--dry-run` inside a held transaction printed no changes (the
/// transaction's group is closed only at commit), so a dry run there showed
/// nothing of what it would do.
#[test]
fn a_dry_run_inside_a_transaction_shows_its_changes_and_leaves_nothing() {
    let t = Tx::new();
    table(&t, "d.db", "t");
    ok(&t.run(&["insert", "d.db", "t", "id:=1", "name=a"], None));
    let id = t.begin("d.db", &["--write", "t"]);
    let dry = |args: &[&str]| -> serde_json::Value {
        let mut all = vec!["--json", "--dry-run", "--tx", &id];
        all.extend_from_slice(args);
        let out = ok(&t.run(&all, None));
        let v: serde_json::Value = serde_json::from_str(&out).expect("json");
        v["changes"].clone()
    };
    let changes = dry(&["insert", "d.db", "t", "id:=3", "name=dry"]);
    assert_eq!(changes.as_array().map(Vec::len), Some(1), "{changes}");
    assert_eq!(changes[0]["op"], "insert");
    assert_eq!(
        changes[0]["after"],
        serde_json::json!({"id": 3, "name": "dry"})
    );
    // After a kept command, a dry run shows its own changes only.
    ok(&t.run(
        &["insert", "--tx", &id, "d.db", "t", "id:=4", "name=real"],
        None,
    ));
    let changes = dry(&["update", "d.db", "t", "1", "name=changed"]);
    assert_eq!(changes.as_array().map(Vec::len), Some(1), "{changes}");
    assert_eq!(changes[0]["before"]["name"], "a");
    assert_eq!(changes[0]["after"]["name"], "changed");
    let changes = dry(&["query", "d.db", "delete from t"]);
    let keys: Vec<_> = changes
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| (c["op"].clone(), c["key"].clone()))
        .collect();
    assert_eq!(
        keys,
        vec![("delete".into(), 1.into()), ("delete".into(), 4.into())]
    );
    ok(&t.run(&["tx", "commit", &id], None));
    assert_eq!(ids(&t, "d.db", "t"), vec![1, 4]);
    let names = rows(&t.db("d.db"), "select name from t order by id");
    assert_eq!(names[0]["name"], "a");
    // The transaction's group holds the kept insert only.
    let group = count(
        &t.db("d.db"),
        &format!("select id from _litewrite_groups where tx = '{id}'"),
    );
    assert_eq!(
        row_changes(&t.db("d.db"), group),
        [("insert".to_string(), 1)].into_iter().collect()
    );
}
