//! The write job: plain data a command builds and the pipeline runs.
//!
//! A [`WriteJob`] is the description of the job ([`JobInfo`]: command,
//! database, tables, SQL, actor, message) plus the write itself, a [`Write`]
//! that the pipeline calls inside a transaction. Wrappers see the job before
//! the write and its [`Event`]s and outcome after it.

use std::path::PathBuf;

use rusqlite::{Connection, Statement};
use serde_json::Value as Json;

use crate::access::Rule;
use crate::capture::Capture;
use crate::error::Result;
use crate::output::ResultSet;
use crate::session::{Clock, Diag};

/// What a job is, for wrappers and the result object.
#[derive(Debug, Clone, Default)]
pub struct JobInfo {
    /// The command name: insert, upsert, update, delete, create, drop, query.
    pub command: &'static str,
    pub database: PathBuf,
    /// Create the database file when it is missing.
    pub create_database: bool,
    /// The tables the job names (its first is "the" table of the result).
    pub tables: Vec<String>,
    /// Raw SQL of a query job, or the --where condition.
    pub sql: Option<String>,
    /// The write runs statements the user wrote (`query`), which may set
    /// connection settings (`PRAGMA defer_foreign_keys`): the pipeline reads
    /// the settings before and sets them back after (`crate::settings`).
    /// Every other job runs only the tool's statements (a `--where` is an
    /// expression, and no trigger or table-valued function can set a
    /// pragma), and on its own connection, which it closes.
    pub user_sql: bool,
    /// Named parameters given with -p.
    pub params: Params,
    pub actor: String,
    pub message: Option<String>,
    /// The whole command line, for the change group.
    pub command_line: String,
    /// The command line as given (program name first), from which
    /// [`JobInfo::command_line_redacted`] is made when it is needed.
    pub argv: Vec<String>,
    /// Run, print the changes, roll back.
    pub dry_run: bool,
    /// The change group an `undo` job reverts.
    pub undo_of: Option<i64>,
    /// The id of the held transaction the job runs in (`--tx`).
    pub tx: Option<String>,
    /// What stamps the job's records.
    pub clock: Clock,
    /// Where warnings go (the user's stderr, wherever the job runs).
    pub diag: Diag,
    /// For `--dry-run`: describes a change group's changes for the output
    /// (the wrapper that records them calls it before the rollback).
    pub show_changes: Option<ShowChanges>,
}

/// Describes the changes of a change group as JSON objects.
pub type ShowChanges = fn(&Connection, i64) -> Result<Vec<Json>>;

/// Named parameters and the values they bind.
pub type Params = Vec<(String, rusqlite::types::Value)>;

/// -p / -j parameters as a JSON object, for audit entries.
pub fn params_json(params: &[(String, rusqlite::types::Value)]) -> Json {
    Json::Object(
        params
            .iter()
            .map(|(k, v)| (k.clone(), crate::input::value_to_json(&v.into())))
            .collect(),
    )
}

/// The command name of a `prune` job.
pub const PRUNE: &str = "prune";

/// The arguments of a command line as `cmd::command_line` quoted them: a
/// reader that looks for names in them must see the SQL of an argument,
/// not the shell quoting around it.
pub fn command_line_args(line: &str) -> Vec<String> {
    let mut args = Vec::new();
    let mut arg: Option<String> = None;
    let mut quoted = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '\'') => quoted = false,
            (true, c) => arg.get_or_insert_with(String::new).push(c),
            (false, '\'') => {
                quoted = true;
                arg.get_or_insert_with(String::new);
            }
            (false, '\\') => {
                let escaped = chars.next().unwrap_or('\\');
                arg.get_or_insert_with(String::new).push(escaped);
            }
            (false, ' ') => args.extend(arg.take()),
            (false, c) => arg.get_or_insert_with(String::new).push(c),
        }
    }
    args.extend(arg);
    args
}

impl JobInfo {
    /// True for a job that deletes every user's change groups and audit
    /// entries (`prune`), with the tool's own statements.
    pub fn deletes_records(&self) -> bool {
        self.command == PRUNE
    }

    /// The job's main table, if it has one.
    pub fn table(&self) -> Option<&str> {
        self.tables.first().map(String::as_str)
    }

    /// The command line with row values and `-p` values replaced by `?`,
    /// recorded instead of [`JobInfo::command_line`] when plugins.toml says
    /// `log-parameters = false`. Made on demand: telling options from
    /// values takes clap's whole command definition, which would cost every
    /// job as much as parsing its command line did.
    pub fn command_line_redacted(&self) -> String {
        crate::cmd::command_line(&crate::cmd::redacted(&self.argv))
    }
}

/// A statement-level event, named like Datasette's events.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// insert-rows, upsert-rows, update-row, delete-row, create-table,
    /// drop-table, alter-table, execute-sql.
    pub name: &'static str,
    pub table: Option<String>,
    pub rows: u64,
    /// Keys of the rows, where known (None when too many or not known).
    pub keys: Option<Vec<Json>>,
    pub sql: Option<String>,
    pub params: Option<Json>,
}

impl Event {
    pub fn new(name: &'static str, table: Option<&str>) -> Event {
        Event {
            name,
            table: table.map(str::to_string),
            rows: 0,
            keys: None,
            sql: None,
            params: None,
        }
    }
}

/// Whether a write has more to do after this step (`--batch-size`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Done,
    More,
}

/// The state of one step of a job, shared by the write and its wrappers.
pub struct WriteContext<'a> {
    /// The connection, inside the job's transaction.
    pub conn: &'a Connection,
    /// The executor every statement of the write goes through (it records
    /// the row changes when change-group turns capture on).
    pub capture: &'a Capture,
    pub job: &'a JobInfo,
    /// 0 for the first step; batches count up.
    pub step: u32,
    /// What the write did, statement by statement.
    pub events: Vec<Event>,
    /// Rows the write changed in this step.
    pub rows: u64,
    /// The change group recording this step, when a wrapper made one.
    pub group: Option<i64>,
    /// Rows returned by SQL that writes (RETURNING), for `query`.
    pub result: Option<ResultSet>,
    /// Authorizer rules wrappers add in `before`; in force during the write.
    pub rules: Vec<Box<dyn Rule>>,
    /// Human-readable row changes a wrapper collected, printed by --dry-run.
    pub changes: Vec<Json>,
    /// The tool's tables are known to be up to date in this step.
    store_ready: bool,
}

impl<'a> WriteContext<'a> {
    pub fn new(conn: &'a Connection, capture: &'a Capture, job: &'a JobInfo, step: u32) -> Self {
        WriteContext {
            conn,
            capture,
            job,
            step,
            events: Vec::new(),
            rows: 0,
            group: None,
            result: None,
            rules: Vec::new(),
            changes: Vec::new(),
            store_ready: false,
        }
    }

    /// Brings the tool's tables up to date ([`crate::store::ensure`]), once
    /// per step whichever wrapper asks first: they are the same inside one
    /// transaction.
    pub fn ensure_store(&mut self) -> Result<()> {
        if !self.store_ready {
            crate::store::ensure(self.conn)?;
            self.store_ready = true;
        }
        Ok(())
    }

    /// Records an event.
    pub fn event(&mut self, event: Event) {
        self.events.push(event);
    }

    /// Runs one statement of the write that returns no rows.
    pub fn execute(&self, sql: &str, params: impl rusqlite::Params) -> Result<usize> {
        self.capture.execute(self.conn, sql, params)
    }

    /// [`WriteContext::execute`] through the statement cache, for a
    /// statement run many times over.
    pub fn execute_cached(&self, sql: &str, params: impl rusqlite::Params) -> Result<usize> {
        self.capture.execute_cached(self.conn, sql, params)
    }

    /// Prepares a statement of the write; after stepping it, a statement
    /// that may change the schema must be ended with [`WriteContext::done`].
    pub fn prepare(&self, sql: &str) -> Result<Statement<'a>> {
        self.capture.prepare(self.conn, sql)
    }

    /// [`WriteContext::prepare`] through the statement cache.
    pub fn prepare_cached(&self, sql: &str) -> Result<rusqlite::CachedStatement<'a>> {
        self.capture.prepare_cached(self.conn, sql)
    }

    /// Ends a statement prepared with [`WriteContext::prepare`].
    pub fn done(&self) -> Result<()> {
        self.capture.done(self.conn)
    }
}

/// The write itself: called by the pipeline inside a transaction.
pub trait Write {
    /// Does the job's work (or one batch of it).
    fn step(&mut self, cx: &mut WriteContext<'_>) -> Result<Step>;
}

/// A job: what it is and the write that does it.
pub struct WriteJob {
    pub info: JobInfo,
    pub write: Box<dyn Write>,
}

/// What a finished job did, for the result object.
#[derive(Debug, Default)]
pub struct Outcome {
    pub rows: u64,
    /// Change groups the job made, one per committed step.
    pub groups: Vec<i64>,
    pub result: Option<ResultSet>,
    /// Row changes collected for --dry-run.
    pub changes: Vec<Json>,
}

impl Outcome {
    /// Adds what one step did (its group only if it was kept).
    pub fn add_step(
        &mut self,
        rows: u64,
        group: Option<i64>,
        changes: Vec<Json>,
        result: Option<ResultSet>,
    ) {
        self.rows += rows;
        // The steps of a job in a held transaction share its one group.
        if let Some(g) = group.filter(|g| self.groups.last() != Some(g)) {
            self.groups.push(g);
        }
        self.changes.extend(changes);
        if result.is_some() {
            self.result = result;
        }
    }
}
