//! The walk over an operation's selections, fragments expanded, that spends from the
//! [`Budget`] (step 3 of the admission), and the search for unused fragments (step 4).

use std::collections::{HashMap, HashSet};

use async_graphql::{
    Name, Positioned,
    parser::types::{ExecutableDocument, FragmentDefinition, Selection, SelectionSet},
};

use super::{Budget, introspection::Scope};

/// Walks the selections of an operation, expanding fragments, and spends from the budget.
pub(super) struct Walker<'a> {
    pub(super) fragments: &'a HashMap<Name, Positioned<FragmentDefinition>>,
    pub(super) budget: &'a mut Budget,
}

impl Walker<'_> {
    /// Walks `set`, at `depth` nested fields and `nesting` nested selections, in `scope`. The
    /// recursion is as deep as the nesting, which is checked first.
    pub(super) fn walk(
        &mut self,
        set: &SelectionSet,
        depth: usize,
        nesting: usize,
        scope: Scope,
    ) -> Result<(), String> {
        let limits = self.budget.limits;
        let (max_depth, what) = scope.max_depth(&limits);
        if depth > max_depth {
            return Err(format!(
                "the {what} is nested deeper than {max_depth} levels"
            ));
        }
        if nesting > limits.max_nesting {
            return Err(format!(
                "the query nests brackets or selections deeper than {} levels",
                limits.max_nesting
            ));
        }
        for selection in &set.items {
            match &selection.node {
                Selection::Field(field) => {
                    self.budget.count_field()?;
                    self.budget.count_directives(field.node.directives.len())?;
                    if !field.node.selection_set.node.items.is_empty() {
                        let inner = scope.enter(field.node.name.node.as_str(), depth)?;
                        self.walk(
                            &field.node.selection_set.node,
                            depth + 1,
                            nesting + 1,
                            inner,
                        )?;
                    }
                }
                Selection::InlineFragment(fragment) => {
                    self.budget
                        .count_directives(fragment.node.directives.len())?;
                    self.walk(&fragment.node.selection_set.node, depth, nesting + 1, scope)?;
                }
                Selection::FragmentSpread(spread) => {
                    // Every spread costs a unit, so that spreads of empty or unknown fragments
                    // cannot make the walk unbounded either.
                    self.budget.count_field()?;
                    self.budget.count_directives(spread.node.directives.len())?;
                    if let Some(fragment) = self.fragments.get(&spread.node.fragment_name.node) {
                        self.budget
                            .count_directives(fragment.node.directives.len())?;
                        self.walk(&fragment.node.selection_set.node, depth, nesting + 1, scope)?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// The names of the fragments no operation reaches, directly or through other fragments,
/// sorted. Each definition is visited once, without recursion.
pub(super) fn unused_fragments(document: &ExecutableDocument) -> Vec<&str> {
    let mut reached: HashSet<&str> = HashSet::new();
    let mut pending: Vec<&SelectionSet> = document
        .operations
        .iter()
        .map(|(_, operation)| &operation.node.selection_set.node)
        .collect();
    while let Some(set) = pending.pop() {
        for selection in &set.items {
            match &selection.node {
                Selection::Field(field) => pending.push(&field.node.selection_set.node),
                Selection::InlineFragment(fragment) => {
                    pending.push(&fragment.node.selection_set.node);
                }
                Selection::FragmentSpread(spread) => {
                    let name = spread.node.fragment_name.node.as_str();
                    if let Some(fragment) = document.fragments.get(name)
                        && reached.insert(name)
                    {
                        pending.push(&fragment.node.selection_set.node);
                    }
                }
            }
        }
    }
    let mut unused: Vec<&str> = document
        .fragments
        .keys()
        .map(Name::as_str)
        .filter(|name| !reached.contains(name))
        .collect();
    unused.sort_unstable();
    unused
}
