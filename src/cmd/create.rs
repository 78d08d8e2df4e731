//! `create`: a table from COL:TYPE arguments.

use serde_json::Value as Json;

use crate::cli::CreateArgs;
use crate::db::{self, quote, ObjectKind};
use crate::error::{Error, Result};
use crate::job::{Event, Step, Write, WriteContext};
use crate::session::Session;
use crate::tabledef::{self, ColumnDef, ForeignKey, TableDef};

pub fn run(s: &Session, a: CreateArgs) -> Result<Option<Json>> {
    let mut def = TableDef {
        name: a.table.clone(),
        pk: a.pk.clone(),
        strict: a.strict,
        ..Default::default()
    };
    for spec in &a.columns {
        let (name, ty) = spec
            .rsplit_once(':')
            .filter(|(n, _)| !n.is_empty())
            .ok_or_else(|| {
                Error::usage(format!(
                    "column {spec:?} should be COL:TYPE, e.g. name:text"
                ))
            })?;
        if def
            .columns
            .iter()
            .any(|c| c.name.eq_ignore_ascii_case(name))
        {
            return Err(Error::usage(format!("column \"{name}\" is given twice")));
        }
        def.columns.push(ColumnDef {
            name: name.to_string(),
            sql_type: tabledef::sql_type(ty, a.strict)?,
            not_null: false,
            default: None,
        });
    }
    def.apply_options(&a.not_null, &a.default)?;
    for fk in &a.fk {
        let (col, target) = tabledef::split_pair("--fk", fk)?;
        let (table, to) = target
            .rsplit_once('.')
            .filter(|(t, c)| !t.is_empty() && !c.is_empty())
            .ok_or_else(|| Error::usage(format!("--fk expects COL=TABLE.COL, got {fk:?}")))?;
        if def.column_mut(col).is_none() {
            return Err(Error::usage(format!(
                "--fk names column \"{col}\", which table \"{}\" would not have",
                def.name
            )));
        }
        def.foreign_keys.push(ForeignKey {
            column: col.to_string(),
            table: table.to_string(),
            to: to.to_string(),
        });
    }
    let mut info = super::job_info(s, "create", &a.db, Some(&a.table));
    info.create_database = true;
    info.sql = Some(def.create_sql());
    let write = CreateWrite {
        def,
        ignore: a.ignore,
        replace: a.replace,
    };
    super::run_write(s, info, write)
}

pub struct CreateWrite {
    def: TableDef,
    ignore: bool,
    replace: bool,
}

impl Write for CreateWrite {
    fn step(&mut self, cx: &mut WriteContext<'_>) -> Result<Step> {
        if let Some(existing) = db::table_info(cx.conn, &self.def.name)? {
            let what = if existing.kind == ObjectKind::View {
                "a view"
            } else {
                "a table"
            };
            if self.ignore && existing.kind == ObjectKind::Table {
                return Ok(Step::Done);
            }
            if !self.replace || existing.kind == ObjectKind::View {
                return Err(Error::conflict(format!(
                    "\"{}\" already exists as {what}",
                    existing.name
                ))
                .with_hint(if existing.kind == ObjectKind::View {
                    "drop the view first"
                } else {
                    "use --ignore to keep it or --replace to drop it first"
                }));
            }
            let sql = format!("DROP TABLE main.{}", quote(&existing.name));
            cx.execute(&sql, [])?;
            let mut ev = Event::new("drop-table", Some(&existing.name));
            ev.sql = Some(sql);
            cx.event(ev);
        }
        let sql = self.def.create_sql();
        cx.execute(&sql, [])?;
        let mut ev = Event::new("create-table", Some(&self.def.name));
        ev.sql = Some(sql);
        cx.event(ev);
        Ok(Step::Done)
    }
}
