//! Issue "tx": transactions that span several invocations — what they see
//! and when their writes land, rollback, the `--read`/`--write` table lists,
//! savepoints, the per-database limit on open transactions, commands that
//! join a transaction (`--tx`, `LITEWRITE_TX`) as one change group with every
//! statement audited, ids, `tx list` / `tx status`, and 100k rows streamed
//! into a transaction.
//!
//! Every test has its own `XDG_RUNTIME_DIR` inside its sandbox, so it sees
//! only its own transactions, and ends them (or lets a short timeout end
//! them) so no holder process outlives it.

mod common;
use common::tx::*;
use common::*;

use std::io::Write as _;
use std::time::Duration;

use serde_json::{json, Value};

/// A database with `t (id INTEGER PRIMARY KEY, name TEXT)`.
fn names(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("not rows: {v}"))
        .iter()
        .map(|r| r["name"].as_str().unwrap_or("?").to_string())
        .collect()
}

#[test]
fn writes_are_seen_inside_the_transaction_and_by_others_only_after_commit() {
    let t = Tx::new();
    table(&t, "d.db", "t");
    let id = t.begin("d.db", &["--write", "t", "--timeout", "20s"]);

    let out = ok(&t.run(
        &[
            "tx",
            "exec",
            &id,
            "insert into t (name) values (:name)",
            "-p",
            "name",
            "Alice",
        ],
        None,
    ));
    let v: Value = serde_json::from_str(&out).expect("exec output is JSON");
    assert_eq!(v, json!([{"rows_affected": 1}]));

    // Its own exec sees the row.
    assert_eq!(
        t.exec(&id, "select id, name from t"),
        json!([{"id": 1, "name": "Alice"}])
    );
    // Another process does not: `query`, a plain reader.
    assert_eq!(t.query("d.db", "select * from t"), json!([]));
    assert_eq!(count(&t.db("d.db"), "select count(*) from t"), 0);

    ok(&t.run(&["tx", "commit", &id], None));

    assert_eq!(
        t.query("d.db", "select id, name from t"),
        json!([{"id": 1, "name": "Alice"}])
    );
    assert_eq!(
        rows(&t.db("d.db"), "select id, name from t"),
        vec![json!({"id": 1, "name": "Alice"})]
    );
    // A committed transaction is gone.
    fails(&t.run(&["tx", "exec", &id, "select 1"], None), 4);
    fails(&t.run(&["tx", "commit", &id], None), 4);
}

#[test]
fn a_read_only_transaction_reads_while_another_holds_the_write_lock() {
    let t = Tx::new();
    table(&t, "d.db", "t");
    ok(&t.run(&["insert", "d.db", "t", "name=old"], None));
    let w = t.begin("d.db", &["--write", "t", "--timeout", "20s"]);
    let r = t.begin("d.db", &["--read", "t", "--timeout", "20s"]);
    assert_ne!(w, r, "two transactions got the same id");
    t.exec(&w, "insert into t (name) values ('new')");
    // The reader does not see the writer's uncommitted row.
    assert_eq!(names(&t.exec(&r, "select name from t")), vec!["old"]);
    ok(&t.run(&["tx", "commit", &w], None));
    // Nor, in its snapshot, the committed one.
    assert_eq!(names(&t.exec(&r, "select name from t")), vec!["old"]);
    ok(&t.run(&["tx", "commit", &r], None));
    assert_eq!(count(&t.db("d.db"), "select count(*) from t"), 2);
}

#[test]
fn rollback_discards_and_later_commands_on_the_id_are_not_found() {
    let t = Tx::new();
    table(&t, "d.db", "t");
    let groups = count(&t.db("d.db"), "select count(*) from _litewrite_groups");
    let id = t.begin("d.db", &["--write", "t", "--timeout", "20s"]);
    t.exec(&id, "insert into t (name) values ('Alice'), ('Bob')");
    ok(&t.run(&["insert", "--tx", &id, "d.db", "t", "name=Carol"], None));
    assert_eq!(
        t.exec(&id, "select count(*) as n from t"),
        json!([{"n": 3}])
    );

    ok(&t.run(&["tx", "rollback", &id], None));

    assert_eq!(count(&t.db("d.db"), "select count(*) from t"), 0);
    assert_eq!(
        count(&t.db("d.db"), "select count(*) from _litewrite_groups"),
        groups,
        "a rolled-back transaction left a change group"
    );
    for args in [
        vec!["tx", "exec", &id, "select 1"],
        vec!["tx", "commit", &id],
        vec!["tx", "rollback", &id],
        vec!["tx", "status", &id],
        vec!["tx", "savepoint", &id, "a"],
        vec!["insert", "--tx", &id, "d.db", "t", "name=Dan"],
    ] {
        let err = fails(&t.run(&args, None), 4);
        assert!(
            err.contains(&id),
            "{args:?}: error does not name the id: {err}"
        );
    }
    assert_eq!(count(&t.db("d.db"), "select count(*) from t"), 0);
    assert!(t.listed().is_empty());
}

#[test]
fn table_lists_deny_unlisted_reads_and_writes_to_read_only_tables() {
    let t = Tx::new();
    table(&t, "d.db", "r");
    table(&t, "d.db", "w");
    table(&t, "d.db", "other");
    ok(&t.run(&["insert", "d.db", "r", "name=ro"], None));
    ok(&t.run(&["insert", "d.db", "other", "name=secret"], None));
    let id = t.begin("d.db", &["--read", "r", "--write", "w", "--timeout", "20s"]);

    // Listed tables: r readable, w readable and writable.
    assert_eq!(names(&t.exec(&id, "select name from r")), vec!["ro"]);
    t.exec(&id, "insert into w (name) values ('kept')");
    assert_eq!(names(&t.exec(&id, "select name from w")), vec!["kept"]);
    // The schema is readable.
    let master = t.exec(
        &id,
        "select name from sqlite_master where type = 'table' order by name",
    );
    let tables = names(&master);
    for name in ["other", "r", "w"] {
        assert!(tables.contains(&name.to_string()), "{master}");
    }

    // An unlisted table can not be read, not even through a subquery or join.
    for sql in [
        "select * from other",
        "select name from r where id in (select id from other)",
        "select count(*) from w join other using (id)",
    ] {
        let err = fails(&t.run(&["tx", "exec", &id, sql], None), 3);
        assert!(err.contains("other"), "{sql}: {err}");
    }
    // A --read table can not be written, an unlisted one neither.
    for sql in [
        "insert into r (name) values ('x')",
        "update r set name = 'x'",
        "delete from r",
        "insert into other (name) values ('x')",
        "insert into w (name) select name from other",
        "drop table r",
        "create table newt (a)",
    ] {
        fails(&t.run(&["tx", "exec", &id, sql], None), 3);
    }
    fails(
        &t.run(&["insert", "--tx", &id, "d.db", "r", "name=x"], None),
        3,
    );
    fails(
        &t.run(&["update", "--tx", &id, "d.db", "r", "1", "name=x"], None),
        3,
    );
    // ATTACH is always denied.
    let err = fails(
        &t.run(&["tx", "exec", &id, "attach 'other.db' as o"], None),
        3,
    );
    assert!(err.to_lowercase().contains("attach"), "{err}");
    assert!(!t.s.path("other.db").exists(), "ATTACH created a file");

    // The denials did not end the transaction or undo its earlier write.
    assert_eq!(names(&t.exec(&id, "select name from w")), vec!["kept"]);
    ok(&t.run(&["tx", "commit", &id], None));
    assert_eq!(
        rows(&t.db("d.db"), "select name from w"),
        vec![json!({"name": "kept"})]
    );
    assert_eq!(
        rows(&t.db("d.db"), "select name from r"),
        vec![json!({"name": "ro"})]
    );
    assert_eq!(
        rows(&t.db("d.db"), "select name from other"),
        vec![json!({"name": "secret"})]
    );
}

#[test]
fn read_only_transaction_can_read_but_not_write() {
    let t = Tx::new();
    table(&t, "d.db", "r");
    ok(&t.run(&["insert", "d.db", "r", "name=ro"], None));
    let id = t.begin("d.db", &["--read", "r", "--timeout", "20s"]);
    let busy = [("LITEWRITE_BUSY_TIMEOUT_MS", "3000")];
    // A read-only transaction does not hold the write lock...
    ok(&t.run_env(&busy, &["insert", "d.db", "r", "name=outside1"], None));
    // ...and reads its snapshot, taken at begin.
    assert_eq!(names(&t.exec(&id, "select name from r")), vec!["ro"]);
    // Reading did not make it a writer either.
    ok(&t.run_env(&busy, &["insert", "d.db", "r", "name=outside2"], None));
    assert_eq!(names(&t.exec(&id, "select name from r")), vec!["ro"]);
    fails(
        &t.run(
            &["tx", "exec", &id, "insert into r (name) values ('x')"],
            None,
        ),
        3,
    );
    fails(
        &t.run(&["insert", "--tx", &id, "d.db", "r", "name=x"], None),
        3,
    );
    ok(&t.run(&["tx", "commit", &id], None));
    assert_eq!(
        rows(&t.db("d.db"), "select name from r order by id"),
        vec![
            json!({"name": "ro"}),
            json!({"name": "outside1"}),
            json!({"name": "outside2"})
        ]
    );
}

#[test]
fn attach_is_denied_even_without_table_lists() {
    let t = Tx::new();
    table(&t, "d.db", "t");
    let id = t.begin("d.db", &["--timeout", "20s"]);
    // No lists: every table is open.
    t.exec(&id, "insert into t (name) values ('a')");
    fails(&t.run(&["tx", "exec", &id, "attach 'x.db' as x"], None), 3);
    fails(
        &t.run(
            &["tx", "exec", &id, "attach database 'file:x.db' as x"],
            None,
        ),
        3,
    );
    assert!(!t.s.path("x.db").exists());
    ok(&t.run(&["tx", "commit", &id], None));
    assert_eq!(count(&t.db("d.db"), "select count(*) from t"), 1);
}

#[test]
fn savepoints_rollback_to_release_and_their_errors() {
    let t = Tx::new();
    table(&t, "d.db", "t");
    let id = t.begin("d.db", &["--write", "t", "--timeout", "20s"]);
    t.exec(&id, "insert into t (name) values ('a')");

    ok(&t.run(&["tx", "savepoint", &id, "sp1"], None));
    let err = fails(&t.run(&["tx", "savepoint", &id, "sp1"], None), 5);
    assert!(err.contains("sp1"), "{err}");
    let status = t.json(&["tx", "status", &id, "--json"]);
    assert_eq!(status["tx"]["savepoints"], json!(["sp1"]), "{status}");

    t.exec(&id, "insert into t (name) values ('b')");
    ok(&t.run(&["insert", "--tx", &id, "d.db", "t", "name=b2"], None));
    t.exec(&id, "update t set name = 'A' where name = 'a'");
    assert_eq!(
        names(&t.exec(&id, "select name from t order by id")),
        vec!["A", "b", "b2"]
    );

    // rollback-to undoes everything since the savepoint, which stays.
    ok(&t.run(&["tx", "rollback-to", &id, "sp1"], None));
    assert_eq!(
        names(&t.exec(&id, "select name from t order by id")),
        vec!["a"]
    );
    let status = t.json(&["tx", "status", &id, "--json"]);
    assert_eq!(status["tx"]["savepoints"], json!(["sp1"]), "{status}");

    // A nested savepoint, rolled back to the outer one, is gone.
    t.exec(&id, "insert into t (name) values ('c')");
    ok(&t.run(&["tx", "savepoint", &id, "sp2"], None));
    t.exec(&id, "insert into t (name) values ('d')");
    ok(&t.run(&["tx", "rollback-to", &id, "sp1"], None));
    fails(&t.run(&["tx", "rollback-to", &id, "sp2"], None), 4);
    assert_eq!(
        names(&t.exec(&id, "select name from t order by id")),
        vec!["a"]
    );

    t.exec(&id, "insert into t (name) values ('e')");
    // release keeps the changes and forgets the savepoint.
    ok(&t.run(&["tx", "release", &id, "sp1"], None));
    let err = fails(&t.run(&["tx", "release", &id, "sp1"], None), 4);
    assert!(err.contains("sp1"), "{err}");
    fails(&t.run(&["tx", "release", &id, "nosuch"], None), 4);
    fails(&t.run(&["tx", "rollback-to", &id, "nosuch"], None), 4);
    let status = t.json(&["tx", "status", &id, "--json"]);
    assert_eq!(status["tx"]["savepoints"], json!([]), "{status}");
    // The name can be used again.
    ok(&t.run(&["tx", "savepoint", &id, "sp1"], None));

    assert_eq!(
        names(&t.exec(&id, "select name from t order by id")),
        vec!["a", "e"]
    );
    assert_eq!(count(&t.db("d.db"), "select count(*) from t"), 0);
    ok(&t.run(&["tx", "commit", &id], None));
    assert_eq!(
        rows(&t.db("d.db"), "select name from t order by id"),
        vec![json!({"name": "a"}), json!({"name": "e"})]
    );
}

#[test]
fn the_sixth_transaction_on_a_database_is_busy() {
    let t = Tx::new();
    table(&t, "d.db", "t");
    table(&t, "e.db", "t");
    let ids: Vec<String> = (0..5)
        .map(|_| t.begin("d.db", &["--read", "t", "--timeout", "20s"]))
        .collect();
    let err = fails(
        &t.run(
            &["tx", "begin", "d.db", "--read", "t", "--timeout", "20s"],
            None,
        ),
        6,
    );
    assert!(err.contains("d.db"), "{err}");
    let out = t.run(
        &[
            "--json",
            "tx",
            "begin",
            "d.db",
            "--read",
            "t",
            "--timeout",
            "20s",
        ],
        None,
    );
    fails(&out, 6);
    // The limit is per database; the refused begins left nothing open.
    let other = t.begin("e.db", &["--read", "t", "--timeout", "20s"]);
    assert_eq!(t.listed().len(), 6);
    // Ending one frees its slot.
    ok(&t.run(&["tx", "rollback", &ids[0]], None));
    let again = t.begin("d.db", &["--read", "t", "--timeout", "20s"]);
    fails(
        &t.run(
            &["tx", "begin", "d.db", "--read", "t", "--timeout", "20s"],
            None,
        ),
        6,
    );
    for id in ids[1..].iter().chain([&other, &again]) {
        ok(&t.run(&["tx", "rollback", id], None));
    }
    assert!(t.listed().is_empty());
}

#[test]
fn max_transactions_in_the_config_makes_the_third_busy() {
    let t = Tx::new();
    table(&t, "d.db", "t");
    t.s.config("max-transactions = 2\n");
    let a = t.begin("d.db", &["--read", "t", "--timeout", "20s"]);
    let b = t.begin("d.db", &["--read", "t", "--timeout", "20s"]);
    fails(
        &t.run(
            &["tx", "begin", "d.db", "--read", "t", "--timeout", "20s"],
            None,
        ),
        6,
    );
    ok(&t.run(&["tx", "commit", &a], None));
    let c = t.begin("d.db", &["--read", "t", "--timeout", "20s"]);
    fails(
        &t.run(
            &["tx", "begin", "d.db", "--read", "t", "--timeout", "20s"],
            None,
        ),
        6,
    );
    ok(&t.run(&["tx", "rollback", &b], None));
    ok(&t.run(&["tx", "rollback", &c], None));
}

#[test]
fn joined_commands_land_at_commit_as_one_change_group_and_every_statement_is_audited() {
    let t = Tx::new();
    table(&t, "d.db", "t");
    let db = t.db("d.db");
    let groups_before = count(&db, "select coalesce(max(id), 0) from _litewrite_groups");
    t.s.write(
        "rows.ndjson",
        "{\"id\": 1, \"name\": \"a\"}\n{\"id\": 2, \"name\": \"b\"}\n\n{\"id\": 3, \"name\": \"c\"}\n",
    );
    let id = t.begin("d.db", &["--write", "t", "--timeout", "20s"]);

    // A file, the environment variable, rows on stdin (no FILE, and `-`).
    ok(&t.run(&["insert", "--tx", &id, "d.db", "t", "rows.ndjson"], None));
    ok(&t.run_env(
        &[("LITEWRITE_TX", &id)],
        &["update", "d.db", "t", "1", "name=x"],
        None,
    ));
    ok(&t.run(
        &["insert", "--tx", &id, "d.db", "t"],
        Some("{\"id\": 4, \"name\": \"d\"}\n{\"id\": 5, \"name\": \"e\"}\n"),
    ));
    ok(&t.run(
        &["insert", "--tx", &id, "d.db", "t", "-"],
        Some("[{\"id\": 6, \"name\": \"f\"}]"),
    ));

    // Nothing is visible outside yet, and no group or audit entry exists.
    assert_eq!(count(&db, "select count(*) from t"), 0);
    assert_eq!(t.query("d.db", "select * from t"), json!([]));
    assert_eq!(
        count(&db, "select coalesce(max(id), 0) from _litewrite_groups"),
        groups_before
    );
    assert_eq!(
        count(
            &db,
            &format!("select count(*) from _litewrite_audit where tx = '{id}'")
        ),
        0
    );
    // Inside, all of it is.
    assert_eq!(
        names(&t.exec(&id, "select name from t order by id")),
        vec!["x", "b", "c", "d", "e", "f"]
    );

    ok(&t.run(&["tx", "commit", &id], None));

    assert_eq!(
        rows(&db, "select id, name from t order by id"),
        vec![
            json!({"id": 1, "name": "x"}),
            json!({"id": 2, "name": "b"}),
            json!({"id": 3, "name": "c"}),
            json!({"id": 4, "name": "d"}),
            json!({"id": 5, "name": "e"}),
            json!({"id": 6, "name": "f"}),
        ]
    );
    // One new group, carrying the transaction id, holding every change.
    let groups = rows(
        &db,
        &format!("select id, tx, actor from _litewrite_groups where id > {groups_before}"),
    );
    assert_eq!(groups.len(), 1, "expected one change group: {groups:?}");
    assert_eq!(groups[0]["tx"], json!(id));
    assert_eq!(groups[0]["actor"], json!("tester"));
    let group = groups[0]["id"].as_i64().unwrap();
    let changes = rows(
        &db,
        &format!("select tbl from _litewrite_changes where group_id = {group} order by id"),
    );
    assert!(
        changes.iter().all(|c| c["tbl"] == json!("t")),
        "{changes:?}"
    );
    assert_eq!(
        row_changes(&db, group),
        [("insert".to_string(), 6), ("update".to_string(), 1)].into(),
        "{changes:?}"
    );
    // No change went to another group.
    assert_eq!(
        count(
            &db,
            &format!("select count(*) from _litewrite_changes where group_id > {groups_before} and group_id != {group}")
        ),
        0
    );

    // Every statement is audited with the transaction id.
    let audit = rows(
        &db,
        &format!("select event, tbl, rows, outcome, group_id, actor from _litewrite_audit where tx = '{id}' and coalesce(sql, '') not like 'select%' order by id"),
    );
    let events: Vec<&str> = audit.iter().map(|a| a["event"].as_str().unwrap()).collect();
    assert_eq!(
        events,
        vec!["insert-rows", "update-row", "insert-rows", "insert-rows"],
        "{audit:?}"
    );
    assert!(
        audit.iter().all(|a| a["outcome"] == json!("ok")),
        "{audit:?}"
    );
    assert!(audit.iter().all(|a| a["tbl"] == json!("t")), "{audit:?}");
    assert!(
        audit.iter().all(|a| a["actor"] == json!("tester")),
        "{audit:?}"
    );
    let row_counts: Vec<i64> = audit.iter().map(|a| a["rows"].as_i64().unwrap()).collect();
    assert_eq!(row_counts, vec![3, 1, 2, 1], "{audit:?}");
    // `show` of the group lists the changes too.
    let show = t.json(&["show", "d.db", &group.to_string(), "--json"]);
    assert!(show.to_string().contains("\"x\""), "{show}");
    ok(&t.run(&["audit", "verify", "d.db"], None));
}

#[test]
fn tx_exec_statements_are_one_group_and_audited_too() {
    let t = Tx::new();
    table(&t, "d.db", "t");
    let db = t.db("d.db");
    let groups_before = count(&db, "select coalesce(max(id), 0) from _litewrite_groups");
    let id = t.begin("d.db", &["--write", "t", "--timeout", "20s"]);
    ok(&t.run(
        &[
            "tx",
            "exec",
            &id,
            "insert into t (name) values (:name)",
            "-p",
            "name",
            "Alice",
        ],
        None,
    ));
    t.exec(&id, "update t set name = 'Alicia'");
    t.exec(&id, "select * from t");
    ok(&t.run(&["tx", "commit", &id], None));
    let groups = rows(
        &db,
        &format!("select id, tx from _litewrite_groups where id > {groups_before}"),
    );
    assert_eq!(groups.len(), 1, "{groups:?}");
    assert_eq!(groups[0]["tx"], json!(id));
    let group = groups[0]["id"].as_i64().unwrap();
    assert_eq!(
        row_changes(&db, group),
        [("insert".to_string(), 1), ("update".to_string(), 1)].into()
    );
    let audit = rows(
        &db,
        &format!("select event, sql, params, outcome from _litewrite_audit where tx = '{id}' order by id"),
    );
    let writes: Vec<&Value> = audit
        .iter()
        .filter(|a| a["sql"].as_str().is_some_and(|s| !s.starts_with("select")))
        .collect();
    assert_eq!(writes.len(), 2, "{audit:?}");
    assert!(
        writes.iter().all(|a| a["event"] == json!("execute-sql")),
        "{audit:?}"
    );
    assert!(
        writes.iter().all(|a| a["outcome"] == json!("ok")),
        "{audit:?}"
    );
    assert!(
        writes[0]["params"].to_string().contains("Alice"),
        "{audit:?}"
    );
}

#[test]
fn a_denied_statement_in_a_rolled_back_transaction_stays_in_the_audit_log() {
    let t = Tx::new();
    table(&t, "d.db", "t");
    table(&t, "d.db", "other");
    let db = t.db("d.db");
    let id = t.begin("d.db", &["--write", "t", "--timeout", "20s"]);
    t.exec(&id, "insert into t (name) values ('kept-until-rollback')");
    fails(
        &t.run(
            &["tx", "exec", &id, "insert into other (name) values ('no')"],
            None,
        ),
        3,
    );
    fails(
        &t.run(&["insert", "--tx", &id, "d.db", "other", "name=no"], None),
        3,
    );
    ok(&t.run(&["tx", "rollback", &id], None));

    assert_eq!(count(&db, "select count(*) from t"), 0);
    assert_eq!(count(&db, "select count(*) from other"), 0);
    let audit = rows(
        &db,
        &format!("select event, tbl, sql, outcome, error from _litewrite_audit where tx = '{id}' order by id"),
    );
    let denied: Vec<&Value> = audit
        .iter()
        .filter(|a| a["outcome"] == json!("denied"))
        .collect();
    assert_eq!(
        denied.len(),
        2,
        "both denied statements are audited: {audit:?}"
    );
    assert!(
        denied[0]["sql"].as_str().unwrap_or("").contains("other"),
        "{audit:?}"
    );
    assert_eq!(denied[0]["event"], json!("execute-sql"), "{audit:?}");
    assert_eq!(denied[1]["event"], json!("insert-rows"), "{audit:?}");
    assert_eq!(denied[1]["tbl"], json!("other"), "{audit:?}");
    assert!(
        denied
            .iter()
            .all(|a| a["error"].as_str().is_some_and(|e| e.contains("other"))),
        "{audit:?}"
    );
    // The rolled-back write left no "ok" entry behind.
    assert!(
        audit.iter().all(|a| a["outcome"] != json!("ok")),
        "{audit:?}"
    );
    ok(&t.run(&["audit", "verify", "d.db"], None));
}

#[test]
fn malformed_and_unknown_ids_are_not_found() {
    let t = Tx::new();
    table(&t, "d.db", "t");
    let real = t.begin("d.db", &["--write", "t", "--timeout", "20s"]);
    let unknown = "0123456789abcdef0123456789abcdef";
    assert_ne!(real, unknown);
    let upper = real.to_uppercase();
    let long = format!("{real}0");
    for id in [
        "../../x",
        "../run/litewrite/lock",
        "",
        unknown,
        upper.as_str(),
        long.as_str(),
        &real[..31],
    ] {
        fails(&t.run(&["tx", "exec", id, "select 1"], None), 4);
        fails(&t.run(&["tx", "status", id], None), 4);
        fails(&t.run(&["tx", "commit", id], None), 4);
        fails(
            &t.run(&["insert", "--tx", id, "d.db", "t", "name=x"], None),
            4,
        );
        fails(
            &t.run_env(
                &[("LITEWRITE_TX", id)],
                &["insert", "d.db", "t", "name=x"],
                None,
            ),
            4,
        );
    }
    // None of that reached the real transaction or the database.
    assert_eq!(
        t.exec(&real, "select count(*) as n from t"),
        json!([{"n": 0}])
    );
    ok(&t.run(&["tx", "rollback", &real], None));
    assert_eq!(count(&t.db("d.db"), "select count(*) from t"), 0);
}

#[test]
fn list_and_status_show_the_open_transactions() {
    let t = Tx::new();
    table(&t, "d.db", "t");
    table(&t, "d.db", "u");
    assert_eq!(t.json(&["tx", "list", "--json"])["transactions"], json!([]));
    let w = t.begin("d.db", &["--write", "t", "--read", "u", "--timeout", "20s"]);
    let r = t.begin("d.db", &["--read", "u", "--timeout", "15s"]);
    let canonical = t.db("d.db").canonicalize().unwrap();

    let list = t.json(&["tx", "list", "--json"]);
    assert_eq!(list["ok"], json!(true));
    let txs = list["transactions"].as_array().expect("transactions");
    assert_eq!(txs.len(), 2, "{list}");
    let find = |id: &str| -> &Value {
        txs.iter()
            .find(|x| x["id"] == json!(id))
            .unwrap_or_else(|| panic!("{id} not in {list}"))
    };
    let lw = find(&w);
    assert_eq!(lw["database"], json!(canonical), "{list}");
    assert_eq!(lw["write"], json!(["t"]), "{list}");
    assert_eq!(lw["read"], json!(["u"]), "{list}");
    assert_eq!(lw["actor"], json!("tester"), "{list}");
    let left = lw["seconds_left"].as_f64().expect("seconds_left");
    assert!(left > 10.0 && left <= 20.0, "{list}");
    let lr = find(&r);
    assert_eq!(lr["read"], json!(["u"]), "{list}");
    assert_eq!(lr["write"], json!([]), "{list}");

    let status = t.json(&["tx", "status", &w, "--json"]);
    assert_eq!(status["ok"], json!(true), "{status}");
    let st = &status["tx"];
    assert_eq!(st["id"], json!(w), "{status}");
    assert_eq!(st["database"], json!(canonical), "{status}");
    assert_eq!(st["write"], json!(["t"]), "{status}");
    assert_eq!(st["read"], json!(["u"]), "{status}");
    assert_eq!(st["actor"], json!("tester"), "{status}");
    assert!(st["pid"].as_u64().is_some_and(|p| p > 0), "{status}");
    assert_eq!(st["pid"], lw["pid"], "{status} vs {list}");
    let left = st["seconds_left"].as_f64().expect("seconds_left");
    assert!(left > 10.0 && left <= 20.0, "{status}");
    assert_eq!(st["savepoints"], json!([]), "{status}");

    // The table form names the transaction too.
    let table = ok(&t.run(&["tx", "list"], None));
    assert!(table.contains(&w) && table.contains(&r), "{table}");
    let table = ok(&t.run(&["tx", "status", &r], None));
    assert!(table.contains(&r), "{table}");

    ok(&t.run(&["tx", "commit", &w], None));
    // Once `tx commit` has returned, the transaction is no longer open.
    assert_eq!(
        t.listed(),
        vec![r.clone()],
        "tx list right after `tx commit {w}` returned"
    );
    ok(&t.run(&["tx", "rollback", &r], None));
    assert!(
        t.listed().is_empty(),
        "tx list right after `tx rollback {r}` returned"
    );
    // Nothing left in the socket directory but its lock.
    let left: Vec<String> = std::fs::read_dir(t.sock_dir())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(&w) || n.contains(&r))
        .collect();
    assert!(left.is_empty(), "files left behind: {left:?}");
}

#[test]
fn begin_refuses_a_missing_database_and_a_bad_timeout() {
    let t = Tx::new();
    table(&t, "d.db", "t");
    fails(&t.run(&["tx", "begin", "missing.db"], None), 4);
    assert!(!t.s.path("missing.db").exists());
    fails(
        &t.run(&["tx", "begin", "d.db", "--timeout", "soon"], None),
        2,
    );
    fails(&t.run(&["tx", "begin", "d.db", "--timeout", "0s"], None), 2);
    assert!(t.listed().is_empty());
}

#[test]
fn a_hundred_thousand_rows_streamed_into_a_transaction_land_at_commit() {
    const N: usize = 100_000;
    let t = Tx::new();
    ok(&t.run(
        &[
            "create",
            "d.db",
            "t",
            "id:integer",
            "name:text",
            "v:integer",
            "--pk",
            "id",
        ],
        None,
    ));
    let db = t.db("d.db");
    let groups_before = count(&db, "select coalesce(max(id), 0) from _litewrite_groups");
    {
        let f = std::fs::File::create(t.s.path("big.ndjson")).unwrap();
        let mut w = std::io::BufWriter::new(f);
        for i in 1..=N {
            writeln!(w, "{{\"id\":{i},\"name\":\"n{i}\",\"v\":{}}}", i * 2).unwrap();
        }
        w.flush().unwrap();
    }
    let id = t.begin("d.db", &["--write", "t", "--timeout", "60s"]);
    let mut c = t.cmd();
    c.args(["insert", "--tx", &id, "d.db", "t", "big.ndjson"])
        .timeout(Duration::from_secs(50));
    ok(&c.output().unwrap());
    assert_eq!(count(&db, "select count(*) from t"), 0);
    assert_eq!(
        t.exec(&id, "select count(*) as n, sum(v) as s from t"),
        json!([{"n": N, "s": (N * (N + 1)) as i64}])
    );
    ok(&t.run(&["tx", "commit", &id], None));
    assert_eq!(count(&db, "select count(*) from t"), N as i64);
    assert_eq!(
        rows(
            &db,
            "select id, name, v from t where id in (1, 100000) order by id"
        ),
        vec![
            json!({"id": 1, "name": "n1", "v": 2}),
            json!({"id": 100000, "name": "n100000", "v": 200000}),
        ]
    );
    let groups = rows(
        &db,
        &format!("select id, tx from _litewrite_groups where id > {groups_before}"),
    );
    assert_eq!(groups.len(), 1, "{groups:?}");
    assert_eq!(groups[0]["tx"], json!(id));
    assert_eq!(
        row_changes(&db, groups[0]["id"].as_i64().unwrap()),
        [("insert".to_string(), N as i64)].into()
    );
    let audit = rows(
        &db,
        &format!(
            "select event, rows from _litewrite_audit where tx = '{id}' and event = 'insert-rows'"
        ),
    );
    assert_eq!(audit, vec![json!({"event": "insert-rows", "rows": N})]);
}

/// With table lists, a listed table can be renamed to a name given with
/// --create (SQLite's rename also rewrites sqlite_temp_master, which is
/// schema, not a table to list) and a new table made in its place; the
/// transaction is one group that undo reverts exactly. A TEMP object, which
/// would outlive the request on the holder's connection, is denied by name.
#[test]
fn rename_and_recreate_inside_a_listed_transaction_commits_and_undoes() {
    let t = Tx::new();
    let db = t.db("r.db");
    sqlite3(
        &db,
        "create table t (id integer primary key, v text); insert into t values (1, 'a'), (2, 'b');
         create index t_v on t (v);",
    );
    let before = user_state(&db);
    let id = t.begin("r.db", &["--write", "t", "--create", "t_old"]);
    t.exec(&id, "alter table t rename to t_old");
    ok(&t.run(
        &[
            "create",
            "--tx",
            &id,
            "r.db",
            "t",
            "id:integer",
            "z:text",
            "--pk",
            "id",
        ],
        None,
    ));
    ok(&t.run(
        &["insert", "--tx", &id, "r.db", "t", "id:=1", "z=new"],
        None,
    ));
    for sql in [
        "create temp table tt (x)",
        "create temp view tv as select 1",
    ] {
        let err = fails(&t.run(&["tx", "exec", &id, sql], None), 3);
        assert!(err.contains("TEMP object on \"t"), "{sql}: {err}");
    }
    ok(&t.run(&["tx", "commit", &id], None));
    // Without lists too: a TEMP table would shadow "t", and what later
    // requests wrote to it would never be committed.
    let id2 = t.begin("r.db", &[]);
    for sql in [
        "create temp table t (id integer primary key, z text)",
        "create table temp.x (a)",
    ] {
        let err = fails(&t.run(&["tx", "exec", &id2, sql], None), 3);
        assert!(err.contains("TEMP object on"), "{sql}: {err}");
    }
    t.exec(&id2, "insert into t values (2, 'kept')");
    ok(&t.run(&["tx", "commit", &id2], None));
    assert_eq!(sqlite3(&db, "select id, z from t"), "1|new\n2|kept\n");
    ok(&t.run(&["delete", "r.db", "t", "2"], None));
    assert_eq!(sqlite3(&db, "select id, v from t_old"), "1|a\n2|b\n");
    let first = count(
        &db,
        "select id from _litewrite_groups where tx is not null order by id limit 1",
    )
    .to_string();
    ok(&t.run(&["undo", "r.db", &first], None));
    assert_eq!(user_state(&db), before);
}

/// `prune` given --tx (or LITEWRITE_TX) joins the transaction like every
/// other write: rolled back with it, kept with its commit, and a
/// transaction that does not exist is not found; it used to run on its
/// own, outside the transaction, whatever --tx said.
#[test]
fn prune_joins_the_transaction_it_is_given() {
    let t = Tx::new();
    let db = t.db("p.db");
    for v in ["1", "2", "3"] {
        ok(&t.run(&["insert", "p.db", "t", &format!("a:={v}")], None));
    }
    let groups = || count(&db, "select count(*) from _litewrite_groups");
    let missing = fails(
        &t.run(
            &[
                "prune",
                "--tx",
                "0123456789abcdef0123456789abcdef",
                "p.db",
                "--keep",
                "1",
            ],
            None,
        ),
        4,
    );
    assert!(missing.contains("does not exist"), "{missing}");
    assert_eq!(groups(), 3);
    let id = t.begin("p.db", &["--write", "t"]);
    ok(&t.run(&["prune", "--tx", &id, "p.db", "--keep", "1"], None));
    assert_eq!(
        groups(),
        3,
        "a prune inside a transaction is not seen outside it"
    );
    ok(&t.run(&["tx", "rollback", &id], None));
    assert_eq!(groups(), 3);
    let id = t.begin("p.db", &["--write", "t"]);
    ok(&t.run_env(
        &[("LITEWRITE_TX", &id)],
        &["prune", "p.db", "--keep", "1", "--audit"],
        None,
    ));
    assert_eq!(groups(), 3);
    ok(&t.run(&["tx", "commit", &id], None));
    assert_eq!(groups(), 1);
    ok(&t.run(&["audit", "verify", "p.db"], None));
}

/// The schema table may be named in --read (it is readable anyway), not
/// reported as a missing table; naming it to write is a usage error that
/// says why, not a hint to --create it.
#[test]
fn the_schema_table_is_readable_by_name_and_never_listed_to_write() {
    let t = Tx::new();
    let db = t.db("s.db");
    sqlite3(
        &db,
        "create table t (id integer primary key); insert into t values (1);",
    );
    let id = t.begin("s.db", &["--read", "sqlite_master", "--read", "t"]);
    assert_eq!(
        t.exec(&id, "select count(*) n from sqlite_master where name = 't'"),
        serde_json::json!([{"n": 1}])
    );
    ok(&t.run(&["tx", "rollback", &id], None));
    for args in [
        &["tx", "begin", "s.db", "--write", "sqlite_master"][..],
        &["tx", "begin", "s.db", "--create", "SQLITE_SCHEMA"][..],
    ] {
        let err = fails(&t.run(args, None), 2);
        assert!(
            err.contains("the schema table can not be listed to write"),
            "{args:?}: {err}"
        );
    }
    assert!(t.listed().is_empty());
}
