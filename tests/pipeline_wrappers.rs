//! The wrapper chain's semantics, with wrappers defined here: nesting order,
//! a refusal before the write, an error after it, the write's own error
//! reaching the caller, and what each wrapper sees.

use std::cell::RefCell;
use std::rc::Rc;

use litewrite::error::{Error, Kind, Result};
use litewrite::job::{Event, JobInfo, Step, Write, WriteContext, WriteJob};
use litewrite::pipeline;
use litewrite::wrappers::{Settled, Wrapper};
use rusqlite::Connection;

type Log = Rc<RefCell<Vec<String>>>;

/// Records every call; can refuse before or fail after.
struct Probe {
    name: &'static str,
    log: Log,
    refuse: bool,
    fail_after: bool,
}

impl Wrapper for Probe {
    fn name(&self) -> &'static str {
        self.name
    }
    fn before(&mut self, cx: &mut WriteContext<'_>) -> Result<()> {
        self.log.borrow_mut().push(format!(
            "{} before {} {} by {}",
            self.name,
            cx.job.command,
            cx.job.table().unwrap_or("-"),
            cx.job.actor
        ));
        if self.refuse {
            return Err(Error::denied(format!("{} refuses", self.name)));
        }
        Ok(())
    }
    fn after(&mut self, cx: &mut WriteContext<'_>, result: &Result<Step>) -> Result<()> {
        let seen = match result {
            Ok(_) => format!("ok rows={}", cx.rows),
            Err(e) => format!("error {}", e.message),
        };
        self.log
            .borrow_mut()
            .push(format!("{} after {seen}", self.name));
        if self.fail_after {
            return Err(Error::sql(format!("{} failed after", self.name)));
        }
        Ok(())
    }
    fn settled(&mut self, _conn: &Connection, _job: &JobInfo, s: &Settled<'_>) -> Result<()> {
        self.log
            .borrow_mut()
            .push(format!("{} settled committed={}", self.name, s.committed));
        Ok(())
    }
}

/// Inserts one row, or fails with a constraint error.
struct InsertOne {
    value: i64,
}

impl Write for InsertOne {
    fn step(&mut self, cx: &mut WriteContext<'_>) -> Result<Step> {
        cx.conn
            .execute("CREATE TABLE IF NOT EXISTS t (v INTEGER PRIMARY KEY)", [])?;
        let n = cx
            .conn
            .execute("INSERT INTO t (v) VALUES (?1)", [self.value])?;
        cx.rows += n as u64;
        let mut ev = Event::new("insert-rows", Some("t"));
        ev.rows = n as u64;
        cx.event(ev);
        Ok(Step::Done)
    }
}

fn job(db: &std::path::Path, value: i64) -> WriteJob {
    WriteJob {
        info: JobInfo {
            command: "insert",
            database: db.to_path_buf(),
            create_database: true,
            tables: vec!["t".into()],
            actor: "probe".into(),
            ..Default::default()
        },
        write: Box::new(InsertOne { value }),
    }
}

fn probes(log: &Log, refuse: Option<&str>, fail_after: Option<&str>) -> Vec<Box<dyn Wrapper>> {
    ["outer", "middle", "inner"]
        .into_iter()
        .map(|name| {
            Box::new(Probe {
                name,
                log: log.clone(),
                refuse: refuse == Some(name),
                fail_after: fail_after == Some(name),
            }) as Box<dyn Wrapper>
        })
        .collect()
}

fn count(db: &std::path::Path) -> i64 {
    let c = Connection::open(db).unwrap();
    c.query_row("SELECT count(*) FROM t", [], |r| r.get(0))
        .unwrap_or(0)
}

#[test]
fn wrappers_nest_first_outermost() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let log: Log = Rc::default();
    let outcome = pipeline::run_with(job(&db, 1), probes(&log, None, None)).unwrap();
    assert_eq!(outcome.rows, 1);
    assert_eq!(
        *log.borrow(),
        vec![
            "outer before insert t by probe",
            "middle before insert t by probe",
            "inner before insert t by probe",
            "inner after ok rows=1",
            "middle after ok rows=1",
            "outer after ok rows=1",
            "outer settled committed=true",
            "middle settled committed=true",
            "inner settled committed=true",
        ]
    );
    assert_eq!(count(&db), 1);
}

#[test]
fn a_refusal_before_skips_the_write_and_only_entered_wrappers_see_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let log: Log = Rc::default();
    let err = pipeline::run_with(job(&db, 1), probes(&log, Some("middle"), None)).unwrap_err();
    assert_eq!(err.kind, Kind::Denied);
    assert_eq!(err.message, "middle refuses");
    let log = log.borrow();
    assert!(
        !log.iter().any(|l| l.starts_with("inner before")),
        "{log:?}"
    );
    assert!(
        !log.iter().any(|l| l.starts_with("middle after")),
        "{log:?}"
    );
    assert!(
        log.contains(&"outer after error middle refuses".to_string()),
        "{log:?}"
    );
    assert!(
        log.contains(&"outer settled committed=false".to_string()),
        "{log:?}"
    );
    // The write never ran: no table was created.
    let c = Connection::open(&db).unwrap();
    let tables: i64 = c
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 't'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(tables, 0);
}

#[test]
fn the_writes_own_error_reaches_every_wrapper_and_the_caller() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let log: Log = Rc::default();
    pipeline::run_with(job(&db, 7), probes(&log, None, None)).unwrap();
    log.borrow_mut().clear();
    let err = pipeline::run_with(job(&db, 7), probes(&log, None, None)).unwrap_err();
    assert_eq!(err.kind, Kind::Sql);
    assert!(err.message.contains("UNIQUE"), "{}", err.message);
    let log = log.borrow();
    for name in ["inner", "middle", "outer"] {
        assert!(
            log.iter()
                .any(|l| l.starts_with(&format!("{name} after error")) && l.contains("UNIQUE")),
            "{log:?}"
        );
    }
    assert_eq!(count(&db), 1);
}

#[test]
fn an_error_after_the_write_rolls_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let log: Log = Rc::default();
    pipeline::run_with(job(&db, 1), probes(&log, None, None)).unwrap();
    let err = pipeline::run_with(job(&db, 2), probes(&log, None, Some("inner"))).unwrap_err();
    assert_eq!(err.message, "inner failed after");
    // The outer wrappers see the failure the inner one turned the write into.
    assert!(log
        .borrow()
        .contains(&"outer after error inner failed after".to_string()));
    assert_eq!(count(&db), 1, "the second row must have been rolled back");
}

#[test]
fn dry_run_runs_the_wrappers_and_rolls_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let log: Log = Rc::default();
    pipeline::run_with(job(&db, 1), probes(&log, None, None)).unwrap();
    log.borrow_mut().clear();
    let mut j = job(&db, 2);
    j.info.dry_run = true;
    let outcome = pipeline::run_with(j, probes(&log, None, None)).unwrap();
    assert_eq!(outcome.rows, 1);
    assert!(log.borrow().contains(&"outer after ok rows=1".to_string()));
    assert!(log
        .borrow()
        .contains(&"outer settled committed=false".to_string()));
    assert_eq!(count(&db), 1);
}
