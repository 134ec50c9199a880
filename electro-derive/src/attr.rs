//! Parsing `#[electro(...)]` attributes. Every problem is recorded in the [`Ctx`] on
//! the span of the offending tokens, and parsing goes on so all are reported at once.

use crate::case::RenameRule;
use proc_macro2::Span;
use quote::ToTokens;
use std::cell::RefCell;
use syn::meta::ParseNestedMeta;
use syn::parse::Parse;
use syn::{Attribute, Expr, Ident, LitStr, Path, Token};

/// Errors found so far.
#[derive(Default)]
pub struct Ctx {
    errors: RefCell<Vec<syn::Error>>,
}

impl Ctx {
    pub fn error(&self, tokens: impl ToTokens, message: impl std::fmt::Display) {
        self.errors
            .borrow_mut()
            .push(syn::Error::new_spanned(tokens.into_token_stream(), message));
    }

    pub fn error_at(&self, span: Span, message: impl std::fmt::Display) {
        self.errors
            .borrow_mut()
            .push(syn::Error::new(span, message));
    }

    pub fn syn_error(&self, error: syn::Error) {
        self.errors.borrow_mut().push(error);
    }

    pub fn check(self) -> Result<(), Vec<syn::Error>> {
        let errors = self.errors.into_inner();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// `#[electro(...)]` on the struct (or enum).
#[derive(Default)]
pub struct ContainerAttrs {
    pub service: Option<LitStr>,
    pub entity: Option<LitStr>,
    pub version: Option<LitStr>,
    pub rename_all: Option<RenameRule>,
    pub indexes: Vec<IndexAttrs>,
}

pub struct IndexAttrs {
    pub span: Span,
    pub access: Option<LitStr>,
    pub index: Option<LitStr>,
    pub collection: Option<Collection>,
    pub kind: Option<LitStr>,
    pub scope: Option<LitStr>,
    pub pk: Option<KeyAttrs>,
    pub sk: Option<KeyAttrs>,
}

pub enum Collection {
    One(LitStr),
    Many(Vec<LitStr>),
}

pub struct KeyAttrs {
    pub span: Span,
    pub field: Option<LitStr>,
    pub composite: Option<Vec<Ident>>,
    pub template: Option<LitStr>,
    pub casing: Option<LitStr>,
    pub cast: Option<LitStr>,
}

/// `#[electro(...)]` on a field (or variant).
#[derive(Default)]
pub struct FieldAttrs {
    pub rename: Option<LitStr>,
    pub field: Option<LitStr>,
    pub label: Option<LitStr>,
    pub required: bool,
    pub default: Option<Expr>,
    pub validate: Option<Validate>,
    pub read_only: bool,
    pub hidden: bool,
    pub get: Option<Path>,
    pub set: Option<Path>,
    pub watch: Option<Watch>,
    pub padding: Option<Padding>,
}

/// `padding(length = 4, char = "0")`.
pub struct Padding {
    pub span: Span,
    pub length: Option<syn::LitInt>,
    pub fill: Option<LitStr>,
}

/// `validate = "regex"` / `validate = path`, or `validate(regex = "..", flags = "i")`.
pub enum Validate {
    Expr(Expr),
    Regex {
        regex: LitStr,
        flags: Option<LitStr>,
    },
}

pub enum Watch {
    All(LitStr),
    Fields(Vec<Ident>),
}

fn unknown(meta: &ParseNestedMeta, place: &str, known: &str) -> syn::Error {
    let name = meta.path.to_token_stream().to_string().replace(' ', "");
    meta.error(format!(
        "unknown electro attribute `{name}` on {place} (expected one of: {known})"
    ))
}

fn set_once<T>(ctx: &Ctx, slot: &mut Option<T>, value: T, meta: &ParseNestedMeta) {
    if slot.is_some() {
        ctx.syn_error(meta.error(format!(
            "duplicate electro attribute `{}`",
            meta.path.to_token_stream()
        )));
    }
    *slot = Some(value);
}

/// `(a, b)`: field names; `()` is an empty list (a key without composites).
fn idents(meta: &ParseNestedMeta) -> syn::Result<Vec<Ident>> {
    let content;
    syn::parenthesized!(content in meta.input);
    let list = content.parse_terminated(Ident::parse, Token![,])?;
    Ok(list.into_iter().collect())
}

fn strings(meta: &ParseNestedMeta) -> syn::Result<Vec<LitStr>> {
    let content;
    syn::parenthesized!(content in meta.input);
    let list = content.parse_terminated(|p| p.parse::<LitStr>(), Token![,])?;
    Ok(list.into_iter().collect())
}

fn rename_rule(ctx: &Ctx, lit: LitStr) -> Option<RenameRule> {
    let rule = RenameRule::parse(&lit);
    if rule.is_none() {
        ctx.error(
            &lit,
            format!(
                "unknown rename_all rule {:?} (expected one of {})",
                lit.value(),
                RenameRule::NAMES
            ),
        );
    }
    rule
}

const CONTAINER_KEYS: &str = "service, entity, version, rename_all, index";
const INDEX_KEYS: &str = "access, index, collection, type, scope, pk, sk";
const KEY_KEYS: &str = "field, composite, template, casing, cast";
const FIELD_KEYS: &str = "rename, field, label, required, default, validate, read_only, hidden, get, set, watch, padding";

pub fn container(ctx: &Ctx, attrs: &[Attribute], entity: bool) -> ContainerAttrs {
    let mut out = ContainerAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("electro")) {
        let result = attr.parse_nested_meta(|meta| {
            let p = &meta.path;
            if p.is_ident("rename_all") {
                let lit: LitStr = meta.value()?.parse()?;
                if let Some(rule) = rename_rule(ctx, lit) {
                    set_once(ctx, &mut out.rename_all, rule, &meta);
                }
            } else if entity && p.is_ident("service") {
                let v = meta.value()?.parse()?;
                set_once(ctx, &mut out.service, v, &meta);
            } else if entity && p.is_ident("entity") {
                let v = meta.value()?.parse()?;
                set_once(ctx, &mut out.entity, v, &meta);
            } else if entity && p.is_ident("version") {
                let v = meta.value()?.parse()?;
                set_once(ctx, &mut out.version, v, &meta);
            } else if entity && p.is_ident("index") {
                out.indexes.push(index(ctx, &meta)?);
            } else {
                let known = if entity { CONTAINER_KEYS } else { "rename_all" };
                return Err(unknown(&meta, "the type", known));
            }
            Ok(())
        });
        if let Err(e) = result {
            ctx.syn_error(e);
        }
    }
    out
}

fn index(ctx: &Ctx, meta: &ParseNestedMeta) -> syn::Result<IndexAttrs> {
    let mut out = IndexAttrs {
        span: meta
            .path
            .get_ident()
            .map(Ident::span)
            .unwrap_or_else(Span::call_site),
        access: None,
        index: None,
        collection: None,
        kind: None,
        scope: None,
        pk: None,
        sk: None,
    };
    meta.parse_nested_meta(|meta| {
        let p = &meta.path;
        if p.is_ident("access") {
            let v = meta.value()?.parse()?;
            set_once(ctx, &mut out.access, v, &meta);
        } else if p.is_ident("index") {
            let v = meta.value()?.parse()?;
            set_once(ctx, &mut out.index, v, &meta);
        } else if p.is_ident("collection") {
            let v = if meta.input.peek(Token![=]) {
                Collection::One(meta.value()?.parse()?)
            } else {
                Collection::Many(strings(&meta)?)
            };
            set_once(ctx, &mut out.collection, v, &meta);
        } else if p.is_ident("type") {
            let v = meta.value()?.parse()?;
            set_once(ctx, &mut out.kind, v, &meta);
        } else if p.is_ident("scope") {
            let v = meta.value()?.parse()?;
            set_once(ctx, &mut out.scope, v, &meta);
        } else if p.is_ident("pk") {
            let v = key(ctx, &meta)?;
            set_once(ctx, &mut out.pk, v, &meta);
        } else if p.is_ident("sk") {
            let v = key(ctx, &meta)?;
            set_once(ctx, &mut out.sk, v, &meta);
        } else {
            return Err(unknown(&meta, "an index", INDEX_KEYS));
        }
        Ok(())
    })?;
    Ok(out)
}

fn key(ctx: &Ctx, meta: &ParseNestedMeta) -> syn::Result<KeyAttrs> {
    let mut out = KeyAttrs {
        span: meta
            .path
            .get_ident()
            .map(Ident::span)
            .unwrap_or_else(Span::call_site),
        field: None,
        composite: None,
        template: None,
        casing: None,
        cast: None,
    };
    meta.parse_nested_meta(|meta| {
        let p = &meta.path;
        if p.is_ident("field") {
            let v = meta.value()?.parse()?;
            set_once(ctx, &mut out.field, v, &meta);
        } else if p.is_ident("composite") {
            let v = idents(&meta)?;
            set_once(ctx, &mut out.composite, v, &meta);
        } else if p.is_ident("template") {
            let v = meta.value()?.parse()?;
            set_once(ctx, &mut out.template, v, &meta);
        } else if p.is_ident("casing") {
            let v = meta.value()?.parse()?;
            set_once(ctx, &mut out.casing, v, &meta);
        } else if p.is_ident("cast") {
            let v = meta.value()?.parse()?;
            set_once(ctx, &mut out.cast, v, &meta);
        } else {
            return Err(unknown(&meta, "a key", KEY_KEYS));
        }
        Ok(())
    })?;
    Ok(out)
}

pub fn field(ctx: &Ctx, attrs: &[Attribute], variant: bool) -> FieldAttrs {
    let mut out = FieldAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident("electro")) {
        let result = attr.parse_nested_meta(|meta| {
            let p = &meta.path;
            if p.is_ident("rename") {
                let v = meta.value()?.parse()?;
                set_once(ctx, &mut out.rename, v, &meta);
            } else if variant {
                return Err(unknown(&meta, "a variant", "rename"));
            } else if p.is_ident("field") {
                let v = meta.value()?.parse()?;
                set_once(ctx, &mut out.field, v, &meta);
            } else if p.is_ident("label") {
                let v = meta.value()?.parse()?;
                set_once(ctx, &mut out.label, v, &meta);
            } else if p.is_ident("required") {
                out.required = true;
            } else if p.is_ident("read_only") {
                out.read_only = true;
            } else if p.is_ident("hidden") {
                out.hidden = true;
            } else if p.is_ident("default") {
                let v = meta.value()?.parse()?;
                set_once(ctx, &mut out.default, v, &meta);
            } else if p.is_ident("validate") {
                let v = if meta.input.peek(Token![=]) {
                    Validate::Expr(meta.value()?.parse()?)
                } else {
                    regex_validate(ctx, &meta)?
                };
                set_once(ctx, &mut out.validate, v, &meta);
            } else if p.is_ident("padding") {
                let v = padding(ctx, &meta)?;
                set_once(ctx, &mut out.padding, v, &meta);
            } else if p.is_ident("get") {
                let v = meta.value()?.parse()?;
                set_once(ctx, &mut out.get, v, &meta);
            } else if p.is_ident("set") {
                let v = meta.value()?.parse()?;
                set_once(ctx, &mut out.set, v, &meta);
            } else if p.is_ident("watch") {
                let v = if meta.input.peek(Token![=]) {
                    Watch::All(meta.value()?.parse()?)
                } else {
                    Watch::Fields(idents(&meta)?)
                };
                set_once(ctx, &mut out.watch, v, &meta);
            } else {
                return Err(unknown(&meta, "a field", FIELD_KEYS));
            }
            Ok(())
        });
        if let Err(e) = result {
            ctx.syn_error(e);
        }
    }
    out
}

fn regex_validate(ctx: &Ctx, meta: &ParseNestedMeta) -> syn::Result<Validate> {
    let (mut regex, mut flags) = (None, None);
    meta.parse_nested_meta(|inner| {
        if inner.path.is_ident("regex") {
            let v = inner.value()?.parse()?;
            set_once(ctx, &mut regex, v, &inner);
        } else if inner.path.is_ident("flags") {
            let v = inner.value()?.parse()?;
            set_once(ctx, &mut flags, v, &inner);
        } else {
            return Err(unknown(&inner, "validate", "regex, flags"));
        }
        Ok(())
    })?;
    match regex {
        Some(regex) => Ok(Validate::Regex { regex, flags }),
        None => Err(meta.error("validate(...) needs `regex = \"...\"`")),
    }
}

fn padding(ctx: &Ctx, meta: &ParseNestedMeta) -> syn::Result<Padding> {
    let mut out = Padding {
        span: meta
            .path
            .get_ident()
            .map(Ident::span)
            .unwrap_or_else(Span::call_site),
        length: None,
        fill: None,
    };
    meta.parse_nested_meta(|inner| {
        if inner.path.is_ident("length") {
            let v = inner.value()?.parse()?;
            set_once(ctx, &mut out.length, v, &inner);
        } else if inner.path.is_ident("char") {
            let v = inner.value()?.parse()?;
            set_once(ctx, &mut out.fill, v, &inner);
        } else {
            return Err(unknown(&inner, "padding", "length, char"));
        }
        Ok(())
    })?;
    Ok(out)
}
