//! `hide` hides a table's values and schema from every user the authorizer
//! restricts, by every route (issue 9 items 1 and 2): raw SQL on the tool's
//! records and on SQLite's schema, statistics and page tables, pragmas,
//! `show`, `history`, `audit`, `schema`, `--dry-run`, error messages, FTS
//! shadow tables, and views, triggers and foreign keys the restricted user
//! makes for an exempt user's write to fire later.
//!
//! The hidden data is written by the user running the tests, whom
//! plugins.toml exempts. The restricted reader is, when the tests run as
//! root (CI), a second OS user (`nobody`) under that same plugins.toml;
//! otherwise the same user under restricted.toml, which exempts no one.
//! Every restricted command is checked to leave no hidden value (every one
//! holds "TOPSECRET") nor the hidden column's name on stdout, on stderr, in
//! a file it wrote, or in the audit entry it added.

mod common;
use common::users::*;
use common::*;

use std::collections::BTreeMap;
use std::process::Output;

use serde_json::Value;

const SECRET: &str = "TOPSECRET";
/// The hidden table's column: its name is schema, hidden too.
const COLUMN: &str = "sekrit";

fn config(allow: &str) -> String {
    format!(
        r#"
[[wrapper]]
use = "audit-log"

[[wrapper]]
use = "authorizer"
protect = ["payroll"]
hide = ["secrets", "vault"]
allow-users = ["{allow}"]

[[wrapper]]
use = "change-group"
"#
    )
}

/// The schema and the hidden rows, written through litewrite by the
/// exempt user: creates, inserts, an update with a parameter, a group that
/// changed only a visible table, and a failed write whose error quotes a
/// hidden value.
const SETUP: &str = "
create table free (id integer primary key, v text);
create table loot (id integer, v text);
create table payroll (id integer primary key, amount integer);
create table kinds (name text primary key);
create table secrets (id integer primary key, sekrit text unique, kind text references kinds (name));
create index secrets_idx on secrets (sekrit);
create virtual table vault using fts5 (body);
insert into free values (1, 'visible');
insert into kinds values ('plain');
insert into secrets values (1, 'TOPSECRET-1', 'plain');
insert into vault values ('TOPSECRET-fts words');
";

fn setup() -> Sandbox {
    let s = Sandbox::new();
    s.config(&config(&os_user()));
    s.write("restricted.toml", &config("deploy"));
    sqlite3(&s.path("t.db"), "select 1");
    ok(&s.run(&["query", "t.db", SETUP], None));
    ok(&s.run(
        &["insert", "t.db", "secrets", "id:=2", "sekrit=TOPSECRET-2"],
        None,
    ));
    ok(&s.run(
        &[
            "query",
            "t.db",
            "update secrets set sekrit = :s where id = 1",
            "-p",
            "s",
            "TOPSECRET-3",
        ],
        None,
    ));
    ok(&s.run(
        &[
            "query",
            "t.db",
            "insert into free (v) select 'rows: ' || count(*) from secrets",
        ],
        None,
    ));
    ok(&s.run(&["update", "t.db", "free", "1", "v=still visible"], None));
    // A failed write whose error (a foreign-key explanation) quotes a value.
    fails(
        &s.run(
            &[
                "query",
                "t.db",
                "insert into secrets values (9, 'x', 'TOPSECRET-KIND')",
            ],
            None,
        ),
        1,
    );
    let audit = sqlite3(
        &s.path("t.db"),
        "select group_concat(error) from _litewrite_audit",
    );
    assert!(
        audit.contains("TOPSECRET-KIND"),
        "the error quotes it: {audit}"
    );
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

/// The files in the sandbox but the database, with their bytes.
fn files(s: &Sandbox) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(s.dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), p))
        .filter(|(n, _)| !n.starts_with("t.db"))
        .map(|(n, p)| (n, std::fs::read(p).unwrap()))
        .collect()
}

fn max_audit_id(s: &Sandbox) -> i64 {
    count(
        &s.path("t.db"),
        "select coalesce(max(id), 0) from _litewrite_audit",
    )
}

/// Runs a restricted command and checks it leaks nothing; returns it.
#[track_caller]
fn leak_free(s: &Sandbox, args: &[&str]) -> Output {
    let files_before = files(s);
    let last_entry = max_audit_id(s);
    let out = restricted(s, args);
    let typed = args.iter().any(|a| a.contains(COLUMN));
    for (what, text) in [("stdout", stdout(&out)), ("stderr", stderr(&out))] {
        assert!(
            !text.contains(SECRET),
            "{args:?}: {what} shows a hidden value: {text}"
        );
        assert!(
            typed || !text.contains(COLUMN),
            "{args:?}: {what} shows the hidden column: {text}"
        );
    }
    for (name, bytes) in files(s) {
        let old = files_before.get(&name).cloned().unwrap_or_default();
        let new = if bytes.starts_with(&old) {
            &bytes[old.len()..]
        } else {
            &bytes[..]
        };
        assert!(
            !String::from_utf8_lossy(new).contains(SECRET),
            "{args:?}: wrote a hidden value into {name}"
        );
    }
    let added = rows(
        &s.path("t.db"),
        &format!("select * from _litewrite_audit where id > {last_entry}"),
    );
    assert!(
        !Value::from(added.clone()).to_string().contains(SECRET),
        "{args:?}: its audit entry holds a hidden value: {added:?}"
    );
    out
}

/// A restricted command that must be denied (exit 3) and leak nothing.
#[track_caller]
fn denied(s: &Sandbox, args: &[&str]) -> String {
    let before = user_state(&s.path("t.db"));
    let out = leak_free(s, args);
    let err = fails(&out, 3);
    assert_eq!(
        user_state(&s.path("t.db")),
        before,
        "{args:?} changed the database"
    );
    err
}

/// The exempt user sees what the restricted one must not: the controls.
fn exempt_query(s: &Sandbox, sql: &str) -> String {
    ok(&s.run(&["query", "t.db", sql], None))
}

// ---------------------------------------------------------------------------
// Raw SQL
// ---------------------------------------------------------------------------

#[test]
fn the_records_hold_hidden_values_for_exempt_users() {
    let s = setup();
    let changes = exempt_query(
        &s,
        "select group_concat(after) as a from _litewrite_changes where tbl = 'secrets'",
    );
    assert!(changes.contains("TOPSECRET-2"), "{changes}");
    let audit = exempt_query(&s, "select group_concat(params) as p from _litewrite_audit");
    assert!(audit.contains("TOPSECRET-3"), "{audit}");
    let schema = exempt_query(&s, "select sql from sqlite_master where name = 'secrets'");
    assert!(schema.contains(COLUMN), "{schema}");
}

#[test]
fn raw_sql_on_the_tools_records_is_denied() {
    let s = setup();
    for sql in [
        "select after from _litewrite_changes where tbl = 'secrets'",
        "select * from _litewrite_changes",
        "select key, before from _litewrite_changes",
        "select digest from _litewrite_changes",
        "select id from _litewrite_changes where after like '%TOP%'",
        "select count(*) from _litewrite_changes where instr(after, 'S') > 0",
        "select value from json_each((select group_concat(after) from _litewrite_changes))",
        "with c as (select after as a from _litewrite_changes) select count(*) from c",
        "select * from _litewrite_audit",
        "select sql, params from _litewrite_audit",
        "select keys from _litewrite_audit",
        "select error from _litewrite_audit",
        "select command_line from _litewrite_groups",
        "select hash, prev_hash from _litewrite_audit",
        "select value from _litewrite_meta",
        "select * from _litewrite_groups",
        "explain select after from _litewrite_changes",
        "insert into loot select id, after from _litewrite_changes",
        "update free set v = (select group_concat(params) from _litewrite_audit) returning v",
    ] {
        let err = denied(&s, &["query", "t.db", sql]);
        assert!(
            err.contains("litewrite show") || err.contains("hidden"),
            "{sql}: {err}"
        );
    }
    // What holds no value stays readable.
    let out = ok(&leak_free(
        &s,
        &[
            "query",
            "t.db",
            "select id, group_id, tbl, op from _litewrite_changes where tbl = 'secrets'",
        ],
    ));
    assert!(out.contains("\"secrets\""), "{out}");
    ok(&leak_free(
        &s,
        &[
            "query",
            "t.db",
            "select id, event, actor, outcome from _litewrite_audit",
        ],
    ));
}

#[test]
fn raw_sql_on_the_schema_pages_and_pragmas_is_denied() {
    let s = setup();
    for sql in [
        "select sql from sqlite_master where name = 'secrets'",
        "select sql from sqlite_schema",
        "select * from sqlite_master",
        "select * from main.sqlite_master where type = 'index'",
        "select * from dbstat",
        "select name, sum(payload) from dbstat group by name",
        "create virtual table temp.pages using dbstat (main); select * from pages",
        "pragma table_info(secrets)",
        "pragma table_xinfo('secrets')",
        "pragma index_list(secrets)",
        "pragma index_info(secrets_idx)",
        "pragma index_xinfo(secrets_idx)",
        "pragma foreign_key_list(secrets)",
        "pragma foreign_key_check",
        "pragma integrity_check(secrets)",
        "select * from pragma_table_info('secrets')",
        "select * from pragma_index_info('secrets_idx')",
        "select * from pragma_table_xinfo('vault')",
        "select * from secrets",
        "select count(*) from secrets",
        "explain select * from secrets",
        "select * from vault",
        "select rowid from vault where vault match 'words'",
        "select * from vault_data",
        "select * from vault_content",
        "create virtual table temp.words using fts5vocab (main, vault, row); select * from words",
        "insert into loot select id, sekrit from secrets returning *",
    ] {
        denied(&s, &["query", "t.db", sql]);
    }
    // The names and reads of what is not hidden stay allowed.
    let names = ok(&leak_free(
        &s,
        &[
            "query",
            "t.db",
            "select name, type from sqlite_master order by name",
        ],
    ));
    assert!(
        names.contains("\"secrets\""),
        "its existence may be known: {names}"
    );
    for sql in [
        "pragma table_info(free)",
        "pragma integrity_check(free)",
        "select * from pragma_index_list('free')",
        "select sql from sqlite_temp_master",
    ] {
        ok(&leak_free(&s, &["query", "t.db", sql]));
    }
}

#[test]
fn statistics_of_hidden_tables_are_not_readable() {
    let s = setup();
    exempt_query(&s, "analyze");
    assert!(
        count(
            &s.path("t.db"),
            "select count(*) from sqlite_stat4 where tbl = 'secrets'"
        ) > 0,
        "ANALYZE sampled the hidden index"
    );
    for sql in [
        "select * from sqlite_stat4",
        "select sample from sqlite_stat4 where tbl = 'secrets'",
        "select * from sqlite_stat1",
        "select stat from sqlite_stat1 where tbl = 'secrets'",
        "analyze",
        "analyze secrets",
        "analyze main.secrets_idx",
        "analyze payroll",
        "pragma optimize",
    ] {
        denied(&s, &["query", "t.db", sql]);
    }
    // Which tables have statistics is a name, not a value; a visible
    // table can be analyzed and dropped (SQLite deletes its statistics).
    ok(&leak_free(
        &s,
        &["query", "t.db", "select tbl, idx from sqlite_stat1"],
    ));
    ok(&leak_free(&s, &["query", "t.db", "analyze free"]));
    ok(&leak_free(&s, &["drop", "t.db", "loot"]));
}

// ---------------------------------------------------------------------------
// The tool's commands
// ---------------------------------------------------------------------------

#[test]
fn show_history_and_audit_leave_hidden_tables_out() {
    let s = setup();
    let groups: Vec<i64> = rows(&s.path("t.db"), "select id from _litewrite_groups")
        .iter()
        .map(|g| g["id"].as_i64().unwrap())
        .collect();
    assert!(groups.len() >= 4, "{groups:?}");
    let mut shown_visible = false;
    for g in &groups {
        let out = ok(&leak_free(&s, &["show", "t.db", &g.to_string(), "--json"]));
        let changes: Value = serde_json::from_str(&out).unwrap();
        for c in changes.as_array().unwrap() {
            let hidden_table = ["secrets", "vault"]
                .iter()
                .any(|t| c["table"].as_str().unwrap_or("").starts_with(t));
            if hidden_table {
                assert_eq!(c["hidden"], true, "{c}");
            }
            shown_visible |= c["after"].to_string().contains("still visible");
        }
        ok(&leak_free(&s, &["show", "t.db", &g.to_string()]));
    }
    assert!(shown_visible, "a visible table's change keeps its values");
    let history: Value =
        serde_json::from_str(&ok(&leak_free(&s, &["history", "t.db", "--json"]))).unwrap();
    let lines: Vec<&Value> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|g| &g["command_line"])
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l.as_str().is_some_and(|l| l.contains("still visible"))),
        "a visible table's command line stays: {history}"
    );
    assert!(
        history.to_string().contains("secrets"),
        "the tables are named"
    );
    ok(&leak_free(&s, &["history", "t.db"]));
    let audit: Value =
        serde_json::from_str(&ok(&leak_free(&s, &["audit", "t.db", "--json"]))).unwrap();
    let entries = audit.as_array().unwrap();
    assert!(entries.iter().any(|e| e["hidden"] == true), "{audit}");
    assert!(
        entries.iter().all(|e| e["hash"].is_null()),
        "no entry's hash is given (they cover the hidden entries): {audit}"
    );
    assert!(
        entries.iter().any(|e| e["sql"]
            .as_str()
            .is_some_and(|q| q.contains("update free") || q.contains("free"))),
        "entries about visible tables keep their SQL: {audit}"
    );
    ok(&leak_free(&s, &["audit", "t.db", "--table", "secrets"]));
    // The exempt user sees everything.
    let all = ok(&s.run(&["audit", "t.db", "--json"], None));
    assert!(
        all.contains("TOPSECRET-3") && all.contains("TOPSECRET-KIND"),
        "{all}"
    );
    let shown = ok(&s.run(&["show", "t.db", &groups[1].to_string(), "--json"], None));
    assert!(shown.contains("TOPSECRET-2"), "{shown}");
}

#[test]
fn schema_shows_a_hidden_table_by_name_only() {
    let s = setup();
    let text = ok(&leak_free(&s, &["schema", "t.db"]));
    assert!(text.contains("\"secrets\" is hidden"), "{text}");
    assert!(text.contains("CREATE TABLE free"), "{text}");
    let json: Value =
        serde_json::from_str(&ok(&leak_free(&s, &["schema", "t.db", "--json"]))).unwrap();
    let tables = json["tables"].as_array().unwrap();
    let secrets = tables.iter().find(|t| t["name"] == "secrets").unwrap();
    assert_eq!(secrets["hidden"], true);
    assert!(secrets.get("columns").is_none(), "{secrets}");
    assert!(tables
        .iter()
        .any(|t| t["name"] == "vault_data" && t["hidden"] == true));
    let err = fails(&leak_free(&s, &["schema", "t.db", "secrets"]), 3);
    assert!(err.contains("hidden"), "{err}");
    fails(&leak_free(&s, &["schema", "t.db", "SECRETS"]), 3);
    // A typo is not found, and the hint never names a hidden table.
    let err = fails(&leak_free(&s, &["schema", "t.db", "secretz"]), 4);
    assert!(!err.contains("\"secrets\""), "{err}");
    // The exempt user sees it all.
    let full = ok(&s.run(&["schema", "t.db", "secrets"], None));
    assert!(
        full.contains(COLUMN) && full.contains("secrets_idx"),
        "{full}"
    );
}

#[test]
fn errors_name_no_hidden_table_nor_column() {
    let s = setup();
    // "did you mean" skips what the user can not read.
    for args in [
        vec!["update", "t.db", "secretz", "1", "v=x"],
        vec!["delete", "t.db", "secretz", "1"],
        vec!["drop", "t.db", "secretz"],
        // tx begin checks its lists before any policy is in force.
        vec!["tx", "begin", "t.db", "--read", "secretz"],
        vec!["tx", "begin", "t.db", "--write", "secretz"],
        vec!["tx", "begin", "t.db", "--read", "free", "--read", "vaults"],
    ] {
        let err = fails(&leak_free(&s, &args), 4);
        assert!(
            !err.contains("\"secrets\"") && !err.contains("\"vault\""),
            "{args:?}: {err}"
        );
    }
    let err = fails(&leak_free(&s, &["update", "t.db", "fre", "1", "v=x"]), 4);
    assert!(err.contains("did you mean \"free\""), "{err}");
    let err = fails(&leak_free(&s, &["tx", "begin", "t.db", "--read", "fre"]), 4);
    assert!(err.contains("did you mean \"free\""), "{err}");
    // Compiling SQL about a hidden table says nothing of its columns: a
    // wrong column name is refused as the right one is.
    for sql in [
        "select nosuch from secrets",
        "select sekrit from secrets",
        "select nosuch from vault",
        "update free set v = (select nosuch from secrets)",
    ] {
        denied(&s, &["query", "t.db", sql]);
    }
    for args in [
        vec![
            "update",
            "t.db",
            "free",
            "--where",
            "id in (select nosuch from secrets)",
            "v=x",
        ],
        vec!["update", "t.db", "secrets", "1", "nosuch=x"],
        vec!["insert", "t.db", "secrets", "id:=5", "sekritt=x"],
    ] {
        denied(&s, &args);
    }
    // A foreign key into a hidden table is checked by reading it: denied.
    denied(
        &s,
        &[
            "query",
            "t.db",
            "insert into secrets (id, kind) values (5, 'plain')",
        ],
    );
}

#[test]
fn undo_of_a_hidden_tables_group_is_denied_and_shows_nothing_others_work() {
    let s = setup();
    let group = count(
        &s.path("t.db"),
        "select max(group_id) from _litewrite_changes where tbl = 'secrets'",
    );
    denied(&s, &["undo", "t.db", &group.to_string()]);
    denied(&s, &["undo", "t.db", &group.to_string(), "--force"]);
    ok(&s.run(&["undo", "t.db", &group.to_string()], None));
    // A group of visible tables the restricted user undoes as before: undo
    // reads the records itself, whatever the user's SQL may read.
    let out = ok(&leak_free(
        &s,
        &["--json", "update", "t.db", "free", "1", "v=changed"],
    ));
    let mine = serde_json::from_str::<Value>(&out).unwrap()["group"]
        .as_i64()
        .unwrap();
    ok(&leak_free(&s, &["undo", "t.db", &mine.to_string()]));
    // Pruning deletes every user's records: only exempt users may.
    denied(&s, &["prune", "t.db", "--keep", "100"]);
    assert_eq!(
        sqlite3(&s.path("t.db"), "select v from free where id = 1").trim(),
        "still visible"
    );
}

#[test]
fn dry_runs_print_nothing_of_hidden_tables() {
    let s = setup();
    // An exempt user's trigger copies writes to free into secrets.
    exempt_query(
        &s,
        "create trigger free_to_secrets after insert on free begin insert into secrets (id, sekrit) values (new.id + 100, new.v); end",
    );
    denied(&s, &["--dry-run", "insert", "t.db", "free", "id:=7", "v=x"]);
    denied(&s, &["--dry-run", "query", "t.db", "delete from secrets"]);
    let out = ok(&leak_free(
        &s,
        &["--dry-run", "--json", "update", "t.db", "free", "1", "v=y"],
    ));
    assert!(out.contains("\"dry_run\":true"), "{out}");
    // The exempt user's dry run shows the hidden change.
    let own = ok(&s.run(
        &[
            "--dry-run",
            "--json",
            "insert",
            "t.db",
            "free",
            "id:=8",
            "v=TOPSECRET-dry",
        ],
        None,
    ));
    assert!(own.contains("TOPSECRET-dry"), "{own}");
}

// ---------------------------------------------------------------------------
// Code a restricted user leaves for an exempt user's write to run
// ---------------------------------------------------------------------------

#[test]
fn views_triggers_and_foreign_keys_can_not_be_left_to_read_hidden_tables() {
    let s = setup();
    for sql in [
        "create view leak as select * from secrets",
        "create view leak as select (select group_concat(body) from vault) as b",
        "create trigger leak after insert on free begin insert into loot select id, sekrit from secrets; end",
        "create trigger leak after update of v on free begin insert into loot select rowid, body from vault; end",
        "create trigger leak before delete on free begin insert into loot select * from not_there_yet; end",
        "create table kid (s text references secrets (sekrit) on update cascade)",
        // A temp view's columns come from PRAGMA table_info without the
        // authorizer: its text is checked when it is created.
        "create temp view tv as select * from secrets; pragma table_info(tv)",
        "create temp trigger tt after insert on free begin select * from secrets; end",
        // Protected tables too: the trigger would write one for an exempt user.
        "create trigger sneak after insert on free begin update payroll set amount = 0; end",
        "create view pv as select * from free; create trigger sneak instead of insert on pv begin delete from payroll; end",
        "create table kid (a); alter table kid add column s text references secrets (sekrit)",
    ] {
        denied(&s, &["query", "t.db", sql]);
    }
    // Views and triggers over visible tables are fine.
    ok(&leak_free(
        &s,
        &[
            "query",
            "t.db",
            "create view fine as select * from free; create trigger fine_t after insert on free begin insert into loot values (new.id, new.v); end",
        ],
    ));
    // The exempt user's next write fires nothing that copies hidden values.
    ok(&s.run(&["insert", "t.db", "free", "id:=50", "v=w"], None));
    let loot = sqlite3(&s.path("t.db"), "select group_concat(v) from loot");
    assert!(!loot.contains(SECRET), "{loot}");
    assert_eq!(loot.trim(), "w");
}

#[test]
fn the_audit_file_sink_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let s = setup();
    s.config(&config(&os_user()).replace(
        "use = \"audit-log\"",
        "use = \"audit-log\"\nfile = \"audit.jsonl\"",
    ));
    ok(&s.run(
        &[
            "query",
            "t.db",
            "insert into secrets (id, sekrit) values (3, :s)",
            "-p",
            "s",
            "TOPSECRET-file",
        ],
        None,
    ));
    let file = s.path("audit.jsonl");
    assert!(std::fs::read_to_string(&file)
        .unwrap()
        .contains("TOPSECRET-file"));
    let mode = std::fs::metadata(&file).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    // An existing file others can read is warned about.
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = s.run(&["insert", "t.db", "free", "id:=60", "v=z"], None);
    ok(&out);
    assert!(
        stderr(&out).contains("can be read by other users"),
        "{}",
        stderr(&out)
    );
}

/// True when `text` holds a run of 64 hex digits (a hash of the chain).
fn holds_a_hash(text: &str) -> bool {
    text.split(|c: char| !c.is_ascii_hexdigit())
        .any(|run| run.len() >= 64)
}

/// Every hash of the audit chain from an entry about a hidden table on
/// covers that entry's keys and parameters: with the hash before it (shown
/// for a visible entry) and one at or after it, a low-entropy value (a PIN)
/// could be guessed offline, and `verify --head/--file` would check a
/// guess online. A user tables are hidden from is given no hash by any
/// command (`audit` listing, a prune's checkpoint, `audit head`, `verify
/// --json`), and can not have one checked; the plain chain check still
/// works for them, and the exempt user still gets all of it.
#[test]
fn the_chains_hashes_are_not_given_to_whom_tables_are_hidden() {
    let s = setup();
    // A prune's checkpoint names the hash of the last entry it deleted.
    ok(&s.run(&["prune", "t.db", "--keep", "3", "--audit"], None));
    let head = ok(&s.run(&["audit", "head", "t.db"], None));
    let head: Value = serde_json::from_str(&head).unwrap();
    let hash = head["hash"].as_str().unwrap().to_string();
    assert_eq!(hash.len(), 64);
    let err = denied(&s, &["audit", "head", "t.db"]);
    assert!(err.contains("audit head is denied"), "{err}");
    let err = denied(&s, &["audit", "verify", "t.db", "--head", &hash]);
    assert!(err.contains("audit verify --head is denied"), "{err}");
    s.write("guess.jsonl", "");
    let err = denied(&s, &["audit", "verify", "t.db", "--file=guess.jsonl"]);
    assert!(err.contains("audit verify --file is denied"), "{err}");
    for args in [
        vec!["--json", "audit", "t.db"],
        vec!["audit", "t.db", "--format", "json"],
        vec!["--json", "audit", "verify", "t.db"],
        vec!["audit", "verify", "t.db"],
    ] {
        let out = stdout(&leak_free(&s, &args));
        assert_eq!(code(&restricted(&s, &args)), 0, "{args:?}");
        assert!(!holds_a_hash(&out), "{args:?} gave a hash: {out}");
    }
    // The listing still has the entries, the checkpoint among them.
    let listed: Value =
        serde_json::from_str(&stdout(&restricted(&s, &["--json", "audit", "t.db"]))).unwrap();
    let listed = listed.as_array().unwrap();
    assert_eq!(
        listed.len() as i64,
        count(&s.path("t.db"), "select count(*) from _litewrite_audit")
    );
    assert!(listed.iter().any(|e| e["event"] == "prune"));
    // The exempt user's listing holds the hashes.
    let mine = stdout(&s.run(&["--json", "audit", "t.db"], None));
    assert!(mine.contains(&hash), "{mine}");
}

/// A visible table with a foreign key into a hidden one: its rows are
/// shown, but its definition names the hidden table's column, so its
/// schema is not (by `schema`, by name or in the list, nor by `PRAGMA
/// foreign_key_list`, as a pragma or a table-valued function); its columns
/// still are.
#[test]
fn a_foreign_key_into_a_hidden_table_does_not_show_its_columns() {
    let s = setup();
    exempt_query(
        &s,
        "create table refs (id integer primary key, s text references secrets (sekrit)); insert into refs values (1, null)",
    );
    let err = denied(&s, &["schema", "t.db", "refs"]);
    assert!(err.contains("refers to a table hidden"), "{err}");
    let listed = ok(&leak_free(&s, &["schema", "t.db"]));
    assert!(
        listed.contains("-- table \"refs\" refers to a table hidden by the authorizer")
            && listed.contains("CREATE TABLE free"),
        "{listed}"
    );
    let listed = ok(&leak_free(&s, &["--json", "schema", "t.db"]));
    assert!(
        listed.contains(r#"{"name":"refs","type":"table","schema_hidden":true}"#),
        "{listed}"
    );
    for sql in [
        "pragma foreign_key_list(refs)",
        "select * from pragma_foreign_key_list('REFS')",
    ] {
        denied(&s, &["query", "t.db", sql]);
    }
    let columns = ok(&leak_free(
        &s,
        &["query", "t.db", "pragma table_info(refs)"],
    ));
    assert!(columns.contains("\"name\":\"s\""), "{columns}");
    let rows = ok(&leak_free(&s, &["query", "t.db", "select * from refs"]));
    assert!(rows.contains("\"id\":1"), "{rows}");
    // The exempt user sees it all.
    let mine = ok(&s.run(&["schema", "t.db", "refs"], None));
    assert!(mine.contains(COLUMN), "{mine}");
}

/// A group that changed only a visible table, made by SQL that reads a
/// hidden one with a hidden value in it: its command line (shell-quoted
/// SQL) is left out of `history`, as its audit entry's SQL is of `audit`.
#[test]
fn a_command_line_naming_a_hidden_table_inside_quotes_is_left_out() {
    let s = setup();
    for sql in [
        "update free set v = 'y' where id = 1 or id in (select id from secrets where sekrit = 'TOPSECRET-1')",
        "update free set v = 'z' where id = 1 and exists (select 1 from \"secrets\" where sekrit <> 'TOPSECRET-2')",
    ] {
        exempt_query(&s, sql);
        let history: Value =
            serde_json::from_str(&ok(&leak_free(&s, &["history", "t.db", "--json"]))).unwrap();
        let last = history
            .as_array()
            .unwrap()
            .iter()
            .max_by_key(|g| g["id"].as_i64())
            .unwrap()
            .clone();
        assert_eq!(last["hidden"], true, "{last}");
        assert!(last["command_line"].is_null(), "{last}");
        ok(&leak_free(&s, &["history", "t.db"]));
    }
    // A command line that names no hidden table stays.
    exempt_query(&s, "update free set v = 'shown' where id = 1");
    let history = ok(&leak_free(&s, &["history", "t.db", "--json"]));
    assert!(history.contains("where id = 1"), "{history}");
}

/// The indexes SQLite makes for a hidden table's UNIQUE and PRIMARY KEY
/// constraints (sqlite_autoindex_*, which have no SQL) are hidden with it:
/// `PRAGMA index_info` on one named the hidden column.
#[test]
fn a_hidden_tables_automatic_indexes_are_hidden() {
    let s = setup();
    let autoindex = sqlite3(
        &s.path("t.db"),
        "select name from sqlite_master where type = 'index' and tbl_name = 'secrets' and sql is null",
    );
    let autoindex = autoindex.trim();
    assert_eq!(autoindex, "sqlite_autoindex_secrets_1");
    for sql in [
        format!("pragma index_info({autoindex})"),
        format!("pragma index_xinfo('{autoindex}')"),
        format!("select name from pragma_index_info('{autoindex}')"),
        format!(
            "select * from pragma_index_xinfo('{}')",
            autoindex.to_uppercase()
        ),
    ] {
        let err = denied(&s, &["query", "t.db", &sql]);
        assert!(err.contains("hidden by the authorizer"), "{sql}: {err}");
    }
    // A visible table's are not.
    let kinds = ok(&leak_free(
        &s,
        &[
            "query",
            "t.db",
            "pragma index_info(sqlite_autoindex_kinds_1)",
        ],
    ));
    assert!(kinds.contains("\"name\":\"name\""), "{kinds}");
}

/// An exempt writer's failed write to a visible table whose error quotes a
/// hidden table's column (a foreign key into it, explained in full for the
/// exempt user): its audit entry is listed without its error to a user the
/// table is hidden from.
#[test]
fn an_audited_error_naming_a_hidden_tables_column_is_left_out() {
    let s = setup();
    exempt_query(
        &s,
        "create table refs (id integer primary key, s text references secrets (sekrit))",
    );
    let err = fails(
        &s.run(&["insert", "t.db", "refs", "id:=2", "s=NOPE"], None),
        1,
    );
    assert!(err.contains(COLUMN), "the exempt writer is told: {err}");
    let audit: Value =
        serde_json::from_str(&ok(&leak_free(&s, &["--json", "audit", "t.db"]))).unwrap();
    let last = audit.as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (
            last["table"].as_str(),
            last["outcome"].as_str(),
            &last["hidden"]
        ),
        (Some("refs"), Some("error"), &Value::Bool(true)),
        "{last}"
    );
    assert!(last["error"].is_null(), "{last}");
    ok(&leak_free(&s, &["audit", "t.db"]));
    ok(&leak_free(
        &s,
        &["audit", "t.db", "--table", "refs", "--format", "json"],
    ));
}
