//! authorizer: protected and hidden tables, enforced by SQLite's authorizer
//! callback.
//!
//! The rules are checked for everything a statement touches while SQLite
//! compiles it — trigger bodies, views, CTEs, `ON CONFLICT DO UPDATE`,
//! `RETURNING`, renames — so no route around them exists through SQL.
//! `protect`ed tables can be read but not written, altered, dropped,
//! analyzed, nor given indexes or triggers; `hide`den tables can not be
//! touched at all, and neither can what derives from them (see
//! [`hidden`]). While either list is set, ATTACH (and so `VACUUM INTO`,
//! which attaches its target) is refused, since an attached copy would
//! escape the rules.
//!
//! While tables are hidden, a restricted user's SQL also can not read what
//! would show their values or schema elsewhere: the value columns of the
//! tool's records (`show`, `history` and `audit` print them with hidden
//! tables left out), the schema text (`sqlite_master.sql`; `schema` shows
//! the rest), SQLite's statistics (`sqlite_stat*` beyond table and index
//! names) and `dbstat`, nor pragmas about a hidden table or index.
//!
//! Why whole columns: the authorizer can allow or deny a column, never
//! rows. Keeping hidden tables' records apart instead (in a table of their
//! own) would split one change log in two for undo and history, would not
//! cover records written before a table was hidden, and would be wrong as
//! soon as the hide list or `allow-users` changed; the column rule holds
//! whatever was hidden when, and the read commands decide per record with
//! the configuration in force. A view,
//! trigger or foreign key such a user creates is compiled under the same
//! rules before the job commits, so it can not read a hidden table later,
//! when an exempt user's write fires it.
//!
//! OS users in `allow-users` are not restricted; the `--actor` label plays
//! no part (anyone can set it).

pub mod hidden;

use rusqlite::hooks::{AuthAction, AuthContext};
use rusqlite::Connection;

use crate::access::{is_schema_table, is_stat_table, Rule, QUERY_PRAGMAS};
use crate::config::{any_glob, AuthorizerConfig};
use crate::db::quote;
use crate::error::{Error, Result};
use crate::job::{JobInfo, Step, WriteContext};

use super::Wrapper;
pub use hidden::Hidden;

pub struct Authorizer {
    config: AuthorizerConfig,
    /// The schema's views, triggers and tables before the write, when the
    /// user is restricted: what the write adds or changes is checked in
    /// `after`.
    schema_before: Option<Vec<SchemaObject>>,
}

impl Authorizer {
    pub fn new(config: &AuthorizerConfig) -> Authorizer {
        Authorizer {
            config: config.clone(),
            schema_before: None,
        }
    }

    /// The rule for the OS user running litewrite; None when it is exempt.
    fn rule_for(&self, conn: &Connection) -> Result<Option<TableRule>> {
        if crate::config::exempts(&self.config.allow_users, crate::access::os_user()) {
            return Ok(None);
        }
        Ok(Some(TableRule {
            protect: self.config.protect.clone(),
            hidden: Hidden::patterns(&self.config.hide).load(conn)?,
        }))
    }
}

impl Wrapper for Authorizer {
    fn name(&self) -> &'static str {
        "authorizer"
    }

    fn before(&mut self, cx: &mut WriteContext<'_>) -> Result<()> {
        self.schema_before = None;
        if let Some(rule) = self.rule_for(cx.conn)? {
            if cx.job.deletes_records() {
                if let Some(refusal) = rule.refuses_pruning() {
                    return Err(Error::denied(refusal));
                }
            }
            if !rule.hidden.is_empty() || !rule.protect.is_empty() {
                self.schema_before = Some(schema_objects(cx.conn)?);
            }
            cx.rules.push(Box::new(rule));
        }
        Ok(())
    }

    fn after(&mut self, cx: &mut WriteContext<'_>, result: &Result<Step>) -> Result<()> {
        let Some(before) = self.schema_before.take() else {
            return Ok(());
        };
        if result.is_err() {
            return Ok(());
        }
        let Some(rule) = self.rule_for(cx.conn)? else {
            return Ok(());
        };
        let after = schema_objects(cx.conn)?;
        let new: Vec<&SchemaObject> = after.iter().filter(|o| !before.contains(o)).collect();
        if new.is_empty() {
            return Ok(());
        }
        vet(cx, rule, &new)
    }

    fn read_rules(&self, conn: &Connection, _job: &JobInfo) -> Result<Vec<Box<dyn Rule>>> {
        Ok(match self.rule_for(conn)? {
            Some(rule) => vec![Box::new(rule)],
            None => vec![],
        })
    }
}

/// Why a held transaction may not name `table` in its lists, for the OS
/// user running litewrite: a configured authorizer that restricts the user
/// hides it. Begun anyway, the transaction could do nothing with it but
/// would hold its locks. (A protected table may be listed: it can be read,
/// and its writes are refused as everywhere.)
pub fn list_refusal(
    config: &crate::config::Config,
    conn: &Connection,
    table: &str,
) -> Result<Option<String>> {
    for w in &config.wrappers {
        let crate::config::WrapperConfig::Authorizer(a) = w else {
            continue;
        };
        if let Some(refusal) = Authorizer::new(a)
            .rule_for(conn)?
            .and_then(|rule| rule.hidden(table))
        {
            return Ok(Some(refusal));
        }
    }
    Ok(None)
}

/// A view, trigger or table as the schema holds it.
#[derive(Debug, Clone, PartialEq)]
struct SchemaObject {
    kind: String,
    name: String,
    table: String,
    sql: String,
}

fn schema_objects(conn: &Connection) -> Result<Vec<SchemaObject>> {
    let objects = conn
        .prepare(
            "SELECT type, name, tbl_name, coalesce(sql, '') FROM main.sqlite_master
             WHERE type IN ('table', 'view', 'trigger')",
        )?
        .query_map([], |r| {
            Ok(SchemaObject {
                kind: r.get(0)?,
                name: r.get(1)?,
                table: r.get(2)?,
                sql: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(objects)
}

/// Checks the views, triggers and tables a restricted user's write created
/// or changed, under that user's rules: a view is compiled, a trigger is
/// compiled by preparing a statement that fires it (nothing runs), and a
/// table's foreign keys must not refer to a hidden table (a cascade would
/// copy its key values out). Otherwise an exempt user's write could run
/// them later: a trigger on a free table writing a protected one, or
/// carrying hidden values into tables anyone can read.
fn vet(cx: &WriteContext<'_>, rule: TableRule, objects: &[&SchemaObject]) -> Result<()> {
    let conn = cx.conn;
    for o in objects.iter().filter(|o| o.kind == "table") {
        let parents: Vec<String> = conn
            .prepare("SELECT \"table\" FROM pragma_foreign_key_list(?1)")?
            .query_map([&o.name], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if let Some(p) = parents.iter().find(|p| rule.hidden.contains(p)) {
            return Err(Error::denied(format!(
                "table \"{}\" can not have a foreign key to \"{p}\": the table is hidden by the authorizer",
                o.name
            )));
        }
    }
    let mut probes = Vec::new();
    for o in objects {
        match o.kind.as_str() {
            "view" => probes.push((o, format!("SELECT * FROM main.{}", quote(&o.name)))),
            "trigger" => probes.push((o, firing_statement(conn, o)?)),
            _ => {}
        }
    }
    if probes.is_empty() {
        return Ok(());
    }
    let authorizer = cx.capture.authorizer();
    let mut policy = crate::access::core_policy();
    policy.rules.push(Box::new(rule));
    authorizer.set(conn, Some(policy));
    let mut verdict = Ok(());
    for (o, sql) in probes {
        // Prepared only: compiling is what the authorizer checks.
        let compiled = conn.prepare(&sql).map(drop);
        if let Some(denial) = authorizer.denial() {
            verdict = Err(Error::denied(format!(
                "{} \"{}\" would do what the authorizer refuses you ({}); what an exempt user's write would run must be allowed to you",
                o.kind, o.name, denial.message
            )));
            break;
        }
        if let Err(e) = compiled {
            verdict = Err(Error::denied(format!(
                "{} \"{}\" can not be checked against the authorizer's rules ({}); create it once what it refers to exists",
                o.kind,
                o.name,
                crate::error::Error::from(e).message
            )));
            break;
        }
    }
    authorizer.clear(conn);
    verdict
}

/// A statement that fires a trigger: an insert of default values, an
/// update setting every column to itself, or a delete, on the trigger's
/// table or view, as its event says.
fn firing_statement(conn: &Connection, trigger: &SchemaObject) -> Result<String> {
    let words = crate::sqltext::names(&trigger.sql);
    let event = words
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .find(|w| matches!(w.as_str(), "insert" | "update" | "delete"))
        .unwrap_or_default();
    let target = format!("main.{}", quote(&trigger.table));
    Ok(match event.as_str() {
        "insert" => format!("INSERT INTO {target} DEFAULT VALUES"),
        "delete" => format!("DELETE FROM {target}"),
        _ => {
            // Generated columns can not be set (hidden 2 and 3).
            let columns: Vec<String> = conn
                .prepare("SELECT name FROM pragma_table_xinfo(?1, 'main') WHERE hidden IN (0, 1)")?
                .query_map([&trigger.table], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let sets: Vec<String> = columns
                .iter()
                .map(|c| format!("{0} = {0}", quote(c)))
                .collect();
            format!("UPDATE {target} SET {}", sets.join(", "))
        }
    })
}

/// The protect and hide lists as an authorizer rule.
pub struct TableRule {
    protect: Vec<String>,
    hidden: Hidden,
}

/// Columns of the tool's records that hold values of every table (keys,
/// row images, SQL, parameters, error messages, command lines), or hashes
/// of them: a hash over content that is all known but one low-entropy value
/// (a key, a PIN) lets that value be guessed offline.
const RECORD_VALUE_COLUMNS: &[(&str, &[&str])] = &[
    (
        "_litewrite_changes",
        &["key", "before", "after", "sql", "digest", "rowids"],
    ),
    (
        "_litewrite_audit",
        &["keys", "sql", "params", "error", "hash", "prev_hash"],
    ),
    ("_litewrite_groups", &["command_line"]),
    ("_litewrite_meta", &["value"]),
];

/// Pragmas whose argument is an index, not a table.
const INDEX_PRAGMAS: &[&str] = &["index_info", "index_xinfo"];

/// Virtual-table modules that read pages of any table.
const PAGE_MODULES: &[&str] = &["dbstat", "sqlite_dbpage"];

impl TableRule {
    /// `prune` deletes every user's change groups and audit entries with
    /// the tool's own statements, which no rule on user SQL sees: a user
    /// this rule restricts could otherwise erase the record of writes to
    /// the tables it guards (and of its own refused attempts).
    fn refuses_pruning(&self) -> Option<String> {
        (!self.protect.is_empty() || !self.hidden.is_empty()).then(|| {
            "prune is denied by the authorizer: it deletes every user's change groups and audit entries, the record of writes to protected and hidden tables; only the OS users in allow-users may prune".into()
        })
    }

    fn hidden(&self, table: &str) -> Option<String> {
        self.hidden
            .contains(table)
            .then(|| format!("table \"{table}\" is hidden by the authorizer"))
    }

    fn protected(&self, table: &str, what: &str) -> Option<String> {
        if let Some(h) = self.hidden(table) {
            return Some(h);
        }
        any_glob(&self.protect, table)
            .then(|| format!("table \"{table}\" is protected by the authorizer: {what} denied"))
    }

    /// Reads that would show hidden tables' values or schema elsewhere.
    fn read(&self, ctx: &AuthContext<'_>, table: &str, column: &str) -> Option<String> {
        if self.hidden.is_empty() {
            return None;
        }
        if let Some(h) = self.hidden(table) {
            return Some(h);
        }
        let is = |list: &[&str], name: &str| list.iter().any(|x| x.eq_ignore_ascii_case(name));
        for (t, columns) in RECORD_VALUE_COLUMNS {
            if t.eq_ignore_ascii_case(table) && is(columns, column) {
                return Some(format!(
                    "column \"{column}\" of \"{table}\" can not be read while the authorizer hides tables: it holds their values; `litewrite show`, `history` and `audit` print the records with hidden tables left out"
                ));
            }
        }
        let temp = ctx
            .database_name
            .is_some_and(|d| d.eq_ignore_ascii_case("temp"));
        if is_schema_table(table) && !temp && column.eq_ignore_ascii_case("sql") {
            return Some(
                "the schema text (sqlite_master.sql) can not be read while the authorizer hides tables; `litewrite schema` shows it with hidden tables left out".into(),
            );
        }
        if is_stat_table(table) && !is(&["tbl", "idx"], column) {
            return Some(format!(
                "\"{table}\" can not be read while the authorizer hides tables: its statistics sample their rows"
            ));
        }
        if is(PAGE_MODULES, table) {
            return Some(format!(
                "\"{table}\" can not be read while the authorizer hides tables: it reads the pages of every table"
            ));
        }
        None
    }

    fn pragma(&self, name: &str, value: Option<&str>) -> Option<String> {
        if self.hidden.is_empty() {
            return None;
        }
        let is = |list: &[&str]| list.iter().any(|p| p.eq_ignore_ascii_case(name));
        let Some(value) = value else {
            return name.eq_ignore_ascii_case("foreign_key_check").then(|| {
                "PRAGMA foreign_key_check without a table is not allowed while the authorizer hides tables (it reports their rows); name the table".into()
            });
        };
        let target = value.trim_matches(|c| c == '\'' || c == '"');
        if (is(QUERY_PRAGMAS) || is(INDEX_PRAGMAS)) && self.hidden.contains(target) {
            return Some(format!(
                "PRAGMA {name} on \"{target}\" is denied: it is hidden by the authorizer"
            ));
        }
        // A foreign key into a hidden table names that table's columns.
        if name.eq_ignore_ascii_case("foreign_key_list") && self.hidden.hides_schema_of(target) {
            return Some(format!(
                "PRAGMA {name} on \"{target}\" is denied: \"{target}\" refers to a table hidden by the authorizer"
            ));
        }
        None
    }
}

impl Rule for TableRule {
    fn refuses_text(&self, sql: &str) -> Option<String> {
        self.hidden
            .mentioned(sql)
            .map(|name| format!("\"{name}\" is hidden by the authorizer"))
    }

    fn check(&self, ctx: &AuthContext<'_>) -> Option<String> {
        match ctx.action {
            AuthAction::Read {
                table_name,
                column_name,
            } => self.read(ctx, table_name, column_name),
            AuthAction::Insert { table_name } => self.protected(table_name, "insert"),
            AuthAction::Update { table_name, .. } => self.protected(table_name, "update"),
            AuthAction::Delete { table_name } => self.protected(table_name, "delete"),
            AuthAction::AlterTable { table_name, .. } => self.protected(table_name, "alter"),
            AuthAction::Analyze { table_name } => self.protected(table_name, "analyze"),
            AuthAction::DropTable { table_name } | AuthAction::DropTempTable { table_name } => {
                self.protected(table_name, "drop")
            }
            AuthAction::CreateTable { table_name } | AuthAction::CreateTempTable { table_name } => {
                self.protected(table_name, "create")
            }
            AuthAction::CreateVtable {
                table_name,
                module_name,
            } => self.protected(table_name, "create").or_else(|| {
                (!self.hidden.is_empty() && PAGE_MODULES.iter().any(|m| m.eq_ignore_ascii_case(module_name)))
                    .then(|| format!("a {module_name} table is not allowed while the authorizer hides tables: it reads the pages of every table"))
            }),
            AuthAction::CreateView { view_name } | AuthAction::CreateTempView { view_name } => {
                self.protected(view_name, "create")
            }
            AuthAction::CreateIndex { table_name, .. }
            | AuthAction::CreateTempIndex { table_name, .. }
            | AuthAction::DropIndex { table_name, .. }
            | AuthAction::DropTempIndex { table_name, .. } => self.protected(table_name, "index"),
            AuthAction::CreateTrigger { table_name, .. }
            | AuthAction::CreateTempTrigger { table_name, .. }
            | AuthAction::DropTrigger { table_name, .. }
            | AuthAction::DropTempTrigger { table_name, .. } => {
                self.protected(table_name, "trigger")
            }
            AuthAction::Attach { filename } => Some(format!(
                "ATTACH {filename:?} is denied while the authorizer protects or hides tables"
            )),
            AuthAction::Pragma {
                pragma_name,
                pragma_value,
            } => self.pragma(pragma_name, pragma_value),
            _ => None,
        }
    }
}
