//! `query`: SQL, read-only on a read-only connection, or as a write job.
//!
//! The SQL is split into statements (SQLite's own `sqlite3_complete` decides
//! where one ends). When every statement prepares and is read-only, they run
//! on a read-only connection and the last one that returns rows is streamed
//! out. Otherwise the whole SQL runs as one write job through the wrappers.

use std::io::Read;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, Statement};
use serde_json::Value as Json;

use crate::access::Authorizer;
use crate::cli::{OutputFormat, QueryArgs, QueryOutputArgs};
use crate::db;
use crate::error::{Error, Kind, Result};
use crate::job::{Event, Step, Write, WriteContext, WriteJob};
use crate::output::{self, ResultSet, RowWriter, Style};
use crate::session::Session;

use super::{bind_named, json_param_pairs, param_pairs, Params};

pub fn run(s: &Session, a: QueryArgs) -> Result<Option<Json>> {
    let style = style(s, &a.run.output)?;
    let sql = if a.run.sql == "-" {
        let mut text = String::new();
        s.stdin()
            .read_to_string(&mut text)
            .map_err(|e| Error::usage(format!("can not read SQL from stdin: {e}")))?;
        text
    } else {
        a.run.sql.clone()
    };
    let statements = split_statements(&sql);
    if statements.is_empty() {
        return Err(Error::usage("no SQL given"));
    }
    let mut params = param_pairs(&a.run.params);
    params.extend(json_param_pairs(&a.run.json_params)?);
    let mut info = super::job_info(s, "query", &a.db, None);
    info.sql = Some(sql.clone());
    info.user_sql = true;
    info.params = params.clone();
    if let Some(held) = s.held {
        // Inside a transaction everything runs on its connection, to see its
        // writes; read-only SQL as a read, the rest as a job.
        held.borrow().check_database(&s.path(&a.db), &a.db)?;
        let read =
            held.borrow_mut()
                .read(&info, |conn| match prepare_read_only(conn, &statements) {
                    Some(prepared) => {
                        check_params_used(&prepared, &params)?;
                        run_read_only(s, prepared, &params, style, a.run.time_limit).map(Some)
                    }
                    None => Ok(None),
                });
        match read {
            Ok(Some(result)) => return Ok(result),
            Ok(None) => {}
            Err(e) if e.kind == Kind::Denied => {
                held.borrow_mut().record_refusal(&info, &e)?;
                return Err(e);
            }
            Err(e) => return Err(e),
        }
        return run_write(s, info, a, style, statements, params);
    }
    let config = s.config()?;
    let chain = crate::wrappers::build(config)?;
    let mut conn = db::open_read(&a.db, s.busy_timeout())?;
    let authorizer = Authorizer::install(&mut conn)?;
    let policy = crate::wrappers::read_policy(&conn, &chain, &info)?;
    authorizer.set(&conn, Some(policy));
    let watch = a.run.time_limit.map(|ms| db::Watchdog::start(&conn, ms));
    if let Some(prepared) = prepare_read_only(&conn, &statements) {
        check_params_used(&prepared, &params)?;
        return run_read_only(s, prepared, &params, style, a.run.time_limit)
            .map_err(|e| authorizer.explain(e));
    }
    let refused = authorizer
        .denial()
        .or_else(|| read_compile_error(&conn, &statements, &authorizer));
    drop(watch);
    drop(conn);
    match refused {
        // A read the rules refuse: audited like a refused write.
        Some(err) if err.kind == Kind::Denied => {
            crate::pipeline::record_refusal(s, &info, &err)?;
            Err(err)
        }
        Some(err) => Err(err),
        None => run_write(s, info, a, style, statements, params),
    }
}

/// The error of a query that does not compile, when it is a read with
/// nothing before it that could make it compile (only reads come before
/// it): a typo in a SELECT is told at once, not after waiting for the
/// write lock that running it as a write would take first. None when it
/// may be a write, or need an earlier statement to have run.
fn read_compile_error(
    conn: &Connection,
    statements: &[String],
    authorizer: &Authorizer,
) -> Option<Error> {
    for sql in statements {
        match conn.prepare(sql) {
            Ok(stmt) if stmt.readonly() => continue,
            Ok(_) => return None,
            Err(e) => {
                let read = ["select", "values"]
                    .iter()
                    .any(|k| first_keyword(sql).eq_ignore_ascii_case(k));
                return read
                    .then(|| db::hint_missing_table(conn, authorizer.compile_error(sql, e)));
            }
        }
    }
    None
}

/// The output style the flags ask for: sqlite-utils' spellings map onto
/// --format; with --json the rows go into one result object.
fn style(s: &Session, o: &QueryOutputArgs) -> Result<Style> {
    let format = if o.csv {
        OutputFormat::Csv
    } else if o.tsv {
        OutputFormat::Tsv
    } else if o.nl {
        OutputFormat::Ndjson
    } else if o.table || o.fmt.is_some() {
        OutputFormat::Table
    } else if o.raw {
        OutputFormat::Raw
    } else if o.raw_lines {
        OutputFormat::RawLines
    } else {
        o.format.unwrap_or_default()
    };
    let format = match (s.flags.json, format) {
        (false, f) => f,
        (true, OutputFormat::Json) => OutputFormat::JsonResult,
        (true, _) => {
            return Err(Error::usage(
                "--json prints one result object holding the rows; drop --json to print them as CSV, TSV, a table or raw",
            ))
        }
    };
    if o.fmt.is_some() && format != OutputFormat::Table {
        return Err(Error::usage(
            "--fmt styles a table; it can not go with another format",
        ));
    }
    Ok(Style {
        format,
        arrays: o.arrays,
        headers: !o.no_headers,
        json_cols: o.json_cols,
        table: o.fmt.unwrap_or_default(),
    })
}

/// Runs the SQL as a write job and prints what it returns.
fn run_write(
    s: &Session,
    info: crate::job::JobInfo,
    a: QueryArgs,
    style: Style,
    statements: Vec<String>,
    params: Params,
) -> Result<Option<Json>> {
    let write = QueryWrite {
        statements,
        params,
        time_limit: a.run.time_limit,
    };
    let (outcome, obj) = super::run_job(
        s,
        WriteJob {
            info,
            write: Box::new(write),
        },
    )
    .map_err(|e| interrupted(e, a.run.time_limit))?;
    if s.flags.dry_run && !s.flags.json {
        super::show::print_changes(
            &mut s.stdout(),
            &outcome.changes,
            OutputFormat::Table,
            s.env.columns,
        )?;
    }
    let set = outcome
        .result
        .unwrap_or_else(|| rows_affected(outcome.rows));
    if style.format == OutputFormat::JsonResult {
        // The job's result object (group, dry run) with the rows.
        let mut obj = obj;
        let mut buf = Vec::new();
        let row_style = Style {
            format: OutputFormat::Ndjson,
            ..style
        };
        let mut w = RowWriter::with_style(&mut buf, row_style, set.columns.clone())?;
        for row in &set.rows {
            let refs: Vec<ValueRef<'_>> = row.iter().map(ValueRef::from).collect();
            w.row(&refs)?;
        }
        w.finish()?;
        let rows: Vec<Json> = serde_json::Deserializer::from_slice(&buf)
            .into_iter::<Json>()
            .collect::<std::result::Result<_, _>>()
            .map_err(|e| Error::sql(format!("can not print the rows: {e}")))?;
        obj["columns"] = Json::from(set.columns.clone());
        obj["rows"] = Json::Array(rows);
        if let Some(map) = obj.as_object_mut() {
            map.remove("table");
        }
        return Ok(Some(obj));
    }
    output::print_result_set_styled(s.stdout(), &set, style)?;
    Ok(None)
}

/// Splits SQL into complete statements, as SQLite itself would.
pub fn split_statements(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, _) in sql.match_indices(';') {
        let candidate = &sql[start..=i];
        if is_complete(candidate) {
            if !candidate.trim().trim_end_matches(';').trim().is_empty() {
                out.push(candidate.trim().to_string());
            }
            start = i + 1;
        }
    }
    let rest = sql[start..].trim();
    if !rest.is_empty() && !only_comments(rest) {
        out.push(rest.to_string());
    }
    out
}

/// The statement's first word, after whitespace and comments.
fn first_keyword(sql: &str) -> &str {
    let mut s = sql.trim_start();
    loop {
        if let Some(rest) = s.strip_prefix("--") {
            s = rest
                .split_once('\n')
                .map(|(_, r)| r)
                .unwrap_or("")
                .trim_start();
        } else if let Some(rest) = s.strip_prefix("/*") {
            s = rest
                .split_once("*/")
                .map(|(_, r)| r)
                .unwrap_or("")
                .trim_start();
        } else {
            break;
        }
    }
    let end = s
        .find(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .unwrap_or(s.len());
    &s[..end]
}

fn is_complete(sql: &str) -> bool {
    let Ok(c) = std::ffi::CString::new(sql) else {
        return false;
    };
    // SAFETY: a valid NUL-terminated string; sqlite3_complete only reads it.
    unsafe { rusqlite::ffi::sqlite3_complete(c.as_ptr()) != 0 }
}

fn only_comments(sql: &str) -> bool {
    // "x;" after the comments is complete and empty only if nothing else is there.
    is_complete(&format!("{sql}\n;")) && {
        let mut s = sql.trim();
        loop {
            if let Some(rest) = s.strip_prefix("--") {
                s = rest.split_once('\n').map(|(_, r)| r.trim()).unwrap_or("");
            } else if let Some(rest) = s.strip_prefix("/*") {
                s = rest.split_once("*/").map(|(_, r)| r.trim()).unwrap_or("");
            } else {
                break s.is_empty();
            }
        }
    }
}

/// Prepares every statement if all are read-only; None when any writes or
/// does not prepare (it may need an earlier statement to have run).
fn prepare_read_only<'c>(
    conn: &'c Connection,
    statements: &[String],
) -> Option<Vec<Statement<'c>>> {
    let mut out = Vec::with_capacity(statements.len());
    for s in statements {
        let stmt = conn.prepare(s).ok()?;
        if !stmt.readonly() {
            return None;
        }
        out.push(stmt);
    }
    Some(out)
}

fn check_params_used(statements: &[Statement<'_>], params: &Params) -> Result<()> {
    for (name, _) in params {
        let used = statements.iter().any(|s| {
            (1..=s.parameter_count()).any(|i| s.parameter_name(i).is_some_and(|n| &n[1..] == name))
        });
        if !used {
            return Err(Error::usage(format!(
                "parameter \"{name}\" is not used by the SQL"
            )));
        }
    }
    Ok(())
}

fn run_read_only(
    s: &Session,
    mut statements: Vec<Statement<'_>>,
    params: &Params,
    style: Style,
    limit: Option<u64>,
) -> Result<Option<Json>> {
    let last = statements.iter().rposition(|s| s.column_count() > 0);
    let out = s.stdout();
    let mut writer = None;
    let mut out = Some(out);
    for (i, stmt) in statements.iter_mut().enumerate() {
        bind_named(stmt, params)?;
        let columns: Vec<String> = stmt.column_names().map(|c| c.to_string()).collect();
        let n = columns.len();
        let mut rows = stmt.raw_query();
        if Some(i) == last {
            let mut w = RowWriter::with_style(out.take().expect("one output"), style, columns)?;
            loop {
                let row = match rows.next() {
                    Ok(Some(row)) => row,
                    Ok(None) => break,
                    // Rows were printed: end the output so it stays valid.
                    Err(e) => return Err(w.abort(interrupted(e.into(), limit))),
                };
                let values: Vec<ValueRef<'_>> = (0..n).map(|c| row.get_ref_unwrap(c)).collect();
                if let Err(e) = w.row(&values) {
                    return Err(w.abort(e));
                }
                if w.satisfied() {
                    break;
                }
            }
            writer = Some(w);
        } else {
            while rows
                .next()
                .map_err(|e| interrupted(e.into(), limit))?
                .is_some()
            {}
        }
    }
    match writer {
        Some(w) => w.finish()?,
        None => {
            drop(out);
            output::print_result_set_styled(s.stdout(), &rows_affected(0), style)?;
        }
    }
    Ok(None)
}

fn rows_affected(n: u64) -> ResultSet {
    ResultSet {
        columns: vec!["rows_affected".into()],
        rows: vec![vec![rusqlite::types::Value::Integer(n as i64)]],
    }
}

/// Explains an interrupt caused by --time-limit.
fn interrupted(e: Error, limit: Option<u64>) -> Error {
    match limit {
        Some(ms) if e.sqlite_code() == Some(rusqlite::ErrorCode::OperationInterrupted) => {
            Error::sql(format!(
                "query interrupted: it ran longer than the time limit of {ms} ms"
            ))
        }
        _ => e,
    }
}

/// SQL that writes, run statement by statement inside the job's transaction.
pub struct QueryWrite {
    statements: Vec<String>,
    params: Params,
    time_limit: Option<u64>,
}

impl Write for QueryWrite {
    fn step(&mut self, cx: &mut WriteContext<'_>) -> Result<Step> {
        let _watch = self.time_limit.map(|ms| db::Watchdog::start(cx.conn, ms));
        let mut used = vec![false; self.params.len()];
        for text in &self.statements {
            if first_keyword(text).eq_ignore_ascii_case("vacuum") {
                // VACUUM can not run inside the job's transaction, and
                // VACUUM INTO would copy every table past the authorizer.
                return Err(Error::denied(
                    "VACUUM is not allowed in a write job (it can not run inside a transaction, and VACUUM INTO would copy protected and hidden tables)",
                ));
            }
            let mut stmt = cx
                .prepare(text)
                .map_err(|e| db::hint_missing_table(cx.conn, e))?;
            bind_named(&mut stmt, &self.params)?;
            for (i, (name, _)) in self.params.iter().enumerate() {
                if stmt.parameter_index(&format!(":{name}"))?.is_some()
                    || stmt.parameter_index(&format!("${name}"))?.is_some()
                    || stmt.parameter_index(&format!("@{name}"))?.is_some()
                {
                    used[i] = true;
                }
            }
            let before = cx.conn.total_changes();
            let mut ev = Event::new("execute-sql", None);
            if stmt.column_count() > 0 {
                let columns: Vec<String> = stmt.column_names().map(|c| c.to_string()).collect();
                let n = columns.len();
                let mut set = ResultSet {
                    columns,
                    rows: Vec::new(),
                };
                let mut rows = stmt.raw_query();
                while let Some(row) = rows.next()? {
                    let values = (0..n).map(|c| row.get::<_, rusqlite::types::Value>(c));
                    set.rows.push(values.collect::<rusqlite::Result<_>>()?);
                }
                cx.result = Some(set);
            } else {
                stmt.raw_execute()
                    .map_err(|e| super::explain_foreign_key(cx.conn, e, &mut stmt, None))?;
            }
            drop(stmt);
            if cx.conn.total_changes() != before {
                ev.rows = cx.conn.changes();
            }
            cx.done()?;
            ev.sql = Some(text.clone());
            if !self.params.is_empty() {
                ev.params = Some(super::params_json(&self.params));
            }
            cx.rows += ev.rows;
            cx.event(ev);
        }
        if let Some(i) = used.iter().position(|u| !u) {
            return Err(Error::usage(format!(
                "parameter \"{}\" is not used by the SQL",
                self.params[i].0
            )));
        }
        Ok(Step::Done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_sqlite() {
        assert_eq!(
            split_statements("select 1; select 2"),
            vec!["select 1;", "select 2"]
        );
        assert_eq!(split_statements("select ';'; "), vec!["select ';';"]);
        let trig =
            "create trigger t after insert on a begin insert into b values (1); end; select 1;";
        assert_eq!(split_statements(trig).len(), 2);
        assert!(split_statements("  -- nothing\n").is_empty());
        assert_eq!(
            split_statements("select 1 -- done"),
            vec!["select 1 -- done"]
        );
    }
}
