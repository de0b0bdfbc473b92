//! Operations generated from the schema: root fields of `Query` and `Mutation` with their
//! arguments filled (inline or through variables) and selections of random depth over object,
//! interface and union fields, with aliases, fragments and directives. Each value is mostly
//! plausible (real IDs of the right type, dates inside the seeded plan, known KPI keys) so that
//! requests reach the domain and the database; a share of them, set by the case's `chaos`, is
//! an edge or a wrong shape instead (see [`edge`](Generator::edge)).

use std::collections::BTreeMap;

use async_graphql::parser::types::{BaseType, Type};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde_json::Value;

use super::{
    model::{ArgDef, FieldDef, Kind, Model, named},
    rng::Rng,
    value::V,
};

/// Real values the seeding read back from the API, for arguments that must name something
/// that exists. Filled once before the run, so a case depends only on its seed and these.
#[derive(Default)]
pub struct Pools {
    /// Global IDs by type name (`Plan`, `Persona`…), in the order they were seen.
    pub ids: BTreeMap<String, Vec<String>>,
    /// The tenant's KPI keys.
    pub kpi_keys: Vec<String>,
    /// Cursors read from connections, by the connection field's name (`actions`…).
    pub cursors: BTreeMap<String, Vec<String>>,
}

/// Keys under a connection that lead to its cursors: the connection's own name is the
/// nearest key above them that is not one of these.
const CONNECTION_PARTS: [&str; 4] = ["pageInfo", "edges", "node", "nodes"];

impl Pools {
    /// Takes every global ID and cursor found in a response body.
    pub fn harvest(&mut self, body: &Value) {
        self.harvest_under(body, "");
    }

    fn harvest_under(&mut self, body: &Value, connection: &str) {
        match body {
            Value::Object(fields) => {
                for (key, value) in fields {
                    if let Value::String(text) = value {
                        if key == "id" || key.ends_with("Id") {
                            if let Some((type_name, _)) = decode_id(text) {
                                let pool = self.ids.entry(type_name).or_default();
                                if !pool.contains(text) {
                                    pool.push(text.clone());
                                }
                            }
                        } else if key.ends_with("Cursor") || key == "cursor" {
                            let pool = self.cursors.entry(connection.to_owned()).or_default();
                            if !pool.contains(text) && pool.len() < 16 {
                                pool.push(text.clone());
                            }
                        }
                    } else if CONNECTION_PARTS.contains(&key.as_str()) {
                        self.harvest_under(value, connection);
                    } else {
                        // Seeding aliases a connection as `field__variant`.
                        let name = key.split("__").next().unwrap_or(key);
                        self.harvest_under(value, name);
                    }
                }
            }
            Value::Array(items) => items
                .iter()
                .for_each(|item| self.harvest_under(item, connection)),
            _ => {}
        }
    }

    /// A cursor of the connection `field`, or of any connection.
    fn cursor(&self, rng: &mut Rng, field: &str) -> Option<String> {
        if let Some(pool) = self.cursors.get(field).filter(|pool| !pool.is_empty()) {
            return Some(rng.pick(pool).clone());
        }
        let all: Vec<&String> = self.cursors.values().flatten().collect();
        (!all.is_empty()).then(|| (*rng.pick(&all)).clone())
    }

    fn any_id(&self, rng: &mut Rng) -> Option<String> {
        let pools: Vec<&Vec<String>> = self.ids.values().filter(|p| !p.is_empty()).collect();
        if pools.is_empty() {
            return None;
        }
        let pool = rng.pick(&pools);
        Some(rng.pick(pool).clone())
    }
}

/// The type name and the rest of a global ID (`Plan`, `0190…`), if it is one.
pub fn decode_id(id: &str) -> Option<(String, String)> {
    let bytes = URL_SAFE_NO_PAD.decode(id.as_bytes()).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (type_name, rest) = text.split_once(':')?;
    (!type_name.is_empty() && type_name.chars().all(|c| c.is_ascii_alphabetic()))
        .then(|| (type_name.to_owned(), rest.to_owned()))
}

/// A global ID made of any text.
pub fn encode_id(text: &str) -> String {
    URL_SAFE_NO_PAD.encode(text)
}

/// What a generated selection answers: for each response key, the field's type, the shape of
/// its sub-selection (object-valued fields), and whether it may be absent (a directive may skip
/// it, or it sits in a fragment on one of several possible types). Used to check that the
/// answer never holds `null` where the schema promises a value, nor leaves out a field.
#[derive(Default, Debug)]
pub struct Shape(pub Vec<Entry>);

/// One response key of a [`Shape`].
#[derive(Debug)]
pub struct Entry {
    /// The response key (alias or field name).
    pub key: String,
    /// The field's type.
    pub ty: Type,
    /// The sub-selection's shape, for object-valued fields.
    pub sub: Option<Shape>,
    /// Whether the key may rightly be absent.
    pub conditional: bool,
}

impl Shape {
    fn has(&self, key: &str) -> bool {
        self.0.iter().any(|entry| entry.key == key)
    }

    fn push(&mut self, key: String, ty: Type, sub: Option<Shape>, conditional: bool) {
        self.0.push(Entry {
            key,
            ty,
            sub,
            conditional,
        });
    }

    /// The entry of a response key.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.0.iter().find(|entry| entry.key == key)
    }
}

/// A generated GraphQL request.
pub struct Operation {
    /// The document.
    pub document: String,
    /// The variables, as JSON text (an object).
    pub variables: String,
    /// The operation name to send, if any.
    pub operation_name: Option<String>,
    /// What the answer's `data` looks like.
    pub shape: Shape,
}

/// Which root type an operation starts from.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Root {
    /// `query`.
    Query,
    /// `mutation`.
    Mutation,
}

/// Where a value goes: the field, argument or input type that holds it and its name, to pick a
/// plausible value (`planId` takes a plan's ID, `periodEnd` a later date…).
#[derive(Clone, Copy)]
struct Hint<'h> {
    owner: &'h str,
    name: &'h str,
}

struct Variable {
    name: String,
    declared: String,
    value: Option<V>,
    default: Option<V>,
}

/// A family of the values that a case applies to most of the leaves it fits, so that
/// whole inputs reach the extremes together (a plan from 0001-01-01 to 9999-12-31, rows whose
/// sum overflows, a persona whose every text is longer than its column).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Theme {
    /// No theme.
    Plain,
    /// NUL bytes in strings.
    Nul,
    /// Texts longer than 100 characters, up to tens of thousands.
    LongText,
    /// The earliest and latest dates.
    WidePeriod,
    /// Amounts that overflow 64 bits when a few are summed, and repeated rows.
    BigAmounts,
}

impl Theme {
    /// The theme's name, for the report.
    pub fn name(self) -> &'static str {
        match self {
            Theme::Plain => "",
            Theme::Nul => ", NUL bytes",
            Theme::LongText => ", long texts",
            Theme::WidePeriod => ", wide periods",
            Theme::BigAmounts => ", big amounts",
        }
    }
}

/// Builds one operation. `chaos` (0 to 1) is the share of edge and wrong-shaped values.
pub struct Generator<'a> {
    model: &'a Model,
    pools: &'a Pools,
    /// The case's random numbers.
    pub rng: Rng,
    chaos: f64,
    variables: Vec<Variable>,
    fragments: Vec<String>,
    fields_left: usize,
    max_depth: usize,
    next_name: usize,
    /// The share of optional arguments and input fields given a value.
    optional: f64,
    /// Fields of the selection set being written that no directive can skip.
    unconditional: usize,
    /// Whether the fields being written sit in a fragment on one of several possible types.
    type_conditioned: bool,
    /// The case's theme.
    pub theme: Theme,
    /// Bytes of long texts the case may still generate.
    bytes_left: usize,
}

/// The most bytes of long texts one generated case holds (the body cap is 1 MiB; past it the
/// answer is 413 whatever the texts).
const TEXT_BUDGET: usize = 1_500_000;

/// Plain words for strings without a more specific hint.
const WORDS: [&str; 8] = [
    "Spring",
    "Fuzz plan",
    "Sophie",
    "Lorem ipsum dolor",
    "x",
    "Été 2027",
    "launch",
    "A",
];

impl<'a> Generator<'a> {
    /// A generator for one case.
    pub fn new(model: &'a Model, pools: &'a Pools, rng: Rng, chaos: f64) -> Self {
        Self {
            model,
            pools,
            rng,
            chaos,
            variables: Vec::new(),
            fragments: Vec::new(),
            fields_left: 0,
            max_depth: 0,
            next_name: 0,
            optional: 0.4,
            unconditional: 0,
            type_conditioned: false,
            theme: Theme::Plain,
            bytes_left: TEXT_BUDGET,
        }
    }

    fn fresh(&mut self, prefix: &str) -> String {
        self.next_name += 1;
        format!("{prefix}{}", self.next_name)
    }

    fn wild(&mut self, share: f64) -> bool {
        self.chaos > 0.0 && self.rng.chance(self.chaos * share)
    }

    /// An operation of `root`, with one or a few root fields.
    pub fn operation(&mut self, root: Root) -> Operation {
        self.max_depth =
            self.rng
                .weighted(&[(25, 2), (30, 3), (20, 4), (12, 6), (6, 9), (4, 12), (3, 13)]);
        self.fields_left = self
            .rng
            .weighted(&[(40, 25), (35, 60), (15, 200), (7, 480), (3, 700)]);
        let root_name = match root {
            Root::Query => "Query",
            Root::Mutation => "Mutation",
        };
        let count = match root {
            Root::Mutation => self.rng.weighted(&[(80, 1), (15, 2), (5, 3)]),
            Root::Query => self.rng.weighted(&[(60, 1), (30, 2), (10, 4)]),
        };
        let mut selection = String::new();
        let mut shape = Shape::default();
        for _ in 0..count {
            let field = self.root_field(root_name);
            self.field(field, 0, &mut selection, &mut shape);
        }
        if root == Root::Query && self.rng.chance(0.08) {
            self.introspection(&mut selection);
        }
        if selection.is_empty() || self.rng.chance(0.05) {
            selection.push_str(" __typename");
            shape.push("__typename".to_owned(), non_null("String"), None, false);
        }
        let keyword = match root {
            Root::Query => "query",
            Root::Mutation => "mutation",
        };
        let operation_name = self
            .rng
            .chance(0.3)
            .then(|| format!("Fuzz{}", self.rng.below(1000)));
        let mut document = String::new();
        if root == Root::Query
            && self.variables.is_empty()
            && operation_name.is_none()
            && self.rng.chance(0.5)
        {
            document.push('{');
        } else {
            document.push_str(keyword);
            if let Some(name) = &operation_name {
                document.push(' ');
                document.push_str(name);
            }
            document.push_str(&self.variable_definitions());
            document.push_str(" {");
        }
        document.push_str(&selection);
        document.push_str(" }");
        for fragment in &self.fragments {
            document.push('\n');
            document.push_str(fragment);
        }
        let variables = self.variables_json();
        // Sometimes the name sent does not match the document's.
        let operation_name = match operation_name {
            Some(_) if self.wild(0.2) => Some("NoSuchOperation".to_owned()),
            other => other,
        };
        Operation {
            document,
            variables,
            operation_name,
            shape,
        }
    }

    /// `($v1: Type = default, …)`, or nothing without variables.
    fn variable_definitions(&self) -> String {
        if self.variables.is_empty() {
            return String::new();
        }
        let definitions: Vec<String> = self
            .variables
            .iter()
            .map(|variable| match &variable.default {
                Some(default) => format!(
                    "${}: {} = {}",
                    variable.name,
                    variable.declared,
                    default.graphql()
                ),
                None => format!("${}: {}", variable.name, variable.declared),
            })
            .collect();
        format!("({})", definitions.join(", "))
    }

    /// The variables that have a value, as a JSON object.
    fn variables_json(&self) -> String {
        let values: Vec<String> = self
            .variables
            .iter()
            .filter_map(|variable| {
                let value = variable.value.as_ref()?;
                Some(format!(
                    "{}:{}",
                    super::value::json_string(&variable.name),
                    value.json()
                ))
            })
            .collect();
        format!("{{{}}}", values.join(","))
    }

    /// A call of the mutation `field` with plausible arguments, selecting every ID (and secret)
    /// its payload holds and its user errors: document and variables, to seed data.
    pub fn seed_operation(&mut self, field: &'a FieldDef, optional: f64) -> (String, String) {
        self.optional = optional;
        let arguments = self.arguments(&field.name, &field.args);
        let selection = self.id_selection(named(&field.ty), 0);
        let document = format!(
            "mutation{} {{ {}{arguments} {{ __typename {selection} }} }}",
            self.variable_definitions(),
            field.name
        );
        (document, self.variables_json())
    }

    fn id_selection(&self, type_name: &str, depth: usize) -> String {
        let mut parts = Vec::new();
        for field in self.model.fields(type_name) {
            let inner = named(&field.ty);
            match (field.name.as_str(), self.model.kind(inner)) {
                ("id" | "secret", _) => parts.push(field.name.clone()),
                ("userErrors", _) => parts.push("userErrors { field message code }".to_owned()),
                (_, Kind::Object(_)) if depth < 2 && !field.args.iter().any(ArgDef::required) => {
                    let sub = self.id_selection(inner, depth + 1);
                    if !sub.is_empty() {
                        parts.push(format!("{} {{ {sub} }}", field.name));
                    }
                }
                _ => {}
            }
        }
        parts.join(" ")
    }

    fn root_field(&mut self, root: &str) -> &'a FieldDef {
        let fields = self.model.fields(root);
        // Deleting seeded objects makes later cases find nothing: delete less often.
        let weights: Vec<(u32, usize)> = fields
            .iter()
            .enumerate()
            .map(|(index, field)| {
                // Creating and recording give later cases more (and more extreme) data to read;
                // deleting seeded objects starves them.
                let weight = if field.name.starts_with("delete") || field.name == "revokeApiKey" {
                    1
                } else if ["create", "record", "copy"]
                    .iter()
                    .any(|p| field.name.starts_with(p))
                {
                    8
                } else {
                    5
                };
                (weight, index)
            })
            .collect();
        &fields[self.rng.weighted(&weights)]
    }

    fn introspection(&mut self, out: &mut String) {
        let names: Vec<&String> = self.model.types.keys().collect();
        let name = if self.wild(0.5) {
            "NoSuchType".to_owned()
        } else {
            (*self.rng.pick(&names)).clone()
        };
        let alias = self.fresh("i");
        match self.rng.below(3) {
            0 => out.push_str(&format!(
                " {alias}: __type(name: {}) {{ name kind fields(includeDeprecated: true) {{ name args {{ name type {{ name kind ofType {{ name }} }} }} }} inputFields {{ name }} enumValues {{ name }} }}",
                super::value::graphql_string(&name)
            )),
            1 => out.push_str(&format!(
                " {alias}: __schema {{ queryType {{ name }} types {{ name kind }} directives {{ name locations args {{ name }} }} }}"
            )),
            _ => out.push_str(&format!(
                " {alias}: __schema {{ types {{ name fields {{ name type {{ kind name ofType {{ kind name ofType {{ kind name ofType {{ kind name }} }} }} }} }} }} }}"
            )),
        }
    }

    /// Writes one field (alias, arguments, directives, sub-selection) and records its shape.
    fn field(&mut self, field: &'a FieldDef, depth: usize, out: &mut String, shape: &mut Shape) {
        if self.fields_left == 0 {
            return;
        }
        let type_name = named(&field.ty);
        let composite = matches!(
            self.model.kind(type_name),
            Kind::Object(_) | Kind::Interface(..) | Kind::Union(_)
        );
        if composite && depth + 1 > self.max_depth {
            return;
        }
        self.fields_left -= 1;
        let key = if shape.has(&field.name) || self.rng.chance(0.15) {
            self.fresh("a")
        } else {
            field.name.clone()
        };
        out.push(' ');
        if key != field.name {
            out.push_str(&key);
            out.push_str(": ");
        }
        out.push_str(&field.name);
        let arguments = self.arguments(&field.name, &field.args);
        out.push_str(&arguments);
        let mut conditional = self.type_conditioned;
        if self.rng.chance(0.06) {
            let directive = self.directive();
            out.push_str(&directive);
            conditional = true;
        } else {
            self.unconditional += 1;
        }
        if composite {
            let mut sub = Shape::default();
            out.push_str(" {");
            self.selection(type_name, depth + 1, out, &mut sub);
            out.push_str(" }");
            shape.push(key, field.ty.clone(), Some(sub), conditional);
        } else {
            if self.wild(0.02) {
                // A selection on a scalar: refused by validation.
                out.push_str(" { id }");
            }
            shape.push(key, field.ty.clone(), None, conditional);
        }
    }

    /// Writes the selection set of a composite type (without the braces).
    fn selection(&mut self, type_name: &str, depth: usize, out: &mut String, shape: &mut Shape) {
        let outer = std::mem::replace(&mut self.unconditional, 0);
        let outer_conditioned = std::mem::replace(&mut self.type_conditioned, false);
        let model = self.model;
        match model.kind(type_name) {
            Kind::Object(fields) => {
                if depth > 1 && self.rng.chance(0.1) {
                    self.named_fragment(type_name, depth, out, shape);
                } else if self.rng.chance(0.05) {
                    out.push_str(" ... {");
                    self.fragment_fields(fields, depth, out, shape);
                    out.push_str(" }");
                } else {
                    self.object_fields(fields, depth, out, shape);
                }
            }
            Kind::Interface(fields, possible) => {
                self.object_fields(fields, depth, out, shape);
                let count = self.rng.between(0, 3.min(possible.len()));
                for _ in 0..count {
                    let object = self.rng.pick(possible).clone();
                    out.push_str(&format!(" ... on {object} {{"));
                    if let Kind::Object(fields) = model.kind(&object) {
                        self.type_conditioned = true;
                        self.fragment_fields(fields, depth, out, shape);
                        self.type_conditioned = false;
                    }
                    out.push_str(" }");
                }
            }
            Kind::Union(members) => {
                for member in members.iter().take(3) {
                    out.push_str(&format!(" ... on {member} {{"));
                    if let Kind::Object(fields) = model.kind(member) {
                        self.type_conditioned = true;
                        self.fragment_fields(fields, depth, out, shape);
                        self.type_conditioned = false;
                    }
                    out.push_str(" }");
                }
            }
            _ => {}
        }
        // A selection set whose every field may be skipped answers `null` instead of `{}`
        // (async-graphql 7), even for a non-null field: keep one field no directive skips.
        if self.unconditional == 0 || self.rng.chance(0.1) {
            let key = if shape.has("__typename") {
                self.fresh("t")
            } else {
                "__typename".to_owned()
            };
            if key == "__typename" {
                out.push_str(" __typename");
            } else {
                out.push_str(&format!(" {key}: __typename"));
            }
            shape.push(key, non_null("String"), None, false);
        }
        self.unconditional = outer;
        self.type_conditioned = outer_conditioned;
    }

    fn object_fields(
        &mut self,
        fields: &'a [FieldDef],
        depth: usize,
        out: &mut String,
        shape: &mut Shape,
    ) {
        if fields.is_empty() {
            return;
        }
        let count = self.rng.weighted(&[(30, 1), (30, 2), (25, 4), (15, 8)]);
        for _ in 0..count {
            let field = self.rng.pick(fields);
            self.field(field, depth, out, shape);
        }
        if self.wild(0.02) {
            out.push_str(" noSuchField");
        }
    }

    /// The fields of an inline fragment: never none (an empty selection does not parse), so
    /// `__typename` when nothing else fits the budget.
    fn fragment_fields(
        &mut self,
        fields: &'a [FieldDef],
        depth: usize,
        out: &mut String,
        shape: &mut Shape,
    ) {
        let before = out.len();
        self.object_fields(fields, depth, out, shape);
        if out.len() == before {
            let key = self.fresh("t");
            out.push_str(&format!(" {key}: __typename"));
            shape.push(key, non_null("String"), None, true);
        }
    }

    fn named_fragment(
        &mut self,
        type_name: &str,
        depth: usize,
        out: &mut String,
        shape: &mut Shape,
    ) {
        let name = self.fresh("F");
        let mut body = String::new();
        if let Kind::Object(fields) = self.model.kind(type_name) {
            self.object_fields(fields, depth, &mut body, shape);
        }
        if body.is_empty() {
            body.push_str(" __typename");
            if !shape.has("__typename") {
                shape.push(
                    "__typename".to_owned(),
                    non_null("String"),
                    None,
                    self.type_conditioned,
                );
            }
        }
        self.fragments
            .push(format!("fragment {name} on {type_name} {{{body} }}"));
        out.push_str(&format!(" ...{name}"));
        if self.wild(0.1) {
            // The same fragment defined twice: refused by validation.
            let copy = self.fragments[self.fragments.len() - 1].clone();
            self.fragments.push(copy);
        }
    }

    fn directive(&mut self) -> String {
        match self.rng.below(6) {
            0 => " @include(if: true)".to_owned(),
            1 => " @skip(if: false)".to_owned(),
            2 => {
                let name = self.fresh("b");
                let value = self.rng.chance(0.5);
                self.variables.push(Variable {
                    name: name.clone(),
                    declared: "Boolean!".to_owned(),
                    value: Some(V::Bool(value)),
                    default: None,
                });
                format!(" @include(if: ${name})")
            }
            3 if self.chaos > 0.0 => " @deprecated".to_owned(),
            4 if self.chaos > 0.0 => " @skip(if: false) @skip(if: false)".to_owned(),
            5 if self.chaos > 0.0 => " @noSuchDirective(x: 1)".to_owned(),
            _ => " @skip(if: false)".to_owned(),
        }
    }

    /// The argument list of a field, `(…)` or nothing.
    fn arguments(&mut self, field: &str, args: &'a [ArgDef]) -> String {
        let mut written = Vec::new();
        for arg in args {
            let include = if arg.required() {
                !self.wild(0.05)
            } else {
                self.rng.chance(self.optional)
            };
            if !include {
                continue;
            }
            let hint = Hint {
                owner: field,
                name: &arg.name,
            };
            let value = if self.rng.chance(0.45) {
                self.variable(&arg.ty, hint)
            } else {
                self.value(&arg.ty, hint, 0)
            };
            written.push(format!("{}: {}", arg.name, value.graphql()));
        }
        if self.wild(0.03) {
            written.push("noSuchArgument: 1".to_owned());
        }
        if self.wild(0.03) && !written.is_empty() {
            let copy = written[0].clone();
            written.push(copy);
        }
        if written.is_empty() {
            String::new()
        } else {
            format!("({})", written.join(", "))
        }
    }

    /// Declares a variable for an argument of type `ty` and returns the reference to it.
    fn variable(&mut self, ty: &Type, hint: Hint<'_>) -> V {
        let name = self.fresh("v");
        let declared = if self.wild(0.1) {
            match self.rng.below(5) {
                0 => named(ty).to_owned(),
                1 => "String".to_owned(),
                2 => "Int!".to_owned(),
                3 => format!("[{ty}]"),
                _ => format!("{}!", self.rng.pick(&self.model.input_names)),
            }
        } else {
            ty.to_string()
        };
        let mut value = Some(self.value(ty, hint, 0));
        let mut default = None;
        if ty.nullable && self.rng.chance(0.1) {
            default = value.take();
        } else if self.wild(0.05) {
            value = None;
        }
        self.variables.push(Variable {
            name: name.clone(),
            declared,
            value,
            default,
        });
        V::Var(name)
    }

    /// A value for `ty`: mostly plausible, sometimes an edge or a wrong shape.
    fn value(&mut self, ty: &Type, hint: Hint<'_>, depth: usize) -> V {
        if depth > 6 {
            return V::Null;
        }
        if self.theme != Theme::Plain
            && self.rng.chance(0.4)
            && let Some(themed) = self.themed(ty, hint, depth)
        {
            return themed;
        }
        if self.wild(0.3) {
            return self.edge(ty, hint, depth);
        }
        if ty.nullable && self.rng.chance(0.04) {
            return V::Null;
        }
        match &ty.base {
            BaseType::List(inner) => {
                let count = self.rng.weighted(&[(10, 0), (60, 1), (20, 2), (10, 3)]);
                V::List(
                    (0..count)
                        .map(|_| self.value(inner, hint, depth + 1))
                        .collect(),
                )
            }
            BaseType::Named(name) => self.plain(name, hint, depth),
        }
    }

    /// A plausible value of the named type `name`.
    fn plain(&mut self, name: &str, hint: Hint<'_>, depth: usize) -> V {
        let lower = hint.name.to_ascii_lowercase();
        match name {
            "ID" => V::Str(self.id(hint)),
            "String" => V::Str(self.string(hint, &lower)),
            "Int" => V::Num(self.int(&lower).to_string()),
            "Float" => V::Num((*self.rng.pick(&["0.5", "1", "0.25", "7.0", "0"])).to_owned()),
            "Boolean" => V::Bool(self.rng.chance(0.5)),
            "Date" => V::Str(self.date(&lower)),
            "DateTime" => V::Str(self.date_time(&lower)),
            "Decimal" => V::Str(
                (*self
                    .rng
                    .pick(&["1000", "12.5", "0", "250", "0.1", "40", "20", "100000"]))
                .to_owned(),
            ),
            _ => {
                let model = self.model;
                match model.kind(name) {
                    Kind::Enum(values) => V::Enum(self.rng.pick(values).clone()),
                    Kind::Input(fields) => self.input_object(name, fields, depth),
                    _ => V::Str("x".to_owned()),
                }
            }
        }
    }

    fn input_object(&mut self, name: &str, fields: &'a [ArgDef], depth: usize) -> V {
        let mut written = Vec::new();
        for field in fields {
            let include = if field.required() {
                !self.wild(0.05)
            } else {
                self.rng.chance(self.optional)
            };
            if include {
                let hint = Hint {
                    owner: name,
                    name: &field.name,
                };
                written.push((field.name.clone(), self.value(&field.ty, hint, depth + 1)));
            }
        }
        if self.wild(0.03) {
            written.push(("noSuchField".to_owned(), V::Num("1".to_owned())));
        }
        V::Obj(written)
    }

    /// The theme's value for a leaf of type `ty`, if the theme has one for it.
    fn themed(&mut self, ty: &Type, hint: Hint<'_>, depth: usize) -> Option<V> {
        let lower = hint.name.to_ascii_lowercase();
        let early = lower.contains("start") || lower == "from" || lower.ends_with("after");
        let late = lower.contains("end")
            || lower == "to"
            || lower.contains("due")
            || lower.contains("deadline")
            || lower.ends_with("before");
        let name = match &ty.base {
            BaseType::List(inner) => {
                let is_input = matches!(self.model.kind(named(inner)), Kind::Input(_));
                if self.theme == Theme::BigAmounts
                    && is_input
                    && matches!(inner.base, BaseType::Named(_))
                {
                    let item = self.value(inner, hint, depth + 1);
                    return Some(V::List(vec![item; self.rng.between(2, 5)]));
                }
                return None;
            }
            BaseType::Named(name) => name.as_str(),
        };
        let value = match (self.theme, name) {
            (Theme::Nul, "String") => V::Str(
                (*self
                    .rng
                    .pick(&["\u{0}", "a\u{0}b", "Spring\u{0}", "\u{0}\u{0}\u{0}"]))
                .to_owned(),
            ),
            (Theme::LongText, "String") => {
                let length = *self.rng.pick(&[101, 201, 256, 1_001, 5_000]);
                let unit = if self.rng.chance(0.3) { "é" } else { "x" };
                V::Str(self.long(unit, length))
            }
            (Theme::WidePeriod, "Date") => V::Str(
                if early || (!late && self.rng.chance(0.5)) {
                    "0001-01-01"
                } else {
                    "9999-12-31"
                }
                .to_owned(),
            ),
            (Theme::WidePeriod, "DateTime") => V::Str(
                if early || (!late && self.rng.chance(0.5)) {
                    "0001-01-01T00:00:00Z"
                } else {
                    "9999-12-31T23:59:59Z"
                }
                .to_owned(),
            ),
            (Theme::BigAmounts, "Decimal") => V::Str((*self.rng.pick(&LARGE_AMOUNTS)).to_owned()),
            (Theme::BigAmounts, "Int") => {
                V::Num((*self.rng.pick(&["2147483647", "1000000000"])).to_owned())
            }
            (Theme::BigAmounts, "Float") => V::Num("1e300".to_owned()),
            _ => return None,
        };
        Some(value)
    }

    /// The type an ID argument names, from its name and owner (`planId`, `UpdatePlanInput.id`,
    /// `plan(id:)`); `None` for any node (`node(id:)`).
    fn id_type(hint: Hint<'_>) -> Option<String> {
        let base = match hint.name {
            "id" | "ids" => {
                let owner = hint.owner.strip_suffix("Input").unwrap_or(hint.owner);
                let owner = [
                    "Update", "Delete", "Revoke", "Create", "Copy", "Apply", "Set",
                ]
                .iter()
                .find_map(|prefix| owner.strip_prefix(prefix))
                .unwrap_or(owner);
                owner.to_owned()
            }
            name => {
                let stem = name
                    .strip_suffix("Ids")
                    .or_else(|| name.strip_suffix("Id"))?;
                let start = stem.rfind(|c: char| c.is_ascii_uppercase()).unwrap_or(0);
                stem[start..].to_owned()
            }
        };
        let mut chars = base.chars();
        let first = chars.next()?.to_ascii_uppercase();
        Some(std::iter::once(first).chain(chars).collect())
    }

    fn id(&mut self, hint: Hint<'_>) -> String {
        let wanted = Self::id_type(hint);
        let pools = self.pools;
        if let Some(pool) = wanted
            .as_deref()
            .and_then(|name| pools.ids.get(name))
            .filter(|pool| !pool.is_empty())
        {
            // Deleting a seeded object would starve the cases after it: deletes mostly aim
            // at IDs that do not exist.
            if hint.owner.starts_with("Delete") && self.rng.chance(0.7) {
                return encode_id(&format!(
                    "{}:{:032x}",
                    wanted.unwrap_or_default(),
                    self.rng.next_u64()
                ));
            }
            return self.rng.pick(pool).clone();
        }
        pools
            .any_id(&mut self.rng)
            .unwrap_or_else(|| encode_id("Plan:00000000000000000000000000000000"))
    }

    fn string(&mut self, hint: Hint<'_>, lower: &str) -> String {
        // Mostly one common KPI, so that rows recorded by one case are summed by another.
        let kpi = |rng: &mut Rng, pools: &Pools| {
            if pools.kpi_keys.is_empty() || rng.chance(0.5) {
                "clicks".to_owned()
            } else {
                rng.pick(&pools.kpi_keys).clone()
            }
        };
        match lower {
            "key" if hint.owner.contains("Kpi") => format!("fuzz_kpi_{}", self.rng.below(100_000)),
            "kpikey" | "kpikeys" | "numeratorkey" | "denominatorkey" => {
                kpi(&mut self.rng, self.pools)
            }
            "currency" => (*self.rng.pick(&["EUR", "USD", "GBP"])).to_owned(),
            "source" => (*self.rng.pick(&["manual", "ga4", "fuzz"])).to_owned(),
            "externalid" => format!("ext-{}", self.rng.below(1000)),
            "journeyid" => format!("journey-{}", self.rng.below(20)),
            "after" | "before" => self
                .pools
                .cursor(&mut self.rng, hint.owner)
                .unwrap_or_else(|| "cursor".to_owned()),
            "email" => "fuzz@example.com".to_owned(),
            "namecontains" | "search" | "titlecontains" | "messagecontains" => {
                (*self.rng.pick(&["a", "Spring", "fuzz", "é"])).to_owned()
            }
            _ => {
                let word = *self.rng.pick(&WORDS);
                if self.rng.chance(0.5) {
                    format!("{word} {}", self.rng.below(1000))
                } else {
                    word.to_owned()
                }
            }
        }
    }

    fn int(&mut self, lower: &str) -> i64 {
        match lower {
            "first" | "last" => self.rng.between(1, 5) as i64,
            "impact" | "confidence" | "ease" => self.rng.between(1, 10) as i64,
            "likelihood" | "priority" | "score" => self.rng.between(1, 5) as i64,
            "expectedversion" => self.rng.weighted(&[(60, 1), (20, 2), (20, 3)]),
            "lookbackdays" => self.rng.between(1, 60) as i64,
            "year" => 2027,
            _ => self.rng.between(0, 12) as i64,
        }
    }

    fn date(&mut self, lower: &str) -> String {
        if lower.contains("start") || lower == "from" || lower.ends_with("after") {
            "2027-03-01".to_owned()
        } else if lower.contains("end")
            || lower == "to"
            || lower.contains("due")
            || lower.contains("deadline")
            || lower.ends_with("before")
        {
            (*self.rng.pick(&["2027-03-31", "2027-06-30", "2027-12-31"])).to_owned()
        } else {
            format!("2027-03-{:02}", self.rng.between(1, 28))
        }
    }

    fn date_time(&mut self, lower: &str) -> String {
        if lower == "from" {
            "2027-03-01T00:00:00Z".to_owned()
        } else if lower == "to" {
            "2027-04-01T00:00:00Z".to_owned()
        } else if lower.contains("expires") {
            "2030-01-01T00:00:00Z".to_owned()
        } else {
            format!(
                "2027-03-{:02}T{:02}:{:02}:00Z",
                self.rng.between(1, 28),
                self.rng.below(24),
                self.rng.below(60)
            )
        }
    }

    /// An edge value or a wrong shape for `ty`: extremes, invalid text, forged IDs, NUL bytes,
    /// huge and nested lists, unknown enum values, objects missing fields, nulls.
    fn edge(&mut self, ty: &Type, hint: Hint<'_>, depth: usize) -> V {
        match self.rng.weighted(&[(10, 0), (15, 1), (75, 2)]) {
            0 => return V::Null,
            1 => return self.wrong_kind(),
            _ => {}
        }
        match &ty.base {
            BaseType::List(inner) => match self.rng.below(7) {
                6 => {
                    // One item several times: rows that add up (sums past the 64-bit range).
                    let item = self.value(inner, hint, depth + 1);
                    V::List(vec![item; self.rng.between(2, 6)])
                }
                0 => V::List(Vec::new()),
                1 => {
                    // Just over and far over the usual 100-item bounds.
                    let count = *self.rng.pick(&[101, 500, 2_000]);
                    V::List(
                        (0..count)
                            .map(|_| self.value(inner, hint, depth + 1))
                            .collect(),
                    )
                }
                2 => V::List(vec![V::Null, V::Null]),
                3 => {
                    let item = self.value(inner, hint, depth + 1);
                    let mut nested = V::List(vec![item]);
                    for _ in 0..self.rng.size(1, 60) {
                        nested = V::List(vec![nested]);
                    }
                    nested
                }
                4 => self.value(inner, hint, depth + 1),
                _ => {
                    let count = self.rng.between(1, 3);
                    V::List(
                        (0..count)
                            .map(|_| self.edge(inner, hint, depth + 1))
                            .collect(),
                    )
                }
            },
            BaseType::Named(name) => self.named_edge(name, hint, depth),
        }
    }

    fn wrong_kind(&mut self) -> V {
        match self.rng.below(8) {
            0 => V::Num("1".to_owned()),
            1 => V::Num("1.5".to_owned()),
            2 => V::Str("x".to_owned()),
            3 => V::Bool(true),
            4 => V::Enum("FUZZ".to_owned()),
            5 => V::List(vec![V::Num("1".to_owned())]),
            6 => V::Obj(vec![("a".to_owned(), V::Num("1".to_owned()))]),
            _ => V::Obj(Vec::new()),
        }
    }

    fn named_edge(&mut self, name: &str, hint: Hint<'_>, depth: usize) -> V {
        match name {
            "ID" => self.id_edge(hint),
            "String" => self.string_edge(hint),
            "Int" => V::Num((*self.rng.pick(&INT_EDGES)).to_owned()),
            "Float" => V::Num((*self.rng.pick(&FLOAT_EDGES)).to_owned()),
            "Boolean" => match self.rng.below(3) {
                0 => V::Str("true".to_owned()),
                1 => V::Num("1".to_owned()),
                _ => V::Enum("yes".to_owned()),
            },
            "Decimal" => {
                if self.rng.chance(0.3) {
                    V::Str((*self.rng.pick(&LARGE_AMOUNTS)).to_owned())
                } else if self.rng.chance(0.15) {
                    V::Num(
                        (*self
                            .rng
                            .pick(&["1e30", "99999999999999999999999", "12.5", "-0"]))
                        .to_owned(),
                    )
                } else {
                    V::Str((*self.rng.pick(&DECIMAL_EDGES)).to_owned())
                }
            }
            "Date" => V::Str((*self.rng.pick(&DATE_EDGES)).to_owned()),
            "DateTime" => V::Str((*self.rng.pick(&DATE_TIME_EDGES)).to_owned()),
            _ => {
                let model = self.model;
                match model.kind(name) {
                    Kind::Enum(values) => match self.rng.below(4) {
                        0 => V::Enum("NOT_A_VALUE".to_owned()),
                        1 => V::Enum(self.rng.pick(values).to_ascii_lowercase()),
                        // A string where an enum is expected: refused in a literal, accepted
                        // in JSON variables.
                        2 => V::Str(self.rng.pick(values).clone()),
                        _ => V::Str(String::new()),
                    },
                    Kind::Input(fields) => match self.rng.below(5) {
                        0 => V::Obj(Vec::new()),
                        1 => {
                            let mut object = self.input_object(name, fields, depth);
                            if let V::Obj(written) = &mut object
                                && let Some(first) = written.first().cloned()
                            {
                                // The same field twice.
                                written.push(first);
                            }
                            object
                        }
                        2 => {
                            let mut nested = V::Obj(vec![("a".to_owned(), V::Null)]);
                            for _ in 0..self.rng.size(1, 60) {
                                nested = V::Obj(vec![("a".to_owned(), nested)]);
                            }
                            nested
                        }
                        _ => {
                            // Every field present, each an edge.
                            let written = fields
                                .iter()
                                .map(|field| {
                                    let hint = Hint {
                                        owner: name,
                                        name: &field.name,
                                    };
                                    (field.name.clone(), self.edge(&field.ty, hint, depth + 1))
                                })
                                .collect();
                            V::Obj(written)
                        }
                    },
                    _ => self.wrong_kind(),
                }
            }
        }
    }

    fn id_edge(&mut self, hint: Hint<'_>) -> V {
        let real = self.id(hint);
        let rest = decode_id(&real).map(|(_, rest)| rest).unwrap_or_default();
        let type_names: Vec<&String> = self.pools.ids.keys().collect();
        let other_type = type_names
            .get(self.rng.below(type_names.len().max(1)))
            .map(|name| name.as_str())
            .unwrap_or("Tenant");
        let text = match self.rng.below(16) {
            // The same UUID under another type's name.
            0 => encode_id(&format!("{other_type}:{rest}")),
            1 => self.pools.any_id(&mut self.rng).unwrap_or_default(),
            2 => encode_id("Plan:00000000000000000000000000000000"),
            3 => encode_id("Plan:not-a-uuid"),
            4 => encode_id("Plan:"),
            5 => encode_id(&format!("NoSuchType:{rest}")),
            6 => String::new(),
            7 => "!!!".to_owned(),
            8 => format!("{real}=="),
            9 => format!("{real}\u{0}"),
            10 => encode_id(&format!("Plan:{rest}\u{0}")),
            11 => {
                let length = self.rng.size(100, 100_000);
                self.long("A", length)
            }
            12 => rest,
            13 => encode_id(&format!("Tenant:{rest}")),
            14 => return V::Num((*self.rng.pick(&["0", "-1", "99999999999999999999"])).to_owned()),
            _ => real.to_uppercase(),
        };
        V::Str(text)
    }

    /// `unit` repeated `length` times if the case's byte budget allows, else 101 times (still
    /// past a 100-character column), so that lists of long texts cannot flood memory.
    fn long(&mut self, unit: &str, length: usize) -> String {
        let bytes = unit.len() * length;
        if bytes <= self.bytes_left {
            self.bytes_left -= bytes;
            unit.repeat(length)
        } else {
            unit.repeat(101)
        }
    }

    fn string_edge(&mut self, hint: Hint<'_>) -> V {
        let text = match self.rng.below(20) {
            0 => String::new(),
            1 => "\u{0}".to_owned(),
            2 => "a\u{0}b".to_owned(),
            3 => {
                let length = *self.rng.pick(&[100, 101, 200, 201, 256, 1_000, 5_000]);
                self.long("x", length)
            }
            4 => {
                let length = self.rng.size(5_000, 300_000);
                self.long("x", length)
            }
            5 => "é".repeat(101),
            6 => "😀".repeat(60),
            7 => "' OR '1'='1' --".to_owned(),
            8 => {
                let length = self.rng.size(1, 60_000);
                self.long("%", length)
            }
            9 => "_%\\[a-z]*".to_owned(),
            10 => "\u{202E}\u{FEFF}\u{FFFF}\u{10FFFF}".to_owned(),
            11 => "\r\n\t\u{1}\u{1f}\u{7f}".to_owned(),
            12 => "<script>alert(1)</script>{{7*7}}${x}".to_owned(),
            13 => " ".to_owned(),
            14 => {
                return V::Raw {
                    graphql: "\"\\uD800\"".to_owned(),
                    json: "\"\\ud800\"".to_owned(),
                };
            }
            15 => {
                return V::Raw {
                    graphql: "\"\"\"block \\u0000 \"\"\"".to_owned(),
                    json: "\"\\u0000\\u0000\"".to_owned(),
                };
            }
            16 => match self.pools.cursor(&mut self.rng, hint.owner) {
                Some(real) => forge_cursor(&mut self.rng, &real),
                None => "cursor".to_owned(),
            },
            17 => format!("{}\u{0}", self.rng.pick(&WORDS)),
            18 => "null".to_owned(),
            _ => {
                let length = self.rng.size(1, 1_000);
                self.long("\u{0}", length)
            }
        };
        V::Str(text)
    }
}

fn non_null(name: &str) -> Type {
    Type {
        base: BaseType::Named(async_graphql::Name::new(name)),
        nullable: false,
    }
}

/// A cursor made from a real one: its ordering kept, its sort value replaced by one of another
/// type or out of range, or its ID forged.
pub fn forge_cursor(rng: &mut Rng, real: &str) -> String {
    let decoded = URL_SAFE_NO_PAD
        .decode(real.as_bytes())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default();
    let nil = "00000000000000000000000000000000";
    if let Some(rest) = decoded.strip_prefix("keyset:")
        && let Some((before_id, id)) = rest.rsplit_once(':')
        && let Some((ordering, _value)) = before_id.rsplit_once(':')
    {
        let value = *rng.pick(&[
            "i=1",
            "i=-9223372036854775808",
            "i=99999999999999999999",
            "d=0001-01-01",
            "d=9999-12-31",
            "d=2027-02-30",
            "t=2027-03-01T00:00:00Z",
            "t=9999-12-31T23:59:59Z",
            "x=1",
            "i=",
            "d=\u{0}",
        ]);
        let id = if rng.chance(0.3) { nil } else { id };
        return URL_SAFE_NO_PAD.encode(format!("keyset:{ordering}:{value}:{id}"));
    }
    match rng.below(4) {
        0 => URL_SAFE_NO_PAD.encode(format!("cursor:{nil}")),
        1 => URL_SAFE_NO_PAD.encode("cursor:not-a-uuid"),
        2 => URL_SAFE_NO_PAD.encode(format!("keyset:plan:NAME:ASC:i=1:{nil}")),
        _ => format!("{real}x"),
    }
}

/// Amounts each accepted, whose sums over a few rows leave the 64-bit range (at 6 decimals).
const LARGE_AMOUNTS: [&str; 6] = [
    "9000000000000",
    "9223372036854.775807",
    "4611686018427.387904",
    "999999999999999",
    "9000000000000000000",
    "99999999999999999999.999999",
];

const INT_EDGES: [&str; 14] = [
    "0",
    "-1",
    "2147483647",
    "-2147483648",
    "2147483648",
    "-2147483649",
    "9223372036854775807",
    "-9223372036854775808",
    "99999999999999999999999999",
    "-0",
    "1e3",
    "1.5",
    "100",
    "101",
];

const FLOAT_EDGES: [&str; 10] = [
    "1.7976931348623157e308",
    "-1.7976931348623157e308",
    "5e-324",
    "1e309",
    "-1e309",
    "0.0",
    "-0.0",
    "1e-400",
    "123456789012345678901234567890",
    "-1",
];

const DECIMAL_EDGES: [&str; 26] = [
    "9999999999999999999999",
    "1e30",
    "-0.0000001",
    "79228162514264337593543950335",
    "-79228162514264337593543950335",
    "79228162514264337593543950336",
    "0.0000000000000000000000000001",
    "1e-30",
    "9000000000000000000",
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551616",
    "12345678901234567890.123456",
    "1.1234567",
    "-1",
    "-0",
    "NaN",
    "inf",
    "",
    " 1 ",
    "1,5",
    "0x10",
    "1_000",
    "+5",
    ".5",
    "1e",
];

const DATE_EDGES: [&str; 16] = [
    "0001-01-01",
    "9999-12-31",
    "2027-02-29",
    "2028-02-29",
    "2027-02-30",
    "2027-13-01",
    "0000-01-01",
    "+10000-01-01",
    "-0001-01-01",
    "2027-3-1",
    "",
    "2027-03-01T00:00:00Z",
    "20270301",
    "1970-01-01",
    "2262-04-12",
    "262143-12-31",
];

const DATE_TIME_EDGES: [&str; 12] = [
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59Z",
    "2027-03-01T00:00:00+25:00",
    "2027-03-01",
    "1970-01-01T00:00:00Z",
    "2262-04-12T00:00:00Z",
    "2027-03-01T24:00:00Z",
    "2027-03-01T10:00:00.123456789123Z",
    "",
    "+262143-12-31T23:59:59Z",
    "2027-03-01T10:00:00-23:59",
    "now",
];
