//! Verification of the audit log: the hash chain in the table, a head kept
//! outside the database, and the JSON lines of the `file` sink.
//!
//! Inside the database, the chain shows an edited, deleted, inserted or
//! reordered entry, and `_litewrite_meta.audit_head` an entry deleted from
//! the end. Someone who can write the database file can also delete the
//! tail together with that row, or rewrite the whole chain with fresh
//! hashes: what shows that is a head kept elsewhere (`audit head`, kept as a
//! CI artifact or in git), since the entry it names is then no longer in the
//! chain. A kept head vouches for every entry up to it. The file sink is a
//! second copy, appended as entries commit: `--file` checks each line's own
//! hash and that the table and the file hold the same entries.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::Path;

use rusqlite::{Connection, OptionalExtension};
use serde_json::{json, Value as Json};

use super::{chain_hash, content, PRUNED_THROUGH};
use crate::error::{Error, Result};

/// A problem verification found, by entry id.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub id: i64,
    pub what: String,
}

/// The last entry of the chain: what `audit head` prints and `verify
/// --head` checks for.
#[derive(Debug, Clone, PartialEq)]
pub struct Head {
    pub id: i64,
    pub hash: String,
}

impl Head {
    pub fn to_json(&self) -> Json {
        json!({"id": self.id, "hash": self.hash})
    }
}

/// What a verification found.
#[derive(Debug, Default)]
pub struct Report {
    /// Entries checked in the table.
    pub entries: u64,
    /// The chain's last entry.
    pub head: Option<Head>,
    /// Lines checked in the file, with `--file`.
    pub file_lines: Option<u64>,
    pub problems: Vec<Problem>,
}

/// A head given to `verify --head`: the hash `audit head` printed, or its
/// whole JSON object.
pub fn parse_head(text: &str) -> Result<Head> {
    let text = text.trim();
    let (id, hash) = if text.starts_with('{') {
        let v: Json = serde_json::from_str(text).map_err(|e| {
            Error::usage(format!(
                "--head {text:?} is not the JSON `audit head` prints: {e}"
            ))
        })?;
        (
            v["id"].as_i64().unwrap_or(0),
            v["hash"].as_str().unwrap_or("").to_string(),
        )
    } else {
        (0, text.to_string())
    };
    if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Error::usage(format!(
            "--head {text:?} is not a head: give the hash `litewrite audit head` printed (64 hex digits) or its JSON object"
        )));
    }
    Ok(Head {
        id,
        hash: hash.to_ascii_lowercase(),
    })
}

/// One entry of the table, as its hash covers it.
struct Stored {
    id: i64,
    content_row: Vec<Json>,
    prev_hash: String,
    hash: String,
}

/// Reads the entries in id order, calling `f` with each.
fn each_entry(conn: &Connection, mut f: impl FnMut(Stored) -> Result<()>) -> Result<()> {
    // Entries written before migration 3 have no os_user, and their hash
    // does not cover one; a database still older has no column at all.
    let os_user = if crate::store::version(conn)? >= 3 {
        "os_user"
    } else {
        "NULL"
    };
    let mut stmt = conn.prepare(&format!(
        "SELECT id, time, event, actor, message, database, tbl, rows, keys, sql, params, outcome, error,
                group_id, tx, {os_user}, prev_hash, hash
         FROM _litewrite_audit ORDER BY id"
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let mut content_row = Vec::with_capacity(15);
        for i in 1..16 {
            content_row.push(crate::input::value_to_json(&r.get_ref(i)?));
        }
        if content_row[14].is_null() {
            content_row.pop();
        }
        f(Stored {
            id: r.get(0)?,
            content_row,
            prev_hash: r.get(16)?,
            hash: r.get(17)?,
        })?;
    }
    Ok(())
}

/// Where verification starts: after the entries a prune removed, if an
/// entry in the (verified) chain records that prune, else at the beginning.
fn pruned_start(conn: &Connection) -> Result<(i64, String)> {
    let first: Option<(i64, String)> = conn
        .query_row(
            "SELECT id, prev_hash FROM _litewrite_audit ORDER BY id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((first, prev)) = first.filter(|(id, _)| *id > 1) else {
        return Ok((0, String::new()));
    };
    let mut stmt = conn.prepare(
        "SELECT keys FROM _litewrite_audit WHERE event = 'prune' AND outcome = 'ok' AND keys IS NOT NULL",
    )?;
    let keys = stmt.query_map([], |r| r.get::<_, String>(0))?;
    for k in keys {
        let Ok(Json::Array(items)) = serde_json::from_str::<Json>(&k?) else {
            continue;
        };
        let confirms = items.iter().any(|c| {
            c[PRUNED_THROUGH].as_i64() == Some(first - 1) && c["hash"].as_str() == Some(&prev)
        });
        if confirms {
            return Ok((first - 1, prev));
        }
    }
    Ok((0, String::new()))
}

/// Checks the hash chain in the table and, when `kept` is given, that the
/// entry it names is still in it.
pub fn chain(conn: &Connection, kept: Option<&Head>) -> Result<Report> {
    let mut report = Report::default();
    let (pruned_through, pruned_hash) = pruned_start(conn)?;
    let (mut prev_id, mut prev_hash) = (pruned_through, pruned_hash.clone());
    let mut kept_found = kept.is_some_and(|k| pruned_through > 0 && k.hash == pruned_hash);
    let problems = &mut report.problems;
    each_entry(conn, |e| {
        report.entries += 1;
        if e.id != prev_id + 1 {
            problems.push(Problem {
                id: e.id,
                what: format!(
                    "entries {} to {} are missing (deleted)",
                    prev_id + 1,
                    e.id - 1
                ),
            });
        } else if e.prev_hash != prev_hash {
            problems.push(Problem {
                id: e.id,
                what: format!(
                    "does not follow entry {prev_id} in the chain (inserted, deleted or reordered)"
                ),
            });
        }
        if chain_hash(&e.prev_hash, &content(e.id, &e.content_row)) != e.hash {
            problems.push(Problem {
                id: e.id,
                what: "content does not match its hash (modified)".into(),
            });
        }
        if kept.is_some_and(|k| k.hash == e.hash) {
            kept_found = true;
        }
        prev_hash = e.hash;
        prev_id = e.id;
        Ok(())
    })?;
    if prev_id > pruned_through {
        report.head = Some(Head {
            id: prev_id,
            hash: prev_hash.clone(),
        });
    }
    let written: Option<String> = conn
        .query_row(
            "SELECT value FROM _litewrite_meta WHERE key = 'audit_head'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(written) = written {
        if written != format!("{prev_id}:{prev_hash}") {
            let head_id = written
                .split_once(':')
                .and_then(|(i, _)| i.parse().ok())
                .unwrap_or(0);
            report.problems.push(Problem {
                id: head_id,
                what: if head_id > prev_id {
                    format!(
                        "the log ends at entry {prev_id} but entry {head_id} was written (deleted)"
                    )
                } else {
                    format!("the last entry is not the one last written (entry {head_id})")
                },
            });
        }
    }
    if let Some(k) = kept.filter(|_| !kept_found) {
        let pruned = if pruned_through > 0 {
            format!(
                " (or `prune --audit` removed it: the log now starts after entry {pruned_through}; keep a new head after pruning)"
            )
        } else {
            String::new()
        };
        report.problems.push(Problem {
            id: k.id,
            what: format!(
                "the kept head {} is not in the chain: entries were deleted from its end, or the chain was rewritten{pruned}",
                k.hash
            ),
        });
    }
    Ok(report)
}

/// Cross-checks the file sink against the table: every line must hash as
/// its entry did, every line the table still holds must be the same entry
/// there, no line may be missing from the table (unless pruned), and no
/// entry written since the file began may be missing from the file.
pub fn file(conn: &Connection, path: &Path, report: &mut Report) -> Result<()> {
    let shown = path.display();
    let f = std::fs::File::open(path)
        .map_err(|e| Error::usage(format!("can not read audit file {shown}: {e}")))?;
    let mut table: BTreeMap<i64, String> = BTreeMap::new();
    each_entry(conn, |e| {
        table.insert(e.id, e.hash);
        Ok(())
    })?;
    let (pruned_through, _) = pruned_start(conn)?;
    let mut in_file = std::collections::HashSet::new();
    let mut first_in_file = None;
    let mut lines = 0u64;
    for (n, line) in std::io::BufReader::new(f).lines().enumerate() {
        let line =
            line.map_err(|e| Error::usage(format!("can not read audit file {shown}: {e}")))?;
        if line.trim().is_empty() {
            continue;
        }
        lines += 1;
        let at = format!("line {} of {shown}", n + 1);
        let Some((id, hash, computed)) = file_entry(&line) else {
            report.problems.push(Problem {
                id: 0,
                what: format!("{at} is not an audit entry"),
            });
            continue;
        };
        first_in_file.get_or_insert(id);
        in_file.insert(id);
        if computed != hash {
            report.problems.push(Problem {
                id,
                what: format!("{at}: content does not match its hash (modified in the file)"),
            });
        }
        match table.get(&id) {
            Some(h) if *h == hash => {}
            Some(_) => report.problems.push(Problem {
                id,
                what: format!("the table and {at} hold different entries"),
            }),
            None if id <= pruned_through => {}
            None => report.problems.push(Problem {
                id,
                what: format!("{at} holds it but the table does not (deleted from the table)"),
            }),
        }
    }
    if let Some(first) = first_in_file {
        let missing: Vec<i64> = table
            .range(first..)
            .map(|(id, _)| *id)
            .filter(|id| !in_file.contains(id))
            .collect();
        for (a, b) in ranges(&missing) {
            report.problems.push(Problem {
                id: a,
                what: if a == b {
                    format!("the table holds it but {shown} does not")
                } else {
                    format!("entries {a} to {b} are in the table but not in {shown}")
                },
            });
        }
    }
    report.file_lines = Some(lines);
    Ok(())
}

/// A line of the file sink: its id, its hash, and the hash its content
/// gives (keys and parameters are JSON in the file, JSON text in the table).
fn file_entry(line: &str) -> Option<(i64, String, String)> {
    let v: Json = serde_json::from_str(line).ok()?;
    let id = v["id"].as_i64()?;
    let hash = v["hash"].as_str()?.to_string();
    let prev = v["prev_hash"].as_str()?;
    let as_text = |j: &Json| match j {
        Json::Null => Json::Null,
        other => Json::String(other.to_string()),
    };
    let mut row: Vec<Json> = [
        "time", "event", "actor", "message", "database", "table", "rows",
    ]
    .iter()
    .map(|k| v[*k].clone())
    .collect();
    row.push(as_text(&v["keys"]));
    row.push(v["sql"].clone());
    row.push(as_text(&v["params"]));
    for k in ["outcome", "error", "group", "tx"] {
        row.push(v[k].clone());
    }
    if !v["os_user"].is_null() {
        row.push(v["os_user"].clone());
    }
    Some((id, hash, chain_hash(prev, &content(id, &row))))
}

/// Sorted ids as inclusive runs.
fn ranges(ids: &[i64]) -> Vec<(i64, i64)> {
    let mut out: Vec<(i64, i64)> = Vec::new();
    for &id in ids {
        match out.last_mut() {
            Some((_, b)) if *b + 1 == id => *b = id,
            _ => out.push((id, id)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_parse_from_the_hash_or_the_object() {
        let h = "a".repeat(64);
        assert_eq!(parse_head(&h).unwrap().hash, h);
        let obj = format!("{{\"id\": 7, \"hash\": \"{}\"}}", "B".repeat(64));
        let parsed = parse_head(&obj).unwrap();
        assert_eq!((parsed.id, parsed.hash), (7, "b".repeat(64)));
        assert!(parse_head("abc").is_err());
        assert!(parse_head("{\"id\": 1}").is_err());
    }

    #[test]
    fn runs_of_ids() {
        assert_eq!(ranges(&[1, 2, 3, 5, 7, 8]), vec![(1, 3), (5, 5), (7, 8)]);
        assert!(ranges(&[]).is_empty());
    }
}
