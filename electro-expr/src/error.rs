//! Why an expression could not be rendered.

/// A rendering failure. Nothing is half-written on error in a way that matters: the
/// caller drops the params being built, as ElectroDB does when an operation throws.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ExprError {
    /// An operation template refused the attribute type; the message is ElectroDB's
    /// (e.g. `Invalid Update Attribute Operation: "ADD" Operation can only be ...`).
    #[error("{0}")]
    Template(String),
    /// An operation was given the wrong number of operands.
    #[error("operation \"{op}\" takes {expected} operand(s) but was given {given}")]
    Arity {
        /// The operation's ElectroDB name.
        op: &'static str,
        /// What it accepts, e.g. `"1"` or `"1 or 2"`.
        expected: &'static str,
        /// What it got.
        given: usize,
    },
    /// An operand kind that makes no sense in this position (e.g. `escape` as the
    /// operand of an update, or `field` used as a condition).
    #[error("operand {operand} cannot be used with operation \"{op}\"")]
    Operand {
        /// The operation's ElectroDB name.
        op: &'static str,
        /// The operand kind.
        operand: &'static str,
    },
    /// A raw template names a part that does not exist (`{3}` with three parts).
    #[error("template refers to part {{{0}}} which was not given")]
    MissingPart(usize),
    /// A raw template never uses one of its parts: its placeholders would be
    /// registered but appear in no expression, which DynamoDB rejects.
    #[error("template never uses part {{{0}}}")]
    UnusedPart(usize),
}
