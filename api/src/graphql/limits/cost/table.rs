//! [`CostTable`]: what the cost model needs to know of a schema, read once from its SDL. For
//! every field of every object and interface: the type it returns and its [`Shape`] (nothing
//! to count, one object, a bounded list, a connection, or a part of a connection's page); for
//! every type, the abstract types it belongs to, so that fragments' type conditions resolve.
//!
//! Connections are recognised by their shape, as Relay defines them, not by a list of names:
//! an object type with an `edges` list of objects and a `pageInfo` is a connection type, the
//! item type of its `edges` is its edge type, and a field returning a connection type is a
//! connection field. Lists of objects take their bound from `bounds.rs`.

use std::collections::{HashMap, HashSet};

use async_graphql::parser::{
    parse_schema,
    types::{BaseType, FieldDefinition, OperationType, Type, TypeKind, TypeSystemDefinition},
};

use super::bounds::{BY_FIELD, BY_ITEM, Declared, UNBOUNDED_LIST};

/// What a field returns, as the cost model counts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    /// A scalar or an enum, or a list of them: nothing to count.
    Leaf,
    /// One object (or null).
    Object,
    /// A list of objects, at most as long as its bound.
    List(ListBound),
    /// A Relay connection: a page of `first` (or `last`) nodes.
    Connection,
    /// A field of a connection or edge type (`edges`, `nodes`, `node`, `pageInfo`): part of
    /// the page its connection counted already.
    PagePart,
}

/// How long a list of objects may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListBound {
    /// At most this many items.
    Fixed(u64),
    /// One item per element of a list argument, at most `max`.
    LengthOf {
        /// The argument.
        argument: &'static str,
        /// The most elements the resolver accepts.
        max: u64,
    },
}

/// A field, for the cost model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldCost {
    /// How the field counts.
    pub shape: Shape,
    /// The named type it returns (the items' type for a list).
    pub type_name: String,
}

/// A type, for the cost model.
#[derive(Debug, Default)]
struct TypeCost {
    /// True for interfaces and unions.
    is_abstract: bool,
    /// The fields of an object or interface.
    fields: HashMap<String, FieldCost>,
    /// Of an object: the interfaces it implements and the unions that hold it.
    belongs_to: HashSet<String>,
    /// Of an interface or union: the objects it stands for.
    members: HashSet<String>,
}

/// How a fragment's type condition relates to the type it is spread on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// It always applies (the same type, or an abstract type the object belongs to).
    Always,
    /// It applies when the abstract type is this object.
    Narrows,
    /// Both are abstract: it applies to the objects they share.
    Overlaps,
    /// It never applies (or names an unknown type, which validation refuses).
    Never,
}

/// What the cost model knows of a schema. Built once, read by every admission.
#[derive(Debug, Default)]
pub struct CostTable {
    types: HashMap<String, TypeCost>,
    /// The root types of queries, mutations and subscriptions, in that order.
    roots: [Option<String>; 3],
}

/// The root types the SDL names when it has no `schema` definition.
const DEFAULT_ROOTS: [&str; 3] = ["Query", "Mutation", "Subscription"];

impl CostTable {
    /// Reads the SDL of a schema; an error when it does not parse, or when `bounds.rs` names
    /// a field that is not a list of objects or an enum the schema lacks.
    pub fn from_sdl(sdl: &str) -> Result<Self, String> {
        Self::with_bounds(sdl, BY_FIELD, BY_ITEM)
    }

    /// Reads the SDL of a schema with these bounds (`bounds.rs`'s, or a test's).
    pub(super) fn with_bounds(
        sdl: &str,
        by_field: &[(&str, &str, Declared)],
        by_item: &[(&str, Declared)],
    ) -> Result<Self, String> {
        let document = parse_schema(sdl).map_err(|error| error.to_string())?;
        let mut roots = DEFAULT_ROOTS.map(|name| Some(name.to_owned()));
        let mut definitions = Vec::new();
        for definition in document.definitions {
            match definition {
                TypeSystemDefinition::Schema(schema) => {
                    let schema = schema.node;
                    roots = [schema.query, schema.mutation, schema.subscription]
                        .map(|name| name.map(|name| name.node.to_string()));
                }
                TypeSystemDefinition::Type(definition) => definitions.push(definition.node),
                TypeSystemDefinition::Directive(_) => {}
            }
        }
        let mut enum_sizes = HashMap::new();
        let mut composites = HashSet::new();
        let mut connections = HashSet::new();
        let mut edges = HashSet::new();
        for definition in &definitions {
            let name = definition.name.node.to_string();
            match &definition.kind {
                TypeKind::Enum(values) => {
                    enum_sizes.insert(name, values.values.len() as u64);
                }
                TypeKind::Object(object) => {
                    let field = |wanted: &str| {
                        object
                            .fields
                            .iter()
                            .find(|field| field.node.name.node == wanted)
                    };
                    if let (Some(edge_list), Some(_)) = (field("edges"), field("pageInfo"))
                        && is_list(&edge_list.node.ty.node)
                    {
                        edges.insert(named(&edge_list.node.ty.node).to_owned());
                        connections.insert(name.clone());
                    }
                    composites.insert(name);
                }
                TypeKind::Interface(_) | TypeKind::Union(_) => {
                    composites.insert(name);
                }
                TypeKind::Scalar | TypeKind::InputObject(_) => {}
            }
        }
        let bound_of = |declared: Declared| match declared {
            Declared::Fixed(count) => Ok(ListBound::Fixed(count)),
            Declared::ValuesOf(name) => enum_sizes
                .get(name)
                .map(|count| ListBound::Fixed(*count))
                .ok_or_else(|| format!("bounds.rs: no enum {name} in the schema")),
            Declared::LengthOf { argument, max } => Ok(ListBound::LengthOf { argument, max }),
        };
        let mut item_bounds = HashMap::new();
        for (item, declared) in by_item {
            item_bounds.insert(*item, bound_of(*declared)?);
        }
        let shape_of = |owner: &str, field: &FieldDefinition| {
            let ty = &field.ty.node;
            let type_name = named(ty);
            if !composites.contains(type_name) {
                Shape::Leaf
            } else if connections.contains(owner) || edges.contains(owner) {
                Shape::PagePart
            } else if connections.contains(type_name) {
                Shape::Connection
            } else if is_list(ty) {
                Shape::List(
                    item_bounds
                        .get(type_name)
                        .copied()
                        .unwrap_or(ListBound::Fixed(UNBOUNDED_LIST)),
                )
            } else {
                Shape::Object
            }
        };
        let mut types: HashMap<String, TypeCost> = HashMap::new();
        for definition in &definitions {
            let name = definition.name.node.to_string();
            let (fields, is_abstract) = match &definition.kind {
                TypeKind::Object(object) => {
                    for interface in &object.implements {
                        let interface = interface.node.to_string();
                        types
                            .entry(interface.clone())
                            .or_default()
                            .members
                            .insert(name.clone());
                        types
                            .entry(name.clone())
                            .or_default()
                            .belongs_to
                            .insert(interface);
                    }
                    (object.fields.as_slice(), false)
                }
                TypeKind::Interface(interface) => (interface.fields.as_slice(), true),
                TypeKind::Union(union) => {
                    for member in &union.members {
                        let member = member.node.to_string();
                        types
                            .entry(name.clone())
                            .or_default()
                            .members
                            .insert(member.clone());
                        types
                            .entry(member)
                            .or_default()
                            .belongs_to
                            .insert(name.clone());
                    }
                    (&[][..], true)
                }
                _ => continue,
            };
            let entry = types.entry(name.clone()).or_default();
            entry.is_abstract = is_abstract;
            for field in fields {
                let field = &field.node;
                entry.fields.insert(
                    field.name.node.to_string(),
                    FieldCost {
                        shape: shape_of(&name, field),
                        type_name: named(&field.ty.node).to_owned(),
                    },
                );
            }
        }
        for (owner, field, declared) in by_field {
            let bound = bound_of(*declared)?;
            match types
                .get_mut(*owner)
                .and_then(|owner| owner.fields.get_mut(*field))
            {
                Some(cost) if matches!(cost.shape, Shape::List(_)) => {
                    cost.shape = Shape::List(bound);
                }
                _ => {
                    return Err(format!(
                        "bounds.rs: {owner}.{field} is not a list of objects"
                    ));
                }
            }
        }
        Ok(Self { types, roots })
    }

    /// The root type of the operations of this type.
    pub fn root(&self, operation: OperationType) -> Option<&str> {
        let [query, mutation, subscription] = &self.roots;
        match operation {
            OperationType::Query => query,
            OperationType::Mutation => mutation,
            OperationType::Subscription => subscription,
        }
        .as_deref()
    }

    /// The field `name` of the object or interface `owner`, when there is one.
    pub fn field(&self, owner: &str, name: &str) -> Option<&FieldCost> {
        self.types.get(owner)?.fields.get(name)
    }

    /// How a fragment on `condition` relates to a selection on `on`.
    pub fn relation(&self, on: &str, condition: &str) -> Relation {
        let (Some(target), Some(fragment)) = (self.types.get(on), self.types.get(condition)) else {
            return Relation::Never;
        };
        match (target.is_abstract, fragment.is_abstract) {
            _ if on == condition => Relation::Always,
            (false, _) if target.belongs_to.contains(condition) => Relation::Always,
            (true, false) if target.members.contains(condition) => Relation::Narrows,
            (true, true) if !target.members.is_disjoint(&fragment.members) => Relation::Overlaps,
            _ => Relation::Never,
        }
    }
}

/// The named type at the heart of `ty` (`Plan` for `[Plan!]!`).
fn named(ty: &Type) -> &str {
    match &ty.base {
        BaseType::Named(name) => name.as_str(),
        BaseType::List(inner) => named(inner),
    }
}

fn is_list(ty: &Type) -> bool {
    matches!(ty.base, BaseType::List(_))
}
