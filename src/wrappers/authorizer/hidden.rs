//! What `hide` hides from a user, and how the tool's own read commands
//! leave it out.
//!
//! A hidden table's existence may be known; its values and its schema are
//! shown to no one but the OS users in `allow-users`. What derives from a
//! hidden table is hidden with it: the shadow tables of a hidden virtual
//! table, virtual tables (an FTS index with `content='secrets'`) and views
//! whose definition names a hidden table, and the indexes and triggers on
//! any of these. Names are matched as SQLite spells them, ASCII
//! case-insensitively; "names" in SQL text are its words, quoted
//! identifiers and string literals ([`crate::sqltext::names`]), so a
//! statement is taken to touch a hidden table when it mentions one.
//!
//! The records the tool keeps (`_litewrite_changes`, `_litewrite_audit`,
//! `_litewrite_groups.command_line`) hold values of every table; the
//! `message` of a group or entry is the writer's own label and is shown
//! as written. `show`,
//! `history`, `audit` and `--dry-run` print them with the parts that
//! concern hidden tables left out (`"hidden": true` says so); raw SQL can
//! not read those columns at all while tables are hidden (see
//! [`super::TableRule`]).

use std::collections::HashSet;

use rusqlite::Connection;
use serde_json::Value as Json;

use crate::config::{any_glob, Config, WrapperConfig};
use crate::error::Result;

/// The tables hidden from one user, and what derives from them.
#[derive(Debug, Clone, Default)]
pub struct Hidden {
    patterns: Vec<String>,
    /// Lower-cased names hidden because they derive from hidden tables.
    derived: HashSet<String>,
    /// Lower-cased names of the tables that are not hidden but whose
    /// definition names a hidden one (a foreign key into it, naming its
    /// columns): their rows are shown, their schema text is not.
    referring: HashSet<String>,
}

impl Hidden {
    /// The `hide` patterns of one authorizer, for a user it restricts.
    pub fn patterns(patterns: &[String]) -> Hidden {
        Hidden {
            patterns: patterns.to_vec(),
            derived: HashSet::new(),
            referring: HashSet::new(),
        }
    }

    /// What the configured authorizers hide from the OS user running
    /// litewrite: nothing for a user in an authorizer's `allow-users`.
    pub fn for_user(config: &Config) -> Hidden {
        let mut patterns = Vec::new();
        for w in &config.wrappers {
            if let WrapperConfig::Authorizer(a) = w {
                if !crate::config::exempts(&a.allow_users, crate::access::os_user()) {
                    patterns.extend(a.hide.iter().cloned());
                }
            }
        }
        Hidden {
            patterns,
            derived: HashSet::new(),
            referring: HashSet::new(),
        }
    }

    /// Adds what derives from the hidden tables in this database's schema.
    pub fn load(mut self, conn: &Connection) -> Result<Hidden> {
        if self.patterns.is_empty() {
            return Ok(self);
        }
        // SQLite's own indexes (sqlite_autoindex_*, for UNIQUE and PRIMARY
        // KEY) are a hidden table's too: `PRAGMA index_info` names their
        // columns.
        let objects: Vec<(String, String, String, String)> = conn
            .prepare(
                "SELECT type, name, tbl_name, coalesce(sql, '') FROM main.sqlite_master
                 WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' OR type = 'index'",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let is_virtual = |sql: &str| {
            crate::sqltext::names(sql)
                .get(1)
                .is_some_and(|w| w.eq_ignore_ascii_case("virtual"))
        };
        // Views and virtual tables whose definition names a hidden one, to
        // a fixed point (a view of a view of a hidden table).
        loop {
            let before = self.derived.len();
            for (kind, name, _, sql) in &objects {
                let derives = kind == "view" || (kind == "table" && is_virtual(sql));
                if derives && !self.contains(name) && self.mentioned(sql).is_some() {
                    self.derived.insert(name.to_ascii_lowercase());
                }
            }
            if self.derived.len() == before {
                break;
            }
        }
        let shadows: Vec<String> = conn
            .prepare(
                "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'shadow'",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for shadow in shadows {
            let owner = crate::capture::schema::shadow_owner(conn, &shadow)?;
            if owner.is_some_and(|o| self.contains(&o)) {
                self.derived.insert(shadow.to_ascii_lowercase());
            }
        }
        for (kind, name, _, sql) in &objects {
            if kind == "table" && !self.contains(name) && self.mentioned(sql).is_some() {
                self.referring.insert(name.to_ascii_lowercase());
            }
        }
        for (kind, name, table, sql) in &objects {
            let on_hidden =
                self.contains(table) || (kind == "trigger" && self.mentioned(sql).is_some());
            if matches!(kind.as_str(), "index" | "trigger") && on_hidden {
                self.derived.insert(name.to_ascii_lowercase());
            }
        }
        Ok(self)
    }

    /// A test for the tables whose values and columns a message may quote
    /// to this user: every table but those hidden, with what derives from
    /// them loaded from this database when first asked (only error paths
    /// ask). If the schema can not be read, no table is quoted while any
    /// is hidden.
    pub fn shown<'a>(&'a self, conn: &'a Connection) -> impl Fn(&str) -> bool + 'a {
        let loaded = std::cell::OnceCell::new();
        move |table: &str| {
            if self.is_empty() {
                return true;
            }
            loaded
                .get_or_init(|| self.clone().load(conn).ok())
                .as_ref()
                .is_some_and(|h: &Hidden| !h.contains(table))
        }
    }

    /// True when nothing is hidden.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// True when this table, view, index or trigger is hidden.
    pub fn contains(&self, name: &str) -> bool {
        !self.patterns.is_empty()
            && (any_glob(&self.patterns, name) || self.derived.contains(&name.to_ascii_lowercase()))
    }

    /// True when this table's schema is not shown: it is hidden, or its
    /// definition names a hidden table (a foreign key into one names that
    /// table's columns).
    pub fn hides_schema_of(&self, name: &str) -> bool {
        self.contains(name)
            || (!self.patterns.is_empty() && self.referring.contains(&name.to_ascii_lowercase()))
    }

    /// The first hidden name SQL text mentions, if any.
    pub fn mentioned(&self, sql: &str) -> Option<String> {
        if self.patterns.is_empty() {
            return None;
        }
        crate::sqltext::names(sql)
            .into_iter()
            .find(|n| self.contains(n))
    }

    /// Leaves out of a change (as `show` and `--dry-run` print it) the key,
    /// values and SQL of a hidden table's change, or of a schema change
    /// whose SQL names one.
    pub fn redact_change(&self, change: &mut Json) {
        if self.is_empty() {
            return;
        }
        let text = |k: &str| change[k].as_str().unwrap_or("").to_string();
        // Row changes hold values; schema changes and virtual-table writes
        // hold SQL text, which may name a hidden table.
        let sql_text = !matches!(text("op").as_str(), "insert" | "update" | "delete");
        let hidden = self.contains(&text("table"))
            || (sql_text
                && (self.mentioned(&text("sql")).is_some()
                    || self.mentioned(&text("before")).is_some()
                    || self.mentioned(&change["after"].to_string()).is_some()));
        if !hidden {
            return;
        }
        if let Some(obj) = change.as_object_mut() {
            for k in ["key", "before", "after"] {
                obj.insert(k.into(), Json::Null);
            }
            obj.remove("sql");
            obj.remove("note");
            obj.insert("hidden".into(), Json::Bool(true));
        }
    }

    /// Leaves out of an audit entry (as `audit` prints it) the keys, SQL,
    /// parameters and error of an entry about a hidden table, or whose SQL
    /// or error names one, and its hash (a hash over content all known but one
    /// low-entropy value lets that value be guessed).
    pub fn redact_entry(&self, entry: &mut Json) {
        if self.is_empty() {
            return;
        }
        let table = entry["table"].as_str().unwrap_or("");
        let sql = entry["sql"].as_str().unwrap_or("");
        // An error about a visible table's write may quote a hidden one's
        // columns (a foreign key into it explained for an exempt writer).
        let error = entry["error"].as_str().unwrap_or("");
        if !self.contains(table) && self.mentioned(sql).is_none() && self.mentioned(error).is_none()
        {
            return;
        }
        if let Some(obj) = entry.as_object_mut() {
            for k in ["keys", "sql", "params", "error", "hash"] {
                obj.insert(k.into(), Json::Null);
            }
            obj.insert("hidden".into(), Json::Bool(true));
        }
    }

    /// Leaves the hash out of an audit entry (as `audit` prints it), and
    /// the pruned chain's last hash out of a prune's checkpoint, for a user
    /// from whom tables are hidden: every hash from an entry about a hidden
    /// table on covers that entry's keys and parameters, so with the hash
    /// before it a guessed value could be checked offline.
    pub fn redact_hashes(&self, entry: &mut Json) {
        if self.is_empty() {
            return;
        }
        entry["hash"] = Json::Null;
        if let Some(keys) = entry["keys"].as_array_mut() {
            for key in keys.iter_mut().filter(|k| k.get("hash").is_some()) {
                key["hash"] = Json::Null;
            }
        }
    }

    /// Leaves out of a change group (as `history` prints it) the command
    /// line of a group that changed a hidden table, or that names one.
    pub fn redact_group(&self, group: &mut Json, tables: &[String]) {
        if self.is_empty() {
            return;
        }
        let line = group["command_line"].as_str().unwrap_or("");
        // Each argument on its own: the SQL of one is inside shell quotes,
        // which as SQL text would be one string literal naming nothing.
        let names_hidden = crate::job::command_line_args(line)
            .iter()
            .any(|arg| self.contains(arg) || self.mentioned(arg).is_some());
        if !tables.iter().any(|t| self.contains(t)) && !names_hidden {
            return;
        }
        group["command_line"] = Json::Null;
        group["hidden"] = Json::Bool(true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_names_are_hidden_with_their_table() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "create table secrets (id integer primary key, s text);
             create index s_i on secrets (s);
             create view v1 as select s from secrets;
             create view v2 as select * from v1;
             create view open_view as select 1;
             create virtual table sfts using fts5 (s, content = 'secrets');
             create table free (v);
             create trigger copy after insert on free begin select * from v2; end;",
        )
        .unwrap();
        let h = Hidden::patterns(&["SECRETS".into()]).load(&conn).unwrap();
        for name in ["secrets", "s_i", "v1", "V2", "sfts", "sfts_data", "copy"] {
            assert!(h.contains(name), "{name}");
        }
        for name in ["free", "open_view", "secrets2"] {
            assert!(!h.contains(name), "{name}");
        }
        assert_eq!(
            h.mentioned("insert into free select * from \"v1\"")
                .as_deref(),
            Some("v1")
        );
        assert!(Hidden::default()
            .load(&conn)
            .unwrap()
            .mentioned("secrets")
            .is_none());
    }

    #[test]
    fn redaction_leaves_other_tables_alone() {
        let h = Hidden::patterns(&["secrets".into()]);
        let mut change =
            serde_json::json!({"table": "secrets", "op": "insert", "key": 1, "after": {"s": "x"}});
        h.redact_change(&mut change);
        assert_eq!(change["after"], Json::Null);
        assert_eq!(change["hidden"], true);
        let mut other = serde_json::json!({"table": "free", "op": "insert", "key": 1, "after": {"v": "secrets"}});
        let kept = other.clone();
        h.redact_change(&mut other);
        assert_eq!(other, kept);
        let mut index = serde_json::json!({"table": "s_i", "op": "create", "sql": "CREATE INDEX s_i ON secrets (s)"});
        h.redact_change(&mut index);
        assert_eq!(index["hidden"], true);
        assert!(index.get("sql").is_none());
        let mut entry = serde_json::json!({"table": null, "sql": "select * from Secrets where s = 'x'", "params": {"a": 1}});
        h.redact_entry(&mut entry);
        assert_eq!(
            (entry["sql"].clone(), entry["params"].clone()),
            (Json::Null, Json::Null)
        );
    }
}
