//! Row values as change records hold them: lossless JSON text, and the
//! digest that stands for rows a record does not spell out.
//!
//! The JSON form of one value:
//!
//! | SQLite value | JSON |
//! |---|---|
//! | NULL | `null` |
//! | INTEGER | a JSON integer |
//! | REAL, finite | a JSON number printed shortest-round-trip, always with a `.` or an exponent (`2.0`, `1e300`) so it reads back as REAL |
//! | REAL ±∞, NaN | `{"$real": "Infinity"}`, `{"$real": "-Infinity"}`, `{"$real": "NaN"}` |
//! | TEXT, valid UTF-8 | a JSON string |
//! | TEXT, not valid UTF-8 | `{"$text": true, "encoded": "<base64 of the bytes>"}` |
//! | BLOB | `{"$base64": true, "encoded": "<base64>"}` (the form input and output use) |
//!
//! Objects only ever stand for these tagged values, so a user's text that
//! looks like a tag is still a JSON string and can not be mistaken for one.
//! Reading a value back ([`decode`]) gives exactly the value that was
//! encoded; anything else (a malformed record) is an error naming the change.
//!
//! A digest is SHA-256 over a canonical byte encoding (a type tag, then the
//! little-endian integer or IEEE-754 bits, or the length and the bytes),
//! truncated to 128 bits and printed as hex: enough to tell a changed row
//! from an unchanged one, which is all it is used for.

use base64::Engine as _;
use rusqlite::types::{ToSql, ToSqlOutput, ValueRef};
use serde::Serialize;
use serde_json::Value as Json;
use sha2::{Digest as _, Sha256};

use crate::error::{Error, Result};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// An owned SQLite value; TEXT keeps its bytes, valid UTF-8 or not.
#[derive(Debug, Clone)]
pub enum Cell {
    Null,
    Integer(i64),
    Real(f64),
    Text(Vec<u8>),
    Blob(Vec<u8>),
}

impl PartialEq for Cell {
    /// Exact equality: REALs compare by their bits, so 0.0 and -0.0 differ.
    fn eq(&self, other: &Cell) -> bool {
        match (self, other) {
            (Cell::Null, Cell::Null) => true,
            (Cell::Integer(a), Cell::Integer(b)) => a == b,
            (Cell::Real(a), Cell::Real(b)) => a.to_bits() == b.to_bits(),
            (Cell::Text(a), Cell::Text(b)) | (Cell::Blob(a), Cell::Blob(b)) => a == b,
            _ => false,
        }
    }
}

impl Cell {
    pub fn from_ref(v: ValueRef<'_>) -> Cell {
        match v {
            ValueRef::Null => Cell::Null,
            ValueRef::Integer(i) => Cell::Integer(i),
            ValueRef::Real(f) => Cell::Real(f),
            ValueRef::Text(t) => Cell::Text(t.to_vec()),
            ValueRef::Blob(b) => Cell::Blob(b.to_vec()),
        }
    }

    pub fn as_ref(&self) -> ValueRef<'_> {
        match self {
            Cell::Null => ValueRef::Null,
            Cell::Integer(i) => ValueRef::Integer(*i),
            Cell::Real(f) => ValueRef::Real(*f),
            Cell::Text(t) => ValueRef::Text(t),
            Cell::Blob(b) => ValueRef::Blob(b),
        }
    }

    /// The value as JSON (tagged where plain JSON can not hold it).
    pub fn to_json(&self) -> Json {
        let mut text = Vec::new();
        write_json(&mut text, self.as_ref());
        serde_json::from_slice(&text).unwrap_or(Json::Null)
    }
}

impl ToSql for Cell {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(self.as_ref()))
    }
}

/// True when two values are exactly the same (type and content).
pub fn same(a: ValueRef<'_>, b: ValueRef<'_>) -> bool {
    match (a, b) {
        (ValueRef::Null, ValueRef::Null) => true,
        (ValueRef::Integer(x), ValueRef::Integer(y)) => x == y,
        (ValueRef::Real(x), ValueRef::Real(y)) => x.to_bits() == y.to_bits(),
        (ValueRef::Text(x), ValueRef::Text(y)) | (ValueRef::Blob(x), ValueRef::Blob(y)) => x == y,
        _ => false,
    }
}

/// Appends the JSON form of a value.
pub fn write_json(out: &mut Vec<u8>, v: ValueRef<'_>) {
    match v {
        ValueRef::Null => out.extend_from_slice(b"null"),
        ValueRef::Integer(i) => out.extend_from_slice(itoa::Buffer::new().format(i).as_bytes()),
        ValueRef::Real(f) if f.is_finite() => {
            out.extend_from_slice(ryu::Buffer::new().format_finite(f).as_bytes())
        }
        ValueRef::Real(f) => {
            let name = if f.is_nan() {
                "NaN"
            } else if f > 0.0 {
                "Infinity"
            } else {
                "-Infinity"
            };
            out.extend_from_slice(b"{\"$real\":\"");
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(b"\"}");
        }
        ValueRef::Text(t) => match std::str::from_utf8(t) {
            Ok(s) => write_str(out, s),
            Err(_) => write_tagged(out, "$text", t),
        },
        ValueRef::Blob(b) => write_tagged(out, "$base64", b),
    }
}

/// Appends a JSON string.
pub fn write_str(out: &mut Vec<u8>, s: &str) {
    // Serializing a str into a Vec can not fail.
    let _ = s.serialize(&mut serde_json::Serializer::new(out));
}

fn write_tagged(out: &mut Vec<u8>, tag: &str, bytes: &[u8]) {
    out.extend_from_slice(b"{\"");
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(b"\":true,\"encoded\":\"");
    out.extend_from_slice(B64.encode(bytes).as_bytes());
    out.extend_from_slice(b"\"}");
}

/// Reads one value back from its JSON form; `what` names the record in the error.
pub fn decode(v: &Json, what: &dyn Fn() -> String) -> Result<Cell> {
    let bad = |why: &str| Error::sql(format!("{}: {why}", what()));
    Ok(match v {
        Json::Null => Cell::Null,
        Json::Number(n) => match n.as_i64() {
            Some(i) => Cell::Integer(i),
            None if n.is_f64() => Cell::Real(n.as_f64().unwrap_or(f64::NAN)),
            None => return Err(bad(&format!("the number {n} is not a 64-bit value"))),
        },
        Json::String(s) => Cell::Text(s.clone().into_bytes()),
        Json::Object(map) => {
            let encoded = || -> Result<Vec<u8>> {
                match map.get("encoded") {
                    Some(Json::String(e)) if map.len() == 2 => B64
                        .decode(e)
                        .map_err(|e| bad(&format!("invalid base64 ({e})"))),
                    _ => Err(bad(
                        "a tagged value needs exactly one other key, \"encoded\"",
                    )),
                }
            };
            if map.get("$base64") == Some(&Json::Bool(true)) {
                Cell::Blob(encoded()?)
            } else if map.get("$text") == Some(&Json::Bool(true)) {
                Cell::Text(encoded()?)
            } else if let (Some(Json::String(r)), 1) = (map.get("$real"), map.len()) {
                Cell::Real(match r.as_str() {
                    "Infinity" => f64::INFINITY,
                    "-Infinity" => f64::NEG_INFINITY,
                    "NaN" => f64::NAN,
                    other => return Err(bad(&format!("unknown $real value {other:?}"))),
                })
            } else {
                return Err(bad(&format!("unknown tagged value {v}")));
            }
        }
        other => return Err(bad(&format!("{other} is not a recorded value"))),
    })
}

/// Parses JSON text a record holds; `what` names the record in the error.
pub fn parse(text: &str, what: &dyn Fn() -> String) -> Result<Json> {
    serde_json::from_str(text)
        .map_err(|e| Error::sql(format!("{}: it is not valid JSON ({e})", what())))
}

/// A running digest of rows.
pub struct Digest(Sha256);

impl Default for Digest {
    fn default() -> Self {
        Digest(Sha256::new())
    }
}

impl Digest {
    /// Feeds a rowid (ranges of rows are digested with their rowids).
    pub fn rowid(&mut self, rowid: i64) {
        self.0.update(rowid.to_le_bytes());
    }

    /// Feeds one value.
    pub fn value(&mut self, v: ValueRef<'_>) {
        match v {
            ValueRef::Null => self.0.update([0u8]),
            ValueRef::Integer(i) => {
                self.0.update([1u8]);
                self.0.update(i.to_le_bytes());
            }
            ValueRef::Real(f) => {
                self.0.update([2u8]);
                self.0.update(f.to_bits().to_le_bytes());
            }
            ValueRef::Text(t) => {
                self.0.update([3u8]);
                self.0.update((t.len() as u64).to_le_bytes());
                self.0.update(t);
            }
            ValueRef::Blob(b) => {
                self.0.update([4u8]);
                self.0.update((b.len() as u64).to_le_bytes());
                self.0.update(b);
            }
        }
    }

    /// The first 128 bits of the SHA-256.
    pub fn finish(self) -> [u8; 16] {
        let full = self.0.finalize();
        let mut out = [0u8; 16];
        out.copy_from_slice(&full[..16]);
        out
    }
}

/// A digest as the records print it (32 hex digits).
pub fn hex(digest: &[u8; 16]) -> String {
    hex_bytes(digest).iter().map(|&b| char::from(b)).collect()
}

/// [`hex`]'s digits as bytes, without an allocation.
pub fn hex_bytes(digest: &[u8; 16]) -> [u8; 32] {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = [0u8; 32];
    for (i, b) in digest.iter().enumerate() {
        out[2 * i] = DIGITS[(b >> 4) as usize];
        out[2 * i + 1] = DIGITS[(b & 15) as usize];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(v: ValueRef<'_>) -> Cell {
        let mut out = Vec::new();
        write_json(&mut out, v);
        let text = String::from_utf8(out).unwrap();
        decode(&parse(&text, &|| "t".into()).unwrap(), &|| "t".into()).unwrap()
    }

    #[test]
    fn every_value_reads_back_exactly() {
        let values = [
            ValueRef::Null,
            ValueRef::Integer(i64::MIN),
            ValueRef::Integer(i64::MAX),
            ValueRef::Real(2.0),
            ValueRef::Real(-0.0),
            ValueRef::Real(123456789.12345679),
            ValueRef::Real(5e-324),
            ValueRef::Real(1e300),
            ValueRef::Real(f64::INFINITY),
            ValueRef::Real(f64::NEG_INFINITY),
            ValueRef::Text(b"caf\xc3\xa9 \"q\" \\"),
            ValueRef::Text(b"\xff\xfe not utf-8"),
            ValueRef::Text(b"{\"$base64\": true, \"encoded\": \"AA==\"}"),
            ValueRef::Blob(b"\x00\x01\xff"),
        ];
        for v in values {
            assert_eq!(round_trip(v), Cell::from_ref(v), "{v:?}");
        }
        assert!(matches!(round_trip(ValueRef::Real(f64::NAN)), Cell::Real(f) if f.is_nan()));
        // A real that is a whole number stays a real.
        assert_eq!(round_trip(ValueRef::Real(3.0)), Cell::Real(3.0));
    }

    #[test]
    fn malformed_values_are_errors() {
        for text in [
            "true",
            "[1]",
            "{\"$real\": \"x\"}",
            "{\"$base64\": true}",
            "{\"a\": 1}",
        ] {
            let v: Json = serde_json::from_str(text).unwrap();
            assert!(decode(&v, &|| "change 7".into()).is_err(), "{text}");
        }
    }

    #[test]
    fn digests_tell_types_apart() {
        let d = |v: ValueRef<'_>| {
            let mut d = Digest::default();
            d.value(v);
            hex(&d.finish())
        };
        assert_ne!(d(ValueRef::Integer(1)), d(ValueRef::Real(1.0)));
        assert_ne!(d(ValueRef::Text(b"a")), d(ValueRef::Blob(b"a")));
        assert_eq!(d(ValueRef::Text(b"a")).len(), 32);
        assert_eq!(
            hex(&[0x01, 0xab, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10])[..6],
            *"01abff"
        );
    }
}
