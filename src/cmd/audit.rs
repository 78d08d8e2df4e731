//! `audit`: read the audit log, or verify its hash chain.

use std::io::Write as _;

use serde_json::{json, Value as Json};

use crate::cli::{AuditAction, AuditArgs, OutputFormat};
use crate::db;
use crate::error::{Error, Result};
use crate::output;
use crate::session::Session;
use crate::store;
use crate::wrappers::audit_log;

const COLUMNS: &[&str] = &[
    "id", "time", "event", "actor", "table", "rows", "outcome", "error", "group", "message", "sql",
];

pub fn run(s: &Session, a: AuditArgs) -> Result<Option<Json>> {
    if let Some(AuditAction::Verify(v)) = a.action {
        return verify(s, &v.db);
    }
    let Some(path) = a.db else {
        return Err(Error::usage(
            "audit needs a DB: litewrite audit DB, or litewrite audit verify DB",
        ));
    };
    let since = a
        .since
        .as_deref()
        .map(|t| normalize_time("--since", t))
        .transpose()?;
    let conn = db::open_read(&path, s.busy_timeout())?;
    let mut entries = Vec::new();
    if store::check_readable(&conn)? {
        let mut stmt = conn.prepare(
            "SELECT * FROM (
               SELECT id, time, event, actor, message, database, tbl, rows, keys, sql, params, outcome, error, group_id, tx, hash
               FROM _litewrite_audit
               WHERE (?1 IS NULL OR time >= ?1) AND (?2 IS NULL OR actor = ?2) AND (?3 IS NULL OR tbl = ?3 COLLATE NOCASE)
               ORDER BY id DESC LIMIT ?4)
             ORDER BY id",
        )?;
        let limit = a.limit.map(|l| l as i64).unwrap_or(-1);
        let parse =
            |s: Option<String>| s.map(|s| serde_json::from_str(&s).unwrap_or(Json::String(s)));
        let rows = stmt.query_map(rusqlite::params![since, a.actor, a.table, limit], |r| {
            Ok(json!({
                "id": r.get::<_, i64>(0)?,
                "time": r.get::<_, String>(1)?,
                "event": r.get::<_, String>(2)?,
                "actor": r.get::<_, String>(3)?,
                "message": r.get::<_, Option<String>>(4)?,
                "database": r.get::<_, Option<String>>(5)?,
                "table": r.get::<_, Option<String>>(6)?,
                "rows": r.get::<_, Option<i64>>(7)?,
                "keys": parse(r.get(8)?),
                "sql": r.get::<_, Option<String>>(9)?,
                "params": parse(r.get(10)?),
                "outcome": r.get::<_, String>(11)?,
                "error": r.get::<_, Option<String>>(12)?,
                "group": r.get::<_, Option<i64>>(13)?,
                "tx": r.get::<_, Option<String>>(14)?,
                "hash": r.get::<_, String>(15)?,
            }))
        })?;
        for r in rows {
            entries.push(r?);
        }
    }
    output::print_objects(
        &mut s.stdout(),
        COLUMNS,
        &entries,
        if s.flags.json {
            OutputFormat::Json
        } else {
            a.format
        },
    )?;
    Ok(None)
}

/// RFC 3339 or a plain date, as the UTC form the log stores, for comparing;
/// `flag` names the option in the error.
pub fn normalize_time(flag: &str, text: &str) -> Result<String> {
    use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Ok(t
            .with_timezone(&Utc)
            .to_rfc3339_opts(SecondsFormat::Micros, true));
    }
    if let Ok(d) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        let t = d.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc();
        return Ok(t.to_rfc3339_opts(SecondsFormat::Micros, true));
    }
    Err(Error::usage(format!(
        "{flag} {text:?} is not a time; use RFC 3339 (2026-11-22T10:00:00Z) or a date (2026-11-22)"
    )))
}

fn verify(s: &Session, path: &std::path::Path) -> Result<Option<Json>> {
    let conn = db::open_read(path, s.busy_timeout())?;
    let (count, problems) = if store::check_readable(&conn)? {
        audit_log::verify(&conn)?
    } else {
        (0, Vec::new())
    };
    if problems.is_empty() {
        if !s.flags.json && !s.flags.quiet {
            let mut out = s.stdout();
            writeln!(out, "audit log OK: {count} entries, hash chain intact")?;
            out.flush()?;
        }
        return Ok(Some(
            json!({"ok": true, "command": "audit verify", "entries": count, "problems": []}),
        ));
    }
    let list: Vec<String> = problems
        .iter()
        .map(|p| format!("entry {}: {}", p.id, p.what))
        .collect();
    if !s.flags.json {
        let mut out = s.stdout();
        for l in &list {
            writeln!(out, "{l}")?;
        }
        out.flush()?;
    }
    Err(Error::sql(format!(
        "audit log verification failed: {} problem(s) in {count} entries: {}",
        problems.len(),
        list.join("; ")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_accepts_dates_and_times() {
        assert_eq!(
            normalize_time("--since", "2026-11-22").unwrap(),
            "2026-11-22T00:00:00.000000Z"
        );
        assert_eq!(
            normalize_time("--since", "2026-11-22T10:00:00+01:00").unwrap(),
            "2026-11-22T09:00:00.000000Z"
        );
        assert!(normalize_time("--before", "yesterday")
            .unwrap_err()
            .message
            .starts_with("--before"));
    }
}
