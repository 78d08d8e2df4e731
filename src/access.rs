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

/// The OS user running litewrite: the name of the real uid in the user
/// database, else `uid:N`. This, not the `--actor` label, is who the
/// authorizer exempts and what every audit entry and change group records;
/// no flag or environment variable changes it.
pub fn os_user() -> &'static str {
    static USER: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    USER.get_or_init(|| {
        let uid = nix::unistd::Uid::current();
        match nix::unistd::User::from_uid(uid) {
            Ok(Some(user)) => user.name,
            // Not $USER: a variable the caller sets must not name the user.
            _ => format!("uid:{uid}"),
        }
    })
}

/// Prefix of the tool's own tables and temporary triggers.
pub const INTERNAL_PREFIX: &str = "_litewrite_";

/// True for the tables that hold the schema (`sqlite_master`, and its
/// other names and the temp schema's).
pub fn is_schema_table(name: &str) -> bool {
    [
        "sqlite_master",
        "sqlite_schema",
        "sqlite_temp_master",
        "sqlite_temp_schema",
    ]
    .iter()
    .any(|t| t.eq_ignore_ascii_case(name))
}

/// True for SQLite's statistics tables (`sqlite_stat1`, `sqlite_stat4`, ...).
pub fn is_stat_table(name: &str) -> bool {
    name.len() > 11 && name[..11].eq_ignore_ascii_case("sqlite_stat")
}

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

    /// A reason to refuse SQL text that names something the rule hides:
    /// asked for SQL that failed to compile (SQLite's compile errors, "no
    /// such column", would otherwise tell a hidden table's columns apart)
    /// and for a statement that creates a view or trigger (whose body SQLite
    /// checks only when it is used, and `PRAGMA table_info` of a view
    /// computes its columns without the authorizer).
    fn refuses_text(&self, _sql: &str) -> Option<String> {
        None
    }

    /// A reason to refuse the schema a statement left: `renamed_to` are the
    /// names an `ALTER TABLE ... RENAME TO` gave (the authorizer sees only
    /// the old name), `temp` the objects in the `temp` schema (a trigger
    /// named `temp.x` on a main table is authorized as an ordinary one).
    /// Asked after every statement that changed the schema.
    fn refuses_schema(&self, _renamed_to: &[String], _temp: &[String]) -> Option<String> {
        None
    }
}

/// The rules in force for a job's statements.
#[derive(Default)]
pub struct Policy {
    pub rules: Vec<Box<dyn Rule>>,
}

#[derive(Default)]
struct State {
    policy: Option<Policy>,
    /// The first refusal since the policy was set: *denied* by a rule, or
    /// *sql* for a write SQLite can not run ([`ShadowTrigger`]).
    denial: Option<Error>,
    /// Virtual tables no statement may write (see [`ShadowTrigger`]).
    unwritable: Vec<ShadowTrigger>,
    observed: Observed,
    /// An ANALYZE was allowed in the statement being run: when it has
    /// run, SQLite reloads the statistics it wrote, reading them itself.
    analyzing: bool,
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
    /// True for an `ALTER TABLE` that may give a table a new name (RENAME
    /// TO; ADD COLUMN looks the same to the authorizer): SQLite names only
    /// the old name, so the executor checks the schema after it.
    pub renames: bool,
    /// True for a statement that creates a view or trigger (main or temp):
    /// SQLite checks its body only when it is used, so the executor checks
    /// the text now ([`Authorizer::text_refusal`]).
    pub creates_code: bool,
    /// True while an `ALTER TABLE` is compiled: SQLite then reads and
    /// rewrites the schema text itself.
    altering: bool,
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
                match ctx.database_name {
                    Some(column) if database_name.eq_ignore_ascii_case("main") => self
                        .columns
                        .push((table_name.to_string(), column.to_string())),
                    Some(_) => {}
                    None => self.renames = true,
                }
                self.schema = true;
                self.altering = true;
            }
            AuthAction::CreateTrigger { .. }
            | AuthAction::CreateTempTrigger { .. }
            | AuthAction::CreateView { .. }
            | AuthAction::CreateTempView { .. } => {
                self.creates_code = true;
                self.schema = true;
            }
            AuthAction::CreateTable { .. }
            | AuthAction::CreateIndex { .. }
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
            if let Some(err) = ShadowTrigger::refusal(&st.unwritable, &ctx) {
                st.denial.get_or_insert(err);
                return Authorization::Deny;
            }
            let Some(policy) = &st.policy else {
                return Authorization::Allow;
            };
            // SQLite's own statements, which user SQL can not take part in:
            // those that rewrite the schema text of an ALTER TABLE being
            // compiled read it, and after an ANALYZE SQLite reloads the
            // statistics it wrote.
            if let AuthAction::Read { table_name, .. } = ctx.action {
                if (st.observed.altering && is_schema_table(table_name))
                    || (st.analyzing && is_stat_table(table_name))
                {
                    return Authorization::Allow;
                }
            }
            for rule in &policy.rules {
                if let Some(reason) = rule.check(&ctx) {
                    st.denial.get_or_insert(Error::denied(reason));
                    return Authorization::Deny;
                }
            }
            if let AuthAction::Analyze { .. } = ctx.action {
                st.analyzing = true;
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
        st.observed = Observed::default();
        st.analyzing = false;
    }

    /// A statement of the job is about to be prepared: forgets what the
    /// previous ones were noted doing.
    pub fn next_statement(&self) {
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        st.observed = Observed::default();
        st.analyzing = false;
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
        st.denial.clone()
    }

    /// The error of SQL that failed to compile: *denied* when a rule in
    /// force hides something it names (see [`Rule::refuses_text`]), else
    /// the error as it is.
    pub fn compile_error(&self, sql: &str, err: rusqlite::Error) -> Error {
        let err = Error::from(err);
        if err.message.contains("not authorized") {
            return err;
        }
        match self.text_refusal(sql) {
            Some(reason) => Error::denied(reason),
            None => err,
        }
    }

    /// Why a rule in force refuses this SQL text, if one does (see
    /// [`Rule::refuses_text`]).
    pub fn text_refusal(&self, sql: &str) -> Option<String> {
        let st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        st.policy
            .as_ref()
            .and_then(|p| p.rules.iter().find_map(|r| r.refuses_text(sql)))
    }

    /// A transaction has begun ([`crate::db::begin`]): reads the triggers
    /// on shadow tables now that no other connection can add one (one added
    /// while this one waited for the lock would make a write to its virtual
    /// table crash). Every write runs in such a transaction; until the
    /// first, none is known and none needs to be.
    pub fn begun(&self, conn: &Connection) -> Result<()> {
        let unwritable = self.trusted(|| ShadowTrigger::find(conn))?;
        self.state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .unwritable = unwritable;
        Ok(())
    }

    /// Why a rule in force refuses the schema a statement left, if one does
    /// (see [`Rule::refuses_schema`]).
    pub fn schema_refusal(&self, renamed_to: &[String], temp: &[String]) -> Option<String> {
        let st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        st.policy.as_ref().and_then(|p| {
            p.rules
                .iter()
                .find_map(|r| r.refuses_schema(renamed_to, temp))
        })
    }

    /// Turns SQLite's generic "not authorized" into *denied* with the rule's
    /// reason; other errors pass through.
    pub fn explain(&self, err: Error) -> Error {
        let mut st = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let reason = st.denial.take();
        let refused =
            err.sqlite_code() == Some(rusqlite::ErrorCode::AuthorizationForStatementDenied);
        match reason {
            Some(reason) if refused || err.kind == crate::error::Kind::Denied => reason,
            None if refused => Error::denied(format!("denied: {}", err.message)),
            _ => err,
        }
    }
}

/// A trigger on a shadow table of a virtual table (`sqlite-utils
/// enable-counts` run after `enable-fts` puts its count triggers on the FTS
/// shadow tables). SQLite (3.54) recurses until the stack overflows when a
/// statement writes such a virtual table: the module writes its shadow
/// table as a statement transaction begins, the trigger's statement begins
/// another, and so on. So no statement may write that virtual table,
/// whether it names it or a trigger it fires does (the authorizer sees
/// both); every other table of the database stays writable.
#[derive(Debug, Clone)]
struct ShadowTrigger {
    table: String,
    shadow: String,
    trigger: String,
}

impl ShadowTrigger {
    /// The triggers on shadow tables of `main`, with their virtual tables.
    /// One pass over the schema's rows; a database without triggers costs
    /// nothing more, one with triggers a look-up per trigger.
    fn find(conn: &Connection) -> Result<Vec<ShadowTrigger>> {
        let mut stmt = conn.prepare(
            "SELECT t.name, t.tbl_name FROM main.sqlite_master t
             WHERE t.type = 'trigger'
              AND (SELECT type FROM pragma_table_list(t.tbl_name) WHERE schema = 'main') = 'shadow'",
        )?;
        let mut found: Vec<(String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        // The first by name is the one an error names.
        found.sort();
        let mut out = Vec::new();
        for (trigger, shadow) in found {
            if let Some(table) = crate::capture::schema::shadow_owner(conn, &shadow)? {
                out.push(ShadowTrigger {
                    table,
                    shadow,
                    trigger,
                });
            }
        }
        Ok(out)
    }

    /// The error of a statement that writes one of `unwritable`.
    fn refusal(unwritable: &[ShadowTrigger], ctx: &AuthContext<'_>) -> Option<Error> {
        let table = match ctx.action {
            AuthAction::Insert { table_name }
            | AuthAction::Update { table_name, .. }
            | AuthAction::Delete { table_name } => table_name,
            _ => return None,
        };
        let found = unwritable
            .iter()
            .find(|u| u.table.eq_ignore_ascii_case(table))?;
        Some(
            Error::sql(format!(
                "can not write virtual table {}: trigger {} on its shadow table {} makes SQLite recurse until it crashes",
                crate::db::quote(&found.table),
                crate::db::quote(&found.trigger),
                crate::db::quote(&found.shadow)
            ))
            .with_hint(format!(
                "drop the triggers on its shadow tables (sqlite3 DB 'DROP TRIGGER {}'); `sqlite-utils enable-counts` adds them when run after `enable-fts`",
                crate::db::quote(&found.trigger)
            )),
        )
    }
}

/// The rules that hold whatever the configuration: user SQL can not write the
/// tool's own tables nor the schema table, can not end the job's
/// transaction behind the tool's back, and can set only the pragmas in
/// [`SETTABLE_PRAGMAS`]. (SQLite's defensive mode, on for every connection
/// litewrite opens, also blocks writes to shadow tables and `sqlite_dbpage`;
/// see [`crate::db`].)
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
            AuthAction::CreateVtable { table_name, .. } => {
                internal(table_name, "a virtual table named like")
            }
            AuthAction::Pragma {
                pragma_name,
                pragma_value,
            } => pragma_refusal(pragma_name, pragma_value),
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

/// The pragmas user SQL may set (`PRAGMA x = v` or `PRAGMA x(v)`). Writing
/// pragmas is an allow-list: litewrite owns the connection and database
/// settings (journal mode, synchronous, foreign keys, busy timeout, trigger
/// recursion, ...), and changing them from user SQL could let later writes
/// escape the wrappers (`query_only`, `recursive_triggers`,
/// `ignore_check_constraints`, `legacy_alter_table`), lose commits
/// (`synchronous`, `journal_mode`, `locking_mode`) or corrupt the file for
/// other connections (`schema_version`, `writable_schema`). What is allowed
/// changes nothing of that:
/// - `user_version`, `application_id`: numbers in the file header that
///   applications keep their own schema version in (migration tools set
///   `user_version`);
/// - `defer_foreign_keys`: checks this transaction's foreign keys at
///   commit, which a migration that rebuilds a table needs; the check
///   still happens before anything commits.
const SETTABLE_PRAGMAS: &[&str] = &["user_version", "application_id", "defer_foreign_keys"];

/// Pragmas whose argument says what to report on (a table, an index, a
/// number of errors): queries, not settings.
pub const QUERY_PRAGMAS: &[&str] = &[
    "table_info",
    "table_xinfo",
    "table_list",
    "index_info",
    "index_xinfo",
    "index_list",
    "foreign_key_list",
    "foreign_key_check",
    "integrity_check",
    "quick_check",
];

/// Pragmas that act on the file even without an argument: `optimize` runs
/// ANALYZE, `wal_checkpoint` and `incremental_vacuum` rewrite pages.
const ACTION_PRAGMAS: &[&str] = &["optimize", "wal_checkpoint", "incremental_vacuum"];

/// Why a pragma is refused, if it is: reading any pragma is allowed, setting
/// one only if it is in [`SETTABLE_PRAGMAS`].
fn pragma_refusal(name: &str, value: Option<&str>) -> Option<String> {
    let is = |list: &[&str]| list.iter().any(|p| p.eq_ignore_ascii_case(name));
    if is(ACTION_PRAGMAS) {
        return Some(format!(
            "PRAGMA {name} is not allowed: it changes the database file outside the write job's records"
        ));
    }
    if value.is_none() || is(SETTABLE_PRAGMAS) || is(QUERY_PRAGMAS) {
        return None;
    }
    Some(format!(
        "setting PRAGMA {name} is not allowed: litewrite owns the connection and database settings (user SQL may set only {})",
        SETTABLE_PRAGMAS.join(", ")
    ))
}

/// The core policy alone.
pub fn core_policy() -> Policy {
    Policy {
        rules: vec![Box::new(CoreRule)],
    }
}
