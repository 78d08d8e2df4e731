//! Runs a write job: connection, transaction scope, wrapper chain, commit.
//!
//! A job runs in steps (one, unless `--batch-size` splits it), and the one
//! step loop here ([`run_steps`]) runs each in a [`Scope`]:
//! - on its own ([`Scope::Own`]): `BEGIN IMMEDIATE` … `COMMIT`. The write
//!   lock is taken up front, so a concurrent writer waits (busy timeout)
//!   instead of failing on a lock upgrade;
//! - inside a held transaction ([`Scope::Held`], `litewrite tx`):
//!   `SAVEPOINT` … `RELEASE`, under the transaction's table lists.
//!
//! Inside the scope the wrappers nest around the write (see
//! [`crate::wrappers`]); the authorizer policy — the core rules plus those
//! the wrappers add — is in force only while the write itself runs, and any
//! connection setting the write's SQL changed is set back right after it
//! ([`crate::settings`]). Any error rolls the step back; `--dry-run` rolls
//! back a successful one too.
//!
//! Some failures make SQLite end the whole transaction itself:
//! `RAISE(ROLLBACK)` in a trigger, `INSERT OR ROLLBACK`, an `ON CONFLICT
//! ROLLBACK` constraint, a full disk, an I/O error. [`transaction_ended`] is
//! the one place that asks SQLite whether that happened. On its own, the
//! step is then simply over; in a held transaction the whole transaction is
//! over: the step's error says so, and the scope records why
//! ([`HeldScope::ended`]) for the holder, which never runs anything on that
//! connection again.

use std::time::Duration;

use rusqlite::Connection;

use crate::access::{self, Authorizer, Policy, Rule};
use crate::capture::Capture;
use crate::config::Config;
use crate::db;
use crate::error::{Error, Result};
use crate::job::{JobInfo, Outcome, Step, Write, WriteContext, WriteJob};
use crate::session::Session;
use crate::settings::Settings;
use crate::wrappers::authorizer::Hidden;
use crate::wrappers::{self, Settled, Wrapper};

/// A write connection with its hooks and its wrapper chain.
pub struct Writer {
    /// Declared first: it is dropped before the connection it hooks.
    capture: Capture,
    pub conn: Connection,
    pub authorizer: Authorizer,
    /// Wrappers, outermost first.
    pub chain: Vec<Box<dyn Wrapper>>,
    /// The connection's settings as opened, restored after user SQL; None
    /// on a connection that runs no user SQL (see [`JobInfo::user_sql`]).
    settings: Option<Settings>,
    busy_timeout: Duration,
    /// What the configured authorizers hide from the OS user: tables whose
    /// values an error message must not quote.
    pub hidden: Hidden,
}

impl Writer {
    /// Opens the job's database for writing (for a dry run, without
    /// changing the file) with the configured chain.
    pub fn open(info: &JobInfo, config: &Config, busy_timeout: Duration) -> Result<Writer> {
        let conn = if info.dry_run {
            db::open_dry_run(&info.database, info.create_database, busy_timeout)?
        } else {
            db::open_write(
                &info.database,
                info.create_database,
                config.file,
                busy_timeout,
            )?
        };
        Ok(
            Writer::build(conn, wrappers::build(config)?, busy_timeout, info.user_sql)?
                .with_hidden(Hidden::for_user(config)),
        )
    }

    /// A writer on an open connection that serves many jobs (a held
    /// transaction's): its settings are read now and set back after every
    /// job's user SQL.
    pub fn new(
        conn: Connection,
        chain: Vec<Box<dyn Wrapper>>,
        busy_timeout: Duration,
    ) -> Result<Writer> {
        Writer::build(conn, chain, busy_timeout, true)
    }

    /// A writer; `user_sql`: the connection will run SQL a user wrote, so
    /// its settings are read to be set back after it.
    fn build(
        mut conn: Connection,
        chain: Vec<Box<dyn Wrapper>>,
        busy_timeout: Duration,
        user_sql: bool,
    ) -> Result<Writer> {
        let authorizer = Authorizer::install(&mut conn)?;
        let capture = Capture::install(&conn, &authorizer);
        let settings = if user_sql {
            Some(Settings::capture(&conn)?)
        } else {
            None
        };
        Ok(Writer {
            capture,
            conn,
            authorizer,
            chain,
            settings,
            busy_timeout,
            hidden: Hidden::default(),
        })
    }

    /// The writer with what the configured authorizers hide from this user.
    pub fn with_hidden(self, hidden: Hidden) -> Writer {
        Writer { hidden, ..self }
    }

    /// Runs read-only user SQL under the policy; a statement the rules
    /// refused did not prepare, and that refusal is the answer. Settings the
    /// SQL changed are set back after it.
    pub fn read<T>(
        &self,
        rules: Vec<Box<dyn Rule>>,
        f: impl FnOnce(&Connection) -> Result<T>,
    ) -> Result<T> {
        self.authorizer
            .set(&self.conn, Some(policy(self.settings.as_ref(), rules)));
        let result = f(&self.conn).map_err(|e| self.authorizer.explain(e));
        let denied = self.authorizer.denial();
        self.authorizer.clear(&self.conn);
        let restored = restore(self.settings.as_ref(), &self.conn, &self.hidden);
        match (result, denied) {
            (Ok(_), Some(d)) => Err(d),
            (Ok(v), None) => restored.map(|()| v),
            (Err(e), _) => Err(e),
        }
    }
}

/// The policy a job's statements run under: the core rules, then `rules`.
/// With `settings` (user SQL), first a rule that notes a setting written.
fn policy(settings: Option<&Settings>, rules: Vec<Box<dyn Rule>>) -> Policy {
    let mut policy = access::core_policy();
    // First: it only watches, and must see every pragma a rule refuses too.
    if let Some(settings) = settings {
        policy.rules.insert(0, settings.watch());
    }
    policy.rules.extend(rules);
    policy
}

/// Sets back the settings user SQL changed (nothing to do without user SQL).
fn restore(settings: Option<&Settings>, conn: &Connection, hidden: &Hidden) -> Result<()> {
    settings.map_or(Ok(()), |s| s.restore(conn, &hidden.shown(conn)))
}

/// Makes the authorizer rules of a held transaction for a step.
pub type RulesFor<'a> = &'a dyn Fn(&Connection) -> Result<Vec<Box<dyn Rule>>>;

/// Where a job's steps run.
pub enum Scope<'a> {
    /// Each step in its own `BEGIN IMMEDIATE` … `COMMIT`.
    Own,
    /// Each step in a savepoint of a held transaction.
    Held(HeldScope<'a>),
}

/// A held transaction, as the step loop sees it.
pub struct HeldScope<'a> {
    /// The transaction's id, for messages.
    pub id: &'a str,
    /// The authorizer rules of the transaction (its table lists), made
    /// afresh for each step (a step may create tables).
    pub rules: RulesFor<'a>,
    /// Set when SQLite ended the transaction during a step: the cause, as
    /// every later command on the transaction names it.
    pub ended: Option<String>,
}

/// The savepoint each step of a joined job runs in.
const STEP_SAVEPOINT: &str = "\"_litewrite_job\"";

/// True when SQLite itself has ended the transaction the connection was in
/// (it is back in autocommit mode). The one place that asks.
pub fn transaction_ended(conn: &Connection) -> bool {
    conn.is_autocommit()
}

impl Scope<'_> {
    fn begin(&self, w: &Writer) -> Result<()> {
        match self {
            Scope::Own => {
                db::begin(&w.conn, "BEGIN IMMEDIATE", || {
                    format!(
                        "database is locked by another writer; gave up after {} ms",
                        w.busy_timeout.as_millis()
                    )
                })?;
                w.authorizer.begun(&w.conn)
            }
            Scope::Held(_) => Ok(w
                .conn
                .execute_batch(&format!("SAVEPOINT {STEP_SAVEPOINT}"))?),
        }
    }

    fn rules(&self, conn: &Connection) -> Result<Vec<Box<dyn Rule>>> {
        match self {
            Scope::Own => Ok(Vec::new()),
            Scope::Held(h) => (h.rules)(conn),
        }
    }

    /// Ends a step: keeps it (COMMIT, or RELEASE of its savepoint) or
    /// undoes it. Returns whether it was kept; an error when keeping it failed.
    fn end(&mut self, w: &Writer, keep: bool, table: Option<&str>) -> Result<bool> {
        let conn = &w.conn;
        match self {
            Scope::Own => {
                if keep {
                    if let Err(e) = conn.execute_batch("COMMIT") {
                        let err =
                            deferred_foreign_key(conn, e.into(), table, &w.hidden.shown(conn));
                        // Ignore the error of a rollback SQLite already did itself.
                        let _ = db::rollback(conn, "ROLLBACK");
                        return Err(err);
                    }
                    return Ok(true);
                }
                let _ = db::rollback(conn, "ROLLBACK");
                Ok(false)
            }
            Scope::Held(_) => {
                if !keep {
                    db::rollback(conn, &format!("ROLLBACK TO {STEP_SAVEPOINT}"))?;
                }
                conn.execute_batch(&format!("RELEASE {STEP_SAVEPOINT}"))?;
                Ok(keep)
            }
        }
    }
}

/// Names what a deferred FOREIGN KEY constraint that failed at COMMIT is
/// about (SQLite's message names nothing): COMMIT failed, so the
/// transaction is still open and `PRAGMA foreign_key_check` can say which
/// row of which table has a key with no parent row (among the tables
/// `shown`: see [`db::foreign_key_violation`]). Other errors pass.
pub fn deferred_foreign_key(
    conn: &Connection,
    err: Error,
    table: Option<&str>,
    shown: &dyn Fn(&str) -> bool,
) -> Error {
    if err.sqlite_extended_code() != Some(rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY)
        || transaction_ended(conn)
    {
        return err;
    }
    match db::foreign_key_violation(conn, table, shown) {
        Ok(Some(detail)) => Error {
            message: format!("{} at commit: {detail}", err.message),
            ..err
        },
        _ => err,
    }
}

/// Runs a job: in the held transaction the session runs in, else on its
/// own connection with the configured wrappers.
pub fn run(s: &Session, job: WriteJob) -> Result<Outcome> {
    if let Some(held) = s.held {
        let mut held = held.borrow_mut();
        held.check_database(&s.path(&job.info.database), &job.info.database)?;
        return held.run_job(job);
    }
    let path = job.info.database.clone();
    let before = db::NewFile::before_open(&path);
    let creates = job.info.create_database && !job.info.dry_run && before.is_new();
    let mut writer = Writer::open(&job.info, s.config()?, s.busy_timeout())?;
    let result = run_steps(&mut writer, job, &mut Scope::Own);
    if result.is_err() && creates && !db::holds_user_objects(&writer.conn) {
        drop(writer);
        before.restore(&path);
    }
    result
}

/// Runs a job with the given chain (outermost first), each step in its own
/// transaction, with the default file settings (tests and benchmarks).
pub fn run_with(job: WriteJob, chain: Vec<Box<dyn Wrapper>>) -> Result<Outcome> {
    let busy = Duration::from_secs(30);
    let conn = db::open_write(
        &job.info.database,
        job.info.create_database,
        db::FileSettings::default(),
        busy,
    )?;
    let mut writer = Writer::build(conn, chain, busy, job.info.user_sql)?;
    run_steps(&mut writer, job, &mut Scope::Own)
}

/// The step loop: every step of a job, each in the scope's transaction.
pub fn run_steps(w: &mut Writer, mut job: WriteJob, scope: &mut Scope<'_>) -> Result<Outcome> {
    let mut outcome = Outcome::default();
    for step in 0.. {
        scope.begin(w)?;
        let (result, cx) = match scope.rules(&w.conn) {
            Ok(rules) => run_step(w, &job.info, job.write.as_mut(), step, rules),
            Err(e) => (
                Err(e),
                WriteContext::new(&w.conn, &w.capture, &job.info, step),
            ),
        };
        let WriteContext {
            events,
            rows,
            group,
            result: rows_out,
            changes,
            ..
        } = cx;
        let mut result = result;
        let keep = result.is_ok() && !job.info.dry_run;
        let mut committed = false;
        if !transaction_ended(&w.conn) {
            match scope.end(w, keep, job.info.table()) {
                Ok(kept) => committed = kept,
                Err(e) => {
                    if result.is_ok() {
                        result = Err(e);
                    }
                }
            }
        }
        if let Scope::Held(held) = scope {
            if transaction_ended(&w.conn) {
                committed = false;
                let err = match result {
                    Err(e) => e,
                    Ok(_) => Error::sql("SQLite ended the transaction"),
                };
                held.ended = Some(format!(
                    "transaction {} was rolled back by SQLite when `{}` failed: {}; nothing in it was committed",
                    held.id, job.info.command_line_redacted(), err.message
                ));
                result = Err(Error {
                    message: format!(
                        "{}; SQLite rolled back the whole transaction {} because of it: nothing in it will be committed",
                        err.message, held.id
                    ),
                    ..err
                });
            }
        }
        let mut late_error = None;
        let settled = Settled {
            committed,
            in_tx: matches!(scope, Scope::Held(_)),
            events: &events,
            group: if committed { group } else { None },
            error: result.as_ref().err(),
        };
        for wrapper in w.chain.iter_mut() {
            if let Err(e) = wrapper.settled(&w.conn, &job.info, &settled) {
                late_error.get_or_insert(e);
            }
        }
        if let (Ok(_), Some(e)) = (&result, late_error) {
            result = Err(e);
        }
        let step_result = match result {
            Ok(step) => step,
            Err(e) => {
                return Err(match scope {
                    Scope::Own => {
                        if !job.info.dry_run {
                            db::fold_wal(&w.conn);
                        }
                        committed_before(e, &outcome)
                    }
                    // Earlier batches are kept in the transaction, which
                    // goes on (unless SQLite ended it: then they are gone).
                    Scope::Held(held) if held.ended.is_none() => kept_before(e, &outcome, held.id),
                    Scope::Held(_) => e,
                });
            }
        };
        outcome.add_step(rows, group.filter(|_| committed), changes, rows_out);
        if step_result == Step::Done || job.info.dry_run {
            break;
        }
    }
    if !job.info.dry_run && matches!(scope, Scope::Own) {
        db::fold_wal(&w.conn);
    }
    Ok(outcome)
}

/// An error after earlier steps (`--batch-size` batches) committed: says
/// what landed, in the message and in the `--json` error object.
fn committed_before(mut e: Error, outcome: &Outcome) -> Error {
    if outcome.rows == 0 && outcome.groups.is_empty() {
        return e;
    }
    let groups = match outcome.groups.as_slice() {
        [] => String::new(),
        [g] => format!(" (change group {g})"),
        gs => format!(
            " (change groups {})",
            gs.iter()
                .map(|g| g.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    e.message = format!(
        "{}; {} row(s) in earlier batches were committed before it{groups}",
        e.message, outcome.rows
    );
    let mut details = serde_json::Map::new();
    details.insert(
        "committed".into(),
        serde_json::json!({"rows": outcome.rows, "groups": outcome.groups}),
    );
    e.details = Some(Box::new(details));
    e
}

/// An error after earlier steps (`--batch-size` batches) of a job inside
/// held transaction `id` were kept in it: says so (nothing is committed
/// before the transaction is).
fn kept_before(mut e: Error, outcome: &Outcome, id: &str) -> Error {
    if outcome.rows == 0 {
        return e;
    }
    e.message = format!(
        "{}; {} row(s) of earlier batches are kept in transaction {id}, which is still open (commit or roll it back)",
        e.message, outcome.rows
    );
    let mut details = serde_json::Map::new();
    details.insert(
        "kept".into(),
        serde_json::json!({"rows": outcome.rows, "tx": id}),
    );
    e.details = Some(Box::new(details));
    e
}

/// One step inside an open transaction: the chain around the write. Returns
/// the step's result and its context (events, rows, group).
fn run_step<'a>(
    w: &'a mut Writer,
    info: &'a JobInfo,
    write: &mut dyn Write,
    step: u32,
    extra_rules: Vec<Box<dyn Rule>>,
) -> (Result<Step>, WriteContext<'a>) {
    let Writer {
        capture,
        conn,
        authorizer,
        chain,
        settings,
        hidden,
        ..
    } = w;
    let mut cx = WriteContext::new(conn, capture, info, step);
    cx.rules = extra_rules;
    let mut entered = 0;
    let mut result: Result<Step> = Ok(Step::Done);
    for wrapper in chain.iter_mut() {
        match wrapper.before(&mut cx) {
            Ok(()) => entered += 1,
            Err(e) => {
                result = Err(e);
                break;
            }
        }
    }
    if entered == chain.len() {
        let rules = std::mem::take(&mut cx.rules);
        authorizer.set(conn, Some(policy(settings.as_ref(), rules)));
        result = write.step(&mut cx).map_err(|e| authorizer.explain(e));
        authorizer.clear(conn);
        // The wrappers' bookkeeping, and every later step, run with the
        // connection as it was opened. SQLite may have ended the
        // transaction: then there is nothing to restore it for.
        if !transaction_ended(conn) {
            if let Err(e) = restore(settings.as_ref(), conn, hidden) {
                if result.is_ok() {
                    result = Err(e);
                }
            }
        }
    }
    for wrapper in chain[..entered].iter_mut().rev() {
        if let Err(e) = wrapper.after(&mut cx, &result) {
            if result.is_ok() {
                result = Err(e);
            }
        }
    }
    // Whatever the wrappers did, nothing is captured between steps.
    capture.abort();
    (result, cx)
}

/// Records a refusal that happened outside any write step (a read the
/// authorizer denied): the wrappers see it as a settled, failed job.
pub fn record_refusal(s: &Session, info: &JobInfo, err: &Error) -> Result<()> {
    if !info.database.exists() {
        return Ok(());
    }
    let config = s.config()?;
    let mut chain = wrappers::build(config)?;
    let conn = db::open_write(&info.database, false, config.file, s.busy_timeout())?;
    let settled = Settled {
        committed: false,
        in_tx: false,
        events: &[],
        group: None,
        error: Some(err),
    };
    for w in chain.iter_mut() {
        w.settled(&conn, info, &settled)?;
    }
    Ok(())
}
