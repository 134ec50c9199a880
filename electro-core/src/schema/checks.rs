//! The checks each write operation makes before building params: ElectroDB's
//! `checkCreate`, `checkUpdate`, `checkRemove` and `checkOperation`.

use super::attribute::Attribute;
use super::attribute_schema::{Absent, AttributeSchema};
use super::kind::ItemOperation;
use crate::error::{Error, FieldError, Result};
use electro_expr::{Map, Value};

impl AttributeSchema {
    /// Validates a whole item for put/create/upsert: each attribute in definition
    /// order is cast, defaulted and validated. Every failing attribute is reported
    /// in one error (3001) listing each field and reason (ElectroDB stops at the
    /// first; the code is the same). Keys that are not attributes are dropped;
    /// undefined attributes are left out of the returned record.
    ///
    /// ```
    /// # use electro_core::schema::{AttributeSchema, SchemaFacets, NoFunctions};
    /// # use electro_core::Map;
    /// # let attrs = serde_json::json!({"category": {"type": ["food", "misc"]}});
    /// # let schema = AttributeSchema::from_json(attrs.as_object().unwrap(), &SchemaFacets::default(), ("__edb_e__", "__edb_v__"), &NoFunctions).unwrap();
    /// let mut item = Map::default();
    /// item.insert("category".into(), "toys".into());
    /// let err = schema.check_create(item).unwrap_err();
    /// assert_eq!(err.code(), 3001);
    /// assert_eq!(err.reason(), "Invalid value type at entity path: \"category\". Value not found in set of acceptable values: \"food\", \"misc\"");
    /// ```
    pub fn check_create(&self, payload: Map) -> Result<Map> {
        Ok(self.record_of(self.check_create_values(payload)?))
    }

    /// The record of values by attribute position (from
    /// [`check_create_values`](Self::check_create_values)): each present value
    /// under its attribute's name, in definition order.
    pub(crate) fn record_of(&self, values: Vec<Option<Value>>) -> Map {
        let mut record = Map::with_capacity(values.iter().flatten().count());
        for (name, value) in self.attributes.keys().zip(values) {
            if let Some(v) = value {
                record.insert_unique(name.as_str().into(), v);
            }
        }
        record
    }

    /// [`check_create`](Self::check_create)'s checks, returning each attribute's
    /// value by its position in the schema (`None` when it has none): what a planned
    /// put builds its item from, with no lookup by name.
    pub(crate) fn check_create_values(&self, payload: Map) -> Result<Vec<Option<Value>>> {
        let mut values: Vec<Option<Value>> = Vec::with_capacity(self.attributes.len());
        values.resize_with(self.attributes.len(), || None);
        // Keys that are not attributes. ElectroDB drops them silently; that loses the
        // caller's data, so they are refused (key fields and identifiers, which
        // electro writes itself, are ignored).
        let mut unknown = Vec::new();
        let mut next = 0;
        for (key, value) in payload {
            match self.attribute_position(&key, next) {
                Some(i) => {
                    values[i] = Some(value);
                    next = i + 1;
                }
                None if self.system_fields.iter().any(|f| *f == key) => {}
                None => unknown.push(unknown_attribute(&key)),
            }
        }
        let mut failures = Vec::new();
        for (i, (attribute, slot)) in self.attributes.values().zip(values.iter_mut()).enumerate() {
            let value = slot.take();
            if let (Some(v), Some(given)) = (&value, self.given.get(i)) {
                if given.accepts(attribute, v) {
                    *slot = value;
                    continue;
                }
            }
            if value.is_none() {
                match self.absent.get(i) {
                    Some(Absent::Nothing) => continue,
                    Some(Absent::Constant(v)) => {
                        *slot = Some(v.clone());
                        continue;
                    }
                    _ => {}
                }
            }
            match attribute.get_validate(value) {
                Ok(v) => *slot = v,
                Err(Error::Validation { fields, .. }) => failures.extend(fields),
                Err(other) => return Err(other),
            }
        }
        failures.append(&mut unknown);
        if !failures.is_empty() {
            return Err(Error::validation(failures));
        }
        Ok(values)
    }

    /// The position of the attribute `name`, looked for first among the few after
    /// `from` (items usually list attributes in the model's order), then by hash.
    fn attribute_position(&self, name: &str, from: usize) -> Option<usize> {
        const SCAN: usize = 8;
        if let Some(i) = (self.attributes.keys().skip(from))
            .take(SCAN)
            .position(|k| k.len() == name.len() && k == name)
        {
            return Some(from + i);
        }
        self.attributes.get_index_of(name)
    }

    /// Validates the values of an update's `set` (paths may be nested): read-only
    /// attributes are refused unless `allow_read_only`; paths that are not attributes
    /// are skipped.
    ///
    /// ```
    /// # use electro_core::schema::{AttributeSchema, SchemaFacets, NoFunctions};
    /// # use electro_core::Map;
    /// # let attrs = serde_json::json!({"createdAt": {"type": "number", "readOnly": true}});
    /// # let schema = AttributeSchema::from_json(attrs.as_object().unwrap(), &SchemaFacets::default(), ("__edb_e__", "__edb_v__"), &NoFunctions).unwrap();
    /// let mut data = Map::default();
    /// data.insert("createdAt".into(), 1.into());
    /// let err = schema.check_update(data.clone(), false).unwrap_err();
    /// assert_eq!(err.reason(), "Attribute \"createdAt\" is Read-Only and cannot be updated");
    /// assert!(schema.check_update(data, true).is_ok());
    /// ```
    pub fn check_update(&self, payload: Map, allow_read_only: bool) -> Result<Map> {
        let mut record = Map::with_capacity(payload.len());
        self.validate_update(&payload, allow_read_only, |path, attribute, value| {
            if let Some(v) = attribute.get_validate(Some(value.clone()))? {
                record.insert(path.clone(), v);
            }
            Ok(())
        })?;
        Ok(record)
    }

    /// [`check_update`](Self::check_update) for a chain, which only needs the
    /// verdict: the payload is borrowed and no record is built.
    ///
    /// ```
    /// # use electro_core::schema::{AttributeSchema, SchemaFacets, NoFunctions};
    /// # use electro_core::Map;
    /// # let attrs = serde_json::json!({"rent": {"type": "number"}});
    /// # let schema = AttributeSchema::from_json(attrs.as_object().unwrap(), &SchemaFacets::default(), ("__edb_e__", "__edb_v__"), &NoFunctions).unwrap();
    /// let mut data = Map::default();
    /// data.insert("rent".into(), "a lot".into());
    /// assert!(schema.verify_update(&data, false).is_err());
    /// ```
    pub fn verify_update(&self, payload: &Map, allow_read_only: bool) -> Result<()> {
        self.validate_update(payload, allow_read_only, |_, attribute, value| {
            attribute.check_value(value)
        })
    }

    /// The checks of an update's values: `check` validates each value against its
    /// attribute (keeping it, or only judging it).
    fn validate_update(
        &self,
        payload: &Map,
        allow_read_only: bool,
        mut check: impl FnMut(&crate::Name, &Attribute, &Value) -> Result<()>,
    ) -> Result<()> {
        let mut failures = Vec::new();
        for (path, value) in payload {
            let Some(attribute) = self.attribute_at_exact(path) else {
                let root = path.split(['.', '[']).next().unwrap_or(path);
                if self.get_attribute(root).is_none() {
                    failures.push(unknown_attribute(path));
                }
                continue;
            };
            if attribute.read_only && !allow_read_only {
                return Err(read_only_update(attribute));
            }
            gather(&mut failures, check(path, attribute, value))?;
        }
        if !failures.is_empty() {
            return Err(Error::validation(failures));
        }
        Ok(())
    }

    /// [`AttributeSchema::verify_update`] for values whose attributes are known
    /// by position to be root attributes that may be updated (an update plan
    /// looked them up): only the values are checked, and a plain value its
    /// attribute takes as it is (see `Given`) not even those.
    pub(crate) fn verify_update_values<'a>(
        &self,
        checked: impl Iterator<Item = (usize, &'a Value)>,
    ) -> Result<()> {
        let mut failures = Vec::new();
        for (position, value) in checked {
            let Some((_, attribute)) = self.attributes.get_index(position) else {
                continue;
            };
            if self
                .given
                .get(position)
                .is_some_and(|g| g.accepts(attribute, value))
            {
                continue;
            }
            gather(&mut failures, attribute.check_value(value))?;
        }
        if !failures.is_empty() {
            return Err(Error::validation(failures));
        }
        Ok(())
    }

    /// Checks an update's `remove` paths: each must exist and be neither read-only
    /// nor required.
    ///
    /// ```
    /// # use electro_core::schema::{AttributeSchema, SchemaFacets, NoFunctions};
    /// # let attrs = serde_json::json!({"rent": {"type": "string", "required": true}});
    /// # let schema = AttributeSchema::from_json(attrs.as_object().unwrap(), &SchemaFacets::default(), ("__edb_e__", "__edb_v__"), &NoFunctions).unwrap();
    /// let err = schema.check_remove(&["rent"]).unwrap_err();
    /// assert_eq!(err.reason(), "Attribute \"rent\" is Required and cannot be removed");
    /// ```
    pub fn check_remove<S: AsRef<str>>(&self, paths: &[S]) -> Result<()> {
        for path in paths {
            let path = path.as_ref();
            let Some(attribute) = self.get_attribute(path) else {
                return Err(Error::invalid_attribute(
                    path,
                    format!("Attribute \"{path}\" does not exist on model."),
                ));
            };
            if attribute.read_only {
                return Err(Error::invalid_attribute(
                    &attribute.path,
                    format!(
                        "Attribute \"{}\" is Read-Only and cannot be removed",
                        attribute.path
                    ),
                ));
            }
            if attribute.required {
                return Err(required_remove(attribute));
            }
        }
        Ok(())
    }

    /// Checks one update operation on an attribute (from the `data` callback):
    /// required attributes cannot be removed, read-only ones cannot be changed, and
    /// a value, when given, is validated and returned as it will be written.
    ///
    /// ```
    /// # use electro_core::schema::{AttributeSchema, SchemaFacets, NoFunctions, ItemOperation};
    /// # let attrs = serde_json::json!({"deposit": "number"});
    /// # let schema = AttributeSchema::from_json(attrs.as_object().unwrap(), &SchemaFacets::default(), ("__edb_e__", "__edb_v__"), &NoFunctions).unwrap();
    /// let deposit = schema.get_attribute("deposit").unwrap();
    /// let err = schema.check_operation(deposit, ItemOperation::Add, Some("x".into())).unwrap_err();
    /// assert_eq!(err.code(), 3001);
    /// ```
    pub fn check_operation(
        &self,
        attribute: &Attribute,
        operation: ItemOperation,
        value: Option<Value>,
    ) -> Result<Option<Value>> {
        if attribute.required && operation == ItemOperation::Remove {
            return Err(required_remove(attribute));
        }
        if attribute.read_only {
            return Err(read_only_update(attribute));
        }
        match value {
            None => Ok(None),
            Some(v) => attribute.get_validate(Some(v)),
        }
    }
}

/// Adds a validation error's fields to `failures` (all are reported together);
/// any other error is returned.
fn gather(failures: &mut Vec<FieldError>, checked: Result<()>) -> Result<()> {
    match checked {
        Ok(()) => Ok(()),
        Err(Error::Validation { fields, .. }) => {
            failures.extend(fields);
            Ok(())
        }
        Err(other) => Err(other),
    }
}

fn unknown_attribute(name: &str) -> FieldError {
    FieldError {
        field: name.to_string(),
        reason: format!(
            "Attribute \"{name}\" is not defined on the entity: it would not be written"
        ),
    }
}

fn read_only_update(attribute: &Attribute) -> Error {
    Error::invalid_attribute(
        &attribute.path,
        format!(
            "Attribute \"{}\" is Read-Only and cannot be updated",
            attribute.path
        ),
    )
}

fn required_remove(attribute: &Attribute) -> Error {
    Error::invalid_attribute(
        &attribute.path,
        format!(
            "Attribute \"{}\" is Required and cannot be removed",
            attribute.path
        ),
    )
}
