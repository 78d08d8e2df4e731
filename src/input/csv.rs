//! CSV and TSV row readers.
//!
//! The first record is the header (or, with `--no-headers`, the first row,
//! the columns being `untitled_1`, `untitled_2`, ...). Every cell is read as
//! the exact text it holds: whether it becomes a number is decided by the
//! column it goes into (see `cmd::insert`): a numeric column turns number
//! text into a number, as SQLite's type affinity does, and a TEXT column
//! keeps `1E5`, `5.10` or `01234` as written. An empty cell is `''`, or NULL
//! with `--empty-null` (and always NULL in a numeric column).

use crate::input::Mark;
use std::collections::VecDeque;
use std::io::{self, Read};

use ::csv::{ByteRecord, Reader, ReaderBuilder};
use rusqlite::types::Value;

use super::{input_error, CsvOptions, Input, Row, RowReader};
use crate::error::{Error, Result};

/// Rows from CSV (delimiter `,`), TSV (`\t`) or another delimiter.
pub(super) struct CsvReader {
    rdr: Reader<LineBreaks<Input>>,
    name: String,
    header: Vec<String>,
    record: ByteRecord,
    row_line: u64,
    empty_null: bool,
    /// The first record is a row, not a header (`--no-headers`), and is not yet returned.
    pending: bool,
}

impl CsvReader {
    /// Reads the header; an input with no header has no rows.
    pub(super) fn new(
        input: Input,
        name: &str,
        opts: &CsvOptions,
        delimiter: u8,
        diag: &crate::session::Diag,
    ) -> Result<CsvReader> {
        let rdr = ReaderBuilder::new()
            .delimiter(delimiter)
            .quote(opts.quote.unwrap_or(b'"'))
            .has_headers(false)
            .flexible(true)
            .from_reader(LineBreaks::new(input));
        let mut reader = CsvReader {
            rdr,
            name: name.to_string(),
            header: Vec::new(),
            record: ByteRecord::new(),
            row_line: 0,
            empty_null: opts.empty_null,
            pending: false,
        };
        if !reader.read_record()? {
            return Ok(reader);
        }
        if opts.no_headers {
            reader.header = (1..=reader.record.len())
                .map(|i| format!("untitled_{i}"))
                .collect();
            reader.pending = true;
            return Ok(reader);
        }
        let mut header = Vec::with_capacity(reader.record.len());
        for (i, field) in reader.record.iter().enumerate() {
            let column = std::str::from_utf8(field).map_err(|_| {
                reader
                    .error(format_args!("invalid UTF-8 in header field {}", i + 1))
                    .with_hint("give the file's encoding with --encoding (e.g. latin-1, cp1252)")
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
        if let ([only], false) = (header.as_slice(), opts.delimiter.is_some() || opts.sniff) {
            if let Some(other) = [b',', b';', b'\t', b'|']
                .into_iter()
                .find(|&d| d != delimiter && only.as_bytes().contains(&d))
            {
                let shown = if other == b'\t' {
                    "\\t".to_string()
                } else {
                    (other as char).to_string()
                };
                diag.warn(&format!(
                    "{name}: the header is one column, \"{only}\"; if \"{shown}\" separates the columns, use --delimiter '{shown}' or --sniff"
                ));
            }
        }
        reader.header = header;
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
        if self.header.is_empty() {
            return Ok(None);
        }
        if self.pending {
            self.pending = false;
        } else if !self.read_record()? {
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
            let text = std::str::from_utf8(field).map_err(|_| {
                self.error(format_args!("invalid UTF-8 in column \"{column}\""))
                    .with_hint("give the file's encoding with --encoding (e.g. latin-1, cp1252)")
            })?;
            let value = if text.is_empty() && self.empty_null {
                Value::Null
            } else {
                Value::Text(text.to_string())
            };
            row.push((column.clone(), value));
        }
        Ok(Some(row))
    }

    fn cells_are_text(&self) -> bool {
        true
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
            ..Default::default()
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
    fn csv_rows_with_lines() {
        let input = b"\xEF\xBB\xBFid,name,zip\r\n1,alice,01234\r\n2,\"bob\nsmith\",\r\n\r\n3,\"c, \"\"q\"\"\",2.5\r\n";
        let rows = read(input, Format::Csv).unwrap();
        let lines: Vec<_> = rows.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(lines, ["line 2", "line 3", "line 6"]);
        assert_eq!(
            rows[0].1,
            vec![
                col("id", text("1")),
                col("name", text("alice")),
                col("zip", text("01234"))
            ]
        );
        assert_eq!(rows[1].1[1], col("name", text("bob\nsmith")));
        assert_eq!(rows[1].1[2], col("zip", text("")));
        assert_eq!(rows[2].1[1], col("name", text("c, \"q\"")));
        assert_eq!(rows[2].1[2], col("zip", text("2.5")));
    }

    #[test]
    fn lf_lines_blank_lines_and_a_missing_final_newline() {
        let input = b"\n\na,b\n1,\"x\ny\"\n\n\n2,z\n3,\"\"";
        let rows = read(input, Format::Csv).unwrap();
        let lines: Vec<_> = rows.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(lines, ["line 4", "line 8", "line 9"]);
        assert_eq!(rows[2].1, vec![col("a", text("3")), col("b", text(""))]);
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
