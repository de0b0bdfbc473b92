//! The budget report of a plan (`Plan.budgetReport`).
