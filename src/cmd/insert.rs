//! `insert` and `upsert`: rows from JSON, NDJSON, CSV/TSV or the command line.
//!
//! Rows are streamed: the first 100 are buffered only when the table has to
//! be created (to infer its column types), the rest go straight from the
//! reader to a prepared statement, one per distinct set of keys.

use std::collections::{HashMap, VecDeque};

use rusqlite::types::Value;
use rusqlite::Statement;
use serde_json::Value as Json;

use crate::cli::{GlobalArgs, InputArgs, InsertArgs, SchemaOptionArgs, UpsertArgs};
use crate::db::{self, quote, TableInfo};
use crate::error::{Error, Result};
use crate::input::{Mark, Row, RowReader};
use crate::job::{Event, Step, Write, WriteContext};
use crate::tabledef::{self, ColumnDef, TableDef};

use super::{open_rows, rows_arg};

/// Rows buffered to infer a new table's column types.
const INFER_ROWS: usize = 100;
/// Keys recorded in an audit event at most; past this the event has none.
const MAX_EVENT_KEYS: usize = 100;

/// What to do with a row whose key exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Insert,
    Ignore,
    Replace,
    Upsert,
}

pub fn run_insert(g: &GlobalArgs, a: InsertArgs) -> Result<Option<Json>> {
    let mode = if a.ignore {
        Mode::Ignore
    } else if a.replace {
        Mode::Replace
    } else {
        Mode::Insert
    };
    run(
        g,
        "insert",
        a.db,
        a.table,
        a.rows,
        a.input,
        a.schema,
        a.alter,
        mode,
        a.truncate,
        a.batch_size,
    )
}

pub fn run_upsert(g: &GlobalArgs, a: UpsertArgs) -> Result<Option<Json>> {
    run(
        g,
        "upsert",
        a.db,
        a.table,
        a.rows,
        a.input,
        a.schema,
        a.alter,
        Mode::Upsert,
        false,
        a.batch_size,
    )
}

#[allow(clippy::too_many_arguments)]
fn run(
    g: &GlobalArgs,
    command: &'static str,
    db: std::path::PathBuf,
    table: String,
    rows: Vec<String>,
    input: InputArgs,
    schema: SchemaOptionArgs,
    alter: bool,
    mode: Mode,
    truncate: bool,
    batch_size: Option<u64>,
) -> Result<Option<Json>> {
    let reader = open_rows(rows_arg(&rows, &input)?, &input)?;
    let mut info = super::job_info(g, command, &db, Some(&table));
    info.create_database = true;
    let write = InsertWrite {
        table,
        mode,
        reader,
        schema,
        alter,
        truncate,
        batch_size,
        pending: VecDeque::new(),
        target: None,
    };
    super::run_write(g, info, write)
}

/// The insert (or upsert) of a stream of rows.
pub struct InsertWrite {
    pub table: String,
    pub mode: Mode,
    pub reader: Box<dyn RowReader>,
    pub schema: SchemaOptionArgs,
    pub alter: bool,
    pub truncate: bool,
    pub batch_size: Option<u64>,
    /// Rows read ahead to infer types, with their positions.
    pending: VecDeque<(Row, Mark)>,
    target: Option<Target>,
}

/// The table being written and how row keys map to its columns.
struct Target {
    info: TableInfo,
    /// Column name (as the table spells it, and lower-cased) to position.
    index: HashMap<String, usize>,
    /// Positions of the key columns, for recording keys.
    key_columns: Vec<usize>,
}

impl Target {
    fn new(info: TableInfo) -> Target {
        let mut index = HashMap::new();
        for (i, c) in info.columns.iter().enumerate() {
            index.insert(c.name.clone(), i);
            index.entry(c.name.to_ascii_lowercase()).or_insert(i);
        }
        let key_columns = if info.rowid_key() {
            Vec::new()
        } else {
            info.key
                .iter()
                .filter_map(|k| index.get(k).copied())
                .collect()
        };
        Target {
            info,
            index,
            key_columns,
        }
    }

    fn lookup(&self, key: &str) -> Option<usize> {
        self.index
            .get(key)
            .or_else(|| self.index.get(&key.to_ascii_lowercase()))
            .copied()
    }
}

impl InsertWrite {
    /// The next row and where it came from (buffered rows first).
    fn next(&mut self) -> Result<Option<(Row, Mark)>> {
        if let Some(pending) = self.pending.pop_front() {
            return Ok(Some(pending));
        }
        Ok(self.reader.next_row()?.map(|r| (r, self.reader.mark())))
    }

    /// Opens the table, creating it from the first rows when it is missing.
    fn prepare_table(&mut self, cx: &mut WriteContext<'_>) -> Result<bool> {
        if let Some(info) = db::table_info(cx.conn, &self.table)? {
            if self.mode == Mode::Upsert && info.rowid_key() {
                return Err(Error::usage(format!(
                    "table \"{}\" has no primary key; upsert needs one to match rows",
                    info.name
                )));
            }
            self.target = Some(Target::new(info));
            return Ok(true);
        }
        while self.pending.len() < INFER_ROWS {
            match self.reader.next_row()? {
                Some(row) => {
                    let mark = self.reader.mark();
                    self.pending.push_back((row, mark));
                }
                None => break,
            }
        }
        if self.pending.is_empty() {
            return Ok(false);
        }
        if self.mode == Mode::Upsert && self.schema.pk.is_empty() {
            return Err(Error::usage(format!(
                "table \"{}\" does not exist; upsert needs --pk to create it",
                self.table
            )));
        }
        let def = self.infer_table()?;
        let sql = def.create_sql();
        cx.execute(&sql, [])?;
        let mut ev = Event::new("create-table", Some(&self.table));
        ev.sql = Some(sql);
        cx.event(ev);
        self.target = Some(Target::new(db::require_table(cx.conn, &self.table)?));
        Ok(true)
    }

    /// A table definition from the buffered rows and the schema options.
    fn infer_table(&self) -> Result<TableDef> {
        let mut names: Vec<String> = Vec::new();
        let mut types: Vec<Option<&'static str>> = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (row, _) in &self.pending {
            for (k, v) in row {
                let i = *seen.entry(k.to_ascii_lowercase()).or_insert_with(|| {
                    names.push(k.clone());
                    types.push(None);
                    names.len() - 1
                });
                types[i] = tabledef::merge_types(types[i], tabledef::type_of(v));
            }
        }
        let mut columns: Vec<ColumnDef> = names
            .into_iter()
            .zip(types)
            .map(|(name, t)| ColumnDef {
                name,
                sql_type: t.unwrap_or("TEXT").to_string(),
                not_null: false,
                default: None,
            })
            .collect();
        // A key column the rows do not hold: an integer key SQLite fills in.
        for pk in &self.schema.pk {
            if !columns.iter().any(|c| c.name.eq_ignore_ascii_case(pk)) {
                columns.insert(
                    0,
                    ColumnDef {
                        name: pk.clone(),
                        sql_type: "INTEGER".into(),
                        not_null: false,
                        default: None,
                    },
                );
            }
        }
        let mut def = TableDef {
            name: self.table.clone(),
            columns,
            pk: self.schema.pk.clone(),
            ..Default::default()
        };
        for arg in &self.schema.types {
            let (col, ty) = tabledef::split_pair("--type", arg)?;
            let sql_type = tabledef::sql_type(ty, false)?;
            let table = def.name.clone();
            def.column_mut(col)
                .ok_or_else(|| {
                    Error::usage(format!(
                        "--type names column \"{col}\", which table \"{table}\" would not have"
                    ))
                })?
                .sql_type = sql_type;
        }
        def.apply_options(&self.schema.not_null, &self.schema.default)?;
        Ok(def)
    }

    /// Adds a column for an unknown key (--alter), or explains how to.
    fn add_column(
        &mut self,
        cx: &mut WriteContext<'_>,
        key: &str,
        value: &Value,
        pos: &str,
    ) -> Result<usize> {
        let target = self.target.as_mut().expect("table prepared");
        if !self.alter {
            return Err(Error::usage(format!(
                "table \"{}\" has no column \"{key}\"",
                target.info.name
            ))
            .at(pos)
            .with_hint("use --alter to add it"));
        }
        let sql_type = tabledef::type_of(value).unwrap_or("TEXT");
        let sql = format!(
            "ALTER TABLE main.{} ADD COLUMN {} {sql_type}",
            quote(&target.info.name),
            quote(key)
        );
        cx.execute(&sql, [])?;
        let mut ev = Event::new("alter-table", Some(&target.info.name));
        ev.sql = Some(sql);
        cx.event(ev);
        *target = Target::new(db::require_table(cx.conn, &self.table)?);
        target
            .lookup(key)
            .ok_or_else(|| Error::sql(format!("column \"{key}\" was not added")))
    }

    /// The INSERT statement for rows holding these columns.
    fn statement_sql(&self, shape: &[usize]) -> String {
        let target = self.target.as_ref().expect("table prepared");
        let cols: Vec<&str> = shape
            .iter()
            .map(|&i| target.info.columns[i].name.as_str())
            .collect();
        let quoted: Vec<String> = cols.iter().map(|c| quote(c)).collect();
        let marks: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
        let verb = match self.mode {
            Mode::Insert | Mode::Upsert => "INSERT",
            Mode::Ignore => "INSERT OR IGNORE",
            Mode::Replace => "INSERT OR REPLACE",
        };
        let mut sql = format!(
            "{verb} INTO main.{} ({}) VALUES ({})",
            quote(&target.info.name),
            quoted.join(", "),
            marks.join(", ")
        );
        if self.mode == Mode::Upsert {
            let keys: Vec<String> = target.info.key.iter().map(|k| quote(k)).collect();
            let sets: Vec<String> = cols
                .iter()
                .filter(|c| !target.info.key.iter().any(|k| k.eq_ignore_ascii_case(c)))
                .map(|c| format!("{0} = excluded.{0}", quote(c)))
                .collect();
            if sets.is_empty() {
                sql.push_str(&format!(" ON CONFLICT ({}) DO NOTHING", keys.join(", ")));
            } else {
                sql.push_str(&format!(
                    " ON CONFLICT ({}) DO UPDATE SET {}",
                    keys.join(", "),
                    sets.join(", ")
                ));
            }
        }
        sql
    }

    /// Checks a new set of columns: no column twice, and the key for upserts.
    fn check_shape(&self, shape: &[usize], pos: &str) -> Result<()> {
        let target = self.target.as_ref().expect("table prepared");
        for (n, i) in shape.iter().enumerate() {
            if shape[..n].contains(i) {
                return Err(Error::usage(format!(
                    "row has column \"{}\" twice",
                    target.info.columns[*i].name
                ))
                .at(pos));
            }
        }
        if self.mode == Mode::Upsert {
            for k in &target.key_columns {
                if !shape.contains(k) {
                    return Err(Error::usage(format!(
                        "row has no value for key column \"{}\"; upsert needs the primary key",
                        target.info.columns[*k].name
                    ))
                    .at(pos));
                }
            }
        }
        Ok(())
    }
}

impl Write for InsertWrite {
    fn step(&mut self, cx: &mut WriteContext<'_>) -> Result<Step> {
        let table = self.table.clone();
        if cx.step == 0 {
            if !self.prepare_table(cx)? {
                cx.event(Event::new(event_name(self.mode), Some(&table)));
                return Ok(Step::Done);
            }
            if self.truncate {
                let name = &self.target.as_ref().expect("table prepared").info.name;
                let n = cx.execute(&format!("DELETE FROM main.{}", quote(name)), [])?;
                let mut ev = Event::new("delete-row", Some(name));
                ev.rows = n as u64;
                cx.event(ev);
            }
        }
        let conn = cx.conn;
        let mut statements: HashMap<Vec<usize>, Statement<'_>> = HashMap::new();
        let mut shape: Vec<usize> = Vec::new();
        let mut current: Vec<usize> = Vec::new();
        let mut count: u64 = 0;
        let mut rows_read: u64 = 0;
        let mut keys: Vec<Json> = Vec::new();
        let mut step = Step::Done;
        while let Some((row, mark)) = self.next()? {
            shape.clear();
            for (k, v) in &row {
                let idx = match self.target.as_ref().expect("table prepared").lookup(k) {
                    Some(i) => i,
                    None => {
                        let i = self.add_column(cx, k, v, &mark.to_string())?;
                        // The table changed: statements are prepared anew.
                        statements.clear();
                        current.clear();
                        i
                    }
                };
                shape.push(idx);
            }
            if shape != current || statements.is_empty() {
                if !statements.contains_key(&shape) {
                    let pos = mark.to_string();
                    self.check_shape(&shape, &pos)?;
                    let sql = self.statement_sql(&shape);
                    let stmt = cx.prepare(&sql).map_err(|e| e.at(&pos))?;
                    statements.insert(shape.clone(), stmt);
                }
                current.clone_from(&shape);
            }
            let stmt = statements.get_mut(&current).expect("statement prepared");
            for (i, (_, v)) in row.iter().enumerate() {
                stmt.raw_bind_parameter(i + 1, v)?;
            }
            let changed = match stmt.raw_execute() {
                Ok(n) => n as u64,
                Err(e) => {
                    return Err(Error::from(e).at(&mark.to_string()));
                }
            };
            count += changed;
            rows_read += 1;
            if keys.len() < MAX_EVENT_KEYS && changed > 0 {
                keys.push(self.row_key(conn, &row, &shape));
            }
            if self.batch_size.is_some_and(|n| rows_read >= n) {
                step = Step::More;
                break;
            }
        }
        drop(statements);
        let mut ev = Event::new(
            event_name(self.mode),
            Some(&self.target.as_ref().expect("table prepared").info.name),
        );
        ev.rows = count;
        ev.keys = (count as usize <= MAX_EVENT_KEYS).then_some(keys);
        cx.event(ev);
        cx.rows += count;
        if step == Step::More && self.pending.is_empty() {
            // Look ahead so the last batch is not an empty one (rows read
            // ahead to infer a new table's types are still to come).
            match self.reader.next_row()? {
                Some(row) => {
                    let mark = self.reader.mark();
                    self.pending.push_back((row, mark));
                }
                None => step = Step::Done,
            }
        }
        Ok(step)
    }
}

impl InsertWrite {
    /// The key of a row just written, for the audit event.
    fn row_key(&self, conn: &rusqlite::Connection, row: &Row, shape: &[usize]) -> Json {
        let target = self.target.as_ref().expect("table prepared");
        if target.key_columns.is_empty() {
            return Json::from(conn.last_insert_rowid());
        }
        let values: Vec<Value> = target
            .key_columns
            .iter()
            .map(|k| {
                shape
                    .iter()
                    .position(|s| s == k)
                    .map(|p| row[p].1.clone())
                    .unwrap_or(Value::Null)
            })
            .collect();
        if values.len() == 1 && values[0] == Value::Null {
            return Json::from(conn.last_insert_rowid());
        }
        super::key_json(&values)
    }
}

fn event_name(mode: Mode) -> &'static str {
    if mode == Mode::Upsert {
        "upsert-rows"
    } else {
        "insert-rows"
    }
}
