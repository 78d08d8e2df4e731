//! CSV and TSV row readers.
//!
//! The first record is the header. Each cell is typed the way a spreadsheet
//! user expects without losing data: an empty cell is NULL, a cell written as
//! a JSON number is INTEGER or REAL, and everything else (including `01234`,
//! `+5`, `nan` and integers too large for 64 bits) stays TEXT, exactly as
//! written.

use crate::input::Mark;
use std::collections::VecDeque;
use std::io::{self, Read};

use ::csv::{ByteRecord, Reader, ReaderBuilder};
use rusqlite::types::Value;

use super::{input_error, Input, Row, RowReader};
use crate::error::{Error, Result};

/// Rows from CSV (delimiter `,`) or TSV (delimiter `\t`).
pub(super) struct CsvReader {
    rdr: Reader<LineBreaks<Input>>,
    name: String,
    header: Vec<String>,
    record: ByteRecord,
    row_line: u64,
}

impl CsvReader {
    /// Reads the header; an input with no header has no rows.
    pub(super) fn new(input: Input, name: &str, delimiter: u8) -> Result<CsvReader> {
        let rdr = ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(LineBreaks::new(input));
        let mut reader = CsvReader {
            rdr,
            name: name.to_string(),
            header: Vec::new(),
            record: ByteRecord::new(),
            row_line: 0,
        };
        if reader.read_record()? {
            let mut header = Vec::with_capacity(reader.record.len());
            for (i, field) in reader.record.iter().enumerate() {
                let column = std::str::from_utf8(field).map_err(|_| {
                    reader.error(format_args!("invalid UTF-8 in header field {}", i + 1))
                })?;
                if column.is_empty() {
                    return Err(reader.error(format_args!("header field {} is empty", i + 1)));
                }
                if header.iter().any(|c| c == column) {
                    return Err(reader.error(format_args!(
                        "column \"{column}\" appears twice in the header"
                    )));
                }
                header.push(column.to_string());
            }
            reader.header = header;
        }
        Ok(reader)
    }

    /// Reads the next record into `self.record`; false at the end.
    fn read_record(&mut self) -> Result<bool> {
        let more = self.rdr.read_byte_record(&mut self.record).map_err(|err| {
            input_error(
                &self.name,
                &format!("after line {}", self.row_line),
                format_args!("can not read the input: {err}"),
            )
        })?;
        if let (true, Some(start)) = (more, self.record.position()) {
            self.row_line = self.rdr.get_mut().line_at(start.byte());
        }
        Ok(more)
    }

    fn error(&self, what: impl std::fmt::Display) -> Error {
        input_error(&self.name, &self.position(), what)
    }
}

impl RowReader for CsvReader {
    fn next_row(&mut self) -> Result<Option<Row>> {
        if self.header.is_empty() || !self.read_record()? {
            return Ok(None);
        }
        if self.record.len() != self.header.len() {
            return Err(self.error(format_args!(
                "expected {} fields, found {}",
                self.header.len(),
                self.record.len()
            )));
        }
        let mut row = Row::with_capacity(self.header.len());
        for (column, field) in self.header.iter().zip(self.record.iter()) {
            let text = std::str::from_utf8(field)
                .map_err(|_| self.error(format_args!("invalid UTF-8 in column \"{column}\"")))?;
            row.push((column.clone(), cell_value(text)));
        }
        Ok(Some(row))
    }

    fn mark(&self) -> Mark {
        Mark::Line(self.row_line)
    }
}

/// Passes the input through to the CSV parser, noting where the line breaks
/// are in the bytes it has not yet parsed past.
///
/// The parser's own record positions count a CRLF's LF and any blank lines
/// before a record as part of that record, so they can not say on which line
/// a record starts; this can.
struct LineBreaks<R> {
    inner: R,
    /// Offset of the next byte to read.
    offset: u64,
    /// Offsets of CR and LF bytes not yet passed, and whether each is an LF.
    breaks: VecDeque<(u64, bool)>,
    /// LFs passed.
    lines: u64,
}

impl<R: Read> LineBreaks<R> {
    fn new(inner: R) -> LineBreaks<R> {
        LineBreaks {
            inner,
            offset: 0,
            breaks: VecDeque::new(),
            lines: 0,
        }
    }

    /// The line on which a record that the parser starts reading at byte
    /// `start` begins: past the line breaks before `start` and the run of
    /// CR/LF bytes (a CRLF's LF, blank lines) that starts there.
    fn line_at(&mut self, start: u64) -> u64 {
        let mut run_end = start;
        while let Some(&(at, is_lf)) = self.breaks.front() {
            if at == run_end {
                run_end += 1;
            } else if at > start {
                break;
            }
            self.lines += u64::from(is_lf);
            self.breaks.pop_front();
        }
        self.lines + 1
    }
}

impl<R: Read> Read for LineBreaks<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        for (i, &b) in buf[..n].iter().enumerate() {
            if b == b'\n' || b == b'\r' {
                self.breaks.push_back((self.offset + i as u64, b == b'\n'));
            }
        }
        self.offset += n as u64;
        Ok(n)
    }
}

/// Types one cell: empty is NULL, a JSON-number spelling is INTEGER (when it
/// fits 64 bits) or REAL (when finite), anything else TEXT as written.
pub(super) fn cell_value(text: &str) -> Value {
    if text.is_empty() {
        return Value::Null;
    }
    match number_shape(text.as_bytes()) {
        Some(false) => text
            .parse::<i64>()
            .map_or_else(|_| Value::Text(text.to_string()), Value::Integer),
        Some(true) => match text.parse::<f64>() {
            Ok(f) if f.is_finite() => Value::Real(f),
            _ => Value::Text(text.to_string()),
        },
        None => Value::Text(text.to_string()),
    }
}

/// Whether `s` is spelled as a JSON number, `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`:
/// None if not, Some(false) for an integer, Some(true) with a fraction or exponent.
fn number_shape(s: &[u8]) -> Option<bool> {
    let digits = |s: &[u8]| s.iter().take_while(|b| b.is_ascii_digit()).count();
    let mut i = usize::from(s.first() == Some(&b'-'));
    let int = digits(&s[i..]);
    if int == 0 || (int > 1 && s[i] == b'0') {
        return None;
    }
    i += int;
    let mut float = false;
    if s.get(i) == Some(&b'.') {
        let frac = digits(&s[i + 1..]);
        if frac == 0 {
            return None;
        }
        i += 1 + frac;
        float = true;
    }
    if matches!(s.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(s.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp = digits(&s[i..]);
        if exp == 0 {
            return None;
        }
        i += exp;
        float = true;
    }
    (i == s.len()).then_some(float)
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use super::super::{from_reader, Format, ReadOptions};
    use super::*;
    use crate::error::Kind;

    /// All rows with their positions, or the first error's message.
    fn read(input: &[u8], format: Format) -> std::result::Result<Vec<(String, Row)>, String> {
        let opts = ReadOptions {
            format,
            flatten: false,
        };
        let bytes = Box::new(Cursor::new(input.to_vec()));
        let mut r = from_reader(bytes, "data.csv", &opts, None).map_err(|e| e.message)?;
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

    fn col(name: &str, value: Value) -> (String, Value) {
        (name.to_string(), value)
    }

    fn text(s: &str) -> Value {
        Value::Text(s.to_string())
    }

    #[test]
    fn cells_are_typed_without_losing_text() {
        let cases = [
            ("", Value::Null),
            ("0", Value::Integer(0)),
            ("42", Value::Integer(42)),
            ("-7", Value::Integer(-7)),
            ("9223372036854775807", Value::Integer(i64::MAX)),
            ("9223372036854775808", text("9223372036854775808")),
            ("01234", text("01234")),
            ("-012", text("-012")),
            ("+5", text("+5")),
            ("3.25", Value::Real(3.25)),
            ("-0.5", Value::Real(-0.5)),
            ("0.5", Value::Real(0.5)),
            ("1e5", Value::Real(1e5)),
            ("2.5E-3", Value::Real(2.5e-3)),
            ("1E+2", Value::Real(100.0)),
            ("1e999", text("1e999")),
            ("00.5", text("00.5")),
            (".5", text(".5")),
            ("5.", text("5.")),
            ("1e", text("1e")),
            ("-", text("-")),
            ("nan", text("nan")),
            ("inf", text("inf")),
            ("infinity", text("infinity")),
            (" 42", text(" 42")),
            ("1,000", text("1,000")),
            ("0x1F", text("0x1F")),
            ("alice", text("alice")),
        ];
        for (cell, want) in cases {
            assert_eq!(cell_value(cell), want, "{cell:?}");
        }
    }

    #[test]
    fn csv_rows_with_lines() {
        let input = b"\xEF\xBB\xBFid,name,zip\r\n1,alice,01234\r\n2,\"bob\nsmith\",\r\n\r\n3,\"c, \"\"q\"\"\",2.5\r\n";
        let rows = read(input, Format::Csv).unwrap();
        let lines: Vec<_> = rows.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(lines, ["line 2", "line 3", "line 6"]);
        assert_eq!(
            rows[0].1,
            vec![
                col("id", Value::Integer(1)),
                col("name", text("alice")),
                col("zip", text("01234"))
            ]
        );
        assert_eq!(rows[1].1[1], col("name", text("bob\nsmith")));
        assert_eq!(rows[1].1[2], col("zip", Value::Null));
        assert_eq!(rows[2].1[1], col("name", text("c, \"q\"")));
        assert_eq!(rows[2].1[2], col("zip", Value::Real(2.5)));
    }

    #[test]
    fn lf_lines_blank_lines_and_a_missing_final_newline() {
        let input = b"\n\na,b\n1,\"x\ny\"\n\n\n2,z\n3,\"\"";
        let rows = read(input, Format::Csv).unwrap();
        let lines: Vec<_> = rows.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(lines, ["line 4", "line 8", "line 9"]);
        assert_eq!(
            rows[2].1,
            vec![col("a", Value::Integer(3)), col("b", Value::Null)]
        );
        assert_eq!(
            read(b"a,b\r\n\r\n1,2\r\n3\r\n", Format::Csv).unwrap_err(),
            "data.csv line 4: expected 2 fields, found 1"
        );
    }

    #[test]
    fn tsv_rows() {
        let rows = read(b"a\tb\n1,5\tx y\n", Format::Tsv).unwrap();
        assert_eq!(
            rows[0].1,
            vec![col("a", text("1,5")), col("b", text("x y"))]
        );
    }

    #[test]
    fn empty_and_header_only_inputs_have_no_rows() {
        assert!(read(b"", Format::Csv).unwrap().is_empty());
        assert!(read(b"a,b\n", Format::Csv).unwrap().is_empty());
    }

    #[test]
    fn csv_errors_name_the_line() {
        assert_eq!(
            read(b"a,b,c\n1,2,3\n4,5,6\n7,8\n", Format::Csv).unwrap_err(),
            "data.csv line 4: expected 3 fields, found 2"
        );
        assert_eq!(
            read(b"a,b\n1,2\n3,\xff\n", Format::Csv).unwrap_err(),
            "data.csv line 3: invalid UTF-8 in column \"b\""
        );
        assert_eq!(
            read(b"a,\xff\n", Format::Csv).unwrap_err(),
            "data.csv line 1: invalid UTF-8 in header field 2"
        );
        assert_eq!(
            read(b"a,,b\n", Format::Csv).unwrap_err(),
            "data.csv line 1: header field 2 is empty"
        );
        assert_eq!(
            read(b"a,b,a\n", Format::Csv).unwrap_err(),
            "data.csv line 1: column \"a\" appears twice in the header"
        );
    }
}
