//! The authorizer: one SQLite authorizer callback per connection, through
//! which every statement the job prepares is checked.
//!
//! SQLite calls the authorizer while it compiles a statement, for every table
//! and column the statement touches, including the bodies of triggers it
//! fires and the views it reads; so a rule here holds for every route to a
//! table, not only the SQL the user typed. The callback is installed once per
//! connection and consults the [`Policy`] in force: the pipeline turns the
//! policy on only while the job's own statements are prepared, so the tool's
//! bookkeeping (audit entries, change groups) is not subject to it.
//!
//! Installing an authorizer expires every prepared statement, and the
//! statement cache is flushed whenever the policy changes, so no statement
//! compiled under another policy is reused.
//!
//! The same callback tells change capture ([`crate::capture`]) what a
//! statement will do before it runs: which `main` tables it (or a trigger it
//! fires) may write, which tables it drops, and whether it changes the
//! schema. It notes this whatever policy is in force ([`Observed`]).

use std::sync::{Arc, Mutex};

use rusqlite::hooks::{AuthAction, AuthContext, Authorization, TransactionOperation};
use rusqlite::Connection;

use crate::error::{Error, Result};

/// Prefix of the tool's own tables and temporary triggers.
pub const INTERNAL_PREFIX: &str = "_litewrite_";

/// True for names of the tool's own objects.
pub fn is_internal(name: &str) -> bool {
    starts_with_ignore_case(name, INTERNAL_PREFIX)
}

/// True for SQLite's own tables and indexes (`sqlite_*`).
pub fn is_system(name: &str) -> bool {
    starts_with_ignore_case(name, "sqlite_")
}

/// An ASCII prefix test on bytes: a name may hold any character, and a
/// prefix length can fall inside one (`"n\"ew 表"`).
fn starts_with_ignore_case(name: &str, prefix: &str) -> bool {
    name.as_bytes()
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// One rule of a policy: returns a reason to deny, or None to let the next
/// rule decide.
pub trait Rule: Send {
    fn check(&self, ctx: &AuthContext<'_>) -> Option<String>;
}

/// The rules in force for a job's statements.
#[derive(Default)]
pub struct Policy {
    pub rules: Vec<Box<dyn Rule>>,
}

#[derive(Default)]
struct State {
    policy: Option<Policy>,
    denial: Option<String>,
    observed: Observed,
    /// The tool's own look-ups run now: allowed, and not observed.
    trusted: bool,
}

/// What the statements prepared since the last [`Authorizer::take_observed`]
/// will do to the `main` database, as SQLite described them while compiling.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Observed {
    /// Tables (and virtual tables) a statement or a trigger it fires may
    /// insert into, update or delete from; no `sqlite_*` ones.
    pub writes: Vec<String>,
    /// Tables (ordinary or virtual) a statement drops.
    pub drops: Vec<String>,
    /// (table, column) of an `ALTER TABLE ... DROP COLUMN` or `RENAME
    /// COLUMN` (SQLite names the column for both).
    pub columns: Vec<(String, String)>,
    /// True when a statement creates, alters or drops a schema object.
    pub schema: bool,
}

impl Observed {
    fn note(&mut self, ctx: &AuthContext<'_>) {
        let main = ctx
            .database_name
            .is_none_or(|d| d.eq_ignore_ascii_case("main"));
        let add = |list: &mut Vec<String>, t: &str| {
            if !is_system(t) && !list.iter().any(|x| x.eq_ignore_ascii_case(t)) {
                list.push(t.to_string());
            }
        };
        match ctx.action {
            AuthAction::Insert { table_name }
            | AuthAction::Update { table_name, .. }
            | AuthAction::Delete { table_name }
                if main =>
            {
                add(&mut self.writes, table_name)
            }
            AuthAction::DropTable { table_name } | AuthAction::DropVtable { table_name, .. } => {
                add(&mut self.drops, table_name);
                self.schema = true;
            }
            AuthAction::AlterTable {
                database_name,
                table_name,
            } => {
                // For DROP and RENAME COLUMN, SQLite passes the column where
                // other actions pass the database name.
                if let Some(column) = ctx.database_name {
                    if database_name.eq_ignore_ascii_case("main") {
                        self.columns
                            .push((table_name.to_string(), column.to_string()));
                    }
                }
                self.schema = true;
            }
            AuthAction::CreateTable { .. }
            | AuthAction::CreateIndex { .. }
            | AuthAction::CreateTrigger { .. }
            | AuthAction::CreateView { .. }
            | AuthAction::CreateVtable { .. }
            | AuthAction::DropIndex { .. }
            | AuthAction::DropTrigger { .. }
            | AuthAction::DropView { .. } => self.schema = true,
            _ => {}
        }
    }
}

/// The installed authorizer of one connection.
#[derive(Clone)]
pub struct Authorizer {
    state: Arc<Mutex<State>>,
}

impl Authorizer {
    /// Installs the callback on a connection. With no policy in force it allows everything.
    pub fn install(conn: &mut Connection) -> Result<Authorizer> {
        let state = Arc::new(Mutex::new(State::default()));
        let shared = state.clone();
        conn.authorizer(Some(move |ctx: AuthContext<'_>| {
            let mut st = shared.lock().unwrap_or_else(|e| e.into_inner());
            if st.trusted {
                return Authorization::Allow;
            }
            st.observed.note(&ctx);
            let Some(policy) = &st.policy else {
                return Authorization::Allow;
            };
            for rule in &policy.rules {
                if let Some(reason) = rule.check(&ctx) {
                    st.denial.get_or_insert(reason);
                    return Authorization::Deny;
                }
            }
            Authorization::Allow
        }))?;
        Ok(Authorizer { state })
    }

    /// Puts a policy in force (None: allow everything) and forgets statements
    /// compiled under the previous one.
    pub fn set(&self, conn: &Connection, policy: Option<Policy>) {
        conn.flush_prepared_statement_cache();
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        st.policy = policy;
        st.denial = None;
    }

    /// Takes the policy out of force: everything is allowed again.
    pub fn clear(&self, conn: &Connection) {
        self.set(conn, None);
    }

    /// Runs the tool's own statements (schema look-ups, snapshots of the
    /// rows a statement changes) outside the policy: they are neither
    /// refused nor observed. The job's statements are checked as always.
    pub fn trusted<T>(&self, f: impl FnOnce() -> T) -> T {
        let before = {
            let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
            std::mem::replace(&mut st.trusted, true)
        };
        let out = f();
        self.state.lock().unwrap_or_else(|e| e.into_inner()).trusted = before;
        out
    }

    /// What the statements prepared since the last call will do (and
    /// forgets it).
    pub fn take_observed(&self) -> Observed {
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        std::mem::take(&mut st.observed)
    }

    /// The reason of a refusal since the policy was set, as a *denied* error.
    pub fn denial(&self) -> Option<Error> {
        let st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        st.denial.clone().map(Error::denied)
    }

    /// Turns SQLite's generic "not authorized" into *denied* with the rule's
    /// reason; other errors pass through.
    pub fn explain(&self, err: Error) -> Error {
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let reason = st.denial.take();
        if err.kind == crate::error::Kind::Denied || err.message.contains("not authorized") {
            Error::denied(reason.unwrap_or_else(|| format!("denied: {}", err.message)))
        } else {
            err
        }
    }
}

/// The rules that hold whatever the configuration: user SQL can not write the
/// tool's own tables nor the schema table, and can not end the job's
/// transaction behind the tool's back.
#[derive(Default)]
pub struct CoreRule;

impl Rule for CoreRule {
    fn check(&self, ctx: &AuthContext<'_>) -> Option<String> {
        let internal = |table: &str, what: &str| {
            is_internal(table)
                .then(|| format!("{what} the tool's own table \"{table}\" is not allowed"))
        };
        match ctx.action {
            // CREATE and DROP are authorized as writes to sqlite_master too;
            // direct writes to it need writable_schema, refused below.
            AuthAction::Insert { table_name } => internal(table_name, "inserting into"),
            AuthAction::Update { table_name, .. } => internal(table_name, "updating"),
            AuthAction::Delete { table_name } => internal(table_name, "deleting from"),
            AuthAction::DropTable { table_name } | AuthAction::DropTempTable { table_name } => {
                internal(table_name, "dropping")
            }
            AuthAction::AlterTable { table_name, .. } => internal(table_name, "altering"),
            AuthAction::CreateTable { table_name } | AuthAction::CreateTempTable { table_name } => {
                internal(table_name, "creating")
            }
            AuthAction::CreateIndex { index_name, table_name }
            | AuthAction::CreateTempIndex { index_name, table_name }
            | AuthAction::DropIndex { index_name, table_name }
            | AuthAction::DropTempIndex { index_name, table_name } => {
                internal(table_name, "indexing").or_else(|| internal(index_name, "an index named like"))
            }
            AuthAction::CreateTrigger { trigger_name, table_name }
            | AuthAction::CreateTempTrigger { trigger_name, table_name }
            | AuthAction::DropTrigger { trigger_name, table_name }
            | AuthAction::DropTempTrigger { trigger_name, table_name } => internal(table_name, "a trigger on")
                .or_else(|| internal(trigger_name, "a trigger named like")),
            AuthAction::CreateView { view_name } | AuthAction::CreateTempView { view_name } => {
                internal(view_name, "a view named like")
            }
            AuthAction::Pragma { pragma_name, pragma_value } => {
                (pragma_name.eq_ignore_ascii_case("writable_schema") && pragma_value.is_some())
                    .then(|| "PRAGMA writable_schema is not allowed".into())
            }
            AuthAction::Transaction { operation } => Some(format!(
                "{} is not allowed inside a write job: each invocation is already one transaction (use `litewrite tx` to span several)",
                match operation {
                    TransactionOperation::Begin => "BEGIN",
                    TransactionOperation::Rollback => "ROLLBACK",
                    TransactionOperation::Release => "RELEASE",
                    _ => "COMMIT",
                }
            )),
            AuthAction::Savepoint { .. } => Some(
                "SAVEPOINT is not allowed inside a write job (use `litewrite tx savepoint`)".into(),
            ),
            _ => None,
        }
    }
}

/// The core policy alone.
pub fn core_policy() -> Policy {
    Policy {
        rules: vec![Box::new(CoreRule)],
    }
}
