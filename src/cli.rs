//! The command-line definition (clap derive). Doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const AFTER_HELP: &str = "\
Exit codes: 0 ok, 1 sql, 2 usage, 3 denied, 4 not-found, 5 conflict, 6 busy, 7 expired.

Environment:
  LITEWRITE_CONFIG           the plugins.toml to use (when --config is not given)
  LITEWRITE_ACTOR            who is writing, a label (when --actor is not given)
  LITEWRITE_TX               the open transaction to join (when --tx is not given)
  LITEWRITE_BUSY_TIMEOUT_MS  how long a write waits for the database lock [default: 30000]
  XDG_CONFIG_HOME            plugins.toml is also looked for in $XDG_CONFIG_HOME/litewrite/
                             (default ~/.config)
  XDG_RUNTIME_DIR            where transaction holders keep their sockets
                             (else $XDG_CACHE_HOME/litewrite/tx, default ~/.cache)

Wrappers (audit log, authorizer, change groups) are configured in plugins.toml;
`litewrite config` shows which file applies. Man pages: `litewrite man --dir DIR`.";

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

/// Options accepted before or after the command name. A command they do
/// nothing for leaves them out of its help and refuses them (see
/// [`unused_globals`]).
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// The plugins.toml to use [default: $LITEWRITE_CONFIG, ./plugins.toml,
    /// $XDG_CONFIG_HOME/litewrite/plugins.toml, else audit-log + change-group]
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Who is writing: a label for the records, not a credential (the
    /// authorizer exempts OS users) [default: $LITEWRITE_ACTOR, else the OS
    /// user name]
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
    Config(ConfigArgs),
    Completions(CompletionsArgs),
    Man(ManArgs),
}

/// The global options that do nothing for a command (given as the path of
/// subcommand names): left out of its help and man page, and a usage error
/// when given on its command line.
pub fn unused_globals(path: &[&str]) -> &'static [&'static str] {
    match path.first().copied() {
        Some("completions" | "man") => &["config", "actor", "message", "tx", "dry_run", "json"],
        Some("config" | "schema" | "show") => &["actor", "message", "tx", "dry_run"],
        // Their own --actor filters by actor.
        Some("history" | "audit") => &["message", "tx", "dry_run"],
        Some("tx") => &["tx", "dry_run"],
        _ => &[],
    }
}

/// The command-line definition as shown to users: [`Cli`] with the global
/// options hidden on the commands they do nothing for.
pub fn command() -> clap::Command {
    fn hide(cmd: clap::Command, path: &mut Vec<String>) -> clap::Command {
        let names: Vec<String> = cmd
            .get_subcommands()
            .map(|c| c.get_name().to_string())
            .collect();
        let mut cmd = cmd;
        for name in names {
            path.push(name.clone());
            cmd = cmd.mut_subcommand(&name, |sub| {
                let refs: Vec<&str> = path.iter().map(String::as_str).collect();
                let unused = unused_globals(&refs);
                // In place: the built command's argument index stays valid.
                let sub = sub.mut_args(|a| {
                    if a.is_global_set() && unused.contains(&a.get_id().as_str()) {
                        a.hide(true)
                    } else {
                        a
                    }
                });
                hide(sub, path)
            });
            path.pop();
        }
        cmd
    }
    let mut cmd = <Cli as clap::CommandFactory>::command();
    cmd.build();
    hide(cmd, &mut Vec::new())
}

/// Parses a command line (program name first): [`command`]'s rules, then
/// the refusal of global options given to a command they do nothing for.
pub fn parse_from<I, T>(args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    use clap::parser::ValueSource;
    use clap::FromArgMatches;
    let args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
    // A command line that parses needs neither the hidden marks (they only
    // change help text) nor every subcommand built ([`command`] builds all
    // of them): parsing with the bare definition builds only the root and
    // the subcommand given, a third of [`command`]'s cost, paid by every
    // invocation. Help, version and errors are made by [`command`], so
    // users see the command as documented.
    let matches = match <Cli as clap::CommandFactory>::command().try_get_matches_from(&args) {
        Ok(m) => m,
        Err(_) => command().try_get_matches_from_mut(&args)?,
    };
    let mut path: Vec<&str> = Vec::new();
    let mut m = &matches;
    while let Some((name, sub)) = m.subcommand() {
        path.push(name);
        m = sub;
    }
    for id in unused_globals(&path) {
        if m.value_source(id) == Some(ValueSource::CommandLine) {
            let flag = format!("--{}", id.replace('_', "-"));
            return Err(command().error(
                clap::error::ErrorKind::ArgumentConflict,
                format!("{flag} does nothing for `litewrite {}`", path.join(" ")),
            ));
        }
    }
    let mut cli = Cli::from_arg_matches(&matches)?;
    // COL=VALUE or COL VALUE: the occurrences tell which.
    let pairs = |id: &str| {
        let occurrences: Vec<Vec<String>> = m
            .get_occurrences::<String>(id)
            .map(|o| o.map(|v| v.cloned().collect()).collect())
            .unwrap_or_default();
        col_value_pairs(&occurrences)
    };
    match &mut cli.command {
        Command::Insert(InsertArgs { schema, rows, .. })
        | Command::Upsert(UpsertArgs { schema, rows, .. }) => {
            let (default, more) = pairs("default_args");
            let (types, more_too) = pairs("types_args");
            schema.default = default;
            schema.types = types;
            rows.extend(more.into_iter().chain(more_too));
        }
        Command::Create(a) => {
            let (default, more) = pairs("default_args");
            a.default = default;
            a.columns.extend(more);
        }
        _ => {}
    }
    Ok(cli)
}

/// The input's format and, for CSV/TSV, its dialect (insert, upsert, update, delete).
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Input format")]
pub struct FormatArgs {
    /// Read newline-delimited JSON (one object per line)
    #[arg(long, conflicts_with_all = ["csv", "tsv"])]
    pub nl: bool,
    /// Read CSV with a header row (also from a .csv file name)
    #[arg(short = 'c', long, conflicts_with = "tsv")]
    pub csv: bool,
    /// Read TSV with a header row (also from a .tsv file name)
    #[arg(long)]
    pub tsv: bool,
    /// CSV/TSV field delimiter, e.g. ';' or '\t' (implies --csv unless --tsv)
    #[arg(long, value_name = "C", conflicts_with = "nl")]
    pub delimiter: Option<String>,
    /// CSV/TSV quote character [default: "] (implies --csv unless --tsv)
    #[arg(long, value_name = "C", conflicts_with = "nl")]
    pub quotechar: Option<String>,
    /// Detect the CSV delimiter and quote character (implies --csv unless --tsv)
    #[arg(long, conflicts_with = "nl")]
    pub sniff: bool,
    /// The CSV/TSV has no header row: columns are untitled_1, untitled_2, ... (implies --csv unless --tsv)
    #[arg(long, conflicts_with = "nl")]
    pub no_headers: bool,
    /// The input's character encoding, e.g. latin-1, cp1252, utf-16 [default: utf-8]
    #[arg(long, value_name = "ENC")]
    pub encoding: Option<String>,
}

/// How rows are read for insert and upsert.
#[derive(Debug, Args, Clone, Default)]
pub struct InputArgs {
    #[command(flatten)]
    pub format: FormatArgs,
    /// Store nested objects as columns: {"a": {"b": 1}} becomes column a_b
    #[arg(long, help_heading = "Input format")]
    pub flatten: bool,
    /// Each line of the input is a row with one column, "line"
    #[arg(long, help_heading = "Input format", conflicts_with_all = ["nl", "csv", "tsv", "text", "flatten"])]
    pub lines: bool,
    /// The whole input is one row with one column, "text"
    #[arg(long, help_heading = "Input format", conflicts_with_all = ["nl", "csv", "tsv", "flatten"])]
    pub text: bool,
    /// CSV/TSV: empty cells become NULL (else '' in a text column)
    #[arg(long, help_heading = "Input format")]
    pub empty_null: bool,
    /// CSV/TSV: create every new column as TEXT instead of detecting numbers
    #[arg(long, help_heading = "Input format", overrides_with = "detect_types")]
    pub no_detect_types: bool,
    /// CSV/TSV: detect numbers (the default; sqlite-utils' spelling)
    #[arg(
        short = 'd',
        long,
        help_heading = "Input format",
        overrides_with = "no_detect_types"
    )]
    pub detect_types: bool,
    /// Read at most N rows
    #[arg(long, value_name = "N", help_heading = "Input format", value_parser = clap::value_parser!(u64).range(1..))]
    pub stop_after: Option<u64>,
}

/// Schema options for a table created from the rows.
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "New table")]
pub struct SchemaOptionArgs {
    /// Primary key column of a new table (repeat for a compound key)
    #[arg(long, value_name = "COL")]
    pub pk: Vec<String>,
    /// Make this column of a new table NOT NULL (repeatable)
    #[arg(long, value_name = "COL")]
    pub not_null: Vec<String>,
    /// Default value of a column of a new table: COL=VALUE, or COL VALUE as
    /// sqlite-utils spells it (repeatable)
    #[arg(long = "default", value_name = "COL=VALUE", num_args = 1..=2, action = clap::ArgAction::Append)]
    pub default_args: Vec<String>,
    /// Type of a column of a new table: COL=TYPE, or COL TYPE as sqlite-utils
    /// spells it; TYPE is text, integer, real, float, blob or any (repeatable)
    #[arg(long = "type", value_name = "COL=TYPE", num_args = 1..=2, action = clap::ArgAction::Append)]
    pub types_args: Vec<String>,
    /// --default as COL=VALUE pairs (filled by [`parse_from`]).
    #[arg(skip)]
    pub default: Vec<String>,
    /// --type as COL=TYPE pairs (filled by [`parse_from`]).
    #[arg(skip)]
    pub types: Vec<String>,
}

/// Reads an option given as `COL=VALUE` or, as sqlite-utils spells it, as
/// two values `COL VALUE`: returns the `COL=VALUE` forms, and the values
/// that are not part of the option. The spelling is told by the first
/// value: with `=` it is the whole pair, so a second value clap took along
/// belongs to the command's positional arguments (`--default a=1 rows.json`).
pub fn col_value_pairs(occurrences: &[Vec<String>]) -> (Vec<String>, Vec<String>) {
    let mut pairs = Vec::new();
    let mut rest = Vec::new();
    for occ in occurrences {
        match occ.as_slice() {
            [one] => pairs.push(one.clone()),
            [first, second] if first.contains('=') => {
                pairs.push(first.clone());
                rest.push(second.clone());
            }
            [col, value] => pairs.push(format!("{col}={value}")),
            _ => {}
        }
    }
    (pairs, rest)
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
    #[command(flatten)]
    pub schema: SchemaOptionArgs,
    #[command(flatten)]
    pub input: InputArgs,
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
    /// Add columns that the rows have and the table lacks
    #[arg(long)]
    pub alter: bool,
    /// Commit every N rows instead of once (each batch its own change group)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub batch_size: Option<u64>,
    #[command(flatten)]
    pub schema: SchemaOptionArgs,
    #[command(flatten)]
    pub input: InputArgs,
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
    /// Update all rows matching this SQL condition instead of one key. It
    /// must be one expression: it is checked to stay inside the parentheses
    /// it is put in (no unbalanced ")", no ";")
    #[arg(long = "where", value_name = "SQL")]
    pub where_sql: Option<String>,
    /// A named parameter for --where (:NAME in the SQL)
    #[arg(short = 'p', long = "param", num_args = 2, allow_hyphen_values = true, value_names = ["NAME", "VALUE"])]
    pub params: Vec<String>,
    /// Add columns that the assignments name and the table lacks
    #[arg(long)]
    pub alter: bool,
    #[command(flatten)]
    pub format: FormatArgs,
    /// Store nested objects as columns: {"a": {"b": 1}} becomes column a_b
    #[arg(long, help_heading = "Input format")]
    pub flatten: bool,
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
    /// Delete all rows matching this SQL condition. It must be one
    /// expression: it is checked to stay inside the parentheses it is put in
    /// (no unbalanced ")", no ";")
    #[arg(long = "where", value_name = "SQL", conflicts_with = "all")]
    pub where_sql: Option<String>,
    /// A named parameter for --where (:NAME in the SQL)
    #[arg(short = 'p', long = "param", num_args = 2, allow_hyphen_values = true, value_names = ["NAME", "VALUE"])]
    pub params: Vec<String>,
    /// Delete every row of the table
    #[arg(long)]
    pub all: bool,
    #[command(flatten)]
    pub format: FormatArgs,
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
    /// Default value of a column: COL=VALUE, or COL VALUE as sqlite-utils
    /// spells it (repeatable)
    #[arg(long = "default", value_name = "COL=VALUE", num_args = 1..=2, action = clap::ArgAction::Append)]
    pub default_args: Vec<String>,
    /// --default as COL=VALUE pairs (filled by [`parse_from`]).
    #[arg(skip)]
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
    /// The first column of the first row, as it is (`query --raw`).
    #[value(skip)]
    Raw,
    /// The first column of each row, one per line (`query --raw-lines`).
    #[value(skip)]
    RawLines,
    /// One `--json` result object holding the columns and the rows.
    #[value(skip)]
    JsonResult,
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
    /// A named parameter (:NAME in the SQL), bound as text
    #[arg(short = 'p', long = "param", num_args = 2, allow_hyphen_values = true, value_names = ["NAME", "VALUE"])]
    pub params: Vec<String>,
    /// A named parameter given as JSON and bound with its type: 30 an
    /// integer, 2.5 a real, null NULL, true 1, "x" text, [..] or {..} JSON
    /// text, {"$base64": true, "encoded": ".."} a BLOB
    #[arg(short = 'j', long = "param-json", num_args = 2, allow_hyphen_values = true, value_names = ["NAME", "JSON"])]
    pub json_params: Vec<String>,
    /// Interrupt the SQL when it runs longer than this many milliseconds
    #[arg(long, value_name = "MS")]
    pub time_limit: Option<u64>,
    #[command(flatten)]
    pub output: QueryOutputArgs,
}

/// How `query` prints rows; the spellings sqlite-utils uses work too.
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Output", group = clap::ArgGroup::new("shape").multiple(false))]
pub struct QueryOutputArgs {
    /// Output format [default: json]
    #[arg(long, value_enum, group = "shape")]
    pub format: Option<OutputFormat>,
    /// CSV with a header row (--format csv)
    #[arg(long, group = "shape")]
    pub csv: bool,
    /// TSV with a header row (--format tsv)
    #[arg(long, group = "shape")]
    pub tsv: bool,
    /// Newline-delimited JSON, one row per line (--format ndjson)
    #[arg(long, group = "shape")]
    pub nl: bool,
    /// A table for the terminal (--format table)
    #[arg(short = 't', long, group = "shape")]
    pub table: bool,
    /// Table style (implies --table)
    #[arg(long, value_enum, value_name = "STYLE")]
    pub fmt: Option<TableStyle>,
    /// JSON rows as arrays of values instead of objects
    #[arg(long)]
    pub arrays: bool,
    /// CSV, TSV and tables without the header row
    #[arg(long)]
    pub no_headers: bool,
    /// Only the first column of the first row, as it is (text unquoted, BLOB bytes)
    #[arg(long, group = "shape")]
    pub raw: bool,
    /// Only the first column of each row, one per line, as it is
    #[arg(long, group = "shape")]
    pub raw_lines: bool,
    /// Print text cells that hold JSON as JSON, not as strings
    #[arg(long)]
    pub json_cols: bool,
}

/// Table styles for `--fmt` (the names sqlite-utils' tabulate uses where they match).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum TableStyle {
    /// Box-drawing lines (the default)
    #[default]
    Utf8,
    /// Markdown, as GitHub renders it
    #[value(alias = "markdown", alias = "pipe")]
    Github,
    /// ASCII lines around every cell
    Grid,
    /// Box-drawing lines around every cell
    #[value(alias = "fancy_grid")]
    FancyGrid,
    /// Rounded box-drawing corners
    Rounded,
    /// ASCII header rule and outer border, as psql prints
    Psql,
    /// A rule under the header only
    Simple,
    /// No lines at all
    Plain,
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
///
/// The terminal table shows an update as the columns it changed, old → new,
/// and fits the terminal's width ($COLUMNS), cutting long rows with an
/// ellipsis; --json and the other formats print the whole rows.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  litewrite show app.db 12
  COLUMNS=120 litewrite show app.db 12
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
/// While the authorizer protects or hides tables, only its allow-users may
/// prune: the records are how everyone's writes are traced.
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

/// Read the audit log (oldest first), verify its hash chain, or print its head.
///
/// The terminal table holds one entry a line and fits the terminal's width
/// ($COLUMNS), cutting long SQL with an ellipsis; --json prints every entry
/// whole.
#[derive(Debug, Args)]
#[command(
    args_conflicts_with_subcommands = true,
    after_help = "Examples:
  litewrite audit app.db --since 2026-11-01 --actor ci
  litewrite audit verify app.db
  litewrite audit head app.db > audit-head.json        # keep it outside the database
  litewrite audit verify app.db --head \"$(cat audit-head.json)\""
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
    /// Print the chain's last entry as {"id": N, "hash": "..."}, to keep outside the database.
    ///
    /// The chain is verified first: a broken chain has no head worth keeping.
    /// Keep the head somewhere the database's writers can not change (a CI
    /// artifact, a git commit); `audit verify --head` then detects a
    /// truncated or rewritten chain.
    Head(HeadArgs),
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  litewrite audit verify app.db
  litewrite audit verify app.db --head \"$(cat audit-head.json)\"
  litewrite audit verify app.db --file")]
pub struct VerifyArgs {
    /// Database file (must exist)
    pub db: PathBuf,
    /// Also fail unless this entry is still in the chain: the hash (or the
    /// JSON object) `audit head` printed earlier. Detects a truncated or
    /// rewritten chain.
    #[arg(long, value_name = "HASH")]
    pub head: Option<String>,
    /// Also cross-check the JSON lines of the audit file sink against the
    /// table: the file plugins.toml names, or PATH
    #[arg(long, value_name = "PATH", num_args = 0..=1)]
    pub file: Option<Option<PathBuf>>,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  litewrite audit head app.db > audit-head.json
  litewrite audit verify app.db --head \"$(cat audit-head.json)\" && litewrite audit head app.db > audit-head.json")]
pub struct HeadArgs {
    /// Database file (must exist)
    pub db: PathBuf,
}

/// Transactions that span several invocations.
///
/// `begin` starts a background holder that keeps the transaction open and
/// prints its id; later commands reach it by id (`--tx ID` or LITEWRITE_TX
/// on any write command, or the tx subcommands) until commit, rollback or
/// the timeout. Every command in it runs with the plugins.toml `begin`
/// found, wherever it is run from.
///
/// A transaction that ends without a commit is rolled back, and every later
/// command on it (commit included) fails with exit 7 and the cause: the
/// timeout passed (however quiet a client is), SQLite itself ended it (a
/// trigger's RAISE(ROLLBACK), INSERT OR ROLLBACK, an ON CONFLICT ROLLBACK
/// constraint, a full disk: the command that hit it says so), or its
/// holder died.
#[derive(Debug, Args)]
#[command(after_help = "Example:
  TX=$(litewrite tx begin app.db --write users --timeout 30s -m \"import\")
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
    ///
    /// With --read/--write/--create lists, statements may only read the
    /// listed tables and write the --write and --create ones. Listed tables
    /// must exist (a misspelt name is exit 4, not found); a table the
    /// transaction will create is given with --create (it must not exist
    /// yet), or matched by a --write pattern. -m is the message of the
    /// transaction's change group.
    #[command(after_help = "Examples:
  TX=$(litewrite tx begin app.db --write users --read teams --timeout 2m)
  TX=$(litewrite tx begin app.db --read reports)      # BEGIN DEFERRED: a consistent read
  TX=$(litewrite tx begin app.db --write users --create users_new -m \"rebuild users\")")]
    Begin(TxBeginArgs),
    /// Run SQL in the transaction; prints rows like `query`
    #[command(after_help = "Examples:
  litewrite tx exec $TX \"insert into users (name) values (:name)\" -p name Alice
  litewrite tx exec $TX \"update users set age = :age where id = :id\" -j age 42 -j id 7
  litewrite tx exec $TX \"select count(*) from users\" --raw")]
    Exec(TxExecArgs),
    /// Create a savepoint
    #[command(after_help = "Example:
  litewrite tx savepoint $TX before_cleanup")]
    Savepoint(TxNameArgs),
    /// Release (forget) a savepoint, keeping its changes
    #[command(after_help = "Example:
  litewrite tx release $TX before_cleanup    # keep the changes, forget the savepoint")]
    Release(TxNameArgs),
    /// Undo the changes since a savepoint (the savepoint stays)
    #[command(after_help = "Example:
  litewrite tx rollback-to $TX before_cleanup    # undo the changes since it")]
    RollbackTo(TxNameArgs),
    /// Commit the transaction
    #[command(after_help = "Example:
  litewrite tx commit $TX    # one change group for the whole transaction")]
    Commit(TxIdArgs),
    /// Roll the transaction back
    #[command(after_help = "Example:
  litewrite tx rollback $TX")]
    Rollback(TxIdArgs),
    /// List your open transactions
    #[command(after_help = "Examples:
  litewrite tx list
  litewrite tx list --json")]
    List,
    /// Show a transaction's database, tables and time left
    #[command(after_help = "Example:
  litewrite tx status $TX --json")]
    Status(TxIdArgs),
}

#[derive(Debug, Args)]
pub struct TxBeginArgs {
    /// Database file (must exist)
    pub db: PathBuf,
    /// A table the transaction may read (repeatable; it must exist)
    #[arg(long, value_name = "T")]
    pub read: Vec<String>,
    /// A table the transaction may write, and read (repeatable; it must
    /// exist: a name that does not is a typo, exit 4). A pattern
    /// (`staging_*`) may also match tables created later
    #[arg(long, value_name = "T")]
    pub write: Vec<String>,
    /// A table the transaction may create, then write and read (repeatable;
    /// it must not exist yet)
    #[arg(long, value_name = "T")]
    pub create: Vec<String>,
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
    /// The plugins.toml `tx begin` found (none: the built-in default).
    #[arg(long)]
    pub config_file: Option<PathBuf>,
    #[arg(long)]
    pub actor: String,
    /// `tx begin -m`.
    #[arg(long)]
    pub message: Option<String>,
    #[arg(long)]
    pub busy_timeout_ms: u64,
    pub db: PathBuf,
    pub id: String,
    pub timeout_ms: u64,
    #[arg(long)]
    pub read: Vec<String>,
    #[arg(long)]
    pub write: Vec<String>,
    #[arg(long)]
    pub create: Vec<String>,
}

/// Print a shell completion script.
#[derive(Debug, Args)]
#[command(after_help = "Example:
  litewrite completions bash > ~/.local/share/bash-completion/completions/litewrite")]
pub struct CompletionsArgs {
    /// The shell
    pub shell: clap_complete::Shell,
}

/// Print a man page (roff), or write them all to a directory.
///
/// Every command has its page: litewrite(1), litewrite-insert(1), ...,
/// litewrite-tx-begin(1). With --dir they are written as files (litewrite.1,
/// litewrite-insert.1, ...) to install, e.g. into ~/.local/share/man/man1.
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  litewrite man | man -l -
  litewrite man insert | man -l -
  litewrite man tx-begin | man -l -
  litewrite man --dir ~/.local/share/man/man1")]
pub struct ManArgs {
    /// The command whose page to print (insert, tx-begin, ...) [default: litewrite(1)]
    #[arg(value_name = "COMMAND", conflicts_with = "dir")]
    pub page: Option<String>,
    /// Write every page as a file into this directory (created if missing)
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// Show the configuration in effect: the wrapper chain and the file it came from.
///
/// The file is found as every command finds it: --config, $LITEWRITE_CONFIG,
/// ./plugins.toml, $XDG_CONFIG_HOME/litewrite/plugins.toml, else the
/// built-in default (audit-log, then change-group).
#[derive(Debug, Args)]
#[command(after_help = "Examples:
  litewrite config
  litewrite config --json
  litewrite --config ci/plugins.toml config")]
pub struct ConfigArgs {}

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
