//! The attribute schema: ElectroDB's `schema.js` (`Attribute`, `MapAttribute`,
//! `ListAttribute`, `SetAttribute`, `Schema`) ported to Rust.
//!
//! A model's `attributes` are loaded once with [`AttributeSchema::from_json`] (the
//! model's indexes contribute a [`SchemaFacets`]); everything a call needs —
//! translations, paths, watch maps, compiled regexes — is precomputed then, so
//! building params does no schema analysis. The per-call pipeline is:
//!
//! * writes: [`AttributeSchema::check_create`] / [`AttributeSchema::check_update`] /
//!   [`AttributeSchema::check_remove`] / [`AttributeSchema::check_operation`], then
//!   [`AttributeSchema::apply_attribute_setters`] (or `_to_record` after
//!   `check_create`), then [`AttributeSchema::translate_to_fields`];
//! * reads: [`AttributeSchema::format_item_for_retrieval`].
//!
//! Values follow JavaScript: an absent key is `undefined`, `Value::Null` is `null`
//! (a value, of type "object"), and the messages are ElectroDB's.
//!
//! Attribute order matters (the first failing attribute is the one reported, watchers
//! run in order): [`AttributeSchema::from_json`] takes the order of the
//! `serde_json::Map` it is given, which is the model's order only with serde_json's
//! `preserve_order` feature (enabled here for tests; the workspace should enable it).

mod attribute;
mod attribute_schema;
mod checks;
mod facets;
mod functions;
mod js;
mod json;
mod kind;
pub mod named_functions;
mod pipeline;
mod translate;
mod validate;

pub use attribute::Attribute;
pub use attribute_schema::{AttributeSchema, WatchTranslation};
pub use facets::{
    CompositeRef, IndexFacets, IndexLabels, KeyFieldDefinition, KeyType, ProjectionRef,
    SchemaFacets, TABLE_INDEX, TemplateLabel,
};
pub use functions::{
    AttributeDefault, DefaultFn, FunctionResolver, FunctionRole, JsRegex, MutationFn, NoFunctions,
    ValidateFn, Validator,
};
pub use json::validate_attribute_definitions;
pub use kind::{AttributeKind, CastType, ItemOperation, KeyCasing, Padding, Watch};
pub use translate::RetrievalOptions;

#[cfg(test)]
mod tests;
