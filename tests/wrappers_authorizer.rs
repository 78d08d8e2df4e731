//! The authorizer wrapper: protected and hidden tables hold against every
//! route SQL offers (triggers, views, upserts, schema changes, ATTACH, ...),
//! allowed OS users are not restricted (the `--actor` label exempts no one),
//! the tool's own tables can never be written by user SQL, and every denial
//! is exit 3, audited, and leaves the database as it was.
//!
//! The tests run as one OS user: the configs here either exempt no one who
//! runs them (`allow-users = ["deploy"]`) or exempt the user running them
//! ([`exempt`]). tests/security_trust.rs runs a second OS user.

mod common;
use common::*;

use std::path::Path;

use rusqlite::types::ValueRef;
use serde_json::Value;

const RESTRICTIVE: &str = r#"
[[wrapper]]
use = "audit-log"

[[wrapper]]
use = "authorizer"
protect = ["payroll", "config_*"]
hide = ["secrets"]
allow-users = ["deploy"]

[[wrapper]]
use = "change-group"
"#;

const OPEN: &str = "[[wrapper]]\nuse = \"audit-log\"\n\n[[wrapper]]\nuse = \"change-group\"\n";

/// The schema and data every test starts from, written through the tool
/// under a permissive config (open.toml) before plugins.toml restricts it.
const SETUP: &str = "
create table payroll (id integer primary key, name text, amount integer);
insert into payroll values (1, 'ann', 100), (2, 'ben', 200);
create table config_main (k text primary key, v text);
insert into config_main values ('mode', 'safe');
create table config_other (k text primary key, v text);
create table secrets (id integer primary key, s text);
insert into secrets values (1, 'hunter2');
create table other (id integer primary key, v text);
create table free (id integer primary key, v text);
create table configuration (id integer primary key, v text);
create view payroll_view as select id, name, amount from payroll;
create view secrets_view as select s from secrets;
create trigger other_writes_payroll after insert on other
  begin insert into payroll (id, name, amount) values (new.id + 100, new.v, 0); end;
create trigger other_updates_payroll after update on other
  begin update payroll set amount = 0; end;
create trigger view_insert instead of insert on payroll_view
  begin insert into payroll (id, name, amount) values (new.id, new.name, new.amount); end;
";

/// RESTRICTIVE with the OS user running the tests exempt, as exempt.toml.
fn exempt(s: &Sandbox) -> &'static str {
    s.write(
        "exempt.toml",
        &RESTRICTIVE.replace("[\"deploy\"]", &format!("[\"{}\"]", os_user())),
    );
    "exempt.toml"
}

fn setup() -> Sandbox {
    let s = Sandbox::new();
    sqlite3(&s.path("t.db"), "select 1");
    s.write("open.toml", OPEN);
    ok(&s.run(&["--config", "open.toml", "query", "t.db", SETUP], None));
    s.config(RESTRICTIVE);
    s
}

/// Everything in the database but the audit log (which records the
/// attempt) and the tool's meta table (which points at the log's head):
/// schema, user rows, change groups and changes.
fn snapshot(db: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(db).expect("open");
    let mut out = Vec::new();
    let mut stmt = conn
        .prepare(
            "select type, name, tbl_name, coalesce(sql, '') from sqlite_master order by type, name",
        )
        .unwrap();
    let objects: Vec<(String, String, String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for (ty, name, tbl, sql) in &objects {
        out.push(format!("{ty} {name} on {tbl}: {sql}"));
        if ty != "table" || name == "_litewrite_audit" || name == "_litewrite_meta" {
            continue;
        }
        let mut rows: Vec<String> = Vec::new();
        let mut q = conn.prepare(&format!("select * from \"{name}\"")).unwrap();
        let n = q.column_count();
        let mut r = q.query([]).unwrap();
        while let Some(row) = r.next().unwrap() {
            let vals: Vec<String> = (0..n)
                .map(|i| match row.get_ref(i).unwrap() {
                    ValueRef::Null => "NULL".into(),
                    ValueRef::Integer(i) => i.to_string(),
                    ValueRef::Real(f) => f.to_string(),
                    ValueRef::Text(t) => format!("'{}'", String::from_utf8_lossy(t)),
                    ValueRef::Blob(b) => format!("x{b:02x?}"),
                })
                .collect();
            rows.push(vals.join("|"));
        }
        rows.sort();
        out.extend(rows.into_iter().map(|r| format!("  {name}: {r}")));
    }
    out
}

fn audit_entries(db: &Path) -> Vec<Value> {
    rows(db, "select id, event, actor, outcome, error, sql, tbl, group_id from _litewrite_audit order by id")
}

/// Runs a command that must be denied: exit 3, the database unchanged, no
/// extra file, and exactly one new audit entry, "denied", with the actor.
#[track_caller]
fn assert_denied(s: &Sandbox, actor: &str, args: &[&str], mention: Option<&str>) {
    let db = s.path("t.db");
    let before = snapshot(&db);
    let entries_before = audit_entries(&db);
    let files_before = files(s);
    let mut full = vec!["--actor", actor];
    full.extend_from_slice(args);
    let err = fails(&s.run(&full, None), 3);
    if let Some(m) = mention {
        assert!(
            err.contains(m),
            "{args:?}: the error should name {m:?}: {err}"
        );
    }
    assert_eq!(snapshot(&db), before, "{args:?} changed the database");
    assert_eq!(files(s), files_before, "{args:?} left a file behind");
    let entries = audit_entries(&db);
    assert_eq!(
        &entries[..entries_before.len()],
        &entries_before[..],
        "earlier audit entries untouched"
    );
    assert_eq!(
        entries.len(),
        entries_before.len() + 1,
        "{args:?}: one audit entry for the denial: {entries:?}"
    );
    let last = entries.last().unwrap();
    assert_eq!(last["outcome"], "denied", "{last}");
    assert_eq!(last["actor"], actor, "{last}");
    assert!(last["group_id"].is_null(), "{last}");
    if let Some(m) = mention {
        assert!(
            last["error"].as_str().unwrap_or("").contains(m),
            "the audit entry says why: {last}"
        );
    }
}

/// The files in the sandbox (to see that nothing was attached or copied).
fn files(s: &Sandbox) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(s.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with("-wal") && !n.ends_with("-shm") && !n.ends_with("-journal"))
        .collect();
    v.sort();
    v
}

fn query_denied(sql: &str, mention: Option<&str>) {
    let s = setup();
    assert_denied(&s, "mallory", &["query", "t.db", sql], mention);
    // The chain still verifies with the denial in it.
    ok(&s.run(&["audit", "verify", "t.db"], None));
}

// ---------------------------------------------------------------------------
// Positive controls: the setup is what the tests think it is
// ---------------------------------------------------------------------------

#[test]
fn unprotected_tables_can_be_written_and_read() {
    let s = setup();
    let db = s.path("t.db");
    assert_eq!(count(&db, "select count(*) from payroll"), 2);
    ok(&s.run(
        &[
            "--actor",
            "mallory",
            "query",
            "t.db",
            "insert into free values (1, 'x')",
        ],
        None,
    ));
    ok(&s.run(
        &[
            "--actor", "mallory", "insert", "t.db", "free", "id:=2", "v=y",
        ],
        None,
    ));
    // "config_*" does not match "configuration".
    ok(&s.run(
        &[
            "--actor",
            "mallory",
            "insert",
            "t.db",
            "configuration",
            "id:=1",
            "v=z",
        ],
        None,
    ));
    assert_eq!(count(&db, "select count(*) from free"), 2);
    assert_eq!(count(&db, "select count(*) from configuration"), 1);
    // Protected tables stay readable.
    let out = ok(&s.run(
        &[
            "--actor",
            "mallory",
            "query",
            "t.db",
            "select name from payroll order by id",
        ],
        None,
    ));
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v[0]["name"], "ann");
    let out = ok(&s.run(
        &[
            "--actor",
            "mallory",
            "query",
            "t.db",
            "select * from payroll_view where id = 2",
        ],
        None,
    ));
    assert!(out.contains("ben"), "{out}");
}

// ---------------------------------------------------------------------------
// Direct writes
// ---------------------------------------------------------------------------

#[test]
fn insert_via_query_is_denied() {
    query_denied("insert into payroll values (3, 'eve', 1)", Some("payroll"));
}

#[test]
fn update_via_query_is_denied() {
    query_denied("update payroll set amount = 0", Some("payroll"));
}

#[test]
fn delete_via_query_is_denied() {
    query_denied("delete from payroll where id = 1", Some("payroll"));
}

#[test]
fn glob_protects_every_matching_table() {
    query_denied("update config_main set v = 'unsafe'", Some("config_main"));
    query_denied(
        "insert into config_other values ('a', 'b')",
        Some("config_other"),
    );
    let s = setup();
    assert_denied(
        &s,
        "mallory",
        &["insert", "t.db", "config_other", "k=a", "v=b"],
        Some("config_other"),
    );
    // Case-insensitive, like SQLite names.
    query_denied("update CONFIG_MAIN set v = 'unsafe'", Some("config_main"));
}

#[test]
fn a_denied_statement_rolls_back_the_earlier_ones_of_the_same_query() {
    query_denied(
        "insert into free values (1, 'first'); update payroll set amount = 0",
        Some("payroll"),
    );
}

#[test]
fn write_commands_on_a_protected_table_are_denied() {
    let s = setup();
    assert_denied(
        &s,
        "mallory",
        &[
            "insert",
            "t.db",
            "payroll",
            "id:=3",
            "name=eve",
            "amount:=1",
        ],
        Some("payroll"),
    );
    assert_denied(
        &s,
        "mallory",
        &["upsert", "t.db", "payroll", "id:=1", "amount:=1"],
        Some("payroll"),
    );
    assert_denied(
        &s,
        "mallory",
        &["update", "t.db", "payroll", "1", "amount:=1"],
        Some("payroll"),
    );
    assert_denied(
        &s,
        "mallory",
        &["update", "t.db", "payroll", "--where", "1", "amount:=1"],
        Some("payroll"),
    );
    assert_denied(
        &s,
        "mallory",
        &["delete", "t.db", "payroll", "1"],
        Some("payroll"),
    );
    assert_denied(
        &s,
        "mallory",
        &["delete", "t.db", "payroll", "--all"],
        Some("payroll"),
    );
    assert_denied(
        &s,
        "mallory",
        &["insert", "t.db", "payroll", "id:=3", "bonus:=1", "--alter"],
        Some("payroll"),
    );
    assert_denied(&s, "mallory", &["drop", "t.db", "payroll"], Some("payroll"));
    // stdin rows too
    let db = s.path("t.db");
    let before = snapshot(&db);
    let out = {
        let mut c = s.cmd();
        c.env("LITEWRITE_ACTOR", "mallory")
            .args(["insert", "t.db", "payroll", "-"])
            .write_stdin("{\"id\": 9, \"name\": \"x\", \"amount\": 1}\n");
        c.output().unwrap()
    };
    fails(&out, 3);
    assert_eq!(snapshot(&db), before);
}

// ---------------------------------------------------------------------------
// Indirect routes
// ---------------------------------------------------------------------------

#[test]
fn a_trigger_on_another_table_can_not_write_a_protected_one() {
    // Via raw SQL ...
    query_denied("insert into other values (1, 'x')", Some("payroll"));
    query_denied("update other set v = 'y'", None);
    // ... and via the insert command.
    let s = setup();
    assert_denied(
        &s,
        "mallory",
        &["insert", "t.db", "other", "id:=1", "v=x"],
        Some("payroll"),
    );
}

#[test]
fn an_instead_of_trigger_on_a_view_can_not_write_a_protected_table() {
    query_denied(
        "insert into payroll_view values (7, 'eve', 999)",
        Some("payroll"),
    );
}

#[test]
fn a_temp_trigger_can_not_write_a_protected_table() {
    query_denied(
        "create temp trigger sneak after insert on free begin update payroll set amount = 0; end;
         insert into free values (5, 'go')",
        Some("payroll"),
    );
}

#[test]
fn a_new_trigger_on_a_protected_table_is_denied() {
    query_denied(
        "create trigger on_payroll after update on payroll begin select 1; end",
        Some("payroll"),
    );
}

#[test]
fn upsert_on_conflict_do_update_is_denied() {
    query_denied(
        "insert into payroll (id, name, amount) values (1, 'ann', 5) on conflict (id) do update set amount = excluded.amount",
        Some("payroll"),
    );
}

#[test]
fn replace_is_denied() {
    query_denied("replace into payroll values (1, 'ann', 0)", Some("payroll"));
    query_denied(
        "insert or replace into payroll values (1, 'ann', 0)",
        Some("payroll"),
    );
}

#[test]
fn returning_is_denied() {
    query_denied(
        "update payroll set amount = amount + 1 returning id, amount",
        Some("payroll"),
    );
    query_denied(
        "delete from payroll where id = 2 returning *",
        Some("payroll"),
    );
}

#[test]
fn alter_table_rename_is_denied() {
    query_denied("alter table payroll rename to payroll_old", Some("payroll"));
    query_denied(
        "alter table payroll rename column amount to amt",
        Some("payroll"),
    );
    query_denied(
        "alter table payroll add column bonus integer",
        Some("payroll"),
    );
}

#[test]
fn drop_table_is_denied() {
    query_denied("drop table payroll", Some("payroll"));
    query_denied("drop table if exists config_main", Some("config_main"));
}

#[test]
fn create_index_is_denied() {
    query_denied(
        "create index payroll_amount on payroll (amount)",
        Some("payroll"),
    );
    query_denied(
        "create unique index payroll_name on payroll (name)",
        Some("payroll"),
    );
}

#[test]
fn pragma_writable_schema_is_denied() {
    query_denied("pragma writable_schema = 1", Some("writable_schema"));
    query_denied(
        "pragma writable_schema = ON; update sqlite_master set sql = replace(sql, 'amount', 'amt') where name = 'payroll'",
        Some("writable_schema"),
    );
}

#[test]
fn attach_is_denied() {
    query_denied("attach 'copy.db' as c", None);
    query_denied(
        "attach 'copy.db' as c; create table c.payroll as select * from main.payroll",
        None,
    );
}

#[test]
fn vacuum_into_is_denied() {
    query_denied("vacuum into 'copy.db'", None);
}

// ---------------------------------------------------------------------------
// Hidden tables
// ---------------------------------------------------------------------------

#[test]
fn hidden_table_can_not_be_selected() {
    query_denied("select * from secrets", Some("secrets"));
    query_denied("select count(*) from secrets", Some("secrets"));
}

#[test]
fn hidden_table_can_not_be_read_through_a_view() {
    query_denied("select * from secrets_view", Some("secrets"));
}

#[test]
fn hidden_table_can_not_be_read_through_a_cte() {
    query_denied(
        "with c as (select s from secrets) select * from c",
        Some("secrets"),
    );
}

#[test]
fn hidden_table_can_not_be_read_through_a_subquery() {
    query_denied(
        "select (select s from secrets limit 1) as leak",
        Some("secrets"),
    );
    query_denied(
        "select id from free where exists (select 1 from secrets where s like 'h%')",
        Some("secrets"),
    );
}

#[test]
fn hidden_table_can_not_be_read_through_a_join() {
    query_denied(
        "select p.name, s.s from payroll p join secrets s on s.id = p.id",
        Some("secrets"),
    );
}

#[test]
fn hidden_table_can_not_be_copied_or_written() {
    query_denied(
        "insert into free select id, s from secrets",
        Some("secrets"),
    );
    query_denied(
        "create table leak as select * from secrets",
        Some("secrets"),
    );
    query_denied("insert into secrets values (2, 'x')", Some("secrets"));
    query_denied("update secrets set s = 'x'", Some("secrets"));
}

#[test]
fn hidden_read_prints_nothing_of_it() {
    let s = setup();
    let out = s.run(
        &[
            "--actor",
            "mallory",
            "query",
            "t.db",
            "select s from secrets",
        ],
        None,
    );
    fails(&out, 3);
    assert!(!stdout(&out).contains("hunter2"));
    assert!(!stderr(&out).contains("hunter2"));
}

// ---------------------------------------------------------------------------
// Allowed OS users
// ---------------------------------------------------------------------------

#[test]
fn allowed_user_can_write_protected_and_read_hidden_tables() {
    let s = setup();
    let db = s.path("t.db");
    let exempt = exempt(&s);
    ok(&s.run(
        &[
            "--config",
            exempt,
            "--actor",
            "admin",
            "query",
            "t.db",
            "update payroll set amount = 300 where id = 2",
        ],
        None,
    ));
    ok(&s.run(
        &[
            "--config",
            exempt,
            "--actor",
            "admin",
            "insert",
            "t.db",
            "payroll",
            "id:=3",
            "name=cy",
            "amount:=50",
        ],
        None,
    ));
    ok(&run_env(
        &s,
        &[("LITEWRITE_ACTOR", "admin")],
        &[
            "--config",
            exempt,
            "update",
            "t.db",
            "config_main",
            "mode",
            "v=fast",
        ],
    ));
    ok(&s.run(
        &[
            "--config",
            exempt,
            "--actor",
            "admin",
            "query",
            "t.db",
            "insert into other values (1, 'via trigger')",
        ],
        None,
    ));
    assert_eq!(
        rows(&db, "select amount from payroll where id = 2")[0]["amount"],
        300
    );
    assert_eq!(
        rows(&db, "select name from payroll where id = 3")[0]["name"],
        "cy"
    );
    assert_eq!(
        rows(&db, "select name from payroll where id = 101")[0]["name"],
        "via trigger"
    );
    assert_eq!(rows(&db, "select v from config_main")[0]["v"], "fast");
    let out = ok(&s.run(
        &[
            "--config",
            exempt,
            "--actor",
            "admin",
            "query",
            "t.db",
            "select s from secrets",
        ],
        None,
    ));
    assert!(out.contains("hunter2"), "{out}");
    // Audited as ok, with the actor, and recorded in change groups.
    let entries = audit_entries(&db);
    let admin: Vec<&Value> = entries.iter().filter(|e| e["actor"] == "admin").collect();
    assert!(admin.len() >= 4, "{entries:?}");
    assert!(admin.iter().all(|e| e["outcome"] == "ok"), "{admin:?}");
    assert_eq!(
        count(
            &db,
            "select count(*) from _litewrite_groups where actor = 'admin'"
        ),
        4
    );
    // Under a config that does not exempt the OS user, the same actor
    // label is refused: an actor is a label, not a credential.
    assert_denied(
        &s,
        "admin",
        &["query", "t.db", "update payroll set amount = 0"],
        Some("payroll"),
    );
}

// ---------------------------------------------------------------------------
// The tool's own tables
// ---------------------------------------------------------------------------

const INTERNAL_WRITES: &[&str] = &[
    "insert into _litewrite_groups (time, actor, command) values ('t', 'a', 'c')",
    "update _litewrite_audit set actor = 'x'",
    "delete from _litewrite_audit",
    "delete from _litewrite_changes",
    "update _litewrite_meta set value = '999' where key = 'schema_version'",
    "insert or replace into _litewrite_meta (key, value) values ('schema_version', '0')",
    "drop table _litewrite_audit",
    "alter table _litewrite_groups add column x",
    "alter table _litewrite_audit rename to gone",
    "create index _litewrite_x on free (v)",
    "create index evil on _litewrite_audit (actor)",
    "create trigger evil after insert on _litewrite_audit begin delete from _litewrite_audit; end",
    "create temp trigger evil after insert on free begin delete from _litewrite_audit; end; insert into free values (9, 'x')",
    "insert into _litewrite_audit select * from _litewrite_audit where id = 1",
];

/// Writes to `_litewrite_*` tables are refused whatever the config.
fn internal_tables_refused(config: Option<&str>, actor: &str, audited: bool) {
    let s = Sandbox::new();
    s.write("open.toml", OPEN);
    sqlite3(&s.path("t.db"), "select 1");
    ok(&s.run(&["--config", "open.toml", "query", "t.db", SETUP], None));
    // A user trigger that, if it fired unchecked, would wipe the log.
    ok(&s.run(
        &["--config", "open.toml", "query", "t.db",
          "create trigger wipe after insert on configuration begin delete from _litewrite_audit; delete from _litewrite_groups; end"],
        None,
    ));
    if let Some(c) = config {
        s.config(c);
    }
    let db = s.path("t.db");
    let mut statements: Vec<&str> = INTERNAL_WRITES.to_vec();
    statements.push("insert into configuration values (1, 'fire')");
    for sql in statements {
        let before = snapshot(&db);
        let audit_before = audit_entries(&db);
        let out = s.run(&["--actor", actor, "query", "t.db", sql], None);
        let err = fails(&out, 3);
        assert!(err.contains("_litewrite_"), "{sql}: {err}");
        assert_eq!(snapshot(&db), before, "{sql} changed the database");
        let after = audit_entries(&db);
        assert_eq!(
            &after[..audit_before.len()],
            &audit_before[..],
            "{sql} rewrote the log"
        );
        if audited {
            assert_eq!(after.len(), audit_before.len() + 1, "{sql}");
            assert_eq!(after.last().unwrap()["outcome"], "denied");
        } else {
            assert_eq!(after.len(), audit_before.len(), "{sql}");
        }
    }
    // And through the write commands.
    for args in [
        vec!["insert", "t.db", "_litewrite_audit", "id:=999", "actor=x"],
        vec!["update", "t.db", "_litewrite_groups", "1", "actor=x"],
        vec!["delete", "t.db", "_litewrite_groups", "1"],
        vec!["delete", "t.db", "_litewrite_audit", "--all"],
        vec![
            "upsert",
            "t.db",
            "_litewrite_meta",
            "key=schema_version",
            "value=0",
        ],
        vec!["drop", "t.db", "_litewrite_changes"],
    ] {
        let before = snapshot(&db);
        let mut full = vec!["--actor", actor];
        full.extend(args.iter().copied());
        let out = s.run(&full, None);
        fails(&out, 3);
        assert_eq!(snapshot(&db), before, "{args:?} changed the database");
    }
    ok(&s.run(&["audit", "verify", "t.db"], None));
}

#[test]
fn internal_tables_refused_under_the_default_chain() {
    internal_tables_refused(None, "tester", true);
}

#[test]
fn internal_tables_refused_under_an_empty_plugins_toml() {
    internal_tables_refused(Some(""), "tester", false);
}

#[test]
fn internal_tables_refused_for_an_allowed_user() {
    let me = RESTRICTIVE.replace("[\"deploy\"]", &format!("[\"{}\"]", os_user()));
    internal_tables_refused(Some(&me), "admin", true);
}

#[test]
fn internal_tables_refused_with_audit_log_only() {
    internal_tables_refused(Some("[[wrapper]]\nuse = \"audit-log\"\n"), "tester", true);
}

#[test]
fn internal_tables_refused_under_an_authorizer_that_allows_everyone() {
    internal_tables_refused(
        Some("[[wrapper]]\nuse = \"audit-log\"\n\n[[wrapper]]\nuse = \"authorizer\"\nallow-users = [\"*\"]\n\n[[wrapper]]\nuse = \"change-group\"\n"),
        "anyone",
        true,
    );
}

#[test]
fn internal_tables_stay_readable() {
    let s = setup();
    let out = ok(&s.run(
        &[
            "query",
            "t.db",
            "select count(*) as n from _litewrite_groups",
        ],
        None,
    ));
    let v: Value = serde_json::from_str(&out).unwrap();
    assert!(v[0]["n"].as_i64().unwrap() >= 1, "{out}");
}
