//! change-group: every row change a job makes, with the row's key and its
//! before and after values, under one group row.
//!
//! The wrapper opens the group and turns [`crate::capture`] on before the
//! write; capture sees every row change through SQLite's preupdate hook
//! (REPLACE deletes, cascades and trigger writes included), and the
//! statements that change the schema through the executor the write runs
//! its statements with. After the write the wrapper writes the buffered
//! records under the group and closes it. Nothing is added to the schema.

use rusqlite::{Connection, OptionalExtension};

use crate::capture::schema::TableFilter;
use crate::config::ChangeGroupConfig;
use crate::error::Result;
use crate::job::{Step, WriteContext};
use crate::store;

use super::{TxEnd, Wrapper};

pub struct ChangeGroup {
    filter: TableFilter,
    /// False when plugins.toml says `log-parameters = false`: the group
    /// records the command line without its values.
    log_parameters: bool,
    /// The id the group's first change gets.
    first_change: i64,
    /// Inside a held transaction: its one group, closed at commit.
    tx_group: Option<i64>,
    /// The last audit entry before the job, to see if the job's entries name its group.
    audit_mark: i64,
    /// True when this step joined the held transaction's existing group
    /// (its command line is added to the group's when it is kept).
    joined: bool,
}

impl ChangeGroup {
    pub fn new(config: &ChangeGroupConfig, log_parameters: bool) -> ChangeGroup {
        ChangeGroup {
            filter: TableFilter {
                tables: config.tables.clone(),
                exclude: config.exclude.clone(),
            },
            log_parameters,
            first_change: 1,
            tx_group: None,
            audit_mark: 0,
            joined: false,
        }
    }

    /// The held transaction's group, if this job joins one that is still
    /// there (a failed first job's savepoint rollback removes it).
    fn open_tx_group(&mut self, conn: &Connection, in_tx: bool) -> Result<Option<i64>> {
        let Some(group) = self.tx_group.filter(|_| in_tx) else {
            return Ok(None);
        };
        Ok(store::group_exists(conn, group)?.then_some(group))
    }

    /// The job's command line as the group records it.
    fn command_line<'j>(&self, job: &'j crate::job::JobInfo) -> std::borrow::Cow<'j, str> {
        if self.log_parameters {
            std::borrow::Cow::Borrowed(&job.command_line)
        } else {
            std::borrow::Cow::Owned(job.command_line_redacted())
        }
    }

    /// Ends a job's group: records its range of changes, or removes it when
    /// the job changed nothing. A held transaction's group is closed at commit.
    fn close_group(
        &mut self,
        cx: &mut WriteContext<'_>,
        group: i64,
        step_first: i64,
    ) -> Result<()> {
        let conn = cx.conn;
        if cx.job.tx.is_some() {
            if let Some(show) = cx.job.show_changes {
                // A dry run inside a held transaction shows this step's
                // changes: the group's range is set to them for the
                // showing, and the step's rollback sets it back.
                conn.execute(
                    "UPDATE _litewrite_groups SET first_change = ?1,
                         last_change = (SELECT coalesce(max(id), 0) FROM _litewrite_changes)
                     WHERE id = ?2",
                    [step_first, group],
                )?;
                cx.changes = show(conn, group)?;
            }
            return Ok(());
        }
        let last: i64 = conn.query_row(
            "SELECT coalesce(max(id), 0) FROM _litewrite_changes",
            [],
            |r| r.get(0),
        )?;
        if last < self.first_change {
            let named: bool = conn.query_row(
                "SELECT EXISTS (SELECT 1 FROM _litewrite_audit WHERE id > ?1 AND group_id = ?2)",
                [self.audit_mark, group],
                |r| r.get(0),
            )?;
            if !named {
                // Nothing changed: no group to show or undo.
                conn.execute("DELETE FROM _litewrite_groups WHERE id = ?1", [group])?;
                cx.group = None;
                return Ok(());
            }
        }
        conn.execute(
            "UPDATE _litewrite_groups SET first_change = ?1, last_change = ?2 WHERE id = ?3",
            [self.first_change, last, group],
        )?;
        if let Some(show) = cx.job.show_changes {
            cx.changes = show(conn, group)?;
        }
        Ok(())
    }
}

impl Wrapper for ChangeGroup {
    fn name(&self) -> &'static str {
        "change-group"
    }

    fn before(&mut self, cx: &mut WriteContext<'_>) -> Result<()> {
        cx.ensure_store()?;
        let conn = cx.conn;
        self.audit_mark = conn.query_row(
            "SELECT coalesce(max(id), 0) FROM _litewrite_audit",
            [],
            |r| r.get(0),
        )?;
        self.joined = false;
        if let Some(group) = self.open_tx_group(conn, cx.job.tx.is_some())? {
            cx.group = Some(group);
            self.joined = true;
            cx.capture.start(self.filter.clone());
            return Ok(());
        }
        conn.execute(
            "INSERT INTO _litewrite_groups (time, actor, os_user, message, command, command_line, tx, undo_of, format)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, ?7, ?8)",
            rusqlite::params![
                cx.job.clock.now(),
                cx.job.actor,
                crate::access::os_user(),
                cx.job.message,
                cx.job.command,
                self.command_line(cx.job),
                cx.job.undo_of,
                store::FORMAT
            ],
        )?;
        if let Some(tx) = &cx.job.tx {
            conn.execute(
                "UPDATE _litewrite_groups SET tx = ?1, command = 'tx' WHERE id = last_insert_rowid()",
                [tx],
            )?;
        }
        let group = conn.last_insert_rowid();
        cx.group = Some(group);
        self.first_change = conn.query_row(
            "SELECT coalesce(max(id), 0) + 1 FROM _litewrite_changes",
            [],
            |r| r.get(0),
        )?;
        if cx.job.tx.is_some() {
            self.tx_group = Some(group);
        }
        cx.capture.start(self.filter.clone());
        Ok(())
    }

    fn after(&mut self, cx: &mut WriteContext<'_>, result: &Result<Step>) -> Result<()> {
        let group = match (cx.group, result) {
            (Some(group), Ok(_)) => group,
            _ => {
                cx.capture.abort();
                return Ok(());
            }
        };
        let step_first = if cx.job.tx.is_some() && cx.job.dry_run {
            cx.conn.query_row(
                "SELECT coalesce(max(id), 0) + 1 FROM _litewrite_changes",
                [],
                |r| r.get(0),
            )?
        } else {
            self.first_change
        };
        cx.capture.finish(cx.conn, group)?;
        if self.joined && !cx.job.dry_run {
            // The transaction's group lists the commands that ran in it, one
            // a line. Written inside the step, so a step (or a savepoint)
            // rolled back takes its line with it.
            cx.conn.execute(
                "UPDATE _litewrite_groups SET command_line = coalesce(command_line || char(10), '') || ?1 WHERE id = ?2",
                rusqlite::params![self.command_line(cx.job), group],
            )?;
        }
        self.close_group(cx, group, step_first)
    }

    fn tx_end(&mut self, conn: &Connection, end: &TxEnd) -> Result<()> {
        if !end.committed {
            self.tx_group = None;
            return Ok(());
        }
        // Kept until COMMIT succeeds: a busy one leaves the transaction
        // open, and the next commit closes the group again.
        let Some(group) = self.tx_group else {
            return Ok(());
        };
        // The transaction is one group, stamped with the commit time.
        let first: Option<i64> = conn
            .query_row(
                "SELECT min(id) FROM _litewrite_changes WHERE group_id = ?1 AND id >= ?2",
                [group, self.first_change],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        let last: i64 = conn.query_row(
            "SELECT coalesce(max(id), 0) FROM _litewrite_changes",
            [],
            |r| r.get(0),
        )?;
        match first {
            Some(first) => {
                conn.execute(
                    "UPDATE _litewrite_groups SET first_change = ?1, last_change = ?2, time = ?3,
                         message = coalesce(?4, message) WHERE id = ?5",
                    rusqlite::params![first, last, end.clock.now(), end.message, group],
                )?;
            }
            None => {
                conn.execute("DELETE FROM _litewrite_groups WHERE id = ?1", [group])?;
            }
        }
        Ok(())
    }

    fn tx_committed(&mut self, _end: &TxEnd) -> Result<()> {
        self.tx_group = None;
        Ok(())
    }
}
