//! One file per subcommand, each with its `run`; this module only dispatches
//! and holds what several commands share (the job description, row sources,
//! named parameters, the result object).

pub mod audit;
pub mod config;
pub mod create;
pub mod delete;
pub mod drop;
pub mod history;
pub mod insert;
pub mod man;
pub mod prune;
pub mod query;
pub mod schema;
pub mod show;
pub mod tx;
pub mod undo;
pub mod update;

/// Commands that run inside a transaction when given --tx (or LITEWRITE_TX).
pub fn joins_transaction(command: &Command) -> bool {
    matches!(
        command,
        Command::Insert(_)
            | Command::Upsert(_)
            | Command::Update(_)
            | Command::Delete(_)
            | Command::Create(_)
            | Command::Drop(_)
            | Command::Query(_)
            | Command::Undo(_)
            | Command::Prune(_)
    )
}

use std::io::Write as _;
use std::path::{Path, PathBuf};

use rusqlite::types::Value;
use rusqlite::Statement;
use serde_json::{json, Value as Json};

use crate::cli::{Command, FormatArgs, InputArgs};
use crate::error::{Error, Kind, Result};
use crate::input::{self, Format, ReadOptions, Row, RowReader};
use crate::job::{JobInfo, Outcome, WriteJob};
use crate::pipeline;
use crate::session::Session;

pub use crate::job::{params_json, Params};

/// Runs a command to its end: prints the result (or, with --json, the
/// error object) on the session's stdout and returns the exit code and the
/// error to show on stderr. Both front ends (`main` and a transaction
/// holder serving a request) call it. A reader that stopped reading
/// (`| head`) is not a failure: a broken pipe ends the command quietly.
pub fn execute(s: &Session, command: Command) -> (u8, Option<Error>) {
    let json = s.flags.json;
    let result = run(s, command).and_then(|obj| match obj {
        Some(obj) if json => crate::output::print_json(&mut s.stdout(), &obj),
        _ => Ok(()),
    });
    match result {
        Ok(()) => (0, None),
        Err(e) if e.broken_pipe => (0, None),
        Err(e) => {
            if json && !e.printed_json {
                let mut obj = json!({"ok": false, "error": e.to_string(), "kind": e.kind.name()});
                for (k, v) in e.details.iter().flat_map(|d| d.iter()) {
                    obj[k] = v.clone();
                }
                let _ = crate::output::print_json(&mut s.stdout(), &obj);
            }
            (e.kind.exit_code(), Some(e))
        }
    }
}

/// Reports a command line clap could not parse, returning the exit code:
/// help and version go out as clap prints them; an error is a usage error
/// (exit 2), printed by clap, or with `--json` as the usual error object on
/// stdout (and one line on stderr).
pub fn command_line_error(err: clap::Error, args: &[std::ffi::OsString]) -> u8 {
    use clap::error::ErrorKind;
    let json = args
        .iter()
        .skip(1)
        .take_while(|a| *a != "--")
        .any(|a| a == "--json");
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ) || !json
    {
        // A closed stdout or stderr loses the text, nothing more.
        let _ = err.print();
        return u8::try_from(err.exit_code()).unwrap_or(2);
    }
    let text = err.render().to_string();
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let mut message = lines
        .next()
        .unwrap_or("invalid command line")
        .trim_start_matches("error: ")
        .to_string();
    for line in lines.take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more")) {
        match line.strip_prefix("tip: ") {
            Some(tip) => message = format!("{message}; {tip}"),
            None => message = format!("{message} {line}"),
        }
    }
    let obj = json!({"ok": false, "error": message, "kind": Kind::Usage.name()});
    let mut out = std::io::BufWriter::new(std::io::stdout());
    let _ = crate::output::print_json(&mut out, &obj);
    crate::session::Diag::default().line(&message);
    Kind::Usage.exit_code()
}

/// Runs the command; returns the result object to print with --json. A
/// command given --tx (or `$LITEWRITE_TX`) that joins transactions is sent
/// to the transaction's holder, unless this session is the holder's.
pub fn run(s: &Session, command: Command) -> Result<Option<Json>> {
    if let Some(id) = s.flags.tx.clone() {
        if joins_transaction(&command) && s.held.is_none() {
            return tx::forward(s, &id, &command);
        }
    }
    match command {
        Command::Insert(a) => insert::run_insert(s, a),
        Command::Upsert(a) => insert::run_upsert(s, a),
        Command::Update(a) => update::run(s, a),
        Command::Delete(a) => delete::run(s, a),
        Command::Create(a) => create::run(s, a),
        Command::Drop(a) => drop::run(s, a),
        Command::Query(a) => query::run(s, a),
        Command::Schema(a) => schema::run(s, a),
        Command::History(a) => history::run(s, a),
        Command::Show(a) => show::run(s, a),
        Command::Undo(a) => undo::run(s, a),
        Command::Prune(a) => prune::run(s, a),
        Command::Audit(a) => audit::run(s, a),
        Command::Tx(a) => tx::run(s, a),
        Command::Config(a) => config::run(s, a),
        Command::Completions(a) => {
            // Generated into memory first: clap_complete panics when its
            // writer fails, and a closed stdout must not panic.
            let mut script = Vec::new();
            clap_complete::generate(
                a.shell,
                &mut crate::cli::command(),
                "litewrite",
                &mut script,
            );
            let mut out = s.stdout();
            out.write_all(&script)?;
            out.flush()?;
            Ok(None)
        }
        Command::Man(a) => man::run(s, a),
    }
}

/// The job description every write command starts from.
pub fn job_info(s: &Session, command: &'static str, db: &Path, table: Option<&str>) -> JobInfo {
    JobInfo {
        command,
        database: db.to_path_buf(),
        create_database: false,
        tables: table.map(|t| vec![t.to_string()]).unwrap_or_default(),
        sql: None,
        user_sql: false,
        params: Vec::new(),
        actor: s.actor.clone(),
        message: s.flags.message.clone(),
        command_line: command_line(&s.argv),
        argv: s.argv.clone(),
        dry_run: s.flags.dry_run,
        undo_of: None,
        tx: s.held.map(|h| h.borrow().id().to_string()),
        clock: s.clock.clone(),
        diag: s.diag.clone(),
        show_changes: s
            .flags
            .dry_run
            .then_some(show::changes_json as crate::job::ShowChanges),
    }
}

/// A command line as one shell-quoted string.
pub fn command_line(args: &[String]) -> String {
    args.iter()
        .map(|a| {
            if !a.is_empty()
                && a.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+%".contains(c))
            {
                a.clone()
            } else {
                format!("'{}'", a.replace('\'', "'\\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A command line with the values `log-parameters = false` keeps out of
/// the records replaced by `?`: row values given as `COL=VALUE` /
/// `COL:=JSON` (insert, upsert, update) and the VALUE of `-p NAME VALUE`
/// and `-j NAME JSON`.
/// Options are told from positional arguments the way clap parses them, so
/// an option's own value (`-m "a=b"`, `--default c=1`) is kept as it is.
pub fn redacted(args: &[String]) -> Vec<String> {
    let root = crate::cli::command();
    let mut current = &root;
    let mut out = Vec::with_capacity(args.len());
    let mut it = args.iter();
    out.extend(it.next().cloned());
    let mut positional_only = false;
    while let Some(a) = it.next() {
        if !positional_only && a == "--" {
            positional_only = true;
            out.push(a.clone());
            continue;
        }
        if !positional_only && a.len() > 1 && a.starts_with('-') {
            let (flag, inline) = match a.split_once('=') {
                Some((f, v)) if a.starts_with("--") => (f, Some(v)),
                _ => (a.as_str(), None),
            };
            let matches = |arg: &&clap::Arg| match flag.strip_prefix("--") {
                Some(long) => arg.get_long() == Some(long),
                None => flag.len() == 2 && arg.get_short() == flag[1..].chars().next(),
            };
            let arg = current
                .get_arguments()
                .find(matches)
                .or_else(|| root.get_arguments().find(matches));
            let takes = arg
                .filter(|x| x.get_action().takes_values())
                .map(|x| x.get_num_args().map_or(1, |r| r.min_values()));
            let secret =
                arg.is_some_and(|x| matches!(x.get_id().as_str(), "params" | "json_params"));
            match (inline, takes) {
                (Some(_), _) => out.push(a.clone()),
                (None, Some(n)) => {
                    out.push(a.clone());
                    for k in 0..n {
                        if let Some(v) = it.next() {
                            out.push(if secret && k == 1 {
                                "?".into()
                            } else {
                                v.clone()
                            });
                        }
                    }
                }
                (None, None) => out.push(a.clone()),
            }
            continue;
        }
        if let Some(sub) = current.find_subcommand(a) {
            current = sub;
            out.push(a.clone());
            continue;
        }
        let rows = matches!(current.get_name(), "insert" | "upsert" | "update");
        match a.find('=') {
            Some(eq) if rows => out.push(format!("{}?", &a[..=eq])),
            _ => out.push(a.clone()),
        }
    }
    out
}

/// Runs a job through the pipeline and builds the result object.
pub fn run_job(s: &Session, job: WriteJob) -> Result<(Outcome, Json)> {
    let command = job.info.command;
    let table = job.info.table().map(str::to_string);
    let dry_run = job.info.dry_run;
    let config = s.config()?;
    let database = job.info.database.clone();
    let mut outcome = pipeline::run(s, job)?;
    if dry_run {
        // What a dry run prints is what `show` would: nothing of hidden tables.
        let mut hidden = crate::wrappers::authorizer::Hidden::for_user(config);
        if !hidden.is_empty() && database.exists() {
            hidden = hidden.load(&crate::db::open_read(&database, s.busy_timeout())?)?;
        }
        for c in &mut outcome.changes {
            hidden.redact_change(c);
        }
    }
    let mut obj = json!({
        "ok": true,
        "command": command,
        "table": table,
        "rows": outcome.rows,
        "group": outcome.groups.last(),
    });
    if outcome.groups.len() > 1 {
        obj["groups"] = json!(outcome.groups);
    }
    if dry_run {
        obj["dry_run"] = json!(true);
        obj["changes"] = json!(outcome.changes);
    }
    Ok((outcome, obj))
}

/// Runs a command's write as a job and reports it: the path of every write command.
pub fn run_write(
    s: &Session,
    info: JobInfo,
    write: impl crate::job::Write + 'static,
) -> Result<Option<Json>> {
    let (outcome, obj) = run_job(
        s,
        WriteJob {
            info,
            write: Box::new(write),
        },
    )?;
    report(s, &outcome, obj)
}

/// Prints a write's summary on stderr with -v, and its changes for --dry-run.
pub fn report(s: &Session, outcome: &Outcome, obj: Json) -> Result<Option<Json>> {
    let g = &s.flags;
    if g.dry_run && !g.json {
        show::print_changes(
            &mut s.stdout(),
            &outcome.changes,
            crate::cli::OutputFormat::Table,
            s.env.columns,
        )?;
    }
    if g.verbose > 0 && !g.quiet {
        let table = obj["table"]
            .as_str()
            .map(|t| format!(" on \"{t}\""))
            .unwrap_or_default();
        let group = obj["group"]
            .as_i64()
            .map(|g| format!(", change group {g}"))
            .unwrap_or_default();
        s.diag.line(&format!(
            "{}{table}: {} row(s){group}{}",
            obj["command"].as_str().unwrap_or(""),
            outcome.rows,
            if g.dry_run {
                " (dry run, rolled back)"
            } else {
                ""
            }
        ));
    }
    Ok(Some(obj))
}

/// Where a command's rows come from.
pub enum RowsArg {
    /// A file, or stdin for None.
    Stream(Option<PathBuf>),
    /// Stdin, because no FILE, `-` or COL=VALUE was given and it is not a
    /// terminal: empty, it is a usage error (a forgotten argument in a cron
    /// job must not create an empty database).
    PipedStdin,
    /// One row given as COL=VALUE arguments.
    Inline(Row),
}

/// Sorts a command's positional arguments into a row source: one FILE or
/// `-`, or COL=VALUE / COL:=JSON pairs; none means stdin unless it is a terminal.
pub fn rows_arg(s: &Session, args: &[String], input: &InputArgs) -> Result<RowsArg> {
    let (pairs, files): (Vec<&String>, Vec<&String>) = args
        .iter()
        .partition(|a| a.contains('=') && a.as_str() != "-");
    match (files.as_slice(), pairs.is_empty()) {
        ([], true) => {
            if s.stdin_is_terminal() {
                Err(Error::usage(
                    "no rows given: pass a FILE, - for stdin, pipe rows in, or give COL=VALUE pairs",
                ))
            } else {
                Ok(RowsArg::PipedStdin)
            }
        }
        ([f], true) => Ok(RowsArg::Stream(
            (f.as_str() != "-").then(|| PathBuf::from(f)),
        )),
        ([], false) => {
            let mut row = Row::new();
            for p in pairs {
                row.extend(input::parse_assignment_row(p, input.flatten)?);
            }
            Ok(RowsArg::Inline(row))
        }
        ([_, second, ..], _) => Err(Error::usage(format!(
            "unexpected argument {second:?}: give one FILE (or -), or COL=VALUE pairs"
        ))),
        ([f], false) => Err(Error::usage(format!(
            "give rows from {f:?} or as COL=VALUE pairs, not both"
        ))),
    }
}

/// The reader options the format flags select (CSV when a CSV option is
/// given without --tsv, as sqlite-utils does).
pub fn read_options(s: &Session, f: &FormatArgs) -> Result<ReadOptions> {
    let dialect = f.delimiter.is_some() || f.quotechar.is_some() || f.sniff || f.no_headers;
    let format = if f.nl {
        Format::Nl
    } else if f.tsv {
        Format::Tsv
    } else if f.csv || dialect {
        Format::Csv
    } else {
        Format::Auto
    };
    Ok(ReadOptions {
        format,
        flatten: false,
        csv: input::CsvOptions {
            delimiter: f
                .delimiter
                .as_deref()
                .map(|d| one_byte("--delimiter", d))
                .transpose()?,
            quote: f
                .quotechar
                .as_deref()
                .map(|q| one_byte("--quotechar", q))
                .transpose()?,
            sniff: f.sniff,
            no_headers: f.no_headers,
            empty_null: false,
        },
        encoding: f.encoding.as_deref().map(input::encoding_for).transpose()?,
        bytes_read: None,
        diag: s.diag.clone(),
    })
}

/// The reader options of insert and upsert: the format flags and the rest.
pub fn insert_read_options(s: &Session, input: &InputArgs) -> Result<ReadOptions> {
    let mut opts = read_options(s, &input.format)?;
    opts.flatten = input.flatten;
    opts.csv.empty_null = input.empty_null;
    if input.lines {
        opts.format = Format::Lines;
    } else if input.text {
        opts.format = Format::Text;
    }
    Ok(opts)
}

/// A one-character option value (`--delimiter ';'`); `\t` and `tab` mean a tab.
fn one_byte(flag: &str, value: &str) -> Result<u8> {
    match value {
        "\\t" | "tab" | "\t" => Ok(b'\t'),
        v if v.len() == 1 && v.is_ascii() => Ok(v.as_bytes()[0]),
        v => Err(Error::usage(format!(
            "{flag} takes one ASCII character, not {v:?}"
        ))),
    }
}

/// Opens the reader for a row source, with a progress bar for a stream
/// when stderr is a terminal.
pub fn open_rows(
    s: &Session,
    source: RowsArg,
    input: &InputArgs,
    table: &str,
) -> Result<(Box<dyn RowReader>, Option<crate::progress::Progress>)> {
    let bytes = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let mut opts = insert_read_options(s, input)?;
    opts.bytes_read = Some(std::sync::Arc::clone(&bytes));
    let size = match &source {
        RowsArg::Stream(Some(path)) => std::fs::metadata(s.path(path))
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.len()),
        _ => None,
    };
    let inline = matches!(source, RowsArg::Inline(_));
    let reader: Box<dyn RowReader> = match source {
        RowsArg::Inline(row) => Box::new(InlineRow(Some(row))),
        source => open_stream(s, source, input, &opts, table)?,
    };
    if !reader.cells_are_text() {
        // Flags that only say how to read CSV/TSV cells would be ignored
        // without a word (sqlite-utils refuses --empty-null so too).
        let cell_flags: Vec<&str> = [
            (input.empty_null, "--empty-null"),
            (input.no_detect_types, "--no-detect-types"),
            (input.format.no_headers, "--no-headers"),
        ]
        .into_iter()
        .filter_map(|(given, flag)| given.then_some(flag))
        .collect();
        if !cell_flags.is_empty() {
            return Err(Error::usage(format!(
                "{} only applies to CSV/TSV input, and these rows are not CSV/TSV (JSON, --lines, --text or COL=VALUE)",
                cell_flags.join(" and ")
            ))
            .with_hint("give --csv or --tsv if the input is CSV/TSV"));
        }
    }
    if inline {
        return Ok((reader, None));
    }
    Ok((reader, crate::progress::Progress::new(&s.diag, size, bytes)))
}

/// Opens the reader for a file or stdin.
fn open_stream(
    s: &Session,
    source: RowsArg,
    input: &InputArgs,
    opts: &ReadOptions,
    table: &str,
) -> Result<Box<dyn RowReader>> {
    match source {
        RowsArg::PipedStdin => {
            let stdin = nonblank_stdin(s).ok_or_else(|| {
                let err = Error::usage(
                    "no rows given: no FILE, no COL=VALUE pairs, and nothing on stdin",
                );
                let looks_like_file = s.path(Path::new(table)).is_file()
                    || [".json", ".ndjson", ".jsonl", ".csv", ".tsv", ".txt"]
                        .iter()
                        .any(|ext| table.to_ascii_lowercase().ends_with(ext));
                if looks_like_file {
                    err.with_hint(format!(
                        "\"{table}\" looks like the input file: give the table name before it (litewrite insert DB TABLE {table})"
                    ))
                } else {
                    err.with_hint("pass a FILE, - for stdin, or COL=VALUE pairs")
                }
            })?;
            // `cat rows | litewrite insert app.db users.json`: the table name
            // forgotten, the file taken for it. Said, since a table may
            // legitimately be named so.
            if s.path(Path::new(table)).is_file() {
                s.diag.warn(&format!(
                    "reading rows from stdin into table \"{table}\", which is also the name of a file here; to insert that file, give the table name before it (litewrite insert DB TABLE {table})"
                ));
            }
            let reader = input::from_reader(stdin?, "stdin", opts, None)?;
            let reader = match input.stop_after {
                Some(n) => input::stop_after(reader, n),
                None => reader,
            };
            Ok(input::prefetch(reader))
        }
        RowsArg::Stream(path) => {
            if let Some(p) = &path {
                if !s.path(p).exists() {
                    return Err(Error::usage(format!(
                        "input file {} does not exist",
                        p.display()
                    )));
                }
            }
            let resolved = path.map(|p| s.path(&p));
            let reader = input::open(resolved.as_deref(), opts, || s.stdin())?;
            let reader = match input.stop_after {
                Some(n) => input::stop_after(reader, n),
                None => reader,
            };
            Ok(input::prefetch(reader))
        }
        RowsArg::Inline(row) => Ok(Box::new(InlineRow(Some(row)))),
    }
}

/// Stdin, if anything but whitespace is on it (what was read to see is put
/// back in front); None when it is empty.
fn nonblank_stdin(s: &Session) -> Option<Result<Box<dyn std::io::Read + Send>>> {
    use std::io::Read;
    let mut stdin = s.stdin();
    let mut head = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        match stdin.read(&mut chunk) {
            Ok(0) => return None,
            Ok(n) => {
                head.extend_from_slice(&chunk[..n]);
                if chunk[..n].iter().any(|b| !b.is_ascii_whitespace()) {
                    break;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                return Some(Err(Error::usage(format!(
                    "stdin: can not read the input: {e}"
                ))))
            }
        }
    }
    Some(Ok(Box::new(std::io::Cursor::new(head).chain(stdin))))
}

/// The one row given on the command line.
struct InlineRow(Option<Row>);

impl RowReader for InlineRow {
    fn next_row(&mut self) -> Result<Option<Row>> {
        Ok(self.0.take())
    }
    fn mark(&self) -> input::Mark {
        input::Mark::CommandLine
    }
}

/// Runs a prepared write of rows of `info` and returns how many rows it
/// changed. SQLite counts no changes for a view itself; for one, what its
/// INSTEAD OF triggers changed is the count.
pub fn execute_rows(
    conn: &rusqlite::Connection,
    stmt: &mut Statement<'_>,
    info: &crate::db::TableInfo,
) -> rusqlite::Result<u64> {
    let before = conn.total_changes();
    let n = stmt.raw_execute()? as u64;
    Ok(if info.kind == crate::db::ObjectKind::View {
        conn.total_changes() - before
    } else {
        n
    })
}

/// Names what a FOREIGN KEY failure is about. SQLite's message names nothing,
/// so the failed statement (still prepared, its values still bound) runs
/// again with the check deferred, and `PRAGMA foreign_key_check` then says
/// which row of which table has a key with no parent row. The job's
/// transaction is rolled back after the error, so the re-run leaves nothing.
/// `table` prefers violations in (or referring to) that table. Any other
/// error, or a re-run that fails, is returned as it was.
pub fn explain_foreign_key(
    conn: &rusqlite::Connection,
    err: rusqlite::Error,
    stmt: &mut Statement<'_>,
    table: Option<&str>,
) -> Error {
    let plain = Error::from(err);
    // A RESTRICT action fails the way a trigger's RAISE does; on a table
    // with no triggers of its own, only the action can have.
    if plain.sqlite_extended_code() == Some(rusqlite::ffi::SQLITE_CONSTRAINT_TRIGGER) {
        let detail = table
            .filter(|t| !crate::db::has_triggers(conn, t))
            .and_then(|t| restrict_references(conn, t));
        return match detail {
            Some(detail) => Error {
                message: format!("{}: {detail}", plain.message),
                ..plain
            },
            None => plain,
        };
    }
    if plain.sqlite_extended_code() != Some(rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY) {
        return plain;
    }
    let found = (|| -> rusqlite::Result<Option<String>> {
        conn.execute_batch("PRAGMA defer_foreign_keys = ON")?;
        let rerun = (|| {
            let mut rows = stmt.raw_query();
            while rows.next()?.is_some() {}
            Ok::<_, rusqlite::Error>(())
        })();
        // The write's authorizer policy is in force here: what it hides
        // the check can not read either.
        let result = rerun.and_then(|()| crate::db::foreign_key_violation(conn, table, &|_| true));
        conn.execute_batch("PRAGMA defer_foreign_keys = OFF")?;
        result
    })();
    match found {
        Ok(Some(detail)) => Error {
            message: format!("{}: {detail}", plain.message),
            ..plain
        },
        _ => plain,
    }
}

/// The foreign keys that refer to `table` with ON DELETE or ON UPDATE
/// RESTRICT, named: a row they refer to can not be deleted (or its key
/// changed) while it is referred to. None when there are none, or the
/// write's policy hides them.
fn restrict_references(conn: &rusqlite::Connection, table: &str) -> Option<String> {
    let mut stmt = conn
        .prepare(
            "SELECT m.name, f.\"from\", f.on_delete, f.on_update FROM main.sqlite_master m, pragma_foreign_key_list(m.name, 'main') f
             WHERE m.type = 'table' AND lower(f.\"table\") = lower(?1) AND (f.on_delete = 'RESTRICT' OR f.on_update = 'RESTRICT')
             ORDER BY m.name, f.id, f.seq",
        )
        .ok()?;
    let found: Vec<String> = stmt
        .query_map([table], |r| {
            let (child, column, on_delete, on_update): (String, String, String, String) =
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
            let actions: Vec<&str> = [("DELETE", &on_delete), ("UPDATE", &on_update)]
                .into_iter()
                .filter(|(_, a)| a.as_str() == "RESTRICT")
                .map(|(what, _)| what)
                .collect();
            Ok(format!(
                "column \"{column}\" of table \"{child}\" (ON {} RESTRICT)",
                actions.join(" and ON ")
            ))
        })
        .ok()?
        .collect::<rusqlite::Result<_>>()
        .ok()?;
    (!found.is_empty()).then(|| {
        format!(
            "a row of \"{table}\" that is still referred to by {} can not be deleted or have its key changed",
            found.join(", ")
        )
    })
}

/// "table has no column": with the nearest column named when one is close
/// (a typo, which --alter would turn into a junk column), else the hint to
/// add it with --alter.
pub fn no_column<'a>(
    table: &str,
    column: &str,
    columns: impl IntoIterator<Item = &'a str>,
    pos: &str,
) -> Error {
    let err = Error::usage(format!("table \"{table}\" has no column \"{column}\"")).at(pos);
    match nearest(column, columns) {
        Some(near) => err.with_hint(format!(
            "did you mean \"{near}\"? (--alter would add \"{column}\" as a new column)"
        )),
        None => err.with_hint("use --alter to add it"),
    }
}

/// The candidate closest to a misspelt name, when one is close enough to be
/// what was meant (the measure and threshold clap uses for "did you mean").
pub fn nearest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = name.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro(&lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Pairs the flat `-p NAME VALUE` list: text values.
pub fn param_pairs(flat: &[String]) -> Params {
    flat.chunks(2)
        .filter(|c| c.len() == 2)
        .map(|c| (param_name(&c[0]), Value::Text(c[1].clone())))
        .collect()
}

/// Pairs the flat `-j NAME JSON` list: values with the type their JSON has,
/// converted as input values are (a number is INTEGER or REAL, null NULL,
/// true 1, a string TEXT, an array or object JSON text, a `$base64` object a
/// BLOB), as Datasette's JSON API binds "params".
pub fn json_param_pairs(flat: &[String]) -> Result<Params> {
    flat.chunks(2)
        .filter(|c| c.len() == 2)
        .map(|c| {
            let name = param_name(&c[0]);
            let (_, value) =
                input::parse_assignment(&format!("{name}:={}", c[1]), false).map_err(|e| {
                    Error {
                        message: format!("--param-json {name}: {}", e.message),
                        ..e
                    }
                })?;
            Ok((name, value))
        })
        .collect()
}

fn param_name(name: &str) -> String {
    name.trim_start_matches([':', '$', '@']).to_string()
}

/// Binds named parameters (`:name`, `$name`, `@name`) from -p / -j values; a
/// parameter without a value is a usage error.
pub fn bind_named(stmt: &mut Statement<'_>, params: &[(String, Value)]) -> Result<()> {
    for i in 1..=stmt.parameter_count() {
        let Some(name) = stmt.parameter_name(i) else {
            return Err(Error::usage(
                "positional parameters (?) are not supported; name them (:name) and give -p name VALUE",
            ));
        };
        let bare = &name[1..];
        if bare.starts_with("__lw") {
            continue;
        }
        let value = params
            .iter()
            .rev()
            .find(|(n, _)| n == bare)
            .ok_or_else(|| {
                Error::usage(format!(
                    "no value for parameter {name}; give it with -p {bare} VALUE (text) or -j {bare} JSON (typed)"
                ))
            })?;
        stmt.raw_bind_parameter(i, &value.1)?;
    }
    Ok(())
}

/// Binds `COL=VALUE` assignments as `:__lwN` parameters.
pub fn bind_sets(stmt: &mut Statement<'_>, values: &[&Value]) -> Result<()> {
    for (i, v) in values.iter().enumerate() {
        if let Some(idx) = stmt.parameter_index(&format!(":__lw{i}"))? {
            stmt.raw_bind_parameter(idx, *v)?;
        }
    }
    Ok(())
}

/// The key of a row as JSON, for audit entries.
pub fn key_json(values: &[Value]) -> Json {
    let vals: Vec<Json> = values
        .iter()
        .map(|v| input::value_to_json(&rusqlite::types::ValueRef::from(v)))
        .collect();
    if vals.len() == 1 {
        vals.into_iter().next().unwrap_or(Json::Null)
    } else {
        Json::Array(vals)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split(' ').map(String::from).collect()
    }

    #[test]
    fn command_lines_split_back_into_their_arguments() {
        let given: Vec<String> = [
            "litewrite",
            "query",
            "t.db",
            "update free set v = 'it''s' where id in (select id from secrets)",
            "",
            "a b",
            "'",
            "x\\y",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(crate::job::command_line_args(&command_line(&given)), given);
    }

    #[test]
    fn redaction_hides_values_and_keeps_the_rest() {
        assert_eq!(
            redacted(&args(
                "litewrite -m a=b insert db t name=alice age:=30 --default c=1 --pk id"
            )),
            args("litewrite -m a=b insert db t name=? age:=? --default c=1 --pk id")
        );
        assert_eq!(
            redacted(&args("litewrite update db t 5 name=x --json")),
            args("litewrite update db t 5 name=? --json")
        );
        assert_eq!(
            redacted(&args(
                "litewrite query db select:x=1 -p name secret --param other s2"
            )),
            args("litewrite query db select:x=1 -p name ? --param other ?")
        );
        assert_eq!(
            redacted(&args("litewrite tx exec ID sql -p k v")),
            args("litewrite tx exec ID sql -p k ?")
        );
    }
}
