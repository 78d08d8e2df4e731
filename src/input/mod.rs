//! Row readers: turn an input file or stdin into a stream of rows.
//!
//! A row is a list of `(column, value)` pairs in the input's key order. The
//! formats are a JSON array of objects, a single JSON object, newline-delimited
//! JSON (or concatenated, pretty-printed objects as `jq` prints them), CSV and
//! TSV. [`open`] picks the format from the options, the file extension or the
//! first non-blank byte, and returns a [`RowReader`] that yields one row at a
//! time: memory stays flat however large the input is, JSON arrays included.
//!
//! Input errors are usage errors whose message names the input and the
//! position (`rows.ndjson line 3: ...`, `rows.json element 2 at byte 57: ...`).
//!
//! This module also holds the one conversion between JSON values and SQL
//! values ([`json_to_value`], [`value_to_json`]): nested objects and arrays
//! become JSON text, and `{"$base64": true, "encoded": "..."}` is a BLOB.

mod csv;
mod json;
mod sniff;
mod text;

use std::fmt::Display;
use std::io::{self, Chain, Cursor, Read};
use std::path::Path;

use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine as _;
use json::has_big_integer;
use rusqlite::types::{Value, ValueRef};

use crate::error::{Error, Result};

/// One input row: column name -> value, in the input's key order.
pub type Row = Vec<(String, Value)>;

/// The input format; `Auto` detects it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Auto,
    Json,
    Nl,
    Csv,
    Tsv,
    /// Each line is a row with one column, `line`.
    Lines,
    /// The whole input is one row with one column, `text`.
    Text,
}

/// How to read an input.
#[derive(Clone, Debug, Default)]
pub struct ReadOptions {
    pub format: Format,
    /// Turn nested objects into `parent_child` columns.
    pub flatten: bool,
    /// CSV/TSV dialect and cell handling.
    pub csv: CsvOptions,
    /// The input's character encoding, when it is not UTF-8: it is decoded
    /// to UTF-8 as it is read.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Counts the input's bytes as they are read (for the progress bar).
    pub bytes_read: Option<std::sync::Arc<std::sync::atomic::AtomicU64>>,
    /// Where warnings about the input go.
    pub diag: crate::session::Diag,
}

/// CSV/TSV options, named as sqlite-utils names them.
#[derive(Clone, Debug, Default)]
pub struct CsvOptions {
    /// The field delimiter (default `,` for CSV, tab for TSV).
    pub delimiter: Option<u8>,
    /// The quote character (default `"`).
    pub quote: Option<u8>,
    /// Detect the delimiter and quote character from the start of the input.
    pub sniff: bool,
    /// The first record is a row; columns are `untitled_1`, `untitled_2`, ...
    pub no_headers: bool,
    /// Empty cells are NULL rather than `''`.
    pub empty_null: bool,
}

/// The encoding a user names (`latin-1`, `cp1252`, `utf-16le`, ...), by the
/// WHATWG labels encoding_rs knows, also written with `_` or without `-`.
/// Note that the WHATWG `latin1` / `iso-8859-1` is windows-1252, a superset.
pub fn encoding_for(name: &str) -> Result<&'static encoding_rs::Encoding> {
    let label = name.trim().to_ascii_lowercase();
    [
        label.clone(),
        label.replace('_', "-"),
        label.replace(['_', '-'], ""),
    ]
    .iter()
    .find_map(|l| encoding_rs::Encoding::for_label(l.as_bytes()))
    .ok_or_else(|| {
        Error::usage(format!(
            "unknown encoding \"{name}\"; use a name such as utf-8, latin-1, cp1252, utf-16le or shift_jis"
        ))
    })
}

/// Where a row came from: cheap to copy, shown as the position text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// A single object, which needs no position.
    None,
    /// The 1-based physical line where the row starts (NDJSON, CSV/TSV, whose header is line 1).
    Line(u64),
    /// A JSON array's 0-based element index and the byte offset where it starts.
    Element { index: u64, offset: u64 },
    /// The COL=VALUE arguments.
    CommandLine,
}

impl std::fmt::Display for Mark {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Mark::None => Ok(()),
            Mark::Line(n) => write!(f, "line {n}"),
            Mark::Element { index, offset } => write!(f, "element {index} at byte {offset}"),
            Mark::CommandLine => f.write_str("command line"),
        }
    }
}

/// A stream of rows.
pub trait RowReader: Send {
    /// The next row, or None at the end of input.
    fn next_row(&mut self) -> Result<Option<Row>>;
    /// Where the row last returned by next_row came from.
    fn mark(&self) -> Mark;
    /// The same as text for error messages: "line 3", "element 5 at byte
    /// 1234", or "" for a single object.
    fn position(&self) -> String {
        self.mark().to_string()
    }
    /// True when every value is the text of a cell (CSV/TSV), whose type the
    /// column decides, rather than a typed JSON value.
    fn cells_are_text(&self) -> bool {
        false
    }
    /// Takes back a row the caller is done with. A reader that made its
    /// rows on another thread frees them there ([`prefetch`]): memory is
    /// freed fastest by the thread that allocated it.
    fn recycle(&mut self, row: Row) {
        drop(row);
    }
}

/// At most `limit` rows of another reader (`--stop-after`).
pub fn stop_after(inner: Box<dyn RowReader>, limit: u64) -> Box<dyn RowReader> {
    Box::new(StopAfter { inner, left: limit })
}

struct StopAfter {
    inner: Box<dyn RowReader>,
    left: u64,
}

impl RowReader for StopAfter {
    fn next_row(&mut self) -> Result<Option<Row>> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        self.inner.next_row()
    }
    fn mark(&self) -> Mark {
        self.inner.mark()
    }
    fn cells_are_text(&self) -> bool {
        self.inner.cells_are_text()
    }
    fn recycle(&mut self, row: Row) {
        self.inner.recycle(row);
    }
}

/// Rows read ahead on a second thread, in batches, so that parsing the
/// input overlaps with writing it; at most a few batches are in flight, so
/// memory stays flat. Errors arrive in order, after the rows before them.
/// Rows given back ([`RowReader::recycle`]) go back to that thread to be
/// freed, so each thread frees only what it allocated.
pub fn prefetch(mut inner: Box<dyn RowReader>) -> Box<dyn RowReader> {
    let cells_are_text = inner.cells_are_text();
    let (tx, rx) = std::sync::mpsc::sync_channel::<Result<Vec<(Row, Mark)>>>(4);
    // Unbounded, so the writer never waits on it: what it holds is bounded
    // by the rows sent, which the channel above bounds.
    let (done_tx, done_rx) = std::sync::mpsc::channel::<Vec<Row>>();
    std::thread::spawn(move || loop {
        while let Ok(done) = done_rx.try_recv() {
            drop(done);
        }
        let mut batch = Vec::with_capacity(PREFETCH_BATCH);
        let end = loop {
            match inner.next_row() {
                Ok(Some(row)) => {
                    batch.push((row, inner.mark()));
                    if batch.len() == PREFETCH_BATCH {
                        break None;
                    }
                }
                Ok(None) => break Some(Ok(())),
                Err(e) => break Some(Err(e)),
            }
        };
        if !batch.is_empty() && tx.send(Ok(batch)).is_err() {
            return;
        }
        match end {
            None => {}
            Some(Ok(())) => return,
            Some(Err(e)) => {
                let _ = tx.send(Err(e));
                return;
            }
        }
    });
    Box::new(Prefetched {
        rx,
        batch: Vec::new().into_iter(),
        mark: Mark::None,
        cells_are_text,
        done_tx,
        done: Vec::new(),
    })
}

/// Rows [`prefetch`] sends at a time (and takes back at a time).
const PREFETCH_BATCH: usize = 256;

struct Prefetched {
    rx: std::sync::mpsc::Receiver<Result<Vec<(Row, Mark)>>>,
    batch: std::vec::IntoIter<(Row, Mark)>,
    mark: Mark,
    cells_are_text: bool,
    /// Rows given back, on their way to the reading thread.
    done_tx: std::sync::mpsc::Sender<Vec<Row>>,
    done: Vec<Row>,
}

impl RowReader for Prefetched {
    fn next_row(&mut self) -> Result<Option<Row>> {
        loop {
            if let Some((row, mark)) = self.batch.next() {
                self.mark = mark;
                return Ok(Some(row));
            }
            match self.rx.recv() {
                Ok(Ok(batch)) => self.batch = batch.into_iter(),
                Ok(Err(e)) => return Err(e),
                // The reader finished (or is gone): no more rows.
                Err(_) => return Ok(None),
            }
        }
    }
    fn mark(&self) -> Mark {
        self.mark
    }
    fn cells_are_text(&self) -> bool {
        self.cells_are_text
    }
    fn recycle(&mut self, row: Row) {
        self.done.push(row);
        if self.done.len() == PREFETCH_BATCH {
            // A reading thread that has finished frees nothing more: the
            // rows are dropped here then.
            let _ = self.done_tx.send(std::mem::replace(
                &mut self.done,
                Vec::with_capacity(PREFETCH_BATCH),
            ));
        }
    }
}

/// The raw input after the BOM check: the bytes read while looking for a BOM,
/// then the rest of the reader.
type Input = Chain<Cursor<Vec<u8>>, Box<dyn Read + Send>>;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Opens a row reader on a file (`Some(path)`; `-` is stdin too) or stdin (`None`).
///
/// The format comes from `opts.format`; `Auto` picks CSV/TSV from a `.csv` /
/// `.tsv` file extension (case-insensitive), else detects JSON from the first
/// non-blank byte (after a UTF-8 BOM): `[` is a JSON array, `{` a single object
/// or NDJSON. Anything else is a usage error. An empty input has no rows.
pub fn open(
    path: Option<&Path>,
    opts: &ReadOptions,
    stdin: impl FnOnce() -> Box<dyn Read + Send>,
) -> Result<Box<dyn RowReader>> {
    match path {
        Some(path) if path.as_os_str() != "-" => {
            let name = path.display().to_string();
            let file = std::fs::File::open(path)
                .map_err(|err| Error::usage(format!("can not open {name}: {err}")))?;
            from_reader(Box::new(file), &name, opts, Some(path))
        }
        _ => from_reader(stdin(), "stdin", opts, None),
    }
}

/// Same as [`open`] on any reader; `name` is used in error messages
/// (`rows.ndjson`, `stdin`) and `path_hint` for the extension check.
pub fn from_reader(
    reader: Box<dyn Read + Send>,
    name: &str,
    opts: &ReadOptions,
    path_hint: Option<&Path>,
) -> Result<Box<dyn RowReader>> {
    let reader: Box<dyn Read + Send> = match &opts.bytes_read {
        Some(bytes) => Box::new(crate::progress::Counted {
            inner: reader,
            bytes: std::sync::Arc::clone(bytes),
        }),
        None => reader,
    };
    let (reader, utf16) = utf16_bom(reader, name)?;
    let reader: Box<dyn Read + Send> = match opts.encoding.or(utf16) {
        Some(encoding) => {
            // A UTF-8 byte-order mark says the file is UTF-8: decoded as
            // another encoding its text would change (é as Ã©) and its
            // first column name would start with the mark's characters.
            let (raw, bom_len) = skip_bom(reader, name)?;
            if bom_len > 0 && encoding != encoding_rs::UTF_8 {
                return Err(Error::usage(format!(
                    "{name} starts with a UTF-8 byte-order mark, so it is UTF-8, not the --encoding given ({}); drop --encoding",
                    encoding.name()
                )));
            }
            Box::new(
                encoding_rs_io::DecodeReaderBytesBuilder::new()
                    .encoding(Some(encoding))
                    .build(raw),
            )
        }
        None => reader,
    };
    let (input, bom_len) = skip_bom(reader, name)?;
    let format = match opts.format {
        Format::Auto if has_extension(path_hint, "csv") => Format::Csv,
        Format::Auto if has_extension(path_hint, "tsv") => Format::Tsv,
        Format::Auto if opts.csv.sniff => Format::Csv,
        format => format,
    };
    match format {
        Format::Csv | Format::Tsv => {
            let default = if format == Format::Csv { b',' } else { b'\t' };
            let mut csv = opts.csv.clone();
            let input = if csv.sniff {
                let (input, sniffed) = sniff::sniff(input, name)?;
                csv.delimiter = csv.delimiter.or(sniffed.delimiter);
                csv.quote = csv.quote.or(sniffed.quote);
                input
            } else {
                input
            };
            let delimiter = csv.delimiter.unwrap_or(default);
            Ok(Box::new(self::csv::CsvReader::new(
                input, name, &csv, delimiter, &opts.diag,
            )?))
        }
        Format::Lines => Ok(Box::new(text::LinesReader::new(input, name))),
        Format::Text => Ok(Box::new(text::TextReader::new(input, name))),
        Format::Nl => Ok(Box::new(json::NdjsonReader::new(input, name, opts.flatten))),
        Format::Auto | Format::Json => json::open(input, name, opts, bom_len),
    }
}

/// The encoding a UTF-16 byte-order mark at the start names, if there is
/// one (the bytes are put back): such input needs no --encoding, as no UTF-8
/// text starts with 0xFF or 0xFE. Excel's "Unicode Text" is UTF-16LE so.
fn utf16_bom(
    mut reader: Box<dyn Read + Send>,
    name: &str,
) -> Result<(Box<dyn Read + Send>, Option<&'static encoding_rs::Encoding>)> {
    let mut head = [0u8; 2];
    let len = read_head(&mut reader, &mut head, name)?;
    let encoding = match head[..len] {
        [0xFF, 0xFE] => Some(encoding_rs::UTF_16LE),
        [0xFE, 0xFF] => Some(encoding_rs::UTF_16BE),
        _ => None,
    };
    Ok((
        Box::new(Cursor::new(head[..len].to_vec()).chain(reader)),
        encoding,
    ))
}

/// Reads the first bytes of the input into `head` (fewer at its end):
/// how many were read.
fn read_head(reader: &mut Box<dyn Read + Send>, head: &mut [u8], name: &str) -> Result<usize> {
    let mut len = 0;
    while len < head.len() {
        match reader.read(&mut head[len..]) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(read_error(name, err)),
        }
    }
    Ok(len)
}

/// Reads past a UTF-8 BOM at the start; other leading bytes are put back.
fn skip_bom(mut reader: Box<dyn Read + Send>, name: &str) -> Result<(Input, u64)> {
    let mut head = [0u8; 3];
    let len = read_head(&mut reader, &mut head, name)?;
    if head[..len] == *UTF8_BOM {
        Ok((Cursor::new(Vec::new()).chain(reader), UTF8_BOM.len() as u64))
    } else {
        Ok((Cursor::new(head[..len].to_vec()).chain(reader), 0))
    }
}

fn has_extension(path: Option<&Path>, ext: &str) -> bool {
    path.and_then(Path::extension)
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// An input error: `{name} {position}: {what}` (or `{name}: {what}`).
fn input_error(name: &str, position: &str, what: impl Display) -> Error {
    if position.is_empty() {
        Error::usage(format!("{name}: {what}"))
    } else {
        Error::usage(format!("{name} {position}: {what}"))
    }
}

fn read_error(name: &str, err: io::Error) -> Error {
    Error::usage(format!("{name}: can not read the input: {err}"))
}

/// Inline arguments: `name=alice` (text value) and `age:=30` (any JSON value,
/// converted like input values).
///
/// The argument splits at its first `=`; when the character before it is
/// `:`, the value is JSON. With `flatten`, an object value must flatten to
/// exactly one column (`a:={"b": 1}` is column `a_b`); see
/// [`parse_assignment_row`] for the general case.
pub fn parse_assignment(arg: &str, flatten: bool) -> Result<(String, Value)> {
    let mut row = parse_assignment_row(arg, flatten)?;
    if row.len() == 1 {
        Ok(row.remove(0))
    } else {
        Err(Error::usage(format!(
            "argument \"{arg}\" flattens to {} columns, not one; give each column as its own argument",
            row.len()
        )))
    }
}

/// Like [`parse_assignment`], but with `flatten` an object value becomes all
/// the columns it flattens to (possibly none, for `{}`).
pub fn parse_assignment_row(arg: &str, flatten: bool) -> Result<Row> {
    let Some(eq) = arg.find('=') else {
        return Err(Error::usage(format!(
            "argument \"{arg}\" is not COLUMN=TEXT or COLUMN:=JSON"
        )));
    };
    let is_json = arg[..eq].ends_with(':');
    let key = if is_json { &arg[..eq - 1] } else { &arg[..eq] };
    if key.is_empty() {
        return Err(Error::usage(format!(
            "argument \"{arg}\" has an empty column name"
        )));
    }
    let raw = &arg[eq + 1..];
    if !is_json {
        return Ok(vec![(key.to_string(), Value::Text(raw.to_string()))]);
    }
    let json: serde_json::Value = serde_json::from_str(raw).map_err(|err| {
        Error::usage(format!(
            "argument \"{arg}\" holds invalid JSON: {}",
            json::serde_message(&err)
        ))
        .with_hint(format!("use {key}=VALUE for a text value"))
    })?;
    // Integers too large for 64 bits reach serde_json's Value as rounded
    // floats: look for them in the text.
    if has_big_integer(&json) {
        let object = format!("{{{}:{raw}}}", serde_json::Value::from(key));
        json::check_integers(object.as_bytes(), flatten)
            .map_err(|err| Error::usage(format!("argument \"{arg}\": {}", err.message)))?;
    }
    let mut row = Row::new();
    let added = match json {
        serde_json::Value::Object(map) => add_object(&mut row, key.to_string(), map, flatten),
        other => json_to_value(other).map(|v| push_column(&mut row, key.to_string(), v)),
    };
    added.map_err(|err| Error {
        message: format!("argument \"{arg}\": {}", err.message),
        ..err
    })?;
    Ok(row)
}

/// Converts one JSON value to an SQL value: null is NULL, booleans are 0/1,
/// integers that fit i64 are INTEGER (a larger integer is a usage error,
/// never a rounded REAL), other numbers REAL, strings TEXT,
/// `{"$base64": true, "encoded": "..."}` a BLOB (bad base64 is a usage
/// error), and other objects and arrays TEXT holding compact JSON.
pub fn json_to_value(v: serde_json::Value) -> Result<Value> {
    use serde_json::Value as J;
    Ok(match v {
        J::Null => Value::Null,
        J::Bool(b) => Value::Integer(i64::from(b)),
        J::Number(n) => match n.as_i64() {
            Some(i) => Value::Integer(i),
            None if n.is_u64() => {
                return Err(
                    Error::usage(format!("the integer {n} does not fit in 64 bits"))
                        .with_hint("give it as a JSON string to keep its digits"),
                )
            }
            None => Value::Real(n.as_f64().unwrap_or(f64::NAN)),
        },
        J::String(s) => Value::Text(s),
        J::Array(_) => Value::Text(v.to_string()),
        J::Object(map) if is_blob(&map) => decode_blob(&map)?,
        J::Object(_) => Value::Text(v.to_string()),
    })
}

/// The inverse used by output: a BLOB is `{"$base64": true, "encoded": ...}`,
/// a non-finite REAL is null, the rest are themselves.
pub fn value_to_json(v: &ValueRef<'_>) -> serde_json::Value {
    use serde_json::Value as J;
    match *v {
        ValueRef::Null => J::Null,
        ValueRef::Integer(i) => J::from(i),
        ValueRef::Real(f) => serde_json::Number::from_f64(f).map_or(J::Null, J::Number),
        ValueRef::Text(t) => J::String(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => {
            let mut map = serde_json::Map::with_capacity(2);
            map.insert("$base64".to_string(), J::Bool(true));
            map.insert(
                "encoded".to_string(),
                J::String(base64::engine::general_purpose::STANDARD.encode(b)),
            );
            J::Object(map)
        }
    }
}

/// Adds a column; a key seen before in the same row keeps its place and takes
/// the later value, as JSON parsers do with duplicate keys.
fn push_column(row: &mut Row, name: String, value: Value) {
    match row.iter_mut().find(|(k, _)| *k == name) {
        Some(slot) => slot.1 = value,
        None => row.push((name, value)),
    }
}

/// Adds an object-valued column: a BLOB if it is a `$base64` object, else
/// flattened into `key_child` columns, else JSON text.
fn add_object(
    row: &mut Row,
    key: String,
    map: serde_json::Map<String, serde_json::Value>,
    flatten: bool,
) -> Result<()> {
    if is_blob(&map) {
        let blob = decode_blob(&map)
            .map_err(|err| Error::usage(format!("column \"{key}\": {}", err.message)))?;
        push_column(row, key, blob);
    } else if flatten {
        for (child, value) in map {
            let name = format!("{key}_{child}");
            match value {
                serde_json::Value::Object(inner) => add_object(row, name, inner, true)?,
                other => {
                    let value = json_to_value(other).map_err(|err| Error {
                        message: format!("column \"{name}\": {}", err.message),
                        ..err
                    })?;
                    push_column(row, name, value)
                }
            }
        }
    } else {
        push_column(
            row,
            key,
            Value::Text(serde_json::Value::Object(map).to_string()),
        );
    }
    Ok(())
}

fn is_blob(map: &serde_json::Map<String, serde_json::Value>) -> bool {
    map.get("$base64") == Some(&serde_json::Value::Bool(true))
}

/// Decodes a `{"$base64": true, "encoded": "..."}` object (padding optional).
fn decode_blob(map: &serde_json::Map<String, serde_json::Value>) -> Result<Value> {
    const ENGINE: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    let encoded = match map.get("encoded") {
        Some(serde_json::Value::String(s)) if map.len() == 2 => s,
        _ => {
            return Err(Error::usage(
                "a {\"$base64\": true} object needs exactly one other key, \"encoded\", holding base64 text",
            ))
        }
    };
    ENGINE.decode(encoded).map(Value::Blob).map_err(|err| {
        Error::usage(format!(
            "invalid base64 in a {{\"$base64\": true}} object: {err}"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Kind;

    fn read_all(input: &str, opts: &ReadOptions, hint: Option<&str>) -> Result<Vec<Row>> {
        let bytes = input.as_bytes().to_vec();
        let mut reader = from_reader(
            Box::new(Cursor::new(bytes)),
            "test",
            opts,
            hint.map(Path::new),
        )?;
        let mut rows = Vec::new();
        while let Some(row) = reader.next_row()? {
            rows.push(row);
        }
        Ok(rows)
    }

    fn auto() -> ReadOptions {
        ReadOptions::default()
    }

    fn text(s: &str) -> Value {
        Value::Text(s.to_string())
    }

    #[test]
    fn detects_every_format() {
        let one = vec![vec![("a".to_string(), Value::Integer(1))]];
        assert_eq!(read_all("[{\"a\": 1}]", &auto(), None).unwrap(), one);
        assert_eq!(read_all("{\"a\": 1}\n", &auto(), None).unwrap(), one);
        assert_eq!(read_all("{\n  \"a\": 1\n}\n", &auto(), None).unwrap(), one);
        let cell = vec![vec![("a".to_string(), text("1"))]];
        assert_eq!(read_all("a\n1\n", &auto(), Some("x.CSV")).unwrap(), cell);
        assert_eq!(
            read_all("a\n1\n", &auto(), Some("dir/x.tsv")).unwrap(),
            cell
        );
        let tsv = read_all("a\tb\n1\tx,y\n", &auto(), Some("x.tsv")).unwrap();
        assert_eq!(tsv[0][1], ("b".to_string(), text("x,y")));
        let forced = ReadOptions {
            format: Format::Csv,
            flatten: false,
            ..Default::default()
        };
        assert_eq!(read_all("a\n1\n", &forced, Some("x.json")).unwrap(), cell);
        let nl = ReadOptions {
            format: Format::Nl,
            flatten: false,
            ..Default::default()
        };
        assert_eq!(read_all("\n{\"a\": 1}\n\n", &nl, None).unwrap(), one);
        assert!(read_all("", &auto(), None).unwrap().is_empty());
        assert!(read_all(" \n\t\n", &auto(), None).unwrap().is_empty());
    }

    #[test]
    fn bom_is_skipped_for_every_format() {
        let one = vec![vec![("a".to_string(), Value::Integer(1))]];
        assert_eq!(
            read_all("\u{feff}[{\"a\": 1}]", &auto(), None).unwrap(),
            one
        );
        assert_eq!(read_all("\u{feff}{\"a\": 1}", &auto(), None).unwrap(), one);
        assert_eq!(
            read_all("\u{feff}a\n1\n", &auto(), Some("x.csv")).unwrap(),
            vec![vec![("a".to_string(), text("1"))]]
        );
        let nl = ReadOptions {
            format: Format::Nl,
            flatten: false,
            ..Default::default()
        };
        assert_eq!(read_all("\u{feff}{\"a\": 1}", &nl, None).unwrap(), one);
    }

    #[test]
    fn undetectable_input_is_a_usage_error() {
        let err = read_all("  name,age\n", &auto(), None).unwrap_err();
        assert_eq!(err.kind, Kind::Usage);
        assert!(
            err.message.starts_with("test at byte 2: "),
            "{}",
            err.message
        );
        assert!(err.to_string().contains("--csv"), "{err}");
        let json = ReadOptions {
            format: Format::Json,
            flatten: false,
            ..Default::default()
        };
        assert!(read_all("42", &json, None).is_err());
    }

    #[test]
    fn json_values_convert_to_sql_values() {
        let cases = [
            ("null", Value::Null),
            ("true", Value::Integer(1)),
            ("false", Value::Integer(0)),
            ("42", Value::Integer(42)),
            ("-7", Value::Integer(-7)),
            ("2.5", Value::Real(2.5)),
            ("\"hi\"", text("hi")),
            ("[1, {\"b\": 2}]", text("[1,{\"b\":2}]")),
            ("{\"z\": 1, \"a\": [true]}", text("{\"z\":1,\"a\":[true]}")),
        ];
        for (json, want) in cases {
            let v: serde_json::Value = serde_json::from_str(json).unwrap();
            assert_eq!(json_to_value(v).unwrap(), want, "{json}");
        }
    }

    #[test]
    fn blobs_round_trip_through_base64_objects() {
        let bytes = vec![0u8, 1, 2, 254, 255, b'x'];
        let json = value_to_json(&ValueRef::Blob(&bytes));
        assert_eq!(
            json,
            serde_json::json!({"$base64": true, "encoded": "AAEC/v94"})
        );
        assert_eq!(json_to_value(json).unwrap(), Value::Blob(bytes));
        let unpadded = serde_json::json!({"$base64": true, "encoded": "eA"});
        assert_eq!(json_to_value(unpadded).unwrap(), Value::Blob(b"x".to_vec()));

        let bad = serde_json::json!({"$base64": true, "encoded": "!!!"});
        assert_eq!(json_to_value(bad).unwrap_err().kind, Kind::Usage);
        let extra = serde_json::json!({"$base64": true, "encoded": "eA==", "x": 1});
        assert!(json_to_value(extra).is_err());
        let not_blob = serde_json::json!({"$base64": false, "encoded": "eA=="});
        assert!(matches!(json_to_value(not_blob).unwrap(), Value::Text(_)));
    }

    #[test]
    fn sql_values_convert_to_json() {
        assert_eq!(value_to_json(&ValueRef::Null), serde_json::Value::Null);
        assert_eq!(value_to_json(&ValueRef::Integer(-3)), serde_json::json!(-3));
        assert_eq!(value_to_json(&ValueRef::Real(0.5)), serde_json::json!(0.5));
        assert_eq!(
            value_to_json(&ValueRef::Real(f64::NAN)),
            serde_json::Value::Null
        );
        assert_eq!(
            value_to_json(&ValueRef::Real(f64::INFINITY)),
            serde_json::Value::Null
        );
        assert_eq!(
            value_to_json(&ValueRef::Text(b"hi")),
            serde_json::json!("hi")
        );
    }

    #[test]
    fn inline_assignments() {
        assert_eq!(
            parse_assignment("name=alice", false).unwrap(),
            ("name".into(), text("alice"))
        );
        assert_eq!(
            parse_assignment("eq=a=b", false).unwrap(),
            ("eq".into(), text("a=b"))
        );
        assert_eq!(
            parse_assignment("empty=", false).unwrap(),
            ("empty".into(), text(""))
        );
        assert_eq!(
            parse_assignment("a:b=1", false).unwrap(),
            ("a:b".into(), text("1"))
        );
        assert_eq!(
            parse_assignment("age:=30", false).unwrap(),
            ("age".into(), Value::Integer(30))
        );
        assert_eq!(
            parse_assignment("s:=\"x=y\"", false).unwrap(),
            ("s".into(), text("x=y"))
        );
        assert_eq!(
            parse_assignment("n:=null", false).unwrap(),
            ("n".into(), Value::Null)
        );
        assert_eq!(
            parse_assignment("ok:=true", false).unwrap(),
            ("ok".into(), Value::Integer(1))
        );
        assert_eq!(
            parse_assignment("tags:=[1,2]", false).unwrap(),
            ("tags".into(), text("[1,2]"))
        );
        assert_eq!(
            parse_assignment("a:={\"b\": {\"c\": 1}}", true).unwrap(),
            ("a_b_c".into(), Value::Integer(1))
        );
        assert_eq!(
            parse_assignment("a:={\"b\": 1}", false).unwrap(),
            ("a".into(), text("{\"b\":1}"))
        );
        assert_eq!(
            parse_assignment("img:={\"$base64\": true, \"encoded\": \"eA==\"}", true).unwrap(),
            ("img".into(), Value::Blob(b"x".to_vec()))
        );
        assert_eq!(
            parse_assignment_row("a:={\"b\": 1, \"c\": 2}", true).unwrap(),
            vec![
                ("a_b".into(), Value::Integer(1)),
                ("a_c".into(), Value::Integer(2))
            ]
        );

        for bad in ["noequals", "=x", ":=1", "age:=3O", "a:={\"b\":1,\"c\":2}"] {
            let err = parse_assignment(bad, true).unwrap_err();
            assert_eq!(err.kind, Kind::Usage);
            assert!(err.message.contains(bad), "{bad}: {}", err.message);
        }
        let err =
            parse_assignment("img:={\"$base64\": true, \"encoded\": \"*\"}", false).unwrap_err();
        assert!(err.message.contains("invalid base64"), "{}", err.message);
    }
}
