//! `delete`: one row by key, the rows matching --where, keys from stdin, or --all.

use serde_json::Value as Json;

use crate::cli::DeleteArgs;
use crate::db::{self, quote};
use crate::error::{Error, Result};
use crate::input::{self, RowReader};
use crate::job::{Event, Step, Write, WriteContext};
use crate::session::Session;

use super::update::{bind_keys, key_args, key_condition, not_found, require_key, split_key};
use super::{bind_named, key_json, param_pairs, read_options};

pub fn run(s: &Session, a: DeleteArgs) -> Result<Option<Json>> {
    let params = param_pairs(&a.params);
    let from_stdin = a.keys.iter().any(|k| k == "-");
    let target = match (from_stdin, &a.where_sql, a.keys.is_empty(), a.all) {
        (true, None, _, false) if a.keys.len() == 1 => {
            DeleteTarget::Rows(input::from_reader(s.stdin(), "stdin", &read_options(s, &a.format)?, None)?)
        }
        (false, Some(sql), true, false) => {
            DeleteTarget::Where(crate::sqltext::where_condition(sql)?)
        }
        (false, None, false, false) => DeleteTarget::Key(a.keys.clone()),
        (false, None, true, true) => DeleteTarget::All,
        (false, None, true, false) => {
            return Err(Error::usage(
                "say which rows to delete: KEY values, --where SQL, - for keys on stdin, or --all for every row",
            ))
        }
        _ => return Err(Error::usage("give only one of: KEY values, --where SQL, -, or --all")),
    };
    let mut info = super::job_info(s, "delete", &a.db, Some(&a.table));
    info.sql = a.where_sql.clone();
    info.params = params.clone();
    let write = DeleteWrite {
        table: a.table,
        target,
        params,
    };
    super::run_write(s, info, write)
}

/// Which rows a delete removes.
pub enum DeleteTarget {
    Key(Vec<String>),
    /// The --where condition, checked and parenthesized ([`crate::sqltext::where_condition`]).
    Where(String),
    Rows(Box<dyn RowReader>),
    All,
}

pub struct DeleteWrite {
    table: String,
    target: DeleteTarget,
    params: super::Params,
}

impl Write for DeleteWrite {
    fn step(&mut self, cx: &mut WriteContext<'_>) -> Result<Step> {
        let info = db::require_table(cx.conn, &self.table)?;
        let mut ev = Event::new("delete-row", Some(&info.name));
        let by_key = format!(
            "DELETE FROM main.{} WHERE {}",
            quote(&info.name),
            key_condition(&info)
        );
        match &mut self.target {
            DeleteTarget::Key(keys) => {
                let values = key_args(&info, keys)?;
                let mut stmt = cx.prepare(&by_key)?;
                bind_keys(&mut stmt, &values)?;
                ev.rows = stmt.raw_execute().map_err(|e| {
                    super::explain_foreign_key(cx.conn, e, &mut stmt, Some(info.name.as_str()))
                })? as u64;
                if ev.rows == 0 {
                    return Err(not_found(&info, &values));
                }
                ev.sql = Some(by_key);
                ev.keys = Some(vec![key_json(&values)]);
            }
            DeleteTarget::Where(condition) => {
                let sql = format!("DELETE FROM main.{} WHERE {condition}", quote(&info.name));
                let mut stmt = cx.prepare(&sql)?;
                bind_named(&mut stmt, &self.params)?;
                ev.rows = super::execute_rows(cx.conn, &mut stmt, &info).map_err(|e| {
                    super::explain_foreign_key(cx.conn, e, &mut stmt, Some(info.name.as_str()))
                })?;
                ev.sql = Some(sql);
                ev.params = Some(super::params_json(&self.params));
            }
            DeleteTarget::All => {
                let sql = format!("DELETE FROM main.{}", quote(&info.name));
                ev.rows = cx.execute(&sql, [])? as u64;
                ev.sql = Some(sql);
            }
            DeleteTarget::Rows(reader) => {
                require_key(&info)?;
                let mut stmt = cx.prepare(&by_key)?;
                let mut keys = Vec::new();
                while let Some(row) = reader.next_row()? {
                    let pos = reader.position();
                    let (values, _rest) = split_key(&info, row, &pos)?;
                    bind_keys(&mut stmt, &values)?;
                    let n = stmt.raw_execute().map_err(|e| {
                        super::explain_foreign_key(cx.conn, e, &mut stmt, Some(info.name.as_str()))
                            .at(&pos)
                    })? as u64;
                    if n == 0 {
                        return Err(not_found(&info, &values).at(&pos));
                    }
                    ev.rows += n;
                    if keys.len() < 100 {
                        keys.push(key_json(&values));
                    }
                }
                ev.keys = (ev.rows <= 100).then_some(keys);
                ev.sql = Some(by_key);
            }
        }
        cx.rows += ev.rows;
        cx.event(ev);
        Ok(Step::Done)
    }
}
