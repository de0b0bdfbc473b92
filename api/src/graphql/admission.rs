//! The admission of a request that arrived over HTTP, before anything of it runs: its persisted
//! query resolved (`graphql::persisted`), its text admitted against the bounds
//! (`graphql::limits`) and parsed once, and its required variables present. What is refused here never
//! reaches the engine, and is a request error (HTTP 400 and no `data`), as are the engine's
//! own validation errors (`graphql::execution` tells them apart).

use std::num::NonZeroUsize;

use async_graphql::{
    Name, Request, ServerError, Value,
    parser::types::{ExecutableDocument, OperationDefinition, OperationType},
};

use super::{
    limits::{self, Admitted, Budget, Refusal},
    persisted::{Persisted, PersistedError, PersistedQueries},
};
use crate::{
    config::QueryLimits,
    error::ErrorCode,
    observability::metrics::{self, QueryLimit},
};

/// Admits requests: the bounds on documents and the persisted queries they may name.
#[derive(Clone)]
pub struct Admission {
    limits: QueryLimits,
    persisted: PersistedQueries,
}

/// Why a request is not admitted.
#[derive(Debug)]
pub enum NotAdmitted {
    /// Over a bound (`QUERY_TOO_COMPLEX`): in a batch, the whole batch is refused.
    TooComplex(String),
    /// Invalid (coded `BAD_USER_INPUT`): a syntax error, unused fragments, a malformed
    /// persisted query, a missing required variable. In a batch, only this operation fails.
    Invalid(Vec<ServerError>),
    /// A persisted query's hash alone, not registered (coded `BAD_USER_INPUT`, with Apollo's
    /// message): the client sends the query with it.
    PersistedQueryNotFound(ServerError),
}

impl From<Refusal> for NotAdmitted {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::TooComplex(message) => Self::TooComplex(message),
            Refusal::Invalid(error) => Self::Invalid(vec![error]),
        }
    }
}

impl From<PersistedError> for NotAdmitted {
    fn from(error: PersistedError) -> Self {
        let not_found = matches!(error, PersistedError::NotFound);
        let error = coded(error.into());
        if not_found {
            Self::PersistedQueryNotFound(error)
        } else {
            Self::Invalid(vec![error])
        }
    }
}

fn coded(mut error: ServerError) -> ServerError {
    error
        .extensions
        .get_or_insert_with(Default::default)
        .set("code", ErrorCode::BadUserInput.as_str());
    error
}

impl Admission {
    /// Admission with `limits`, keeping at most `persisted_queries` registered documents.
    pub fn new(limits: QueryLimits, persisted_queries: NonZeroUsize) -> Self {
        Self {
            limits,
            persisted: PersistedQueries::new(persisted_queries),
        }
    }

    /// The budget of one request.
    pub fn request_budget(&self) -> Budget {
        Budget::for_request(self.limits)
    }

    /// The one budget all the operations of a batch share.
    pub fn batch_budget(&self) -> Budget {
        Budget::for_batch(self.limits)
    }

    /// Admits `request`, spending from `budget` (its own, or its batch's): the request comes
    /// back carrying its parsed document, which neither the engine nor the schema's admission
    /// extension reads again.
    pub fn admit(&self, mut request: Request, budget: &mut Budget) -> Result<Request, NotAdmitted> {
        // A hash alone puts its registered text into the request, admitted like a written one.
        let persisted = self.persisted.resolve(&mut request)?;
        let admitted =
            limits::admit(&request, budget).inspect_err(|refusal| count(refusal, budget))?;
        if let Persisted::Register(hash) = persisted {
            self.persisted.register(hash, &request.query);
        }
        // The specification treats an empty operation name as none.
        if request.operation_name.as_deref() == Some("") {
            request.operation_name = None;
        }
        check_required_variables(&admitted, &request)?;
        Ok(admitted.hand_over(request))
    }
}

impl Admission {
    /// `request` priced as the schema's admission extension admits the operations that do not
    /// come over HTTP (a WebSocket's), for the rate limits to charge before it runs: the
    /// request carrying its admitted document, and its cost; or, when it is not admitted, the
    /// request as it was (the extension refuses it the same way, and nothing runs) and 1.
    pub fn price(&self, request: Request) -> (Request, u64) {
        let mut budget = self.request_budget();
        match limits::admit(&request, &mut budget) {
            Ok(admitted) => {
                let cost = admitted.cost().requested;
                (admitted.hand_over(request), cost)
            }
            Err(refusal) => {
                count(&refusal, &budget);
                (request, 1)
            }
        }
    }
}

/// Counts a request refused over a limit (`QUERY_LIMIT_REFUSALS`), once: here, where every
/// request is first admitted (the extension admits again only what was refused here or never
/// came this way).
fn count(refusal: &Refusal, budget: &Budget) {
    if matches!(refusal, Refusal::TooComplex(_)) {
        metrics::query_refused(if budget.over_cost() {
            QueryLimit::Cost
        } else {
            QueryLimit::Shape
        });
    }
}

/// The operation `request` would run: the one named by its `operationName`, or the only one;
/// `None` when it names none of them or does not choose among several (the engine then says
/// so).
pub fn chosen_operation<'a>(
    document: &'a ExecutableDocument,
    operation_name: Option<&str>,
) -> Option<&'a OperationDefinition> {
    chosen(document, operation_name).map(|(_, operation)| operation)
}

/// [`chosen_operation`], with its name in the document (`None`: it has none).
fn chosen<'a>(
    document: &'a ExecutableDocument,
    operation_name: Option<&str>,
) -> Option<(Option<&'a Name>, &'a OperationDefinition)> {
    let mut operations = document.operations.iter();
    match operation_name {
        Some(wanted) => operations
            .find(|(name, _)| name.is_some_and(|name| name.as_str() == wanted))
            .map(|(name, operation)| (name, &operation.node)),
        None => match (operations.next(), operations.next()) {
            (Some((name, only)), None) => Some((name, &only.node)),
            _ => None,
        },
    }
}

/// The type of the operation an admitted `request` would run, if it chooses one.
pub fn operation_type(request: &mut Request) -> Option<OperationType> {
    chosen_name_and_type(request).map(|(_, kind)| kind)
}

/// The name (`None`: it has none) and the type of the operation an admitted `request` would
/// run, if it chooses one.
pub fn chosen_name_and_type(request: &mut Request) -> Option<(Option<Name>, OperationType)> {
    let operation_name = request.operation_name.clone();
    let document = request.parsed_query().ok()?;
    chosen(document, operation_name.as_deref())
        .map(|(name, operation)| (name.cloned(), operation.ty))
}

/// Refuses a request that leaves out a variable its operation requires (of a non-null type,
/// without a default) or gives it `null`: the specification's variable coercion fails before
/// execution. The engine would only notice at the fields using it, once running.
fn check_required_variables(admitted: &Admitted, request: &Request) -> Result<(), NotAdmitted> {
    let Some(operation) = chosen_operation(admitted.document(), request.operation_name.as_deref())
    else {
        return Ok(());
    };
    let errors: Vec<ServerError> = operation
        .variable_definitions
        .iter()
        .filter(|definition| {
            let definition = &definition.node;
            !definition.var_type.node.nullable && definition.default_value.is_none()
        })
        .filter_map(|definition| {
            let name = definition.node.name.node.as_str();
            let required = &definition.node.var_type.node;
            let message = match request.variables.get(name) {
                None => format!(
                    "Variable \"${name}\" of required type \"{required}\" was not provided."
                ),
                Some(Value::Null) => {
                    format!(
                        "Variable \"${name}\" of non-null type \"{required}\" must not be null."
                    )
                }
                Some(_) => return None,
            };
            Some(coded(ServerError::new(message, Some(definition.pos))))
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(NotAdmitted::Invalid(errors))
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::Variables;
    use serde_json::json;

    use super::*;
    use crate::config::Config;

    fn admission() -> Admission {
        Admission::new(
            Config::development("sqlite::memory:").query_limits,
            NonZeroUsize::MIN,
        )
    }

    fn admit(query: &str, variables: serde_json::Value) -> Result<Request, NotAdmitted> {
        let limits = Config::development("sqlite::memory:").query_limits;
        let request = Request::new(query).variables(Variables::from_json(variables));
        admission().admit(request, &mut Budget::for_request(limits))
    }

    fn messages(refusal: Result<Request, NotAdmitted>) -> Vec<String> {
        match refusal {
            Err(NotAdmitted::Invalid(errors)) => {
                errors.into_iter().map(|error| error.message).collect()
            }
            other => panic!("not an invalid request: {other:?}"),
        }
    }

    const QUERY: &str =
        "query($id: ID!, $first: Int!, $after: String, $q: Int! = 3) { node(id: $id) { id } }";

    #[test]
    fn required_variables_must_be_given_and_not_null() {
        assert_eq!(
            messages(admit(QUERY, json!({ "first": null }))),
            vec![
                "Variable \"$id\" of required type \"ID!\" was not provided.",
                "Variable \"$first\" of non-null type \"Int!\" must not be null.",
            ]
        );
        assert!(admit(QUERY, json!({ "id": "x", "first": 1 })).is_ok());
    }

    #[test]
    fn only_the_chosen_operation_counts() {
        let document = "query A($id: ID!) { node(id: $id) { id } } query B { viewer { subject } }";
        let mut request = Request::new(document).operation_name("B");
        let limits = Config::development("sqlite::memory:").query_limits;
        request = admission()
            .admit(request, &mut Budget::for_request(limits))
            .unwrap_or_else(|error| panic!("B needs no variable: {error:?}"));
        assert_eq!(operation_type(&mut request), Some(OperationType::Query));
        let mut unnamed = admission()
            .admit(Request::new(document), &mut Budget::for_request(limits))
            .unwrap_or_else(|error| {
                panic!("the engine says that no operation is chosen: {error:?}")
            });
        assert_eq!(operation_type(&mut unnamed), None);
        let mut mutation = admission()
            .admit(
                Request::new("mutation { deletePlan(input: {id: \"x\"}) { deletedId } }"),
                &mut Budget::for_request(limits),
            )
            .unwrap_or_else(|error| panic!("admitted: {error:?}"));
        assert_eq!(operation_type(&mut mutation), Some(OperationType::Mutation));
    }
}
