//! [`Budget`]: what a request (or a whole batch) may still spend on bytes, tokens, fields and
//! directives.

use crate::config::QueryLimits;

/// What a request may still spend: bytes and tokens of text, field selections and directives.
/// One per request, or one shared by all the operations of a batch.
#[derive(Debug, Clone)]
pub struct Budget {
    pub(super) limits: QueryLimits,
    /// True for the budget of a batch (refusals then say the operations count together).
    batch: bool,
    pub(super) bytes: usize,
    pub(super) tokens: usize,
    fields: usize,
    directives: usize,
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
}
