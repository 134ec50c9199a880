//! The structural check ElectroDB runs on a model before anything else (its JSON
//! schema validation), failing with code 1009 and jsonschema-style messages.

use serde_json::Value as Json;

use super::fixings::ModelVersion;
use crate::error::{Error, ErrorCode, Result};

fn type_name(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "boolean",
        Json::Number(_) => "number",
        Json::String(_) => "string",
        Json::Array(_) => "array",
        Json::Object(_) => "object",
    }
}

struct Problems(Vec<String>);

impl Problems {
    fn expect(&mut self, v: Option<&Json>, path: &str, types: &[&str], required: bool) {
        match v {
            None | Some(Json::Null) => {
                if required {
                    self.0.push(format!("{path} is required"));
                }
            }
            Some(v) => {
                let t = type_name(v);
                if !types.contains(&t) {
                    self.0
                        .push(format!("{path} is not of a type(s) {}", types.join(",")));
                }
            }
        }
    }
}

fn check_key(p: &mut Problems, key: Option<&Json>, path: &str, required: bool) {
    p.expect(key, path, &["object"], required);
    let Some(Json::Object(obj)) = key else { return };
    p.expect(
        obj.get("field"),
        &format!("{path}.field"),
        &["string"],
        false,
    );
    p.expect(
        obj.get("facets"),
        &format!("{path}.facets"),
        &["array", "string"],
        false,
    );
    p.expect(
        obj.get("composite"),
        &format!("{path}.composite"),
        &["array"],
        false,
    );
    p.expect(
        obj.get("template"),
        &format!("{path}.template"),
        &["string"],
        false,
    );
    if let Some(c) = obj.get("casing").and_then(|c| c.as_str()) {
        if !["upper", "lower", "none", "default"].contains(&c) {
            p.0.push(format!(
                "{path}.casing is not one of enum values: upper,lower,none,default"
            ));
        }
    }
    if let Some(c) = obj.get("cast").and_then(|c| c.as_str()) {
        if !["string", "number"].contains(&c) {
            p.0.push(format!(
                "{path}.cast is not one of enum values: string,number"
            ));
        }
    }
}

fn check_common(p: &mut Problems, model: &serde_json::Map<String, Json>) {
    p.expect(model.get("table"), "instance.table", &["string"], false);
    p.expect(
        model.get("attributes"),
        "instance.attributes",
        &["object"],
        true,
    );
    p.expect(model.get("indexes"), "instance.indexes", &["object"], true);
    if let Some(Json::Object(indexes)) = model.get("indexes") {
        if indexes.is_empty() {
            p.0.push("instance.indexes does not meet minimum property length of 1".into());
        }
        for (name, def) in indexes {
            let path = format!("instance.indexes.{name}");
            p.expect(Some(def), &path, &["object"], true);
            let Json::Object(obj) = def else { continue };
            check_key(p, obj.get("pk"), &format!("{path}.pk"), true);
            check_key(p, obj.get("sk"), &format!("{path}.sk"), false);
            p.expect(
                obj.get("index"),
                &format!("{path}.index"),
                &["string"],
                false,
            );
            p.expect(
                obj.get("collection"),
                &format!("{path}.collection"),
                &["array", "string"],
                false,
            );
            p.expect(
                obj.get("projection"),
                &format!("{path}.projection"),
                &["array", "string"],
                false,
            );
        }
    }
    if let Some(Json::Object(attributes)) = model.get("attributes") {
        for (name, def) in attributes {
            let path = format!("instance.attributes.{name}");
            p.expect(Some(def), &path, &["object", "string", "array"], true);
        }
    }
}

/// Checks the model's shape; returns which of ElectroDB's two model shapes it is.
pub(crate) fn check_model_shape(model: &Json) -> Result<ModelVersion> {
    let Json::Object(obj) = model else {
        return Err(Error::new(
            ErrorCode::InvalidModel,
            format!(
                "instance is not of a type(s) object (received {})",
                type_name(model)
            ),
        ));
    };
    // The beta shape first, as the reference does; on failure, the v1 shape's errors.
    let mut beta = Problems(Vec::new());
    beta.expect(obj.get("service"), "instance.service", &["string"], true);
    beta.expect(obj.get("entity"), "instance.entity", &["string"], true);
    beta.expect(obj.get("version"), "instance.version", &["string"], false);
    check_common(&mut beta, obj);
    if beta.0.is_empty() {
        return Ok(ModelVersion::Beta);
    }
    let mut v1 = Problems(Vec::new());
    v1.expect(obj.get("model"), "instance.model", &["object"], true);
    if let Some(Json::Object(m)) = obj.get("model") {
        v1.expect(m.get("entity"), "instance.model.entity", &["string"], true);
        v1.expect(
            m.get("version"),
            "instance.model.version",
            &["string"],
            true,
        );
        v1.expect(
            m.get("service"),
            "instance.model.service",
            &["string"],
            true,
        );
    }
    check_common(&mut v1, obj);
    if v1.0.is_empty() {
        // `getModelVersion`: a model namespace with an entity name is v1.
        let has_v1_name = obj
            .get("model")
            .and_then(|m| m.get("entity"))
            .and_then(|e| e.as_str())
            .is_some_and(|s| !s.is_empty());
        return if has_v1_name {
            Ok(ModelVersion::V1)
        } else {
            Err(Error::new(ErrorCode::InvalidModel, "Invalid model"))
        };
    }
    Err(Error::new(ErrorCode::InvalidModel, v1.0.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn missing_entity_name_is_1009() {
        let err = check_model_shape(&json!({
            "model": {"service": "s", "version": "1"},
            "attributes": {}, "indexes": {"a": {"pk": {"field": "pk", "composite": []}}}
        }))
        .unwrap_err();
        assert_eq!(err.code(), 1009);
        assert_eq!(err.reason(), "instance.model.entity is required");
    }
}
