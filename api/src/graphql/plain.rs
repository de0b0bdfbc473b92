//! Queries and mutations admitted over HTTP run on a schema without extensions: async-graphql
//! 7 takes a slower path for every field and list item as soon as a schema registers one
//! (it builds each field's `ResolveInfo`, looks its type up in the registry and boxes a future
//! per extension), and that path took about half the server's CPU of a nested read. What the
//! extensions do is done here instead, around the engine, with the same outcome:
//!
//! - admission (`limits`'s extension): the HTTP handler admits every document before it runs
//!   (`graphql::admission`); the cost goes into `extensions.cost` here, once the engine ran the
//!   operation;
//! - null propagation (`nulls`): rewritten from the errors' paths, with the types of their
//!   positions read from the document and the schema ([`Shapes`]) rather than recorded while
//!   fields resolve;
//! - error codes, the cap on errors and the cut of messages (`errors::finish`): applied to the
//!   answer;
//! - whether the engine executed the request (`execution`): the engine's own refusals
//!   (validation, the choice of the operation) carry no path, while every error of an executed
//!   query or mutation is a field's, with its path.
//!
//! A document whose positions may have more than one type depending on the objects met (a
//! response key selected on two object types of an interface with different types) would need
//! the types the engine resolved: it runs on the full schema, as do subscriptions, operations
//! over the WebSocket, and everything when traces are exported (`spans`).

use std::{
    collections::{HashMap, HashSet},
    sync::LazyLock,
};

use async_graphql::{
    PathSegment, Request, Response,
    parser::{
        parse_query, parse_schema,
        types::{
            ExecutableDocument, Field, OperationType, Selection, SelectionSet, TypeKind,
            TypeSystemDefinition,
        },
    },
};

use super::{admission::chosen_operation, errors, limits, nulls};

/// The name and the SDL type (`[Action!]!`) of every field of the schema's objects and
/// interfaces, the interfaces each object implements and the objects of each interface: what
/// the engine's registry tells its extensions of a position's type.
#[derive(Debug, Default)]
pub struct Shapes {
    fields: HashMap<String, HashMap<String, String>>,
    implements: HashMap<String, HashSet<String>>,
    objects: HashMap<String, Vec<String>>,
    roots: [Option<String>; 2],
}

impl Shapes {
    /// Reads the SDL of a schema.
    pub fn from_sdl(sdl: &str) -> Result<Self, String> {
        let document = parse_schema(sdl).map_err(|error| error.to_string())?;
        let mut shapes = Self {
            roots: [Some("Query".to_owned()), Some("Mutation".to_owned())],
            ..Self::default()
        };
        let mut interfaces = Vec::new();
        for definition in document.definitions {
            match definition {
                TypeSystemDefinition::Schema(schema) => {
                    let schema = schema.node;
                    shapes.roots = [schema.query, schema.mutation]
                        .map(|name| name.map(|name| name.node.to_string()));
                }
                TypeSystemDefinition::Type(definition) => {
                    let definition = definition.node;
                    let name = definition.name.node.to_string();
                    let fields = match definition.kind {
                        TypeKind::Object(object) => {
                            shapes.implements.insert(
                                name.clone(),
                                object
                                    .implements
                                    .iter()
                                    .map(|interface| interface.node.to_string())
                                    .collect(),
                            );
                            shapes.objects.insert(name.clone(), vec![name.clone()]);
                            object.fields
                        }
                        TypeKind::Interface(interface) => {
                            interfaces.push(name.clone());
                            interface.fields
                        }
                        TypeKind::Union(union) => {
                            shapes.objects.insert(
                                name.clone(),
                                union
                                    .members
                                    .iter()
                                    .map(|member| member.node.to_string())
                                    .collect(),
                            );
                            Vec::new()
                        }
                        _ => continue,
                    };
                    shapes.fields.insert(
                        name,
                        fields
                            .into_iter()
                            .map(|field| {
                                let field = field.node;
                                (field.name.node.to_string(), field.ty.node.to_string())
                            })
                            .collect(),
                    );
                }
                TypeSystemDefinition::Directive(_) => {}
            }
        }
        for interface in interfaces {
            let mut objects: Vec<String> = shapes
                .implements
                .iter()
                .filter(|(_, implemented)| implemented.contains(&interface))
                .map(|(object, _)| object.clone())
                .collect();
            objects.sort();
            shapes.objects.insert(interface, objects);
        }
        Ok(shapes)
    }

    fn root(&self, operation: OperationType) -> Option<&str> {
        match operation {
            OperationType::Query => self.roots[0].as_deref(),
            OperationType::Mutation => self.roots[1].as_deref(),
            OperationType::Subscription => None,
        }
    }

    /// Whether a fragment on `condition` applies to an object of type `object`.
    fn applies(&self, object: &str, condition: &str) -> bool {
        object == condition
            || self
                .implements
                .get(object)
                .is_some_and(|implemented| implemented.contains(condition))
    }
}

/// The schema's [`Shapes`], read once from its SDL (the same for every schema this process
/// builds).
pub fn shapes() -> &'static Shapes {
    static SHAPES: LazyLock<Shapes> = LazyLock::new(|| {
        Shapes::from_sdl(&super::bare_schema().sdl())
            .unwrap_or_else(|error| panic!("the schema's shapes: {error}"))
    });
    &SHAPES
}

/// The document cannot run on the schema without extensions (see the module's doc).
#[derive(Debug)]
struct Unsure;

/// Positions of a response that share one selection: the selection sets written there
/// (`sets`, merged from every field of the same response key) and the type they are written
/// against (`declared`: an object, or an interface or union whose objects it may hold).
struct Position<'d> {
    declared: &'d str,
    sets: Vec<&'d SelectionSet>,
}

/// One response key of a position: its SDL type and the position of its value.
struct Child<'d> {
    ty: &'d str,
    position: Position<'d>,
}

/// Walks a document's selections as the engine resolves them (its `Fields::add_set`).
struct Walk<'d> {
    shapes: &'d Shapes,
    document: &'d ExecutableDocument,
}

impl<'d> Walk<'d> {
    /// The fields an object of type `object` resolves for `set` at a position whose selections
    /// are written against `declared`, each with the type whose definition it reads.
    fn collect(
        &self,
        set: &'d SelectionSet,
        declared: &'d str,
        object: &'d str,
        spreading: &mut Vec<&'d str>,
        out: &mut Vec<(&'d Field, &'d str)>,
    ) -> Result<(), Unsure> {
        for selection in &set.items {
            let (condition, inner) = match &selection.node {
                Selection::Field(field) => {
                    out.push((&field.node, declared));
                    continue;
                }
                Selection::InlineFragment(fragment) => (
                    fragment
                        .node
                        .type_condition
                        .as_ref()
                        .map(|condition| condition.node.on.node.as_str()),
                    &fragment.node.selection_set.node,
                ),
                Selection::FragmentSpread(spread) => {
                    let name = spread.node.fragment_name.node.as_str();
                    if spreading.contains(&name) {
                        return Err(Unsure);
                    }
                    let document: &'d ExecutableDocument = self.document;
                    let fragment = document.fragments.get(name).ok_or(Unsure)?;
                    spreading.push(name);
                    let condition = fragment.node.type_condition.node.on.node.as_str();
                    let result = if self.shapes.applies(object, condition) {
                        self.collect(
                            &fragment.node.selection_set.node,
                            object,
                            object,
                            spreading,
                            out,
                        )
                    } else if condition == declared {
                        self.collect(
                            &fragment.node.selection_set.node,
                            declared,
                            object,
                            spreading,
                            out,
                        )
                    } else {
                        Ok(())
                    };
                    spreading.pop();
                    result?;
                    continue;
                }
            };
            match condition {
                Some(condition) if self.shapes.applies(object, condition) => {
                    self.collect(inner, object, object, spreading, out)?;
                }
                Some(condition) if condition != declared => {}
                _ => self.collect(inner, declared, object, spreading, out)?,
            }
        }
        Ok(())
    }

    /// Every response key of `position` with its type, or [`Unsure`] when a key may have two
    /// types (or a field is unknown to [`Shapes`]: introspection).
    fn children(&self, position: &Position<'d>) -> Result<Vec<(&'d str, Child<'d>)>, Unsure> {
        let shapes: &'d Shapes = self.shapes;
        let objects = shapes.objects.get(position.declared).ok_or(Unsure)?;
        let mut children: Vec<(&'d str, Child<'d>)> = Vec::new();
        let mut fields = Vec::new();
        for object in objects {
            fields.clear();
            for set in &position.sets {
                self.collect(set, position.declared, object, &mut Vec::new(), &mut fields)?;
            }
            for (field, owner) in &fields {
                let key = field
                    .alias
                    .as_ref()
                    .map_or(field.name.node.as_str(), |alias| alias.node.as_str());
                let name = field.name.node.as_str();
                let ty: &'d str = if name == "__typename" {
                    "String!"
                } else {
                    shapes
                        .fields
                        .get(*owner)
                        .and_then(|fields| fields.get(name))
                        .map(String::as_str)
                        .ok_or(Unsure)?
                };
                let set = &field.selection_set.node;
                match children.iter_mut().find(|(known, _)| *known == key) {
                    Some((_, child)) if child.ty == ty => {
                        if !child
                            .position
                            .sets
                            .iter()
                            .any(|known| std::ptr::eq(*known, set))
                        {
                            child.position.sets.push(set);
                        }
                    }
                    Some(_) => return Err(Unsure),
                    None => children.push((
                        key,
                        Child {
                            ty,
                            position: Position {
                                declared: named(ty),
                                sets: vec![set],
                            },
                        },
                    )),
                }
            }
        }
        Ok(children)
    }

    /// Checks every position under `position` (see [`Walk::children`]).
    fn check(&self, position: &Position<'d>, depth: usize) -> Result<(), Unsure> {
        // Admission bounds the depth; this only keeps the walk finite whatever it is given.
        if depth > 64 {
            return Err(Unsure);
        }
        for (_, child) in self.children(position)? {
            if !child.position.sets.iter().all(|set| set.items.is_empty()) {
                self.check(&child.position, depth + 1)?;
            }
        }
        Ok(())
    }

    /// The type of the position at `path` (response keys and list indices) under `root`.
    fn type_at(&self, root: Position<'d>, path: &[PathSegment]) -> Option<&'d str> {
        let mut position = root;
        let mut ty: Option<&'d str> = None;
        for step in path {
            match step {
                PathSegment::Field(key) => {
                    let (_, child) = self
                        .children(&position)
                        .ok()?
                        .into_iter()
                        .find(|(known, _)| *known == key.as_str())?;
                    ty = Some(child.ty);
                    position = child.position;
                }
                PathSegment::Index(_) => ty = Some(item_type(ty?)?),
            }
        }
        ty
    }
}

/// `Plan` for `[Plan!]!`.
fn named(ty: &str) -> &str {
    ty.trim_start_matches('[').trim_end_matches(['!', ']'])
}

/// The type of the items of a list type: `Plan!` for `[Plan!]!`.
fn item_type(ty: &str) -> Option<&str> {
    ty.strip_suffix('!')
        .unwrap_or(ty)
        .strip_prefix('[')?
        .strip_suffix(']')
}

/// The root position of `operation_name`'s operation in `document`.
fn root<'d>(
    shapes: &'d Shapes,
    document: &'d ExecutableDocument,
    operation_name: Option<&str>,
) -> Option<Position<'d>> {
    let operation = chosen_operation(document, operation_name)?;
    Some(Position {
        declared: shapes.root(operation.ty)?,
        sets: vec![&operation.selection_set.node],
    })
}

/// Whether an admitted `request` may run on the schema without extensions: a query or a
/// mutation each of whose positions has one type.
pub fn eligible(request: &mut Request) -> bool {
    let operation_name = request.operation_name.clone();
    if limits::admitted_cost(request).is_none() {
        return false;
    }
    let Ok(document) = request.parsed_query() else {
        return false;
    };
    let shapes = shapes();
    let Some(root) = root(shapes, document, operation_name.as_deref()) else {
        return false;
    };
    Walk { shapes, document }.check(&root, 0).is_ok()
}

/// Runs an [`eligible`] request on `schema`, a schema without extensions, and does what the
/// extensions would have: the answer, and whether the engine executed it.
pub async fn execute(schema: &super::LevierSchema, mut request: Request) -> (Response, bool) {
    let cost = limits::admitted_cost(&request);
    let operation_name = request.operation_name.clone();
    // The engine runs the parsed document; the text is only read again for an answer with
    // field errors.
    let text = std::mem::take(&mut request.query);
    let mut response = schema.execute(request).await;
    let field_errors = response.errors.iter().any(|error| !error.path.is_empty());
    let executed = response.errors.is_empty() || field_errors;
    if field_errors && let Ok(document) = parse_query(&text) {
        let shapes = shapes();
        let walk = Walk {
            shapes,
            document: &document,
        };
        nulls::propagate_from_errors(&mut response, |path| {
            walk.type_at(root(shapes, &document, operation_name.as_deref())?, path)
                .map(str::to_owned)
        });
    }
    if executed && let Some(cost) = cost {
        response = response.extension("cost", cost.to_value());
    }
    (errors::finish(response), executed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eligible_query(query: &str) -> bool {
        let shapes = shapes();
        let document = parse_query(query).unwrap_or_else(|error| panic!("{error}"));
        root(shapes, &document, None).is_some_and(|root| {
            Walk {
                shapes,
                document: &document,
            }
            .check(&root, 0)
            .is_ok()
        })
    }

    fn type_at(query: &str, path: &[PathSegment]) -> Option<String> {
        let shapes = shapes();
        let document = parse_query(query).unwrap_or_else(|error| panic!("{error}"));
        let root = root(shapes, &document, None)?;
        Walk {
            shapes,
            document: &document,
        }
        .type_at(root, path)
        .map(str::to_owned)
    }

    fn key(name: &str) -> PathSegment {
        PathSegment::Field(name.to_owned())
    }

    #[test]
    fn list_types_unwrap_one_level_at_a_time() {
        assert_eq!(item_type("[Plan!]!"), Some("Plan!"));
        assert_eq!(item_type("[[Plan]!]"), Some("[Plan]!"));
        assert_eq!(item_type("Plan!"), None);
        assert_eq!(named("[[Plan]!]"), "Plan");
    }

    #[test]
    fn the_types_along_a_path_are_the_schema_s() {
        let query = "{ plans(first: 2) { edges { node { id name campaigns(first: 2) { nodes { name } } } } } }";
        assert!(eligible_query(query));
        let plans = vec![
            key("plans"),
            key("edges"),
            PathSegment::Index(0),
            key("node"),
        ];
        assert_eq!(type_at(query, &plans).as_deref(), Some("Plan!"));
        let mut name = plans.clone();
        name.extend([
            key("campaigns"),
            key("nodes"),
            PathSegment::Index(1),
            key("name"),
        ]);
        assert_eq!(type_at(query, &name).as_deref(), Some("String!"));
        assert_eq!(
            type_at(query, &[key("plans"), key("edges")]).as_deref(),
            Some("[PlanEdge!]!")
        );
        assert_eq!(type_at(query, &[key("nothing")]), None);
    }

    #[test]
    fn fragments_on_the_node_interface_use_their_object_s_fields() {
        let query = "query { node(id: \"x\") { id ... on Plan { name } ...C } } fragment C on Campaign { name }";
        assert!(eligible_query(query));
        assert_eq!(
            type_at(query, &[key("node"), key("id")]).as_deref(),
            Some("ID!")
        );
        assert_eq!(
            type_at(query, &[key("node"), key("name")]).as_deref(),
            Some("String!")
        );
    }

    #[test]
    fn a_key_of_two_types_or_introspection_runs_on_the_full_schema() {
        assert!(!eligible_query(
            "{ node(id: \"x\") { ... on Plan { x: name } ... on Campaign { x: budget } } }"
        ));
        assert!(!eligible_query("{ __schema { types { name } } }"));
        assert!(eligible_query("{ __typename viewer { __typename } }"));
    }
}
