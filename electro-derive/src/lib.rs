//! `#[derive(Entity)]` for electro. A thin layer: it emits a static schema and typed
//! handles, and leaves every rule to electro-core.

use proc_macro::TokenStream;

/// Derives an electro entity (work in progress).
#[proc_macro_derive(Entity, attributes(electro))]
pub fn derive_entity(_input: TokenStream) -> TokenStream {
    TokenStream::new()
}
