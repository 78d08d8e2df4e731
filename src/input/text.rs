//! `--lines` and `--text`: plain text as rows, as sqlite-utils reads it.
//!
//! `--lines` makes each line a row with one column, `line` (the line ending
//! removed, the rest kept exactly); `--text` makes the whole input one row
//! with one column, `text`.

use std::io::{BufRead, BufReader, Read};

use rusqlite::types::Value;

use super::{input_error, read_error, Input, Mark, Row, RowReader};
use crate::error::Result;

/// One row per line.
pub(super) struct LinesReader {
    src: BufReader<Input>,
    name: String,
    buf: Vec<u8>,
    line: u64,
}

impl LinesReader {
    pub(super) fn new(input: Input, name: &str) -> LinesReader {
        LinesReader {
            src: BufReader::with_capacity(64 * 1024, input),
            name: name.to_string(),
            buf: Vec::new(),
            line: 0,
        }
    }
}

impl RowReader for LinesReader {
    fn next_row(&mut self) -> Result<Option<Row>> {
        self.buf.clear();
        let n = self
            .src
            .read_until(b'\n', &mut self.buf)
            .map_err(|err| read_error(&self.name, err))?;
        if n == 0 {
            return Ok(None);
        }
        self.line += 1;
        let mut end = self.buf.len();
        if self.buf[..end].ends_with(b"\n") {
            end -= 1;
            if self.buf[..end].ends_with(b"\r") {
                end -= 1;
            }
        }
        let text = std::str::from_utf8(&self.buf[..end]).map_err(|_| {
            input_error(&self.name, &format!("line {}", self.line), "invalid UTF-8")
                .with_hint("give the input's encoding with --encoding (e.g. latin-1, cp1252)")
        })?;
        Ok(Some(vec![(
            "line".to_string(),
            Value::Text(text.to_string()),
        )]))
    }

    fn mark(&self) -> Mark {
        Mark::Line(self.line)
    }
}

/// The whole input as one row.
pub(super) struct TextReader {
    src: Option<Input>,
    name: String,
}

impl TextReader {
    pub(super) fn new(input: Input, name: &str) -> TextReader {
        TextReader {
            src: Some(input),
            name: name.to_string(),
        }
    }
}

impl RowReader for TextReader {
    fn next_row(&mut self) -> Result<Option<Row>> {
        let Some(mut src) = self.src.take() else {
            return Ok(None);
        };
        let mut bytes = Vec::new();
        src.read_to_end(&mut bytes)
            .map_err(|err| read_error(&self.name, err))?;
        let text = String::from_utf8(bytes).map_err(|err| {
            input_error(
                &self.name,
                &format!("at byte {}", err.utf8_error().valid_up_to()),
                "invalid UTF-8",
            )
            .with_hint("give the input's encoding with --encoding (e.g. latin-1, cp1252)")
        })?;
        Ok(Some(vec![("text".to_string(), Value::Text(text))]))
    }

    fn mark(&self) -> Mark {
        Mark::None
    }
}
