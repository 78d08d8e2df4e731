//! The records capture holds between a row change and the moment they are
//! written to `_litewrite_changes`, in memory up to a budget and in an
//! unnamed temporary file past it, so memory stays flat however many rows a
//! single statement changes.

use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};

use super::value::Cell;

/// Records held in memory before the rest go to the temporary file.
const MEMORY_BUDGET: usize = 4 << 20;

/// JSON fragments, one per changed column, back to back.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Frags {
    pub bytes: Vec<u8>,
    pub ends: Vec<u32>,
}

impl Frags {
    pub fn push(&mut self, fragment: &[u8]) {
        self.bytes.extend_from_slice(fragment);
        self.ends.push(self.bytes.len() as u32);
    }

    /// Appends one value's JSON text as a fragment.
    pub fn push_json(&mut self, v: rusqlite::types::ValueRef<'_>) {
        super::value::write_json(&mut self.bytes, v);
        self.ends.push(self.bytes.len() as u32);
    }

    pub fn get(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.bytes[start..self.ends[i] as usize]
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }
}

/// Where a row of a rowid table with a declared primary key was and is:
/// `[old, new]` rowids (the same twice for an insert or delete). None for
/// other tables, whose key says where the row is.
pub type Rowids = Option<[i64; 2]>;

/// One buffered record. Keys and images are JSON text (see [`super::value`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Rec {
    /// One inserted row: its key and its values (a JSON array).
    Insert {
        meta: u32,
        key: Vec<u8>,
        image: Vec<u8>,
        rowids: Rowids,
    },
    /// Rows inserted with consecutive rowids `first..=last`, and their digest.
    Range {
        meta: u32,
        first: i64,
        last: i64,
        digest: [u8; 16],
    },
    /// An updated row: its key before the update, the changed columns'
    /// old and new values (two fragments per column: old, new), and the
    /// digest of the whole new row.
    Update {
        meta: u32,
        key: Vec<u8>,
        cols: Vec<u32>,
        values: Frags,
        digest: [u8; 16],
        rowids: Rowids,
    },
    /// A deleted row: its key and its values (a JSON array).
    Delete {
        meta: u32,
        key: Vec<u8>,
        image: Vec<u8>,
        rowids: Rowids,
    },
    /// A change to a table not classified yet when it happened (created by
    /// the statement, or reached by a foreign-key action): classified when
    /// the statement is over.
    Raw {
        table: String,
        epoch: u32,
        op: u8,
        old_rowid: i64,
        new_rowid: i64,
        old: Vec<Cell>,
        new: Vec<Cell>,
    },
    /// A schema change: op, object type and name, SQL, and what it was;
    /// for a rename or alter, the SQL text every object it rewrote had
    /// before (type, name, SQL), so undo can put the exact text back.
    Schema {
        op: String,
        kind: String,
        name: String,
        before: Option<String>,
        sql: String,
        texts: Vec<[String; 3]>,
    },
    /// A write to a virtual table, as the SQL that made it.
    Sql { table: String, sql: String },
    /// A removed record (a delete and insert of the same row that changed nothing).
    Dead,
}

impl Rec {
    fn size(&self) -> usize {
        std::mem::size_of::<Rec>()
            + 64
            + match self {
                Rec::Insert { key, image, .. } | Rec::Delete { key, image, .. } => {
                    key.len() + image.len()
                }
                Rec::Update { key, values, .. } => {
                    key.len() + values.bytes.len() + 4 * values.len()
                }
                Rec::Raw { old, new, .. } => 24 * (old.len() + new.len()),
                Rec::Schema {
                    sql, before, texts, ..
                } => {
                    sql.len()
                        + before.as_ref().map_or(0, String::len)
                        + texts.iter().flatten().map(String::len).sum::<usize>()
                }
                Rec::Sql { sql, .. } => sql.len(),
                Rec::Range { .. } | Rec::Dead => 0,
            }
    }
}

/// Records in order: those in the temporary file first, then those in memory.
#[derive(Default)]
pub struct Buffer {
    pub mem: Vec<Rec>,
    bytes: usize,
    file: Option<BufWriter<File>>,
}

impl Buffer {
    /// Appends a record; returns its index in `mem`.
    pub fn push(&mut self, rec: Rec) -> usize {
        self.bytes += rec.size();
        self.mem.push(rec);
        self.mem.len() - 1
    }

    /// True when the records in memory should go to the file.
    pub fn over_budget(&self) -> bool {
        self.bytes > MEMORY_BUDGET
    }

    /// Moves the records in memory to the temporary file.
    pub fn spill(&mut self) -> io::Result<()> {
        if self.file.is_none() {
            self.file = Some(BufWriter::with_capacity(1 << 16, tempfile::tempfile()?));
        }
        let out = self.file.as_mut().expect("spill file");
        for rec in self.mem.drain(..) {
            write_rec(out, &rec)?;
        }
        self.bytes = 0;
        Ok(())
    }

    /// Takes every record out, in order; the buffer is empty afterwards.
    pub fn drain(&mut self) -> io::Result<Records> {
        let spilled = match self.file.take() {
            Some(w) => {
                let mut f = w.into_inner().map_err(|e| e.into_error())?;
                f.seek(SeekFrom::Start(0))?;
                Some(BufReader::with_capacity(1 << 16, f))
            }
            None => None,
        };
        self.bytes = 0;
        Ok(Records {
            spilled,
            mem: std::mem::take(&mut self.mem).into_iter(),
        })
    }
}

/// The records of a drained buffer.
pub struct Records {
    spilled: Option<BufReader<File>>,
    mem: std::vec::IntoIter<Rec>,
}

impl Iterator for Records {
    type Item = io::Result<Rec>;

    fn next(&mut self) -> Option<io::Result<Rec>> {
        if let Some(r) = self.spilled.as_mut() {
            match read_rec(r) {
                Ok(Some(rec)) => return Some(Ok(rec)),
                Ok(None) => self.spilled = None,
                Err(e) => {
                    self.spilled = None;
                    return Some(Err(e));
                }
            }
        }
        self.mem.next().map(Ok)
    }
}

fn put_bytes(w: &mut impl Write, b: &[u8]) -> io::Result<()> {
    w.write_all(&(b.len() as u64).to_le_bytes())?;
    w.write_all(b)
}

fn put_opt(w: &mut impl Write, s: &Option<String>) -> io::Result<()> {
    match s {
        Some(s) => {
            w.write_all(&[1])?;
            put_bytes(w, s.as_bytes())
        }
        None => w.write_all(&[0]),
    }
}

fn put_cells(w: &mut impl Write, cells: &[Cell]) -> io::Result<()> {
    w.write_all(&(cells.len() as u64).to_le_bytes())?;
    for c in cells {
        match c {
            Cell::Null => w.write_all(&[0])?,
            Cell::Integer(i) => {
                w.write_all(&[1])?;
                w.write_all(&i.to_le_bytes())?;
            }
            Cell::Real(f) => {
                w.write_all(&[2])?;
                w.write_all(&f.to_bits().to_le_bytes())?;
            }
            Cell::Text(t) => {
                w.write_all(&[3])?;
                put_bytes(w, t)?;
            }
            Cell::Blob(b) => {
                w.write_all(&[4])?;
                put_bytes(w, b)?;
            }
        }
    }
    Ok(())
}

fn put_rowids(w: &mut impl Write, r: &Rowids) -> io::Result<()> {
    match r {
        Some([a, b]) => {
            w.write_all(&[1])?;
            w.write_all(&a.to_le_bytes())?;
            w.write_all(&b.to_le_bytes())
        }
        None => w.write_all(&[0]),
    }
}

fn get_rowids(r: &mut impl Read) -> io::Result<Rowids> {
    Ok(match get_u8(r)? {
        0 => None,
        _ => Some([get_i64(r)?, get_i64(r)?]),
    })
}

fn put_frags(w: &mut impl Write, f: &Frags) -> io::Result<()> {
    put_bytes(w, &f.bytes)?;
    w.write_all(&(f.ends.len() as u64).to_le_bytes())?;
    for e in &f.ends {
        w.write_all(&e.to_le_bytes())?;
    }
    Ok(())
}

fn write_rec(w: &mut impl Write, rec: &Rec) -> io::Result<()> {
    match rec {
        Rec::Insert {
            meta,
            key,
            image,
            rowids,
        }
        | Rec::Delete {
            meta,
            key,
            image,
            rowids,
        } => {
            w.write_all(&[if matches!(rec, Rec::Insert { .. }) {
                1
            } else {
                4
            }])?;
            w.write_all(&meta.to_le_bytes())?;
            put_bytes(w, key)?;
            put_bytes(w, image)?;
            put_rowids(w, rowids)
        }
        Rec::Range {
            meta,
            first,
            last,
            digest,
        } => {
            w.write_all(&[2])?;
            w.write_all(&meta.to_le_bytes())?;
            w.write_all(&first.to_le_bytes())?;
            w.write_all(&last.to_le_bytes())?;
            w.write_all(digest)
        }
        Rec::Update {
            meta,
            key,
            cols,
            values,
            digest,
            rowids,
        } => {
            w.write_all(&[3])?;
            w.write_all(&meta.to_le_bytes())?;
            put_bytes(w, key)?;
            w.write_all(&(cols.len() as u64).to_le_bytes())?;
            for c in cols {
                w.write_all(&c.to_le_bytes())?;
            }
            put_frags(w, values)?;
            w.write_all(digest)?;
            put_rowids(w, rowids)
        }
        Rec::Raw {
            table,
            epoch,
            op,
            old_rowid,
            new_rowid,
            old,
            new,
        } => {
            w.write_all(&[5, *op])?;
            put_bytes(w, table.as_bytes())?;
            w.write_all(&epoch.to_le_bytes())?;
            w.write_all(&old_rowid.to_le_bytes())?;
            w.write_all(&new_rowid.to_le_bytes())?;
            put_cells(w, old)?;
            put_cells(w, new)
        }
        Rec::Schema {
            op,
            kind,
            name,
            before,
            sql,
            texts,
        } => {
            w.write_all(&[6])?;
            put_bytes(w, op.as_bytes())?;
            put_bytes(w, kind.as_bytes())?;
            put_bytes(w, name.as_bytes())?;
            put_opt(w, before)?;
            put_bytes(w, sql.as_bytes())?;
            w.write_all(&(texts.len() as u64).to_le_bytes())?;
            for t in texts.iter().flatten() {
                put_bytes(w, t.as_bytes())?;
            }
            Ok(())
        }
        Rec::Sql { table, sql } => {
            w.write_all(&[7])?;
            put_bytes(w, table.as_bytes())?;
            put_bytes(w, sql.as_bytes())
        }
        Rec::Dead => Ok(()),
    }
}

fn get_u8(r: &mut impl Read) -> io::Result<u8> {
    let mut b = [0u8; 1];
    r.read_exact(&mut b)?;
    Ok(b[0])
}

fn get_u32(r: &mut impl Read) -> io::Result<u32> {
    let mut b = [0u8; 4];
    r.read_exact(&mut b)?;
    Ok(u32::from_le_bytes(b))
}

fn get_i64(r: &mut impl Read) -> io::Result<i64> {
    let mut b = [0u8; 8];
    r.read_exact(&mut b)?;
    Ok(i64::from_le_bytes(b))
}

fn get_bytes(r: &mut impl Read) -> io::Result<Vec<u8>> {
    let n = get_i64(r)? as usize;
    let mut b = vec![0u8; n];
    r.read_exact(&mut b)?;
    Ok(b)
}

fn get_string(r: &mut impl Read) -> io::Result<String> {
    String::from_utf8(get_bytes(r)?).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

fn get_opt(r: &mut impl Read) -> io::Result<Option<String>> {
    Ok(match get_u8(r)? {
        0 => None,
        _ => Some(get_string(r)?),
    })
}

fn get_cells(r: &mut impl Read) -> io::Result<Vec<Cell>> {
    let n = get_i64(r)? as usize;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        out.push(match get_u8(r)? {
            0 => Cell::Null,
            1 => Cell::Integer(get_i64(r)?),
            2 => Cell::Real(f64::from_bits(get_i64(r)? as u64)),
            3 => Cell::Text(get_bytes(r)?),
            _ => Cell::Blob(get_bytes(r)?),
        });
    }
    Ok(out)
}

fn get_frags(r: &mut impl Read) -> io::Result<Frags> {
    let bytes = get_bytes(r)?;
    let n = get_i64(r)? as usize;
    let mut ends = Vec::with_capacity(n);
    for _ in 0..n {
        ends.push(get_u32(r)?);
    }
    Ok(Frags { bytes, ends })
}

fn get_digest(r: &mut impl Read) -> io::Result<[u8; 16]> {
    let mut d = [0u8; 16];
    r.read_exact(&mut d)?;
    Ok(d)
}

/// Reads the next record; None at the end of the file.
fn read_rec(r: &mut impl Read) -> io::Result<Option<Rec>> {
    let tag = match get_u8(r) {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    };
    Ok(Some(match tag {
        1 | 4 => {
            let meta = get_u32(r)?;
            let key = get_bytes(r)?;
            let image = get_bytes(r)?;
            let rowids = get_rowids(r)?;
            if tag == 1 {
                Rec::Insert {
                    meta,
                    key,
                    image,
                    rowids,
                }
            } else {
                Rec::Delete {
                    meta,
                    key,
                    image,
                    rowids,
                }
            }
        }
        2 => Rec::Range {
            meta: get_u32(r)?,
            first: get_i64(r)?,
            last: get_i64(r)?,
            digest: get_digest(r)?,
        },
        3 => {
            let meta = get_u32(r)?;
            let key = get_bytes(r)?;
            let n = get_i64(r)? as usize;
            let mut cols = Vec::with_capacity(n);
            for _ in 0..n {
                cols.push(get_u32(r)?);
            }
            Rec::Update {
                meta,
                key,
                cols,
                values: get_frags(r)?,
                digest: get_digest(r)?,
                rowids: get_rowids(r)?,
            }
        }
        5 => Rec::Raw {
            op: get_u8(r)?,
            table: get_string(r)?,
            epoch: get_u32(r)?,
            old_rowid: get_i64(r)?,
            new_rowid: get_i64(r)?,
            old: get_cells(r)?,
            new: get_cells(r)?,
        },
        6 => Rec::Schema {
            op: get_string(r)?,
            kind: get_string(r)?,
            name: get_string(r)?,
            before: get_opt(r)?,
            sql: get_string(r)?,
            texts: {
                let n = get_i64(r)? as usize;
                let mut texts = Vec::with_capacity(n);
                for _ in 0..n {
                    texts.push([get_string(r)?, get_string(r)?, get_string(r)?]);
                }
                texts
            },
        },
        7 => Rec::Sql {
            table: get_string(r)?,
            sql: get_string(r)?,
        },
        other => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("unknown record tag {other} in the capture spill file"),
            ))
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spilled_records_come_back_in_order() {
        let mut frags = Frags::default();
        frags.push(b"1");
        frags.push(b"\"x\"");
        frags.push(b"2");
        frags.push(b"null");
        let recs = vec![
            Rec::Insert {
                meta: 1,
                key: b"5".to_vec(),
                image: b"[5,\"a\"]".to_vec(),
                rowids: Some([7, 7]),
            },
            Rec::Range {
                meta: 2,
                first: 1,
                last: 9,
                digest: [7; 16],
            },
            Rec::Update {
                meta: 1,
                key: b"5".to_vec(),
                cols: vec![0, 1],
                values: frags,
                digest: [1; 16],
                rowids: Some([3, 9]),
            },
            Rec::Delete {
                meta: 1,
                key: b"\"k\"".to_vec(),
                image: b"[\"k\"]".to_vec(),
                rowids: None,
            },
            Rec::Raw {
                table: "t".into(),
                epoch: 3,
                op: 2,
                old_rowid: 4,
                new_rowid: 4,
                old: vec![Cell::Null, Cell::Real(-0.0), Cell::Text(vec![0xff])],
                new: vec![Cell::Blob(vec![1, 2])],
            },
            Rec::Schema {
                op: "rename".into(),
                kind: "table".into(),
                name: "t2".into(),
                before: Some("t".into()),
                sql: "CREATE TABLE \"t2\"(a)".into(),
                texts: vec![["table".into(), "t".into(), "CREATE TABLE t(a)".into()]],
            },
            Rec::Sql {
                table: "f".into(),
                sql: "insert into f values (1)".into(),
            },
        ];
        let mut b = Buffer::default();
        b.push(recs[0].clone());
        b.push(recs[1].clone());
        b.spill().unwrap();
        for r in &recs[2..] {
            b.push(r.clone());
        }
        let back: Vec<Rec> = b.drain().unwrap().map(|r| r.unwrap()).collect();
        assert_eq!(back, recs);
        assert!(b.drain().unwrap().next().is_none());
    }
}
