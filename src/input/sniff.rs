//! `--sniff`: detects a CSV file's delimiter and quote character from its
//! first lines, as Python's `csv.Sniffer` does for sqlite-utils.
//!
//! Each candidate dialect (delimiters `,` tab `;` `|` `:`, quotes `"` `'`)
//! parses the sample; the one that splits every record into the same number
//! of fields, and into the most fields, wins; ties go to the more common
//! dialect (comma before tab before semicolon ..., double quote before single).

use std::io::{Cursor, Read};

use super::{read_error, Input};
use crate::error::Result;

/// How much of the input is read to decide.
const SAMPLE: u64 = 64 * 1024;
const DELIMITERS: [u8; 5] = [b',', b'\t', b';', b'|', b':'];
const QUOTES: [u8; 2] = [b'"', b'\''];

/// What sniffing found (None: nothing to go on).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sniffed {
    pub delimiter: Option<u8>,
    pub quote: Option<u8>,
}

/// Reads a sample of the input, decides the dialect, and returns the input
/// whole again (the sample put back in front).
pub(super) fn sniff(mut input: Input, name: &str) -> Result<(Input, Sniffed)> {
    let mut sample = Vec::new();
    (&mut input)
        .take(SAMPLE)
        .read_to_end(&mut sample)
        .map_err(|err| read_error(name, err))?;
    let sniffed = dialect_of(&sample, (sample.len() as u64) < SAMPLE);
    let rest: Box<dyn Read + Send> = Box::new(input);
    Ok((Cursor::new(sample).chain(rest), sniffed))
}

/// The dialect of a sample; `complete` is true when it is the whole input
/// (else its last, cut-off line is left out).
pub fn dialect_of(sample: &[u8], complete: bool) -> Sniffed {
    let sample = if complete {
        sample
    } else {
        match sample.iter().rposition(|&b| b == b'\n') {
            Some(end) => &sample[..=end],
            None => sample,
        }
    };
    // (consistent, more than one field, fields, preference) — larger is better.
    let mut best: Option<((bool, bool, usize, usize), Sniffed)> = None;
    for (di, &delimiter) in DELIMITERS.iter().enumerate() {
        for (qi, &quote) in QUOTES.iter().enumerate() {
            let mut rdr = csv::ReaderBuilder::new()
                .delimiter(delimiter)
                .quote(quote)
                .has_headers(false)
                .flexible(true)
                .from_reader(sample);
            let mut counts = Vec::new();
            let mut record = csv::ByteRecord::new();
            while let Ok(true) = rdr.read_byte_record(&mut record) {
                counts.push(record.len());
            }
            let Some(&fields) = counts.first() else {
                continue;
            };
            let consistent = counts.iter().all(|&c| c == fields);
            let preference = usize::MAX - (di * QUOTES.len() + qi);
            let score = (consistent, fields > 1, fields, preference);
            if best.as_ref().is_none_or(|(b, _)| score > *b) {
                best = Some((
                    score,
                    Sniffed {
                        delimiter: Some(delimiter),
                        quote: Some(quote),
                    },
                ));
            }
        }
    }
    best.map(|(_, s)| s).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(sample: &str) -> (char, char) {
        let s = dialect_of(sample.as_bytes(), true);
        (s.delimiter.unwrap() as char, s.quote.unwrap() as char)
    }

    #[test]
    fn finds_the_delimiter_and_quote() {
        assert_eq!(found("a,b,c\n1,2,3\n"), (',', '"'));
        assert_eq!(found("a;b;c\n1;2,5;3\n"), (';', '"'));
        assert_eq!(found("a\tb\n1\t2\n"), ('\t', '"'));
        assert_eq!(found("a|b\n1|x,y\n"), ('|', '"'));
        assert_eq!(found("id,time\n1,12:30:00\n"), (',', '"'));
        assert_eq!(found("a;b\n'x;y';2\n'z';3\n"), (';', '\''));
        assert_eq!(found("a,b\n\"x,y\",2\n"), (',', '"'));
    }
}
