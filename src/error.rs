//! Error kinds and their exit codes.
//!
//! Every failure the tool reports is an [`Error`]: a [`Kind`] that decides the
//! exit code (the table in SPEC.md), one sentence that names the thing at
//! fault, and an optional hint. `main` prints it once.

use std::fmt;

/// What went wrong, as the exit-code table in SPEC.md names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The database refused the write (constraint, SQL error), or an internal failure.
    Sql,
    /// Bad flags, unreadable input, bad config.
    Usage,
    /// A wrapper or a transaction's table lists refused it.
    Denied,
    /// Database, table, row, transaction, savepoint or group missing.
    NotFound,
    /// Already exists, savepoint exists, undo conflict.
    Conflict,
    /// Lock not acquired in time, too many open transactions.
    Busy,
    /// The transaction timed out and was rolled back.
    Expired,
}

impl Kind {
    /// The process exit code for this kind.
    pub fn exit_code(self) -> u8 {
        match self {
            Kind::Sql => 1,
            Kind::Usage => 2,
            Kind::Denied => 3,
            Kind::NotFound => 4,
            Kind::Conflict => 5,
            Kind::Busy => 6,
            Kind::Expired => 7,
        }
    }

    /// The kind with this name.
    pub fn from_name(name: &str) -> Option<Kind> {
        [
            Kind::Sql,
            Kind::Usage,
            Kind::Denied,
            Kind::NotFound,
            Kind::Conflict,
            Kind::Busy,
            Kind::Expired,
        ]
        .into_iter()
        .find(|k| k.name() == name)
    }

    /// The kind's name as printed in `--json` error objects.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Sql => "sql",
            Kind::Usage => "usage",
            Kind::Denied => "denied",
            Kind::NotFound => "not-found",
            Kind::Conflict => "conflict",
            Kind::Busy => "busy",
            Kind::Expired => "expired",
        }
    }
}

/// A failure with its kind, a message and an optional hint.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    pub kind: Kind,
    pub message: String,
    pub hint: Option<String>,
    /// Stdout was closed by the reader (`... | head`): a quiet success.
    pub broken_pipe: bool,
    /// Its `--json` error object was already printed (by a transaction holder).
    pub printed_json: bool,
    /// Facts the `--json` error object carries besides the message (what a
    /// `--batch-size` job committed before it failed).
    pub details: Option<Box<serde_json::Map<String, serde_json::Value>>>,
    /// SQLite's own result code, when SQLite reported the failure: code
    /// decisions look at it, never at the message text.
    pub sqlite: Option<rusqlite::ffi::Error>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: Kind, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
            hint: None,
            broken_pipe: false,
            printed_json: false,
            details: None,
            sqlite: None,
        }
    }
    pub fn sql(message: impl Into<String>) -> Error {
        Error::new(Kind::Sql, message)
    }
    pub fn usage(message: impl Into<String>) -> Error {
        Error::new(Kind::Usage, message)
    }
    pub fn denied(message: impl Into<String>) -> Error {
        Error::new(Kind::Denied, message)
    }
    pub fn not_found(message: impl Into<String>) -> Error {
        Error::new(Kind::NotFound, message)
    }
    pub fn conflict(message: impl Into<String>) -> Error {
        Error::new(Kind::Conflict, message)
    }
    pub fn busy(message: impl Into<String>) -> Error {
        Error::new(Kind::Busy, message)
    }
    pub fn expired(message: impl Into<String>) -> Error {
        Error::new(Kind::Expired, message)
    }

    /// Adds a hint, printed after the message (`...; use --alter to add it`).
    pub fn with_hint(mut self, hint: impl Into<String>) -> Error {
        self.hint = Some(hint.into());
        self
    }

    /// SQLite's primary result code, when SQLite reported the failure.
    pub fn sqlite_code(&self) -> Option<rusqlite::ErrorCode> {
        self.sqlite.map(|e| e.code)
    }

    /// SQLite's extended result code (e.g. `SQLITE_CONSTRAINT_FOREIGNKEY`).
    pub fn sqlite_extended_code(&self) -> Option<std::ffi::c_int> {
        self.sqlite.map(|e| e.extended_code)
    }

    /// Appends where the error happened, e.g. `(line 3)`, unless already there.
    pub fn at(mut self, position: &str) -> Error {
        if !position.is_empty() && !self.message.ends_with(')') {
            self.message = format!("{} ({position})", self.message);
        }
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "; {hint}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// Characters of SQL an error message quotes at most.
const QUOTED_SQL_CHARS: usize = 200;

/// SQL as error messages quote it: the first 200 characters, then "…".
pub fn shorten(sql: &str) -> String {
    match sql.char_indices().nth(QUOTED_SQL_CHARS) {
        Some((cut, _)) => format!("{}…", &sql[..cut]),
        None => sql.to_string(),
    }
}

/// SQL as an error at byte `offset` of it quotes it: like [`shorten`] when
/// the offset falls in the first characters quoted, else the text around
/// the offset (cut at both ends with "…"), so the quote shows where.
pub fn excerpt_at(sql: &str, offset: usize) -> String {
    let at = sql.floor_char_boundary(offset.min(sql.len()));
    if sql[..at].chars().count() < QUOTED_SQL_CHARS / 2 {
        return shorten(sql);
    }
    let before: Vec<(usize, char)> = sql[..at]
        .char_indices()
        .rev()
        .take(QUOTED_SQL_CHARS / 2)
        .collect();
    let start = before.last().map_or(at, |&(i, _)| i);
    let rest = &sql[start..];
    match rest.char_indices().nth(QUOTED_SQL_CHARS) {
        Some((cut, _)) => format!("…{}…", &rest[..cut]),
        None => format!("…{rest}"),
    }
}

impl From<rusqlite::Error> for Error {
    fn from(err: rusqlite::Error) -> Error {
        use rusqlite::ErrorCode;
        let kind = match err.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Kind::Busy,
            Some(ErrorCode::AuthorizationForStatementDenied) => Kind::Denied,
            Some(ErrorCode::CannotOpen) => Kind::NotFound,
            _ => Kind::Sql,
        };
        let message = match &err {
            rusqlite::Error::SqliteFailure(e, Some(msg)) if kind == Kind::Busy => {
                format!("database is busy: {msg} ({e})")
            }
            rusqlite::Error::SqliteFailure(_, Some(msg)) => msg.clone(),
            rusqlite::Error::SqlInputError {
                msg, sql, offset, ..
            } => {
                let at = usize::try_from(*offset).unwrap_or(0);
                format!("{msg} in SQL at offset {offset}: {}", excerpt_at(sql, at))
            }
            other => other.to_string(),
        };
        let mut e = Error::new(kind, message);
        e.sqlite = match &err {
            rusqlite::Error::SqliteFailure(code, _) => Some(*code),
            rusqlite::Error::SqlInputError { error, .. } => Some(*error),
            _ => None,
        };
        e
    }
}

impl From<std::io::Error> for Error {
    fn from(err: std::io::Error) -> Error {
        let mut e = Error::usage(err.to_string());
        e.broken_pipe = err.kind() == std::io::ErrorKind::BrokenPipe;
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_match_the_spec_table() {
        let all = [
            (Kind::Sql, 1, "sql"),
            (Kind::Usage, 2, "usage"),
            (Kind::Denied, 3, "denied"),
            (Kind::NotFound, 4, "not-found"),
            (Kind::Conflict, 5, "conflict"),
            (Kind::Busy, 6, "busy"),
            (Kind::Expired, 7, "expired"),
        ];
        for (kind, code, name) in all {
            assert_eq!(kind.exit_code(), code);
            assert_eq!(kind.name(), name);
        }
    }

    #[test]
    fn an_error_far_into_the_sql_quotes_the_text_around_it() {
        assert_eq!(excerpt_at("select 1 fromm x", 15), "select 1 fromm x");
        let long = format!("select {} fromm x, y", "1, ".repeat(500));
        let at = long.find(" x,").unwrap() + 1;
        let quoted = excerpt_at(&long, at);
        assert!(
            quoted.starts_with('…') && quoted.ends_with("fromm x, y"),
            "{quoted}"
        );
        assert_eq!(
            quoted.chars().count(),
            QUOTED_SQL_CHARS / 2 + "x, y".len() + 1
        );
        let wide = format!("select '{}' fromm x", "é".repeat(300));
        let at = wide.find(" x").unwrap() + 1;
        assert!(excerpt_at(&wide, at).contains("fromm x"));
        assert!(excerpt_at(&wide, at + 1000).ends_with("fromm x"));
    }

    #[test]
    fn quoted_sql_is_cut_short() {
        assert_eq!(shorten("select 1"), "select 1");
        let long = format!("select {}", "x, ".repeat(500));
        let short = shorten(&long);
        assert_eq!(short.chars().count(), QUOTED_SQL_CHARS + 1);
        assert!(short.ends_with('…'));
        assert_eq!(
            shorten(&"é".repeat(300)).chars().count(),
            QUOTED_SQL_CHARS + 1
        );
    }

    #[test]
    fn hint_and_position_are_appended() {
        let e = Error::usage("table \"users\" has no column \"agee\"")
            .at("line 3")
            .with_hint("use --alter to add it");
        assert_eq!(
            e.to_string(),
            "table \"users\" has no column \"agee\" (line 3); use --alter to add it"
        );
    }
}
