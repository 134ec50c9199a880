//! Code generation. Everything refers to `::electro::__private` only, inside
//! `const _: () = { ... };`.

use crate::ast::{EnumType, Field, MapType};
use crate::attr::{Collection, KeyAttrs, Validate, Watch};
use crate::case::{pascal, screaming, snake};
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::{Expr, Lit};

fn js(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn obj(entries: Vec<(&str, String)>) -> String {
    let body: Vec<String> = entries
        .into_iter()
        .map(|(k, v)| format!("{}:{}", js(k), v))
        .collect();
    format!("{{{}}}", body.join(","))
}

fn arr(items: impl IntoIterator<Item = String>) -> String {
    format!("[{}]", items.into_iter().collect::<Vec<_>>().join(","))
}

fn literal_json(expr: &Expr) -> Option<String> {
    let Expr::Lit(l) = expr else { return None };
    Some(match &l.lit {
        Lit::Str(s) => js(&s.value()),
        Lit::Int(i) => i.base10_digits().to_string(),
        Lit::Float(f) => f.base10_digits().to_string(),
        Lit::Bool(b) => b.value.to_string(),
        _ => return None,
    })
}

/// The field's attribute options (everything but the type) and the functions to wire.
fn field_options(e: Option<&crate::ast::Entity>, f: &Field) -> (String, Vec<TokenStream>) {
    let a = &f.attrs;
    let mut opts: Vec<(&str, String)> = Vec::new();
    let mut fns = Vec::new();
    let inner = f.inner;
    if f.required() {
        opts.push(("required", "true".into()));
    }
    if let Some(x) = &a.field {
        opts.push(("field", js(&x.value())));
    }
    if let Some(x) = &a.label {
        opts.push(("label", js(&x.value())));
    }
    if a.read_only {
        opts.push(("readOnly", "true".into()));
    }
    if a.hidden {
        opts.push(("hidden", "true".into()));
    }
    let fn_name = |role: &str| format!("{}.{}", f.name, role);
    if let Some(d) = &a.default {
        match literal_json(d) {
            Some(j) => opts.push(("default", j)),
            None => {
                let name = fn_name("default");
                opts.push(("default", obj(vec![("fn", js(&name))])));
                fns.push(quote! {
                    .default_fn(#name, __e::DefaultFn::new(|| {
                        let v: #inner = __e::Input::<#inner>::into_attr(#d);
                        ::core::option::Option::Some(<#inner as __e::AttributeType>::to_value(&v))
                    }))
                });
            }
        }
    }
    match &a.validate {
        Some(Validate::Regex { regex, flags }) => {
            let mut o = vec![("regex", js(&regex.value()))];
            if let Some(f) = flags {
                o.push(("flags", js(&f.value())));
            }
            opts.push(("validate", obj(o)));
        }
        Some(Validate::Expr(Expr::Lit(l))) if matches!(l.lit, Lit::Str(_)) => {
            if let Lit::Str(s) = &l.lit {
                opts.push(("validate", obj(vec![("regex", js(&s.value()))])));
            }
        }
        Some(Validate::Expr(v)) => {
            let name = fn_name("validate");
            opts.push(("validate", obj(vec![("fn", js(&name))])));
            fns.push(quote! { .validate_fn(#name, __e::ValidateFn::new(#v)) });
        }
        None => {}
    }
    if let Some(p) = &a.padding {
        let mut o = Vec::new();
        if let Some(l) = &p.length {
            o.push(("length", l.base10_digits().to_string()));
        }
        if let Some(c) = &p.fill {
            o.push(("char", js(&c.value())));
        }
        opts.push(("padding", obj(o)));
    }
    for (role, path) in [("get", &a.get), ("set", &a.set)] {
        if let Some(p) = path {
            let name = fn_name(role);
            opts.push((role, obj(vec![("fn", js(&name))])));
            fns.push(quote! { .mutation_fn(#name, __e::MutationFn::new(#p)) });
        }
    }
    match &a.watch {
        Some(Watch::All(l)) => opts.push(("watch", js(&l.value()))),
        Some(Watch::Fields(ws)) => {
            let names = ws
                .iter()
                .filter_map(|w| e.and_then(|e| e.field(w)))
                .map(|f| js(&f.name));
            opts.push(("watch", arr(names)));
        }
        None => {}
    }
    (obj(opts), fns)
}

fn key_json(e: &crate::ast::Entity, k: &KeyAttrs) -> String {
    let mut o: Vec<(&str, String)> = Vec::new();
    if let Some(f) = &k.field {
        o.push(("field", js(&f.value())));
    }
    if let Some(c) = &k.composite {
        let names = c.iter().filter_map(|i| e.field(i)).map(|f| js(&f.name));
        o.push(("composite", arr(names)));
    }
    if let Some(t) = &k.template {
        o.push(("template", js(&t.value())));
    }
    if let Some(c) = &k.casing {
        o.push(("casing", js(&c.value())));
    }
    if let Some(c) = &k.cast {
        o.push(("cast", js(&c.value())));
    }
    obj(o)
}

fn skeleton(e: &crate::ast::Entity) -> String {
    let a = &e.attrs;
    let mut model = Vec::new();
    for (k, v) in [
        ("entity", &a.entity),
        ("version", &a.version),
        ("service", &a.service),
    ] {
        if let Some(v) = v {
            model.push((k, js(&v.value())));
        }
    }
    let mut indexes = Vec::new();
    for idx in &a.indexes {
        let mut o: Vec<(&str, String)> = Vec::new();
        if let Some(i) = &idx.index {
            o.push(("index", js(&i.value())));
        }
        match &idx.collection {
            Some(Collection::One(c)) => o.push(("collection", js(&c.value()))),
            Some(Collection::Many(cs)) => {
                o.push(("collection", arr(cs.iter().map(|c| js(&c.value())))))
            }
            None => {}
        }
        if let Some(t) = &idx.kind {
            o.push(("type", js(&t.value())));
        }
        if let Some(s) = &idx.scope {
            o.push(("scope", js(&s.value())));
        }
        if let Some(pk) = &idx.pk {
            o.push(("pk", key_json(e, pk)));
        }
        if let Some(sk) = &idx.sk {
            o.push(("sk", key_json(e, sk)));
        }
        let access = idx.access.as_ref().map(|l| l.value()).unwrap_or_default();
        indexes.push(format!("{}:{}", js(&access), obj(o)));
    }
    obj(vec![
        ("model", obj(model)),
        ("attributes", "{}".into()),
        ("indexes", format!("{{{}}}", indexes.join(","))),
    ])
}

/// A typestate key builder: `Name<0>` .. `Name<n>`; setter `i` moves `Name<i>` to
/// `Name<i+1>`; `complete(i)` says which states are keys.
fn key_builder(
    ident: &syn::Ident,
    name: &syn::Ident,
    fields: &[&Field],
    impls: impl Fn(usize) -> Option<TokenStream>,
) -> TokenStream {
    let mut out = quote! {
        #[doc = "A typed key builder: composites in order."]
        #[derive(Clone, Debug)]
        pub struct #name<const N: usize>(__e::Map);
    };
    for (i, f) in fields.iter().enumerate() {
        let method = f.ident;
        let inner = f.inner;
        let attr = &f.name;
        let next = i + 1;
        out.extend(quote! {
            impl #name<#i> {
                #[doc = concat!("Sets `", #attr, "`.")]
                pub fn #method(self, value: impl __e::Input<#inner>) -> #name<#next> {
                    let mut m = self.0;
                    let v: #inner = value.into_attr();
                    m.insert(__e::Name::from(#attr), <#inner as __e::AttributeType>::to_value(&v));
                    #name(m)
                }
            }
        });
    }
    for i in 0..=fields.len() {
        if let Some(body) = impls(i) {
            out.extend(body);
        }
    }
    let _ = ident;
    out
}

pub fn entity(e: &crate::ast::Entity) -> TokenStream {
    let ident = e.ident;
    let name_str = ident.to_string();
    let skeleton = skeleton(e);
    let primary = e.primary();
    let primary_composites: Vec<&syn::Ident> = primary
        .map(|p| {
            let mut v: Vec<&syn::Ident> =
                p.pk.iter()
                    .flat_map(|k| e.key_fields(k))
                    .map(|f| f.ident)
                    .collect();
            v.extend(p.sk.iter().flat_map(|k| e.key_fields(k)).map(|f| f.ident));
            v
        })
        .unwrap_or_default();

    let mut consts = Vec::new();
    let mut attr_defs = Vec::new();
    let mut fns = Vec::new();
    let mut to_item = Vec::new();
    let mut from_item = Vec::new();
    let mut to_dynamo = Vec::new();
    let mut from_dynamo = Vec::new();
    for f in &e.fields {
        let (fi, ty, inner, attr) = (f.ident, f.ty, f.inner, &f.name);
        let cap = if primary_composites.contains(&fi) {
            quote!(__e::Key)
        } else if f.attrs.read_only {
            quote!(__e::ReadOnly)
        } else if f.required() {
            quote!(__e::Required)
        } else {
            quote!(__e::Optional)
        };
        let cname = format_ident!("{}", screaming(&fi.to_string()));
        let doc = format!("The `{attr}` attribute.");
        consts.push(quote! {
            #[doc = #doc]
            pub const #cname: __e::Attr<#ident, #inner, #cap> = __e::Attr::new(#attr);
        });
        let (opts, f_fns) = field_options(Some(e), f);
        attr_defs.push(quote! { (#attr, __e::attribute_def::<#ty>(#opts)) });
        fns.extend(f_fns);
        let (to_map, to_sdk) = field_writers(f);
        to_item.push(to_map);
        to_dynamo.push(to_sdk);
        from_item.push(quote! {
            #fi: __e::from_value_field::<#ty>(item, #attr).map_err(|m| __e::missing_field(#name_str, m))?,
        });
        from_dynamo.push(quote! {
            #fi: __e::from_attribute_value_field::<#ty>(&mut item, #attr).map_err(|m| __e::missing_field(#name_str, m))?,
        });
    }
    let n_fields = e.fields.len();

    // Key builders.
    let key_name = format_ident!("{}Key", ident);
    let queries_name = format_ident!("{}Queries", ident);
    let mut builders = TokenStream::new();
    let mut query_methods = Vec::new();
    if let Some(p) = primary {
        let mut fields: Vec<&Field> = p.pk.iter().flat_map(|k| e.key_fields(k)).collect();
        fields.extend(p.sk.iter().flat_map(|k| e.key_fields(k)));
        let n = fields.len();
        builders.extend(key_builder(ident, &key_name, &fields, |i| {
            (i == n).then(|| {
                quote! {
                    impl __e::PrimaryKey<#ident> for #key_name<#i> {
                        fn into_key(self) -> __e::Map { self.0 }
                    }
                }
            })
        }));
    }
    for idx in &e.attrs.indexes {
        let (Some(access), Some(pk)) = (&idx.access, &idx.pk) else {
            continue;
        };
        let access = access.value();
        let npk = e.key_fields(pk).len();
        let mut fields: Vec<&Field> = e.key_fields(pk);
        fields.extend(idx.sk.iter().flat_map(|k| e.key_fields(k)));
        let qname = format_ident!("{}{}Query", ident, pascal(&access));
        builders.extend(key_builder(ident, &qname, &fields, |i| {
            (i >= npk).then(|| {
                quote! {
                    impl __e::IndexKey<#ident> for #qname<#i> {
                        fn access_pattern(&self) -> &'static str { #access }
                        fn into_composites(self) -> __e::Map { self.0 }
                    }
                }
            })
        }));
        let method = syn::Ident::new(&snake(&access), Span::call_site());
        let doc = format!("The `{access}` access pattern.");
        query_methods.push(quote! {
            #[doc = #doc]
            pub fn #method(self) -> #qname<0> { #qname(__e::Map::default()) }
        });
    }

    quote! {
        const _: () = {
            use ::electro::__private as __e;
            use __e::Input as _;

            #[automatically_derived]
            impl #ident {
                #(#consts)*

                /// The typed entity (add a table with `.table(..)`).
                pub fn entity() -> __e::TypedEntity<#ident> {
                    __e::TypedEntity::new()
                }

                /// The primary key: every composite, in order.
                pub fn key() -> #key_name<0> {
                    #key_name(__e::Map::default())
                }

                /// Query keys, by access pattern.
                pub fn query() -> #queries_name {
                    #queries_name(())
                }
            }

            /// Query keys, by access pattern.
            #[derive(Clone, Copy, Debug)]
            pub struct #queries_name(());

            impl #queries_name {
                #(#query_methods)*
            }

            #builders

            #[automatically_derived]
            impl __e::EntityType for #ident {
                fn json_model() -> &'static __e::Json {
                    static MODEL: __e::OnceLock<__e::Json> = __e::OnceLock::new();
                    MODEL.get_or_init(|| __e::model_json(#skeleton, ::std::vec![#(#attr_defs),*]))
                }

                fn base_entity() -> ::core::result::Result<&'static __e::Entity, &'static __e::Error> {
                    static ENTITY: __e::OnceLock<__e::Result<__e::Entity>> = __e::OnceLock::new();
                    ENTITY.get_or_init(|| {
                        __e::load_entity(#name_str, <Self as __e::EntityType>::json_model(), __e::FnTable::new() #(#fns)*)
                    }).as_ref()
                }

                fn to_item(&self) -> __e::Map {
                    let mut m = __e::Map::default();
                    #(#to_item)*
                    m
                }

                fn from_item(item: &__e::Map) -> __e::Result<Self> {
                    ::core::result::Result::Ok(#ident { #(#from_item)* })
                }

                fn to_dynamo_item(&self) -> __e::Item {
                    let mut m = __e::Item::with_capacity(#n_fields);
                    #(#to_dynamo)*
                    m
                }

                #[allow(unused_mut)]
                fn from_dynamo_item(mut item: __e::Item) -> __e::Result<Self> {
                    ::core::result::Result::Ok(#ident { #(#from_dynamo)* })
                }
            }
        };
    }
}

/// The statements writing one field of `self` into `m`: into a `Map` (for
/// `to_item` / `to_value`) and into an SDK item (for `to_dynamo_item` /
/// `to_attribute_value`), each skipping a value the field does not store.
fn field_writers(f: &Field) -> (TokenStream, TokenStream) {
    let (fi, ty, attr) = (f.ident, f.ty, &f.name);
    let to_map = quote! {
        if let ::core::option::Option::Some(v) = <#ty as __e::AttributeType>::to_attribute(&self.#fi) {
            m.insert(__e::Name::from(#attr), v);
        }
    };
    let to_sdk = quote! {
        if let ::core::option::Option::Some(v) = <#ty as __e::AttributeType>::to_stored_attribute_value(&self.#fi) {
            m.insert(::std::string::String::from(#attr), v);
        }
    };
    (to_map, to_sdk)
}

pub fn map_type(m: &MapType) -> TokenStream {
    let ident = m.ident;
    let mut props = Vec::new();
    let mut to = Vec::new();
    let mut from = Vec::new();
    let mut to_sdk = Vec::new();
    let mut from_sdk = Vec::new();
    for f in &m.fields {
        let (fi, ty, attr) = (f.ident, f.ty, &f.name);
        let (opts, _) = field_options(None, f);
        props.push(quote! { (#attr, __e::attribute_def::<#ty>(#opts)) });
        let (to_map, to_item) = field_writers(f);
        to.push(to_map);
        to_sdk.push(to_item);
        from.push(quote! { #fi: __e::from_value_field::<#ty>(m, #attr)?, });
        from_sdk.push(quote! { #fi: __e::from_attribute_value_field::<#ty>(&mut m, #attr)?, });
    }
    let n_fields = m.fields.len();
    quote! {
        const _: () = {
            use ::electro::__private as __e;
            #[automatically_derived]
            impl __e::AttributeType for #ident {
                fn attribute_schema() -> __e::Json {
                    __e::map_schema(::std::vec![#(#props),*])
                }
                fn to_value(&self) -> __e::Value {
                    let mut m = __e::Map::default();
                    #(#to)*
                    __e::Value::Map(m)
                }
                fn from_value(value: &__e::Value) -> ::core::result::Result<Self, ::std::string::String> {
                    match value {
                        __e::Value::Map(m) => ::core::result::Result::Ok(#ident { #(#from)* }),
                        other => ::core::result::Result::Err(::std::format!("expected a map, found {}", other.type_name())),
                    }
                }
                fn to_attribute_value(&self) -> __e::AttributeValue {
                    let mut m = __e::Item::with_capacity(#n_fields);
                    #(#to_sdk)*
                    __e::AttributeValue::M(m)
                }
                #[allow(unused_mut)]
                fn from_attribute_value(value: __e::AttributeValue) -> ::core::result::Result<Self, ::std::string::String> {
                    match value {
                        __e::AttributeValue::M(mut m) => ::core::result::Result::Ok(#ident { #(#from_sdk)* }),
                        other => __e::from_attribute_value_via_value(other),
                    }
                }
            }
        };
    }
}

pub fn enum_type(en: &EnumType) -> TokenStream {
    let ident = en.ident;
    let names: Vec<&String> = en.variants.iter().map(|(_, n)| n).collect();
    let idents: Vec<&syn::Ident> = en.variants.iter().map(|(i, _)| *i).collect();
    let expected = format!(
        "expected one of {}",
        names
            .iter()
            .map(|n| format!("\"{n}\""))
            .collect::<Vec<_>>()
            .join(", ")
    );
    quote! {
        const _: () = {
            use ::electro::__private as __e;
            #[automatically_derived]
            impl __e::EnumAttr for #ident {}

            #[automatically_derived]
            impl __e::AttributeType for #ident {
                fn attribute_schema() -> __e::Json {
                    __e::enum_schema(&[#(#names),*])
                }
                fn to_value(&self) -> __e::Value {
                    match self {
                        #(#ident::#idents => __e::Value::String(__e::Name::from(#names)),)*
                    }
                }
                fn from_value(value: &__e::Value) -> ::core::result::Result<Self, ::std::string::String> {
                    match value {
                        #(__e::Value::String(s) if s == #names => ::core::result::Result::Ok(#ident::#idents),)*
                        _ => ::core::result::Result::Err(::std::string::String::from(#expected)),
                    }
                }
                fn to_attribute_value(&self) -> __e::AttributeValue {
                    match self {
                        #(#ident::#idents => __e::AttributeValue::S(::std::string::String::from(#names)),)*
                    }
                }
                fn from_attribute_value(value: __e::AttributeValue) -> ::core::result::Result<Self, ::std::string::String> {
                    match &value {
                        #(__e::AttributeValue::S(s) if s == #names => ::core::result::Result::Ok(#ident::#idents),)*
                        _ => __e::from_attribute_value_via_value(value),
                    }
                }
            }
        };
    }
}
