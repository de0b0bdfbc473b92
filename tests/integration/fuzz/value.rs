//! Argument and variable values, written once and rendered two ways: as a GraphQL literal in
//! the document, or as JSON in `variables`. Numbers are kept as text so that values outside
//! every machine type (`99999999999999999999999`) reach the server as written.

use std::fmt::Write as _;

/// A value of an argument, input field or variable.
#[derive(Clone, Debug)]
pub enum V {
    /// `null`.
    Null,
    /// A number, written as is in both renderings (`-0`, `1e400`, `170141183460469231731`).
    Num(String),
    /// A string, escaped as each syntax requires.
    Str(String),
    /// Text that only one syntax can carry as written (a lone surrogate escape, a raw control
    /// character): the GraphQL text and the JSON text, each inserted verbatim.
    Raw {
        /// As written in the document.
        graphql: String,
        /// As written in the JSON variables.
        json: String,
    },
    /// `true` or `false`.
    Bool(bool),
    /// An enum value: a bare name in GraphQL, a string in JSON.
    Enum(String),
    /// A list.
    List(Vec<V>),
    /// An input object (fields in order; duplicates allowed, to be refused).
    Obj(Vec<(String, V)>),
    /// A reference to a variable (GraphQL only; `null` in JSON).
    Var(String),
}

impl V {
    /// The value as a GraphQL literal.
    pub fn graphql(&self) -> String {
        let mut out = String::new();
        self.write_graphql(&mut out);
        out
    }

    /// The value as JSON text.
    pub fn json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }

    fn write_graphql(&self, out: &mut String) {
        match self {
            V::Null => out.push_str("null"),
            V::Num(text) => out.push_str(text),
            V::Str(text) => write_graphql_string(text, out),
            V::Raw { graphql, .. } => out.push_str(graphql),
            V::Bool(value) => out.push_str(if *value { "true" } else { "false" }),
            V::Enum(name) => out.push_str(name),
            V::List(items) => {
                out.push('[');
                for (index, item) in items.iter().enumerate() {
                    if index > 0 {
                        out.push_str(", ");
                    }
                    item.write_graphql(out);
                }
                out.push(']');
            }
            V::Obj(fields) => {
                out.push('{');
                for (index, (name, value)) in fields.iter().enumerate() {
                    if index > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(name);
                    out.push_str(": ");
                    value.write_graphql(out);
                }
                out.push('}');
            }
            V::Var(name) => {
                out.push('$');
                out.push_str(name);
            }
        }
    }

    fn write_json(&self, out: &mut String) {
        match self {
            V::Null | V::Var(_) => out.push_str("null"),
            V::Num(text) => out.push_str(text),
            V::Str(text) | V::Enum(text) => out.push_str(&json_string(text)),
            V::Raw { json, .. } => out.push_str(json),
            V::Bool(value) => out.push_str(if *value { "true" } else { "false" }),
            V::List(items) => {
                out.push('[');
                for (index, item) in items.iter().enumerate() {
                    if index > 0 {
                        out.push(',');
                    }
                    item.write_json(out);
                }
                out.push(']');
            }
            V::Obj(fields) => {
                out.push('{');
                for (index, (name, value)) in fields.iter().enumerate() {
                    if index > 0 {
                        out.push(',');
                    }
                    out.push_str(&json_string(name));
                    out.push(':');
                    value.write_json(out);
                }
                out.push('}');
            }
        }
    }
}

/// A JSON string literal.
pub fn json_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned())
}

/// Writes `text` as a GraphQL string literal, escaping what the grammar requires.
pub fn write_graphql_string(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A GraphQL string literal.
pub fn graphql_string(text: &str) -> String {
    let mut out = String::new();
    write_graphql_string(text, &mut out);
    out
}
