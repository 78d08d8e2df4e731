//! Wrappers: code that runs before a write, lets it run, and sees its
//! outcome or error afterwards — the semantics of Datasette's
//! `write_wrapper` hook.
//!
//! Wrappers nest in the order plugins.toml lists them, the first outermost:
//! `before` runs first to last, the write runs, `after` runs last to first.
//! If a `before` fails, the write does not run and only the wrappers already
//! entered see the error in their `after`. An `after` that fails turns a
//! successful step into a failure (and the transaction rolls back); the
//! write's own error always reaches the caller. `settled` runs once the
//! transaction is committed or rolled back, outside it.

pub mod audit_log;
pub mod authorizer;
pub mod change_group;

use rusqlite::Connection;

use crate::access::{Policy, Rule};
use crate::config::{Config, WrapperConfig};
use crate::error::{Error, Result};
use crate::job::{Event, JobInfo, Step, WriteContext};

/// A wrapper around every write job.
pub trait Wrapper {
    /// The name plugins.toml uses.
    fn name(&self) -> &'static str;

    /// Before the write, inside the transaction. An error refuses the job.
    fn before(&mut self, _cx: &mut WriteContext<'_>) -> Result<()> {
        Ok(())
    }

    /// After the write (or an inner wrapper's refusal), inside the transaction.
    fn after(&mut self, _cx: &mut WriteContext<'_>, _result: &Result<Step>) -> Result<()> {
        Ok(())
    }

    /// After the transaction is committed or rolled back.
    fn settled(
        &mut self,
        _conn: &Connection,
        _job: &JobInfo,
        _settled: &Settled<'_>,
    ) -> Result<()> {
        Ok(())
    }

    /// A held transaction ends: on commit this runs inside it, just before
    /// COMMIT; on rollback (or expiry) it runs after ROLLBACK.
    fn tx_end(&mut self, _conn: &Connection, _end: &TxEnd) -> Result<()> {
        Ok(())
    }

    /// After a held transaction's COMMIT succeeded.
    fn tx_committed(&mut self, _end: &TxEnd) -> Result<()> {
        Ok(())
    }

    /// A held transaction's COMMIT was refused as busy (a reader held the
    /// file): what `tx_end` wrote inside it was rolled back, and the
    /// transaction goes on, to be committed again or rolled back.
    fn tx_commit_busy(&mut self) {}

    /// Authorizer rules for read-only SQL (`query` on a read-only
    /// connection, reads inside a held transaction).
    fn read_rules(&self, _conn: &Connection, _job: &JobInfo) -> Result<Vec<Box<dyn Rule>>> {
        Ok(Vec::new())
    }
}

/// The core rules and the wrappers' read rules: the policy for read-only SQL.
pub fn read_policy(conn: &Connection, chain: &[Box<dyn Wrapper>], job: &JobInfo) -> Result<Policy> {
    let mut policy = crate::access::core_policy();
    for w in chain {
        policy.rules.extend(w.read_rules(conn, job)?);
    }
    Ok(policy)
}

/// How a held transaction ended.
pub struct TxEnd {
    pub id: String,
    pub committed: bool,
    /// `tx begin -m`: the message of the transaction's change group.
    pub message: Option<String>,
    /// What stamps the end's records (the clock of the request that ended it).
    pub clock: crate::session::Clock,
    pub diag: crate::session::Diag,
}

/// How a step ended, for [`Wrapper::settled`].
pub struct Settled<'a> {
    /// True when the step's transaction committed (inside a held
    /// transaction: when the step's savepoint was kept).
    pub committed: bool,
    /// True inside a held transaction, which is still open.
    pub in_tx: bool,
    pub events: &'a [Event],
    pub group: Option<i64>,
    pub error: Option<&'a Error>,
}

/// Builds the configured chain, outermost first.
pub fn build(config: &Config) -> Result<Vec<Box<dyn Wrapper>>> {
    // Parameters kept out of the audit log are kept out of change groups too.
    let log_parameters = config.wrappers.iter().all(|w| match w {
        WrapperConfig::AuditLog(a) => a.log_parameters,
        _ => true,
    });
    config
        .wrappers
        .iter()
        .map(|w| -> Result<Box<dyn Wrapper>> {
            Ok(match w {
                WrapperConfig::AuditLog(c) => Box::new(audit_log::AuditLog::new(c)),
                WrapperConfig::Authorizer(c) => Box::new(authorizer::Authorizer::new(c)),
                WrapperConfig::ChangeGroup(c) => {
                    Box::new(change_group::ChangeGroup::new(c, log_parameters))
                }
            })
        })
        .collect()
}
