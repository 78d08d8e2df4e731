//! `insert` and `upsert`: rows from JSON, NDJSON, CSV/TSV or the command line.
//!
//! Rows are streamed: the first 100 are buffered only when the table has to
//! be created (to infer its column types), the rest go straight from the
//! reader to a prepared statement, one per distinct set of keys.

use std::cell::Cell;
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;

use rusqlite::types::Value;
use rusqlite::Statement;
use serde_json::Value as Json;

use crate::cli::{InputArgs, InsertArgs, SchemaOptionArgs, UpsertArgs};
use crate::db::{self, quote, TableInfo};
use crate::error::{Error, Result};
use crate::input::{Mark, Row, RowReader};
use crate::job::{Event, Step, Write, WriteContext};
use crate::progress::Progress;
use crate::session::Session;
use crate::tabledef::{self, Affinity, ColumnDef, TableDef};

use super::{open_rows, rows_arg};

/// Rows buffered to infer a new table's column types.
const INFER_ROWS: usize = 100;
/// Keys recorded in an audit event at most; past this the event has none.
const MAX_EVENT_KEYS: usize = 100;

/// Positions in a row, with their column's affinity, whose values may need
/// replacing to be stored exactly (see `InsertWrite::fix_positions`).
type Fixes = Vec<(usize, Affinity)>;

/// What to do with a row whose key exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Insert,
    Ignore,
    Replace,
    Upsert,
}

pub fn run_insert(s: &Session, a: InsertArgs) -> Result<Option<Json>> {
    let mode = if a.ignore {
        Mode::Ignore
    } else if a.replace {
        Mode::Replace
    } else {
        Mode::Insert
    };
    run(
        s,
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

pub fn run_upsert(s: &Session, a: UpsertArgs) -> Result<Option<Json>> {
    run(
        s,
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
    s: &Session,
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
    let (reader, progress) = open_rows(s, rows_arg(s, &rows, &input)?, &input, &table)?;
    let mut info = super::job_info(s, command, &db, Some(&table));
    info.create_database = true;
    let counts = Rc::new(Cell::new(Counts::default()));
    let write = InsertWrite {
        counts: Rc::clone(&counts),
        progress,
        rows_done: 0,
        table,
        mode,
        cells_are_text: reader.cells_are_text(),
        detect_types: !input.no_detect_types,
        reader,
        schema,
        alter,
        truncate,
        batch_size,
        pending: VecDeque::new(),
        target: None,
    };
    let mut result = super::run_write(s, info, write)?;
    if let Some(obj) = result.as_mut() {
        counts.get().report(mode, obj);
    }
    Ok(result)
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
    /// The values are CSV/TSV cell text, whose column decides their type.
    pub cells_are_text: bool,
    /// Cell text that is a number makes a new column numeric (else all TEXT).
    pub detect_types: bool,
    /// What happened to the rows, for the result object.
    pub counts: Rc<Cell<Counts>>,
    /// The progress bar, when stderr is a terminal.
    pub progress: Option<crate::progress::Progress>,
    /// Rows written in the steps before this one.
    pub rows_done: u64,
    /// Rows read ahead to infer types, with their positions.
    pending: VecDeque<(Row, Mark)>,
    target: Option<Target>,
}

/// What an insert did with its rows: the result's "inserted", "ignored",
/// "replaced" and "updated".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub inserted: u64,
    pub ignored: u64,
    pub replaced: u64,
    pub updated: u64,
}

impl Counts {
    /// Adds the counts that apply to this mode to a result object.
    fn report(&self, mode: Mode, obj: &mut Json) {
        obj["inserted"] = Json::from(self.inserted);
        match mode {
            Mode::Insert => {}
            Mode::Ignore => obj["ignored"] = Json::from(self.ignored),
            Mode::Replace => obj["replaced"] = Json::from(self.replaced),
            Mode::Upsert => obj["updated"] = Json::from(self.updated),
        }
    }
}

/// The table being written and how row keys map to its columns.
struct Target {
    info: TableInfo,
    /// Column name (as the table spells it, and lower-cased) to position.
    index: HashMap<String, usize>,
    /// Positions of the key columns, for recording keys.
    key_columns: Vec<usize>,
    /// Each column's type affinity.
    affinity: Vec<Affinity>,
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
        let affinity = info
            .columns
            .iter()
            .map(|c| Affinity::of(&c.decl_type))
            .collect();
        Target {
            info,
            index,
            key_columns,
            affinity,
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
            // Upsert matches rows by the table's primary key: a --pk naming
            // other columns would be ignored, matching rows the user did
            // not mean (sqlite-utils fails the same way).
            let same_key = self.schema.pk.len() == info.key.len()
                && self
                    .schema
                    .pk
                    .iter()
                    .zip(&info.key)
                    .all(|(a, b)| a.eq_ignore_ascii_case(b));
            if self.mode == Mode::Upsert && !self.schema.pk.is_empty() && !same_key {
                return Err(Error::usage(format!(
                    "table \"{}\" has primary key ({}); upsert matches rows by it, not by --pk {}",
                    info.name,
                    info.key.join(", "),
                    self.schema.pk.join(" --pk ")
                ))
                .with_hint("leave --pk out, or give the table's key"));
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
            let err = Error::usage(format!(
                "table \"{}\" does not exist; upsert needs --pk to create it",
                self.table
            ));
            // A typo'd table name is the likelier mistake.
            return Err(match db::missing_table(cx.conn, &self.table).hint {
                Some(hint) => err.with_hint(hint),
                None => err,
            });
        }
        let def = self.infer_table()?;
        if let Some(hint) = db::missing_table(cx.conn, &self.table).hint {
            cx.job.diag.warn(&format!(
                "creating table \"{}\", which does not exist; {hint}",
                self.table
            ));
        }
        let sql = def.create_sql();
        cx.execute(&sql, [])?;
        let mut ev = Event::new("create-table", Some(&self.table));
        ev.sql = Some(sql);
        cx.event(ev);
        self.target = Some(Target::new(db::require_table(cx.conn, &self.table)?));
        Ok(true)
    }

    /// The type a value suggests for a new column: a JSON value's own type;
    /// for CSV/TSV cell text, a number type only when the text is a number
    /// (and type detection is on).
    fn suggested_type(&self, value: &Value) -> Option<&'static str> {
        match value {
            Value::Text(text) if self.cells_are_text && self.detect_types => {
                tabledef::cell_type(text)
            }
            Value::Text(text) if self.cells_are_text && text.is_empty() => None,
            other => tabledef::type_of(other),
        }
    }

    /// Whether a value suggesting INTEGER is one a REAL holds exactly.
    fn fits_real(&self, value: &Value) -> bool {
        match value {
            Value::Integer(i) => tabledef::fits_real(*i),
            Value::Text(t) => t.parse::<i64>().is_ok_and(tabledef::fits_real),
            _ => true,
        }
    }

    /// A table definition from the buffered rows and the schema options.
    fn infer_table(&self) -> Result<TableDef> {
        let mut names: Vec<String> = Vec::new();
        let mut types: Vec<Option<&'static str>> = Vec::new();
        // Columns holding an integer a REAL would round: integers and floats
        // make REAL, which must not take these.
        let mut beyond_real: Vec<bool> = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        let merge = if self.cells_are_text {
            tabledef::merge_cell_types
        } else {
            tabledef::merge_types
        };
        for (row, _) in &self.pending {
            for (k, v) in row {
                let i = *seen.entry(k.to_ascii_lowercase()).or_insert_with(|| {
                    names.push(k.clone());
                    types.push(None);
                    beyond_real.push(false);
                    names.len() - 1
                });
                let suggested = self.suggested_type(v);
                types[i] = merge(types[i], suggested);
                beyond_real[i] |= suggested == Some("INTEGER") && !self.fits_real(v);
            }
        }
        for (t, beyond) in types.iter_mut().zip(beyond_real) {
            if beyond && *t == Some("REAL") {
                // As text and numbers mix: no type (JSON), or TEXT (cells).
                *t = merge(Some("REAL"), Some("TEXT"));
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
        let sql_type = self.suggested_type(value).unwrap_or("TEXT");
        let target = self.target.as_mut().expect("table prepared");
        if !self.alter {
            let columns = target.info.columns.iter().map(|c| c.name.as_str());
            return Err(super::no_column(&target.info.name, key, columns, pos));
        }
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

    /// The positions (and affinities) in a row of these columns whose values
    /// [`tabledef::exact_binding`] may replace or refuse: numeric columns,
    /// and TEXT-affinity columns for JSON values. Computed once per set of
    /// columns, so other positions cost the insert loop nothing.
    fn fix_positions(&self, shape: &[usize]) -> Fixes {
        let target = self.target.as_ref().expect("table prepared");
        shape
            .iter()
            .enumerate()
            .map(|(p, &c)| (p, target.affinity[c]))
            .filter(|&(_, affinity)| {
                // JSON text may spell a number a numeric column can not
                // hold exactly, as CSV/TSV cells may.
                affinity.is_numeric() || (!self.cells_are_text && affinity == Affinity::Text)
            })
            .collect()
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
        // --replace and upsert look each row's key up first, to tell an
        // insert from a replace or an update (the counts): by primary key,
        // and for --replace by every UNIQUE index too (a REPLACE deletes the
        // rows any of them conflict with). REPLACE's own deletes are seen by
        // the change capture (the preupdate hook).
        let mut probes: Vec<(Statement<'_>, Vec<usize>)> = Vec::new();
        if matches!(self.mode, Mode::Replace | Mode::Upsert) {
            let t = self.target.as_ref().expect("table prepared");
            let mut keys = Vec::new();
            if !t.key_columns.is_empty() {
                keys.push(t.key_columns.clone());
            }
            if self.mode == Mode::Replace {
                keys.extend(unique_keys(conn, &t.info)?);
            }
            for key in keys {
                let cond: Vec<String> = key
                    .iter()
                    .enumerate()
                    .map(|(i, &k)| format!("{} = ?{}", quote(&t.info.columns[k].name), i + 1))
                    .collect();
                let probe = conn.prepare(&format!(
                    "SELECT 1 FROM main.{} WHERE {}",
                    quote(&t.info.name),
                    cond.join(" AND ")
                ))?;
                probes.push((probe, key));
            }
        }
        let mut counts = self.counts.get();
        // Per set of columns: the statement, and the positions whose values
        // may need adjusting to keep them exact (see `fix_positions`), found
        // by the columns' positions in the table.
        let mut statements: Vec<(Statement<'_>, Fixes)> = Vec::new();
        let mut by_shape: HashMap<Vec<usize>, usize> = HashMap::new();
        let text_cells = self.cells_are_text;
        // The table's columns the current row's keys name, in its order;
        // the statement for them; and the keys as the row spelled them.
        // Rows of a file mostly repeat the keys of the row before: then
        // the keys are compared, not looked up again.
        let mut shape: Vec<usize> = Vec::new();
        let mut current: Option<usize> = None;
        let mut current_keys: Vec<String> = Vec::new();
        // Per probe, where the current shape holds its key's columns (None
        // when the rows do not give the whole key).
        let mut probe_at: Vec<Option<Vec<usize>>> = Vec::new();
        let mut count: u64 = 0;
        let mut rows_read: u64 = 0;
        let mut keys: Vec<Json> = Vec::new();
        let target_name = self
            .target
            .as_ref()
            .expect("table prepared")
            .info
            .name
            .clone();
        let mut step = Step::Done;
        while let Some((row, mark)) = self.next()? {
            let same_keys = current.is_some()
                && row.len() == current_keys.len()
                && row.iter().zip(&current_keys).all(|((k, _), c)| k == c);
            if !same_keys {
                shape.clear();
                for (k, v) in &row {
                    let idx = match self.target.as_ref().expect("table prepared").lookup(k) {
                        Some(i) => i,
                        None => {
                            let i = self.add_column(cx, k, v, &mark.to_string())?;
                            // The table changed: statements are prepared anew.
                            statements.clear();
                            by_shape.clear();
                            i
                        }
                    };
                    shape.push(idx);
                }
                let at = match by_shape.get(&shape) {
                    Some(&at) => at,
                    None => {
                        let pos = mark.to_string();
                        self.check_shape(&shape, &pos)?;
                        let sql = self.statement_sql(&shape);
                        let stmt = cx.prepare(&sql).map_err(|e| e.at(&pos))?;
                        let fixes = self.fix_positions(&shape);
                        statements.push((stmt, fixes));
                        by_shape.insert(shape.clone(), statements.len() - 1);
                        statements.len() - 1
                    }
                };
                current = Some(at);
                current_keys.clear();
                current_keys.extend(row.iter().map(|(k, _)| k.clone()));
                probe_at.clear();
                probe_at.extend(probes.iter().map(|(_, key)| {
                    key.iter()
                        .map(|k| shape.iter().position(|c| c == k))
                        .collect::<Option<Vec<usize>>>()
                }));
            }
            let mut existed = false;
            for ((probe, _), at) in probes.iter_mut().zip(&probe_at) {
                let Some(at) = at else { continue };
                for (i, &p) in at.iter().enumerate() {
                    probe.raw_bind_parameter(i + 1, &row[p].1)?;
                }
                if probe.raw_query().next()?.is_some() {
                    existed = true;
                    break;
                }
            }
            let (stmt, fixes) = &mut statements[current.expect("statement prepared")];
            for (i, (_, v)) in row.iter().enumerate() {
                stmt.raw_bind_parameter(i + 1, v)?;
            }
            for &(p, affinity) in fixes.iter() {
                let (column, value) = &row[p];
                let exact = tabledef::exact_binding(value, column, affinity, text_cells)
                    .map_err(|e| e.at(&mark.to_string()))?;
                if let Some(exact) = exact {
                    stmt.raw_bind_parameter(p + 1, exact)?;
                }
            }
            let info = &self.target.as_ref().expect("table prepared").info;
            let changed = match super::execute_rows(conn, stmt, info) {
                Ok(n) => n,
                Err(e) => {
                    let table = Some(target_name.as_str());
                    let err = super::explain_foreign_key(conn, e, stmt, table);
                    return Err(err.at(&mark.to_string()));
                }
            };
            count += changed;
            rows_read += 1;
            match (self.mode, existed) {
                (Mode::Ignore, _) if changed == 0 => counts.ignored += 1,
                (Mode::Replace, true) => counts.replaced += changed,
                (Mode::Upsert, true) => counts.updated += changed,
                _ => counts.inserted += changed,
            }
            if rows_read.is_multiple_of(Progress::EVERY) {
                if let Some(p) = &self.progress {
                    p.rows(self.rows_done + rows_read);
                }
            }
            if keys.len() < MAX_EVENT_KEYS && changed > 0 {
                keys.push(self.row_key(conn, &row, &shape));
            }
            self.reader.recycle(row);
            if self.batch_size.is_some_and(|n| rows_read >= n) {
                step = Step::More;
                break;
            }
        }
        drop(statements);
        drop(probes);
        self.rows_done += rows_read;
        self.counts.set(counts);
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

/// The columns (indexes into `info.columns`) of each UNIQUE constraint or
/// index of a table other than its primary key, as a REPLACE conflicts on
/// them. Partial indexes and indexes on expressions are left out: whether
/// a row conflicts with them can not be told by column values alone.
fn unique_keys(conn: &rusqlite::Connection, info: &TableInfo) -> Result<Vec<Vec<usize>>> {
    let indexes: Vec<String> = conn
        .prepare(
            "SELECT name FROM pragma_index_list(?1, 'main') WHERE \"unique\" AND NOT partial AND origin <> 'pk' ORDER BY seq",
        )?
        .query_map([&info.name], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut keys = Vec::new();
    for index in indexes {
        let names: Vec<Option<String>> = conn
            .prepare("SELECT name FROM pragma_index_info(?1, 'main') ORDER BY seqno")?
            .query_map([&index], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let columns: Option<Vec<usize>> = names
            .iter()
            .map(|n| {
                let n = n.as_deref()?;
                info.columns
                    .iter()
                    .position(|c| c.name.eq_ignore_ascii_case(n))
            })
            .collect();
        keys.extend(columns);
    }
    Ok(keys)
}
