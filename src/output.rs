//! Printing rows: json, ndjson, csv, tsv and terminal tables.
//!
//! Rows are written as they come (the terminal table excepted, which needs
//! every row to size its columns) through the session's buffered stdout. BLOBs
//! print as `{"$base64": true, "encoded": "..."}`, the form insert reads.

use std::io::Write;

use rusqlite::types::{Value, ValueRef};
use serde_json::{json, Map, Value as Json};

use crate::cli::{OutputFormat, TableStyle};
use crate::error::{Error, Result};
use crate::input::value_to_json;

/// Rows held in memory (the rows SQL that writes returns).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResultSet {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

/// How rows are printed: a format and the switches `query` adds to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub format: OutputFormat,
    /// JSON rows as arrays of values, not objects.
    pub arrays: bool,
    /// CSV, TSV and tables print the header row.
    pub headers: bool,
    /// Text cells holding JSON objects or arrays are printed as JSON.
    pub json_cols: bool,
    pub table: TableStyle,
}

impl From<OutputFormat> for Style {
    fn from(format: OutputFormat) -> Style {
        Style {
            format,
            arrays: false,
            headers: true,
            json_cols: false,
            table: TableStyle::default(),
        }
    }
}

/// Writes rows in one format, one at a time.
///
/// Whatever happens, what it has written is valid output of its format once
/// it is finished or aborted: an error after some rows still closes the JSON
/// array (or, for a `--json` result object, ends it with the error).
pub struct RowWriter<W: Write> {
    out: Sink<W>,
    style: Style,
    columns: Vec<String>,
    /// The JSON object keys: the column names, a repeated one as `name_2`.
    keys: Vec<String>,
    count: u64,
    table: Vec<Vec<String>>,
    /// Per column of a terminal table: every value so far is a number or
    /// NULL (such columns are right-aligned, as tabulate aligns them).
    numeric: Vec<bool>,
}

enum Sink<W: Write> {
    Plain(W),
    Csv(Box<csv::Writer<W>>),
}

impl<W: Write> Sink<W> {
    /// The byte stream of the formats that are not CSV/TSV.
    fn plain(&mut self) -> &mut W {
        match self {
            Sink::Plain(w) => w,
            Sink::Csv(_) => unreachable!("csv and tsv output is written as records"),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::Plain(w) => w.flush(),
            Sink::Csv(w) => w.flush(),
        }
    }
}

impl<W: Write> RowWriter<W> {
    pub fn new(out: W, format: OutputFormat, columns: Vec<String>) -> Result<Self> {
        RowWriter::with_style(out, Style::from(format), columns)
    }

    pub fn with_style(out: W, style: Style, columns: Vec<String>) -> Result<Self> {
        let format = style.format;
        let out = match format {
            OutputFormat::Csv | OutputFormat::Tsv => {
                let delim = if format == OutputFormat::Csv {
                    b','
                } else {
                    b'\t'
                };
                let mut c = csv::WriterBuilder::new().delimiter(delim).from_writer(out);
                if style.headers {
                    c.write_record(&columns).map_err(csv_error)?;
                }
                Sink::Csv(Box::new(c))
            }
            _ => Sink::Plain(out),
        };
        let keys = dedupe(&columns);
        let mut w = RowWriter {
            out,
            style,
            columns,
            keys,
            count: 0,
            table: Vec::new(),
            numeric: Vec::new(),
        };
        match format {
            OutputFormat::Json => w.out.plain().write_all(b"[")?,
            OutputFormat::JsonResult => {
                let out = w.out.plain();
                out.write_all(b"{\"command\":\"query\",\"columns\":")?;
                serde_json::to_writer(&mut *out, &w.columns).map_err(std::io::Error::from)?;
                out.write_all(b",\"rows\":[")?;
            }
            _ => {}
        }
        Ok(w)
    }

    /// The JSON form of one row: an object (or an array with --arrays).
    fn json_row(&self, values: &[ValueRef<'_>]) -> Json {
        let cell = |v: &ValueRef<'_>| match v {
            ValueRef::Text(t) if self.style.json_cols => {
                json_cell(t).unwrap_or_else(|| value_to_json(v))
            }
            _ => value_to_json(v),
        };
        if self.style.arrays {
            Json::Array(values.iter().map(cell).collect())
        } else {
            let mut obj = Map::with_capacity(values.len());
            for (c, v) in self.keys.iter().zip(values) {
                obj.insert(c.clone(), cell(v));
            }
            Json::Object(obj)
        }
    }

    /// Writes one row.
    pub fn row(&mut self, values: &[ValueRef<'_>]) -> Result<()> {
        match self.style.format {
            OutputFormat::Json | OutputFormat::Ndjson | OutputFormat::JsonResult => {
                let row = self.json_row(values);
                let format = self.style.format;
                let first = self.count == 0;
                let out = self.out.plain();
                match format {
                    OutputFormat::Json => out.write_all(if first { b"\n" } else { b",\n" })?,
                    OutputFormat::JsonResult if !first => out.write_all(b",")?,
                    _ => {}
                }
                serde_json::to_writer(&mut *out, &row).map_err(std::io::Error::from)?;
                if format == OutputFormat::Ndjson {
                    out.write_all(b"\n")?;
                }
            }
            OutputFormat::Csv | OutputFormat::Tsv => {
                if let Sink::Csv(c) = &mut self.out {
                    c.write_record(values.iter().map(csv_cell))
                        .map_err(csv_error)?;
                }
            }
            OutputFormat::Table => {
                self.numeric.resize(values.len(), true);
                for (numeric, v) in self.numeric.iter_mut().zip(values) {
                    *numeric &=
                        matches!(v, ValueRef::Null | ValueRef::Integer(_) | ValueRef::Real(_));
                }
                self.table.push(values.iter().map(text_cell).collect());
            }
            OutputFormat::Raw | OutputFormat::RawLines => {
                let first_only = self.style.format == OutputFormat::Raw;
                if !(first_only && self.count > 0) {
                    let out = self.out.plain();
                    match values.first() {
                        Some(ValueRef::Text(b) | ValueRef::Blob(b)) => out.write_all(b)?,
                        Some(ValueRef::Null) | None => {}
                        Some(v) => out.write_all(text_cell(v).as_bytes())?,
                    }
                    if !first_only {
                        out.write_all(b"\n")?;
                    }
                }
            }
        }
        self.count += 1;
        Ok(())
    }

    /// True when no more rows will be printed (`--raw` has its one value).
    pub fn satisfied(&self) -> bool {
        self.style.format == OutputFormat::Raw && self.count > 0
    }

    /// Ends the output and flushes it.
    pub fn finish(mut self) -> Result<()> {
        match self.style.format {
            OutputFormat::Json => {
                let end: &[u8] = if self.count == 0 { b"]\n" } else { b"\n]\n" };
                self.out.plain().write_all(end)?;
            }
            OutputFormat::JsonResult => {
                self.out.plain().write_all(b"],\"ok\":true}\n")?;
            }
            OutputFormat::Table => {
                let t = render_table(self.style, &self.columns, &self.table, &self.numeric);
                writeln!(self.out.plain(), "{t}")?;
            }
            _ => {}
        }
        self.out.flush()?;
        Ok(())
    }

    /// Ends the output after an error so that it stays valid: a JSON array
    /// is closed, a `--json` result object ends with the error (marked as
    /// printed, so it is not printed twice), the rest is flushed as it is.
    pub fn abort(mut self, mut err: Error) -> Error {
        let ended = match self.style.format {
            OutputFormat::Json => {
                let end: &[u8] = if self.count == 0 { b"]\n" } else { b"\n]\n" };
                self.out.plain().write_all(end)
            }
            OutputFormat::JsonResult => {
                let tail = json!({"ok": false, "error": err.to_string(), "kind": err.kind.name()});
                let tail = tail.to_string();
                err.printed_json = true;
                // `{"ok":...}` minus its `{`, after the rows.
                self.out
                    .plain()
                    .write_all(format!("],{}\n", &tail[1..]).as_bytes())
            }
            _ => Ok(()),
        };
        let _ = ended.and_then(|()| self.out.flush());
        err
    }
}

/// Column names as JSON object keys: a repeated name gets `_2`, `_3`, ...
/// (as sqlite-utils does), so no value is lost to a duplicate key.
fn dedupe(columns: &[String]) -> Vec<String> {
    let mut keys: Vec<String> = Vec::with_capacity(columns.len());
    for c in columns {
        let mut key = c.clone();
        let mut n = 2;
        while keys.contains(&key) {
            key = format!("{c}_{n}");
            n += 1;
        }
        keys.push(key);
    }
    keys
}

/// A record's time (RFC 3339, to the microsecond) as a terminal table
/// shows it: to the second, which is what a reader compares.
pub fn table_time(time: &str) -> String {
    match (time.split_once('.'), time.ends_with('Z')) {
        (Some((seconds, _)), true) => format!("{seconds}Z"),
        _ => time.to_string(),
    }
}

/// What a terminal table shows where the authorizer left a record's
/// values out.
pub const HIDDEN_CELL: &str = "(hidden)";

/// A terminal table of records (`show`, `history`, `audit`, `tx list`):
/// each record on one line (line breaks in a cell, as in the SQL of a
/// CREATE TABLE, become spaces) and, when the width is known, the table
/// fit to it: the columns `fit` does not name keep their whole values, the
/// `cut` columns share the room left (a cell too long for its share is cut
/// with an ellipsis), and if even that can not fit, the `drop` columns are
/// left out. The whole records are what `--json` prints.
pub fn records_table(columns: &[&str], objects: &[Json], fit: Fit<'_>) -> comfy_table::Table {
    let mut rows: Vec<Vec<String>> = objects
        .iter()
        .map(|o| {
            columns
                .iter()
                .map(|c| match &o[*c] {
                    Json::Null => String::new(),
                    Json::String(s) => one_line(s),
                    other => one_line(&other.to_string()),
                })
                .collect()
        })
        .collect();
    let mut shown: Vec<usize> = (0..columns.len()).collect();
    if let Some(width) = fit.width {
        let layout = Layout::new(columns, &rows, fit);
        shown = layout.shown(usize::from(width));
        let shares = layout.shares(&shown, usize::from(width));
        for row in &mut rows {
            for (i, share) in shown.iter().zip(&shares) {
                if let Some(share) = share {
                    row[*i] = cut(&row[*i], *share);
                }
            }
        }
    }
    let mut t = comfy_table::Table::new();
    t.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED)
        .set_header(shown.iter().map(|i| columns[*i]));
    for row in rows {
        t.add_row(shown.iter().map(|i| row[*i].clone()));
    }
    t
}

/// The room a table keeps for the text of its cut columns, leaving out
/// `drop` columns for it: enough to read the start of a statement.
const READABLE: usize = 24;

/// The widths a records table's columns need, and which may give way.
struct Layout<'a> {
    columns: &'a [&'a str],
    /// The widest cell of each column, its header included.
    needs: Vec<usize>,
    fit: Fit<'a>,
}

impl<'a> Layout<'a> {
    fn new(columns: &'a [&'a str], rows: &[Vec<String>], fit: Fit<'a>) -> Layout<'a> {
        use unicode_width::UnicodeWidthStr;
        let needs = columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                rows.iter()
                    .map(|r| r[i].width())
                    .fold(c.width(), usize::max)
            })
            .collect();
        Layout {
            columns,
            needs,
            fit,
        }
    }

    fn is_cut(&self, i: usize) -> bool {
        self.fit.cut.contains(&self.columns[i])
    }

    /// The least width column `i` takes: a cut one its header's.
    fn floor(&self, i: usize) -> usize {
        use unicode_width::UnicodeWidthStr;
        if self.is_cut(i) {
            self.columns[i].width().min(self.needs[i])
        } else {
            self.needs[i]
        }
    }

    /// Each column has a space either side and a border after it; one
    /// more border before the first.
    fn borders(n: usize) -> usize {
        3 * n + 1
    }

    /// The columns shown at `width`: all, less the `drop` ones (in order)
    /// while the rest can not fit with [`READABLE`] columns to spare for
    /// the text of the cut ones (or what they need, if less).
    fn shown(&self, width: usize) -> Vec<usize> {
        let mut shown: Vec<usize> = (0..self.columns.len()).collect();
        for name in self.fit.drop {
            let least: usize = shown.iter().map(|i| self.floor(*i)).sum();
            let wanted: usize = shown
                .iter()
                .filter(|i| self.is_cut(**i))
                .map(|i| self.needs[*i] - self.floor(*i))
                .sum();
            if least + Self::borders(shown.len()) + wanted.min(READABLE) <= width {
                break;
            }
            shown.retain(|i| self.columns[*i] != *name);
        }
        shown
    }

    /// The width each shown `cut` column may have (None for the others,
    /// and for all when the table fits anyway): the room the other columns
    /// and the borders leave is shared out, a column needing less than its
    /// share keeping only what it needs, none narrower than its floor.
    fn shares(&self, shown: &[usize], width: usize) -> Vec<Option<usize>> {
        let kept: usize = shown
            .iter()
            .filter(|i| !self.is_cut(**i))
            .map(|i| self.needs[*i])
            .sum();
        let mut room = width.saturating_sub(Self::borders(shown.len()) + kept);
        let mut elastic: Vec<(usize, usize)> = shown
            .iter()
            .enumerate()
            .filter(|(_, i)| self.is_cut(**i))
            .map(|(at, i)| (at, *i))
            .collect();
        let mut shares = vec![None; shown.len()];
        if elastic.iter().map(|(_, i)| self.needs[*i]).sum::<usize>() <= room {
            return shares;
        }
        elastic.sort_by_key(|(_, i)| self.needs[*i]);
        for (n, (at, i)) in elastic.iter().enumerate() {
            let fair = room / (elastic.len() - n);
            let share = self.needs[*i].min(fair).max(self.floor(*i));
            shares[*at] = Some(share);
            room = room.saturating_sub(share);
        }
        shares
    }
}

/// Text cut to at most `width` columns on screen, ending in "…" when cut.
fn cut(text: &str, width: usize) -> String {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// Text on one line: each run of white space that holds a line break or
/// a tab becomes one space; other control characters are shown escaped.
pub fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let mut breaks = false;
    for c in text.chars() {
        if c.is_whitespace() {
            breaks |= c != ' ';
            run.push(c);
            continue;
        }
        if !run.is_empty() {
            out.push_str(if breaks { " " } else { &run });
            run.clear();
            breaks = false;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    if !run.is_empty() {
        out.push_str(if breaks { " " } else { &run });
    }
    out
}

/// A text cell's JSON when it holds a JSON object or array (`--json-cols`).
fn json_cell(text: &[u8]) -> Option<Json> {
    let trimmed = std::str::from_utf8(text).ok()?.trim();
    if !(trimmed.starts_with('{') || trimmed.starts_with('[')) {
        return None;
    }
    serde_json::from_str(trimmed).ok()
}

/// A terminal table in the chosen style; `numeric` columns right-aligned.
fn render_table(
    style: Style,
    columns: &[String],
    rows: &[Vec<String>],
    numeric: &[bool],
) -> comfy_table::Table {
    use comfy_table::presets;
    let mut t = comfy_table::Table::new();
    // The tabulate styles sqlite-utils' --fmt names, drawn with comfy-table
    // (its characters in `TableComponent` order, where no preset matches:
    // ASCII_FULL's header line has no column crossings, ASCII_BORDERS_ONLY
    // has no column lines, ASCII_HORIZONTAL_ONLY rules every row).
    const GRID: &str = "||--+=++|-+++++++++";
    const FANCY_GRID: &str = "││══╞═╪╡│─┼├┤╤╧╒╕╘╛";
    const PSQL: &str = "||--|-+||    ++++++";
    const SIMPLE: &str = "     -             ";
    t.load_preset(match style.table {
        TableStyle::Utf8 | TableStyle::Rounded => presets::UTF8_FULL_CONDENSED,
        TableStyle::Github => presets::ASCII_MARKDOWN,
        TableStyle::Grid => GRID,
        TableStyle::FancyGrid => FANCY_GRID,
        TableStyle::Psql => PSQL,
        TableStyle::Simple => SIMPLE,
        TableStyle::Plain => presets::NOTHING,
    });
    if style.table == TableStyle::Rounded {
        t.apply_modifier(comfy_table::modifiers::UTF8_ROUND_CORNERS);
    }
    if style.headers {
        t.set_header(columns);
    }
    for r in rows {
        t.add_row(r);
    }
    for (i, _) in numeric.iter().enumerate().filter(|(_, n)| **n) {
        if let Some(column) = t.column_mut(i) {
            column.set_cell_alignment(comfy_table::CellAlignment::Right);
        }
    }
    t
}

fn csv_error(e: csv::Error) -> crate::error::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => io.into(),
        other => crate::error::Error::sql(format!("{other:?}")),
    }
}

/// A value's bytes in csv and tsv: text exactly as stored, even when it is
/// not UTF-8 (which [`text_cell`]'s lossy conversion would change, as the
/// raw formats and the sqlite3 shell do not); the rest as [`text_cell`].
fn csv_cell<'v>(v: &'v ValueRef<'_>) -> std::borrow::Cow<'v, [u8]> {
    match v {
        ValueRef::Text(t) => std::borrow::Cow::Borrowed(t),
        other => std::borrow::Cow::Owned(text_cell(other).into_bytes()),
    }
}

/// A value as plain text for csv, tsv and tables (BLOBs as their JSON form).
/// A REAL is its shortest exact text, which stays a REAL when read back
/// (`2.0`, `1e300`); Rust's `Display` prints `2` (read back as an INTEGER)
/// and 1e300 as 301 digits.
fn text_cell(v: &ValueRef<'_>) -> String {
    match v {
        ValueRef::Null => String::new(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(f) => crate::tabledef::float_text(*f),
        ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
        ValueRef::Blob(_) => value_to_json(v).to_string(),
    }
}

/// Prints a result set held in memory, in a `query` style.
pub fn print_result_set_styled(out: impl Write, set: &ResultSet, style: Style) -> Result<()> {
    let mut w = RowWriter::with_style(out, style, set.columns.clone())?;
    for row in &set.rows {
        let refs: Vec<ValueRef<'_>> = row.iter().map(ValueRef::from).collect();
        w.row(&refs)?;
    }
    w.finish()
}

/// Prints one JSON value on stdout followed by a newline.
pub fn print_json(mut out: impl Write, value: &Json) -> Result<()> {
    serde_json::to_writer(&mut out, value).map_err(std::io::Error::from)?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(())
}

/// How a terminal table of records fits the screen (see [`records_table`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct Fit<'a> {
    /// The width to fit; None: as wide as the cells.
    pub width: Option<u16>,
    /// The columns whose cells may be cut (free text: SQL, errors, row
    /// images, labels); the others keep their whole values.
    pub cut: &'a [&'a str],
    /// The columns left out, in this order, while the table can not fit
    /// even with every `cut` column as narrow as its header.
    pub drop: &'a [&'a str],
}

/// Prints JSON objects: as JSON for json/ndjson, else as cells of the
/// given columns (strings as they are, other values as JSON text). A
/// terminal table is fit as `fit` says; the other formats keep every cell
/// whole.
pub fn print_objects(
    mut out: impl Write,
    columns: &[&str],
    objects: &[Json],
    format: OutputFormat,
    fit: Fit<'_>,
) -> Result<()> {
    match format {
        OutputFormat::Table => {
            writeln!(out, "{}", records_table(columns, objects, fit))?;
            out.flush()?;
            Ok(())
        }
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut out, objects).map_err(std::io::Error::from)?;
            out.write_all(b"\n")?;
            out.flush()?;
            Ok(())
        }
        OutputFormat::Ndjson => {
            for o in objects {
                serde_json::to_writer(&mut out, o).map_err(std::io::Error::from)?;
                out.write_all(b"\n")?;
            }
            out.flush()?;
            Ok(())
        }
        _ => {
            let cols: Vec<String> = columns.iter().map(|c| c.to_string()).collect();
            let mut w = RowWriter::new(out, format, cols)?;
            for o in objects {
                let cells: Vec<Value> = columns
                    .iter()
                    .map(|c| match &o[*c] {
                        Json::Null => Value::Null,
                        Json::String(s) => Value::Text(s.clone()),
                        other => Value::Text(other.to_string()),
                    })
                    .collect();
                let refs: Vec<ValueRef<'_>> = cells.iter().map(ValueRef::from).collect();
                w.row(&refs)?;
            }
            w.finish()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(format: OutputFormat) -> String {
        let mut buf = Vec::new();
        let mut w = RowWriter::new(&mut buf, format, vec!["a".into(), "b".into()]).unwrap();
        w.row(&[ValueRef::Integer(1), ValueRef::Text(b"x,y")])
            .unwrap();
        w.row(&[ValueRef::Null, ValueRef::Blob(b"hi")]).unwrap();
        w.finish().unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn formats() {
        assert_eq!(
            render(OutputFormat::Json),
            "[\n{\"a\":1,\"b\":\"x,y\"},\n{\"a\":null,\"b\":{\"$base64\":true,\"encoded\":\"aGk=\"}}\n]\n"
        );
        assert_eq!(
            render(OutputFormat::Ndjson),
            "{\"a\":1,\"b\":\"x,y\"}\n{\"a\":null,\"b\":{\"$base64\":true,\"encoded\":\"aGk=\"}}\n"
        );
        assert!(render(OutputFormat::Csv).starts_with("a,b\n1,\"x,y\"\n"));
        assert!(render(OutputFormat::Tsv).starts_with("a\tb\n1\tx,y\n"));
        assert!(render(OutputFormat::Table).contains("x,y"));
    }
}
