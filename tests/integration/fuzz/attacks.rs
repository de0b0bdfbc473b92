//! Documents of the attack shapes of issue 8 and their neighbours, at random sizes up to (and
//! past) the body cap: deep list, object and default-value nesting, deep selections, chains and
//! webs of fragments, floods of aliases, directives, tokens, operations and variables; random
//! edits of generated documents; and request bodies that are not a well-formed GraphQL request.

use std::fmt::Write as _;

use super::{
    generate::{Pools, encode_id},
    rng::Rng,
    value::json_string,
};

/// A hand-shaped document and its variables (JSON text).
pub struct Attack {
    /// The shape's name, for the report.
    pub name: &'static str,
    /// The document.
    pub document: String,
    /// The variables, as JSON text.
    pub variables: String,
    /// The operation name to send, if any.
    pub operation_name: Option<String>,
}

fn attack(name: &'static str, document: String) -> Attack {
    Attack {
        name,
        document,
        variables: "{}".to_owned(),
        operation_name: None,
    }
}

fn nested(depth: usize, open: &str, middle: &str, close: &str) -> String {
    let mut text = String::with_capacity(depth * (open.len() + close.len()) + middle.len());
    for _ in 0..depth {
        text.push_str(open);
    }
    text.push_str(middle);
    for _ in 0..depth {
        text.push_str(close);
    }
    text
}

/// One attack shape, with a random size.
pub fn attack_document(rng: &mut Rng, pools: &Pools) -> Attack {
    let plan = pools
        .ids
        .get("Plan")
        .and_then(|ids| ids.first())
        .cloned()
        .unwrap_or_else(|| encode_id("Plan:00000000000000000000000000000000"));
    let directive = *rng.pick(&["@skip(if: false)", "@include(if: true)", "@deprecated"]);
    match rng.below(27) {
        0 => {
            let depth = rng.size(50, 3_000);
            attack(
                "deep list literal",
                format!(
                    "{{ nodes(ids: {}) {{ id }} }}",
                    nested(depth, "[", "\"x\"", "]")
                ),
            )
        }
        1 => {
            let depth = rng.size(50, 3_000);
            attack(
                "deep object literal",
                format!(
                    "mutation {{ createPersona(input: {}) {{ persona {{ id }} }} }}",
                    nested(depth, "{a: ", "1", "}")
                ),
            )
        }
        2 => {
            let depth = rng.size(50, 3_000);
            attack(
                "deep variable default",
                format!(
                    "query($v: [ID!] = {}) {{ __typename }}",
                    nested(depth, "[", "\"x\"", "]")
                ),
            )
        }
        3 => {
            let count = rng.size(10, 10_000);
            let mut document = String::from("{ __typename }\n");
            for index in 0..count {
                let _ = writeln!(
                    document,
                    "fragment F{index} on Query {{ ...F{} }}",
                    index + 1
                );
            }
            let _ = writeln!(document, "fragment F{count} on Query {{ __typename }}");
            attack("chain of unused fragments", document)
        }
        4 => {
            let count = rng.size(5, 300);
            let used = rng.chance(0.5);
            let mut document = String::from(if used {
                "{ ...F0 }\n"
            } else {
                "{ __typename }\n"
            });
            for index in 0..count {
                let _ = write!(document, "fragment F{index} on Query {{ __typename");
                for next in index + 1..count {
                    let _ = write!(document, " ...F{next}");
                }
                document.push_str(" }\n");
            }
            attack("fragments spreading each other", document)
        }
        5 => {
            let count = rng.size(10, 3_000);
            let same_alias = rng.chance(0.5);
            let mut document = String::from("{");
            for index in 0..count {
                if same_alias {
                    document.push_str(" ... on Query { a: __typename }");
                } else {
                    let _ = write!(document, " ... on Query {{ a{index}: __typename }}");
                }
            }
            document.push_str(" }");
            attack("inline fragments with aliases", document)
        }
        6 => {
            let count = rng.size(10, 20_000);
            let directives = format!(" {directive}").repeat(count);
            let (name, document) = match rng.below(6) {
                0 => (
                    "directives on a field",
                    format!("{{ __typename{directives} }}"),
                ),
                1 => (
                    "directives on a variable definition",
                    format!("query($v: Int{directives}) {{ __typename }}"),
                ),
                2 => (
                    "directives on an operation",
                    format!("query Q{directives} {{ __typename }}"),
                ),
                3 => (
                    "directives on a fragment definition",
                    format!("{{ ...F }} fragment F on Query{directives} {{ __typename }}"),
                ),
                4 => (
                    "directives on a fragment spread",
                    format!("{{ ...F{directives} }} fragment F on Query {{ __typename }}"),
                ),
                _ => (
                    "directives on an inline fragment",
                    format!("{{ ... on Query{directives} {{ __typename }} }}"),
                ),
            };
            attack(name, document)
        }
        7 => {
            let count = rng.size(100, 90_000);
            attack(
                "many __typename",
                format!("{{{} }}", " __typename".repeat(count)),
            )
        }
        8 => {
            let count = rng.size(10, 5_000);
            let mut document = String::from("{");
            let heavy = rng.chance(0.5);
            for index in 0..count {
                if heavy {
                    let _ = write!(
                        document,
                        " a{index}: plans(first: 100) {{ nodes {{ id name campaigns {{ totalCount }} }} }}"
                    );
                } else {
                    let _ = write!(document, " a{index}: viewer {{ subject }}");
                }
            }
            document.push_str(" }");
            attack("many aliases", document)
        }
        9 => {
            let depth = rng.size(5, 3_000);
            attack(
                "deep unknown selection",
                format!("{{ {} }}", nested(depth, "a { ", "b", " }")),
            )
        }
        10 => {
            let depth = rng.size(5, 3_000);
            attack(
                "deep inline fragments",
                format!(
                    "{{ {} }}",
                    nested(depth, "... on Query { ", "__typename", " }")
                ),
            )
        }
        11 => {
            // Real fields, nested past the depth limit.
            let depth = rng.size(2, 400);
            let document = format!(
                "query($id: ID!) {{ node(id: $id) {{ ... on Plan {{ {} }} }} }}",
                nested(depth, "campaigns { nodes { plan { ", "id", " } } }")
            );
            Attack {
                name: "deep real selection",
                document,
                variables: format!("{{\"id\":{}}}", json_string(&plan)),
                operation_name: None,
            }
        }
        12 => {
            let count = rng.size(2, 5_000);
            let mut document = String::from("{ ...F }\n");
            for _ in 0..count {
                document.push_str("fragment F on Query { __typename }\n");
            }
            attack("duplicated fragments", document)
        }
        13 => {
            let count = rng.size(2, 20_000);
            let mut document = String::new();
            for index in 0..count {
                let _ = writeln!(document, "query Q{index} {{ __typename }}");
            }
            let mut built = attack("many operations", document);
            built.operation_name = Some(format!("Q{}", rng.below(count)));
            built
        }
        14 => {
            let count = rng.size(2, 20_000);
            let mut document = String::from("query(");
            for index in 0..count {
                let _ = write!(document, "$v{index}: Int ");
            }
            document.push_str(") { __typename }");
            attack("many variables", document)
        }
        15 => {
            let count = rng.size(2, 20_000);
            let mut document = String::from("{ plans(");
            for index in 0..count {
                let _ = write!(document, "a{index}: 1 ");
            }
            document.push_str(") { totalCount } }");
            attack("many arguments", document)
        }
        16 => {
            let count = rng.size(100, 150_000);
            let mut list = String::from("[");
            for _ in 0..count {
                list.push_str("\"x\",");
            }
            list.push(']');
            attack(
                "huge list literal",
                format!("{{ nodes(ids: {list}) {{ id }} }}"),
            )
        }
        17 => {
            let count = rng.size(100, 400_000);
            attack(
                "token flood",
                format!("{{ __typename {}}}", ", ".repeat(count)),
            )
        }
        18 => {
            let count = rng.size(100, 20_000);
            attack(
                "comment flood",
                format!("{{ __typename\n{}}}", "#\n".repeat(count)),
            )
        }
        19 => {
            let length = rng.size(1_000, 1_000_000);
            attack(
                "huge string",
                format!("{{ node(id: \"{}\") {{ id }} }}", "x".repeat(length)),
            )
        }
        20 => {
            let length = rng.size(1_000, 1_000_000);
            attack("huge name", format!("{{ {} }}", "a".repeat(length)))
        }
        21 => {
            let depth = rng.size(50, 5_000);
            Attack {
                name: "deep JSON variable",
                document: "query($v: [ID!]!) { nodes(ids: $v) { id } }".to_owned(),
                variables: format!("{{\"v\":{}}}", nested(depth, "[", "\"x\"", "]")),
                operation_name: None,
            }
        }
        22 => {
            let depth = rng.size(50, 5_000);
            Attack {
                name: "deep JSON input object",
                document: "mutation($i: CreatePersonaInput!) { createPersona(input: $i) { persona { id } userErrors { code } } }".to_owned(),
                variables: format!(
                    "{{\"i\":{{\"name\":\"x\",\"a\":{}}}}}",
                    nested(depth, "{\"a\":", "1", "}")
                ),
                operation_name: None,
            }
        }
        23 => attack(
            "fragment cycle",
            "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }".to_owned(),
        ),
        24 => {
            let depth = rng.size(50, 3_000);
            attack(
                "deep list in a directive argument",
                format!(
                    "{{ __typename @skip(if: {}) }}",
                    nested(depth, "[", "false", "]")
                ),
            )
        }
        25 => {
            let depth = rng.size(50, 3_000);
            attack(
                "deep mixed nesting",
                format!(
                    "mutation {{ createPlan(input: {}) {{ plan {{ id }} }} }}",
                    nested(depth, "{a: [", "1", "]}")
                ),
            )
        }
        _ => {
            let depth = rng.size(50, 3_000);
            attack(
                "deep object variable default",
                format!(
                    "query($v: CreatePersonaInput = {}) {{ __typename }}",
                    nested(depth, "{a: ", "1", "}")
                ),
            )
        }
    }
}

/// Snippets worth splicing into a document.
const SNIPPETS: [&str; 18] = [
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "\"",
    "\"\"\"",
    "$",
    "...",
    " ...F ",
    " fragment F on Query { __typename } ",
    " @skip(if: false)",
    " @include(if: $undeclared)",
    " ... on Node { id } ",
    "#",
    "\\u0000",
    " query ",
];

/// `document` with one to four random edits: a character replaced, a range removed, copied or
/// moved, a snippet spliced in, or the end cut off.
pub fn mutate_document(rng: &mut Rng, document: &str) -> String {
    let mut chars: Vec<char> = document.chars().collect();
    for _ in 0..rng.between(1, 4) {
        if chars.is_empty() {
            break;
        }
        let at = rng.below(chars.len());
        match rng.below(7) {
            0 => {
                chars[at] = *rng.pick(&[
                    '{', '}', '[', ']', '(', ')', '$', '@', '!', ':', '.', '=', ',', '"', '\\',
                    '#', '\0', 'é', '\u{FEFF}', '1', 'a', ' ', '\n', '|', '&',
                ]);
            }
            1 => {
                let end = (at + rng.size(1, 200)).min(chars.len());
                chars.drain(at..end);
            }
            2 => {
                let end = (at + rng.size(1, 200)).min(chars.len());
                let copy: Vec<char> = chars[at..end].to_vec();
                let times = rng.size(1, 50);
                let insert_at = rng.below(chars.len() + 1);
                for _ in 0..times {
                    chars.splice(insert_at..insert_at, copy.iter().copied());
                }
            }
            3 => chars.truncate(at),
            4 => {
                let snippet: Vec<char> = rng.pick(&SNIPPETS).chars().collect();
                chars.splice(at..at, snippet);
            }
            5 => {
                let end = (at + rng.size(1, 100)).min(chars.len());
                let moved: Vec<char> = chars.drain(at..end).collect();
                let insert_at = rng.below(chars.len() + 1);
                chars.splice(insert_at..insert_at, moved);
            }
            _ => {
                // The whole document repeated: duplicated operations and fragments.
                let copy = chars.clone();
                chars.push('\n');
                chars.extend(copy);
            }
        }
    }
    chars.into_iter().collect()
}

/// A request body that is not a well-formed single GraphQL request, with the content type to
/// send it under.
pub struct OddBody {
    /// The oddity's name, for the report.
    pub name: &'static str,
    /// The bytes sent.
    pub body: Vec<u8>,
    /// The `Content-Type` header, if any.
    pub content_type: Option<&'static str>,
    /// Extra headers.
    pub headers: Vec<(&'static str, String)>,
}

fn odd(name: &'static str, body: impl Into<Vec<u8>>) -> OddBody {
    OddBody {
        name,
        body: body.into(),
        content_type: Some("application/json"),
        headers: Vec::new(),
    }
}

/// One malformed or unusual body. `valid` is a well-formed request body to start from.
pub fn odd_body(rng: &mut Rng, valid: &str) -> OddBody {
    match rng.below(24) {
        0 => {
            let length = rng.size(1, 4_000);
            let bytes: Vec<u8> = (0..length).map(|_| (rng.next_u64() & 0xFF) as u8).collect();
            odd("random bytes", bytes)
        }
        1 => {
            let cut = rng.below(valid.len().max(1));
            odd("truncated JSON", valid.as_bytes()[..cut].to_vec())
        }
        2 => odd(
            "JSON that is not an object",
            *rng.pick(&["null", "1", "\"{ __typename }\"", "true", "{}", "[]", "", " "]),
        ),
        3 => odd(
            "query of the wrong type",
            *rng.pick(&[
                "{\"query\":null}",
                "{\"query\":1}",
                "{\"query\":[\"{ __typename }\"]}",
                "{\"query\":{\"a\":1}}",
                "{\"query\":\"\"}",
                "{\"query\":\" \"}",
            ]),
        ),
        4 => odd(
            "variables of the wrong shape",
            format!(
                "{{\"query\":\"query($v: Int) {{ __typename }}\",\"variables\":{}}}",
                rng.pick(&[
                    "\"x\"",
                    "[1,2]",
                    "1",
                    "\"{\\\"v\\\":1}\"",
                    "true",
                    "{\"v\":\"x\"}",
                    "{\"v\":1e400}",
                    "{\"v\":123456789012345678901234567890}",
                    "{\"v\":-0}",
                    "{\"v\":1E+2}",
                    "{\"v\":{\"a\":1}}",
                    "{\"v\":[1]}",
                    "{\"\":1}",
                ])
            ),
        ),
        5 => odd(
            "operationName of the wrong type",
            format!(
                "{{\"query\":\"query A {{ __typename }} query B {{ __typename }}\",\"operationName\":{}}}",
                rng.pick(&["5", "\"\"", "null", "\"C\"", "[\"A\"]", "{\"a\":1}"])
            ),
        ),
        6 => odd(
            "extensions",
            *rng.pick(&[
                "{\"query\":\"{ __typename }\",\"extensions\":5}",
                "{\"extensions\":{\"persistedQuery\":{\"version\":1,\"sha256Hash\":\"abc\"}}}",
                "{\"query\":\"{ __typename }\",\"extensions\":{\"persistedQuery\":{\"version\":1,\"sha256Hash\":\"00\"}}}",
                "{\"query\":\"{ __typename }\",\"extensions\":{\"a\":[[[[[[[[1]]]]]]]]}}",
            ]),
        ),
        7 => odd(
            "duplicate keys",
            "{\"query\":\"{ __typename }\",\"query\":\"{ viewer { subject } }\",\"variables\":{},\"variables\":[]}",
        ),
        8 => {
            let mut body = "\u{FEFF}".as_bytes().to_vec();
            body.extend_from_slice(valid.as_bytes());
            odd("byte order mark", body)
        }
        9 => odd(
            "lone surrogate in JSON",
            *rng.pick(&[
                "{\"query\":\"{ __typename }\\ud800\"}",
                "{\"query\":\"query($v: String) { __typename }\",\"variables\":{\"v\":\"\\udc00\"}}",
                "{\"query\":\"{ __typename }\u{0}\"}",
                "{\"query\":\"{ __typename }\\u0000\"}",
            ]),
        ),
        10 => {
            let depth = rng.size(100, 100_000);
            odd("deep JSON", nested(depth, "[", "1", "]"))
        }
        11 => {
            let depth = rng.size(100, 50_000);
            odd(
                "deep JSON extensions",
                format!(
                    "{{\"query\":\"{{ __typename }}\",\"extensions\":{}}}",
                    nested(depth, "{\"a\":", "1", "}")
                ),
            )
        }
        12 => {
            // At most about 2 MB in all, past the body cap but not a flood.
            let count = rng.size(1, 1_000).min(2_000_000 / valid.len().max(1)).max(1);
            let items = vec![valid; count].join(",");
            odd("batch", format!("[{items}]"))
        }
        13 => odd(
            "odd batch",
            *rng.pick(&["[]", "[1]", "[[]]", "[null]", "[{}]", "[\"{ __typename }\"]"]),
        ),
        14 => {
            let mut body = odd("content type", valid.to_owned());
            body.content_type = *rng.pick(&[
                None,
                Some("text/plain"),
                Some("application/graphql"),
                Some("application/json; charset=latin1"),
                Some("application/json;;;"),
                Some("APPLICATION/JSON"),
                Some("application/jsonx"),
                Some("multipart/form-data; boundary=x"),
                Some("application/x-www-form-urlencoded"),
            ]);
            body
        }
        15 => {
            let mut body = odd("content encoding", valid.to_owned());
            body.headers.push((
                "content-encoding",
                (*rng.pick(&["gzip", "br", "deflate", "zstd", "identity, gzip", "x-unknown"])).to_owned(),
            ));
            body
        }
        16 => odd("empty body", Vec::new()),
        17 => {
            let length = rng.size(1_000, 2_000_000);
            odd(
                "padded body",
                format!("{{\"query\":\"{{ __typename }}\",\"pad\":\"{}\"}}", "x".repeat(length)),
            )
        }
        18 => odd(
            "JSON whitespace flood",
            format!("{}{valid}", " ".repeat(rng.size(1_000, 1_000_000))),
        ),
        19 => {
            let mut body = odd("several Authorization headers", valid.to_owned());
            body.headers.push(("authorization", "Bearer x".to_owned()));
            body
        }
        20 => {
            let mut body = odd("tenant header", valid.to_owned());
            let tenant = match rng.below(5) {
                0 => String::new(),
                1 => "nope".to_owned(),
                2 => "fuzz-other".to_owned(),
                3 => " fuzz".to_owned(),
                _ => "x".repeat(5_000),
            };
            body.headers.push(("x-levier-tenant", tenant));
            body
        }
        21 => odd(
            "numbers",
            *rng.pick(&[
                "{\"query\":\"{ plans(first: 1) { totalCount } }\",\"variables\":{\"a\":1e999999}}",
                "{\"query\":\"query($f: Int) { plans(first: $f) { totalCount } }\",\"variables\":{\"f\":1.0}}",
                "{\"query\":\"query($f: Int) { plans(first: $f) { totalCount } }\",\"variables\":{\"f\":2147483648}}",
                "{\"query\":\"query($f: Int) { plans(first: $f) { totalCount } }\",\"variables\":{\"f\":-2147483649}}",
                "{\"query\":\"query($f: Int) { plans(first: $f) { totalCount } }\",\"variables\":{\"f\":18446744073709551616}}",
            ]),
        ),
        22 => {
            // A request that mixes a valid body with trailing bytes.
            odd(
                "trailing bytes",
                format!("{valid}{}", rng.pick(&["x", "{}", "\u{0}", " ", ",", "]"])),
            )
        }
        _ => odd(
            "unknown fields",
            "{\"query\":\"{ __typename }\",\"unknown\":{\"deep\":[1,2,3]},\"id\":\"x\",\"doc_id\":1}",
        ),
    }
}
