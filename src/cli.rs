//! The command-line definition (clap derive). Doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const AFTER_HELP: &str = "\
Exit codes: 0 ok, 1 sql, 2 usage, 3 denied, 4 not-found, 5 conflict, 6 busy, 7 expired.
Wrappers (audit log, authorizer, change groups) are configured in plugins.toml.";

/// Scripted, audited SQLite writes.
///
/// Every write is built as a write job and passes through the chain of
/// wrappers configured in plugins.toml before and after it touches the
/// database. One invocation is one transaction: all rows land or none do.
#[derive(Debug, Parser)]
#[command(name = "litewrite", version, after_help = AFTER_HELP, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options accepted by every command, before or after its name.
#[derive(Debug, Args, Clone, Default)]
pub struct GlobalArgs {
    /// The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml,
    /// $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Who is writing [default: $LITEWRITE_ACTOR, else the OS user name]
    #[arg(long, global = true, value_name = "NAME")]
    pub actor: Option<String>,
    /// A note for this write's change group and audit entries
    #[arg(short = 'm', long, global = true, value_name = "TEXT")]
    pub message: Option<String>,
    /// Run this command inside an open transaction (see `tx`)
    #[arg(long, global = true, env = "LITEWRITE_TX", value_name = "ID")]
    pub tx: Option<String>,
    /// Run the job and its wrappers, print the changes it would make, roll back
    #[arg(long, global = true)]
    pub dry_run: bool,
    /// Print a JSON result object on stdout (errors too)
    #[arg(long, global = true)]
    pub json: bool,
    /// Print less on stderr
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Print more detail on stderr
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Insert(InsertArgs),
    Upsert(UpsertArgs),
    Update(UpdateArgs),
    Delete(DeleteArgs),
    Create(CreateArgs),
    Drop(DropArgs),
    Query(QueryArgs),
    Schema(SchemaArgs),
    History(HistoryArgs),
    Show(ShowArgs),
    Undo(UndoArgs),
    Prune(PruneArgs),
    Audit(AuditArgs),
    Tx(TxArgs),
    Completions(CompletionsArgs),
    Man(ManArgs),
}

/// How rows are read from a file or stdin.
#[derive(Debug, Args, Clone, Default)]
pub struct InputArgs {
    /// Read newline-delimited JSON (one object per line)
    #[arg(long, conflicts_with_all = ["csv", "tsv"])]
    pub nl: bool,
    /// Read CSV with a header row
    #[arg(long, conflicts_with = "tsv")]
    pub csv: bool,
    /// Read TSV with a header row
    #[arg(long)]
    pub tsv: bool,
    /// Store nested objects as columns: {"a": {"b": 1}} becomes column a_b
    #[arg(long)]
    pub flatten: bool,
}

/// Schema options for a table created from the rows.
#[derive(Debug, Args, Clone, Default)]
pub struct SchemaOptionArgs {
    /// Primary key column of a new table (repeat for a compound key)
    #[arg(long, value_name = "COL")]
    pub pk: Vec<String>,
    /// Make this column of a new table NOT NULL (repeatable)
    #[arg(long, value_name = "COL")]
    pub not_null: Vec<String>,
    /// Default value of a column of a new table (repeatable)
    #[arg(long, value_name = "COL=VALUE")]
    pub default: Vec<String>,
    /// Type of a column of a new table: text, integer, real, float, blob, any (repeatable)
    #[arg(long = "type", value_name = "COL=TYPE")]
    pub types: Vec<String>,
}

/// Insert rows from JSON, NDJSON, CSV, TSV or the command line.
///
/// Rows come from FILE, from stdin (`-`, or no FILE when stdin is not a
/// terminal), or inline as COL=VALUE (text) and COL:=JSON (any JSON value).
/// A missing database or table is created, with column types inferred from
/// the rows.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  litewrite insert app.db users users.json
  cat events.ndjson | litewrite insert app.db events --nl
  litewrite insert app.db users name=alice age:=30 --pk id
  litewrite insert app.db prices prices.csv --type price=real --replace --pk sku")]
pub struct InsertArgs {
    /// Database file (created if missing)
    pub db: PathBuf,
    /// Table to insert into (created from the rows if missing)
    pub table: String,
    /// FILE or - for stdin, or inline COL=VALUE / COL:=JSON pairs forming one row
    #[arg(value_name = "FILE|COL=VALUE")]
    pub rows: Vec<String>,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub schema: SchemaOptionArgs,
    /// Add columns that the rows have and the table lacks
    #[arg(long)]
    pub alter: bool,
    /// Skip rows whose primary key already exists
    #[arg(long, conflicts_with = "replace")]
    pub ignore: bool,
    /// Replace rows whose primary key already exists
    #[arg(long)]
    pub replace: bool,
    /// Delete all rows of the table first (in the same transaction)
    #[arg(long)]
    pub truncate: bool,
    /// Commit every N rows instead of once (each batch its own change group)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub batch_size: Option<u64>,
}

/// Insert new rows and update existing ones by primary key.
///
/// Columns a row does not mention are left unchanged. Every row must hold
/// the primary key; a new table needs --pk.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  litewrite upsert app.db users users.json --pk id
  echo '{\"id\": 1, \"email\": \"a@example.com\"}' | litewrite upsert app.db users")]
pub struct UpsertArgs {
    /// Database file (created if missing)
    pub db: PathBuf,
    /// Table to upsert into (created from the rows if missing)
    pub table: String,
    /// FILE or - for stdin, or inline COL=VALUE / COL:=JSON pairs forming one row
    #[arg(value_name = "FILE|COL=VALUE")]
    pub rows: Vec<String>,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub schema: SchemaOptionArgs,
    /// Add columns that the rows have and the table lacks
    #[arg(long)]
    pub alter: bool,
    /// Commit every N rows instead of once (each batch its own change group)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub batch_size: Option<u64>,
}

/// Update one row by its primary key, the rows matching --where, or rows from stdin.
///
/// Arguments without `=` are key values in key-column order; COL=VALUE sets
/// text, COL:=JSON any JSON value. With `-`, each row read from stdin holds
/// its key plus the columns to change.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  litewrite update app.db users 42 email=new@example.com
  litewrite update app.db users --where 'age < :min' -p min 18 minor:=true
  echo '{\"id\": 42, \"name\": \"Bob\"}' | litewrite update app.db users -")]
pub struct UpdateArgs {
    /// Database file
    pub db: PathBuf,
    /// Table to update
    pub table: String,
    /// KEY values, COL=VALUE / COL:=JSON assignments, or - for rows on stdin
    #[arg(value_name = "KEY|COL=VALUE|-", allow_negative_numbers = true)]
    pub args: Vec<String>,
    /// Update all rows matching this SQL condition instead of one key
    #[arg(long = "where", value_name = "SQL")]
    pub where_sql: Option<String>,
    /// A named parameter for --where (:NAME in the SQL)
    #[arg(short = 'p', long = "param", num_args = 2, value_names = ["NAME", "VALUE"])]
    pub params: Vec<String>,
    /// Add columns that the assignments name and the table lacks
    #[arg(long)]
    pub alter: bool,
    #[command(flatten)]
    pub input: InputArgs,
}

/// Delete one row by its primary key, the rows matching --where, or keys from stdin.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  litewrite delete app.db users 42
  litewrite delete app.db events --where 'created < :cutoff' -p cutoff 2024-01-01
  litewrite delete app.db sessions --all")]
pub struct DeleteArgs {
    /// Database file
    pub db: PathBuf,
    /// Table to delete from
    pub table: String,
    /// KEY values in key-column order, or - for rows holding keys on stdin
    #[arg(value_name = "KEY|-", allow_negative_numbers = true)]
    pub keys: Vec<String>,
    /// Delete all rows matching this SQL condition
    #[arg(long = "where", value_name = "SQL", conflicts_with = "all")]
    pub where_sql: Option<String>,
    /// A named parameter for --where (:NAME in the SQL)
    #[arg(short = 'p', long = "param", num_args = 2, value_names = ["NAME", "VALUE"])]
    pub params: Vec<String>,
    /// Delete every row of the table
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub input: InputArgs,
}

/// Create a table.
///
/// Columns are given as COL:TYPE with TYPE one of text, integer, real
/// (alias float), blob, any.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  litewrite create app.db users id:integer name:text email:text --pk id --not-null name
  litewrite create app.db orders id:integer user_id:integer --pk id --fk user_id=users.id --strict")]
pub struct CreateArgs {
    /// Database file (created if missing)
    pub db: PathBuf,
    /// Table to create
    pub table: String,
    /// Columns as COL:TYPE
    #[arg(value_name = "COL:TYPE", required = true)]
    pub columns: Vec<String>,
    /// Primary key column (repeat for a compound key)
    #[arg(long, value_name = "COL")]
    pub pk: Vec<String>,
    /// Make this column NOT NULL (repeatable)
    #[arg(long, value_name = "COL")]
    pub not_null: Vec<String>,
    /// Default value of a column (repeatable)
    #[arg(long, value_name = "COL=VALUE")]
    pub default: Vec<String>,
    /// Foreign key: COL references TABLE.COL (repeatable)
    #[arg(long, value_name = "COL=TABLE.COL")]
    pub fk: Vec<String>,
    /// Create a STRICT table
    #[arg(long)]
    pub strict: bool,
    /// Keep an existing table of that name and succeed
    #[arg(long, conflicts_with = "replace")]
    pub ignore: bool,
    /// Drop an existing table of that name first
    #[arg(long)]
    pub replace: bool,
}

/// Drop a table.
#[derive(Debug, Args)]
#[command(after_help = "Example:
  litewrite drop app.db old_events --ignore")]
pub struct DropArgs {
    /// Database file
    pub db: PathBuf,
    /// Table to drop
    pub table: String,
    /// Succeed when the table does not exist
    #[arg(long)]
    pub ignore: bool,
}

/// Output formats for rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum OutputFormat {
    #[default]
    Json,
    Ndjson,
    Csv,
    Tsv,
    Table,
}

/// Run SQL and print the rows of the last statement that returns rows.
///
/// Read-only SQL runs on a read-only connection. SQL that writes runs as a
/// write job through the wrappers, in one transaction, and prints
/// [{"rows_affected": N}] unless a statement returns rows.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  litewrite query app.db 'select * from users where age > :age' -p age 30
  litewrite query app.db 'select name, count(*) from events group by 1' --format table
  echo 'update users set active = 0 where last_seen < date()' | litewrite query app.db -")]
pub struct QueryArgs {
    /// Database file (must exist)
    pub db: PathBuf,
    #[command(flatten)]
    pub run: SqlArgs,
}

/// SQL to run and how to print its rows (`query`, `tx exec`).
#[derive(Debug, Args, Clone)]
pub struct SqlArgs {
    /// SQL, one or more statements, or - to read it from stdin
    #[arg(allow_hyphen_values = true)]
    pub sql: String,
    /// A named parameter (:NAME in the SQL)
    #[arg(short = 'p', long = "param", num_args = 2, value_names = ["NAME", "VALUE"])]
    pub params: Vec<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = OutputFormat::Json)]
    pub format: OutputFormat,
    /// Interrupt the SQL when it runs longer than this many milliseconds
    #[arg(long, value_name = "MS")]
    pub time_limit: Option<u64>,
}

/// Show tables and views with columns, keys, foreign keys and indexes.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  litewrite schema app.db
  litewrite schema app.db users --json")]
pub struct SchemaArgs {
    /// Database file (must exist)
    pub db: PathBuf,
    /// Only this table or view
    pub table: Option<String>,
}

/// List change groups, newest first: id, time, actor, message, command, tables and row counts.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  litewrite history app.db --limit 10
  litewrite history app.db --table users --actor alice --json")]
pub struct HistoryArgs {
    /// Database file (must exist)
    pub db: PathBuf,
    /// Only groups that changed this table
    #[arg(long, value_name = "T")]
    pub table: Option<String>,
    /// Only groups made by this actor
    #[arg(long, value_name = "A")]
    pub actor: Option<String>,
    /// At most this many groups
    #[arg(long, value_name = "N")]
    pub limit: Option<u64>,
    /// Output format (--json means json)
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
}

/// Show a change group's row changes: table, operation, key, before and after values.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  litewrite show app.db 12
  litewrite show app.db 12 --format ndjson")]
pub struct ShowArgs {
    /// Database file (must exist)
    pub db: PathBuf,
    /// Change group id (see `history`)
    pub group: i64,
    /// Output format (--json means json)
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
}

/// Revert a change group, as a new recorded group.
///
/// A row changed since the group is a conflict (exit 5) and nothing is
/// reverted, unless --force.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  litewrite undo app.db 12
  litewrite undo app.db 12 --force -m 'restore after bad import'")]
pub struct UndoArgs {
    /// Database file (must exist)
    pub db: PathBuf,
    /// Change group id (see `history`)
    pub group: i64,
    /// Revert even rows changed since the group
    #[arg(long)]
    pub force: bool,
}

/// Delete old change groups, which can then no longer be undone.
///
/// With --audit, also delete the audit entries older than the groups kept;
/// a checkpoint in the log lets `audit verify` still verify what remains.
/// The space is reused by later writes (`sqlite3 DB vacuum` shrinks the file).
#[derive(Debug, Args)]
#[command(
    group(clap::ArgGroup::new("which").required(true).args(["before", "keep"])),
    after_help = "Examples:
  litewrite prune app.db --keep 100
  litewrite prune app.db --before 2026-01-01 --audit"
)]
pub struct PruneArgs {
    /// Database file (must exist)
    pub db: PathBuf,
    /// Delete the groups recorded before this time (RFC 3339, or a date)
    #[arg(long, value_name = "TIME")]
    pub before: Option<String>,
    /// Keep the newest N groups and delete the older ones
    #[arg(long, value_name = "N")]
    pub keep: Option<u64>,
    /// Also delete the audit entries older than the groups kept (with
    /// --keep: older than the oldest group kept)
    #[arg(long)]
    pub audit: bool,
}

/// Read the audit log (oldest first), or verify its hash chain.
#[derive(Debug, Args)]
#[command(
    args_conflicts_with_subcommands = true,
    after_help = "Examples:
  litewrite audit app.db --since 2026-11-01 --actor ci
  litewrite audit verify app.db"
)]
pub struct AuditArgs {
    #[command(subcommand)]
    pub action: Option<AuditAction>,
    /// Database file (must exist)
    pub db: Option<PathBuf>,
    /// Only entries at or after this time (RFC 3339, or a date)
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Only entries by this actor
    #[arg(long, value_name = "A")]
    pub actor: Option<String>,
    /// Only entries about this table
    #[arg(long, value_name = "T")]
    pub table: Option<String>,
    /// Only the newest N entries (still printed oldest first)
    #[arg(long, value_name = "N")]
    pub limit: Option<u64>,
    /// Output format (--json means json)
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
}

#[derive(Debug, Subcommand)]
pub enum AuditAction {
    /// Check the hash chain: any modified, deleted, inserted or reordered entry is reported and fails.
    Verify(VerifyArgs),
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Database file (must exist)
    pub db: PathBuf,
}

/// Transactions that span several invocations.
///
/// `begin` starts a background holder that keeps the transaction open and
/// prints its id; later commands reach it by id (`--tx ID` or LITEWRITE_TX
/// on any write command, or the tx subcommands) until commit, rollback or
/// the timeout.
#[derive(Debug, Args)]
#[command(after_help = "Example:
  TX=$(litewrite tx begin app.db --write users --timeout 30s)
  litewrite tx exec $TX \"insert into users (name) values (:name)\" -p name Alice
  litewrite insert --tx $TX app.db users more.ndjson
  litewrite tx commit $TX")]
pub struct TxArgs {
    #[command(subcommand)]
    pub command: TxCommand,
}

#[derive(Debug, Subcommand)]
pub enum TxCommand {
    /// Begin a transaction; prints only its id once it holds its locks
    Begin(TxBeginArgs),
    /// Run SQL in the transaction; prints rows like `query`
    Exec(TxExecArgs),
    /// Create a savepoint
    Savepoint(TxNameArgs),
    /// Release (forget) a savepoint, keeping its changes
    Release(TxNameArgs),
    /// Undo the changes since a savepoint (the savepoint stays)
    RollbackTo(TxNameArgs),
    /// Commit the transaction
    Commit(TxIdArgs),
    /// Roll the transaction back
    Rollback(TxIdArgs),
    /// List your open transactions
    List,
    /// Show a transaction's database, tables and time left
    Status(TxIdArgs),
}

#[derive(Debug, Args)]
pub struct TxBeginArgs {
    /// Database file (must exist)
    pub db: PathBuf,
    /// A table the transaction may read (repeatable)
    #[arg(long, value_name = "T")]
    pub read: Vec<String>,
    /// A table the transaction may write, and read (repeatable)
    #[arg(long, value_name = "T")]
    pub write: Vec<String>,
    /// Roll back when this much time passes (e.g. 30s, 5m, 1h)
    #[arg(long, value_name = "DURATION", default_value = "5m")]
    pub timeout: String,
}

#[derive(Debug, Args)]
pub struct TxExecArgs {
    /// Transaction id
    pub id: String,
    #[command(flatten)]
    pub run: SqlArgs,
}

#[derive(Debug, Args)]
pub struct TxNameArgs {
    /// Transaction id
    pub id: String,
    /// Savepoint name
    pub name: String,
}

#[derive(Debug, Args)]
pub struct TxIdArgs {
    /// Transaction id
    pub id: String,
}

/// The command line of a transaction holder (`litewrite __tx-holder ...`),
/// started by `tx begin`; kept out of the user-facing CLI.
#[derive(Debug, Parser)]
#[command(name = "litewrite __tx-holder")]
pub struct TxHolderArgs {
    #[command(flatten)]
    pub global: GlobalArgs,
    pub db: PathBuf,
    pub id: String,
    pub timeout_ms: u64,
    #[arg(long)]
    pub read: Vec<String>,
    #[arg(long)]
    pub write: Vec<String>,
}

/// Print a shell completion script.
#[derive(Debug, Args)]
#[command(after_help = "Example:
  litewrite completions bash > ~/.local/share/bash-completion/completions/litewrite")]
pub struct CompletionsArgs {
    /// The shell
    pub shell: clap_complete::Shell,
}

/// Print the man page (roff).
#[derive(Debug, Args)]
#[command(after_help = "Example:
  litewrite man | man -l -")]
pub struct ManArgs {}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_options_stand_before_or_after_the_command() {
        let a = Cli::try_parse_from(["litewrite", "--json", "drop", "db", "t"]).unwrap();
        let b = Cli::try_parse_from(["litewrite", "drop", "db", "t", "--json"]).unwrap();
        assert!(a.global.json && b.global.json);
    }
}
