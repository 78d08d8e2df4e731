//! Change rows read back from `_litewrite_changes`, for `show`, `undo` and
//! `history`: the records of a group in order, the column lists they use,
//! their keys and images decoded, and the rows they name as the table holds
//! them now.
//!
//! A record that can not be read back (malformed JSON, an unknown tag, an
//! image that does not fit its column list) is an error naming the change,
//! never an empty row.

use std::rc::Rc;

use rusqlite::{Connection, OptionalExtension};
use serde_json::Value as Json;

use crate::db::quote;
use crate::error::{Error, Result};

use super::schema::rowid_name;
use super::value::{self, Cell, Digest};

/// One change row.
#[derive(Debug, Clone)]
pub struct Change {
    pub id: i64,
    pub table: String,
    pub op: String,
    pub key: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub sql: Option<String>,
    pub digest: Option<String>,
    /// The row's rowid, or `[old, new]` for an update that moved it: set
    /// for rowid tables with a declared primary key (see `store.rs`).
    pub rowids: Option<String>,
}

impl Change {
    /// A change row selected with [`crate::store::change_columns`].
    pub fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Change> {
        Ok(Change {
            id: r.get(0)?,
            table: r.get(1)?,
            op: r.get(2)?,
            key: r.get(3)?,
            before: r.get(4)?,
            after: r.get(5)?,
            sql: r.get(6)?,
            digest: r.get(7)?,
            rowids: r.get(8)?,
        })
    }

    /// Where the row is, as a key to look it up by and the column list to
    /// read it with: its rowid when the record holds one (then as a
    /// rowid-keyed record: `[old, new]` for a moved row), else its key.
    pub fn locate(&self, columns: &Columns) -> Result<(Columns, Vec<Cell>)> {
        let Some(text) = &self.rowids else {
            return Ok((columns.clone(), self.key_cells()?));
        };
        let what = || format!("the rowids of {}", self.what());
        let cells = match value::parse(text, &what)? {
            Json::Array(items) => items
                .iter()
                .map(|v| value::decode(v, &what))
                .collect::<Result<Vec<_>>>()?,
            v => vec![value::decode(&v, &what)?],
        };
        if cells.is_empty()
            || cells.len() > 2
            || cells.iter().any(|c| !matches!(c, Cell::Integer(_)))
        {
            return Err(Error::sql(format!("{}: they are not rowids", what())));
        }
        let by_rowid = Columns {
            names: columns.names.clone(),
            key: None,
        };
        Ok((by_rowid, cells))
    }

    /// "change 12 (insert into \"t\")", for error messages.
    pub fn what(&self) -> String {
        format!("change {} ({} on \"{}\")", self.id, self.op, self.table)
    }

    fn json(&self, text: &Option<String>, field: &str) -> Result<Json> {
        let text = text
            .as_deref()
            .ok_or_else(|| Error::sql(format!("{} has no {field}", self.what())))?;
        value::parse(text, &|| format!("the {field} of {}", self.what()))
    }

    /// The key as values: one per key column (the rowid for rowid-keyed rows).
    pub fn key_cells(&self) -> Result<Vec<Cell>> {
        let what = || format!("the key of {}", self.what());
        match self.json(&self.key, "key")? {
            Json::Array(items) => items.iter().map(|v| value::decode(v, &what)).collect(),
            v => Ok(vec![value::decode(&v, &what)?]),
        }
    }

    /// A row's values (a JSON array) from `before` or `after`, checked
    /// against the column list.
    pub fn image(&self, after: bool, columns: &Columns) -> Result<Vec<Cell>> {
        let (text, field) = if after {
            (&self.after, "after")
        } else {
            (&self.before, "before")
        };
        let what = || format!("the {field} image of {}", self.what());
        let Json::Array(items) = self.json(text, field)? else {
            return Err(Error::sql(format!("{}: it is not an array", what())));
        };
        if items.len() != columns.names.len() {
            return Err(Error::sql(format!(
                "{}: it holds {} values for {} columns",
                what(),
                items.len(),
                columns.names.len()
            )));
        }
        items.iter().map(|v| value::decode(v, &what)).collect()
    }

    /// Changed columns and their values (a JSON object) from `before` or `after`.
    pub fn columns_object(&self, after: bool) -> Result<Vec<(String, Cell)>> {
        let (text, field) = if after {
            (&self.after, "after")
        } else {
            (&self.before, "before")
        };
        let what = || format!("the {field} values of {}", self.what());
        let Json::Object(map) = self.json(text, field)? else {
            return Err(Error::sql(format!("{}: it is not an object", what())));
        };
        map.iter()
            .map(|(k, v)| Ok((k.clone(), value::decode(v, &what)?)))
            .collect()
    }

    /// A JSON string field (a schema change's object type or old name/SQL).
    pub fn text(&self, field: &str) -> Result<Option<String>> {
        let text = match field {
            "key" => &self.key,
            _ => &self.before,
        };
        if text.is_none() {
            return Ok(None);
        }
        match self.json(text, field)? {
            Json::String(s) => Ok(Some(s)),
            _ => Err(Error::sql(format!(
                "the {field} of {} is not a string",
                self.what()
            ))),
        }
    }

    /// The rowid range of an `insert-range` record.
    pub fn range(&self) -> Result<(i64, i64)> {
        match self.key_cells()?.as_slice() {
            [Cell::Integer(a), Cell::Integer(b)] if a <= b => Ok((*a, *b)),
            _ => Err(Error::sql(format!(
                "the key of {} is not a rowid range",
                self.what()
            ))),
        }
    }
}

/// The record format of a group: None for groups recorded before format 2.
pub fn format(conn: &Connection, group: i64) -> Result<Option<i64>> {
    // A database no litewrite of format 2 wrote to has no format column yet.
    if crate::store::version(conn)? < 2 {
        return Ok(None);
    }
    Ok(conn
        .query_row(
            "SELECT format FROM _litewrite_groups WHERE id = ?1",
            [group],
            |r| r.get::<_, Option<i64>>(0),
        )
        .optional()?
        .flatten())
}

/// A group's changes, oldest first or newest first, read a chunk at a
/// time, so the caller may write between chunks (and read them as the
/// tool's own statements, outside the job's authorizer policy).
pub struct Changes {
    group: i64,
    newest_first: bool,
    lo: i64,
    hi: i64,
}

impl Changes {
    pub fn new(conn: &Connection, group: i64, newest_first: bool) -> Result<Changes> {
        let (lo, hi) = crate::store::change_range(conn, group)?;
        Ok(Changes {
            group,
            newest_first,
            lo,
            hi,
        })
    }

    /// The next chunk of changes; empty when all were read.
    pub fn next_chunk(&mut self, conn: &Connection) -> Result<Vec<Change>> {
        if self.lo > self.hi {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {} FROM _litewrite_changes
             WHERE id BETWEEN ?1 AND ?2 AND group_id = ?3 ORDER BY id {} LIMIT 1024",
            crate::store::change_columns(conn)?,
            if self.newest_first { "DESC" } else { "ASC" }
        );
        let chunk: Vec<Change> = conn
            .prepare_cached(&sql)?
            .query_map([self.lo, self.hi, self.group], Change::from_row)?
            .collect::<rusqlite::Result<_>>()?;
        match chunk.last().map(|c| c.id) {
            Some(edge) if self.newest_first => self.hi = edge - 1,
            Some(edge) => self.lo = edge + 1,
            None => self.lo = self.hi + 1,
        }
        Ok(chunk)
    }
}

/// Calls `f` with each change of a group, oldest first or newest first.
pub fn for_each(
    conn: &Connection,
    group: i64,
    newest_first: bool,
    mut f: impl FnMut(Change) -> Result<()>,
) -> Result<()> {
    let mut changes = Changes::new(conn, group, newest_first)?;
    loop {
        let chunk = changes.next_chunk(conn)?;
        if chunk.is_empty() {
            return Ok(());
        }
        for c in chunk {
            f(c)?;
        }
    }
}

/// The columns and key columns a table's records use.
#[derive(Debug, Clone, PartialEq)]
pub struct Columns {
    pub names: Vec<String>,
    /// None: rows are keyed by rowid.
    pub key: Option<Vec<String>>,
}

/// The `columns` records of a group, to find the list a record uses.
pub struct ColumnMap {
    entries: Vec<(i64, String, Rc<Columns>)>,
}

impl ColumnMap {
    pub fn load(conn: &Connection, group: i64) -> Result<ColumnMap> {
        let (first, last) = crate::store::change_range(conn, group)?;
        let mut stmt = conn.prepare(&format!(
            "SELECT {} FROM _litewrite_changes
             WHERE id BETWEEN ?1 AND ?2 AND group_id = ?3 AND op = 'columns' ORDER BY id",
            crate::store::change_columns(conn)?
        ))?;
        let rows: Vec<Change> = stmt
            .query_map([first, last, group], Change::from_row)?
            .collect::<rusqlite::Result<_>>()?;
        let mut entries = Vec::new();
        for c in rows {
            let names = string_list(&c, &c.after, "column list")?
                .ok_or_else(|| Error::sql(format!("{} has no column list", c.what())))?;
            let key = string_list(&c, &c.key, "key columns")?;
            entries.push((
                c.id,
                c.table.to_ascii_lowercase(),
                Rc::new(Columns { names, key }),
            ));
        }
        Ok(ColumnMap { entries })
    }

    /// The column list in force for a record.
    pub fn at(&self, change: &Change) -> Result<Rc<Columns>> {
        let table = change.table.to_ascii_lowercase();
        self.entries
            .iter()
            .rev()
            .find(|(id, t, _)| *id < change.id && *t == table)
            .map(|(_, _, c)| c.clone())
            .ok_or_else(|| {
                Error::sql(format!(
                    "{} has no column list before it in its group",
                    change.what()
                ))
            })
    }
}

fn string_list(c: &Change, text: &Option<String>, what: &str) -> Result<Option<Vec<String>>> {
    let Some(t) = text else {
        return Ok(None);
    };
    let v = value::parse(t, &|| format!("the {what} of {}", c.what()))?;
    serde_json::from_value(v)
        .map(Some)
        .map_err(|_| Error::sql(format!("the {what} of {} is not a list of names", c.what())))
}

/// A table as it is now, to find the rows records name.
pub struct Table {
    /// The name as the schema spells it.
    pub name: String,
    /// The name addressing its rowid (None when every one is a user column).
    pub rowid: Option<&'static str>,
    pub columns: Vec<String>,
}

impl Table {
    /// The table in the main schema, if it exists.
    pub fn open(conn: &Connection, table: &str) -> Result<Option<Table>> {
        let name: Option<String> = conn
            .query_row(
                "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name = ?1 COLLATE NOCASE",
                [table],
                |r| r.get(0),
            )
            .optional()?;
        let Some(name) = name else {
            return Ok(None);
        };
        let columns: Vec<String> = conn
            .prepare_cached("SELECT name FROM pragma_table_xinfo(?1, 'main')")?
            .query_map([&name], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Some(Table {
            rowid: rowid_name(&columns),
            name,
            columns,
        }))
    }

    pub fn has_column(&self, name: &str) -> bool {
        self.columns.iter().any(|c| c.eq_ignore_ascii_case(name))
    }

    /// The rowid's name, or an error when the user's columns hide it.
    pub fn rowid(&self) -> Result<&'static str> {
        self.rowid
            .ok_or_else(|| super::schema::no_rowid_name(&self.name))
    }

    /// `WHERE` condition (with `?N` from `first`) addressing a key.
    pub fn key_condition(&self, columns: &Columns, first: usize) -> Result<String> {
        Ok(match &columns.key {
            None => format!("{} = ?{first}", self.rowid()?),
            Some(key) => key
                .iter()
                .enumerate()
                .map(|(i, k)| format!("{} = ?{}", quote(k), first + i))
                .collect::<Vec<_>>()
                .join(" AND "),
        })
    }

    fn select_list(&self, columns: &Columns) -> Result<String> {
        for c in &columns.names {
            if !self.has_column(c) {
                return Err(Error::conflict(format!(
                    "column \"{c}\" of \"{}\" no longer exists",
                    self.name
                )));
            }
        }
        Ok(if columns.names.is_empty() {
            "NULL".into()
        } else {
            columns
                .names
                .iter()
                .map(|c| quote(c))
                .collect::<Vec<_>>()
                .join(", ")
        })
    }

    /// The recorded columns of the row at a key, if it exists.
    pub fn row(
        &self,
        conn: &Connection,
        columns: &Columns,
        key: &[Cell],
    ) -> Result<Option<Vec<Cell>>> {
        let sql = format!(
            "SELECT {} FROM main.{} WHERE {}",
            self.select_list(columns)?,
            quote(&self.name),
            self.key_condition(columns, 1)?
        );
        let n = columns.names.len();
        Ok(conn
            .prepare_cached(&sql)?
            .query_row(rusqlite::params_from_iter(key.iter()), |r| {
                (0..n)
                    .map(|i| Ok(Cell::from_ref(r.get_ref(i)?)))
                    .collect::<rusqlite::Result<Vec<Cell>>>()
            })
            .optional()?)
    }

    /// The rows with rowids in a range, in rowid order, and their digest
    /// (as `insert-range` records compute it).
    pub fn range(
        &self,
        conn: &Connection,
        columns: &Columns,
        first: i64,
        last: i64,
    ) -> Result<RangeRows> {
        let rowid = self.rowid()?;
        let sql = format!(
            "SELECT {rowid}, {} FROM main.{} WHERE {rowid} BETWEEN ?1 AND ?2 ORDER BY {rowid}",
            self.select_list(columns)?,
            quote(&self.name)
        );
        let mut stmt = conn.prepare(&sql)?;
        let mut rows = stmt.query([first, last])?;
        let mut out = Vec::new();
        let mut digest = Digest::default();
        let n = columns.names.len();
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            digest.rowid(id);
            let mut cells = Vec::with_capacity(n);
            for i in 0..n {
                let v = r.get_ref(i + 1)?;
                digest.value(v);
                cells.push(Cell::from_ref(v));
            }
            out.push((id, cells));
        }
        Ok(RangeRows {
            rows: out,
            digest: value::hex(&digest.finish()),
        })
    }
}

/// The rows of a rowid range: (rowid, values) in rowid order, and their digest.
pub struct RangeRows {
    pub rows: Vec<(i64, Vec<Cell>)>,
    pub digest: String,
}

/// The digest of rows with their rowids, in the order given (as
/// `insert-range` records compute it).
pub fn range_digest(rows: &[(i64, Vec<Cell>)]) -> String {
    let mut d = Digest::default();
    for (rowid, cells) in rows {
        d.rowid(*rowid);
        for c in cells {
            d.value(c.as_ref());
        }
    }
    value::hex(&d.finish())
}

/// The digest of one row's values (as `update` records compute it).
pub fn row_digest(cells: &[Cell]) -> String {
    let mut d = Digest::default();
    for c in cells {
        d.value(c.as_ref());
    }
    value::hex(&d.finish())
}

/// Where the row an `update` record changed is now: the column list to look
/// it up with and its key after the update (see [`Change::locate`]).
pub fn key_after_update(change: &Change, columns: &Columns) -> Result<(Columns, Vec<Cell>)> {
    let (columns, key) = change.locate(columns)?;
    let key = match &columns.key {
        None => match key.as_slice() {
            // A row that moved: [old, new].
            [_, new] => vec![new.clone()],
            _ => key,
        },
        Some(names) => {
            let after = change.columns_object(true)?;
            names
                .iter()
                .zip(key)
                .map(|(n, old)| {
                    after
                        .iter()
                        .find(|(c, _)| c == n)
                        .map(|(_, v)| v.clone())
                        .unwrap_or(old)
                })
                .collect()
        }
    };
    Ok((columns, key))
}

/// The JSON text of a key, as records hold it.
pub fn key_json(key: &[Cell]) -> Vec<u8> {
    let mut out = Vec::new();
    if key.len() == 1 {
        value::write_json(&mut out, key[0].as_ref());
    } else {
        out.push(b'[');
        for (i, k) in key.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            value::write_json(&mut out, k.as_ref());
        }
        out.push(b']');
    }
    out
}

/// A row as a JSON object of its recorded columns.
pub fn row_object(columns: &Columns, cells: &[Cell]) -> Json {
    Json::Object(
        columns
            .names
            .iter()
            .zip(cells)
            .map(|(n, c)| (n.clone(), c.to_json()))
            .collect(),
    )
}

/// A row's key as JSON: its key columns' values, or its rowid.
pub fn row_key(columns: &Columns, rowid: i64, cells: &[Cell]) -> Json {
    match &columns.key {
        None => Json::from(rowid),
        Some(names) => {
            let vals: Vec<Json> = names
                .iter()
                .filter_map(|n| columns.names.iter().position(|c| c == n))
                .map(|i| cells[i].to_json())
                .collect();
            if vals.len() == 1 {
                vals.into_iter().next().unwrap_or(Json::Null)
            } else {
                Json::Array(vals)
            }
        }
    }
}
