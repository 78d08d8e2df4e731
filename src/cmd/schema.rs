//! `schema`: tables and views with columns, keys, foreign keys and indexes.
//!
//! For a user the authorizer restricts, a hidden table (and what derives
//! from it: see [`Hidden`]) is listed by name only; asking for it by name is
//! denied; an index or trigger whose SQL names a hidden table is left out,
//! and so is the definition of a table whose foreign key names one (it
//! names the hidden table's columns).

use rusqlite::Connection;
use serde_json::{json, Value as Json};

use crate::access::is_internal;
use crate::cli::SchemaArgs;
use crate::db;
use crate::error::{Error, Result};
use crate::session::Session;
use crate::wrappers::authorizer::Hidden;

pub fn run(s: &Session, a: SchemaArgs) -> Result<Option<Json>> {
    let hidden = Hidden::for_user(s.config()?);
    let conn = db::open_read(&a.db, s.busy_timeout())?;
    let hidden = hidden.load(&conn)?;
    let mut objects: Vec<(String, String, String)> = conn
        .prepare(
            "SELECT name, type, coalesce(sql, '') FROM sqlite_master \
             WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type, name",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    objects.retain(|(name, _, _)| !is_internal(name));
    if let Some(t) = &a.table {
        objects.retain(|(name, _, _)| name.eq_ignore_ascii_case(t));
        match objects.first() {
            None => return Err(db::missing_table_but(&conn, t, |n| hidden.contains(n))),
            Some((name, kind, _)) if hidden.contains(name) => {
                return Err(Error::denied(format!(
                    "{kind} \"{name}\" is hidden by the authorizer: its schema is shown only to the users in allow-users"
                )))
            }
            Some((name, kind, _)) if hidden.hides_schema_of(name) => {
                return Err(Error::denied(format!(
                    "{kind} \"{name}\" refers to a table hidden by the authorizer: its schema names that table's columns, so it is shown only to the users in allow-users"
                )))
            }
            Some(_) => {}
        }
    }
    if s.flags.json {
        let list: Vec<Json> = objects
            .iter()
            .map(|(name, kind, sql)| {
                if hidden.contains(name) {
                    Ok(json!({"name": name, "type": kind, "hidden": true}))
                } else if hidden.hides_schema_of(name) {
                    Ok(json!({"name": name, "type": kind, "schema_hidden": true}))
                } else {
                    describe(&conn, name, kind, sql)
                }
            })
            .collect::<Result<_>>()?;
        return Ok(Some(
            json!({"ok": true, "command": "schema", "tables": list}),
        ));
    }
    let mut text = String::new();
    for (name, kind, sql) in &objects {
        if hidden.contains(name) {
            text.push_str(&format!(
                "-- {kind} \"{name}\" is hidden by the authorizer\n"
            ));
            continue;
        }
        if hidden.hides_schema_of(name) {
            text.push_str(&format!(
                "-- {kind} \"{name}\" refers to a table hidden by the authorizer: its schema is shown only to the users in allow-users\n"
            ));
            continue;
        }
        text.push_str(sql);
        text.push_str(";\n");
        let extra: Vec<(String, String)> = conn
            .prepare("SELECT name, sql FROM sqlite_master WHERE tbl_name = ?1 AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name")?
            .query_map([name], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (name, s) in extra {
            if hidden.contains(&name) {
                continue;
            }
            text.push_str(&s);
            text.push_str(";\n");
        }
    }
    use std::io::Write as _;
    let mut out = s.stdout();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(None)
}

fn describe(conn: &Connection, name: &str, kind: &str, sql: &str) -> Result<Json> {
    let info = db::require_table(conn, name)?;
    let columns: Vec<Json> = info
        .columns
        .iter()
        .map(|c| {
            json!({"name": c.name, "type": c.decl_type, "notnull": c.not_null, "default": c.default, "pk": c.pk})
        })
        .collect();
    let fks: Vec<Json> = conn
        .prepare("SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list(?1) ORDER BY id, seq")?
        .query_map([name], |r| {
            Ok(json!({"column": r.get::<_, String>(0)?, "table": r.get::<_, String>(1)?, "to": r.get::<_, Option<String>>(2)?}))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let index_names: Vec<(String, bool)> = conn
        .prepare("SELECT name, \"unique\" FROM pragma_index_list(?1) ORDER BY name")?
        .query_map([name], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut indexes = Vec::new();
    for (index, unique) in index_names {
        let cols: Vec<Option<String>> = conn
            .prepare("SELECT name FROM pragma_index_info(?1) ORDER BY seqno")?
            .query_map([&index], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        indexes.push(json!({"name": index, "unique": unique, "columns": cols}));
    }
    Ok(json!({
        "name": info.name,
        "type": kind,
        "columns": columns,
        "primary_key": if info.rowid_key() { Json::Array(vec![]) } else { json!(info.key) },
        "without_rowid": kind == "table" && !info.rowid_key() && db::is_without_rowid(conn, &info.name)?,
        "foreign_keys": fks,
        "indexes": indexes,
        "sql": sql,
    }))
}
