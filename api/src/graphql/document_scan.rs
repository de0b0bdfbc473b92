//! The lexical bounds of a GraphQL document: how many tokens it has, how deep its brackets
//! (`{`, `[`, `(`) nest and how long its names and numbers are, found by one linear pass over
//! the text before anything recursive reads it.
//!
//! The engine's parser, its validation and the drop of a parsed document all recurse once per
//! level of nesting: a list literal `[[[…]]]`, an input object `{a: {a: …}}`, a variable's
//! default value or list type, or selection sets, nested a few thousand deep, overflowed a
//! worker thread's stack and aborted the whole process. A document refused here never reaches
//! them, and the scan itself keeps no stack: it is a loop over the bytes, stopped as soon as a
//! bound is passed (so 128 KiB of `__typename` costs the scan of its first 10,000 tokens).
//!
//! A name (or number) is at most [`MAX_WORD_BYTES`] long: the engine echoes an unknown name in
//! its error and compares it with every known one to suggest a spelling, at a cost that grows
//! with its length.
//!
//! The scanner knows the GraphQL lexical grammar well enough to agree with the parser on every
//! document the parser accepts: brackets inside strings, block strings (with their `\"""`
//! escape) and comments are not brackets, and commas, white space and comments are not tokens.
//! On a malformed document it may count differently, but the parser then refuses the document
//! at the first malformed token, before any deeper bracket.

/// Why a document's text is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanError {
    /// More tokens than allowed.
    TooManyTokens,
    /// Brackets nested deeper than allowed.
    TooDeep,
    /// A name or number longer than [`MAX_WORD_BYTES`].
    TooLong,
}

/// The longest name or number accepted, in bytes. GraphQL sets no bound; names in a schema are
/// a few dozen characters, and long data belongs in strings or, better, variables.
pub const MAX_WORD_BYTES: usize = 1024;

/// Counts the tokens of `text` and checks its bracket nesting; returns the number of tokens,
/// or the first bound passed: more than `max_tokens` tokens, or brackets nested more than
/// `max_nesting` deep.
pub fn scan(text: &str, max_tokens: usize, max_nesting: usize) -> Result<usize, ScanError> {
    let bytes = text.as_bytes();
    let mut at = 0;
    let mut tokens = 0;
    let mut depth = 0usize;
    while at < bytes.len() {
        let byte = bytes[at];
        match byte {
            // Ignored tokens: white space, line terminators, commas, the byte order mark.
            b' ' | b'\t' | b'\n' | b'\r' | b',' => {
                at += 1;
                continue;
            }
            0xEF if bytes[at..].starts_with(BYTE_ORDER_MARK) => {
                at += BYTE_ORDER_MARK.len();
                continue;
            }
            b'#' => {
                at = end_of_line(bytes, at);
                continue;
            }
            b'"' if bytes[at..].starts_with(b"\"\"\"") => at = end_of_block_string(bytes, at + 3),
            b'"' => at = end_of_string(bytes, at + 1),
            b'{' | b'[' | b'(' => {
                depth += 1;
                if depth > max_nesting {
                    return Err(ScanError::TooDeep);
                }
                at += 1;
            }
            // An unbalanced closer is a syntax error the parser reports.
            b'}' | b']' | b')' => {
                depth = depth.saturating_sub(1);
                at += 1;
            }
            b'.' if bytes[at..].starts_with(b"...") => at += 3,
            b'-' | b'0'..=b'9' => at = word(at, end_of_number(bytes, at + 1))?,
            b'_' | b'a'..=b'z' | b'A'..=b'Z' => at = word(at, end_of_name(bytes, at + 1))?,
            // A character outside a string that is not ASCII: one (invalid) token.
            0x80.. => at = end_of_character(bytes, at + 1),
            // Every other punctuator (`!`, `$`, `&`, `:`, `=`, `@`, `|`) or stray byte.
            _ => at += 1,
        }
        tokens += 1;
        if tokens > max_tokens {
            return Err(ScanError::TooManyTokens);
        }
    }
    Ok(tokens)
}

/// The end of a name or number spanning `start..end`, unless it is too long.
fn word(start: usize, end: usize) -> Result<usize, ScanError> {
    if end - start > MAX_WORD_BYTES {
        return Err(ScanError::TooLong);
    }
    Ok(end)
}

/// U+FEFF, which GraphQL ignores like white space.
const BYTE_ORDER_MARK: &[u8] = "\u{feff}".as_bytes();

/// The position of the line terminator ending the comment that starts at `at`.
fn end_of_line(bytes: &[u8], at: usize) -> usize {
    bytes[at..]
        .iter()
        .position(|byte| matches!(byte, b'\n' | b'\r'))
        .map_or(bytes.len(), |offset| at + offset)
}

/// The position after the `"""` closing a block string whose content starts at `at`; `\"""`
/// is an escaped `"""`, and nothing else is special.
fn end_of_block_string(bytes: &[u8], mut at: usize) -> usize {
    while at < bytes.len() {
        if bytes[at..].starts_with(b"\\\"\"\"") {
            at += 4;
        } else if bytes[at..].starts_with(b"\"\"\"") {
            return at + 3;
        } else {
            at += 1;
        }
    }
    bytes.len()
}

/// The position after the `"` closing a string whose content starts at `at`. A line
/// terminator ends an unterminated string (the parser refuses it there).
fn end_of_string(bytes: &[u8], mut at: usize) -> usize {
    while at < bytes.len() {
        match bytes[at] {
            b'"' => return at + 1,
            b'\\' => at += 2,
            b'\n' | b'\r' => return at,
            _ => at += 1,
        }
    }
    bytes.len()
}

/// The end of a name whose first character is before `at`.
fn end_of_name(bytes: &[u8], mut at: usize) -> usize {
    while at < bytes.len() && is_name_byte(bytes[at]) {
        at += 1;
    }
    at
}

/// The end of a number (`-12`, `1.5e-3`) whose first character is before `at`.
fn end_of_number(bytes: &[u8], at: usize) -> usize {
    let mut at = end_of_name(bytes, at);
    if at < bytes.len() && bytes[at] == b'.' && bytes.get(at + 1).is_some_and(u8::is_ascii_digit) {
        at = end_of_name(bytes, at + 1);
    }
    if matches!(bytes[at - 1], b'e' | b'E') && matches!(bytes.get(at), Some(b'+' | b'-')) {
        at = end_of_name(bytes, at + 1);
    }
    at
}

/// The end of a UTF-8 character whose first byte is before `at`.
fn end_of_character(bytes: &[u8], mut at: usize) -> usize {
    while at < bytes.len() && (0x80..0xC0).contains(&bytes[at]) {
        at += 1;
    }
    at
}

fn is_name_byte(byte: u8) -> bool {
    byte == b'_' || byte.is_ascii_alphanumeric()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Result<usize, ScanError> {
        scan(text, 1_000, 8)
    }

    #[test]
    fn counts_tokens_as_the_grammar_does() {
        assert_eq!(tokens("{ a }"), Ok(3));
        assert_eq!(
            tokens("query Q($v: [ID!] = [1, 2]) { a: b(x: $v) @skip(if: false) }"),
            Ok(34)
        );
        assert_eq!(tokens("{ ...F ... on Q { a } }"), Ok(10));
        assert_eq!(tokens("{ a(x: -1.5e-3, y: 12, z: 0.25) }"), Ok(14));
        assert_eq!(tokens("{ a(s: \"x \\\" y\", b: \"\"\"\n\"\"\") }"), Ok(11));
        // Ignored: commas, white space, comments, the byte order mark.
        assert_eq!(tokens("\u{feff}{ a, , b # c d e\r\n }"), Ok(4));
        assert_eq!(tokens(""), Ok(0));
    }

    #[test]
    fn brackets_in_strings_and_comments_do_not_nest() {
        let hidden = "{ a(s: \"{{{{{{{{{{\", b: \"\"\"[[[[[[[[[[ \\\"\"\" ((((((((((\"\"\") # {{{{{{{{{{\n }";
        assert_eq!(tokens(hidden), Ok(11));
        // An escaped quote does not end a string; an escaped backslash does not hide the end.
        assert_eq!(tokens("{ a(s: \"\\\"[[[[[[[[[[\") }"), Ok(8));
        assert_eq!(tokens("{ a(s: \"\\\\\", t: [[]]) }"), Ok(14));
    }

    #[test]
    fn refuses_nesting_past_the_bound_at_any_kind_of_bracket() {
        assert_eq!(scan("{{{{}}}}", 100, 4), Ok(8));
        assert_eq!(scan("{{{{{}}}}}", 100, 4), Err(ScanError::TooDeep));
        assert_eq!(scan("{ a(x: [{b: [1]}]) }", 100, 5), Ok(16));
        assert_eq!(
            scan("{ a(x: [{b: [[1]]}]) }", 100, 5),
            Err(ScanError::TooDeep)
        );
        // Depth is what is open at once, not how many brackets there are.
        assert_eq!(scan(&"{}".repeat(1_000), 10_000, 1), Ok(2_000));
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(scan(&deep, usize::MAX, 64), Err(ScanError::TooDeep));
    }

    #[test]
    fn refuses_more_tokens_than_allowed() {
        assert_eq!(scan("{ a b c }", 5, 8), Ok(5));
        assert_eq!(scan("{ a b c d }", 5, 8), Err(ScanError::TooManyTokens));
        let pile = format!("{{ {} }}", "__typename ".repeat(80_000));
        assert_eq!(scan(&pile, 10_000, 64), Err(ScanError::TooManyTokens));
    }

    #[test]
    fn refuses_names_and_numbers_longer_than_the_bound() {
        let longest = "a".repeat(MAX_WORD_BYTES);
        assert_eq!(tokens(&format!("{{ {longest} }}")), Ok(3));
        assert_eq!(
            tokens(&format!("{{ {longest}b }}")),
            Err(ScanError::TooLong)
        );
        let number = format!("{{ a(x: -{}) }}", "1".repeat(MAX_WORD_BYTES));
        assert_eq!(tokens(&number), Err(ScanError::TooLong));
        // Strings may be longer.
        let string = format!("{{ a(x: \"{}\") }}", "s".repeat(10 * MAX_WORD_BYTES));
        assert_eq!(tokens(&string), Ok(8));
    }

    #[test]
    fn malformed_text_ends_without_panicking() {
        for text in [
            "\"",
            "\"\"\"",
            "\"abc\\",
            "\"\\",
            "{ a(s: \"abc\n) }",
            "é",
            "{ é }",
            "1e",
            "-",
            ".",
            "..",
            "}}}",
            "#",
        ] {
            assert!(scan(text, 100, 8).is_ok(), "{text}");
        }
        // An unterminated block string swallows the rest, brackets included.
        assert_eq!(scan("{ a(s: \"\"\"[[[[[[[[[[[", 100, 4), Ok(6));
    }
}
