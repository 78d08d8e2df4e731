//! Table definitions: column types as users spell them, and the one place
//! that renders `CREATE TABLE` (used by `create` and by `insert` when it
//! creates a table from the rows).

use rusqlite::types::Value;

use crate::db::{literal, quote};
use crate::error::{Error, Result};

/// A column of a table to create.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnDef {
    pub name: String,
    /// Declared SQL type ("" for none).
    pub sql_type: String,
    pub not_null: bool,
    /// The DEFAULT clause's SQL literal.
    pub default: Option<String>,
}

/// A foreign key: `column` references `table`.`to`.
#[derive(Debug, Clone, PartialEq)]
pub struct ForeignKey {
    pub column: String,
    pub table: String,
    pub to: String,
}

/// A table to create.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TableDef {
    pub name: String,
    pub columns: Vec<ColumnDef>,
    pub pk: Vec<String>,
    pub foreign_keys: Vec<ForeignKey>,
    pub strict: bool,
}

/// Maps a user-facing type name (text, integer, real/float, blob, any) to SQL.
pub fn sql_type(name: &str, strict: bool) -> Result<String> {
    Ok(match name.to_ascii_lowercase().as_str() {
        "text" | "str" => "TEXT",
        "integer" | "int" => "INTEGER",
        "real" | "float" => "REAL",
        "blob" | "bytes" => "BLOB",
        // Outside STRICT tables ANY would mean NUMERIC affinity and turn
        // '01234' into 1234; no declared type keeps values as given.
        "any" => {
            if strict {
                "ANY"
            } else {
                ""
            }
        }
        other => {
            return Err(Error::usage(format!(
                "unknown column type {other:?}; use text, integer, real, float, blob or any"
            )))
        }
    }
    .to_string())
}

/// The SQL type a value suggests for a new column.
pub fn type_of(value: &Value) -> Option<&'static str> {
    match value {
        Value::Null => None,
        Value::Integer(_) => Some("INTEGER"),
        Value::Real(_) => Some("REAL"),
        Value::Text(_) => Some("TEXT"),
        Value::Blob(_) => Some("BLOB"),
    }
}

/// Merges two inferred types: integers and floats make REAL; any other mix
/// (text and numbers, say) makes a column with no declared type.
///
/// A column with no declared type has no affinity, so each value keeps its
/// own type: TEXT affinity would turn the number 438 into the text '438', and
/// `ANY` outside a STRICT table means NUMERIC affinity, which turns the text
/// '01234' into the number 1234.
pub fn merge_types(a: Option<&'static str>, b: Option<&'static str>) -> Option<&'static str> {
    match (a, b) {
        (None, x) | (x, None) => x,
        (Some(x), Some(y)) if x == y => Some(x),
        (Some("INTEGER"), Some("REAL")) | (Some("REAL"), Some("INTEGER")) => Some("REAL"),
        _ => Some(""),
    }
}

/// The type a CSV/TSV cell suggests for a new column: INTEGER or REAL when it
/// is spelled as a number (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`,
/// an integer fitting 64 bits, a float finite), TEXT otherwise (`01234`,
/// `+5`, `1,000`); None for an empty cell, which says nothing.
pub fn cell_type(text: &str) -> Option<&'static str> {
    if text.is_empty() {
        return None;
    }
    Some(match number_shape(text.as_bytes()) {
        Some(false) if text.parse::<i64>().is_ok() => "INTEGER",
        Some(true) if text.parse::<f64>().is_ok_and(f64::is_finite) => "REAL",
        _ => "TEXT",
    })
}

/// Merges CSV/TSV cell types: a column is numeric only when every value is a
/// number (integers and floats make REAL); any text makes it TEXT, which keeps
/// every cell exactly as written.
pub fn merge_cell_types(a: Option<&'static str>, b: Option<&'static str>) -> Option<&'static str> {
    match merge_types(a, b) {
        Some("") => Some("TEXT"),
        other => other,
    }
}

/// Whether `s` is spelled as a JSON number: None if not, Some(false) for an
/// integer, Some(true) with a fraction or exponent.
fn number_shape(s: &[u8]) -> Option<bool> {
    let digits = |s: &[u8]| s.iter().take_while(|b| b.is_ascii_digit()).count();
    let mut i = usize::from(s.first() == Some(&b'-'));
    let int = digits(&s[i..]);
    if int == 0 || (int > 1 && s[i] == b'0') {
        return None;
    }
    i += int;
    let mut float = false;
    if s.get(i) == Some(&b'.') {
        let frac = digits(&s[i + 1..]);
        if frac == 0 {
            return None;
        }
        i += 1 + frac;
        float = true;
    }
    if matches!(s.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(s.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let exp = digits(&s[i..]);
        if exp == 0 {
            return None;
        }
        i += exp;
        float = true;
    }
    (i == s.len()).then_some(float)
}

/// A column's type affinity, as SQLite derives it from the declared type
/// (https://sqlite.org/datatype3.html, 3.1): what it does to a value bound to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Affinity {
    Integer,
    Text,
    Blob,
    Real,
    Numeric,
}

impl Affinity {
    /// The affinity of a declared type.
    pub fn of(declared: &str) -> Affinity {
        let t = declared.to_ascii_uppercase();
        if t.contains("INT") {
            Affinity::Integer
        } else if t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT") {
            Affinity::Text
        } else if t.contains("BLOB") || t.is_empty() {
            Affinity::Blob
        } else if t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB") {
            Affinity::Real
        } else {
            Affinity::Numeric
        }
    }

    /// Whether the column holds numbers (text that looks like one becomes one).
    pub fn is_numeric(self) -> bool {
        matches!(self, Affinity::Integer | Affinity::Real | Affinity::Numeric)
    }
}

/// What to bind instead of `value` so that a column of this affinity stores
/// it unchanged, if anything: a float for a TEXT column is its shortest exact
/// text (not SQLite's 17 digits); an empty CSV/TSV cell (`cell_text`) for a
/// numeric column is NULL, being no number. Other number text in a numeric
/// column needs nothing (SQLite's affinity makes it a number), unless the
/// number it stands for can not be stored: an integer beyond 64 bits, which
/// an INTEGER or NUMERIC column would round to a REAL, or a number beyond a
/// REAL's range, which would become ±Infinity, or an integer (a JSON or
/// `:=` integer, not number text, which a REAL column takes as the nearest
/// double like any decimal) that a REAL column would round (beyond 2^53:
/// `9007199254740993` becomes `9007199254740992.0`). Those are an error
/// naming `column`, never silently rounded.
pub fn exact_binding(
    value: &Value,
    column: &str,
    affinity: Affinity,
    cell_text: bool,
) -> Result<Option<Value>> {
    Ok(match value {
        Value::Real(f) if !cell_text && affinity == Affinity::Text => {
            Some(Value::Text(float_text(*f)))
        }
        Value::Integer(i) if affinity == Affinity::Real && !fits_real(*i) => {
            return Err(rounded_by_real(*i, column));
        }
        Value::Text(t) if cell_text && t.is_empty() && affinity.is_numeric() => Some(Value::Null),
        Value::Text(t) if affinity.is_numeric() => {
            check_number_text(t, column, affinity)?;
            None
        }
        _ => None,
    })
}

/// Fails when number text would not be stored as the number it spells (see
/// [`exact_binding`]). Text SQLite does not read as a number stays text.
fn check_number_text(text: &str, column: &str, affinity: Affinity) -> Result<()> {
    // SQLite's affinity ignores the same white space around a number.
    let t = text.trim_matches(|c: char| matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c'));
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    let is_integer = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    if is_integer {
        if affinity != Affinity::Real && t.parse::<i64>().is_err() {
            return Err(Error::usage(format!(
                "column \"{column}\": the integer {t} does not fit in 64 bits, and the column's type would store it rounded, as a REAL; declare the column TEXT to keep its digits"
            )));
        }
        return Ok(());
    }
    let is_decimal = {
        let (mantissa, exponent) = match digits.find(['e', 'E']) {
            Some(i) => (&digits[..i], Some(&digits[i + 1..])),
            None => (digits, None),
        };
        let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        (!whole.is_empty() || !fraction.is_empty())
            && all_digits(whole)
            && all_digits(fraction)
            && exponent.is_none_or(|e| {
                let e = e.strip_prefix(['+', '-']).unwrap_or(e);
                !e.is_empty() && all_digits(e)
            })
    };
    if is_decimal && t.parse::<f64>().is_ok_and(f64::is_infinite) {
        return Err(Error::usage(format!(
            "column \"{column}\": the number {t} is beyond the range of a REAL, and the column's type would store it as Infinity"
        )));
    }
    Ok(())
}

/// Whether a REAL holds this integer exactly (every integer up to 2^53 does;
/// beyond, only some).
pub fn fits_real(i: i64) -> bool {
    // Through i128: `i64::MAX as f64` is 2^63, which `as i64` saturates back
    // to i64::MAX and would look exact.
    i as f64 as i128 == i128::from(i)
}

fn rounded_by_real(integer: i64, column: &str) -> Error {
    Error::usage(format!(
        "column \"{column}\": the integer {integer} can not be held exactly by a REAL, and the column's type would store it rounded; declare the column INTEGER or NUMERIC, or with no type, to keep it"
    ))
}

/// The shortest text that reads back as exactly this float (`0.1`, `1e300`,
/// `438.0`): what a REAL becomes in a TEXT column. SQLite's own conversion
/// prints up to 17 significant digits, which changes `0.7116109466329968`
/// into `'0.71161094663299684'`.
pub fn float_text(f: f64) -> String {
    if f.is_finite() {
        ryu::Buffer::new().format_finite(f).to_string()
    } else {
        f.to_string()
    }
}

/// A DEFAULT literal from command-line text: numbers stay numbers.
pub fn default_literal(text: &str) -> String {
    if text.parse::<i64>().is_ok()
        || (text.parse::<f64>().is_ok_and(f64::is_finite) && !text.starts_with('+'))
    {
        text.to_string()
    } else {
        literal(text)
    }
}

/// Splits `COL=VALUE` (for --default, --type, --fk).
pub fn split_pair<'a>(flag: &str, arg: &'a str) -> Result<(&'a str, &'a str)> {
    match arg.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k, v)),
        _ => Err(Error::usage(format!(
            "{flag} expects COL=VALUE, got {arg:?}"
        ))),
    }
}

impl TableDef {
    /// Finds a column by name, ASCII case-insensitively like SQLite.
    pub fn column_mut(&mut self, name: &str) -> Option<&mut ColumnDef> {
        self.columns
            .iter_mut()
            .find(|c| c.name.eq_ignore_ascii_case(name))
    }

    /// Applies --not-null and --default; each must name a column.
    pub fn apply_options(&mut self, not_null: &[String], defaults: &[String]) -> Result<()> {
        for col in not_null {
            let table = self.name.clone();
            self.column_mut(col)
                .ok_or_else(|| no_column("--not-null", &table, col))?
                .not_null = true;
        }
        for arg in defaults {
            let (col, value) = split_pair("--default", arg)?;
            let table = self.name.clone();
            self.column_mut(col)
                .ok_or_else(|| no_column("--default", &table, col))?
                .default = Some(default_literal(value));
        }
        for col in &self.pk {
            if !self
                .columns
                .iter()
                .any(|c| c.name.eq_ignore_ascii_case(col))
            {
                return Err(no_column("--pk", &self.name, col));
            }
        }
        Ok(())
    }

    /// The CREATE TABLE statement.
    pub fn create_sql(&self) -> String {
        let single_pk = (self.pk.len() == 1).then(|| self.pk[0].as_str());
        let mut parts: Vec<String> = self
            .columns
            .iter()
            .map(|c| {
                let mut s = quote(&c.name);
                if !c.sql_type.is_empty() {
                    s.push(' ');
                    s.push_str(&c.sql_type);
                }
                if single_pk.is_some_and(|p| p.eq_ignore_ascii_case(&c.name)) {
                    s.push_str(" PRIMARY KEY");
                }
                if c.not_null {
                    s.push_str(" NOT NULL");
                }
                if let Some(d) = &c.default {
                    s.push_str(" DEFAULT ");
                    s.push_str(d);
                }
                s
            })
            .collect();
        if self.pk.len() > 1 {
            let cols: Vec<String> = self.pk.iter().map(|c| quote(c)).collect();
            parts.push(format!("PRIMARY KEY ({})", cols.join(", ")));
        }
        for fk in &self.foreign_keys {
            parts.push(format!(
                "FOREIGN KEY ({}) REFERENCES {} ({})",
                quote(&fk.column),
                quote(&fk.table),
                quote(&fk.to)
            ));
        }
        format!(
            "CREATE TABLE {} (\n  {}\n){}",
            quote(&self.name),
            parts.join(",\n  "),
            if self.strict { " STRICT" } else { "" }
        )
    }
}

fn no_column(flag: &str, table: &str, col: &str) -> Error {
    Error::usage(format!(
        "{flag} names column \"{col}\", which table \"{table}\" would not have"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_create_table() {
        let mut def = TableDef {
            name: "my \"t\"".into(),
            columns: vec![
                ColumnDef {
                    name: "id".into(),
                    sql_type: "INTEGER".into(),
                    not_null: false,
                    default: None,
                },
                ColumnDef {
                    name: "na;me".into(),
                    sql_type: "TEXT".into(),
                    not_null: false,
                    default: None,
                },
            ],
            pk: vec!["id".into()],
            ..Default::default()
        };
        def.apply_options(&["na;me".into()], &["na;me=it's".into()])
            .unwrap();
        assert_eq!(
            def.create_sql(),
            "CREATE TABLE \"my \"\"t\"\"\" (\n  \"id\" INTEGER PRIMARY KEY,\n  \"na;me\" TEXT NOT NULL DEFAULT 'it''s'\n)"
        );
        assert!(def.apply_options(&["nope".into()], &[]).is_err());
    }

    #[test]
    fn cell_text_suggests_a_type_only_when_it_is_a_number() {
        let cases = [
            ("", None),
            ("0", Some("INTEGER")),
            ("-7", Some("INTEGER")),
            ("9223372036854775807", Some("INTEGER")),
            ("9223372036854775808", Some("TEXT")),
            ("01234", Some("TEXT")),
            ("-012", Some("TEXT")),
            ("+5", Some("TEXT")),
            ("3.25", Some("REAL")),
            ("1e5", Some("REAL")),
            ("1E+2", Some("REAL")),
            ("1e999", Some("TEXT")),
            ("00.5", Some("TEXT")),
            (".5", Some("TEXT")),
            ("5.", Some("TEXT")),
            ("nan", Some("TEXT")),
            (" 42", Some("TEXT")),
            ("1,000", Some("TEXT")),
            ("0x1F", Some("TEXT")),
        ];
        for (cell, want) in cases {
            assert_eq!(cell_type(cell), want, "{cell:?}");
        }
        assert_eq!(
            merge_cell_types(Some("INTEGER"), Some("TEXT")),
            Some("TEXT")
        );
        assert_eq!(
            merge_cell_types(Some("INTEGER"), Some("REAL")),
            Some("REAL")
        );
        assert_eq!(merge_cell_types(None, Some("INTEGER")), Some("INTEGER"));
    }

    #[test]
    fn affinity_follows_sqlite_rules() {
        for (decl, want) in [
            ("INTEGER", Affinity::Integer),
            ("BIGINT", Affinity::Integer),
            ("VARCHAR(10)", Affinity::Text),
            ("TEXT", Affinity::Text),
            ("", Affinity::Blob),
            ("BLOB", Affinity::Blob),
            ("REAL", Affinity::Real),
            ("DOUBLE", Affinity::Real),
            ("NUMERIC", Affinity::Numeric),
            ("ANY", Affinity::Numeric),
            ("DATE", Affinity::Numeric),
        ] {
            assert_eq!(Affinity::of(decl), want, "{decl}");
        }
        assert_eq!(float_text(0.7116109466329968), "0.7116109466329968");
        assert_eq!(float_text(438.0), "438.0");
        assert_eq!(float_text(1e300), "1e300");
    }

    #[test]
    fn type_inference_merges() {
        assert_eq!(merge_types(Some("INTEGER"), Some("REAL")), Some("REAL"));
        assert_eq!(merge_types(Some("INTEGER"), Some("TEXT")), Some(""));
        assert_eq!(merge_types(Some("TEXT"), Some("REAL")), Some(""));
        assert_eq!(merge_types(None, Some("BLOB")), Some("BLOB"));
        assert_eq!(default_literal("5"), "5");
        assert_eq!(default_literal("abc"), "'abc'");
        assert_eq!(sql_type("float", false).unwrap(), "REAL");
        assert_eq!(sql_type("any", false).unwrap(), "");
        assert!(sql_type("varchar", false).is_err());
    }
}
