//! `#[derive(Entity)]`, `#[derive(Enum)]` and `#[derive(Map)]` for electro. A thin
//! layer: it emits the equivalent ElectroDB JSON model, a resolver for the user's
//! functions, item conversion and typed handles, and leaves every runtime rule to
//! electro-core. Use it through the `electro` facade, whose docs carry the examples.

mod ast;
mod attr;
mod case;
mod check;
mod expand;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Derives an electro entity; see `electro::Entity`.
#[proc_macro_derive(Entity, attributes(electro))]
pub fn derive_entity(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    let ctx = attr::Ctx::default();
    let out = ast::Entity::from_input(&ctx, &input).inspect(|e| check::entity(&ctx, e));
    finish(ctx, out.map(|e| expand::entity(&e)))
}

/// Derives an enum attribute type for a unit enum; see `electro::Enum`.
#[proc_macro_derive(Enum, attributes(electro))]
pub fn derive_enum(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    let ctx = attr::Ctx::default();
    let out = ast::EnumType::from_input(&ctx, &input).map(|e| expand::enum_type(&e));
    finish(ctx, out)
}

/// Derives a map attribute type for a struct; see `electro::Map`.
#[proc_macro_derive(Map, attributes(electro))]
pub fn derive_map(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    let ctx = attr::Ctx::default();
    let out = ast::MapType::from_input(&ctx, &input).map(|m| expand::map_type(&m));
    finish(ctx, out)
}

fn finish(ctx: attr::Ctx, out: Option<proc_macro2::TokenStream>) -> TokenStream {
    match ctx.check() {
        Ok(()) => out.unwrap_or_default().into(),
        Err(errors) => errors
            .into_iter()
            .map(|e| e.to_compile_error())
            .collect::<proc_macro2::TokenStream>()
            .into(),
    }
}
