//! `drop`: a table (never a view).

use serde_json::Value as Json;

use crate::cli::DropArgs;
use crate::db::{self, quote, ObjectKind};
use crate::error::{Error, Result};
use crate::job::{Event, Step, Write, WriteContext};
use crate::session::Session;

pub fn run(s: &Session, a: DropArgs) -> Result<Option<Json>> {
    let info = super::job_info(s, "drop", &a.db, Some(&a.table));
    let write = DropWrite {
        table: a.table,
        ignore: a.ignore,
    };
    super::run_write(s, info, write)
}

pub struct DropWrite {
    table: String,
    ignore: bool,
}

impl Write for DropWrite {
    fn step(&mut self, cx: &mut WriteContext<'_>) -> Result<Step> {
        let Some(info) = db::table_info(cx.conn, &self.table)? else {
            if self.ignore {
                return Ok(Step::Done);
            }
            return Err(db::missing_table(cx.conn, &self.table));
        };
        if info.kind == ObjectKind::View {
            return Err(Error::usage(format!(
                "\"{}\" is a view, not a table; drop refuses views",
                info.name
            )));
        }
        let rows: i64 = cx.conn.query_row(
            &format!("SELECT count(*) FROM main.{}", quote(&info.name)),
            [],
            |r| r.get(0),
        )?;
        // Capture keeps the rows a drop removes, so undo puts them back.
        let sql = format!("DROP TABLE main.{}", quote(&info.name));
        cx.execute(&sql, [])?;
        let mut ev = Event::new("drop-table", Some(&info.name));
        ev.sql = Some(sql);
        ev.rows = rows as u64;
        cx.event(ev);
        Ok(Step::Done)
    }
}
