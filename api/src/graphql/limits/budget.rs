//! [`Budget`]: what a request (or a whole batch) may still spend on bytes, tokens, fields,
//! directives and cost.

use crate::config::QueryLimits;

/// What a request may still spend: bytes and tokens of text, field selections, directives and
/// cost. One per request, or one shared by all the operations of a batch.
#[derive(Debug, Clone)]
pub struct Budget {
    pub(super) limits: QueryLimits,
    /// True for the budget of a batch (refusals then say the operations count together).
    batch: bool,
    pub(super) bytes: usize,
    pub(super) tokens: usize,
    fields: usize,
    directives: usize,
    cost: u64,
}

impl Budget {
    /// The budget of one request.
    pub fn for_request(limits: QueryLimits) -> Self {
        Self::new(limits, false)
    }

    /// The one budget of all the operations of a batch.
    pub fn for_batch(limits: QueryLimits) -> Self {
        Self::new(limits, true)
    }

    fn new(limits: QueryLimits, batch: bool) -> Self {
        Self {
            limits,
            batch,
            bytes: 0,
            tokens: 0,
            fields: 0,
            directives: 0,
            cost: 0,
        }
    }

    /// A refusal for going over a budgeted bound: `what` completes "the query …".
    pub(super) fn over(&self, what: String) -> String {
        if self.batch {
            format!("the batch {what} in all its operations")
        } else {
            format!("the query {what}")
        }
    }

    pub(super) fn count_field(&mut self) -> Result<(), String> {
        self.fields += 1;
        if self.fields > self.limits.max_fields {
            return Err(self.over(format!(
                "selects more than {} fields",
                self.limits.max_fields
            )));
        }
        Ok(())
    }

    pub(super) fn count_directives(&mut self, count: usize) -> Result<(), String> {
        self.directives += count;
        if self.directives > self.limits.max_directives {
            return Err(self.over(format!(
                "uses more than {} directives",
                self.limits.max_directives
            )));
        }
        Ok(())
    }

    /// True once the operations' cost passed `max_cost`: what refused them was their cost, not
    /// their shape (the cost is spent only once the shape passed).
    pub fn over_cost(&self) -> bool {
        self.cost > self.limits.max_cost
    }

    /// Spends the cost of an operation (`cost.rs`).
    pub(super) fn spend_cost(&mut self, cost: u64) -> Result<(), String> {
        self.cost = self.cost.saturating_add(cost);
        if self.cost > self.limits.max_cost {
            return Err(format!(
                "{}: ask for smaller pages or fewer nested lists",
                self.over(format!(
                    "may cost {} (more than {})",
                    self.cost, self.limits.max_cost
                ))
            ));
        }
        Ok(())
    }
}
