//! The audit-log wrapper and the wrapper chain as plugins.toml lists it:
//! entries per statement-level event, their fields, denied and failed
//! attempts, the JSON-lines file, `litewrite audit` and its filters,
//! `audit verify` against tampering done with the sqlite3 shell, and the
//! versioning of the tool's tables.

mod common;
use common::*;

use std::path::Path;

use serde_json::{json, Value};

/// The audit entries as `litewrite audit DB --json` prints them.
fn audit_json(s: &Sandbox, db: &str, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["audit", db, "--json"];
    args.extend_from_slice(extra);
    let out = ok(&s.run(&args, None));
    serde_json::from_str::<Value>(&out)
        .unwrap_or_else(|e| panic!("audit --json is not JSON ({e}): {out}"))
        .as_array()
        .expect("audit --json prints an array")
        .clone()
}

fn ids(entries: &[Value]) -> Vec<i64> {
    entries
        .iter()
        .map(|e| e["id"].as_i64().expect("id"))
        .collect()
}

/// Number of rows of a `_litewrite_*` table, 0 when it does not exist.
fn count_or_zero(db: &Path, table: &str) -> i64 {
    let exists = count(
        db,
        &format!("select count(*) from sqlite_master where type = 'table' and name = '{table}'"),
    );
    if exists == 0 {
        0
    } else {
        count(db, &format!("select count(*) from {table}"))
    }
}

const AUDIT_THEN_GROUPS: &str =
    "[[wrapper]]\nuse = \"audit-log\"\n\n[[wrapper]]\nuse = \"change-group\"\n";
const GROUPS_THEN_AUDIT: &str =
    "[[wrapper]]\nuse = \"change-group\"\n\n[[wrapper]]\nuse = \"audit-log\"\n";

// ---------------------------------------------------------------------------
// The chain: default, and as plugins.toml lists it
// ---------------------------------------------------------------------------

#[test]
fn without_plugins_toml_the_default_chain_audits_and_records_groups() {
    let s = Sandbox::new();
    assert!(!s.path("plugins.toml").exists());
    let db = s.path("t.db");
    ok(&s.run(
        &[
            "insert",
            "t.db",
            "users",
            "id:=1",
            "name=alice",
            "--pk",
            "id",
        ],
        None,
    ));
    ok(&s.run(&["update", "t.db", "users", "1", "name=bob"], None));

    // Two change groups, one per invocation, each with its row change.
    let groups = rows(
        &db,
        "select id, command, actor from _litewrite_groups order by id",
    );
    assert_eq!(groups.len(), 2, "{groups:?}");
    assert_eq!(groups[0]["command"], "insert");
    assert_eq!(groups[1]["command"], "update");
    assert_eq!(
        count(
            &db,
            &format!(
                "select count(*) from _litewrite_changes where group_id = {} and op = 'update'",
                groups[1]["id"]
            )
        ),
        1
    );

    // Audit entries exist and point at those groups.
    let entries = audit_json(&s, "t.db", &[]);
    let update: Vec<&Value> = entries
        .iter()
        .filter(|e| e["event"] == "update-row")
        .collect();
    assert_eq!(update.len(), 1, "{entries:?}");
    assert_eq!(update[0]["group"], groups[1]["id"]);
    let insert: Vec<&Value> = entries
        .iter()
        .filter(|e| e["event"] == "insert-rows")
        .collect();
    assert_eq!(insert.len(), 1, "{entries:?}");
    assert_eq!(insert[0]["group"], groups[0]["id"]);
}

#[test]
fn only_the_wrappers_plugins_toml_lists_run() {
    // audit-log alone: entries, but no change groups.
    let s = Sandbox::new();
    s.config("[[wrapper]]\nuse = \"audit-log\"\n");
    let db = s.path("t.db");
    ok(&s.run(&["insert", "t.db", "t", "id:=1", "--pk", "id"], None));
    ok(&s.run(&["update", "t.db", "t", "1", "v=x", "--alter"], None));
    assert!(count(&db, "select count(*) from _litewrite_audit") >= 2);
    assert_eq!(count_or_zero(&db, "_litewrite_groups"), 0);
    assert_eq!(count_or_zero(&db, "_litewrite_changes"), 0);
    assert_eq!(
        count(
            &db,
            "select count(*) from _litewrite_audit where group_id is not null"
        ),
        0,
        "no change-group wrapper, so no entry can name a group"
    );

    // change-group alone: groups, but no audit entries.
    let s = Sandbox::new();
    s.config("[[wrapper]]\nuse = \"change-group\"\n");
    let db = s.path("t.db");
    ok(&s.run(&["insert", "t.db", "t", "id:=1", "--pk", "id"], None));
    assert_eq!(count(&db, "select count(*) from _litewrite_groups"), 1);
    assert_eq!(count_or_zero(&db, "_litewrite_audit"), 0);

    // An empty plugins.toml is an empty chain: the write happens, nothing is recorded.
    let s = Sandbox::new();
    s.config("# no wrappers\n");
    let db = s.path("t.db");
    ok(&s.run(&["insert", "t.db", "t", "id:=1", "--pk", "id"], None));
    assert_eq!(count(&db, "select count(*) from t"), 1);
    assert_eq!(count_or_zero(&db, "_litewrite_groups"), 0);
    assert_eq!(count_or_zero(&db, "_litewrite_audit"), 0);
}

#[test]
fn an_unknown_wrapper_in_plugins_toml_is_a_usage_error_and_writes_nothing() {
    let s = Sandbox::new();
    s.config("[[wrapper]]\nuse = \"audit-log\"\n\n[[wrapper]]\nuse = \"audit-logger\"\n");
    let err = fails(&s.run(&["insert", "t.db", "t", "id:=1"], None), 2);
    assert!(err.contains("plugins.toml"), "{err}");
    assert!(err.contains("audit-logger"), "{err}");
    assert!(err.contains("line 5"), "{err}");
    assert!(!s.path("t.db").exists() || count_or_zero(&s.path("t.db"), "t") == 0);
}

#[test]
fn audit_outside_change_group_sees_the_group_only_when_one_was_kept() {
    // Default nesting: audit-log is outermost, so its `after` runs once the
    // inner change-group has decided whether the write made a group.
    let s = Sandbox::new();
    s.config(AUDIT_THEN_GROUPS);
    let db = s.path("t.db");
    ok(&s.run(&["insert", "t.db", "t", "id:=1", "v=a", "--pk", "id"], None));
    // A write that changes no row: no group, and its entry names none.
    ok(&s.run(&["query", "t.db", "update t set v = 'b' where 0"], None));
    let noop = audit_json(&s, "t.db", &[]);
    let last = noop.last().expect("an entry for the no-op write");
    assert_eq!(last["event"], "execute-sql");
    assert_eq!(last["rows"], 0);
    assert_eq!(last["group"], Value::Null, "{last}");
    assert_eq!(count(&db, "select count(*) from _litewrite_groups"), 1);

    // A write that changes a row: the entry names its group.
    ok(&s.run(&["query", "t.db", "update t set v = 'c'"], None));
    let entries = audit_json(&s, "t.db", &[]);
    let last = entries.last().unwrap();
    let newest_group = count(&db, "select max(id) from _litewrite_groups");
    assert_eq!(last["group"], json!(newest_group));
    assert_eq!(
        rows(
            &db,
            &format!("select command from _litewrite_groups where id = {newest_group}")
        )[0]["command"],
        "query"
    );
}

#[test]
fn audit_entries_name_only_their_own_group_whatever_the_order() {
    for config in [AUDIT_THEN_GROUPS, GROUPS_THEN_AUDIT] {
        let s = Sandbox::new();
        s.config(config);
        let db = s.path("t.db");
        ok(&s.run(&["insert", "t.db", "t", "id:=1", "v=a", "--pk", "id"], None));
        ok(&s.run(
            &[
                "-m",
                "noop",
                "query",
                "t.db",
                "update t set v = 'x' where 0",
            ],
            None,
        ));
        ok(&s.run(&["-m", "real", "insert", "t.db", "t", "id:=2", "v=b"], None));
        // Every group an entry names exists and was made by the same write
        // (same message), never by another one.
        for e in audit_json(&s, "t.db", &[]) {
            if let Some(g) = e["group"].as_i64() {
                let found = rows(
                    &db,
                    &format!("select message from _litewrite_groups where id = {g}"),
                );
                assert_eq!(
                    found.len(),
                    1,
                    "config {config:?}: entry {} names group {g}, which does not exist",
                    e["id"]
                );
                assert_eq!(
                    found[0]["message"], e["message"],
                    "config {config:?}: entry {} ({}) names group {g} of another write",
                    e["id"], e["event"]
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Entries: events and their fields
// ---------------------------------------------------------------------------

#[test]
fn each_command_is_audited_with_its_datasette_event_name() {
    let s = Sandbox::new();
    let db = s.path("t.db");
    ok(&s.run(
        &[
            "create",
            "t.db",
            "c",
            "id:integer",
            "name:text",
            "--pk",
            "id",
        ],
        None,
    ));
    ok(&s.run(&["insert", "t.db", "c", "id:=1", "name=a"], None));
    ok(&s.run(&["upsert", "t.db", "c", "id:=1", "name=b"], None));
    ok(&s.run(&["update", "t.db", "c", "1", "name=c"], None));
    ok(&s.run(
        &[
            "insert", "t.db", "c", "id:=2", "name=d", "extra=e", "--alter",
        ],
        None,
    ));
    ok(&s.run(&["delete", "t.db", "c", "2"], None));
    ok(&s.run(&["query", "t.db", "update c set name = 'q'"], None));

    let entries = audit_json(&s, "t.db", &[]);
    let events: Vec<&str> = entries
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(
        events,
        vec![
            "create-table",
            "insert-rows",
            "upsert-rows",
            "update-row",
            "alter-table",
            "insert-rows",
            "delete-row",
            "execute-sql"
        ]
    );
    for e in &entries {
        assert_eq!(e["outcome"], "ok", "{e}");
        assert_eq!(e["actor"], "tester", "{e}");
        assert!(
            e["group"].as_i64().is_some(),
            "a successful write names its group: {e}"
        );
    }
    // Each entry is about table c, except raw SQL, which names no table unless known.
    for e in &entries[..7] {
        assert_eq!(e["table"], "c", "{e}");
    }
    // Row counts and keys.
    let by = |i: usize| &entries[i];
    assert_eq!(by(1)["rows"], 1);
    assert_eq!(by(1)["keys"], json!([1]));
    assert_eq!(by(2)["keys"], json!([1]));
    assert_eq!(by(3)["rows"], 1);
    assert_eq!(by(3)["keys"], json!([1]));
    assert_eq!(by(5)["keys"], json!([2]));
    assert_eq!(by(6)["rows"], 1);
    assert_eq!(by(6)["keys"], json!([2]));
    // SQL of schema changes and raw SQL.
    assert!(by(0)["sql"]
        .as_str()
        .unwrap()
        .to_uppercase()
        .contains("CREATE TABLE"));
    assert!(by(4)["sql"]
        .as_str()
        .unwrap()
        .to_uppercase()
        .contains("ADD COLUMN"));
    assert_eq!(by(7)["sql"], "update c set name = 'q'");
    assert_eq!(by(7)["rows"], 1);
    // The entries agree with the table itself, read independently.
    assert_eq!(
        count(&db, "select count(*) from _litewrite_audit"),
        entries.len() as i64
    );
}

#[test]
fn drop_is_audited_as_drop_table() {
    let s = Sandbox::new();
    ok(&s.run(&["insert", "t.db", "gone", "id:=1", "--pk", "id"], None));
    ok(&s.run(&["insert", "t.db", "gone", "id:=2"], None));
    ok(&s.run(&["drop", "t.db", "gone"], None));
    let entries = audit_json(&s, "t.db", &[]);
    let last = entries.last().unwrap();
    assert_eq!(last["event"], "drop-table", "{last}");
    assert_eq!(last["table"], "gone");
    assert_eq!(last["outcome"], "ok");
    assert_eq!(
        count(
            &s.path("t.db"),
            "select count(*) from sqlite_master where name = 'gone'"
        ),
        0
    );
}

#[test]
fn actor_comes_from_the_flag_then_the_environment() {
    let s = Sandbox::new();
    // Sandbox sets LITEWRITE_ACTOR=tester.
    ok(&s.run(&["insert", "t.db", "t", "id:=1", "--pk", "id"], None));
    ok(&run_env(
        &s,
        &[("LITEWRITE_ACTOR", "ci-bot")],
        &["insert", "t.db", "t", "id:=2"],
    ));
    ok(&run_env(
        &s,
        &[("LITEWRITE_ACTOR", "ci-bot")],
        &["--actor", "alice", "insert", "t.db", "t", "id:=3"],
    ));
    ok(&s.run(&["insert", "t.db", "t", "id:=4", "--actor", "bob"], None));
    let entries = audit_json(&s, "t.db", &[]);
    let actor_of_key = |k: i64| -> Vec<String> {
        entries
            .iter()
            .filter(|e| e["keys"] == json!([k]))
            .map(|e| e["actor"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(actor_of_key(1), vec!["tester"]);
    assert_eq!(actor_of_key(2), vec!["ci-bot"]);
    assert_eq!(actor_of_key(3), vec!["alice"]);
    assert_eq!(actor_of_key(4), vec!["bob"]);
    // The change groups carry the same actors.
    let actors: Vec<String> = rows(
        &s.path("t.db"),
        "select actor from _litewrite_groups order by id",
    )
    .iter()
    .map(|r| r["actor"].as_str().unwrap().to_string())
    .collect();
    assert_eq!(actors, vec!["tester", "ci-bot", "alice", "bob"]);
}

#[test]
fn message_is_recorded_in_entries_and_group() {
    let s = Sandbox::new();
    ok(&s.run(&["insert", "t.db", "t", "id:=1", "--pk", "id"], None));
    ok(&s.run(
        &[
            "-m",
            "fix typo in #42",
            "update",
            "t.db",
            "t",
            "1",
            "v=x",
            "--alter",
        ],
        None,
    ));
    let entries = audit_json(&s, "t.db", &[]);
    let with_msg: Vec<&Value> = entries
        .iter()
        .filter(|e| e["message"] == "fix typo in #42")
        .collect();
    let without: Vec<&Value> = entries.iter().filter(|e| e["message"].is_null()).collect();
    assert!(!with_msg.is_empty(), "{entries:?}");
    assert!(with_msg.iter().any(|e| e["event"] == "update-row"));
    assert!(without.iter().all(|e| e["event"] != "update-row"));
    assert_eq!(with_msg.len() + without.len(), entries.len());
    let groups = rows(
        &s.path("t.db"),
        "select message from _litewrite_groups order by id",
    );
    assert_eq!(groups.len(), 2);
    assert_eq!(groups[0]["message"], Value::Null);
    assert_eq!(groups[1]["message"], "fix typo in #42");
}

#[test]
fn parameters_are_logged_unless_log_parameters_is_false() {
    let s = Sandbox::new();
    ok(&s.run(&["insert", "t.db", "t", "id:=1", "v=a", "--pk", "id"], None));
    ok(&s.run(
        &[
            "query",
            "t.db",
            "update t set v = :v where id = :id",
            "-p",
            "v",
            "secret-value",
            "-p",
            "id",
            "1",
        ],
        None,
    ));
    let last = audit_json(&s, "t.db", &[]).pop().unwrap();
    assert_eq!(last["event"], "execute-sql");
    assert_eq!(last["sql"], "update t set v = :v where id = :id");
    assert_eq!(last["params"]["v"], "secret-value", "{last}");
    assert_eq!(last["params"]["id"], "1", "{last}");

    let s = Sandbox::new();
    s.config(
        "[[wrapper]]\nuse = \"audit-log\"\nlog-parameters = false\n\n[[wrapper]]\nuse = \"change-group\"\n",
    );
    ok(&s.run(&["insert", "t.db", "t", "id:=1", "v=a", "--pk", "id"], None));
    ok(&s.run(
        &[
            "query",
            "t.db",
            "update t set v = :v where id = :id",
            "-p",
            "v",
            "secret-value",
            "-p",
            "id",
            "1",
        ],
        None,
    ));
    let entries = audit_json(&s, "t.db", &[]);
    let last = entries.last().unwrap();
    assert_eq!(last["sql"], "update t set v = :v where id = :id");
    assert!(last["params"].is_null(), "{last}");
    // Nowhere in the log, raw.
    assert_eq!(
        count(
            &s.path("t.db"),
            "select count(*) from _litewrite_audit where coalesce(params, '') || coalesce(sql, '') like '%secret-value%'"
        ),
        0
    );
    // The write happened.
    assert_eq!(
        rows(&s.path("t.db"), "select v from t")[0]["v"],
        "secret-value"
    );
}

#[test]
fn time_is_rfc3339_utc_and_litewrite_time_fixes_it() {
    let s = Sandbox::new();
    let before = chrono::Utc::now();
    ok(&s.run(&["insert", "t.db", "t", "id:=1", "--pk", "id"], None));
    let after = chrono::Utc::now();
    for e in audit_json(&s, "t.db", &[]) {
        let text = e["time"].as_str().expect("time");
        let t = chrono::DateTime::parse_from_rfc3339(text)
            .unwrap_or_else(|err| panic!("{text:?} is not RFC 3339: {err}"));
        assert_eq!(t.offset().local_minus_utc(), 0, "{text} is not UTC");
        assert!(text.ends_with('Z'), "{text} is not written as UTC (Z)");
        let t = t.with_timezone(&chrono::Utc);
        assert!(
            t >= before - chrono::Duration::seconds(1) && t <= after + chrono::Duration::seconds(1),
            "{text} is not the time of the write"
        );
    }
    let group_time = rows(&s.path("t.db"), "select time from _litewrite_groups")[0]["time"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        chrono::DateTime::parse_from_rfc3339(&group_time).is_ok(),
        "{group_time}"
    );

    let fixed = "2024-03-05T06:07:08.000000Z";
    ok(&run_env(
        &s,
        &[("LITEWRITE_TIME", fixed)],
        &["insert", "t.db", "t", "id:=2"],
    ));
    let last = audit_json(&s, "t.db", &[]).pop().unwrap();
    assert_eq!(last["time"], fixed);
    assert_eq!(
        rows(
            &s.path("t.db"),
            "select time from _litewrite_groups order by id desc limit 1"
        )[0]["time"],
        fixed
    );
}

// ---------------------------------------------------------------------------
// Denied and failed attempts
// ---------------------------------------------------------------------------

#[test]
fn a_denied_attempt_is_audited_with_its_actor_and_changes_nothing() {
    let s = Sandbox::new();
    s.config(
        "[[wrapper]]\nuse = \"audit-log\"\n\n[[wrapper]]\nuse = \"authorizer\"\nprotect = [\"payroll\"]\n\n[[wrapper]]\nuse = \"change-group\"\n",
    );
    let db = s.path("t.db");
    ok(&s.run(
        &[
            "--actor",
            "admin",
            "--config",
            "/dev/null",
            "insert",
            "t.db",
            "payroll",
            "id:=1",
            "amount:=100",
            "--pk",
            "id",
        ],
        None,
    ));
    let groups_before = count_or_zero(&db, "_litewrite_groups");
    let entries_before = count_or_zero(&db, "_litewrite_audit");

    let err = fails(
        &s.run(
            &[
                "--actor",
                "mallory",
                "-m",
                "sneaky",
                "update",
                "t.db",
                "payroll",
                "1",
                "amount:=1",
            ],
            None,
        ),
        3,
    );
    assert!(err.contains("payroll"), "{err}");
    let err = fails(
        &run_env(
            &s,
            &[("LITEWRITE_ACTOR", "eve")],
            &["query", "t.db", "delete from payroll"],
        ),
        3,
    );
    assert!(err.contains("payroll"), "{err}");

    assert_eq!(rows(&db, "select amount from payroll")[0]["amount"], 100);
    assert_eq!(count(&db, "select count(*) from payroll"), 1);
    assert_eq!(count_or_zero(&db, "_litewrite_groups"), groups_before);

    let entries = audit_json(&s, "t.db", &[]);
    assert_eq!(entries.len() as i64, entries_before + 2, "{entries:?}");
    let mallory = &entries[entries.len() - 2];
    assert_eq!(mallory["actor"], "mallory");
    assert_eq!(mallory["outcome"], "denied");
    assert_eq!(mallory["event"], "update-row");
    assert_eq!(mallory["table"], "payroll");
    assert_eq!(mallory["message"], "sneaky");
    assert!(mallory["group"].is_null());
    assert!(
        mallory["error"].as_str().unwrap_or("").contains("payroll"),
        "{mallory}"
    );
    let eve = &entries[entries.len() - 1];
    assert_eq!(eve["actor"], "eve");
    assert_eq!(eve["outcome"], "denied");
    assert_eq!(eve["event"], "execute-sql");
    assert_eq!(eve["sql"], "delete from payroll");
    // The chain still holds with the denial entries in it.
    ok(&s.run(&["audit", "verify", "t.db"], None));
}

#[test]
fn a_failed_write_is_audited_as_error_and_changes_nothing() {
    let s = Sandbox::new();
    let db = s.path("t.db");
    ok(&s.run(&["insert", "t.db", "t", "id:=1", "v=a", "--pk", "id"], None));
    let groups_before = count(&db, "select count(*) from _litewrite_groups");
    // Second row collides with the first: all or nothing.
    let err = fails(
        &s.run(
            &["insert", "t.db", "t", "-"],
            Some("{\"id\": 2, \"v\": \"b\"}\n{\"id\": 1, \"v\": \"c\"}\n"),
        ),
        1,
    );
    assert!(err.to_lowercase().contains("unique"), "{err}");
    assert_eq!(count(&db, "select count(*) from t"), 1);
    assert_eq!(rows(&db, "select v from t where id = 1")[0]["v"], "a");
    assert_eq!(
        count(&db, "select count(*) from _litewrite_groups"),
        groups_before
    );
    assert_eq!(
        count(
            &db,
            "select count(*) from _litewrite_changes where group_id > 1"
        ),
        0
    );

    let last = audit_json(&s, "t.db", &[]).pop().unwrap();
    assert_eq!(last["outcome"], "error", "{last}");
    assert_eq!(last["event"], "insert-rows");
    assert_eq!(last["table"], "t");
    assert_eq!(last["actor"], "tester");
    assert!(last["group"].is_null());
    assert!(last["error"]
        .as_str()
        .unwrap_or("")
        .to_lowercase()
        .contains("unique"));

    // A failing raw statement too.
    fails(
        &s.run(&["query", "t.db", "insert into t values (1, 'dup')"], None),
        1,
    );
    let last = audit_json(&s, "t.db", &[]).pop().unwrap();
    assert_eq!(last["outcome"], "error");
    assert_eq!(last["event"], "execute-sql");
    assert_eq!(last["sql"], "insert into t values (1, 'dup')");
    ok(&s.run(&["audit", "verify", "t.db"], None));
}

// ---------------------------------------------------------------------------
// The JSON-lines file
// ---------------------------------------------------------------------------

#[test]
fn file_sink_appends_one_json_line_per_entry() {
    let s = Sandbox::new();
    s.config(
        "[[wrapper]]\nuse = \"audit-log\"\nsink = \"table\"\nfile = \"audit.jsonl\"\n\n[[wrapper]]\nuse = \"authorizer\"\nprotect = [\"locked\"]\n\n[[wrapper]]\nuse = \"change-group\"\n",
    );
    let file = s.path("audit.jsonl");
    ok(&s.run(&["insert", "t.db", "t", "id:=1", "--pk", "id"], None));
    let first = std::fs::read_to_string(&file).expect("the audit file exists after a write");
    ok(&s.run(&["-m", "second", "insert", "t.db", "t", "id:=2"], None));
    ok(&s.run(
        &[
            "--actor",
            "admin",
            "--config",
            "/dev/null",
            "insert",
            "t.db",
            "locked",
            "id:=1",
        ],
        None,
    ));
    fails(
        &s.run(
            &["--actor", "mallory", "insert", "t.db", "locked", "id:=2"],
            None,
        ),
        3,
    );
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.starts_with(&first),
        "the file is appended to, not rewritten"
    );
    assert!(text.ends_with('\n'));

    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON line ({e}): {l}")))
        .collect();
    // Entries written while the file was configured (the /dev/null run wrote none to it).
    let table = rows(
        &s.path("t.db"),
        "select id, time, event, actor, message, tbl, rows, outcome, group_id, hash from _litewrite_audit where actor <> 'admin' order by id",
    );
    assert_eq!(lines.len(), table.len(), "{text}");
    for (line, row) in lines.iter().zip(&table) {
        assert_eq!(line["id"], row["id"]);
        assert_eq!(line["time"], row["time"]);
        assert_eq!(line["event"], row["event"]);
        assert_eq!(line["actor"], row["actor"]);
        assert_eq!(line["message"], row["message"]);
        assert_eq!(line["table"], row["tbl"]);
        assert_eq!(line["rows"], row["rows"]);
        assert_eq!(line["outcome"], row["outcome"]);
        assert_eq!(line["group"], row["group_id"]);
        assert_eq!(line["hash"], row["hash"]);
    }
    let last = lines.last().unwrap();
    assert_eq!(last["actor"], "mallory");
    assert_eq!(last["outcome"], "denied");
    assert!(lines.iter().any(|l| l["message"] == "second"));
}

// ---------------------------------------------------------------------------
// `litewrite audit`
// ---------------------------------------------------------------------------

/// Three writes at fixed times by three actors on two tables.
fn three_writes(s: &Sandbox) {
    ok(&run_env(
        s,
        &[
            ("LITEWRITE_TIME", "2024-01-01T10:00:00.000000Z"),
            ("LITEWRITE_ACTOR", "ann"),
        ],
        &["insert", "t.db", "a", "id:=1", "--pk", "id"],
    ));
    ok(&run_env(
        s,
        &[
            ("LITEWRITE_TIME", "2024-02-01T10:00:00.000000Z"),
            ("LITEWRITE_ACTOR", "ben"),
        ],
        &["insert", "t.db", "b", "id:=1", "--pk", "id"],
    ));
    ok(&run_env(
        s,
        &[
            ("LITEWRITE_TIME", "2024-03-01T10:00:00.000000Z"),
            ("LITEWRITE_ACTOR", "cat"),
        ],
        &["insert", "t.db", "a", "id:=2"],
    ));
}

#[test]
fn audit_lists_oldest_first_and_filters() {
    let s = Sandbox::new();
    three_writes(&s);
    let all = audit_json(&s, "t.db", &[]);
    // create-table + insert-rows, create-table + insert-rows, insert-rows
    assert_eq!(all.len(), 5, "{all:?}");
    let all_ids = ids(&all);
    let mut sorted = all_ids.clone();
    sorted.sort();
    assert_eq!(all_ids, sorted, "oldest first");

    let of = |actor: &str| -> Vec<i64> {
        all.iter()
            .filter(|e| e["actor"] == actor)
            .map(|e| e["id"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(of("ann").len(), 2);
    assert_eq!(of("ben").len(), 2);
    assert_eq!(of("cat").len(), 1);

    // --since: a date, and an RFC 3339 time with an offset.
    let since = audit_json(&s, "t.db", &["--since", "2024-01-15"]);
    assert_eq!(ids(&since), [of("ben"), of("cat")].concat());
    let since = audit_json(&s, "t.db", &["--since", "2024-02-01T11:00:00+01:00"]);
    assert_eq!(ids(&since), [of("ben"), of("cat")].concat());
    let since = audit_json(&s, "t.db", &["--since", "2024-02-15T00:00:00Z"]);
    assert_eq!(ids(&since), of("cat"));
    let none = audit_json(&s, "t.db", &["--since", "2030-01-01"]);
    assert!(none.is_empty());

    // --actor
    assert_eq!(ids(&audit_json(&s, "t.db", &["--actor", "ben"])), of("ben"));
    assert!(audit_json(&s, "t.db", &["--actor", "nobody"]).is_empty());

    // --table
    let on_a = audit_json(&s, "t.db", &["--table", "a"]);
    assert_eq!(ids(&on_a), [of("ann"), of("cat")].concat());
    assert!(on_a.iter().all(|e| e["table"] == "a"));

    // --limit: the newest N, still oldest first.
    let limited = audit_json(&s, "t.db", &["--limit", "2"]);
    assert_eq!(ids(&limited), all_ids[all_ids.len() - 2..].to_vec());
    let combined = audit_json(&s, "t.db", &["--table", "a", "--limit", "1"]);
    assert_eq!(ids(&combined), of("cat"));

    // The global --json before the command, too.
    let out = ok(&s.run(&["--json", "audit", "t.db", "--actor", "cat"], None));
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(ids(v.as_array().unwrap()), of("cat"));

    // Without --json: a table for people, naming the events and actors.
    let text = ok(&s.run(&["audit", "t.db"], None));
    for needle in ["create-table", "insert-rows", "ann", "ben", "cat"] {
        assert!(text.contains(needle), "{needle} missing from:\n{text}");
    }
    let text = ok(&s.run(&["audit", "t.db", "--actor", "ann"], None));
    assert!(
        text.contains("ann") && !text.contains("ben") && !text.contains("cat"),
        "{text}"
    );
}

#[test]
fn audit_of_a_missing_database_is_not_found() {
    let s = Sandbox::new();
    fails(&s.run(&["audit", "nope.db"], None), 4);
    fails(&s.run(&["audit", "verify", "nope.db"], None), 4);
    assert!(!s.path("nope.db").exists());
}

// ---------------------------------------------------------------------------
// `litewrite audit verify`
// ---------------------------------------------------------------------------

/// A database with 8 audit entries (ids 1..=8) from several writes, a
/// denial and a failure.
fn audited_db(s: &Sandbox) -> std::path::PathBuf {
    ok(&s.run(
        &["insert", "base.db", "t", "id:=1", "v=a", "--pk", "id"],
        None,
    )); // 1, 2
    ok(&s.run(&["-m", "m", "update", "base.db", "t", "1", "v=b"], None)); // 3
    fails(&s.run(&["insert", "base.db", "t", "id:=1"], None), 1); // 4 (error)
    fails(
        &s.run(&["query", "base.db", "delete from _litewrite_groups"], None),
        3,
    ); // 5 (denied)
    ok(&s.run(
        &[
            "query",
            "base.db",
            "insert into t values (2, :v)",
            "-p",
            "v",
            "x",
        ],
        None,
    )); // 6
    ok(&s.run(&["delete", "base.db", "t", "2"], None)); // 7
    ok(&s.run(&["insert", "base.db", "t", "id:=3", "v=c"], None)); // 8
    let db = s.path("base.db");
    assert_eq!(
        count(&db, "select count(*) from _litewrite_audit"),
        8,
        "{:?}",
        rows(&db, "select id, event, outcome from _litewrite_audit")
    );
    db
}

/// A copy of the base database made with the sqlite3 shell.
fn copy_of(s: &Sandbox, base: &Path, name: &str) -> std::path::PathBuf {
    let dest = s.path(name);
    sqlite3(base, &format!(".backup '{}'", dest.display()));
    dest
}

/// Runs `audit verify` and asserts it fails, naming the entry id.
#[track_caller]
fn verify_fails_naming(s: &Sandbox, db: &str, id: i64, what: &str) {
    let out = s.run(&["audit", "verify", db], None);
    assert_ne!(code(&out), 0, "{what}: verify passed: {}", stdout(&out));
    let text = format!("{}\n{}", stdout(&out), stderr(&out));
    assert!(
        text.contains(&format!("entry {id}")) || text.contains(&format!("entries {id}")),
        "{what}: the report does not name entry {id}:\n{text}"
    );
}

#[test]
fn verify_passes_on_an_untouched_log() {
    let s = Sandbox::new();
    audited_db(&s);
    let out = ok(&s.run(&["audit", "verify", "base.db"], None));
    assert!(
        out.contains('8'),
        "names the number of entries checked: {out}"
    );
    let out = ok(&s.run(&["--json", "audit", "verify", "base.db"], None));
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["ok"], true);
    assert_eq!(v["entries"], 8);
    // A copy made by another client verifies too.
    let base = s.path("base.db");
    copy_of(&s, &base, "copy.db");
    ok(&s.run(&["audit", "verify", "copy.db"], None));
}

#[test]
fn verify_detects_any_single_edited_field() {
    let s = Sandbox::new();
    let base = audited_db(&s);
    let edits = [
        ("time", "'2000-01-01T00:00:00Z'"),
        ("event", "'delete-row'"),
        ("actor", "'someone-else'"),
        ("message", "'edited'"),
        ("database", "'other.db'"),
        ("tbl", "'u'"),
        ("rows", "rows + 1"),
        ("keys", "'[99]'"),
        ("sql", "'select 1'"),
        ("params", "'{\"v\":\"y\"}'"),
        ("outcome", "'denied'"),
        ("error", "'none'"),
        ("group_id", "coalesce(group_id, 0) + 100"),
        ("prev_hash", "'0000'"),
        ("hash", "'0000'"),
    ];
    for (i, (col, value)) in edits.iter().enumerate() {
        for id in [3, 6] {
            let name = format!("edit{i}_{id}.db");
            let db = copy_of(&s, &base, &name);
            let row = format!("select * from _litewrite_audit where id = {id}");
            let before = rows(&db, &row);
            sqlite3(
                &db,
                &format!("update _litewrite_audit set {col} = {value} where id = {id}"),
            );
            assert_ne!(
                before,
                rows(&db, &row),
                "the edit of {col} changed entry {id}"
            );
            verify_fails_naming(&s, &name, id, &format!("edited {col} of entry {id}"));
        }
    }
    // An edit of the denied and the failed entries too.
    for id in [4, 5] {
        let name = format!("edit_outcome_{id}.db");
        let db = copy_of(&s, &base, &name);
        sqlite3(
            &db,
            &format!("update _litewrite_audit set outcome = 'ok' where id = {id}"),
        );
        verify_fails_naming(
            &s,
            &name,
            id,
            "outcome of a refused attempt rewritten to ok",
        );
    }
}

#[test]
fn verify_detects_a_deleted_middle_entry() {
    let s = Sandbox::new();
    let base = audited_db(&s);
    let db = copy_of(&s, &base, "del.db");
    sqlite3(&db, "delete from _litewrite_audit where id = 5");
    verify_fails_naming(&s, "del.db", 5, "entry 5 deleted");
}

#[test]
fn verify_detects_a_deleted_last_entry() {
    let s = Sandbox::new();
    let base = audited_db(&s);
    let db = copy_of(&s, &base, "del.db");
    sqlite3(&db, "delete from _litewrite_audit where id = 8");
    assert_eq!(count(&db, "select max(id) from _litewrite_audit"), 7);
    verify_fails_naming(&s, "del.db", 8, "last entry 8 deleted");
    // Deleting the last two as well.
    let db = copy_of(&s, &base, "del2.db");
    sqlite3(&db, "delete from _litewrite_audit where id >= 7");
    let out = s.run(&["audit", "verify", "del2.db"], None);
    assert_ne!(code(&out), 0);
}

#[test]
fn verify_detects_two_swapped_entries() {
    let s = Sandbox::new();
    let base = audited_db(&s);
    // Swap the rows' places: entry 3 becomes 6 and 6 becomes 3.
    let db = copy_of(&s, &base, "swap.db");
    sqlite3(
        &db,
        "update _litewrite_audit set id = -1 where id = 3;
         update _litewrite_audit set id = 3 where id = 6;
         update _litewrite_audit set id = 6 where id = -1;",
    );
    verify_fails_naming(&s, "swap.db", 3, "entries 3 and 6 swapped");
    // Swap the contents of two neighbours but keep their ids and hashes.
    let db = copy_of(&s, &base, "swap2.db");
    sqlite3(
        &db,
        "create temp table x as select * from _litewrite_audit where id in (6, 7);
         update _litewrite_audit set (time, event, actor, message, tbl, rows, keys, sql, params, outcome, error, group_id) =
           (select time, event, actor, message, tbl, rows, keys, sql, params, outcome, error, group_id from x where x.id = 7) where id = 6;
         update _litewrite_audit set (time, event, actor, message, tbl, rows, keys, sql, params, outcome, error, group_id) =
           (select time, event, actor, message, tbl, rows, keys, sql, params, outcome, error, group_id from x where x.id = 6) where id = 7;",
    );
    verify_fails_naming(&s, "swap2.db", 6, "contents of entries 6 and 7 swapped");
}

#[test]
fn verify_detects_an_inserted_entry() {
    let s = Sandbox::new();
    let base = audited_db(&s);
    let db = copy_of(&s, &base, "ins.db");
    // A forged copy of entry 3 appended as entry 9.
    sqlite3(
        &db,
        "insert into _litewrite_audit (id, time, event, actor, message, database, tbl, rows, keys, sql, params,
           outcome, error, group_id, tx, os_user, prev_hash, hash)
         select 9, time, event, actor, message, database, tbl, rows, keys, sql, params,
           outcome, error, group_id, tx, os_user, prev_hash, hash from _litewrite_audit where id = 3",
    );
    verify_fails_naming(&s, "ins.db", 9, "forged entry 9 appended");
}

// ---------------------------------------------------------------------------
// Versioned tables
// ---------------------------------------------------------------------------

#[test]
fn a_newer_schema_version_is_refused_with_a_clear_error() {
    let s = Sandbox::new();
    let db = s.path("t.db");
    ok(&s.run(&["insert", "t.db", "t", "id:=1", "v=a", "--pk", "id"], None));
    let version = sqlite3(
        &db,
        "select value from _litewrite_meta where key = 'schema_version'",
    );
    assert!(!version.trim().is_empty(), "the version is recorded");
    assert_ne!(version.trim(), "999");
    sqlite3(
        &db,
        "update _litewrite_meta set value = '999' where key = 'schema_version'",
    );
    let audit_before = count(&db, "select count(*) from _litewrite_audit");
    let groups_before = count(&db, "select count(*) from _litewrite_groups");

    for args in [
        vec!["insert", "t.db", "t", "id:=2", "v=b"],
        vec!["update", "t.db", "t", "1", "v=z"],
        vec!["query", "t.db", "update t set v = 'q'"],
    ] {
        let out = s.run(&args, None);
        assert_ne!(code(&out), 0, "{args:?} was not refused");
        let err = stderr(&out);
        assert!(err.contains("newer litewrite"), "{args:?}: {err}");
        assert!(err.contains("999"), "{args:?}: {err}");
    }
    assert_eq!(count(&db, "select count(*) from t"), 1);
    assert_eq!(rows(&db, "select v from t")[0]["v"], "a");
    assert_eq!(
        count(&db, "select count(*) from _litewrite_audit"),
        audit_before
    );
    assert_eq!(
        count(&db, "select count(*) from _litewrite_groups"),
        groups_before
    );
    assert_eq!(
        sqlite3(
            &db,
            "select value from _litewrite_meta where key = 'schema_version'"
        )
        .trim(),
        "999",
        "the version is not downgraded"
    );
    // Readers refuse too rather than guess.
    for args in [vec!["history", "t.db"], vec!["audit", "t.db"]] {
        let out = s.run(&args, None);
        assert_ne!(code(&out), 0, "{args:?}");
        assert!(stderr(&out).contains("newer litewrite"), "{}", stderr(&out));
    }
}
