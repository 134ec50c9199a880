//! The derive input as electro sees it: fields with their attribute names and types.

use crate::attr::{self, ContainerAttrs, Ctx, FieldAttrs};
use syn::{Data, DeriveInput, Fields, GenericArgument, Ident, PathArguments, Type};

pub struct Entity<'a> {
    pub ident: &'a Ident,
    pub attrs: ContainerAttrs,
    pub fields: Vec<Field<'a>>,
}

pub struct Field<'a> {
    pub ident: &'a Ident,
    pub ty: &'a Type,
    /// The type without `Option<..>`.
    pub inner: &'a Type,
    pub optional: bool,
    /// The attribute name (after `rename`/`rename_all`).
    pub name: String,
    pub attrs: FieldAttrs,
}

impl Field<'_> {
    pub fn required(&self) -> bool {
        self.attrs.required || !self.optional
    }
}

pub struct MapType<'a> {
    pub ident: &'a Ident,
    pub fields: Vec<Field<'a>>,
}

pub struct EnumType<'a> {
    pub ident: &'a Ident,
    pub variants: Vec<(&'a Ident, String)>,
}

fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        GenericArgument::Type(t) => Some(t),
        _ => None,
    }
}

fn fields<'a>(
    ctx: &Ctx,
    input: &'a DeriveInput,
    container: &ContainerAttrs,
) -> Option<Vec<Field<'a>>> {
    let Data::Struct(data) = &input.data else {
        ctx.error(
            &input.ident,
            "electro derives need a struct with named fields",
        );
        return None;
    };
    let Fields::Named(named) = &data.fields else {
        ctx.error(
            &input.ident,
            "electro derives need a struct with named fields",
        );
        return None;
    };
    if !input.generics.params.is_empty() {
        ctx.error(
            &input.generics,
            "electro derives do not support generic structs",
        );
    }
    let mut out = Vec::new();
    for f in &named.named {
        let ident = f.ident.as_ref()?;
        let attrs = attr::field(ctx, &f.attrs, false);
        let base = ident.to_string().trim_start_matches("r#").to_string();
        let name = match (&attrs.rename, container.rename_all) {
            (Some(lit), _) => lit.value(),
            (None, Some(rule)) => rule.apply(&base),
            (None, None) => base,
        };
        let inner = option_inner(&f.ty);
        out.push(Field {
            ident,
            ty: &f.ty,
            inner: inner.unwrap_or(&f.ty),
            optional: inner.is_some(),
            name,
            attrs,
        });
    }
    Some(out)
}

impl<'a> Entity<'a> {
    pub fn from_input(ctx: &Ctx, input: &'a DeriveInput) -> Option<Entity<'a>> {
        let attrs = attr::container(ctx, &input.attrs, true);
        let fields = fields(ctx, input, &attrs)?;
        Some(Entity {
            ident: &input.ident,
            attrs,
            fields,
        })
    }

    pub fn field(&self, ident: &Ident) -> Option<&Field<'a>> {
        self.fields.iter().find(|f| f.ident == ident)
    }
}

impl<'a> MapType<'a> {
    pub fn from_input(ctx: &Ctx, input: &'a DeriveInput) -> Option<MapType<'a>> {
        let attrs = attr::container(ctx, &input.attrs, false);
        let fields = fields(ctx, input, &attrs)?;
        for f in &fields {
            let a = &f.attrs;
            let unsupported = [
                (a.label.is_some(), "label"),
                (a.default.is_some(), "default"),
                (a.validate.is_some(), "validate"),
                (a.read_only, "read_only"),
                (a.hidden, "hidden"),
                (a.get.is_some(), "get"),
                (a.set.is_some(), "set"),
                (a.watch.is_some(), "watch"),
                (a.padding.is_some(), "padding"),
            ];
            for (present, name) in unsupported {
                if present {
                    ctx.error(
                        f.ident,
                        format!("`{name}` is not supported on a map property (only rename, field and required)"),
                    );
                }
            }
        }
        Some(MapType {
            ident: &input.ident,
            fields,
        })
    }
}

impl<'a> EnumType<'a> {
    pub fn from_input(ctx: &Ctx, input: &'a DeriveInput) -> Option<EnumType<'a>> {
        let attrs = attr::container(ctx, &input.attrs, false);
        let Data::Enum(data) = &input.data else {
            ctx.error(
                &input.ident,
                "#[derive(Enum)] needs an enum of unit variants",
            );
            return None;
        };
        let mut variants = Vec::new();
        for v in &data.variants {
            if !matches!(v.fields, Fields::Unit) {
                ctx.error(
                    v,
                    "#[derive(Enum)] needs unit variants: an enum attribute is one of its strings",
                );
                continue;
            }
            let fa = attr::field(ctx, &v.attrs, true);
            let name = match (&fa.rename, attrs.rename_all) {
                (Some(lit), _) => lit.value(),
                (None, Some(rule)) => rule.apply(&v.ident.to_string()),
                (None, None) => v.ident.to_string(),
            };
            if variants.iter().any(|(_, n)| *n == name) {
                ctx.error(&v.ident, format!("two variants are named \"{name}\""));
            }
            variants.push((&v.ident, name));
        }
        Some(EnumType {
            ident: &input.ident,
            variants,
        })
    }
}

/// The attribute names a key template refers to (`${name}`).
pub fn template_names(template: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        match after.find('}') {
            Some(end) => {
                out.push(after[..end].to_string());
                rest = &after[end + 1..];
            }
            None => break,
        }
    }
    out
}

impl<'a> Entity<'a> {
    /// The fields a key is made of, in order (unknown names are left out: the checks
    /// report them).
    pub fn key_fields(&self, key: &attr::KeyAttrs) -> Vec<&Field<'a>> {
        match (&key.composite, &key.template) {
            (Some(idents), _) => idents.iter().filter_map(|i| self.field(i)).collect(),
            (None, Some(t)) => template_names(&t.value())
                .iter()
                .filter_map(|n| self.fields.iter().find(|f| &f.name == n))
                .collect(),
            (None, None) => Vec::new(),
        }
    }

    /// The primary index (the one without `index = ..`).
    pub fn primary(&self) -> Option<&attr::IndexAttrs> {
        self.attrs.indexes.iter().find(|i| i.index.is_none())
    }
}
