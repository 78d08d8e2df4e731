//! Runs a write job: connection, transaction, wrapper chain, commit.
//!
//! Each step of a job (one, unless `--batch-size` splits it) is one
//! `BEGIN IMMEDIATE` … `COMMIT` transaction: the write lock is taken up
//! front, so a concurrent writer waits (busy timeout) instead of failing on
//! a lock upgrade. Inside it the wrappers nest around the write (see
//! [`crate::wrappers`]); the authorizer policy — the core rules plus those
//! the wrappers add — is in force only while the write itself runs. Any
//! error rolls the step back; `--dry-run` rolls back a successful one too.

use rusqlite::Connection;

use crate::access::{self, Authorizer, Rule};
use crate::capture::Capture;
use crate::config::Config;
use crate::db;
use crate::error::{Error, Result};
use crate::job::{Outcome, Step, Write, WriteContext, WriteJob};
use crate::wrappers::{self, Settled, Wrapper};

/// Runs a job with the wrappers the configuration lists.
pub fn run(job: WriteJob, config: &Config) -> Result<Outcome> {
    if crate::tx::holder::active() {
        return crate::tx::holder::run_job(job);
    }
    let mut chain = wrappers::build(config)?;
    run_in(job, &mut chain, config.file)
}

/// Runs a job with the given chain (outermost first) and the default
/// file settings.
pub fn run_with(job: WriteJob, chain: &mut [Box<dyn Wrapper>]) -> Result<Outcome> {
    run_in(job, chain, db::FileSettings::default())
}

fn run_in(
    mut job: WriteJob,
    chain: &mut [Box<dyn Wrapper>],
    file: db::FileSettings,
) -> Result<Outcome> {
    if crate::tx::holder::active() {
        return crate::tx::holder::run_job(job);
    }
    let mut conn = if job.info.dry_run {
        db::open_dry_run(&job.info.database, job.info.create_database)?
    } else {
        db::open_write(&job.info.database, job.info.create_database, file)?
    };
    let authorizer = Authorizer::install(&mut conn)?;
    let capture = Capture::install(&conn, &authorizer);
    let mut outcome = Outcome::default();
    for step in 0.. {
        begin(&conn)?;
        let (result, cx) = run_step(
            &conn,
            &authorizer,
            &capture,
            &job.info,
            job.write.as_mut(),
            chain,
            step,
            Vec::new(),
        );
        let WriteContext {
            events,
            rows,
            group,
            result: rows_out,
            changes,
            ..
        } = cx;
        let mut result = result;
        let mut committed = false;
        if result.is_ok() && !job.info.dry_run {
            match conn.execute_batch("COMMIT") {
                Ok(()) => committed = true,
                Err(e) => result = Err(e.into()),
            }
        }
        if !committed {
            // Ignore the error of a rollback SQLite already did itself.
            let _ = conn.execute_batch("ROLLBACK");
        }
        let mut late_error = None;
        let settled = Settled {
            committed,
            in_tx: false,
            events: &events,
            group: if committed { group } else { None },
            error: result.as_ref().err(),
        };
        for w in chain.iter_mut() {
            if let Err(e) = w.settled(&conn, &job.info, &settled) {
                late_error.get_or_insert(e);
            }
        }
        if let (Ok(_), Some(e)) = (&result, late_error) {
            result = Err(e);
        }
        let step_result = match result {
            Ok(step) => step,
            Err(e) => {
                if !job.info.dry_run {
                    db::fold_wal(&conn);
                }
                return Err(committed_before(e, &outcome));
            }
        };
        outcome.add_step(rows, group.filter(|_| committed), changes, rows_out);
        if step_result == Step::Done || job.info.dry_run {
            break;
        }
    }
    if !job.info.dry_run {
        db::fold_wal(&conn);
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

fn begin(conn: &Connection) -> Result<()> {
    conn.execute_batch("BEGIN IMMEDIATE").map_err(|e| {
        let err = Error::from(e);
        if err.kind == crate::error::Kind::Busy {
            Error::busy(format!(
                "database is locked by another writer; gave up after {} ms",
                db::busy_timeout().as_millis()
            ))
        } else {
            err
        }
    })
}

/// One step inside an open transaction: the chain around the write. Returns
/// the step's result and its context (events, rows, group).
#[allow(clippy::too_many_arguments)]
pub fn run_step<'a>(
    conn: &'a Connection,
    authorizer: &Authorizer,
    capture: &'a Capture,
    info: &'a crate::job::JobInfo,
    write: &mut dyn Write,
    chain: &mut [Box<dyn Wrapper>],
    step: u32,
    extra_rules: Vec<Box<dyn Rule>>,
) -> (Result<Step>, WriteContext<'a>) {
    let mut cx = WriteContext::new(conn, capture, info, step);
    cx.rules = extra_rules;
    let mut entered = 0;
    let mut result: Result<Step> = Ok(Step::Done);
    for w in chain.iter_mut() {
        match w.before(&mut cx) {
            Ok(()) => entered += 1,
            Err(e) => {
                result = Err(e);
                break;
            }
        }
    }
    if entered == chain.len() {
        let mut policy = access::core_policy();
        policy.rules.append(&mut cx.rules);
        authorizer.set(conn, Some(policy));
        result = write.step(&mut cx).map_err(|e| authorizer.explain(e));
        authorizer.clear(conn);
    }
    for w in chain[..entered].iter_mut().rev() {
        if let Err(e) = w.after(&mut cx, &result) {
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
pub fn record_refusal(
    info: &crate::job::JobInfo,
    config: &Config,
    chain: &mut [Box<dyn Wrapper>],
    err: &Error,
) -> Result<()> {
    if !info.database.exists() {
        return Ok(());
    }
    let conn = db::open_write(&info.database, false, config.file)?;
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
