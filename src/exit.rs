//! Exit codes, in one place; docs/exit-codes.md documents the same.

/// Everything went well (warnings allowed, unless `--strict`).
pub const SUCCESS: u8 = 0;
/// The input has errors (`check`, `report`), or the inputs differ (`diff`), or an action item
/// is overdue (`actions --fail-if-overdue`); for `lsp`, the editor ended the session without
/// `shutdown`.
pub const FAILURE: u8 = 1;
/// Trouble: a usage error, an unreadable path, or an invalid input to `diff`.
pub const TROUBLE: u8 = 2;
