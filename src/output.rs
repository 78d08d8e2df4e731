//! Printing rows: json, ndjson, csv, tsv and terminal tables.
//!
//! Rows are written as they come (the terminal table excepted, which needs
//! every row to size its columns) through a buffered, locked stdout. BLOBs
//! print as `{"$base64": true, "encoded": "..."}`, the form insert reads.

use std::io::Write;

use rusqlite::types::{Value, ValueRef};
use serde_json::{Map, Value as Json};

use crate::cli::OutputFormat;
use crate::error::Result;
use crate::input::value_to_json;

/// Rows held in memory (the rows SQL that writes returns).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResultSet {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

/// Writes rows in one format, one at a time.
pub struct RowWriter<W: Write> {
    out: Sink<W>,
    format: OutputFormat,
    columns: Vec<String>,
    count: u64,
    table: Vec<Vec<String>>,
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
        let out = match format {
            OutputFormat::Csv | OutputFormat::Tsv => {
                let delim = if format == OutputFormat::Csv {
                    b','
                } else {
                    b'\t'
                };
                let mut c = csv::WriterBuilder::new().delimiter(delim).from_writer(out);
                c.write_record(&columns).map_err(csv_error)?;
                Sink::Csv(Box::new(c))
            }
            _ => Sink::Plain(out),
        };
        let mut w = RowWriter {
            out,
            format,
            columns,
            count: 0,
            table: Vec::new(),
        };
        if format == OutputFormat::Json {
            w.out.plain().write_all(b"[")?;
        }
        Ok(w)
    }

    /// Writes one row.
    pub fn row(&mut self, values: &[ValueRef<'_>]) -> Result<()> {
        match self.format {
            OutputFormat::Json | OutputFormat::Ndjson => {
                let mut obj = Map::with_capacity(values.len());
                for (c, v) in self.columns.iter().zip(values) {
                    obj.insert(c.clone(), value_to_json(v));
                }
                let out = self.out.plain();
                if self.format == OutputFormat::Json {
                    out.write_all(if self.count == 0 { b"\n" } else { b",\n" })?;
                }
                serde_json::to_writer(&mut *out, &Json::Object(obj))
                    .map_err(std::io::Error::from)?;
                if self.format == OutputFormat::Ndjson {
                    out.write_all(b"\n")?;
                }
            }
            OutputFormat::Csv | OutputFormat::Tsv => {
                if let Sink::Csv(c) = &mut self.out {
                    c.write_record(values.iter().map(text_cell))
                        .map_err(csv_error)?;
                }
            }
            OutputFormat::Table => self.table.push(values.iter().map(text_cell).collect()),
        }
        self.count += 1;
        Ok(())
    }

    /// Ends the output and flushes it.
    pub fn finish(mut self) -> Result<()> {
        match self.format {
            OutputFormat::Json => {
                let end: &[u8] = if self.count == 0 { b"]\n" } else { b"\n]\n" };
                self.out.plain().write_all(end)?;
            }
            OutputFormat::Table => {
                let mut t = comfy_table::Table::new();
                t.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
                t.set_header(&self.columns);
                for r in &self.table {
                    t.add_row(r);
                }
                writeln!(self.out.plain(), "{t}")?;
            }
            _ => {}
        }
        self.out.flush()?;
        Ok(())
    }
}

fn csv_error(e: csv::Error) -> crate::error::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => io.into(),
        other => crate::error::Error::sql(format!("{other:?}")),
    }
}

/// A value as plain text for csv, tsv and tables (BLOBs as their JSON form).
fn text_cell(v: &ValueRef<'_>) -> String {
    match v {
        ValueRef::Null => String::new(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(f) => f.to_string(),
        ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
        ValueRef::Blob(_) => value_to_json(v).to_string(),
    }
}

/// Prints a result set held in memory.
pub fn print_result_set(set: &ResultSet, format: OutputFormat) -> Result<()> {
    let mut w = RowWriter::new(crate::stdio::stdout(), format, set.columns.clone())?;
    for row in &set.rows {
        let refs: Vec<ValueRef<'_>> = row.iter().map(ValueRef::from).collect();
        w.row(&refs)?;
    }
    w.finish()
}

/// Prints one JSON value on stdout followed by a newline.
pub fn print_json(value: &Json) -> Result<()> {
    let mut out = crate::stdio::stdout();
    serde_json::to_writer(&mut out, value).map_err(std::io::Error::from)?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(())
}

/// Prints JSON objects: as JSON for json/ndjson, else as cells of the
/// given columns (strings as they are, other values as JSON text).
pub fn print_objects(columns: &[&str], objects: &[Json], format: OutputFormat) -> Result<()> {
    let mut out = crate::stdio::stdout();
    match format {
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
