//! One file per subcommand, each with its `run`; this module only dispatches
//! and holds what several commands share (the job description, row sources,
//! named parameters, the result object).

pub mod audit;
pub mod create;
pub mod delete;
pub mod drop;
pub mod history;
pub mod insert;
pub mod prune;
pub mod query;
pub mod schema;
pub mod show;
pub mod tx;
pub mod undo;
pub mod update;

/// Commands that run inside a transaction when given --tx (or LITEWRITE_TX).
fn joins_transaction(command: &Command) -> bool {
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
    )
}

use std::path::{Path, PathBuf};

use rusqlite::types::Value;
use rusqlite::Statement;
use serde_json::{json, Value as Json};

use crate::cli::{Cli, Command, GlobalArgs, InputArgs};
use crate::config::{self, Config};
use crate::error::{Error, Result};
use crate::input::{self, Format, ReadOptions, Row, RowReader};
use crate::job::{JobInfo, Outcome, WriteJob};
use crate::pipeline;

/// Runs a command line to its end: prints the result (or, with --json, the
/// error object) on stdout and returns the exit code and the error to show
/// on stderr. Used by `main` and by a transaction holder alike.
pub fn execute(cli: Cli) -> (u8, Option<Error>) {
    let json = cli.global.json;
    let result = run(cli).and_then(|obj| match obj {
        Some(obj) if json => crate::output::print_json(&obj),
        _ => Ok(()),
    });
    match result {
        Ok(()) => (0, None),
        // A reader that stopped reading (`| head`) is not a failure.
        Err(e) if e.broken_pipe => (0, None),
        Err(e) => {
            if json && !e.printed_json {
                let mut obj = json!({"ok": false, "error": e.to_string(), "kind": e.kind.name()});
                for (k, v) in e.details.iter().flat_map(|d| d.iter()) {
                    obj[k] = v.clone();
                }
                let _ = crate::output::print_json(&obj);
            }
            (e.kind.exit_code(), Some(e))
        }
    }
}

/// Runs the parsed command line; returns the result object to print with --json.
pub fn run(cli: Cli) -> Result<Option<Json>> {
    if let Some(id) = cli.global.tx.clone() {
        if joins_transaction(&cli.command) && !crate::tx::holder::active() {
            return tx::forward(&id, &cli);
        }
    }
    let g = &cli.global;
    match cli.command {
        Command::Insert(a) => insert::run_insert(g, a),
        Command::Upsert(a) => insert::run_upsert(g, a),
        Command::Update(a) => update::run(g, a),
        Command::Delete(a) => delete::run(g, a),
        Command::Create(a) => create::run(g, a),
        Command::Drop(a) => drop::run(g, a),
        Command::Query(a) => query::run(g, a),
        Command::Schema(a) => schema::run(g, a),
        Command::History(a) => history::run(g, a),
        Command::Show(a) => show::run(g, a),
        Command::Undo(a) => undo::run(g, a),
        Command::Prune(a) => prune::run(g, a),
        Command::Audit(a) => audit::run(g, a),
        Command::Tx(a) => tx::run(g, a),
        Command::Completions(a) => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut out = crate::stdio::stdout();
            clap_complete::generate(a.shell, &mut cmd, "litewrite", &mut out);
            Ok(None)
        }
        Command::Man(_) => {
            let cmd = <Cli as clap::CommandFactory>::command();
            let mut out = crate::stdio::stdout();
            clap_mangen::Man::new(cmd).render(&mut out)?;
            Ok(None)
        }
    }
}

/// The writer's name: --actor, $LITEWRITE_ACTOR, else the OS user name.
pub fn actor(g: &GlobalArgs) -> String {
    if let Some(a) = &g.actor {
        return a.clone();
    }
    if let Some(a) = std::env::var("LITEWRITE_ACTOR")
        .ok()
        .filter(|a| !a.is_empty())
    {
        return a;
    }
    os_user_name()
}

/// The name of the user running the process.
pub fn os_user_name() -> String {
    // SAFETY: getpwuid_r writes into the buffers we own and size here.
    unsafe {
        let uid = libc::getuid();
        let mut pwd: libc::passwd = std::mem::zeroed();
        let mut buf = vec![0 as libc::c_char; 4096];
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        if libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr(), buf.len(), &mut result) == 0
            && !result.is_null()
            && !pwd.pw_name.is_null()
        {
            if let Ok(name) = std::ffi::CStr::from_ptr(pwd.pw_name).to_str() {
                return name.to_string();
            }
        }
        std::env::var("USER").unwrap_or_else(|_| format!("uid:{uid}"))
    }
}

/// The job description every write command starts from.
pub fn job_info(g: &GlobalArgs, command: &'static str, db: &Path, table: Option<&str>) -> JobInfo {
    let args: Vec<String> = std::env::args().collect();
    JobInfo {
        command,
        database: db.to_path_buf(),
        create_database: false,
        tables: table.map(|t| vec![t.to_string()]).unwrap_or_default(),
        sql: None,
        params: Vec::new(),
        actor: actor(g),
        message: g.message.clone(),
        command_line: command_line(&args),
        command_line_redacted: command_line(&redacted(&args)),
        dry_run: g.dry_run,
        undo_of: None,
        tx: crate::tx::holder::active_id(),
    }
}

/// A command line as one shell-quoted string.
fn command_line(args: &[String]) -> String {
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
/// `COL:=JSON` (insert, upsert, update) and the VALUE of `-p NAME VALUE`.
/// Options are told from positional arguments the way clap parses them, so
/// an option's own value (`-m "a=b"`, `--default c=1`) is kept as it is.
pub fn redacted(args: &[String]) -> Vec<String> {
    let root = <Cli as clap::CommandFactory>::command();
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
            let secret = arg.is_some_and(|x| x.get_id() == "params");
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

/// Loads plugins.toml as the global options say.
pub fn config(g: &GlobalArgs) -> Result<Config> {
    config::discover(g.config.as_deref())
}

/// Runs a job through the configured pipeline and builds the result object.
pub fn run_job(g: &GlobalArgs, job: WriteJob) -> Result<(Outcome, Json)> {
    run_job_with(&config(g)?, job)
}

/// [`run_job`] with a configuration already loaded.
pub fn run_job_with(config: &Config, job: WriteJob) -> Result<(Outcome, Json)> {
    let command = job.info.command;
    let table = job.info.table().map(str::to_string);
    let dry_run = job.info.dry_run;
    let outcome = pipeline::run(job, config)?;
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
    g: &GlobalArgs,
    info: JobInfo,
    write: impl crate::job::Write + 'static,
) -> Result<Option<Json>> {
    let (outcome, obj) = run_job(
        g,
        WriteJob {
            info,
            write: Box::new(write),
        },
    )?;
    report(g, &outcome, obj)
}

/// Prints a write's summary on stderr with -v, and its changes for --dry-run.
pub fn report(g: &GlobalArgs, outcome: &Outcome, obj: Json) -> Result<Option<Json>> {
    if g.dry_run && !g.json {
        show::print_changes(&outcome.changes, crate::cli::OutputFormat::Table)?;
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
        eprintln!(
            "litewrite: {}{table}: {} row(s){group}{}",
            obj["command"].as_str().unwrap_or(""),
            outcome.rows,
            if g.dry_run {
                " (dry run, rolled back)"
            } else {
                ""
            }
        );
    }
    Ok(Some(obj))
}

/// Where a command's rows come from.
pub enum RowsArg {
    /// A file, or stdin for None.
    Stream(Option<PathBuf>),
    /// One row given as COL=VALUE arguments.
    Inline(Row),
}

/// Sorts a command's positional arguments into a row source: one FILE or
/// `-`, or COL=VALUE / COL:=JSON pairs; none means stdin unless it is a terminal.
pub fn rows_arg(args: &[String], input: &InputArgs) -> Result<RowsArg> {
    let (pairs, files): (Vec<&String>, Vec<&String>) = args
        .iter()
        .partition(|a| a.contains('=') && a.as_str() != "-");
    match (files.as_slice(), pairs.is_empty()) {
        ([], true) => {
            if crate::stdio::stdin_is_terminal() {
                Err(Error::usage(
                    "no rows given: pass a FILE, - for stdin, pipe rows in, or give COL=VALUE pairs",
                ))
            } else {
                Ok(RowsArg::Stream(None))
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

/// The reader options the input flags select.
pub fn read_options(input: &InputArgs) -> ReadOptions {
    let format = if input.nl {
        Format::Nl
    } else if input.csv {
        Format::Csv
    } else if input.tsv {
        Format::Tsv
    } else {
        Format::Auto
    };
    ReadOptions {
        format,
        flatten: input.flatten,
    }
}

/// Opens the reader for a row source.
pub fn open_rows(source: RowsArg, input: &InputArgs) -> Result<Box<dyn RowReader>> {
    match source {
        RowsArg::Stream(path) => {
            if let Some(p) = &path {
                if !p.exists() {
                    return Err(Error::usage(format!(
                        "input file {} does not exist",
                        p.display()
                    )));
                }
            }
            Ok(input::prefetch(input::open(
                path.as_deref(),
                &read_options(input),
            )?))
        }
        RowsArg::Inline(row) => Ok(Box::new(InlineRow(Some(row)))),
    }
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

/// Pairs the flat `-p NAME VALUE` list.
pub fn param_pairs(flat: &[String]) -> Vec<(String, String)> {
    flat.chunks(2)
        .filter(|c| c.len() == 2)
        .map(|c| {
            (
                c[0].trim_start_matches([':', '$', '@']).to_string(),
                c[1].clone(),
            )
        })
        .collect()
}

/// Binds named parameters (`:name`, `$name`, `@name`) from -p values; a
/// parameter without a value is a usage error.
pub fn bind_named(stmt: &mut Statement<'_>, params: &[(String, String)]) -> Result<()> {
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
                    "no value for parameter {name}; give it with -p {bare} VALUE"
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

/// -p parameters as a JSON object, for audit entries.
pub fn params_json(params: &[(String, String)]) -> Json {
    Json::Object(
        params
            .iter()
            .map(|(k, v)| (k.clone(), Json::from(v.as_str())))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split(' ').map(String::from).collect()
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
