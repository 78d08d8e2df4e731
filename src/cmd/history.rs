//! `history`: change groups, newest first. A user the authorizer restricts
//! sees the tables and counts of a group that changed a hidden table, not
//! its command line ([`Hidden::redact_group`]).

use serde_json::{json, Value as Json};

use crate::cli::{HistoryArgs, OutputFormat};
use crate::db;
use crate::error::Result;
use crate::output;
use crate::session::Session;
use crate::store;
use crate::wrappers::authorizer::Hidden;

const COLUMNS: &[&str] = &[
    "id", "time", "actor", "os_user", "message", "command", "tables", "rows",
];

pub fn run(s: &Session, a: HistoryArgs) -> Result<Option<Json>> {
    let hidden = Hidden::for_user(s.config()?);
    let conn = db::open_read(&a.db, s.busy_timeout())?;
    let hidden = hidden.load(&conn)?;
    let mut groups = Vec::new();
    if store::check_readable(&conn)? {
        // A database no litewrite since migration 3 wrote to has no os_user yet.
        let os_user = if store::version(&conn)? >= 3 {
            "g.os_user"
        } else {
            "NULL"
        };
        let mut stmt = conn.prepare(&format!(
            "SELECT g.id, g.time, g.actor, g.message, g.command, g.command_line, g.tx, g.undo_of, {os_user}
             FROM _litewrite_groups g
             WHERE (?1 IS NULL OR g.actor = ?1)
               AND (?2 IS NULL OR EXISTS (SELECT 1 FROM _litewrite_changes c
                    WHERE c.id BETWEEN g.first_change AND g.last_change AND c.tbl = ?2 COLLATE NOCASE))
             ORDER BY g.id DESC LIMIT ?3"
        ))?;
        let limit = a.limit.map(|l| l as i64).unwrap_or(-1);
        let rows = stmt.query_map(rusqlite::params![a.actor, a.table, limit], |r| {
            Ok(json!({
                "id": r.get::<_, i64>(0)?,
                "time": r.get::<_, String>(1)?,
                "actor": r.get::<_, String>(2)?,
                "message": r.get::<_, Option<String>>(3)?,
                "command": r.get::<_, String>(4)?,
                "command_line": r.get::<_, Option<String>>(5)?,
                "tx": r.get::<_, Option<String>>(6)?,
                "undo_of": r.get::<_, Option<i64>>(7)?,
                "os_user": r.get::<_, Option<String>>(8)?,
            }))
        })?;
        // A range record stands for its rows; column lists are not changes.
        let mut counts = conn.prepare(
            "SELECT tbl, CASE op WHEN 'insert-range' THEN 'insert' ELSE op END AS o,
                    sum(CASE op WHEN 'insert-range'
                        THEN json_extract(key, '$[1]') - json_extract(key, '$[0]') + 1 ELSE 1 END)
             FROM _litewrite_changes WHERE id BETWEEN ?1 AND ?2 AND op <> 'columns'
             GROUP BY tbl, o ORDER BY min(id)",
        )?;
        for row in rows {
            let mut group = row?;
            let id = group["id"].as_i64().unwrap_or(0);
            let mut summary: Vec<(String, Vec<String>)> = Vec::new();
            let mut total = 0i64;
            let (first, last) = store::change_range(&conn, id)?;
            for c in counts.query_map([first, last], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            })? {
                let (table, op, n) = c?;
                if matches!(op.as_str(), "insert" | "update" | "delete") {
                    total += n;
                }
                let part = format!("{n} {op}");
                match summary.iter_mut().find(|(t, _)| *t == table) {
                    Some((_, parts)) => parts.push(part),
                    None => summary.push((table, vec![part])),
                }
            }
            let tables: Vec<String> = summary.iter().map(|(t, _)| t.clone()).collect();
            hidden.redact_group(&mut group, &tables);
            group["tables"] = json!(summary
                .iter()
                .map(|(t, parts)| format!("{t}: {}", parts.join(", ")))
                .collect::<Vec<_>>()
                .join("; "));
            group["rows"] = json!(total);
            groups.push(group);
        }
    }
    let format = if s.flags.json {
        OutputFormat::Json
    } else {
        a.format
    };
    if format == OutputFormat::Table {
        for g in groups.iter_mut() {
            g["time"] = json!(output::table_time(g["time"].as_str().unwrap_or("")));
        }
    }
    let fit = output::Fit {
        width: s.env.columns,
        cut: &["actor", "os_user", "message", "command", "tables"],
        drop: &["os_user", "message", "rows"],
    };
    output::print_objects(&mut s.stdout(), COLUMNS, &groups, format, fit)?;
    Ok(None)
}
