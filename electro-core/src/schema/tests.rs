//! Behaviour pinned to the conformance corpus (`/work/shared/conformance`): model
//! attribute definitions copied from its models, messages from its expectations.

use super::named_functions::NamedFunctions;
use super::*;
use crate::error::Error;
use electro_expr::{Map, Value};
use serde_json::json;

const IDS: (&str, &str) = ("__edb_e__", "__edb_v__");

fn schema(attrs: serde_json::Value) -> AttributeSchema {
    load(attrs, &SchemaFacets::default()).expect("model loads")
}

fn load(attrs: serde_json::Value, facets: &SchemaFacets) -> Result<AttributeSchema, Error> {
    let attrs = attrs.as_object().cloned().unwrap_or_default();
    AttributeSchema::from_json(&attrs, facets, IDS, &NamedFunctions)
}

fn item(v: serde_json::Value) -> Map {
    match Value::from_json(&v) {
        Value::Map(m) => m,
        _ => Map::default(),
    }
}

fn to_json(m: Map) -> serde_json::Value {
    Value::Map(m).to_json()
}

fn mallstore() -> AttributeSchema {
    schema(json!({
        "cityId": {"type": "string", "required": true},
        "mallId": {"type": "string", "required": true},
        "storeId": {"type": "string", "required": true},
        "buildingId": {"type": "string", "required": true},
        "unitId": {"type": "string", "required": true},
        "category": {"type": ["spite store", "food/coffee", "food/meal", "clothing", "electronics", "department", "misc"], "required": true},
        "leaseEndDate": {"type": "string", "required": true},
        "rent": {"type": "string", "required": true, "validate": {"regex": "^(\\d+\\.\\d{2})$"}},
        "discount": {"type": "string", "required": false, "default": "0.00", "validate": {"regex": "^(\\d+\\.\\d{2})$"}},
        "deposit": {"type": "number"},
        "tags": {"type": "set", "items": "string"},
        "rentalAgreement": {"type": "list", "items": {"type": "map", "properties": {"type": {"type": "string"}, "detail": {"type": "string"}}}},
        "anything": {"type": "any"}
    }))
}

fn mall_item() -> Map {
    item(json!({
        "cityId": "Tampa", "mallId": "International Plaza", "storeId": "Apple",
        "buildingId": "Neiman Wing", "unitId": "NW-1", "category": "electronics",
        "leaseEndDate": "2033-03-03", "rent": "25000.00"
    }))
}

fn pricing() -> AttributeSchema {
    schema(json!({
        "product": {"type": "string"},
        "price": {"type": "number", "required": true},
        "fee": {"type": "number", "watch": ["price"], "set": {"fn": "multiply", "of": "price", "by": 0.2}},
        "displayPrice": {"type": "string", "watch": ["price"], "get": {"fn": "prefix", "value": "$", "of": "price"}, "set": {"fn": "undefined"}},
        "description": {"type": "string"},
        "descriptionSearch": {"type": "string", "hidden": true, "watch": ["description"], "set": {"fn": "lower", "of": "description"}},
        "createdAt": {"type": "number", "readOnly": true, "set": {"fn": "const", "value": 1600000000000u64}},
        "updatedAt": {"type": "number", "readOnly": true, "watch": "*", "set": {"fn": "const", "value": 1700000000000u64}}
    }))
}

fn animals() -> AttributeSchema {
    schema(json!({
        "animal": {"type": "string", "required": true},
        "name": {"type": "string", "required": true},
        "dangerous": {"type": "boolean"},
        "birthday": {"type": "number"},
        "diet": {"type": "list", "items": {"type": "string"}},
        "veterinarian": {"type": "map", "properties": {"name": {"type": "string"}, "phone": {"type": "string"}, "visits": {"type": "number"}}},
        "offspring": {"type": "list", "items": {"type": "map", "properties": {"name": {"type": "string"}}}}
    }))
}

fn reason(result: Result<Map, Error>) -> (u16, String) {
    match result {
        Ok(m) => panic!("expected an error, got {m:?}"),
        Err(e) => (e.code(), e.reason().to_string()),
    }
}

#[test]
fn put_applies_defaults_watchers_and_set_conversion() {
    let s = pricing();
    let record = s
        .check_create(item(
            json!({"product": "widget", "price": 10, "description": "Shiny Widget"}),
        ))
        .unwrap();
    let applied = s.apply_attribute_setters_to_record(record).unwrap();
    assert_eq!(
        to_json(s.translate_to_fields(&applied)),
        json!({"product": "widget", "price": 10, "fee": 2, "description": "Shiny Widget",
               "descriptionSearch": "shiny widget", "createdAt": 1600000000000u64,
               "updatedAt": 1700000000000u64})
    );
    // A watcher runs on put even when what it watches is absent.
    let record = s
        .check_create(item(json!({"product": "Time Circuit", "price": 88})))
        .unwrap();
    let applied = s.apply_attribute_setters_to_record(record).unwrap();
    assert_eq!(applied.get("fee"), Some(&Value::from(17.6)));
    assert!(!applied.contains_key("descriptionSearch"));
}

#[test]
fn update_setters_fire_watchers_of_written_attributes_only() {
    let s = pricing();
    let out = s
        .apply_attribute_setters(item(json!({"price": 1210})))
        .unwrap();
    assert_eq!(
        to_json(out),
        json!({"price": 1210, "fee": 242, "updatedAt": 1700000000000u64})
    );
    let out = s
        .apply_attribute_setters(item(json!({"description": "TIME Travel Device"})))
        .unwrap();
    assert_eq!(
        to_json(out),
        json!({"description": "TIME Travel Device", "descriptionSearch": "time travel device",
               "updatedAt": 1700000000000u64})
    );
}

#[test]
fn reads_apply_getters_watchers_and_hide() {
    let s = pricing();
    assert!(s.fields_are_names, "no attribute has a field of its own");
    let stored =
        item(json!({"product": "widget", "price": 10, "descriptionSearch": "x", "pk": "$k"}));
    let out = s
        .format_item_for_retrieval(&stored, &RetrievalOptions::default())
        .unwrap();
    assert_eq!(
        to_json(out),
        json!({"product": "widget", "price": 10, "displayPrice": "$10"})
    );
    let options = RetrievalOptions {
        attributes: vec!["price".into()],
        include_keys: true,
    };
    let out = s.format_item_for_retrieval(&stored, &options).unwrap();
    assert_eq!(to_json(out), json!({"price": 10}));
    let options = RetrievalOptions {
        attributes: vec![],
        include_keys: true,
    };
    let out = s.format_item_for_retrieval(&stored, &options).unwrap();
    assert_eq!(out.get("pk"), Some(&Value::from("$k")));
}

#[test]
fn field_names_translate_both_ways_including_nested_maps_and_sets() {
    let s = schema(json!({
        "trackingNo": {"type": "string", "field": "tn"},
        "destination": {"type": "map", "field": "dest", "properties": {"city": {"type": "string"}, "zip": {"type": "string", "field": "postal"}}},
        "checkpoints": {"type": "list", "field": "cps", "items": {"type": "string"}},
        "labels": {"type": "set", "field": "lbl", "items": "string"}
    }));
    assert!(!s.fields_are_names, "reads must rename fields");
    let merged = crate::service::attributes::merge_schemas(&[&pricing(), &s]);
    assert!(!merged.fields_are_names, "a merged member renames fields");
    let record = s
        .check_create(item(json!({"trackingNo": "1Z", "destination": {"city": "Denver", "zip": "80202"},
                                   "checkpoints": ["Louisville"], "labels": ["fragile", "fragile", "up"]})))
        .unwrap();
    let applied = s.apply_attribute_setters_to_record(record).unwrap();
    let stored = s.translate_to_fields(&applied);
    assert_eq!(
        to_json(stored.clone()),
        json!({"tn": "1Z", "dest": {"city": "Denver", "postal": "80202"}, "cps": ["Louisville"],
               "lbl": {"$set": ["fragile", "up"]}})
    );
    let read = s
        .format_item_for_retrieval(&stored, &RetrievalOptions::default())
        .unwrap();
    assert_eq!(
        to_json(read),
        json!({"trackingNo": "1Z", "destination": {"city": "Denver", "zip": "80202"},
               "checkpoints": ["Louisville"], "labels": ["fragile", "up"]})
    );
    assert_eq!(
        s.get_attribute("tn").map(|a| a.name.as_str()),
        Some("trackingNo")
    );
    assert_eq!(
        s.get_attribute("destination.zip").map(|a| a.field.as_str()),
        Some("postal")
    );
}

#[test]
fn create_validation_messages_match_electrodb() {
    let s = mallstore();
    let mut bad = mall_item();
    bad.insert("category".into(), "spite".into());
    assert_eq!(
        reason(s.check_create(bad)),
        (3001, "Invalid value type at entity path: \"category\". Value not found in set of acceptable values: \"spite store\", \"food/coffee\", \"food/meal\", \"clothing\", \"electronics\", \"department\", \"misc\"".into())
    );
    let mut bad = mall_item();
    bad.insert("rent".into(), 25000.into());
    assert_eq!(
        reason(s.check_create(bad)).1,
        "Invalid value type at entity path: \"rent\". Received value of type \"number\", expected value of type \"string\""
    );
    let mut bad = mall_item();
    bad.insert("rent".into(), "25k".into());
    assert_eq!(
        reason(s.check_create(bad)).1,
        "Invalid value for attribute \"rent\": Failed model defined regex"
    );
    let mut bad = mall_item();
    bad.insert("deposit".into(), "5000".into());
    assert_eq!(
        reason(s.check_create(bad)).1,
        "Invalid value type at entity path: \"deposit\". Received value of type \"string\", expected value of type \"number\""
    );
    let mut bad = mall_item();
    bad.swap_remove("category");
    assert_eq!(
        reason(s.check_create(bad)).1,
        "Invalid value type at entity path: \"category\". Value is required."
    );
    let mut bad = mall_item();
    bad.insert("tags".into(), Value::List(vec!["apple".into(), 7.into()]));
    let err = s.check_create(bad).unwrap_err();
    assert_eq!(
        err.reason(),
        "Invalid value type at entity path: \"tags[*]\". Received value of type \"number\", expected value of type \"string\""
    );
    assert_eq!(err.fields()[0].field, "tags[*]");
    // Defaults are applied, `any` takes anything; an unknown key is refused (ElectroDB
    // drops it, losing the data).
    let mut ok = mall_item();
    ok.insert("anything".into(), Value::List(vec![]));
    let record = s.check_create(ok.clone()).unwrap();
    assert_eq!(record.get("discount"), Some(&Value::from("0.00")));
    ok.insert("bogus".into(), 1.into());
    let err = s.check_create(ok).unwrap_err();
    assert_eq!(err.code(), 3001);
    assert_eq!(err.fields()[0].field, "bogus");
}

#[test]
fn nested_failures_are_all_listed_with_paths() {
    let s = animals();
    let base = item(json!({"animal": "tiger", "name": "Rajah"}));
    let mut bad = base.clone();
    bad.insert("diet".into(), Value::from_json(&json!(["honey", 42, true])));
    let err = s.check_create(bad).unwrap_err();
    assert_eq!(err.fields().len(), 2);
    assert_eq!(
        err.reason(),
        "Invalid value type at entity path: \"diet[*]\". Received value of type \"number\", expected value of type \"string\", Invalid value type at entity path: \"diet[*]\". Received value of type \"boolean\", expected value of type \"string\""
    );
    let mut bad = base.clone();
    bad.insert(
        "veterinarian".into(),
        Value::from_json(&json!({"name": 1, "visits": "three"})),
    );
    let err = s.check_create(bad).unwrap_err();
    let fields: Vec<_> = err.fields().iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["veterinarian.name", "veterinarian.visits"]);
    let mut bad = base;
    bad.insert("veterinarian".into(), "vet".into());
    assert_eq!(
        reason(s.check_create(bad)).1,
        "Invalid value type at entity path: \"veterinarian\". Expected value to be an object to fulfill attribute type \"map\""
    );
}

#[test]
fn update_checks_paths_read_only_and_null() {
    let s = animals();
    let err = s
        .check_update(item(json!({"veterinarian.visits": "many"})), false)
        .unwrap_err();
    assert_eq!(
        err.reason(),
        "Invalid value type at entity path: \"veterinarian.visits\". Received value of type \"string\", expected value of type \"number\""
    );
    let err = s
        .check_update(item(json!({"birthday": null})), false)
        .unwrap_err();
    assert_eq!(
        err.reason(),
        "Invalid value type at entity path: \"birthday\". Received value of type \"object\", expected value of type \"number\""
    );
    let p = pricing();
    assert_eq!(
        reason(p.check_update(item(json!({"createdAt": 5})), false)).1,
        "Attribute \"createdAt\" is Read-Only and cannot be updated"
    );
    let out = s.check_update(item(json!({"birthday": 3})), false).unwrap();
    assert_eq!(to_json(out), json!({"birthday": 3}));
    let err = s
        .check_update(item(json!({"unknown": 1, "birthday": 3})), false)
        .unwrap_err();
    assert_eq!(err.fields()[0].field, "unknown");
}

#[test]
fn remove_and_operation_checks() {
    let s = schema(json!({
        "rent": {"type": "string", "required": true},
        "joinedOn": {"type": "string", "readOnly": true},
        "note": "string",
        "offspring": {"type": "list", "items": {"type": "map", "properties": {"name": {"type": "string", "readOnly": true}}}}
    }));
    assert_eq!(
        s.check_remove(&["joinedOn"]).unwrap_err().reason(),
        "Attribute \"joinedOn\" is Read-Only and cannot be removed"
    );
    assert_eq!(
        s.check_remove(&["nope"]).unwrap_err().reason(),
        "Attribute \"nope\" does not exist on model."
    );
    assert_eq!(
        s.check_remove(&["offspring[2].name"]).unwrap_err().reason(),
        "Attribute \"offspring[*].name\" is Read-Only and cannot be removed"
    );
    assert!(s.check_remove(&["note", "offspring"]).is_ok());
    let rent = s.get_attribute("rent").unwrap();
    assert_eq!(
        s.check_operation(rent, ItemOperation::Remove, None)
            .unwrap_err()
            .reason(),
        "Attribute \"rent\" is Required and cannot be removed"
    );
    assert_eq!(
        s.check_operation(rent, ItemOperation::Set, Some("x".into()))
            .unwrap(),
        Some(Value::from("x"))
    );
    let joined = s.get_attribute("joinedOn").unwrap();
    assert_eq!(
        s.check_operation(joined, ItemOperation::Set, None)
            .unwrap_err()
            .reason(),
        "Attribute \"joinedOn\" is Read-Only and cannot be updated"
    );
}

#[test]
fn validate_functions_follow_electrodb_3() {
    let s = schema(json!({
        "code": {"type": "string"},
        "status": {"type": "string", "validate": {"fn": "reject_value", "value": "void"}},
        "discountPct": {"type": "number", "validate": {"fn": "reason_if_value", "value": 15, "reason": "15 percent is reserved"}},
        "percent": {"type": "number", "validate": {"fn": "throw_if_value", "value": 0, "reason": "percent must not be zero"}}
    }));
    // Called with undefined when absent: reject_value and reason_if_value then fail,
    // and both failures are reported.
    let err = s.check_create(item(json!({"code": "a"}))).unwrap_err();
    assert_eq!(
        err.reason(),
        "Invalid value provided, Invalid value provided"
    );
    let fields: Vec<&str> = err.fields().iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["status", "discountPct"]);
    let err = s
        .check_create(item(json!({"status": "void", "discountPct": 40})))
        .unwrap_err();
    assert_eq!(
        (err.reason(), err.fields()[0].field.as_str()),
        ("Invalid value provided", "discountPct")
    );
    let err = s
        .check_create(item(
            json!({"status": "void", "discountPct": 15, "percent": 0}),
        ))
        .unwrap_err();
    assert_eq!(err.reason(), "percent must not be zero");
    assert!(
        s.check_create(item(
            json!({"status": "void", "discountPct": 15, "percent": 3})
        ))
        .is_ok()
    );
}

#[test]
fn regex_flags_and_non_string_values() {
    let s = schema(json!({
        "memberId": {"type": "string", "validate": {"regex": "^[a-z]{2}-\\d{3}$", "flags": "i"}},
        "n": {"type": "number", "validate": {"regex": "^\\d$"}}
    }));
    assert!(
        s.check_create(item(json!({"memberId": "FE-910", "n": 5})))
            .is_ok()
    );
    assert_eq!(
        reason(s.check_create(item(json!({"memberId": "FE-9090"})))).1,
        "Invalid value for attribute \"memberId\": Failed model defined regex"
    );
    assert!(s.check_create(item(json!({"n": 12}))).is_err());
}

#[test]
fn sets_accept_arrays_sets_and_single_values() {
    let s = schema(json!({
        "tags": {"type": "set", "items": "string"},
        "nums": {"type": "set", "items": "number"},
        "flags": {"type": "set", "items": "boolean"}
    }));
    let tags = s.get_attribute("tags").unwrap();
    assert_eq!(
        tags.get_validate(Some("one".into())).unwrap(),
        Some(Value::StringSet(vec!["one".into()]))
    );
    assert_eq!(
        tags.get_validate(Some(Value::from(true)))
            .unwrap_err()
            .reason(),
        "Invalid attribute value supplied to \"set\" attribute \"tags\". Received value of type \"boolean\". Set values must be supplied as either Arrays, native JavaScript Set objects, DocumentClient Set objects, strings, or numbers."
    );
    assert_eq!(
        tags.get_validate(Some(7.into())).unwrap_err().reason(),
        "Invalid value type at entity path: \"tags[*]\". Received value of type \"number\", expected value of type \"string\""
    );
    let nums = s.get_attribute("nums").unwrap();
    assert_eq!(
        nums.get_validate(Some(Value::List(vec![]))).unwrap(),
        Some(Value::NumberSet(vec![]))
    );
    assert!(!nums.acceptable(Some(&Value::List(vec![]))));
    let flags = s.get_attribute("flags").unwrap();
    assert_eq!(
        flags
            .get_validate(Some(Value::List(vec![true.into()])))
            .unwrap_err()
            .code(),
        3001
    );
}

#[test]
fn casting_refuses_nan_and_infinity() {
    let s = schema(
        json!({"n": {"type": "number", "cast": "number"}, "s": {"type": "string", "cast": "string"}}),
    );
    let out = s.check_create(item(json!({"n": "42", "s": 7}))).unwrap();
    assert_eq!(to_json(out), json!({"n": 42, "s": "7"}));
    assert_eq!(
        reason(s.check_create(item(json!({"n": "Infinity", "s": "x"})))).1,
        "Attribute n cannot be cast to type number. Doing so results in NaN"
    );
    // ElectroDB refuses an absent value for an attribute with `cast`.
    assert_eq!(
        reason(s.check_create(item(json!({"s": "x"})))).1,
        "Attribute n is undefined and cannot be cast to type number"
    );
}

#[test]
fn lookups_and_lists() {
    let s = schema(json!({
        "a": {"type": "string", "label": "A", "hidden": true},
        "b": {"type": "number", "required": true, "readOnly": true},
        "m": {"type": "map", "properties": {"x": {"type": "any"}, "y": "number"}}
    }));
    assert_eq!(s.labels().get("a").map(String::as_str), Some("A"));
    assert_eq!(s.hidden(), ["a"]);
    assert_eq!(s.required(), ["b"]);
    assert_eq!(s.read_only(), ["b"]);
    // `any` properties live at `parent.*`, as in ElectroDB.
    assert!(s.get_attribute("m.x").is_none());
    assert_eq!(s.get_attribute("m.*").map(|a| a.name.as_str()), Some("x"));
    // A nested shorthand spreads to nothing in ElectroDB: a string attribute.
    assert_eq!(
        s.get_attribute("m.y").map(|a| a.kind.type_name()),
        Some("string")
    );
    assert_eq!(s.field_name("zz"), None);
}

fn model_error(attrs: serde_json::Value, facets: &SchemaFacets) -> (u16, String) {
    match load(attrs, facets) {
        Ok(_) => panic!("expected a model error"),
        Err(e) => (e.code(), e.reason().to_string()),
    }
}

#[test]
fn model_errors_for_definitions() {
    let none = SchemaFacets::default();
    assert_eq!(
        model_error(json!({"id": "string", "tension": {"type": "decimal"}}), &none),
        (1008, "Invalid \"type\" property for attribute: \"tension\". Acceptable types include string, number, boolean, enum, map, set, list, any, custom, static".into())
    );
    assert_eq!(
        model_error(json!({"id": "string", "tension": {"type": "number", "watch": ["coilCount"]}}), &none),
        (1016, "Attribute Validation Error. The following attributes are defined to \"watch\" invalid/unknown attributes: \"tension\"->\"coilCount\".".into())
    );
    assert_eq!(
        model_error(json!({"a": "string", "b": {"type": "string", "watch": ["a"]}, "c": {"type": "string", "watch": ["b"]}}), &none).0,
        1016
    );
    assert_eq!(
        model_error(json!({"a": {"type": "string", "watch": "all"}}), &none).1,
        "Attribute Validation Error. The attribute 'a' is defined to \"watch\" an invalid value of: 'all'. The watch property must either be a an array of attribute names, or the single string value of \"*\"."
    );
    // ElectroDB's model JSON schema refuses a non-string, non-array watch first.
    assert_eq!(
        model_error(json!({"a": {"type": "string", "watch": true}}), &none),
        (
            1009,
            "instance.attributes.a.watch is not of a type(s) array,string".into()
        )
    );
    assert_eq!(
        model_error(json!({"a": {"type": "string", "field": "x"}, "b": {"type": "string", "field": "x"}}), &none),
        (1008, "Schema Validation Error. Attribute \"b\" property \"field\". Received: \"x\", Expected: \"Unique field property, already used by attribute a\"".into())
    );
    assert_eq!(
        model_error(json!({"s": {"type": "set", "items": "map"}}), &none).1,
        "Invalid \"items\" definition for Set attribute: \"undefined\". Acceptable item types include \"string\", \"boolean\", \"number\", \"enum\""
    );
    assert_eq!(model_error(json!({"m": {"type": "map"}}), &none).0, 1008);
    assert_eq!(
        model_error(json!({"a": {"type": "string", "cast": "date"}}), &none),
        (
            1009,
            "instance.attributes.a.cast is not one of enum values: string,number".into()
        )
    );
    assert_eq!(
        model_error(
            json!({"a": {"type": "string", "validate": {"regex": "(?=x)"}}}),
            &none
        )
        .0,
        1008
    );
    assert_eq!(
        model_error(json!({"a": {"type": "string", "default": {"fn": "nope"}}}), &none),
        (1008, "Invalid \"default\" property for attribute: \"a\". Unknown named function \"nope\" for \"default\"".into())
    );
}

fn key(
    index: &str,
    key_type: KeyType,
    field: &str,
    facets: &[&str],
    is_custom: bool,
) -> KeyFieldDefinition {
    KeyFieldDefinition {
        key_type: Some(key_type),
        field: field.into(),
        facets: facets.iter().map(|s| s.to_string()).collect(),
        is_custom,
        index: index.into(),
        access_pattern: "ap".into(),
        ..Default::default()
    }
}

fn by_field(field: &str, def: KeyFieldDefinition) -> SchemaFacets {
    let mut facets = SchemaFacets::default();
    facets
        .by_field
        .entry(field.to_string())
        .or_default()
        .insert(def.index.clone(), def);
    facets
}

#[test]
fn model_errors_for_index_fields() {
    let facets = by_field(
        "axleId",
        key("", KeyType::Pk, "axleId", &["axleId", "hub"], false),
    );
    assert_eq!(
        model_error(json!({"axleId": "string", "hub": "string"}), &facets),
        (1018, "Invalid definition for \"pk\" field on index \"(Primary Index)\". The pk field \"axleId\" shares a field name with an attribute defined on the Entity, and therefore is not allowed to contain composite references to other attributes. Please either change the field name of the attribute, or redefine the index to use only the single attribute \"axleId\".".into())
    );
    let facets = by_field(
        "carrier_code",
        key("gsi1", KeyType::Pk, "carrier_code", &["carrier"], false),
    );
    assert_eq!(
        model_error(json!({"carrier": {"type": "string", "field": "carrier_code"}}), &facets),
        (5001, "Unexpected definition for \"pk\" field on index \"gsi1\". The pk field \"carrier_code\" shares a field name with an attribute defined on the Entity, and therefore must be defined with a template. Please either change the field name of the attribute, or add a key template to the \"pk\" field on index \"gsi1\" with the value: \"${carrier_code}\"".into())
    );
    let mut def = key("gsi1", KeyType::Pk, "ropeId", &["ropeId"], true);
    def.in_collection = true;
    let facets = by_field("ropeId", def);
    assert_eq!(
        model_error(json!({"ropeId": "string"}), &facets),
        (1019, "Invalid use of a collection on index \"gsi1\". The pk field \"ropeId\" shares a field name with an attribute defined on the Entity, and therefore the index is not allowed to participate in a Collection. Please either change the field name of the attribute, or remove all collection(s) from the index.".into())
    );

    let mut facets = by_field(
        "accountId",
        key("", KeyType::Pk, "accountId", &["accountId"], true),
    );
    facets.labels.insert(
        "".into(),
        IndexLabels {
            pk: vec![
                TemplateLabel {
                    name: "accountId".into(),
                    label: "prefix_".into(),
                },
                TemplateLabel {
                    name: "".into(),
                    label: "_postfix".into(),
                },
            ],
            sk: vec![],
        },
    );
    let s = load(json!({"accountId": "string"}), &facets).unwrap();
    let a = s.get_attribute("accountId").unwrap();
    assert!(a.is_key_field);
    assert_eq!(
        (a.prefix.as_str(), a.postfix.as_str()),
        ("prefix_", "_postfix")
    );
    let read = s
        .apply_attribute_getters(item(json!({"accountId": "prefix_42_postfix"})))
        .unwrap();
    assert_eq!(read.get("accountId"), Some(&Value::from("42")));
    assert_eq!(model_error(json!({"accountId": "number"}), &facets).0, 1018);
}

#[test]
fn model_errors_for_composites_and_projections() {
    let mut facets = SchemaFacets::default();
    facets.by_attr.insert(
        "spec".into(),
        vec![CompositeRef {
            name: "spec".into(),
            index: "".into(),
            key_type: KeyType::Pk,
        }],
    );
    assert_eq!(
        model_error(json!({"spec": {"type": "map", "properties": {}}}), &facets),
        (1008, "Invalid composite attribute definition: Composite attributes must be one of the following: string, number, boolean, enum. The attribute \"spec\" is defined as being type \"map\" but is a composite attribute of the following indexes: Table Index".into())
    );
    let mut facets = SchemaFacets::default();
    facets.attributes.push(CompositeRef {
        name: "doorId".into(),
        index: "".into(),
        key_type: KeyType::Sk,
    });
    assert_eq!(
        model_error(json!({"id": "string"}), &facets),
        (1003, "Invalid key composite attribute template. The following composite attribute attributes were described in the key composite attribute template but were not included model's attributes: \"sk: doorId\"".into())
    );
    let mut facets = SchemaFacets::default();
    for name in ["id", "nope", "__edb_e__"] {
        facets.projections.push(ProjectionRef {
            name: name.into(),
            access_pattern: "byId".into(),
        });
    }
    assert_eq!(
        model_error(json!({"id": "string"}), &facets),
        (1025, "Unknown index projection attributes provided. The following access patterns were defined with unknown attributes: byId: \"id\", \"nope\", \"__edb_e__\"".into())
    );
    // Table index composites are read-only and remember their indexes.
    let mut facets = SchemaFacets::default();
    let composite = CompositeRef {
        name: "id".into(),
        index: "".into(),
        key_type: KeyType::Pk,
    };
    facets.by_index.insert(
        "".into(),
        IndexFacets {
            all: vec![composite.clone()],
        },
    );
    facets.by_attr.insert("id".into(), vec![composite]);
    let s = load(json!({"id": "string"}), &facets).unwrap();
    assert_eq!(s.read_only(), ["id"]);
    assert_eq!(s.get_attribute("id").unwrap().indexes.len(), 1);
}

#[test]
fn no_panics_on_odd_input() {
    let s = animals();
    for v in [
        json!(null),
        json!({"diet": "abc", "veterinarian": [1]}),
        json!({"offspring": {"$set": ["a"]}}),
        json!({"birthday": {"$binary": "AAE="}}),
    ] {
        let m = item(v);
        let _ = s.check_create(m.clone());
        let _ = s.apply_attribute_setters(m.clone());
        let _ = s.format_item_for_retrieval(&m, &RetrievalOptions::default());
    }
    for attrs in [
        json!({"a": null}),
        json!({"a": 5}),
        json!({"a": {"type": ["x", 1]}, "b": {"type": "list"}}),
    ] {
        let _ = load(attrs, &SchemaFacets::default());
    }
    // JavaScript iterates a string given to a list attribute by character.
    let read = s
        .apply_attribute_getters(item(json!({"diet": "ab"})))
        .unwrap();
    assert_eq!(to_json(read), json!({"diet": ["a", "b"]}));
}

#[test]
fn check_create_reports_every_failing_field() {
    use crate::schema::{AttributeSchema, NoFunctions, SchemaFacets};
    let attrs = serde_json::json!({
        "category": {"type": ["food", "misc"]},
        "rent": {"type": "number"},
        "name": {"type": "string", "required": true}
    });
    let schema = AttributeSchema::from_json(
        attrs.as_object().unwrap(),
        &SchemaFacets::default(),
        ("__edb_e__", "__edb_v__"),
        &NoFunctions,
    )
    .unwrap();
    let mut item = crate::Map::default();
    item.insert("category".into(), "toys".into());
    item.insert("rent".into(), "cheap".into());
    let err = schema.check_create(item).unwrap_err();
    assert_eq!(err.code(), 3001);
    let fields: Vec<&str> = err.fields().iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["category", "rent", "name"]);
    assert!(err.fields().iter().all(|f| !f.reason.is_empty()));
}

/// What a create writes for an attribute it is not given is worked out when the
/// model loads only when nothing at write time can change it; the write's record
/// is the same either way.
#[test]
fn absent_values_are_fixed_only_when_the_model_fixes_them() {
    use super::attribute_schema::Absent;
    let s = schema(json!({
        "note": {"type": "string"},
        "discount": {"type": "string", "default": "0.00", "validate": {"regex": "^(\\d+\\.\\d{2})$"}},
        "bad": {"type": "string", "default": "x", "validate": {"regex": "^\\d$"}},
        "stamp": {"type": "number", "default": {"fn": "const", "value": 7}},
        "name": {"type": "string", "required": true},
        "tags": {"type": "set", "items": "string", "default": ["a"]},
    }));
    let kinds: Vec<&str> = (s.absent.iter())
        .map(|a| match a {
            Absent::Nothing => "nothing",
            Absent::Constant(_) => "constant",
            Absent::Compute => "compute",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "nothing", "constant", "compute", "compute", "compute", "compute"
        ]
    );
    let record = s
        .check_create(item(json!({"name": "n", "bad": "1"})))
        .unwrap();
    assert_eq!(
        to_json(record),
        json!({"discount": "0.00", "bad": "1", "stamp": 7, "name": "n", "tags": {"$set": ["a"]}})
    );
    let (code, reason) = reason(s.check_create(item(json!({"name": "n"}))));
    assert_eq!(code, 3001);
    assert!(reason.contains("\"bad\""), "{reason}");
}

/// Which given values a create writes as they are, without `get_validate`: a
/// well-typed value of a plain attribute, never a non-finite number.
#[test]
fn plain_given_values_are_written_as_they_are() {
    use super::attribute_schema::Given;
    let s = schema(json!({
        "name": {"type": "string"},
        "count": {"type": "number"},
        "on": {"type": "boolean"},
        "code": {"type": "string", "validate": {"regex": "^a"}},
        "price": {"type": "number", "cast": "string"},
        "kind": {"type": ["a", "b"]},
    }));
    assert_eq!(
        s.given,
        [
            Given::String,
            Given::Number,
            Given::Boolean,
            Given::Check,
            Given::Check,
            Given::Enum
        ]
    );
    let attribute = |name: &str| s.attributes.get(name).expect("attribute");
    let count = attribute("count");
    assert!(Given::Number.accepts(count, &Value::from(1)));
    let nan = Value::Number(electro_expr::Number::from_float(f64::NAN));
    assert!(!Given::Number.accepts(count, &nan));
    assert!(!Given::String.accepts(attribute("name"), &Value::Null));
    assert!(Given::Enum.accepts(attribute("kind"), &Value::from("a")));
    assert!(!Given::Enum.accepts(attribute("kind"), &Value::from("c")));
    let (code, reason) = reason(s.check_create(item(json!({"name": 5, "count": "x"}))));
    assert_eq!(code, 3001);
    assert!(
        reason.contains("\"name\"") && reason.contains("\"count\""),
        "{reason}"
    );
}

/// The setter pass by position (its `watch: "*"`-only shortcut included) gives
/// what the general pass gives, on payloads that take the shortcut and on ones
/// that do not.
#[test]
fn setters_by_position_match_the_general_pass() {
    let s = schema(json!({
        "status": {"type": "string"},
        "points": {"type": "number"},
        "tags": {"type": "set", "items": "string"},
        "notes": {"type": "list", "items": {"type": "map", "properties": {"by": {"type": "string"}}}},
        "title": {"type": "string"},
        "titleLower": {"type": "string", "watch": ["title"], "set": {"fn": "lower", "of": "title"}},
        "shout": {"type": "string", "set": {"fn": "upper"}},
        "stamp": {"type": "number", "watch": "*", "set": {"fn": "const", "value": 7}},
        "gone": {"type": "string", "watch": "*", "set": {"fn": "undefined"}},
        "copy": {"type": "string", "watch": "*", "set": {"fn": "lower", "of": "status"}}
    }));
    let payloads = [
        // Plain values and a kept list: only the watch-all setters run.
        json!({"status": "OPEN", "points": 3, "notes": [{"by": "x"}]}),
        json!({}),
        // A set to convert, a watched attribute, a setter of its own, a watcher given.
        json!({"tags": ["a", "b"], "status": "x"}),
        json!({"title": "Dune", "points": 1}),
        json!({"shout": "hey"}),
        json!({"stamp": 1, "status": "y"}),
    ];
    for payload in payloads {
        let payload = item(payload);
        let positions: Vec<usize> = (payload.keys())
            .map(|k| s.attributes.get_index_of(k.as_str()).expect("attribute"))
            .collect();
        let general = s.apply_attribute_setters(payload.clone()).map(to_json);
        let by_position = s
            .apply_attribute_setters_at(payload.clone(), &positions)
            .map(to_json);
        assert_eq!(
            format!("{by_position:?}"),
            format!("{general:?}"),
            "{}",
            Value::Map(payload).to_json()
        );
    }
}
