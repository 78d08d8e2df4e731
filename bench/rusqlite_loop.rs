//! The benchmark's baseline: the fastest straightforward way to load NDJSON
//! into SQLite from Rust. litewrite's bulk insert is measured against it.
//!
//! ```text
//! cargo run --release --example rusqlite_loop -- DB FILE.ndjson TABLE
//! cargo run --release --example rusqlite_loop -- --floor DB ROWS TABLE
//! ```
//!
//! Reads FILE line by line into one reused `String`, parses each line with
//! serde_json into a `Map`, and inserts through ONE prepared statement in ONE
//! transaction. The connection uses the same settings as litewrite's
//! defaults (journal_mode=WAL, synchronous=FULL, the WAL checkpointed when
//! it closes).
//!
//! `--floor` is SQLite alone: the same ROWS rows `bench/harness.py gen`
//! writes, made in memory (no input, no parsing), bound to one prepared
//! statement in one transaction — what no loader can beat. A missing table is created from
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
    conn.pragma_update(None, "synchronous", "FULL")?;

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

const FIRST_NAMES: [&str; 16] = [
    "Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Ken", "Margaret", "Linus", "Frances",
    "Dennis", "Radia", "John", "Sophie", "Niklaus", "Hedy",
];

/// `2020-01-01T00:00:00Z` plus `secs` seconds, as the harness writes it.
fn timestamp(out: &mut String, secs: u64) {
    use std::fmt::Write as _;
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let total = 1_577_836_800 + secs; // 2020-01-01T00:00:00Z
    let (days, rem) = ((total / 86_400) as i64, total % 86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let _ = write!(
        out,
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    );
}

/// SQLite alone: the harness's rows, made in memory, into one statement.
fn floor(db: &str, rows: u64, table: &str) -> Result<u64, Box<dyn std::error::Error>> {
    use std::fmt::Write as _;
    let mut conn = Connection::open(db)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    let tx = conn.transaction()?;
    tx.execute_batch(&format!(
        "CREATE TABLE IF NOT EXISTS {} (id INTEGER, name TEXT, email TEXT, score REAL, active INTEGER, created TEXT)",
        quote_ident(table)
    ))?;
    {
        let mut stmt = tx.prepare(&format!(
            "INSERT INTO {} (id, name, email, score, active, created) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            quote_ident(table)
        ))?;
        let lower: Vec<String> = FIRST_NAMES.iter().map(|n| n.to_lowercase()).collect();
        let (mut name, mut email, mut created) = (String::new(), String::new(), String::new());
        for i in 1..=rows {
            let k = (i % 16) as usize;
            name.clear();
            write!(name, "{} {:05}", FIRST_NAMES[k], i * 2654435761 % 100000)?;
            email.clear();
            write!(email, "{}.{i}@example.com", lower[k])?;
            created.clear();
            timestamp(&mut created, i * 37);
            stmt.raw_bind_parameter(1, i as i64)?;
            stmt.raw_bind_parameter(2, name.as_str())?;
            stmt.raw_bind_parameter(3, email.as_str())?;
            stmt.raw_bind_parameter(4, (i * 7919 % 1000003) as f64 / 1000.0)?;
            stmt.raw_bind_parameter(5, (i % 3 != 0) as i64)?;
            stmt.raw_bind_parameter(6, created.as_str())?;
            stmt.raw_execute()?;
        }
    }
    tx.commit()?;
    Ok(rows)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let result = match args.get(1).map(String::as_str) {
        Some("--floor") if args.len() == 5 => match args[3].parse() {
            Ok(rows) => floor(&args[2], rows, &args[4]),
            Err(_) => Err("ROWS must be a number".into()),
        },
        _ if args.len() == 4 => run(&args[1], &args[2], &args[3]),
        _ => {
            eprintln!(
                "usage: rusqlite_loop DB FILE.ndjson TABLE | rusqlite_loop --floor DB ROWS TABLE"
            );
            return ExitCode::from(2);
        }
    };
    match result {
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
