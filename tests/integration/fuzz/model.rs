//! What the fuzzer knows of the API: `schema.graphql` parsed with the engine's own parser into
//! the root fields, their arguments, the object, interface, union, enum and input types.

use std::collections::BTreeMap;

use async_graphql::parser::{
    parse_schema,
    types::{BaseType, Type, TypeKind, TypeSystemDefinition},
};

/// The checked-in SDL, at the workspace root.
const SCHEMA_FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql");

/// A type of the schema, reduced to what generating requests needs.
pub enum Kind {
    /// A scalar (built in or custom: `Date`, `DateTime`, `Decimal`).
    Scalar,
    /// An object type and its fields.
    Object(Vec<FieldDef>),
    /// An interface, its fields and the objects that implement it.
    Interface(Vec<FieldDef>, Vec<String>),
    /// A union and its members.
    Union(Vec<String>),
    /// An enum and its values.
    Enum(Vec<String>),
    /// An input object and its fields.
    Input(Vec<ArgDef>),
}

/// A field of an object or interface.
pub struct FieldDef {
    /// Its name.
    pub name: String,
    /// Its arguments.
    pub args: Vec<ArgDef>,
    /// Its type.
    pub ty: Type,
}

/// An argument, or a field of an input object.
pub struct ArgDef {
    /// Its name.
    pub name: String,
    /// Its type.
    pub ty: Type,
    /// Whether the schema gives it a default value.
    pub has_default: bool,
}

impl ArgDef {
    /// Whether a request must give it: non-null without a default.
    pub fn required(&self) -> bool {
        !self.ty.nullable && !self.has_default
    }
}

/// The schema.
pub struct Model {
    /// Every named type.
    pub types: BTreeMap<String, Kind>,
    /// The names of the input types, to declare variables of a wrong type.
    pub input_names: Vec<String>,
}

impl Model {
    /// Parses the checked-in `schema.graphql`.
    pub fn load() -> Self {
        let sdl = std::fs::read_to_string(SCHEMA_FILE)
            .unwrap_or_else(|e| panic!("cannot read {SCHEMA_FILE}: {e}"));
        let document =
            parse_schema(&sdl).unwrap_or_else(|e| panic!("{SCHEMA_FILE} does not parse: {e}"));
        let mut types = BTreeMap::new();
        let mut implementors: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for definition in document.definitions {
            let TypeSystemDefinition::Type(definition) = definition else {
                continue;
            };
            let definition = definition.node;
            let name = definition.name.node.to_string();
            let fields_of = |fields: Vec<
                async_graphql::Positioned<async_graphql::parser::types::FieldDefinition>,
            >| {
                fields
                    .into_iter()
                    .map(|field| FieldDef {
                        name: field.node.name.node.to_string(),
                        args: field.node.arguments.into_iter().map(arg_of).collect(),
                        ty: field.node.ty.node,
                    })
                    .collect::<Vec<_>>()
            };
            let kind = match definition.kind {
                TypeKind::Scalar => Kind::Scalar,
                TypeKind::Object(object) => {
                    for interface in &object.implements {
                        implementors
                            .entry(interface.node.to_string())
                            .or_default()
                            .push(name.clone());
                    }
                    Kind::Object(fields_of(object.fields))
                }
                TypeKind::Interface(interface) => {
                    Kind::Interface(fields_of(interface.fields), Vec::new())
                }
                TypeKind::Union(union) => Kind::Union(
                    union
                        .members
                        .into_iter()
                        .map(|member| member.node.to_string())
                        .collect(),
                ),
                TypeKind::Enum(enumeration) => Kind::Enum(
                    enumeration
                        .values
                        .into_iter()
                        .map(|value| value.node.value.node.to_string())
                        .collect(),
                ),
                TypeKind::InputObject(input) => {
                    Kind::Input(input.fields.into_iter().map(arg_of).collect())
                }
            };
            types.insert(name, kind);
        }
        for (interface, objects) in implementors {
            if let Some(Kind::Interface(_, possible)) = types.get_mut(&interface) {
                *possible = objects;
            }
        }
        for scalar in ["String", "Int", "Float", "Boolean", "ID"] {
            types.entry(scalar.to_owned()).or_insert(Kind::Scalar);
        }
        let input_names = types
            .iter()
            .filter(|(_, kind)| matches!(kind, Kind::Input(_)))
            .map(|(name, _)| name.clone())
            .collect();
        let model = Self { types, input_names };
        assert!(
            !model.fields("Query").is_empty() && !model.fields("Mutation").is_empty(),
            "{SCHEMA_FILE} has no Query or Mutation fields"
        );
        model
    }

    /// The kind of the type `name` (a scalar for a name the schema does not define).
    pub fn kind(&self, name: &str) -> &Kind {
        self.types.get(name).unwrap_or(&Kind::Scalar)
    }

    /// The fields of an object or interface (none for any other type).
    pub fn fields(&self, name: &str) -> &[FieldDef] {
        match self.kind(name) {
            Kind::Object(fields) | Kind::Interface(fields, _) => fields,
            _ => &[],
        }
    }
}

fn arg_of(
    value: async_graphql::Positioned<async_graphql::parser::types::InputValueDefinition>,
) -> ArgDef {
    ArgDef {
        name: value.node.name.node.to_string(),
        ty: value.node.ty.node,
        has_default: value.node.default_value.is_some(),
    }
}

/// The named type at the bottom of a (list, non-null) type.
pub fn named(ty: &Type) -> &str {
    match &ty.base {
        BaseType::Named(name) => name,
        BaseType::List(inner) => named(inner),
    }
}
