//! The rules a derived entity must follow, each reported on the offending tokens.

use crate::ast::{Entity, template_names};
use crate::attr::{Ctx, Watch};
use std::collections::BTreeMap;
use syn::LitStr;

/// A string option that takes one of a few values.
fn one_of(ctx: &Ctx, lit: Option<&LitStr>, what: &str, allowed: &[&str]) {
    let Some(lit) = lit else { return };
    if !allowed.contains(&lit.value().as_str()) {
        let list: Vec<String> = allowed.iter().map(|a| format!("\"{a}\"")).collect();
        ctx.error(
            lit,
            format!(
                "unknown {what} {:?} (expected one of {})",
                lit.value(),
                list.join(", ")
            ),
        );
    }
}

pub fn entity(ctx: &Ctx, e: &Entity) {
    let a = &e.attrs;
    if a.entity.is_none() {
        ctx.error(
            e.ident,
            "missing `#[electro(entity = \"...\")]`: every entity needs a name",
        );
    }
    if a.service.is_none() {
        ctx.error(
            e.ident,
            "missing `#[electro(service = \"...\")]`: every entity needs a service",
        );
    }

    // Attribute names and table fields are unique.
    let mut names: BTreeMap<String, &syn::Ident> = BTreeMap::new();
    for f in &e.fields {
        if let Some(prev) = names.insert(f.name.clone(), f.ident) {
            ctx.error(
                f.ident,
                format!("duplicate attribute name \"{}\" (also `{prev}`)", f.name),
            );
        }
        if f.attrs.hidden && !f.optional {
            ctx.error(
                f.ty,
                "a hidden attribute must be an `Option`: hidden attributes are never read back",
            );
        }
        if let Some(Watch::Fields(ws)) = &f.attrs.watch {
            for w in ws {
                if e.field(w).is_none() {
                    ctx.error(w, format!("unknown field `{w}` in watch"));
                } else if w == f.ident {
                    ctx.error(w, "an attribute cannot watch itself");
                }
            }
        }
        if let Some(p) = &f.attrs.padding {
            if p.length.is_none() || p.fill.is_none() {
                ctx.error_at(p.span, "padding needs both `length = N` and `char = \"c\"`");
            }
            if let Some(c) = &p.fill {
                if c.value().chars().count() != 1 {
                    ctx.error(c, "padding `char` must be a single character");
                }
            }
            if let Some(l) = &p.length {
                if l.base10_parse::<u32>().is_err() {
                    ctx.error(l, "padding `length` must be a non-negative integer");
                }
            }
        }
        if let Some(Watch::All(lit)) = &f.attrs.watch {
            if lit.value() != "*" {
                ctx.error(lit, "watch takes \"*\" or a list of fields: watch(a, b)");
            }
        }
    }

    // Indexes.
    if a.indexes.is_empty() {
        ctx.error(
            e.ident,
            "missing primary index: add #[electro(index(access = \"...\", pk(...), sk(...)))]",
        );
    }
    let mut primary_seen = false;
    let mut access_seen: BTreeMap<String, ()> = BTreeMap::new();
    let mut index_seen: BTreeMap<String, ()> = BTreeMap::new();
    for idx in &a.indexes {
        match &idx.access {
            None => ctx.error_at(
                idx.span,
                "an index needs `access = \"...\"` (its access-pattern name)",
            ),
            Some(acc) => {
                if access_seen.insert(acc.value(), ()).is_some() {
                    ctx.error(
                        acc,
                        format!(
                            "duplicate index: access pattern \"{}\" is defined twice",
                            acc.value()
                        ),
                    );
                }
            }
        }
        match &idx.index {
            None => {
                if primary_seen {
                    ctx.error_at(
                        idx.span,
                        "duplicate index: two indexes have no `index = \"...\"`, so both would be the table's primary index",
                    );
                }
                primary_seen = true;
            }
            Some(name) => {
                if index_seen.insert(name.value(), ()).is_some() {
                    ctx.error(
                        name,
                        format!("duplicate index: index \"{}\" is used twice", name.value()),
                    );
                }
            }
        }
        one_of(
            ctx,
            idx.kind.as_ref(),
            "type",
            &["isolated", "clustered", "composite"],
        );
        if let Some(scope) = &idx.scope {
            if scope.value().is_empty() {
                ctx.error(
                    scope,
                    "scope must not be empty: it is a prefix of the partition key",
                );
            }
        }
        let composite_type = idx.kind.as_ref().is_some_and(|k| k.value() == "composite");
        let Some(pk) = &idx.pk else {
            ctx.error_at(
                idx.span,
                "an index needs a partition key: pk(field = \"...\", composite(...))",
            );
            continue;
        };
        if idx.collection.is_some() && idx.sk.is_none() {
            ctx.error_at(
                idx.span,
                "collection on an index without a sort key: collections need an sk",
            );
        }
        for (key, what) in [(Some(pk), "pk"), (idx.sk.as_ref(), "sk")] {
            let Some(key) = key else { continue };
            one_of(
                ctx,
                key.casing.as_ref(),
                "casing",
                &["upper", "lower", "none", "default"],
            );
            one_of(ctx, key.cast.as_ref(), "cast", &["string", "number"]);
            if key.field.is_none() && !composite_type {
                ctx.error_at(
                    key.span,
                    format!("{what} needs `field = \"...\"` (the table field)"),
                );
            }
            if let Some(composite) = &key.composite {
                for c in composite {
                    if e.field(c).is_none() {
                        ctx.error(c, format!("unknown field `{c}` in the {what} composite"));
                    }
                }
            }
            if let Some(t) = &key.template {
                for n in template_names(&t.value()) {
                    if !e.fields.iter().any(|f| f.name == n) {
                        ctx.error(t, format!("unknown attribute `{n}` in the {what} template"));
                    }
                }
            }
            if key.composite.is_none() && key.template.is_none() {
                ctx.error_at(
                    key.span,
                    format!("{what} needs composite(...) or template = \"...\""),
                );
            }
        }
        if let Some(sk) = &idx.sk {
            let pks = e.key_fields(pk);
            for f in e.key_fields(sk) {
                if pks.iter().any(|p| p.ident == f.ident) {
                    let token = sk
                        .composite
                        .as_ref()
                        .and_then(|c| c.iter().find(|i| *i == f.ident))
                        .map(|i| i.span())
                        .unwrap_or(sk.span);
                    ctx.error_at(
                        token,
                        format!(
                            "same composite in pk and sk: `{}` is already a pk composite",
                            f.ident
                        ),
                    );
                }
            }
        }
    }
    if !a.indexes.is_empty() && !primary_seen {
        ctx.error(
            e.ident,
            "missing primary index: one index must have no `index = \"...\"` (the table's own keys)",
        );
    }
}
