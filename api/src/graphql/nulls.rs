//! Null propagation as the GraphQL specification prescribes it ("Handling Field Errors"): a
//! field that fails is null, and when its type is non-null the null goes up to the nearest
//! nullable field — through non-null list items and objects — or to `data` itself.
//!
//! The engine (async-graphql 7) does not do it: a failing field is only left out of its object,
//! and an object whose every selected field failed becomes `null`, even as an item of a
//! `[Action!]!` list (`"nodes": [null]`) — an answer that breaks the schema it was read with.
//! This extension records, while fields resolve, which ones failed and the types of the
//! positions above them, then rewrites `data` once the operation is done: a cost only for
//! answers that carry a field error.

use std::{
    collections::{HashMap, HashSet},
    sync::{
        Arc, Mutex, PoisonError,
        atomic::{AtomicBool, Ordering},
    },
};

use async_graphql::{
    Name, PathSegment, Response, ServerResult, Value,
    extensions::{
        Extension, ExtensionContext, ExtensionFactory, NextExecute, NextResolve, NextSubscribe,
        ResolveInfo,
    },
};
use futures::stream::{BoxStream, StreamExt};

/// Applies the specification's null propagation to every answer (see the module doc).
pub struct NullPropagation;

impl ExtensionFactory for NullPropagation {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(NullPropagationExtension {
            failed: AtomicBool::new(false),
            state: Arc::new(Mutex::new(State::default())),
        })
    }
}

/// One step of a response path: an object's key (the field's alias or name) or a list index.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Step {
    Key(String),
    Index(usize),
}

type Path = Vec<Step>;

/// What the resolution of one operation recorded.
#[derive(Debug, Default)]
struct State {
    /// The positions whose resolver failed, with their types (`Action!`, `[Action!]!`).
    failures: Vec<(Path, String)>,
    /// Every position above a failure (a proper prefix of its path).
    above_failures: HashSet<Path>,
    /// The types of those positions, as they completed.
    types: HashMap<Path, String>,
}

struct NullPropagationExtension {
    /// Set at the first failure: until then, no position needs recording.
    failed: AtomicBool,
    state: Arc<Mutex<State>>,
}

fn path_of(node: &async_graphql::QueryPathNode<'_>) -> Path {
    let mut path: Path = std::iter::once(node)
        .chain(node.parents())
        .map(|node| match node.segment {
            async_graphql::QueryPathSegment::Name(key) => Step::Key(key.to_owned()),
            async_graphql::QueryPathSegment::Index(index) => Step::Index(index),
        })
        .collect();
    path.reverse();
    path
}

fn is_non_null(type_name: &str) -> bool {
    type_name.ends_with('!')
}

impl State {
    fn record_failure(&mut self, path: Path, type_name: &str) {
        for end in 0..path.len() {
            self.above_failures.insert(path[..end].to_vec());
        }
        self.failures.push((path, type_name.to_owned()));
    }

    /// The position that becomes null for the failure at `path` of type `type_name`: the
    /// failing position itself when nullable, else the nearest nullable position above it
    /// (an empty path: `data` itself).
    fn null_target(&self, path: &Path, type_name: &str) -> Path {
        let mut target = path.clone();
        let mut non_null = is_non_null(type_name);
        while non_null && !target.is_empty() {
            target.pop();
            non_null = target.is_empty()
                || self
                    .types
                    .get(&target)
                    .is_none_or(|type_name| is_non_null(type_name));
        }
        target
    }

    /// Rewrites `data` for every recorded failure, and forgets them.
    fn propagate(&mut self, data: &mut Value) {
        let mut targets: Vec<Path> = self
            .failures
            .iter()
            .map(|(path, type_name)| self.null_target(path, type_name))
            .collect();
        // The deepest first: a shallower null then replaces whatever was written beneath it.
        targets.sort_by_key(|path| std::cmp::Reverse(path.len()));
        targets.dedup();
        for target in targets {
            set_null(data, &target);
        }
        *self = Self::default();
    }
}

/// Writes null at `path` in `value`. An object that the engine left null because every one of
/// its fields failed is turned back into an object on the way; a missing key or index leaves
/// `value` as it is (nothing was resolved there).
fn set_null(value: &mut Value, path: &[Step]) {
    let Some((last, parents)) = path.split_last() else {
        *value = Value::Null;
        return;
    };
    let mut current = value;
    for step in parents {
        if matches!(step, Step::Key(_)) && matches!(current, Value::Null) {
            *current = Value::Object(Default::default());
        }
        current = match (step, current) {
            (Step::Key(key), Value::Object(fields)) => {
                match fields.get_mut(&Name::new(key.as_str())) {
                    Some(next) => next,
                    None => return,
                }
            }
            (Step::Index(index), Value::List(items)) => match items.get_mut(*index) {
                Some(next) => next,
                None => return,
            },
            _ => return,
        };
    }
    match (last, current) {
        (Step::Key(key), current) => {
            if matches!(current, Value::Null) {
                *current = Value::Object(Default::default());
            }
            if let Value::Object(fields) = current {
                fields.insert(Name::new(key.as_str()), Value::Null);
            }
        }
        (Step::Index(index), Value::List(items)) => {
            if let Some(item) = items.get_mut(*index) {
                *item = Value::Null;
            }
        }
        _ => {}
    }
}

/// The null propagation of an answer the engine executed without this extension
/// (`graphql::plain`): the failures are read from the errors' paths — a failing list item
/// fails its list too, up to the field that holds it, as the engine lets it — and the types of
/// the positions from `type_of` (`None`: unknown, taken as non-null like a position that
/// failed). The answer is then rewritten as [`NullPropagation`] would have.
pub(crate) fn propagate_from_errors(
    response: &mut Response,
    type_of: impl Fn(&[PathSegment]) -> Option<String>,
) {
    let mut state = State::default();
    let mut failed: HashSet<Path> = HashSet::new();
    for error in &response.errors {
        let path = error.path.as_slice();
        let mut end = path.len();
        while end > 0 {
            let position = &path[..end];
            if failed.insert(steps(position)) {
                let type_name = type_of(position).unwrap_or_else(|| "!".to_owned());
                state.record_failure(steps(position), &type_name);
            }
            match position.last() {
                Some(PathSegment::Index(_)) => end -= 1,
                _ => break,
            }
        }
    }
    if state.failures.is_empty() {
        return;
    }
    let above: Vec<Path> = state
        .above_failures
        .iter()
        .filter(|path| !path.is_empty() && !failed.contains(*path))
        .cloned()
        .collect();
    for path in above {
        let segments: Vec<PathSegment> = path
            .iter()
            .map(|step| match step {
                Step::Key(key) => PathSegment::Field(key.clone()),
                Step::Index(index) => PathSegment::Index(*index),
            })
            .collect();
        if let Some(type_name) = type_of(&segments) {
            state.types.insert(path, type_name);
        }
    }
    state.propagate(&mut response.data);
}

fn steps(path: &[PathSegment]) -> Path {
    path.iter()
        .map(|segment| match segment {
            PathSegment::Field(key) => Step::Key(key.clone()),
            PathSegment::Index(index) => Step::Index(*index),
        })
        .collect()
}

fn propagate(state: &Mutex<State>, mut response: Response) -> Response {
    let mut state = state.lock().unwrap_or_else(PoisonError::into_inner);
    if !state.failures.is_empty() {
        state.propagate(&mut response.data);
    }
    response
}

#[async_trait::async_trait]
impl Extension for NullPropagationExtension {
    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let response = next.run(ctx, operation_name).await;
        propagate(&self.state, response)
    }

    fn subscribe<'s>(
        &self,
        ctx: &ExtensionContext<'_>,
        stream: BoxStream<'s, Response>,
        next: NextSubscribe<'_>,
    ) -> BoxStream<'s, Response> {
        // Each event is resolved before it is yielded, and a subscription has one root field:
        // what was recorded belongs to the event at hand.
        let state = Arc::clone(&self.state);
        next.run(ctx, stream)
            .map(move |response| propagate(&state, response))
            .boxed()
    }

    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        let node = info.path_node;
        let type_name = info.return_type;
        let result = next.run(ctx, info).await;
        if result.is_err() {
            self.failed.store(true, Ordering::Relaxed);
            self.state
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .record_failure(path_of(node), type_name);
        } else if self.failed.load(Ordering::Relaxed) {
            // Children complete before their parents: a position above a failure is known by
            // the time it completes.
            let path = path_of(node);
            let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            if state.above_failures.contains(&path) {
                state.types.insert(path, type_name.to_owned());
            }
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(name: &str) -> Step {
        Step::Key(name.to_owned())
    }

    fn data(json: serde_json::Value) -> Value {
        Value::from_json(json).unwrap_or(Value::Null)
    }

    #[test]
    fn a_non_null_failure_goes_up_to_the_nearest_nullable_position() {
        // node (nullable) > children ([Campaign!]!) > 0 (Campaign!) > actions (failed, !).
        let mut state = State::default();
        let failed = vec![key("node"), key("children"), Step::Index(0), key("actions")];
        state.record_failure(failed, "ActionConnection!");
        state.types.insert(
            vec![key("node"), key("children"), Step::Index(0)],
            "Campaign!".into(),
        );
        state
            .types
            .insert(vec![key("node"), key("children")], "[Campaign!]!".into());
        state.types.insert(vec![key("node")], "Node".into());
        let mut value =
            data(serde_json::json!({ "node": { "name": "Spring", "children": [null] } }));
        state.propagate(&mut value);
        assert_eq!(value, data(serde_json::json!({ "node": null })));
        assert!(state.failures.is_empty());
    }

    #[test]
    fn a_nullable_failure_is_null_in_place() {
        // nodes (list) > 0 > campaign (nullable, failed): the object the engine left null
        // becomes an object with its null field.
        let mut state = State::default();
        state.record_failure(
            vec![key("nodes"), Step::Index(0), key("campaign")],
            "Campaign",
        );
        let mut value = data(serde_json::json!({ "nodes": [null, { "campaign": null }] }));
        state.propagate(&mut value);
        assert_eq!(
            value,
            data(serde_json::json!({ "nodes": [{ "campaign": null }, { "campaign": null }] }))
        );
    }

    /// The types of the positions of the first test's answer, as `graphql::plain` reads them.
    fn campaign_types(path: &[PathSegment]) -> Option<String> {
        let steps = steps(path);
        let node = key("node");
        let children = key("children");
        Some(
            match steps.as_slice() {
                [n] if *n == node => "Node",
                [n, c] if *n == node && *c == children => "[Campaign!]!",
                [n, c, Step::Index(_)] if *n == node && *c == children => "Campaign!",
                [_, _, Step::Index(_), a] if *a == key("actions") => "ActionConnection!",
                [_, _, Step::Index(_), a] if *a == key("name") => "String",
                _ => return None,
            }
            .to_owned(),
        )
    }

    fn failed_at(path: &[PathSegment]) -> async_graphql::ServerError {
        let mut error = async_graphql::ServerError::new("failed", None);
        error.path = path.to_vec();
        error
    }

    fn field(name: &str) -> PathSegment {
        PathSegment::Field(name.to_owned())
    }

    #[test]
    fn errors_paths_and_the_documents_types_propagate_like_the_extension() {
        let failed = [
            field("node"),
            field("children"),
            PathSegment::Index(0),
            field("actions"),
        ];
        let mut response = Response::new(data(
            serde_json::json!({ "node": { "name": "Spring", "children": [null] } }),
        ));
        response.errors.push(failed_at(&failed));
        propagate_from_errors(&mut response, campaign_types);
        assert_eq!(response.data, data(serde_json::json!({ "node": null })));
        // A nullable failure stays in place, and the object the engine left null (its only
        // field failed) becomes an object again.
        let mut response = Response::new(data(
            serde_json::json!({ "node": { "children": [null, { "name": "b" }] } }),
        ));
        response.errors.push(failed_at(&[
            field("node"),
            field("children"),
            PathSegment::Index(0),
            field("name"),
        ]));
        propagate_from_errors(&mut response, campaign_types);
        assert_eq!(
            response.data,
            data(
                serde_json::json!({ "node": { "children": [{ "name": null }, { "name": "b" }] } })
            )
        );
        // A failing item fails its list: `children` is non-null, so `node` is null.
        let mut response = Response::new(data(serde_json::json!({ "node": { "name": "x" } })));
        response.errors.push(failed_at(&[
            field("node"),
            field("children"),
            PathSegment::Index(1),
        ]));
        propagate_from_errors(&mut response, campaign_types);
        assert_eq!(response.data, data(serde_json::json!({ "node": null })));
        // No error with a path: nothing to do.
        let mut response = Response::new(data(serde_json::json!({ "node": { "name": "x" } })));
        response
            .errors
            .push(async_graphql::ServerError::new("refused", None));
        propagate_from_errors(&mut response, campaign_types);
        assert_eq!(
            response.data,
            data(serde_json::json!({ "node": { "name": "x" } }))
        );
    }

    #[test]
    fn a_failure_up_to_the_root_nulls_data() {
        let mut state = State::default();
        state.record_failure(vec![key("plans")], "PlanConnection!");
        let mut value = data(serde_json::json!({ "viewer": { "subject": "ada" } }));
        state.propagate(&mut value);
        assert_eq!(value, Value::Null);
    }
}
