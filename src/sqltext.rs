//! SQL text, split into tokens the way SQLite's tokenizer splits it, as far
//! as the tool needs: the names a statement mentions (to tell whether it
//! refers to a hidden table), and whether a `--where` condition is one
//! expression that stays inside the parentheses it is pasted into.
//!
//! The rules follow SQLite's `tokenize.c`: `--` and `/* */` comments,
//! `'strings'`, identifiers quoted with `"`, `` ` `` or `[ ]`, and
//! parameters (`?NNN`, `:name`, `@name`, `#name`, `$name`, each with
//! SQLite's Tcl-style `::x` and `(...)` suffixes: the parenthesized suffix
//! is part of the parameter, not a parenthesis). Everything else is a word, a number or one punctuation
//! character.

use crate::error::{Error, Result};

/// One token of SQL text.
#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    /// A bare word (keyword or identifier), as written.
    Word(String),
    /// A quoted identifier, unquoted.
    Quoted(String),
    /// A string literal's content.
    Str(String),
    /// A number, a blob literal or a parameter.
    Other,
    /// One punctuation or operator character.
    Punct(char),
}

/// What is wrong with SQL text that does not tokenize.
#[derive(Debug, Clone, PartialEq)]
pub enum LexError {
    /// A string, quoted identifier or block comment that is never closed.
    Unterminated(&'static str),
}

/// True for the bytes SQLite allows in identifiers (and any non-ASCII byte).
fn id_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

/// The tokens of SQL text (comments and whitespace left out).
pub fn tokens(sql: &str) -> std::result::Result<Vec<Token>, LexError> {
    let z = sql.as_bytes();
    let text = |a: usize, b: usize| String::from_utf8_lossy(&z[a..b]).into_owned();
    let mut out = Vec::new();
    let mut i = 0;
    while i < z.len() {
        let c = z[i];
        match c {
            b if b.is_ascii_whitespace() => i += 1,
            b'-' if z.get(i + 1) == Some(&b'-') => {
                while i < z.len() && z[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if z.get(i + 1) == Some(&b'*') => {
                let end = sql[i + 2..]
                    .find("*/")
                    .ok_or(LexError::Unterminated("comment"))?;
                i += 2 + end + 2;
            }
            b'\'' | b'"' | b'`' | b'[' => {
                let close = if c == b'[' { b']' } else { c };
                let mut value = Vec::new();
                let mut j = i + 1;
                loop {
                    match z.get(j) {
                        None => {
                            return Err(LexError::Unterminated(if c == b'\'' {
                                "string"
                            } else {
                                "quoted identifier"
                            }))
                        }
                        // A doubled quote stands for itself (not inside [ ]).
                        Some(&b) if b == close && c != b'[' && z.get(j + 1) == Some(&close) => {
                            value.push(b);
                            j += 2;
                        }
                        Some(&b) if b == close => break,
                        Some(&b) => {
                            value.push(b);
                            j += 1;
                        }
                    }
                }
                let value = String::from_utf8_lossy(&value).into_owned();
                out.push(if c == b'\'' {
                    Token::Str(value)
                } else {
                    Token::Quoted(value)
                });
                i = j + 1;
            }
            b'?' => {
                i += 1;
                while i < z.len() && z[i].is_ascii_digit() {
                    i += 1;
                }
                out.push(Token::Other);
            }
            b'$' | b'@' | b':' | b'#' if z.get(i + 1).is_some_and(|&b| id_char(b)) => {
                let mut n = 0;
                let mut j = i + 1;
                while j < z.len() {
                    let b = z[j];
                    if id_char(b) {
                        n += 1;
                        j += 1;
                    } else if b == b'(' && n > 0 {
                        // `$name(...)` (any prefix): up to the first `)` or space.
                        j += 1;
                        while j < z.len() && !z[j].is_ascii_whitespace() && z[j] != b')' {
                            j += 1;
                        }
                        if z.get(j) == Some(&b')') {
                            j += 1;
                        }
                        break;
                    } else if b == b':' && z.get(j + 1) == Some(&b':') {
                        j += 2;
                    } else {
                        break;
                    }
                }
                out.push(Token::Other);
                i = j;
            }
            b'x' | b'X' if z.get(i + 1) == Some(&b'\'') => {
                let end = sql[i + 2..]
                    .find('\'')
                    .ok_or(LexError::Unterminated("blob literal"))?;
                out.push(Token::Other);
                i += 2 + end + 1;
            }
            b if b.is_ascii_digit()
                || (b == b'.' && z.get(i + 1).is_some_and(u8::is_ascii_digit)) =>
            {
                while i < z.len() && (id_char(z[i]) || z[i] == b'.') {
                    // An exponent's sign belongs to the number.
                    let exp =
                        (z[i] == b'e' || z[i] == b'E') && matches!(z.get(i + 1), Some(b'+' | b'-'));
                    i += if exp { 2 } else { 1 };
                }
                out.push(Token::Other);
            }
            b if id_char(b) => {
                let start = i;
                while i < z.len() && id_char(z[i]) {
                    i += 1;
                }
                out.push(Token::Word(text(start, i)));
            }
            b => {
                out.push(Token::Punct(b as char));
                i += 1;
            }
        }
    }
    Ok(out)
}

/// The names SQL text mentions: words, quoted identifiers and string
/// literals (SQLite takes a string for a name in some places, and table-
/// valued functions take names as strings). Text that does not tokenize to
/// the end gives the names before the fault and the rest as one name.
pub fn names(sql: &str) -> Vec<String> {
    let list = match tokens(sql) {
        Ok(t) => t,
        // Be generous: every word-like run of the text counts.
        Err(_) => sql
            .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
            .filter(|w| !w.is_empty())
            .map(|w| Token::Word(w.to_string()))
            .collect(),
    };
    list.into_iter()
        .filter_map(|t| match t {
            Token::Word(w) | Token::Quoted(w) | Token::Str(w) => Some(w),
            _ => None,
        })
        .collect()
}

/// Checks that a `--where` condition is one expression: it tokenizes to
/// its end, its parentheses balance and never close more than they opened,
/// and it holds no `;`. Returns it wrapped in the parentheses (on lines of
/// their own, so a trailing `--` comment ends before the closing one).
pub fn where_condition(condition: &str) -> Result<String> {
    let bad = |why: String| {
        Error::usage(format!(
            "--where {condition:?} is not one SQL expression: {why}"
        ))
    };
    let list = tokens(condition)
        .map_err(|LexError::Unterminated(what)| bad(format!("it has an unterminated {what}")))?;
    let mut depth = 0i32;
    for t in &list {
        match t {
            Token::Punct('(') => depth += 1,
            Token::Punct(')') => {
                depth -= 1;
                if depth < 0 {
                    return Err(bad("a \")\" closes a parenthesis it did not open".into()));
                }
            }
            Token::Punct(';') => return Err(bad("it holds a \";\"".into())),
            _ => {}
        }
    }
    if depth > 0 {
        return Err(bad(format!("{depth} parenthesis(es) are not closed")));
    }
    if list.is_empty() {
        return Err(Error::usage(
            "--where is empty: give a condition, or use --all",
        ));
    }
    Ok(format!("(\n{condition}\n)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_include_quoted_identifiers_and_strings() {
        let n = names("select \"a b\", [c], `d`, 'e''f' from main.t -- x\n where y = :p");
        assert_eq!(
            n,
            ["select", "a b", "c", "d", "e'f", "from", "main", "t", "where", "y"]
        );
        assert_eq!(names("/* secrets */ select 1"), ["select"]);
        // An unterminated string still shows the names in it.
        assert!(names("select 'secrets").contains(&"secrets".to_string()));
    }

    #[test]
    fn where_conditions_can_not_break_out() {
        assert_eq!(where_condition("a = 1").unwrap(), "(\na = 1\n)");
        assert!(where_condition("(a = 1) or (b = ')')").is_ok());
        assert!(where_condition("a = 1 -- note").is_ok());
        for bad in [
            "1) or (1",
            "1); drop table t; select (1",
            "a = 1; delete from t",
            "(1",
            "a = 'x",
            "a = 1 /* x",
            "\"a",
            "",
            " -- only a comment",
        ] {
            assert!(where_condition(bad).is_err(), "{bad:?} was accepted");
        }
        // A Tcl-style parameter swallows its parenthesized suffix, as in SQLite:
        // what looks balanced here holds a ")" of its own.
        assert!(where_condition("$a(() ) or (1").is_err());
        assert!(where_condition(":a(() ) or (1").is_err());
        assert!(where_condition("$a(x) = 1").is_ok());
    }
}
