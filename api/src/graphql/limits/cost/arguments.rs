//! What the cost model reads of arguments: page sizes, the length of a list of IDs, and the
//! conditions of `@skip` and `@include`, with variables replaced by the request's values, then
//! by their defaults.

use async_graphql::{
    Name, Positioned, Value as ConstValue, Variables,
    parser::types::{Directive, Field, OperationDefinition},
};
use async_graphql_value::Value;

/// What the model reads of an argument's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Argument {
    Integer(i64),
    Boolean(bool),
    /// A list, by its length.
    List(u64),
}

impl Argument {
    fn of_const(value: &ConstValue) -> Option<Self> {
        match value {
            ConstValue::Number(number) => number.as_i64().map(Self::Integer),
            ConstValue::Boolean(boolean) => Some(Self::Boolean(*boolean)),
            ConstValue::List(items) => Some(Self::List(items.len() as u64)),
            _ => None,
        }
    }
}

/// The values of one operation's variables: the request's, then the operation's defaults.
pub(super) struct Values<'a> {
    pub(super) variables: &'a Variables,
    pub(super) operation: &'a OperationDefinition,
}

impl<'a> Values<'a> {
    /// The value of the argument `name` of `field`, as far as the model reads values.
    pub(super) fn argument(&self, field: &Field, name: &str) -> Option<Argument> {
        field
            .get_argument(name)
            .and_then(|value| self.read(&value.node))
    }

    /// Whether a `@skip(if: true)` or an `@include(if: false)` leaves a selection out.
    pub(super) fn skipped(&self, directives: &[Positioned<Directive>]) -> bool {
        directives.iter().any(|directive| {
            let condition = directive
                .node
                .get_argument("if")
                .and_then(|value| self.read(&value.node));
            match directive.node.name.node.as_str() {
                "skip" => condition == Some(Argument::Boolean(true)),
                "include" => condition == Some(Argument::Boolean(false)),
                _ => false,
            }
        })
    }

    /// What a value says, its variables replaced.
    fn read(&self, value: &Value) -> Option<Argument> {
        match value {
            Value::Variable(name) => self.variable(name).and_then(Argument::of_const),
            Value::Number(number) => number.as_i64().map(Argument::Integer),
            Value::Boolean(boolean) => Some(Argument::Boolean(*boolean)),
            Value::List(items) => Some(Argument::List(items.len() as u64)),
            _ => None,
        }
    }

    fn variable(&self, name: &Name) -> Option<&'a ConstValue> {
        self.variables.get(name).or_else(|| {
            self.operation
                .variable_definitions
                .iter()
                .find(|definition| definition.node.name.node == *name)
                .and_then(|definition| definition.node.default_value.as_ref())
                .map(|value| &value.node)
        })
    }
}
