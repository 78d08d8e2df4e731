//! JSON row readers: a JSON array of objects, newline-delimited JSON, and
//! concatenated (pretty-printed) objects, a single object being the simplest
//! case.
//!
//! Nothing reads the whole input. NDJSON is read a line at a time into a
//! reused buffer. For arrays and concatenated objects a small byte scanner
//! ([`Scanner`]) finds where each top-level value ends (tracking depth and
//! strings only) and copies just that value into a reused buffer, so each
//! element is parsed from a slice with its exact start offset and line known.
//! Objects are parsed straight into a [`Row`] by a serde visitor, without an
//! intermediate `serde_json::Value` for scalar fields.

use crate::input::Mark;
use std::fmt;
use std::io::{self, BufRead, BufReader, Cursor, Read};

use rusqlite::types::Value;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::{add_object, input_error, push_column, read_error, Input, ReadOptions, Row, RowReader};
use crate::error::{Error, Result};

const BUFFER_SIZE: usize = 64 * 1024;

/// Opens a JSON input whose format is `Auto` or `Json`: looks at the first
/// non-blank byte and, for `{`, at whether the first line is a whole value.
pub(super) fn open(
    input: Input,
    name: &str,
    opts: &ReadOptions,
    bom_len: u64,
) -> Result<Box<dyn RowReader>> {
    let src = BufReader::with_capacity(BUFFER_SIZE, input);
    let mut sc = Scanner::new(src, bom_len);
    let first = sc.peek().map_err(|err| read_error(name, err))?;
    match first {
        None => Ok(Box::new(EmptyReader)),
        Some(b'[') => {
            sc.bump();
            Ok(Box::new(ArrayReader::new(sc, name, opts.flatten)))
        }
        Some(b'{') => {
            let (line, column) = (sc.line, sc.column());
            let mut first_line = Vec::new();
            sc.src
                .read_until(b'\n', &mut first_line)
                .map_err(|err| read_error(name, err))?;
            let incomplete = serde_json::from_slice::<IgnoredAny>(&first_line)
                .err()
                .is_some_and(|err| err.is_eof());
            if incomplete {
                // A pretty-printed object, or several (jq's output): scan
                // top-level values across lines.
                let stream = Scanner {
                    src: Cursor::new(first_line).chain(sc.src),
                    offset: sc.offset,
                    line: sc.line,
                    line_start: sc.line_start,
                    elem: Vec::new(),
                };
                Ok(Box::new(StreamReader::new(stream, name, opts.flatten)))
            } else {
                let mut reader = NdjsonReader::new_buffered(sc.src, name, opts.flatten);
                reader.buf = first_line;
                reader.line = line;
                reader.pending = true;
                reader.first_column = column;
                Ok(Box::new(reader))
            }
        }
        Some(byte) => Err(input_error(
            name,
            &format!("at byte {}", sc.offset),
            format_args!("expected a JSON array or object, found {}", show_byte(byte)),
        )
        .with_hint("use --csv or --tsv for CSV or TSV input")),
    }
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// A byte for an error message: `` `x` `` for printable ASCII, else its hex.
fn show_byte(b: u8) -> String {
    if b.is_ascii_graphic() {
        format!("`{}`", b as char)
    } else {
        format!("byte 0x{b:02x}")
    }
}

/// serde_json's message without its ` at line L column C` suffix.
pub(super) fn serde_message(err: &serde_json::Error) -> String {
    let text = err.to_string();
    let suffix = format!(" at line {} column {}", err.line(), err.column());
    match text.strip_suffix(&suffix) {
        Some(message) if err.line() > 0 => message.to_string(),
        _ => text,
    }
}

/// What was wrong with one JSON value that should have been an object.
enum Fault {
    Json(serde_json::Error),
    NotObject(&'static str),
    Value(Error),
}

impl Fault {
    /// The message, given how to describe where in the value a JSON error is.
    fn describe(self, json_position: impl FnOnce(&serde_json::Error) -> String) -> String {
        match self {
            Fault::Json(err) => {
                let message = serde_message(&err);
                // serde_json's words for bytes that are not UTF-8 in a string.
                let remedy = if message == "invalid unicode code point" {
                    "; the input is not UTF-8: give its encoding with --encoding (e.g. latin-1, cp1252)"
                } else {
                    ""
                };
                format!("invalid JSON: {message} {}{remedy}", json_position(&err))
            }
            Fault::NotObject(found) => format!("expected a JSON object, found {found}"),
            Fault::Value(err) => err.to_string(),
        }
    }
}

/// Parses one JSON object from `bytes` into a row.
fn parse_row(bytes: &[u8], flatten: bool, capacity: usize) -> Result<Row, Fault> {
    let first = bytes.iter().copied().find(|b| !is_ws(*b));
    if first != Some(b'{') {
        serde_json::from_slice::<IgnoredAny>(bytes).map_err(Fault::Json)?;
        return Err(Fault::NotObject(match first {
            Some(b'[') => "an array",
            Some(b'"') => "a string",
            Some(b't' | b'f') => "a boolean",
            Some(b'n') => "null",
            _ => "a number",
        }));
    }
    let mut row = Row::with_capacity(capacity);
    let mut fault = None;
    let mut suspect = false;
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let parsed = RowSeed {
        row: &mut row,
        flatten,
        fault: &mut fault,
        suspect: &mut suspect,
    }
    .deserialize(&mut de)
    .and_then(|()| de.end());
    match (parsed, fault) {
        (Ok(()), _) if suspect => match check_integers(bytes, flatten) {
            Ok(()) => Ok(row),
            Err(err) => Err(Fault::Value(err)),
        },
        (Ok(()), _) => Ok(row),
        (Err(_), Some(err)) => Err(Fault::Value(err)),
        (Err(err), None) => Err(Fault::Json(err)),
    }
}

/// The magnitude from which an integral f64 may have been parsed from an
/// integer literal that does not fit 64 bits (serde_json hands those over as
/// floats, rounded).
const BIG_INTEGER: f64 = 9_223_372_036_854_775_808.0;

/// Whether a float may stand for an integer literal too large for 64 bits.
fn maybe_big_integer(f: f64) -> bool {
    f.abs() >= BIG_INTEGER && f.fract() == 0.0
}

/// Whether a nested JSON value holds a number that may have been such a literal.
pub(super) fn has_big_integer(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::Number(n) => n.is_f64() && n.as_f64().is_some_and(maybe_big_integer),
        serde_json::Value::Array(a) => a.iter().any(has_big_integer),
        serde_json::Value::Object(o) => o.values().any(has_big_integer),
        _ => false,
    }
}

/// Finds, by reading the JSON text itself, an integer literal that its place
/// can not hold exactly, and names it: a column's value must fit SQLite's
/// 64-bit signed INTEGER; inside JSON text (an array, an object kept as text)
/// it must fit the i64 or u64 that serde_json keeps digit for digit. Larger
/// integers would otherwise be rounded to a float without a word.
///
/// `bytes` is one JSON object (a row). Only called when parsing saw a float
/// that may have been such a literal, so ordinary rows never pay for it.
pub(super) fn check_integers(bytes: &[u8], flatten: bool) -> Result<()> {
    // For each open container: its opening byte.
    let mut stack: Vec<u8> = Vec::new();
    let mut column: Option<String> = None;
    let mut expect_key = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let start = i;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if expect_key && stack.len() == 1 {
                    let end = (i + 1).min(bytes.len());
                    column = serde_json::from_slice(&bytes[start..end]).ok();
                }
            }
            open @ (b'{' | b'[') => {
                stack.push(open);
                expect_key = open == b'{';
            }
            b'}' | b']' => {
                stack.pop();
            }
            b',' => expect_key = stack.last() == Some(&b'{'),
            b':' => expect_key = false,
            b'-' | b'0'..=b'9' => {
                let start = i;
                while i + 1 < bytes.len() && b"0123456789+-.eE".contains(&bytes[i + 1]) {
                    i += 1;
                }
                let token = std::str::from_utf8(&bytes[start..=i]).unwrap_or("");
                let is_column =
                    stack.len() == 1 || (flatten && stack.iter().all(|&open| open == b'{'));
                let integer = !token.contains(['.', 'e', 'E']);
                let fits =
                    token.parse::<i64>().is_ok() || (!is_column && token.parse::<u64>().is_ok());
                if integer && !fits {
                    let column = column.unwrap_or_default();
                    return Err(Error::usage(format!(
                        "column \"{column}\": the integer {token} does not fit in 64 bits"
                    ))
                    .with_hint("give it as a JSON string to keep its digits"));
                }
            }
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// Deserializes one JSON object into a row, in key order.
struct RowSeed<'a> {
    row: &'a mut Row,
    flatten: bool,
    /// A value error (bad base64) that aborted the parse.
    fault: &'a mut Option<Error>,
    /// A float was seen that may have been an integer too large for 64 bits:
    /// the row's text is checked with [`check_integers`].
    suspect: &'a mut bool,
}

impl<'de> DeserializeSeed<'de> for RowSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RowSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match map.next_value::<Cell>()? {
                Cell::Value(value) => push_column(self.row, key, value),
                Cell::Suspect(value) => {
                    *self.suspect = true;
                    push_column(self.row, key, value);
                }
                Cell::BigInteger(digits) => {
                    *self.fault = Some(
                        Error::usage(format!(
                            "column \"{key}\": the integer {digits} does not fit in 64 bits"
                        ))
                        .with_hint("give it as a JSON string to keep its digits"),
                    );
                    return Err(de::Error::custom("invalid value"));
                }
                Cell::Object(object) => {
                    *self.suspect |= object.values().any(has_big_integer);
                    if let Err(err) = add_object(self.row, key, object, self.flatten) {
                        *self.fault = Some(err);
                        return Err(de::Error::custom("invalid value"));
                    }
                }
            }
        }
        Ok(())
    }
}

/// One field's value: scalars and arrays convert directly; objects wait for
/// [`add_object`] (they may be blobs or be flattened).
enum Cell {
    Value(Value),
    /// A value whose row must be checked for too-large integer literals.
    Suspect(Value),
    /// An integer literal too large for SQLite's signed 64-bit INTEGER.
    BigInteger(u64),
    Object(serde_json::Map<String, serde_json::Value>),
}

impl<'de> Deserialize<'de> for Cell {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Cell, D::Error> {
        d.deserialize_any(CellVisitor)
    }
}

struct CellVisitor;

impl<'de> Visitor<'de> for CellVisitor {
    type Value = Cell;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> std::result::Result<Cell, E> {
        Ok(Cell::Value(Value::Integer(i64::from(v))))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Cell, E> {
        Ok(Cell::Value(Value::Integer(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Cell, E> {
        Ok(match i64::try_from(v) {
            Ok(i) => Cell::Value(Value::Integer(i)),
            Err(_) => Cell::BigInteger(v),
        })
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Cell, E> {
        Ok(if maybe_big_integer(v) {
            Cell::Suspect(Value::Real(v))
        } else {
            Cell::Value(Value::Real(v))
        })
    }

    fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Cell, E> {
        Ok(Cell::Value(Value::Text(v.to_string())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> std::result::Result<Cell, E> {
        Ok(Cell::Value(Value::Text(v)))
    }

    fn visit_unit<E: de::Error>(self) -> std::result::Result<Cell, E> {
        Ok(Cell::Value(Value::Null))
    }

    fn visit_none<E: de::Error>(self) -> std::result::Result<Cell, E> {
        Ok(Cell::Value(Value::Null))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> std::result::Result<Cell, A::Error> {
        let array = serde_json::Value::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
        let text = Value::Text(array.to_string());
        Ok(if has_big_integer(&array) {
            Cell::Suspect(text)
        } else {
            Cell::Value(text)
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> std::result::Result<Cell, A::Error> {
        let object = serde_json::Map::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(Cell::Object(object))
    }
}

/// Finds top-level JSON values in a byte stream and copies each into a
/// reused buffer, counting bytes and lines as it goes.
struct Scanner<R> {
    src: R,
    /// Byte offset of the next unread byte (from the start of the input, BOM included).
    offset: u64,
    /// 1-based line of the next unread byte.
    line: u64,
    /// Byte offset where that line starts.
    line_start: u64,
    /// The bytes of the value last read.
    elem: Vec<u8>,
}

impl<R: BufRead> Scanner<R> {
    fn new(src: R, bom_len: u64) -> Scanner<R> {
        Scanner {
            src,
            offset: bom_len,
            line: 1,
            line_start: bom_len,
            elem: Vec::new(),
        }
    }

    /// 1-based column of the next unread byte.
    fn column(&self) -> u64 {
        self.offset - self.line_start + 1
    }

    fn count(seen: &[u8], offset: &mut u64, line: &mut u64, line_start: &mut u64) {
        if let Some(last) = seen.iter().rposition(|&b| b == b'\n') {
            *line += seen.iter().filter(|&&b| b == b'\n').count() as u64;
            *line_start = *offset + last as u64 + 1;
        }
        *offset += seen.len() as u64;
    }

    /// Skips whitespace and returns the next byte without consuming it.
    fn peek(&mut self) -> io::Result<Option<u8>> {
        loop {
            let chunk = self.src.fill_buf()?;
            if chunk.is_empty() {
                return Ok(None);
            }
            let blank = chunk.iter().position(|&b| !is_ws(b));
            let next = blank.map(|i| chunk[i]);
            let n = blank.unwrap_or(chunk.len());
            Self::count(
                &chunk[..n],
                &mut self.offset,
                &mut self.line,
                &mut self.line_start,
            );
            self.src.consume(n);
            if next.is_some() {
                return Ok(next);
            }
        }
    }

    /// Consumes the byte that peek returned (punctuation, never a newline).
    fn bump(&mut self) {
        self.offset += 1;
        self.src.consume(1);
    }

    /// Reads the value that starts at the next byte (which peek returned)
    /// into `elem`. An object, array or string ends at its closing byte, any
    /// other value before whitespace or punctuation. At the end of input the
    /// bytes read so far are left for the parser to report.
    fn read_value(&mut self) -> io::Result<()> {
        self.elem.clear();
        let mut depth = 0u32;
        let mut in_string = false;
        let mut escaped = false;
        let mut scalar = None;
        loop {
            let chunk = self.src.fill_buf()?;
            if chunk.is_empty() {
                return Ok(());
            }
            let mut start = 0;
            if self.elem.is_empty() && scalar.is_none() {
                match chunk[0] {
                    b'{' | b'[' => depth = 1,
                    b'"' => in_string = true,
                    _ => {}
                }
                scalar = Some(depth == 0 && !in_string);
                start = 1;
            }
            let end = if scalar == Some(true) {
                chunk[start..]
                    .iter()
                    .position(|&b| is_ws(b) || b"{}[],:\"".contains(&b))
                    .map(|i| start + i)
            } else {
                let mut end = None;
                for (i, &b) in chunk.iter().enumerate().skip(start) {
                    if in_string {
                        if escaped {
                            escaped = false;
                        } else if b == b'\\' {
                            escaped = true;
                        } else if b == b'"' {
                            in_string = false;
                            if depth == 0 {
                                end = Some(i + 1);
                                break;
                            }
                        }
                    } else {
                        match b {
                            b'"' => in_string = true,
                            b'{' | b'[' => depth += 1,
                            b'}' | b']' => {
                                depth -= 1;
                                if depth == 0 {
                                    end = Some(i + 1);
                                    break;
                                }
                            }
                            _ => {}
                        }
                    }
                }
                end
            };
            let take = end.unwrap_or(chunk.len());
            self.elem.extend_from_slice(&chunk[..take]);
            Self::count(
                &chunk[..take],
                &mut self.offset,
                &mut self.line,
                &mut self.line_start,
            );
            self.src.consume(take);
            if end.is_some() {
                return Ok(());
            }
        }
    }
}

/// Rows from a JSON array of objects.
struct ArrayReader<R> {
    sc: Scanner<R>,
    name: String,
    flatten: bool,
    state: ArrayState,
    /// Index of the next element.
    next_index: u64,
    /// Index and start offset of the element last returned.
    row_index: u64,
    row_offset: u64,
    width: usize,
}

#[derive(PartialEq)]
enum ArrayState {
    First,
    AfterElement,
    Done,
}

impl<R: BufRead> ArrayReader<R> {
    fn new(sc: Scanner<R>, name: &str, flatten: bool) -> ArrayReader<R> {
        ArrayReader {
            sc,
            name: name.to_string(),
            flatten,
            state: ArrayState::First,
            next_index: 0,
            row_index: 0,
            row_offset: 0,
            width: 0,
        }
    }

    /// An error about the punctuation at the current offset.
    fn syntax_error(&self, what: impl fmt::Display) -> Error {
        let position = match self.next_index {
            0 => format!("at byte {}", self.sc.offset),
            n => format!("at byte {}, after element {}", self.sc.offset, n - 1),
        };
        input_error(&self.name, &position, what)
    }

    fn peek(&mut self) -> Result<Option<u8>> {
        self.sc.peek().map_err(|err| read_error(&self.name, err))
    }

    /// Past the closing `]`: only whitespace may follow.
    fn finish(&mut self) -> Result<Option<Row>> {
        self.sc.bump();
        self.state = ArrayState::Done;
        match self.peek()? {
            None => Ok(None),
            Some(_) => Err(input_error(
                &self.name,
                &format!("at byte {}", self.sc.offset),
                "unexpected data after the end of the JSON array",
            )),
        }
    }

    fn missing_end(&self) -> Error {
        self.syntax_error("unexpected end of input; the JSON array is missing its closing `]`")
    }
}

impl<R: BufRead + Send> RowReader for ArrayReader<R> {
    fn next_row(&mut self) -> Result<Option<Row>> {
        let next = self.peek()?;
        match (&self.state, next) {
            (ArrayState::Done, _) => return Ok(None),
            (_, None) => return Err(self.missing_end()),
            (_, Some(b']')) => return self.finish(),
            (ArrayState::First, Some(_)) => {}
            (ArrayState::AfterElement, Some(b',')) => {
                self.sc.bump();
                match self.peek()? {
                    None => return Err(self.missing_end()),
                    Some(b']') => {
                        return Err(self.syntax_error("expected a value after `,`, found `]`"))
                    }
                    Some(_) => {}
                }
            }
            (ArrayState::AfterElement, Some(b)) => {
                return Err(
                    self.syntax_error(format_args!("expected `,` or `]`, found {}", show_byte(b)))
                )
            }
        }
        self.row_index = self.next_index;
        self.row_offset = self.sc.offset;
        self.next_index += 1;
        self.state = ArrayState::AfterElement;
        self.sc
            .read_value()
            .map_err(|err| read_error(&self.name, err))?;
        let start = self.row_offset;
        let elem = &self.sc.elem;
        match parse_row(elem, self.flatten, self.width) {
            Ok(row) => {
                self.width = row.len();
                Ok(Some(row))
            }
            Err(fault) => {
                let what = fault.describe(|err| {
                    format!(
                        "at byte {}",
                        start + index_in(elem, err.line(), err.column())
                    )
                });
                Err(input_error(&self.name, &self.position(), what))
            }
        }
    }

    fn mark(&self) -> Mark {
        Mark::Element {
            index: self.row_index,
            offset: self.row_offset,
        }
    }
}

/// The index in `bytes` of serde's 1-based line and column.
fn index_in(bytes: &[u8], line: usize, column: usize) -> u64 {
    let line_start = if line <= 1 {
        0
    } else {
        bytes
            .iter()
            .enumerate()
            .filter(|(_, &b)| b == b'\n')
            .nth(line - 2)
            .map_or(bytes.len(), |(i, _)| i + 1)
    };
    (line_start + column.saturating_sub(1)) as u64
}

/// Rows from whitespace-separated JSON objects that may span lines: a
/// pretty-printed object, or several as `jq` prints them.
struct StreamReader<R> {
    sc: Scanner<R>,
    name: String,
    flatten: bool,
    rows: u64,
    row_line: u64,
    at_end: bool,
    width: usize,
}

impl<R: BufRead> StreamReader<R> {
    fn new(sc: Scanner<R>, name: &str, flatten: bool) -> StreamReader<R> {
        StreamReader {
            sc,
            name: name.to_string(),
            flatten,
            rows: 0,
            row_line: 0,
            at_end: false,
            width: 0,
        }
    }
}

impl<R: BufRead + Send> RowReader for StreamReader<R> {
    fn next_row(&mut self) -> Result<Option<Row>> {
        if self.at_end
            || self
                .sc
                .peek()
                .map_err(|err| read_error(&self.name, err))?
                .is_none()
        {
            self.at_end = true;
            return Ok(None);
        }
        let (line, column) = (self.sc.line, self.sc.column() as usize);
        self.sc
            .read_value()
            .map_err(|err| read_error(&self.name, err))?;
        let row = parse_row(&self.sc.elem, self.flatten, self.width).map_err(|fault| {
            let mut error_line = line;
            let what = fault.describe(|err| {
                error_line = line + err.line().saturating_sub(1) as u64;
                let col = match err.line() {
                    1 => column + err.column() - 1,
                    _ => err.column(),
                };
                format!("at column {col}")
            });
            input_error(&self.name, &format!("line {error_line}"), what)
        })?;
        self.rows += 1;
        self.row_line = line;
        self.width = row.len();
        // Look ahead so that a lone object can say it has no position.
        self.at_end = self
            .sc
            .peek()
            .map_err(|err| read_error(&self.name, err))?
            .is_none();
        Ok(Some(row))
    }

    fn mark(&self) -> Mark {
        if self.rows == 1 && self.at_end {
            Mark::None
        } else {
            Mark::Line(self.row_line)
        }
    }
}

/// Rows from newline-delimited JSON: one object per line, blank lines skipped.
pub(super) struct NdjsonReader<R> {
    src: R,
    name: String,
    flatten: bool,
    buf: Vec<u8>,
    /// Number of the line in `buf`.
    line: u64,
    /// `buf` holds a line read but not yet returned.
    pending: bool,
    /// Column where the first line's text starts (detection read past its indent).
    first_column: u64,
    first_line: u64,
    row_line: u64,
    width: usize,
}

impl NdjsonReader<BufReader<Input>> {
    pub(super) fn new(input: Input, name: &str, flatten: bool) -> Self {
        NdjsonReader::new_buffered(BufReader::with_capacity(BUFFER_SIZE, input), name, flatten)
    }
}

impl<R: BufRead> NdjsonReader<R> {
    fn new_buffered(src: R, name: &str, flatten: bool) -> NdjsonReader<R> {
        NdjsonReader {
            src,
            name: name.to_string(),
            flatten,
            buf: Vec::new(),
            line: 0,
            pending: false,
            first_column: 1,
            first_line: 0,
            row_line: 0,
            width: 0,
        }
    }
}

impl<R: BufRead + Send> RowReader for NdjsonReader<R> {
    fn next_row(&mut self) -> Result<Option<Row>> {
        loop {
            if self.pending {
                self.pending = false;
                self.first_line = self.line;
            } else {
                self.buf.clear();
                let n = self
                    .src
                    .read_until(b'\n', &mut self.buf)
                    .map_err(|err| read_error(&self.name, err))?;
                if n == 0 {
                    return Ok(None);
                }
                self.line += 1;
            }
            if self.buf.iter().all(|&b| is_ws(b)) {
                continue;
            }
            let line = self.line;
            let indent = if line == self.first_line {
                self.first_column - 1
            } else {
                0
            };
            return match parse_row(&self.buf, self.flatten, self.width) {
                Ok(row) => {
                    self.row_line = line;
                    self.width = row.len();
                    Ok(Some(row))
                }
                Err(fault) => {
                    let what =
                        fault.describe(|err| format!("at column {}", err.column() as u64 + indent));
                    Err(input_error(&self.name, &format!("line {line}"), what))
                }
            };
        }
    }

    fn mark(&self) -> Mark {
        Mark::Line(self.row_line)
    }
}

/// An input with nothing in it.
struct EmptyReader;

impl RowReader for EmptyReader {
    fn next_row(&mut self) -> Result<Option<Row>> {
        Ok(None)
    }

    fn mark(&self) -> Mark {
        Mark::None
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;
    use std::sync::atomic::{AtomicU64 as Counter, Ordering};
    use std::sync::Arc as Rc;

    use super::super::{from_reader, Format, ReadOptions};
    use super::*;
    use crate::error::Kind;

    fn reader(input: &str, format: Format, flatten: bool) -> Box<dyn RowReader> {
        let opts = ReadOptions {
            format,
            flatten,
            ..Default::default()
        };
        let bytes = Box::new(Cursor::new(input.as_bytes().to_vec()));
        from_reader(bytes, "rows.json", &opts, None).unwrap()
    }

    /// All rows with their positions, or the first error's message.
    fn read(input: &str) -> std::result::Result<Vec<(String, Row)>, String> {
        read_with(input, Format::Auto, false)
    }

    fn read_with(
        input: &str,
        format: Format,
        flatten: bool,
    ) -> std::result::Result<Vec<(String, Row)>, String> {
        let mut r = reader(input, format, flatten);
        let mut rows = Vec::new();
        loop {
            match r.next_row() {
                Ok(Some(row)) => rows.push((r.position(), row)),
                Ok(None) => return Ok(rows),
                Err(err) => {
                    assert_eq!(err.kind, Kind::Usage);
                    return Err(err.message);
                }
            }
        }
    }

    fn positions(input: &str) -> Vec<String> {
        read(input).unwrap().into_iter().map(|(p, _)| p).collect()
    }

    fn col(name: &str, value: Value) -> (String, Value) {
        (name.to_string(), value)
    }

    #[test]
    fn array_rows_keep_key_order_and_types() {
        let rows = read(r#"[{"z": 1, "a": "x", "n": null, "f": 1.5, "b": true, "l": [1, "]"], "o": {"k": "}"}}]"#)
            .unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(
            rows[0].1,
            vec![
                col("z", Value::Integer(1)),
                col("a", Value::Text("x".into())),
                col("n", Value::Null),
                col("f", Value::Real(1.5)),
                col("b", Value::Integer(1)),
                col("l", Value::Text("[1,\"]\"]".into())),
                col("o", Value::Text("{\"k\":\"}\"}".into())),
            ]
        );
        let dup = read(r#"[{"a": 1, "b": 2, "a": 3}]"#).unwrap();
        assert_eq!(
            dup[0].1,
            vec![col("a", Value::Integer(3)), col("b", Value::Integer(2))]
        );
    }

    #[test]
    fn array_positions_are_element_and_byte() {
        let input = "[\n  {\"a\": \"x\\\"]\"},\n  {\"a\": 2} , {\"a\":3}\n]\n";
        assert_eq!(
            positions(input),
            [
                "element 0 at byte 4",
                "element 1 at byte 21",
                "element 2 at byte 32"
            ]
        );
        assert!(read("[]").unwrap().is_empty());
        assert!(read(" [ \n ] \n").unwrap().is_empty());
        // The BOM counts: offsets are offsets into the file.
        assert_eq!(positions("\u{feff}[{}]"), ["element 0 at byte 4"]);
    }

    #[test]
    fn array_errors_name_element_and_byte() {
        assert_eq!(
            read(r#"[{"a": 1}, [1, 2]]"#).unwrap_err(),
            "rows.json element 1 at byte 11: expected a JSON object, found an array"
        );
        assert_eq!(
            read(r#"[{"a": 1}, 42]"#).unwrap_err(),
            "rows.json element 1 at byte 11: expected a JSON object, found a number"
        );
        assert_eq!(
            read("[{\"a\": 1},\n {\"a\": 1,, \"b\": 2}]").unwrap_err(),
            "rows.json element 1 at byte 12: invalid JSON: key must be a string at byte 20"
        );
        assert_eq!(
            read(r#"[{"a": 1}, {"a": 2}"#).unwrap_err(),
            "rows.json at byte 19, after element 1: unexpected end of input; the JSON array is missing its closing `]`"
        );
        assert_eq!(
            read(r#"[{"a": 1}, {"a": "#).unwrap_err(),
            "rows.json element 1 at byte 11: invalid JSON: EOF while parsing a value at byte 16"
        );
        assert_eq!(
            read(r#"[{"a": 1}] x"#).unwrap_err(),
            "rows.json at byte 11: unexpected data after the end of the JSON array"
        );
        assert_eq!(
            read(r#"[{"a": 1},]"#).unwrap_err(),
            "rows.json at byte 10, after element 0: expected a value after `,`, found `]`"
        );
        assert_eq!(
            read(r#"[{"a": 1} {"a": 2}]"#).unwrap_err(),
            "rows.json at byte 10, after element 0: expected `,` or `]`, found `{`"
        );
        assert_eq!(
            read("[").unwrap_err(),
            "rows.json at byte 1: unexpected end of input; the JSON array is missing its closing `]`"
        );
    }

    #[test]
    fn errors_come_after_the_good_rows() {
        let mut r = reader(r#"[{"a": 1}, {"a": 2}, 3]"#, Format::Auto, false);
        assert!(r.next_row().unwrap().is_some());
        assert!(r.next_row().unwrap().is_some());
        assert!(r.next_row().is_err());
    }

    #[test]
    fn ndjson_skips_blank_lines_and_counts_physical_lines() {
        let input = "\n{\"a\": 1}\n  \n\t\r\n{\"a\": 2}\r\n{\"a\": 3}";
        let rows = read(input).unwrap();
        let lines: Vec<_> = rows.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(lines, ["line 2", "line 5", "line 6"]);
        assert_eq!(rows[2].1, vec![col("a", Value::Integer(3))]);
        // Forced --nl reads the same.
        let forced = read_with(input, Format::Nl, false).unwrap();
        assert_eq!(forced, rows);
    }

    #[test]
    fn ndjson_errors_name_the_line() {
        assert_eq!(
            read("{\"a\": 1}\n{\"a\": 2}\n{\"a\": }\n{\"a\": 4}\n").unwrap_err(),
            "rows.json line 3: invalid JSON: expected value at column 7"
        );
        assert_eq!(
            read("{\"a\": 1}\n\n[1]\n").unwrap_err(),
            "rows.json line 3: expected a JSON object, found an array"
        );
        // The indent that detection skipped still counts in the column.
        assert_eq!(
            read("\n   {\"a\": x}\n").unwrap_err(),
            "rows.json line 2: invalid JSON: expected value at column 10"
        );
        assert_eq!(
            read_with("{\"a\": 1}\n\"s\"\n", Format::Nl, false).unwrap_err(),
            "rows.json line 2: expected a JSON object, found a string"
        );
        assert_eq!(
            read_with("[{\"a\": 1}]\n", Format::Nl, false).unwrap_err(),
            "rows.json line 1: expected a JSON object, found an array"
        );
    }

    #[test]
    fn pretty_single_object_has_no_position() {
        let rows = read("\n{\n  \"a\": 1,\n  \"b\": {\"c\": [1, 2]}\n}\n\n").unwrap();
        assert_eq!(
            rows,
            vec![(
                String::new(),
                vec![
                    col("a", Value::Integer(1)),
                    col("b", Value::Text("{\"c\":[1,2]}".into()))
                ]
            )]
        );
        // A one-line object is an NDJSON line.
        assert_eq!(positions("{\"a\": 1}"), ["line 1"]);
    }

    #[test]
    fn concatenated_pretty_objects_are_rows() {
        let input = "{\n  \"a\": 1\n}\n{\n  \"a\": 2\n}{\"a\": 3}\n\n{\"a\":\n 4}\n";
        let rows = read(input).unwrap();
        let lines: Vec<_> = rows.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(lines, ["line 1", "line 4", "line 6", "line 8"]);
        assert_eq!(rows[3].1, vec![col("a", Value::Integer(4))]);

        assert_eq!(
            read("{\n  \"a\": 1\n}\n{\n  \"a\": 2,\n  \"b\" 3\n}\n").unwrap_err(),
            "rows.json line 6: invalid JSON: expected `:` at column 7"
        );
        assert_eq!(
            read("{\n  \"a\": 1\n}\n  [1]\n").unwrap_err(),
            "rows.json line 4: expected a JSON object, found an array"
        );
        assert_eq!(
            read("{\n  \"a\": 1\n").unwrap_err(),
            "rows.json line 3: invalid JSON: EOF while parsing an object at column 0"
        );
        assert_eq!(
            read("  {\"a\": 1,\n \"b\": }").unwrap_err(),
            "rows.json line 2: invalid JSON: expected value at column 7"
        );
        assert_eq!(
            read("  {\"a\": 1, \"b\": tru").unwrap_err(),
            "rows.json line 1: invalid JSON: EOF while parsing a value at column 19"
        );
    }

    #[test]
    fn flatten_makes_columns_of_nested_objects() {
        let input = r#"[{"id": 1, "a": {"b": 1, "c": {"d": 2}}, "l": [{"x": 1}], "e": {},
            "img": {"$base64": true, "encoded": "aGk="}, "n": {"img": {"$base64": true, "encoded": "aGk="}}}]"#;
        let rows = read_with(input, Format::Auto, true).unwrap();
        assert_eq!(
            rows[0].1,
            vec![
                col("id", Value::Integer(1)),
                col("a_b", Value::Integer(1)),
                col("a_c_d", Value::Integer(2)),
                col("l", Value::Text("[{\"x\":1}]".into())),
                col("img", Value::Blob(b"hi".to_vec())),
                col("n_img", Value::Blob(b"hi".to_vec())),
            ]
        );
        let plain = read_with(input, Format::Auto, false).unwrap();
        assert_eq!(
            plain[0].1[1],
            col("a", Value::Text("{\"b\":1,\"c\":{\"d\":2}}".into()))
        );
        assert_eq!(plain[0].1[3], col("e", Value::Text("{}".into())));
        assert_eq!(plain[0].1[4], col("img", Value::Blob(b"hi".to_vec())));
    }

    #[test]
    fn bad_base64_names_the_row_and_column() {
        assert_eq!(
            read("{\"a\": 1}\n{\"img\": {\"$base64\": true, \"encoded\": \"@@\"}}\n").unwrap_err(),
            "rows.json line 2: column \"img\": invalid base64 in a {\"$base64\": true} object: Invalid symbol 64, offset 0."
        );
        let err = read(r#"[{"img": {"$base64": true}}]"#).unwrap_err();
        assert!(
            err.starts_with("rows.json element 0 at byte 1: column \"img\": "),
            "{err}"
        );
    }

    /// Generates `[{"id": 0, ...},\n{"id": 1, ...}, ...]` on the fly and
    /// counts the bytes handed out.
    struct Generated {
        elements: u64,
        next: u64,
        chunk: Vec<u8>,
        at: usize,
        produced: Rc<Counter>,
    }

    impl Read for Generated {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            if self.at == self.chunk.len() {
                self.chunk.clear();
                self.at = 0;
                if self.next == 0 {
                    self.chunk.push(b'[');
                }
                if self.next < self.elements {
                    let sep = if self.next + 1 < self.elements {
                        ",\n"
                    } else {
                        "]\n"
                    };
                    let element = format!(
                        r#"{{"id": {}, "name": "row \"{}\"", "score": 0.5, "tags": [1, {{"x": null}}]}}{sep}"#,
                        self.next, self.next
                    );
                    self.chunk.extend_from_slice(element.as_bytes());
                    self.next += 1;
                }
            }
            let n = out.len().min(self.chunk.len() - self.at);
            out[..n].copy_from_slice(&self.chunk[self.at..self.at + n]);
            self.at += n;
            self.produced.fetch_add(n as u64, Ordering::Relaxed);
            Ok(n)
        }
    }

    #[test]
    fn large_arrays_are_streamed() {
        let produced = Rc::new(Counter::new(0));
        let source = Generated {
            elements: 200_000,
            next: 0,
            chunk: Vec::new(),
            at: 0,
            produced: Rc::clone(&produced),
        };
        let opts = ReadOptions {
            format: Format::Auto,
            flatten: false,
            ..Default::default()
        };
        let mut r = from_reader(Box::new(source), "stdin", &opts, None).unwrap();
        let mut count = 0u64;
        while let Some(row) = r.next_row().unwrap() {
            assert_eq!(row[0], col("id", Value::Integer(count as i64)));
            if count == 1000 {
                // Only about one buffer ahead of the rows handed out.
                assert!(
                    produced.load(Ordering::Relaxed) < 256 * 1024,
                    "read {} bytes ahead",
                    produced.load(Ordering::Relaxed)
                );
            }
            count += 1;
        }
        assert_eq!(count, 200_000);
        assert!(produced.load(Ordering::Relaxed) > 10_000_000);
        assert!(r.position().starts_with("element 199999 at byte "));
    }
}
