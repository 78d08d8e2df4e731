//! `update`: one row by key, the rows matching --where, or rows from stdin.

use rusqlite::types::Value;
use serde_json::Value as Json;

use crate::cli::UpdateArgs;
use crate::db::{self, quote, TableInfo};
use crate::error::{Error, Result};
use crate::input::{self, Row, RowReader};
use crate::job::{Event, Step, Write, WriteContext};
use crate::session::Session;
use crate::tabledef;

use super::{bind_named, bind_sets, key_json, param_pairs, read_options};

pub fn run(s: &Session, a: UpdateArgs) -> Result<Option<Json>> {
    let params = param_pairs(&a.params);
    let mut keys = Vec::new();
    let mut sets = Row::new();
    let mut from_stdin = false;
    for arg in &a.args {
        if arg == "-" {
            from_stdin = true;
        } else if arg.contains('=') {
            sets.push(input::parse_assignment(arg, a.flatten)?);
        } else {
            keys.push(arg.clone());
        }
    }
    let target = match (from_stdin, &a.where_sql, keys.is_empty()) {
        (true, None, true) => {
            if !sets.is_empty() {
                return Err(Error::usage(
                    "with -, the columns to change come from the rows, not COL=VALUE arguments",
                ));
            }
            UpdateTarget::Rows(input::from_reader(
                s.stdin(),
                "stdin",
                &{
                    let mut opts = read_options(s, &a.format)?;
                    opts.flatten = a.flatten;
                    opts
                },
                None,
            )?)
        }
        (false, Some(sql), true) => UpdateTarget::Where(crate::sqltext::where_condition(sql)?),
        (false, None, false) => UpdateTarget::Key(keys),
        (false, None, true) => {
            return Err(Error::usage(
                "say which rows to update: KEY values, --where SQL, or - for rows on stdin",
            ))
        }
        _ => {
            return Err(Error::usage(
                "give only one of: KEY values, --where SQL, or -",
            ))
        }
    };
    if !matches!(target, UpdateTarget::Rows(_)) && sets.is_empty() {
        let err = Error::usage("nothing to change: give COL=VALUE or COL:=JSON assignments");
        // `update app.db users rows.csv`: the file was taken for a key value.
        return Err(match a.args.iter().find(|k| s.path(std::path::Path::new(k)).is_file()) {
            Some(file) => err.with_hint(format!(
                "\"{file}\" is a file, taken here for a key value; update reads rows from stdin: litewrite update DB TABLE - < {file}"
            )),
            None => err,
        });
    }
    let mut info = super::job_info(s, "update", &a.db, Some(&a.table));
    info.sql = a.where_sql.clone();
    info.params = params.clone();
    let write = UpdateWrite {
        table: a.table,
        target,
        sets,
        params,
        alter: a.alter,
    };
    super::run_write(s, info, write)
}

/// Which rows an update changes.
pub enum UpdateTarget {
    Key(Vec<String>),
    /// The --where condition, checked and parenthesized ([`crate::sqltext::where_condition`]).
    Where(String),
    Rows(Box<dyn RowReader>),
}

pub struct UpdateWrite {
    table: String,
    target: UpdateTarget,
    sets: Row,
    params: super::Params,
    alter: bool,
}

impl Write for UpdateWrite {
    fn step(&mut self, cx: &mut WriteContext<'_>) -> Result<Step> {
        let mut info = db::require_table(cx.conn, &self.table)?;
        let mut ev = Event::new("update-row", Some(&info.name));
        match &mut self.target {
            UpdateTarget::Key(keys) => {
                ensure_columns(cx, &mut info, &self.sets, self.alter, "")?;
                let key_values = key_args(&info, keys)?;
                let sets = exact_sets(&info, self.sets.clone(), false)?;
                let (sql, values) = update_sql(&info, &sets, &key_condition(&info));
                ev.sql = Some(sql.clone());
                let mut stmt = cx.prepare(&sql)?;
                bind_sets(&mut stmt, &values)?;
                bind_keys(&mut stmt, &key_values)?;
                let n = stmt.raw_execute().map_err(|e| {
                    super::explain_foreign_key(cx.conn, e, &mut stmt, Some(info.name.as_str()))
                })? as u64;
                if n == 0 {
                    return Err(not_found(&info, &key_values));
                }
                ev.rows = n;
                ev.keys = Some(vec![key_json(&key_values)]);
            }
            UpdateTarget::Where(condition) => {
                ensure_columns(cx, &mut info, &self.sets, self.alter, "")?;
                let sets = exact_sets(&info, self.sets.clone(), false)?;
                let (sql, values) = update_sql(&info, &sets, condition);
                ev.sql = Some(sql.clone());
                let mut stmt = cx.prepare(&sql)?;
                bind_sets(&mut stmt, &values)?;
                bind_named(&mut stmt, &self.params)?;
                ev.rows = super::execute_rows(cx.conn, &mut stmt, &info).map_err(|e| {
                    super::explain_foreign_key(cx.conn, e, &mut stmt, Some(info.name.as_str()))
                })?;
                ev.params = Some(super::params_json(&self.params));
            }
            UpdateTarget::Rows(reader) => {
                let mut keys = Vec::new();
                while let Some(row) = reader.next_row()? {
                    let pos = reader.position();
                    let (key_values, sets) = split_key(&info, row, &pos)?;
                    if sets.is_empty() {
                        return Err(
                            Error::usage("row holds only its key: nothing to change").at(&pos)
                        );
                    }
                    ensure_columns(cx, &mut info, &sets, self.alter, &pos)?;
                    let sets =
                        exact_sets(&info, sets, reader.cells_are_text()).map_err(|e| e.at(&pos))?;
                    let (sql, values) = update_sql(&info, &sets, &key_condition(&info));
                    let mut stmt = cx.prepare_cached(&sql)?;
                    bind_sets(&mut stmt, &values)?;
                    bind_keys(&mut stmt, &key_values)?;
                    let n = stmt.raw_execute().map_err(|e| {
                        super::explain_foreign_key(cx.conn, e, &mut stmt, Some(info.name.as_str()))
                            .at(&pos)
                    })? as u64;
                    if n == 0 {
                        return Err(not_found(&info, &key_values).at(&pos));
                    }
                    ev.rows += n;
                    if keys.len() < 100 {
                        keys.push(key_json(&key_values));
                    }
                }
                ev.keys = (ev.rows <= 100).then_some(keys);
            }
        }
        cx.rows += ev.rows;
        cx.event(ev);
        Ok(Step::Done)
    }
}

/// The assignments with each value as its column stores it unchanged (see
/// [`tabledef::exact_binding`]).
fn exact_sets(info: &TableInfo, sets: Row, cells_are_text: bool) -> Result<Row> {
    sets.into_iter()
        .map(|(col, value)| {
            let affinity = tabledef::Affinity::of(
                info.column(&col)
                    .map(|c| c.decl_type.as_str())
                    .unwrap_or(""),
            );
            let value =
                tabledef::exact_binding(&value, &col, affinity, cells_are_text)?.unwrap_or(value);
            Ok((col, value))
        })
        .collect()
}

/// `UPDATE t SET a = :__lw0, ... WHERE condition`, with the values to bind.
fn update_sql<'r>(info: &TableInfo, sets: &'r Row, condition: &str) -> (String, Vec<&'r Value>) {
    let assignments: Vec<String> = sets
        .iter()
        .enumerate()
        .map(|(i, (col, _))| format!("{} = :__lw{i}", quote(col)))
        .collect();
    let sql = format!(
        "UPDATE main.{} SET {} WHERE {condition}",
        quote(&info.name),
        assignments.join(", ")
    );
    (sql, sets.iter().map(|(_, v)| v).collect())
}

/// `"k1" = :__lwk0 AND "k2" = :__lwk1`, bound by [`bind_keys`].
pub fn key_condition(info: &TableInfo) -> String {
    info.key
        .iter()
        .enumerate()
        .map(|(i, k)| format!("{} = :__lwk{i}", key_column_sql(k)))
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// Binds key values to the parameters of [`key_condition`].
pub fn bind_keys(stmt: &mut rusqlite::Statement<'_>, values: &[Value]) -> Result<()> {
    for (i, v) in values.iter().enumerate() {
        if let Some(idx) = stmt.parameter_index(&format!(":__lwk{i}"))? {
            stmt.raw_bind_parameter(idx, v)?;
        }
    }
    Ok(())
}

/// Fails for a view: it has no rowid nor primary key to find a row by
/// (its INSTEAD OF triggers still run for `--where`).
pub fn require_key(info: &TableInfo) -> Result<()> {
    if info.kind == db::ObjectKind::View {
        return Err(Error::usage(format!(
            "view \"{}\" has no key to find a row by; use --where SQL to choose its rows",
            info.name
        )));
    }
    Ok(())
}

/// Key values given as arguments, one per key column, typed like the column.
pub fn key_args(info: &TableInfo, args: &[String]) -> Result<Vec<Value>> {
    require_key(info)?;
    if args.len() != info.key.len() {
        return Err(Error::usage(format!(
            "table \"{}\" has a {}-column key ({}); got {} value(s): {}",
            info.name,
            info.key.len(),
            info.key.join(", "),
            args.len(),
            args.join(" ")
        )));
    }
    Ok(info
        .key
        .iter()
        .zip(args)
        .map(|(k, a)| db::key_value(info.column(k), a))
        .collect())
}

/// *Not found* for a key that matches no row.
pub fn not_found(info: &TableInfo, values: &[Value]) -> Error {
    Error::not_found(format!(
        "no row in \"{}\" has {}",
        info.name,
        describe_key(info, values)
    ))
}

/// The key column as SQL: the rowid's name (see [`db::TableInfo::key`])
/// stays a bare word so it means the rowid.
pub fn key_column_sql(k: &str) -> String {
    if matches!(k, "rowid" | "_rowid_" | "oid") {
        k.to_string()
    } else {
        quote(k)
    }
}

/// Splits a row into its key values (in key order) and the other columns.
pub fn split_key(info: &TableInfo, row: Row, pos: &str) -> Result<(Vec<Value>, Row)> {
    require_key(info)?;
    let mut key: Vec<Option<Value>> = vec![None; info.key.len()];
    let mut rest = Row::new();
    for (k, v) in row {
        match info.key.iter().position(|c| c.eq_ignore_ascii_case(&k)) {
            Some(i) => key[i] = Some(v),
            None => rest.push((k, v)),
        }
    }
    let mut values = Vec::with_capacity(key.len());
    for (i, v) in key.into_iter().enumerate() {
        match v {
            Some(v) => values.push(v),
            None => {
                return Err(Error::usage(format!(
                    "row has no value for key column \"{}\" of table \"{}\"",
                    info.key[i], info.name
                ))
                .at(pos))
            }
        }
    }
    Ok((values, rest))
}

/// `id = 42` or `(a, b) = (1, "x")` for messages.
pub fn describe_key(info: &TableInfo, values: &[Value]) -> String {
    if values.len() == 1 {
        format!("{} = {}", info.key[0], key_json(values))
    } else {
        format!("({}) = {}", info.key.join(", "), key_json(values))
    }
}

/// Makes sure every assigned column exists, adding it with --alter.
fn ensure_columns(
    cx: &mut WriteContext<'_>,
    info: &mut TableInfo,
    sets: &Row,
    alter: bool,
    pos: &str,
) -> Result<()> {
    for (col, value) in sets {
        if info.column(col).is_some() {
            continue;
        }
        if !alter {
            let columns = info.columns.iter().map(|c| c.name.as_str());
            return Err(super::no_column(&info.name, col, columns, pos));
        }
        let sql = format!(
            "ALTER TABLE main.{} ADD COLUMN {} {}",
            quote(&info.name),
            quote(col),
            tabledef::type_of(value).unwrap_or("TEXT")
        );
        cx.execute(&sql, [])?;
        let mut ev = Event::new("alter-table", Some(&info.name));
        ev.sql = Some(sql);
        cx.event(ev);
        *info = db::require_table(cx.conn, &info.name)?;
    }
    Ok(())
}
