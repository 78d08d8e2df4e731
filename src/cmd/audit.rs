//! `audit`: read the audit log, verify its hash chain (against a kept head
//! and the file sink too), or print its head. A user the authorizer
//! restricts sees entries about hidden tables without their keys, SQL,
//! parameters and error ([`Hidden::redact_entry`]).

use std::io::Write as _;

use serde_json::{json, Value as Json};

use crate::cli::{AuditAction, AuditArgs, HeadArgs, OutputFormat, VerifyArgs};
use crate::config::WrapperConfig;
use crate::db;
use crate::error::{Error, Result};
use crate::output;
use crate::session::Session;
use crate::store;
use crate::wrappers::audit_log::verify::{self, Head};
use crate::wrappers::authorizer::Hidden;

const COLUMNS: &[&str] = &[
    "id", "time", "event", "actor", "os_user", "table", "rows", "outcome", "error", "group",
    "message", "sql",
];

pub fn run(s: &Session, a: AuditArgs) -> Result<Option<Json>> {
    match a.action {
        Some(AuditAction::Verify(v)) => return run_verify(s, v),
        Some(AuditAction::Head(h)) => return run_head(s, h),
        None => {}
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
    let hidden = Hidden::for_user(s.config()?);
    let conn = db::open_read(&path, s.busy_timeout())?;
    let hidden = hidden.load(&conn)?;
    let mut entries = Vec::new();
    if store::check_readable(&conn)? {
        // A database no litewrite since migration 3 wrote to has no os_user yet.
        let os_user = if store::version(&conn)? >= 3 {
            "os_user"
        } else {
            "NULL"
        };
        let mut stmt = conn.prepare(&format!(
            "SELECT * FROM (
               SELECT id, time, event, actor, message, database, tbl, rows, keys, sql, params, outcome, error, group_id, tx, hash,
                      {os_user}
               FROM _litewrite_audit
               WHERE (?1 IS NULL OR time >= ?1) AND (?2 IS NULL OR actor = ?2) AND (?3 IS NULL OR tbl = ?3 COLLATE NOCASE)
               ORDER BY id DESC LIMIT ?4)
             ORDER BY id"
        ))?;
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
                "os_user": r.get::<_, Option<String>>(16)?,
            }))
        })?;
        for r in rows {
            let mut entry = r?;
            hidden.redact_entry(&mut entry);
            hidden.redact_hashes(&mut entry);
            entries.push(entry);
        }
    }
    let format = if s.flags.json {
        OutputFormat::Json
    } else {
        a.format
    };
    if format == OutputFormat::Table {
        for e in entries.iter_mut() {
            e["time"] = json!(output::table_time(e["time"].as_str().unwrap_or("")));
            // A reader of the table sees why an entry has no SQL.
            if e["hidden"] == true {
                e["sql"] = json!(output::HIDDEN_CELL);
            }
        }
    }
    let fit = output::Fit {
        width: s.env.columns,
        cut: &["actor", "os_user", "table", "error", "message", "sql"],
        drop: &["message", "os_user", "group", "rows", "actor", "error"],
    };
    output::print_objects(&mut s.stdout(), COLUMNS, &entries, format, fit)?;
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

/// Refuses what would give a user the authorizer hides tables from a hash
/// of the chain, or check one for them (`what` names the option or
/// command): every hash from an entry about a hidden table on covers its
/// keys and parameters, so with the hash before it a guessed value (a PIN,
/// a key) could be checked offline, or online by `verify --head/--file`.
fn refuse_hashes(hidden: &Hidden, what: &str) -> Result<()> {
    if hidden.is_empty() {
        return Ok(());
    }
    Err(Error::denied(format!(
        "{what} is denied while the authorizer hides tables from you: the chain's hashes cover their values, and a hash lets a guessed value be checked; a user in allow-users can run it"
    )))
}

fn run_verify(s: &Session, v: VerifyArgs) -> Result<Option<Json>> {
    let hidden = Hidden::for_user(s.config()?);
    if v.head.is_some() {
        refuse_hashes(&hidden, "audit verify --head")?;
    }
    if v.file.is_some() {
        refuse_hashes(&hidden, "audit verify --file")?;
    }
    let kept = v.head.as_deref().map(verify::parse_head).transpose()?;
    let file = match &v.file {
        Some(None) => Some(configured_file(s)?),
        Some(Some(path)) => Some(path.clone()),
        None => None,
    };
    let conn = db::open_read(&v.db, s.busy_timeout())?;
    let mut report = if store::check_readable(&conn)? {
        verify::chain(&conn, kept.as_ref())?
    } else {
        // No log at all: nothing to verify, but a kept head is missing.
        let mut r = verify::Report::default();
        if let Some(k) = &kept {
            r.problems.push(verify::Problem {
                id: k.id,
                what: format!(
                    "the kept head {} is not in the chain: the log is empty",
                    k.hash
                ),
            });
        }
        r
    };
    if let Some(path) = &file {
        if store::check_readable(&conn)? {
            verify::file(&conn, path, &mut report)?;
        }
    }
    let count = report.entries;
    if report.problems.is_empty() {
        if !s.flags.json && !s.flags.quiet {
            let mut also = String::new();
            if kept.is_some() {
                also.push_str(", the kept head is in it");
            }
            if let (Some(path), Some(n)) = (&file, report.file_lines) {
                also.push_str(&format!(", {} matches it ({n} lines)", path.display()));
            }
            let mut out = s.stdout();
            writeln!(
                out,
                "audit log OK: {count} entries, hash chain intact{also}"
            )?;
            out.flush()?;
        }
        let mut obj =
            json!({"ok": true, "command": "audit verify", "entries": count, "problems": []});
        if let Some(head) = report.head.as_ref().filter(|_| hidden.is_empty()) {
            obj["head"] = head.to_json();
        }
        if let Some(n) = report.file_lines {
            obj["file_lines"] = json!(n);
        }
        return Ok(Some(obj));
    }
    let list: Vec<String> = report
        .problems
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
        list.len(),
        list.join("; ")
    )))
}

/// The audit file plugins.toml configures, for `verify --file`.
fn configured_file(s: &Session) -> Result<std::path::PathBuf> {
    let config = s.config()?;
    config
        .wrappers
        .iter()
        .find_map(|w| match w {
            WrapperConfig::AuditLog(a) => a.file.clone(),
            _ => None,
        })
        .ok_or_else(|| {
            Error::usage(format!(
                "--file: the audit-log wrapper of {} has no \"file\" key; give the file as --file PATH",
                config
                    .source
                    .as_ref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| "the built-in configuration".into())
            ))
        })
}

fn run_head(s: &Session, h: HeadArgs) -> Result<Option<Json>> {
    refuse_hashes(&Hidden::for_user(s.config()?), "audit head")?;
    let conn = db::open_read(&h.db, s.busy_timeout())?;
    let report = if store::check_readable(&conn)? {
        verify::chain(&conn, None)?
    } else {
        verify::Report::default()
    };
    if !report.problems.is_empty() {
        return Err(Error::sql(format!(
            "the audit log of {} does not verify ({} problem(s); see `litewrite audit verify`), so it has no head worth keeping",
            h.db.display(),
            report.problems.len()
        )));
    }
    let Some(head) = report.head.as_ref().map(Head::to_json) else {
        return Err(Error::not_found(format!(
            "the audit log of {} has no entries yet",
            h.db.display()
        )));
    };
    if s.flags.json {
        let mut obj = json!({"ok": true, "command": "audit head"});
        obj["id"] = head["id"].clone();
        obj["hash"] = head["hash"].clone();
        return Ok(Some(obj));
    }
    crate::output::print_json(&mut s.stdout(), &head)?;
    Ok(None)
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
