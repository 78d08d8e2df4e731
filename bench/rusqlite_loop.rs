//! The benchmark's baseline: the fastest straightforward way to load NDJSON
//! into SQLite from Rust. litewrite's bulk insert is measured against it.
//!
//! ```text
//! cargo run --release --example rusqlite_loop -- DB FILE.ndjson TABLE
//! ```
//!
//! Reads FILE line by line into one reused `String`, parses each line with
//! serde_json into a `Map`, and inserts through ONE prepared statement in ONE
//! transaction. The connection uses the same settings as litewrite
//! (journal_mode=WAL, synchronous=NORMAL). A missing table is created from
//! the first row's keys, with types inferred from its values the way
//! litewrite does (integer -> INTEGER, float -> REAL, bool -> INTEGER,
//! anything else -> TEXT). Values are bound by column order; a key missing
//! from a row binds NULL, a key the first row did not have is ignored.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::process::ExitCode;

use rusqlite::types::ToSqlOutput;
use rusqlite::Connection;
use serde_json::{Map, Value};

fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn sql_type(v: &Value) -> &'static str {
    match v {
        Value::Bool(_) => "INTEGER",
        Value::Number(n) if n.is_i64() || n.is_u64() => "INTEGER",
        Value::Number(_) => "REAL",
        _ => "TEXT",
    }
}

/// A JSON value as an SQLite value, borrowing strings where it can.
fn to_sql(v: Option<&Value>) -> ToSqlOutput<'_> {
    use rusqlite::types::{Value as SqlValue, ValueRef};
    match v {
        None | Some(Value::Null) => ToSqlOutput::Borrowed(ValueRef::Null),
        Some(Value::Bool(b)) => ToSqlOutput::Owned(SqlValue::Integer(*b as i64)),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(i) => ToSqlOutput::Owned(SqlValue::Integer(i)),
            None => ToSqlOutput::Owned(SqlValue::Real(n.as_f64().unwrap_or(f64::NAN))),
        },
        Some(Value::String(s)) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
        Some(other) => ToSqlOutput::Owned(SqlValue::Text(other.to_string())),
    }
}

fn run(db: &str, file: &str, table: &str) -> Result<u64, Box<dyn std::error::Error>> {
    let mut reader = BufReader::with_capacity(1 << 16, File::open(file)?);
    let mut line = String::new();

    // The first non-blank row decides the columns.
    let first: Map<String, Value> = loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(0);
        }
        if !line.trim().is_empty() {
            break serde_json::from_str(&line)?;
        }
    };
    let columns: Vec<String> = first.keys().cloned().collect();

    let mut conn = Connection::open(db)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;

    let tx = conn.transaction()?;
    let defs: Vec<String> = first
        .iter()
        .map(|(k, v)| format!("{} {}", quote_ident(k), sql_type(v)))
        .collect();
    tx.execute_batch(&format!(
        "CREATE TABLE IF NOT EXISTS {} ({})",
        quote_ident(table),
        defs.join(", ")
    ))?;

    let col_list: Vec<String> = columns.iter().map(|c| quote_ident(c)).collect();
    let placeholders: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({})",
        quote_ident(table),
        col_list.join(", "),
        placeholders.join(", ")
    );

    let mut rows = 0u64;
    {
        let mut stmt = tx.prepare(&sql)?;
        let mut insert = |row: &Map<String, Value>| -> rusqlite::Result<()> {
            for (i, col) in columns.iter().enumerate() {
                stmt.raw_bind_parameter(i + 1, to_sql(row.get(col)))?;
            }
            stmt.raw_execute()?;
            Ok(())
        };
        insert(&first)?;
        rows += 1;
        let mut lineno = 1u64;
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                break;
            }
            lineno += 1;
            if line.trim().is_empty() {
                continue;
            }
            let row: Map<String, Value> =
                serde_json::from_str(&line).map_err(|e| format!("line {lineno}: {e}"))?;
            insert(&row)?;
            rows += 1;
        }
    }
    tx.commit()?;
    Ok(rows)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        eprintln!("usage: rusqlite_loop DB FILE.ndjson TABLE");
        return ExitCode::from(2);
    }
    match run(&args[1], &args[2], &args[3]) {
        Ok(n) => {
            if std::env::var_os("RUSQLITE_LOOP_VERBOSE").is_some() {
                eprintln!("rusqlite_loop: inserted {n} rows");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("rusqlite_loop: {e}");
            ExitCode::from(1)
        }
    }
}
