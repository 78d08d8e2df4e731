//! `prune`: delete old change groups (they can no longer be undone) and,
//! with `--audit`, old audit entries.
//!
//! Pruning is a write job like any other: it is audited, and it runs in one
//! transaction. The audit entries it deletes are a prefix of the log; its
//! own entry records the last one deleted and its hash (a checkpoint in the
//! hash chain), so `audit verify` still verifies everything that remains.

use std::cell::RefCell;
use std::rc::Rc;

use rusqlite::OptionalExtension;
use serde_json::{json, Value as Json};

use crate::cli::PruneArgs;
use crate::config::WrapperConfig;
use crate::error::{Error, Result};
use crate::job::{Event, Step, Write, WriteContext, WriteJob};
use crate::session::Session;
use crate::store;
use crate::wrappers::audit_log;

pub fn run(s: &Session, a: PruneArgs) -> Result<Option<Json>> {
    let before = a
        .before
        .as_deref()
        .map(|t| super::audit::normalize_time("--before", t))
        .transpose()?;
    let config = s.config()?;
    let audited = config
        .wrappers
        .iter()
        .any(|w| matches!(w, WrapperConfig::AuditLog(_)));
    if a.audit && !audited {
        return Err(Error::usage(
            "prune --audit needs the audit-log wrapper in plugins.toml: the prune's own audit entry is the checkpoint `audit verify` starts from",
        ));
    }
    let pruned = Rc::new(RefCell::new(Pruned::default()));
    let write = PruneWrite {
        before,
        keep: a.keep,
        audit: a.audit,
        pruned: pruned.clone(),
    };
    let info = super::job_info(s, crate::job::PRUNE, &a.db, None);
    let (outcome, mut obj) = super::run_job(
        s,
        WriteJob {
            info,
            write: Box::new(write),
        },
    )?;
    let p = pruned.borrow();
    obj["pruned"] =
        json!({"groups": p.groups, "changes": p.changes, "audit_entries": p.audit_entries});
    super::report(s, &outcome, obj)
}

/// What a prune deleted.
#[derive(Debug, Default)]
struct Pruned {
    groups: u64,
    changes: u64,
    audit_entries: u64,
}

struct PruneWrite {
    before: Option<String>,
    keep: Option<u64>,
    audit: bool,
    pruned: Rc<RefCell<Pruned>>,
}

impl Write for PruneWrite {
    fn step(&mut self, cx: &mut WriteContext<'_>) -> Result<Step> {
        let conn = cx.conn;
        if !cx.capture.trusted(|| store::check_readable(conn))? {
            cx.event(Event::new("prune", None));
            return Ok(Step::Done);
        }
        // The prune's own group (made by change-group) is not a candidate.
        let own = cx.group.unwrap_or(0);
        let (groups, cutoff) = cx.capture.trusted(|| -> Result<_> {
            let groups: Vec<(i64, Option<i64>, Option<i64>)> = match (&self.before, self.keep) {
                (Some(before), _) => conn
                    .prepare(
                        "SELECT id, first_change, last_change FROM _litewrite_groups
                         WHERE time < ?1 AND id <> ?2 ORDER BY id",
                    )?
                    .query_map(rusqlite::params![before, own], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                    })?
                    .collect::<rusqlite::Result<_>>()?,
                (None, keep) => conn
                    .prepare(
                        "SELECT id, first_change, last_change FROM _litewrite_groups
                         WHERE id <> ?2 ORDER BY id DESC LIMIT -1 OFFSET ?1",
                    )?
                    .query_map(rusqlite::params![keep.unwrap_or(0) as i64, own], |r| {
                        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                    })?
                    .collect::<rusqlite::Result<_>>()?,
            };
            // Audit entries older than this go with --audit.
            let cutoff: Option<String> = match &self.before {
                Some(b) => Some(b.clone()),
                None => {
                    let pruned: Vec<i64> = groups.iter().map(|g| g.0).collect();
                    let kept_oldest: Option<String> = conn
                        .query_row(
                            "SELECT min(time) FROM _litewrite_groups WHERE id <> ?1 AND id > ?2",
                            rusqlite::params![own, pruned.iter().max().copied().unwrap_or(0)],
                            |r| r.get(0),
                        )
                        .optional()?
                        .flatten();
                    // Nothing kept: every entry so far is older.
                    Some(kept_oldest.unwrap_or_else(|| cx.job.clock.now()))
                }
            };
            Ok((groups, cutoff))
        })?;
        let mut p = self.pruned.borrow_mut();
        cx.capture.trusted(|| -> Result<()> {
            for (id, first, last) in &groups {
                if let (Some(first), Some(last)) = (first, last) {
                    p.changes += conn.execute(
                        "DELETE FROM _litewrite_changes WHERE id BETWEEN ?1 AND ?2 AND group_id = ?3",
                        [first, last, id],
                    )? as u64;
                }
                conn.execute("DELETE FROM _litewrite_groups WHERE id = ?1", [id])?;
                p.groups += 1;
            }
            Ok(())
        })?;
        let mut ev = Event::new("prune", None);
        ev.rows = p.groups;
        if self.audit {
            if let Some(cutoff) = cutoff {
                let last: Option<(i64, String)> = cx.capture.trusted(|| {
                    conn.query_row(
                        "SELECT id, hash FROM _litewrite_audit WHERE id = (SELECT max(id) FROM _litewrite_audit WHERE time < ?1)",
                        [&cutoff],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()
                })?;
                if let Some((through, hash)) = last {
                    p.audit_entries = cx.capture.trusted(|| {
                        conn.execute("DELETE FROM _litewrite_audit WHERE id <= ?1", [through])
                    })? as u64;
                    ev.keys = Some(audit_log::checkpoint_keys(through, &hash));
                }
            }
        }
        cx.event(ev);
        Ok(Step::Done)
    }
}
