//! What capture knows about the schema: how each table's row changes are
//! recorded ([`Meta`], [`Class`]), and the schema snapshots whose
//! differences are recorded as create, drop, rename and alter changes.
//!
//! Tables are classified with `PRAGMA table_list` / `table_xinfo` when a
//! statement that may write them is prepared (the authorizer names them),
//! never inside the preupdate hook. A virtual table's shadow tables are not
//! recorded as such: the `%_content` table of an FTS3/4/5 table with
//! internal content is recorded as the virtual table itself (its rowid and
//! column names), and writes to other shadow tables only mark their virtual
//! table as written.

use rusqlite::{Connection, OptionalExtension};

use crate::access::is_internal;
use crate::config::any_glob;
use crate::db::quote;
use crate::error::Result;

/// Which tables a change group records (plugins.toml `tables`/`exclude`).
#[derive(Debug, Clone, Default)]
pub struct TableFilter {
    pub tables: Vec<String>,
    pub exclude: Vec<String>,
}

impl TableFilter {
    pub fn records(&self, table: &str) -> bool {
        !is_internal(table)
            && !is_system(table)
            && any_glob(&self.tables, table)
            && !any_glob(&self.exclude, table)
    }
}

pub use crate::access::is_system;

/// How a table's changes can be recorded and reverted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// An ordinary table.
    Table,
    /// FTS3/4/5 with internal content: rows recorded from `%_content`.
    FtsInternal,
    /// FTS3/4/5 with external content: undo rebuilds the index.
    FtsExternal,
    /// Any other virtual table (R*Tree, contentless FTS, other modules):
    /// its writes are recorded as SQL only, and undo can not revert them.
    Virtual,
}

/// How one table's rows are recorded.
#[derive(Debug, Clone)]
pub struct Meta {
    /// Its index in the capture's registry.
    pub id: u32,
    /// The name as the schema spells it.
    pub name: String,
    pub kind: Kind,
    /// The recorded columns (generated columns are not: undo can not write
    /// them, and SQLite recomputes them).
    pub columns: Vec<String>,
    /// The JSON text of each column name, for record objects.
    pub json_names: Vec<Vec<u8>>,
    /// How many columns the preupdate hook reports for the hooked table.
    pub hook_columns: usize,
    /// The hook's column index of each recorded column.
    pub positions: Vec<usize>,
    /// Key columns as indexes into `columns`; empty when rows are keyed by rowid.
    pub key: Vec<usize>,
    /// Rowid table (rows inserted with consecutive rowids are recorded as a range).
    pub has_rowid: bool,
    /// The name that reads its rowid in SQL: None for a WITHOUT ROWID
    /// table, or when columns (generated ones too) take `rowid`, `_rowid_`
    /// and `oid`. Capture still sees such a table's rowids (the hook gives
    /// them), but can not read its rows with them.
    pub rowid: Option<&'static str>,
}

impl Meta {
    /// The rowids a record of this table keeps beside its key: only a
    /// rowid table with a declared primary key needs them (see
    /// [`super::buffer::Rowids`]).
    pub fn rowids(&self, old: i64, new: i64) -> super::buffer::Rowids {
        (self.has_rowid && !self.key.is_empty()).then_some([old, new])
    }

    /// The key column names, or None when rows are keyed by rowid.
    pub fn key_names(&self) -> Option<Vec<String>> {
        (!self.key.is_empty()).then(|| self.key.iter().map(|&k| self.columns[k].clone()).collect())
    }
}

/// What to do with a row change of a table (by the hooked table's name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Not recorded: the tool's and SQLite's tables, excluded tables, views.
    Skip,
    /// Recorded with this meta.
    Table(u32),
    /// A virtual table (writes are seen by the authorizer, not the hook).
    Virtual(u32),
    /// A shadow table of this virtual table: its changes mark it as written.
    Shadow(u32),
}

pub use crate::db::rowid_name;

/// `name` and `type` of one entry of `PRAGMA main.table_list`.
fn table_list_type(conn: &Connection, name: &str) -> Result<Option<(String, String, bool)>> {
    Ok(conn
        .prepare_cached("SELECT name, type, wr FROM pragma_table_list(?1) WHERE schema = 'main'")?
        .query_row([name], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get::<_, i64>(2)? != 0))
        })
        .optional()?)
}

/// Classifies a table by name; new metas are pushed onto `metas`. Returns
/// the class of `name` and the classes of related names (shadow tables).
pub fn classify(
    conn: &Connection,
    name: &str,
    filter: &TableFilter,
    metas: &mut Vec<Meta>,
) -> Result<Vec<(String, Class)>> {
    if is_internal(name) || is_system(name) {
        return Ok(vec![(name.to_string(), Class::Skip)]);
    }
    let Some((name, kind, without_rowid)) = table_list_type(conn, name)? else {
        return Ok(vec![(name.to_string(), Class::Skip)]);
    };
    match kind.as_str() {
        "table" if filter.records(&name) => {
            let meta = table_meta(conn, &name, without_rowid, metas.len() as u32)?;
            let id = meta.id;
            metas.push(meta);
            Ok(vec![(name, Class::Table(id))])
        }
        "virtual" => virtual_classes(conn, &name, filter, metas),
        "shadow" => {
            let owner = shadow_owner(conn, &name)?;
            match owner {
                Some(owner) => {
                    let mut classes = virtual_classes(conn, &owner, filter, metas)?;
                    if !classes.iter().any(|(n, _)| n.eq_ignore_ascii_case(&name)) {
                        classes.push((name, Class::Skip));
                    }
                    Ok(classes)
                }
                None => Ok(vec![(name, Class::Skip)]),
            }
        }
        _ => Ok(vec![(name, Class::Skip)]),
    }
}

/// The meta of an ordinary table.
fn table_meta(conn: &Connection, name: &str, without_rowid: bool, id: u32) -> Result<Meta> {
    let mut stmt =
        conn.prepare_cached("SELECT name, pk, hidden FROM pragma_table_xinfo(?1, 'main')")?;
    let rows: Vec<(String, i64, i64)> = stmt
        .query_map([name], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut columns = Vec::new();
    let mut positions = Vec::new();
    let mut pk: Vec<(i64, usize)> = Vec::new();
    for (i, (col, pk_pos, hidden)) in rows.iter().enumerate() {
        // hidden: 2 and 3 are generated columns (virtual, stored).
        if *hidden != 0 {
            continue;
        }
        if *pk_pos > 0 {
            pk.push((*pk_pos, columns.len()));
        }
        columns.push(col.clone());
        positions.push(i);
    }
    pk.sort();
    let all: Vec<String> = rows.iter().map(|(c, _, _)| c.clone()).collect();
    Ok(Meta {
        rowid: if without_rowid {
            None
        } else {
            rowid_name(&all)
        },
        id,
        name: name.to_string(),
        kind: Kind::Table,
        json_names: json_names(&columns),
        columns,
        hook_columns: rows.len(),
        positions,
        key: pk.into_iter().map(|(_, i)| i).collect(),
        has_rowid: !without_rowid,
    })
}

fn json_names(columns: &[String]) -> Vec<Vec<u8>> {
    columns
        .iter()
        .map(|c| {
            let mut out = Vec::new();
            super::value::write_str(&mut out, c);
            out
        })
        .collect()
}

/// The virtual table a shadow table belongs to.
pub fn shadow_owner(conn: &Connection, shadow: &str) -> Result<Option<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'virtual'",
    )?;
    let names: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(names.into_iter().find(|v| owns_shadow(v, shadow)))
}

/// True when `shadow` is a shadow table of virtual table `vtable`: SQLite
/// gives a shadow table to the virtual table named before its last `_`
/// (`search_titles_data` is `search_titles`'s, not `search`'s).
pub fn owns_shadow(vtable: &str, shadow: &str) -> bool {
    shadow
        .rsplit_once('_')
        .is_some_and(|(owner, _)| owner.eq_ignore_ascii_case(vtable))
}

/// The classes of a virtual table and its shadow tables.
fn virtual_classes(
    conn: &Connection,
    name: &str,
    filter: &TableFilter,
    metas: &mut Vec<Meta>,
) -> Result<Vec<(String, Class)>> {
    let mut shadows: Vec<String> = conn
        .prepare_cached(
            "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'shadow'",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    shadows.retain(|s| owns_shadow(name, s));
    if !filter.records(name) {
        let mut out = vec![(name.to_string(), Class::Skip)];
        out.extend(shadows.into_iter().map(|s| (s, Class::Skip)));
        return Ok(out);
    }
    let columns: Vec<String> = conn
        .prepare_cached("SELECT name FROM pragma_table_info(?1, 'main')")?
        .query_map([name], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let sql: String = conn
        .query_row(
            "SELECT coalesce(sql, '') FROM main.sqlite_master WHERE name = ?1",
            [name],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_default();
    let module = VirtualSql::parse(&sql);
    let content = format!("{}_content", name).to_ascii_lowercase();
    let content_table = shadows
        .iter()
        .find(|s| s.to_ascii_lowercase() == content)
        .cloned();
    let mut kind = Kind::Virtual;
    let mut hook_columns = 0;
    if module.is_fts() {
        if let Some(ct) = &content_table {
            let n: i64 = conn.query_row(
                "SELECT count(*) FROM pragma_table_info(?1, 'main')",
                [ct],
                |r| r.get(0),
            )?;
            // id/docid, then one column per FTS column; anything else
            // (FTS4 languageid, FTS5 contentless_unindexed) is not exact.
            if n as usize == columns.len() + 1 {
                kind = Kind::FtsInternal;
                hook_columns = n as usize;
            }
        } else if module.content().is_some_and(|c| !c.is_empty()) {
            kind = Kind::FtsExternal;
        }
    }
    let id = metas.len() as u32;
    metas.push(Meta {
        id,
        name: name.to_string(),
        kind: kind.clone(),
        json_names: json_names(&columns),
        positions: (1..=columns.len()).collect(),
        columns,
        hook_columns,
        key: Vec::new(),
        has_rowid: true,
        rowid: Some("rowid"),
    });
    let mut out = vec![(name.to_string(), Class::Virtual(id))];
    for s in shadows {
        let class = if kind == Kind::FtsInternal && s.to_ascii_lowercase() == content {
            Class::Table(id)
        } else {
            Class::Shadow(id)
        };
        out.push((s, class));
    }
    Ok(out)
}

/// The module and arguments of a `CREATE VIRTUAL TABLE` statement.
#[derive(Debug, Default, PartialEq)]
pub struct VirtualSql {
    pub module: String,
    pub args: Vec<String>,
}

impl VirtualSql {
    pub fn parse(sql: &str) -> VirtualSql {
        let lower = sql.to_ascii_lowercase();
        let Some(using) = lower.find(" using ") else {
            return VirtualSql::default();
        };
        let rest = sql[using + 7..].trim_start();
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let module = rest[..end].to_string();
        let mut args = Vec::new();
        if let Some(open) = rest[end..].find('(') {
            let body = &rest[end + open + 1..];
            let (mut depth, mut quote, mut cur) = (0i32, None::<char>, String::new());
            for c in body.chars() {
                match (quote, c) {
                    (Some(q), c) if c == q => quote = None,
                    (Some(_), _) => {}
                    (None, '\'' | '"' | '`') => quote = Some(c),
                    (None, '[') => quote = Some(']'),
                    (None, '(') => depth += 1,
                    (None, ')') if depth == 0 => break,
                    (None, ')') => depth -= 1,
                    (None, ',') if depth == 0 => {
                        args.push(cur.trim().to_string());
                        cur.clear();
                        continue;
                    }
                    _ => {}
                }
                cur.push(c);
            }
            if !cur.trim().is_empty() {
                args.push(cur.trim().to_string());
            }
        }
        VirtualSql { module, args }
    }

    pub fn is_fts(&self) -> bool {
        ["fts3", "fts4", "fts5"]
            .iter()
            .any(|m| self.module.eq_ignore_ascii_case(m))
    }

    /// The `content` option's value, unquoted (Some("") for contentless).
    pub fn content(&self) -> Option<String> {
        self.args.iter().find_map(|a| {
            let (k, v) = a.split_once('=')?;
            if !k.trim().eq_ignore_ascii_case("content") {
                return None;
            }
            let v = v.trim();
            let unquoted = match (v.chars().next(), v.chars().last()) {
                (Some('\''), Some('\''))
                | (Some('"'), Some('"'))
                | (Some('`'), Some('`'))
                | (Some('['), Some(']'))
                    if v.len() >= 2 =>
                {
                    &v[1..v.len() - 1]
                }
                _ => v,
            };
            Some(unquoted.to_string())
        })
    }
}

/// One object of the main schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Object {
    /// table, index, trigger or view (virtual tables are "table").
    pub kind: String,
    pub name: String,
    pub table: String,
    pub rootpage: i64,
    pub sql: String,
    /// Its row of `sqlite_master`: a rename updates it in place.
    pub schema_row: i64,
}

impl Object {
    /// True when `other` is this table, renamed or altered or not: an
    /// ordinary table keeps its root page, a virtual table (which has
    /// none) its row of the schema table.
    fn same_table(&self, other: &Object) -> bool {
        self.kind == "table"
            && other.kind == "table"
            && if self.rootpage != 0 || other.rootpage != 0 {
                self.rootpage == other.rootpage
            } else {
                self.schema_row == other.schema_row
            }
    }
}

/// The main schema's user objects, as far as the filter records them
/// (shadow tables, autoindexes and the tool's and SQLite's own left out).
pub fn snapshot(conn: &Connection, filter: &TableFilter) -> Result<Vec<Object>> {
    let shadows: Vec<String> = conn
        .prepare_cached(
            "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'shadow'",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT type, name, tbl_name, coalesce(rootpage, 0), sql, rowid FROM main.sqlite_master
         WHERE sql IS NOT NULL ORDER BY rowid",
    )?;
    let objects = stmt
        .query_map([], |r| {
            Ok(Object {
                kind: r.get(0)?,
                name: r.get(1)?,
                table: r.get(2)?,
                rootpage: r.get(3)?,
                sql: r.get(4)?,
                schema_row: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let shadow = |n: &str| shadows.iter().any(|s| s.eq_ignore_ascii_case(n));
    Ok(objects
        .into_iter()
        .filter(|o| {
            let owner = if o.kind == "view" { &o.name } else { &o.table };
            filter.records(&o.name)
                || (o.kind != "table" && o.kind != "view" && filter.records(owner))
        })
        .filter(|o| !shadow(&o.name) && !shadow(&o.table) && !is_system(&o.name))
        .collect())
}

/// The SQL text, before, of every object a statement rewrote without
/// creating or dropping it (a rename rewrites the table and what refers to
/// it; an alter rewrites the table): `[type, name, sql]` as it was.
pub fn rewritten(before: &[Object], after: &[Object]) -> Vec<[String; 3]> {
    before
        .iter()
        .filter(|b| {
            after.iter().any(|a| {
                let same = if b.kind == "table" {
                    b.same_table(a)
                } else {
                    a.kind == b.kind && a.name.eq_ignore_ascii_case(&b.name)
                };
                same && a.sql != b.sql
            })
        })
        .map(|b| [b.kind.clone(), b.name.clone(), b.sql.clone()])
        .collect()
}

/// A table's column names (generated ones included), in order.
pub fn columns_of(conn: &Connection, table: &str) -> Result<Vec<String>> {
    Ok(conn
        .prepare_cached("SELECT name FROM pragma_table_xinfo(?1, 'main')")?
        .query_map([table], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// The value a row that lacks the column's field reads for it: the value of
/// its default when SQLite can compute it without a row (as after an
/// `ADD COLUMN`), else NULL (`DEFAULT (datetime('now'))`, no default). Asked
/// of SQLite itself, in a scratch database: a column added there with the
/// same type and default, read from a row written before it.
pub fn column_default(conn: &Connection, table: &str, column: &str) -> Result<super::value::Cell> {
    let found: Option<(String, Option<String>)> = conn
        .query_row(
            "SELECT type, dflt_value FROM pragma_table_xinfo(?1, 'main') WHERE name = ?2",
            [table, column],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((decl_type, Some(expr))) = found else {
        return Ok(super::value::Cell::Null);
    };
    let scratch = Connection::open_in_memory()?;
    scratch.execute_batch("CREATE TABLE t(a); INSERT INTO t VALUES (1);")?;
    let added = scratch.execute_batch(&format!(
        "ALTER TABLE t ADD COLUMN c {decl_type} DEFAULT {expr}"
    ));
    if added.is_err() {
        // A default SQLite can not compute without a row.
        return Ok(super::value::Cell::Null);
    }
    Ok(scratch.query_row("SELECT c FROM t", [], |r| {
        Ok(super::value::Cell::from_ref(r.get_ref(0)?))
    })?)
}

/// A schema change, as recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaChange {
    /// create, drop, rename or alter.
    pub op: &'static str,
    pub object: Object,
    /// rename: the old name; alter: the old SQL.
    pub before: Option<String>,
}

/// What changed between two snapshots, in the order undo needs reversed:
/// renames and alters, then drops (a table's indexes and triggers before
/// the table), then creates (the table before its indexes and triggers).
pub fn diff(before: &[Object], after: &[Object]) -> Vec<SchemaChange> {
    let is_table = |o: &&Object| o.kind == "table";
    let same_table = |a: &Object, b: &Object| a.same_table(b);
    let same_name =
        |a: &Object, b: &Object| a.kind == b.kind && a.name.eq_ignore_ascii_case(&b.name);
    let renamed = before.iter().filter(is_table).any(|b| {
        after
            .iter()
            .filter(is_table)
            .any(|a| same_table(b, a) && a.name != b.name)
    });
    let mut out = Vec::new();
    for b in before.iter().filter(is_table) {
        if let Some(a) = after.iter().filter(is_table).find(|a| same_table(b, a)) {
            if a.name != b.name {
                out.push(SchemaChange {
                    op: "rename",
                    object: a.clone(),
                    before: Some(b.name.clone()),
                });
            } else if a.sql != b.sql && !renamed {
                // (A rename rewrites the tables that refer to the renamed
                // one; reverting the rename reverts that too.)
                out.push(SchemaChange {
                    op: "alter",
                    object: a.clone(),
                    before: Some(b.sql.clone()),
                });
            }
        }
    }
    let gone: Vec<&Object> = before
        .iter()
        .filter(|b| {
            if b.kind == "table" {
                !after.iter().filter(is_table).any(|a| same_table(b, a))
            } else {
                !after.iter().any(|a| same_name(b, a))
            }
        })
        .collect();
    for o in gone.iter().filter(|o| o.kind != "table") {
        out.push(SchemaChange {
            op: "drop",
            object: (*o).clone(),
            before: None,
        });
    }
    for o in gone.iter().filter(|o| o.kind == "table") {
        out.push(SchemaChange {
            op: "drop",
            object: (*o).clone(),
            before: None,
        });
    }
    let new: Vec<&Object> = after
        .iter()
        .filter(|a| {
            if a.kind == "table" {
                !before.iter().filter(is_table).any(|b| same_table(b, a))
            } else {
                !before.iter().any(|b| same_name(b, a))
            }
        })
        .collect();
    for o in new
        .iter()
        .filter(|o| o.kind == "table")
        .chain(new.iter().filter(|o| o.kind != "table"))
    {
        out.push(SchemaChange {
            op: "create",
            object: (*o).clone(),
            before: None,
        });
    }
    out
}

/// `SELECT <rowid>, <columns> FROM main.<table>` for a meta (the rowid
/// only for rowid tables), with the rowid's name.
pub fn select_rows_sql(meta: &Meta) -> Result<String> {
    let cols: Vec<String> = meta.columns.iter().map(|c| quote(c)).collect();
    let rowid = if meta.has_rowid {
        match meta.rowid {
            Some(r) => format!("{r}, "),
            None => return Err(no_rowid_name(&meta.name)),
        }
    } else {
        String::new()
    };
    let list = if cols.is_empty() {
        "NULL".to_string()
    } else {
        cols.join(", ")
    };
    Ok(format!(
        "SELECT {rowid}{list} FROM main.{}",
        quote(&meta.name)
    ))
}

/// The error for a rowid table whose rowid every name hides.
pub fn no_rowid_name(table: &str) -> crate::error::Error {
    crate::error::Error::sql(format!(
        "table \"{table}\" has user columns named rowid, _rowid_ and oid, so its rows can not be addressed by rowid"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_virtual_table_options() {
        let v = VirtualSql::parse(
            "CREATE VIRTUAL TABLE [t_fts] USING FTS5 ([title], [body], content=[t])",
        );
        assert!(v.is_fts());
        assert_eq!(v.content().as_deref(), Some("t"));
        let v = VirtualSql::parse("create virtual table f using fts4(a, b, content=\"\")");
        assert_eq!(v.content().as_deref(), Some(""));
        let v =
            VirtualSql::parse("create virtual table f using fts5(a, tokenize = 'porter ascii')");
        assert_eq!(v.content(), None);
        assert_eq!(v.args.len(), 2);
        let v = VirtualSql::parse("CREATE VIRTUAL TABLE r USING rtree(id, x0, x1)");
        assert!(!v.is_fts());
        assert_eq!(v.module, "rtree");
    }

    fn obj(kind: &str, name: &str, table: &str, rootpage: i64, sql: &str) -> Object {
        Object {
            kind: kind.into(),
            name: name.into(),
            table: table.into(),
            rootpage,
            sql: sql.into(),
            schema_row: rootpage,
        }
    }

    #[test]
    fn diff_tells_renames_from_drops_and_creates() {
        let t = obj("table", "t", "t", 2, "CREATE TABLE t(a)");
        let i = obj("index", "i", "t", 3, "CREATE INDEX i ON t(a)");
        let renamed = obj("table", "t_old", "t_old", 2, "CREATE TABLE \"t_old\"(a)");
        let new_t = obj("table", "t", "t", 4, "CREATE TABLE t(b)");
        let ops: Vec<(&str, String)> = diff(&[t.clone(), i.clone()], &[renamed, i.clone(), new_t])
            .into_iter()
            .map(|c| (c.op, c.object.name))
            .collect();
        assert_eq!(
            ops,
            vec![("rename", "t_old".into()), ("create", "t".into())]
        );
        let ops: Vec<(&str, String)> = diff(&[t.clone(), i], &[])
            .into_iter()
            .map(|c| (c.op, c.object.name))
            .collect();
        assert_eq!(ops, vec![("drop", "i".into()), ("drop", "t".into())]);
    }
}
