//! Turning a finished chain into DocumentClient-style params: a port of ElectroDB's
//! `params` clause, `_params`, `_queryParams`, `_makeUpdateParams`,
//! `_makePutParams`, `_makeScanParam`, batch params and projections.

use electro_expr::{Entry, ExpressionState, FilterExpression, OrderedMap, format_expression_name};
use std::borrow::Cow;

use super::chain::SkEntry;
use super::chain::{Chain, Method, QueryType, UpsertOperation};
use super::inline_list::InlineList;
use super::keys::{IndexKeyParams, IndexKeys, Supplied};
use super::options::{self, Compare, DataFormat, Normalized, Options};
use super::update_plan::{KeptOps, PlannedUpdate};
use crate::error::{Error, ErrorCode, Result};
use crate::model::{IndexType, Projection, TABLE_INDEX};
use crate::{Map, Name, Value};

/// What `.params()` produces: one request's params, or one per batch request.
#[derive(Clone, Debug, PartialEq)]
pub enum Built {
    /// One request.
    One(Map),
    /// A batch: one params object per request sent.
    Many(Vec<Map>),
}

fn s(v: &str) -> Value {
    Value::String(v.into())
}

/// The last operation and value (with its placeholder) applied to an update path.
type LastImpact = (&'static str, Option<(Value, crate::Name)>);

/// Moves an expression's names and values out into params maps: params are built
/// once per chain, so nothing is copied.
fn take_names_values(state: &mut ExpressionState) -> (Map, Map) {
    let (names, values) = std::mem::take(state).into_parts();
    (names.map_values(Value::String), values)
}

/// The filter's names and values, moved out; none when the chain filters nothing
/// (its filter expression was never created).
fn take_filter_names_values(filter: Option<&mut FilterExpression>) -> (Map, Map) {
    filter.map_or_else(Default::default, |f| take_names_values(f.state_mut()))
}

/// The filter's text, empty when the chain filters nothing.
fn filter_text(filter: Option<&FilterExpression>) -> &str {
    filter.map_or("", FilterExpression::build)
}

/// Whether `map` holds a key placeholder (`#pk`, `#sk1`, `#sk2` for `sigil` `#`;
/// `:pk`, ... for `:`), as a filter on attributes named so would make: then
/// [`add_placeholder`] looks each up, else it appends them.
fn holds_key_placeholder(map: &Map, sigil: u8) -> bool {
    map.keys().any(
        |k| matches!(k.as_bytes(), [s, b'p', b'k'] | [s, b's', b'k', b'1' | b'2'] if *s == sigil),
    )
}

/// Adds a key placeholder: appended without a search when the map `holds` none
/// (the usual case), else inserted (an existing key keeps its place and takes
/// the new value). Inlined: the call would cost as much as the append.
#[inline(always)]
fn add_placeholder(map: &mut Map, holds: bool, key: &'static str, value: Value) {
    if holds {
        map.insert(Name::const_new(key), value);
    } else {
        map.insert_unique(Name::const_new(key), value);
    }
}

/// Inserts `from` into `into` without replacing keys `into` has (the reference's
/// `Object.assign({}, from, into)`, keys compared as a map).
fn merge_under(into: &mut Map, from: impl ExactSizeIterator<Item = (Name, Value)>) {
    if from.len() <= 4 {
        // A few (a condition's key names): each searched for and appended, leaving
        // an unindexed map (names and values are appended unindexed) unindexed.
        for (k, v) in from {
            if !into.contains_key(&k) {
                into.insert_unique(k, v);
            }
        }
        return;
    }
    into.reserve(from.len());
    for (k, v) in from {
        into.entry(k).or_insert(v);
    }
}

/// `_consolidateQueryFacets`: the start and end sort composites. One entry (the
/// common case) is borrowed as is.
fn consolidate(sk: &InlineList<SkEntry>) -> (Cow<'_, Map>, Cow<'_, Map>) {
    if let [only] = &**sk {
        if !matches!(only.query_type, QueryType::Between | QueryType::And) {
            return (Cow::Borrowed(&only.facets), Cow::Borrowed(&only.facets));
        }
    }
    let (a, b) = consolidate_owned(sk);
    (Cow::Owned(a), Cow::Owned(b))
}

/// One side of `_consolidateQueryFacets` read in place: the sort composites of
/// every entry but those of type `skip`, a later entry's value winning, as the
/// consolidated copy would hold them. Key building only looks values up by name.
struct SkSide<'a> {
    entries: &'a [super::chain::SkEntry],
    skip: QueryType,
    /// The composites, when a single entry holds them all (the usual case).
    only: Option<&'a Map>,
}

impl<'a> SkSide<'a> {
    fn new(entries: &'a [super::chain::SkEntry], skip: QueryType) -> Self {
        // Entries without composites (a query's, before a `between`) add nothing.
        let mut side = entries
            .iter()
            .filter(|e| e.query_type != skip && !e.facets.is_empty());
        let only = match (side.next(), side.next()) {
            (Some(entry), None) => Some(&entry.facets),
            _ => None,
        };
        SkSide {
            entries,
            skip,
            only,
        }
    }
}

impl Supplied for SkSide<'_> {
    fn value(&self, name: &str) -> Option<&Value> {
        if let Some(only) = self.only {
            return only.get(name);
        }
        self.entries
            .iter()
            .rev()
            .filter(|e| e.query_type != self.skip)
            .find_map(|e| e.facets.get(name))
    }
    fn collect_into(&self, out: &mut Map) {
        for entry in self.entries.iter().filter(|e| e.query_type != self.skip) {
            entry.facets.collect_into(out);
        }
    }
}

fn consolidate_owned(sk: &[super::chain::SkEntry]) -> (Map, Map) {
    let mut sk1 = Map::default();
    let mut sk2 = Map::default();
    for entry in sk {
        match entry.query_type {
            QueryType::Between => extend(&mut sk1, &entry.facets),
            QueryType::And => extend(&mut sk2, &entry.facets),
            _ => {
                extend(&mut sk1, &entry.facets);
                extend(&mut sk2, &entry.facets);
            }
        }
    }
    (sk1, sk2)
}

fn extend(into: &mut Map, from: &Map) {
    for (k, v) in from {
        into.insert(k.clone(), v.clone());
    }
}

impl Chain {
    fn table_name(&self) -> Option<crate::Name> {
        self.table.clone().or_else(|| self.model.table.clone())
    }

    fn table_value(&self) -> Value {
        self.table_name().map(Value::from).unwrap_or(Value::Null)
    }

    /// The `params` clause: options, deferred work, then the method's params.
    pub(crate) fn build_params(
        &mut self,
        options: &Options,
        is_transaction: bool,
    ) -> Result<(Built, Normalized)> {
        if let Some(e) = self.error.take() {
            return Err(*e);
        }
        let has_table = options.table.as_deref().is_some_and(|t| !t.is_empty())
            || self.table_name().is_some_and(|t| !t.is_empty());
        if !has_table {
            return Err(Error::new(
                ErrorCode::MissingTable,
                "Table name not defined. Table names must be either defined on the model, instance configuration, or as a query option.",
            ));
        }
        // Indexes that do not project the identifiers cannot be owned: ElectroDB
        // then ignores ownership unless told otherwise.
        let mut default_ignore = self.ignore_ownership_default;
        if let Some(def) = self.index_def() {
            default_ignore = match &def.projection {
                Some(Projection::KeysOnly) => true,
                Some(Projection::Include(_)) => !def.identifiers_are_projected,
                _ => false,
            } || self.ignore_ownership_default;
        }
        let normalized = match self.options.as_deref() {
            Some(own) => options::normalize(&[own, options], default_ignore, is_transaction),
            None => options::normalize(&[options], default_ignore, is_transaction),
        };
        self.run_deferred(&normalized)?;
        let built = match self.method {
            Method::Query => Built::One(self.query_params(&normalized)?),
            Method::BatchWrite => Built::Many(self.batch_write_params(&normalized)?),
            Method::BatchGet => Built::Many(self.batch_get_params(&normalized)?),
            _ => {
                let mut p = self.single_params(&normalized)?;
                if self.method == Method::Update {
                    if let Some(Value::Map(values)) = p.get("ExpressionAttributeValues") {
                        if values.is_empty() {
                            p.shift_remove("ExpressionAttributeValues");
                        }
                    }
                }
                Built::One(p)
            }
        };
        Ok((built, normalized))
    }

    /// `_params`.
    fn single_params(&mut self, config: &Normalized) -> Result<Map> {
        let params = match self.method {
            Method::Get | Method::Check | Method::Delete => {
                self.simple_index_params(&consolidate(&self.sk).0)?
            }
            Method::Upsert => self.upsert_params(),
            Method::Put => self.put_params()?,
            Method::Update => {
                // Lent out of the chain for the call rather than copied.
                let sk = std::mem::take(&mut self.sk);
                let built = self.update_params(&consolidate(&sk).0);
                self.sk = sk;
                built?
            }
            Method::Scan => self.scan_params(config)?,
            other => {
                return Err(Error::new(
                    ErrorCode::UnknownError,
                    format!("Invalid method: {other:?}"),
                ));
            }
        };
        let mut params = apply_parameter_options(params, config);
        if self.method == Method::Get {
            params = self.apply_projection(params, config);
        }
        // Params are built once per chain: the condition is taken whole.
        Ok(match self.condition.take() {
            Some(condition) => apply_condition_expression(params, *condition),
            None => params,
        })
    }

    /// The item's table-index key (`Key`).
    fn table_key(&self, sk: &Map) -> Result<Map> {
        let sk = if self.sk_from_pk { &self.pk } else { sk };
        self.table_key_of(&self.pk, sk)
    }

    /// The table index key (`{pk, sk}`) of the given composites.
    pub(crate) fn table_key_of(&self, pk: &Map, sk: &Map) -> Result<Map> {
        Ok(self.model.make_index_key_map(TABLE_INDEX, pk, sk)?.0)
    }

    fn simple_index_params(&self, sk: &Map) -> Result<Map> {
        let key = self.table_key(sk)?;
        let mut p = Map::with_capacity(2);
        p.insert("Key".into(), Value::Map(key));
        p.insert("TableName".into(), self.table_value());
        Ok(p)
    }

    /// `_makePutParams`. Params are built once per chain, so the item is taken.
    fn put_params(&mut self) -> Result<Map> {
        if let Some(values) = self.planned_put.take() {
            let plan = self.model.put_plan.as_ref().ok_or_else(|| {
                Error::new(
                    ErrorCode::UnknownError,
                    "A planned put on a model without a plan",
                )
            })?;
            let item = plan.item(&self.model, values)?;
            return Ok(self.put_body(item));
        }
        let data = std::mem::take(&mut self.put_data);
        let applied = self.model.schema.apply_attribute_setters_to_record(data)?;
        let empty = Map::default();
        let sk = self.sk.first().map(|e| &e.facets).unwrap_or(&empty);
        let keys = self.model.get_put_keys(&self.pk, sk, &applied, false)?;
        let mut item = self.model.schema.translate_to_fields_owned(applied);
        item.reserve(keys.updated_keys.len() + 2);
        for (k, v) in keys.updated_keys {
            item.insert(k, v);
        }
        item.insert(
            self.model.identifiers.entity.as_str().into(),
            Value::String(self.model.entity.as_str().into()),
        );
        item.insert(
            self.model.identifiers.version.as_str().into(),
            Value::String(self.model.version.as_str().into()),
        );
        Ok(self.put_body(item))
    }

    /// `{Item, TableName}`.
    fn put_body(&self, item: Map) -> Map {
        let mut p = Map::with_capacity(2);
        p.insert_unique("Item".into(), Value::Map(item));
        p.insert_unique("TableName".into(), self.table_value());
        p
    }

    fn update_params(&mut self, sk: &Map) -> Result<Map> {
        if let Some(ops) = self.planned_update.take() {
            return self.planned_update_params(ops, sk);
        }
        let model = self.model.clone();
        // ElectroDB's update.paths / update.impacted, keyed by JSON path: the last
        // operation and value placeholder written for each path.
        let mut last: OrderedMap<LastImpact> = OrderedMap::with_capacity(self.update_impacts.len());
        for record in std::mem::take(&mut self.update_impacts) {
            match last.entry(record.path) {
                Entry::Occupied(mut e) => {
                    let entry = e.get_mut();
                    entry.0 = record.operation;
                    if record.value.is_some() {
                        entry.1 = record.value;
                    }
                }
                Entry::Vacant(e) => {
                    e.insert((record.operation, record.value));
                }
            }
        }
        let in_primary = |name: &str| self.pk.contains_key(name) || sk.contains_key(name);
        let read_only = model.schema.read_only();
        let mut removed = Map::default();
        // Sized for the setters' watchers too, so applying them does not regrow it.
        let mut modified_values = Map::with_capacity(last.len() + model.schema.watcher_room(true));
        // The values move to the setters; `last` keeps each path's placeholder.
        for (path, (operation, value)) in last.iter_mut() {
            if *operation == "remove" {
                removed.insert(path.as_str().into(), Value::String(path.as_str().into()));
            }
            if let Some((value, _)) = value {
                if !in_primary(path) && !read_only.iter().any(|r| r == path) {
                    // Each path is in `last` once.
                    modified_values.insert_unique(path.clone(), std::mem::take(value));
                }
            }
        }
        let modified_names = |path: &str| {
            last.get(path)
                .and_then(|(_, value)| value.as_ref())
                .map(|(_, placeholder)| placeholder)
        };
        let prepared = model.schema.apply_attribute_setters(modified_values)?;
        let no_composites = electro_expr::ValueMap::default();
        let composites = self
            .update
            .as_deref()
            .map_or(&no_composites, |u| u.composites());
        let keys = model.updated_keys(&self.pk, sk, &prepared, &removed, composites)?;
        let (table_pk, table_sk) = model.primary_key_fields();
        for (path, value) in prepared {
            if let Some(placeholder) = modified_names(&path) {
                self.update_mut()
                    .state_mut()
                    .update_value(placeholder, value);
            } else if let Some(attr) = model.schema.get_attribute(&path) {
                self.update_mut().set(attr.field.as_str(), value, false);
            } else {
                self.update_mut().set(&path, value, false);
            }
        }
        let not_table_key = |k: &str| k != table_pk && Some(k) != table_sk;
        for (key, value) in keys.updated_keys {
            if not_table_key(&key) && modified_names(&key).is_none() {
                self.update_mut().set(&key, value, false);
            }
        }
        for key in &keys.deleted_keys {
            if not_table_key(key) && modified_names(key).is_none() {
                self.update_mut().remove(key);
            }
        }
        // `{...pk, ...sk}`: partition composites first, the sort key's value winning.
        let pk = std::mem::take(&mut self.pk);
        let primary = pk
            .iter()
            .map(|(k, v)| (k, sk.get(k).unwrap_or(v)))
            .chain(sk.iter().filter(|(k, _)| !pk.contains_key(*k)));
        for (name, value) in primary {
            if let Some(attr) = model.schema.get_attribute(name) {
                let field = attr.field.as_str();
                if not_table_key(field) && modified_names(name).is_none() {
                    self.update_mut().set(field, value.clone(), false);
                }
            }
        }
        self.set_identifiers();
        Ok(self.update_body(keys.index_key))
    }

    fn upsert_params(&mut self) -> Map {
        let key = (self.upsert.as_mut())
            .and_then(|u| u.index_key.take())
            .unwrap_or_default();
        self.update_body(key)
    }

    /// Every write that updates marks the item as this entity's, at this version.
    fn set_identifiers(&mut self) {
        let model = std::sync::Arc::clone(&self.model);
        self.update_mut().set(
            &model.identifiers.entity,
            Value::String(model.entity.as_str().into()),
            false,
        );
        self.update_mut().set(
            &model.identifiers.version,
            Value::String(model.version.as_str().into()),
            false,
        );
    }

    /// [`Chain::update_params`] for operations kept for the model's update plan:
    /// the same params, written by slot.
    fn planned_update_params(&mut self, ops: KeptOps, sk: &Map) -> Result<Map> {
        let model = std::sync::Arc::clone(&self.model);
        let plan = model.update_plan.as_ref().ok_or_else(|| {
            Error::new(
                ErrorCode::UnknownError,
                "A planned update on a model without a plan",
            )
        })?;
        let mut update = PlannedUpdate::new(plan, &model, ops.len());
        ops.write_into(&mut update)?;
        let built = update.finish(&self.pk, sk)?;
        Ok(self.update_body_of(built.expression, built.names, built.values, built.key))
    }

    /// UpdateItem params from the update expression, which is taken.
    fn update_body(&mut self, key: Map) -> Map {
        let expression = self.update_mut().build();
        let (names, values) = take_names_values(self.update_mut().state_mut());
        self.update_body_of(expression, names, values, key)
    }

    /// `{UpdateExpression, ExpressionAttributeNames, ExpressionAttributeValues,
    /// TableName, Key}`.
    fn update_body_of(&self, expression: String, names: Map, values: Map, key: Map) -> Map {
        // A new map of distinct static names (the longest would not fit inline).
        let mut p = Map::with_capacity(6);
        p.insert_unique(
            Name::const_new("UpdateExpression"),
            Value::String(expression.into()),
        );
        p.insert_unique(
            Name::const_new("ExpressionAttributeNames"),
            Value::Map(names),
        );
        p.insert_unique(
            Name::const_new("ExpressionAttributeValues"),
            Value::Map(values),
        );
        p.insert_unique(Name::const_new("TableName"), self.table_value());
        p.insert_unique(Name::const_new("Key"), Value::Map(key));
        p
    }

    /// The upsert's deferred work: keys, then SET for key-relevant data and the
    /// requested operation for the rest.
    pub(crate) fn build_upsert(&mut self) -> Result<()> {
        let model = self.model.clone();
        self.set_identifiers();
        let mut set_data = Map::default();
        let mut non_set_data = Map::default();
        let mut all_data = Map::default();
        let empty = Default::default();
        let data = self.upsert.as_ref().map_or(&empty, |u| &u.data);
        for (name, (op, value)) in data {
            all_data.insert(name.as_str().into(), value.clone());
            if *op == UpsertOperation::Set {
                set_data.insert(name.as_str().into(), value.clone());
            } else {
                non_set_data.insert(name.as_str().into(), value.clone());
            }
        }
        let upsert_data = model.schema.check_create(all_data.clone())?;
        let names = self.composite_attributes();
        let (pk_names, sk_names) = (&names.0, &names.1);
        let pk_composite = Chain::expect_facets(&upsert_data, pk_names)?;
        self.include_on_response = pk_composite.clone();
        self.set_pk(pk_composite.clone());
        let index_has_sk = self.index_def().is_some_and(|i| i.has_sk());
        if index_has_sk {
            Chain::expect_facets(&upsert_data, sk_names)?;
            let sk_composite = Chain::build_query_composites(&upsert_data, sk_names);
            self.set_sk(sk_composite.clone());
            let mut include = sk_composite;
            extend(&mut include, &pk_composite);
            self.include_on_response = include;
        }
        let applied = model
            .schema
            .apply_attribute_setters_to_record(upsert_data)?;
        let mut only_set = Map::default();
        for (name, value) in &applied {
            let is_set_op = set_data.contains_key(name);
            let from_setters = !all_data.contains_key(name);
            if (is_set_op || from_setters) && !matches!(value, Value::Null) {
                only_set.insert(name.clone(), value.clone());
            }
        }
        let sk = self
            .sk
            .first()
            .map(|e| e.facets.clone())
            .unwrap_or_default();
        let keys = model.get_put_keys(&self.pk, &sk, &only_set, true)?;
        for deleted in &keys.deleted_keys {
            self.update_mut().remove(deleted);
        }
        self.upsert_mut().index_key = Some(keys.index_key.clone());
        let mut set_fields = model.schema.translate_to_fields(&only_set);
        for (key, value) in &keys.updated_keys {
            if keys.index_key.contains_key(key) {
                set_fields.shift_remove(key);
            } else {
                set_fields.insert(key.clone(), value.clone());
            }
        }
        self.apply_upsert_fields(&set_fields, UpsertOperation::Set)?;
        for name in non_set_data.keys() {
            let Some(value) = applied.get(name) else {
                continue;
            };
            let op = (self.upsert.as_ref()).and_then(|u| u.data.get(name.as_str()));
            let Some((op, _)) = op.cloned() else {
                continue;
            };
            let mut one = Map::default();
            one.insert(name.clone(), value.clone());
            let fields = model.schema.translate_to_fields(&one);
            self.apply_upsert_fields(&fields, op)?;
        }
        Ok(())
    }

    /// `_maybeApplyUpsertUpdate`.
    fn apply_upsert_fields(&mut self, fields: &Map, op: UpsertOperation) -> Result<()> {
        let model = self.model.clone();
        for (field, value) in fields {
            match model.schema.attribute_name(field) {
                Some(name) => {
                    let is_composite = model.facets.by_attr.contains_key(name);
                    if model.schema.read_only().iter().any(|n| n == name) && !is_composite {
                        self.update_mut().set(field, value.clone(), true);
                    } else {
                        let mut one = Map::default();
                        one.insert(name.into(), value.clone());
                        self.update_from_object(op.update_op(), one, true)?;
                    }
                }
                None => {
                    self.update_mut()
                        .set(field, value.clone(), op == UpsertOperation::IfNotExists)
                }
            }
        }
        Ok(())
    }

    fn scan_params(&mut self, config: &Normalized) -> Result<Map> {
        let index = self.index.as_str();
        let def = self.model.index_by_name(index).ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidQueryParameters,
                format!("Invalid index: {index}"),
            )
        })?;
        let empty = Map::default();
        let keys = self
            .model
            .make_index_keys(index, &empty, &[], IndexKeyParams::default())?;
        let mut key_values: Vec<(String, Value)> = Vec::new();
        if let Some(pk) = keys
            .pk
            .filter(|v| !matches!(v, Value::String(s) if s.is_empty()))
        {
            key_values.push((def.pk.field.clone(), pk));
        }
        if let (Some(sk_field), Some(sk)) = (def.sk_field(), keys.sk.into_iter().flatten().next()) {
            if !matches!(&sk, Value::String(s) if s.is_empty()) {
                key_values.push((sk_field.to_string(), sk));
            }
        }
        let (mut names, mut values) = take_filter_names_values(self.filter.as_deref_mut());
        for (field, value) in &key_values {
            names.insert(
                compact_str::format_compact!("#{field}"),
                Value::String(field.as_str().into()),
            );
            values.insert(compact_str::format_compact!(":{field}"), value.clone());
        }
        let mut p = Map::default();
        p.insert("TableName".into(), self.table_value());
        if !names.is_empty() {
            p.insert("ExpressionAttributeNames".into(), Value::Map(names));
        }
        if !values.is_empty() {
            p.insert("ExpressionAttributeValues".into(), Value::Map(values));
        }
        let mut filters: Vec<String> = key_values
            .iter()
            .map(|(field, _)| format!("begins_with(#{field}, :{field})"))
            .collect();
        let built = filter_text(self.filter.as_deref());
        if !built.is_empty() {
            filters.push(built.to_string());
        }
        if !filters.is_empty() {
            p.insert(
                "FilterExpression".into(),
                Value::String(filters.join(" AND ").into()),
            );
        }
        if !index.is_empty() {
            p.insert("IndexName".into(), s(index));
        }
        Ok(self.apply_projection(p, config))
    }

    /// `_queryParams`.
    fn query_params(&mut self, config: &Normalized) -> Result<Map> {
        let def = self.index_def().ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidQueryParameters,
                format!("Invalid index: {}", self.index),
            )
        })?;
        if def.index_type == IndexType::Composite {
            let params = self.composite_query_params(config)?;
            let params = apply_parameter_options(params, config);
            return Ok(self.apply_projection(params, config));
        }
        // The start (everything but `and`) and end (everything but `between`) sort
        // composites, read in place.
        let sk1 = SkSide::new(&self.sk, QueryType::And);
        let sk2 = SkSide::new(&self.sk, QueryType::Between);
        let exclude_postfix = self.index_type == IndexType::Clustered && config.is_collection_query;
        let params = if self.query_type == QueryType::Is {
            IndexKeyParams {
                without_tail: false,
                exclude_postfix,
                transforms: [false, false],
            }
        } else {
            let v2 = config.compare == Compare::V2;
            let transforms = match self.query_type {
                QueryType::Between if v2 => [false, true],
                QueryType::Lte | QueryType::Gt if v2 => [true, false],
                _ => [false, false],
            };
            IndexKeyParams {
                without_tail: true,
                exclude_postfix,
                transforms,
            }
        };
        let (def, fixings) = self
            .index_position
            .and_then(|i| self.model.index_and_fixings_at(i, &self.index))
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::InvalidQueryParameters,
                    format!("Invalid index: {}", self.index),
                )
            })?;
        let IndexKeys { pk, sk, .. } =
            self.model
                .make_index_keys_of(def, fixings, &self.pk, &[&sk1, &sk2], params)?;
        let pk = pk.unwrap_or(Value::Null);
        let mut sk = sk.into_iter().flatten();
        let params = match self.query_type {
            QueryType::Is => self.is_query_params(pk, sk.next()),
            QueryType::Begins | QueryType::ClusteredCollection => {
                self.inclusive_query_params(pk, sk.next(), false)
            }
            QueryType::Collection => {
                let collection_sk = self.collection_sk();
                self.inclusive_query_params(pk, Some(Value::String(collection_sk)), false)
            }
            QueryType::Between => {
                let (start, end) = (sk.next(), sk.next());
                self.finish_query(
                    pk,
                    [start, end],
                    1,
                    Name::const_new("#pk = :pk and #sk1 BETWEEN :sk1 AND :sk2"),
                )
            }
            QueryType::Gt | QueryType::Gte | QueryType::Lt | QueryType::Lte => {
                self.comparison_query_params(pk, sk.next(), config)?
            }
            other => {
                return Err(Error::new(
                    ErrorCode::InvalidQueryParameters,
                    format!("Invalid query type: {other:?}"),
                ));
            }
        };
        let params = apply_parameter_options(params, config);
        Ok(self.apply_projection(params, config))
    }

    /// `_compositeQueryParams`: indexes whose keys are the attributes themselves
    /// (DynamoDB's multi-attribute keys) are queried on each attribute.
    fn composite_query_params(&mut self, config: &Normalized) -> Result<Map> {
        let mut state = ExpressionState::with_prefix("k_");
        let mut expressions: Vec<String> = Vec::new();
        let field = |name: &str| -> String {
            self.model
                .schema
                .field_name(name)
                .unwrap_or(name)
                .to_string()
        };
        let (sk1, _) = consolidate(&self.sk);
        let model = std::sync::Arc::clone(&self.model);
        let sk_names: &[String] = model
            .facets
            .of_index(&self.index)
            .map_or(&[], |f| f.sk.as_slice());
        let eq = |state: &mut ExpressionState, name: &str, value: &Value| {
            let path = state.set_name(None, name, &field(name));
            let v = state.set_value(name, value.clone());
            format!("{} = {v}", path.expression)
        };
        if self.query_type == QueryType::Between {
            for (name, value) in &self.pk {
                expressions.push(eq(&mut state, name, value));
            }
            let (mut is, mut start, mut end) = (Map::default(), Map::default(), Map::default());
            for entry in &self.sk {
                match entry.query_type {
                    QueryType::Is | QueryType::CompositeCollection => is = entry.facets.clone(),
                    QueryType::Between => start = entry.facets.clone(),
                    QueryType::And => end = entry.facets.clone(),
                    _ => {
                        return Err(Error::new(
                            ErrorCode::UnknownError,
                            "Internal error: Invalid sort key type in composite between query",
                        ));
                    }
                }
            }
            let mut last_found: Option<&str> = None;
            for name in sk_names {
                let (s, e) = (start.get(name.as_str()), end.get(name.as_str()));
                if is.contains_key(name.as_str()) || (s.is_some() && e.is_some()) {
                    last_found = Some(name);
                } else if s.is_some() || e.is_some() {
                    return Err(Error::new(
                        ErrorCode::InvalidQueryParameters,
                        format!(
                            "Invalid attribute combination provided to between query. Between queries on composite indexes must have the same attribute for start and end values until the last sort key attribute. The provided attribute {name} is missing {} value. This is a DynamoDB constraint.",
                            if s.is_some() { "an end" } else { "a start" }
                        ),
                    ));
                } else {
                    break;
                }
            }
            for name in sk_names {
                if last_found == Some(name.as_str()) {
                    let path = state.set_name(None, name, &field(name));
                    let a = state
                        .set_value(name, start.get(name.as_str()).cloned().unwrap_or_default());
                    let b =
                        state.set_value(name, end.get(name.as_str()).cloned().unwrap_or_default());
                    expressions.push(format!("{} BETWEEN {a} AND {b}", path.expression));
                } else if let Some(v) = is.get(name.as_str()) {
                    expressions.push(eq(&mut state, name, v));
                } else if let (Some(s), Some(e)) =
                    (start.get(name.as_str()), end.get(name.as_str()))
                {
                    if s != e {
                        return Err(Error::new(
                            ErrorCode::InvalidQueryParameters,
                            format!(
                                "Invalid attribute combination provided to between query. Between queries on composite indexes must have the same attribute for start and end values until the last sort key attribute. The provided attribute {name} has different start and end values. This is a DynamoDB constraint."
                            ),
                        ));
                    }
                    expressions.push(eq(&mut state, name, s));
                }
            }
        } else {
            let all: &[(crate::model::KeyType, String)] = model
                .facets
                .of_index(&self.index)
                .map_or(&[], |f| f.all.as_slice());
            let mut attrs: Vec<(crate::model::KeyType, &str, &Value)> = Vec::new();
            for (key_type, name) in all {
                let value = match key_type {
                    crate::model::KeyType::Pk => self.pk.get(name.as_str()),
                    crate::model::KeyType::Sk => sk1.get(name.as_str()),
                };
                let Some(value) = value else { break };
                attrs.push((*key_type, name, value));
            }
            let count = attrs.len();
            for (i, (key_type, name, value)) in attrs.into_iter().enumerate() {
                let path = state.set_name(None, name, &field(name));
                let v = state.set_value(name, value.clone());
                let n = &path.expression;
                let last_sk = key_type == crate::model::KeyType::Sk && i == count - 1;
                if !last_sk {
                    expressions.push(format!("{n} = {v}"));
                    continue;
                }
                expressions.push(match self.query_type {
                    QueryType::Is
                    | QueryType::Eq
                    | QueryType::Collection
                    | QueryType::CompositeCollection => format!("{n} = {v}"),
                    QueryType::Begins => format!("begins_with({n}, {v})"),
                    QueryType::Gt => format!("{n} > {v}"),
                    QueryType::Gte => format!("{n} >= {v}"),
                    QueryType::Lt => format!("{n} < {v}"),
                    QueryType::Lte => format!("{n} <= {v}"),
                    _ => {
                        return Err(Error::new(
                            ErrorCode::InvalidQueryParameters,
                            "This sort key comparison is not supported on composite indexes",
                        ));
                    }
                });
            }
        }
        let identifier_expression = if !config.ignore_ownership && self.custom.expression.is_empty()
        {
            let ids = &self.model.identifiers;
            let name_ref = state.set_name(None, &ids.entity, &ids.entity);
            let version_ref = state.set_name(None, &ids.version, &ids.version);
            let name_val = state.set_value(
                &format!("{}_{}", ids.entity, self.model.entity),
                Value::String(self.model.entity.as_str().into()),
            );
            let version_val = state.set_value(
                &format!("{}_{}", ids.version, self.model.entity),
                Value::String(self.model.version.as_str().into()),
            );
            format!(
                "({} = {name_val} AND {} = {version_val})",
                name_ref.expression, version_ref.expression
            )
        } else {
            String::new()
        };
        // `{...filter, ...keys, ...custom}`: later maps win.
        let (mut names, mut values) = take_filter_names_values(self.filter.as_deref_mut());
        let (key_names, key_values) = take_names_values(&mut state);
        names.extend(key_names);
        values.extend(key_values);
        // Like the filter's state, the custom expressions are spent here.
        names.extend(std::mem::take(&mut self.custom.names));
        values.extend(std::mem::take(&mut self.custom.values));
        let mut p = Map::default();
        p.insert("IndexName".into(), s(&self.index));
        p.insert(
            "KeyConditionExpression".into(),
            Value::String(expressions.join(" AND ").into()),
        );
        p.insert("TableName".into(), self.table_value());
        p.insert("ExpressionAttributeNames".into(), Value::Map(names));
        p.insert("ExpressionAttributeValues".into(), Value::Map(values));
        let filters: Vec<&str> = [
            self.custom.expression.trim(),
            filter_text(self.filter.as_deref()).trim(),
            identifier_expression.trim(),
        ]
        .into_iter()
        .filter(|f| !f.is_empty())
        .collect();
        if !filters.is_empty() {
            p.insert(
                "FilterExpression".into(),
                Value::String(filters.join(" AND ").into()),
            );
        }
        Ok(p)
    }

    /// The sort key a collection query begins with (made when the model loaded).
    fn collection_sk(&self) -> crate::Name {
        self.model
            .collection_sks
            .get(&self.collection)
            .cloned()
            .unwrap_or_default()
    }

    /// `_queryKeyExpressionAttributeBuilder` and the merge that follows it:
    /// `{...filter, ...keys, ...custom}` (later maps win), written straight into
    /// the params' maps. The key placeholders are `#pk`/`:pk`, then `:sk1`, `:sk2`
    /// for each sort key (at most two), of which the first `named_sks` also name
    /// `#sk{n}`.
    fn finish_query<const N: usize>(
        &mut self,
        pk: Value,
        sks: [Option<Value>; N],
        named_sks: usize,
        key_condition: Name,
    ) -> Map {
        let model = std::sync::Arc::clone(&self.model);
        let (pk_field, sk_field) = self
            .index_position
            .map(|i| &model.indexes[i])
            .map(|i| (i.pk.field.as_str(), i.sk_field().unwrap_or_default()))
            .unwrap_or_default();
        let sk_count = sks.iter().flatten().count();
        let named_sks = named_sks.min(sk_count);
        // The filter is spent here: its text and placeholders move into the params.
        let (filter, state) = match self.filter.take() {
            Some(f) => f.into_parts(),
            None => Default::default(),
        };
        let (filter_names, filter_values) = state.into_parts();
        let custom = std::mem::take(&mut self.custom);
        let mut names = Map::with_capacity(filter_names.len() + 1 + named_sks + custom.names.len());
        for (k, v) in filter_names {
            names.insert_unique(k, Value::String(v));
        }
        let mut values = filter_values;
        values.reserve(1 + sk_count + custom.values.len());
        // The key placeholders, appended unless the filter made one already.
        const { assert!(N <= 2, "a key condition compares at most two sort keys") };
        let mut sks = sks.into_iter().flatten();
        let (sk1, sk2) = (sks.next(), sks.next());
        let holds = holds_key_placeholder(&names, b'#');
        add_placeholder(&mut names, holds, "#pk", Value::String(pk_field.into()));
        if named_sks >= 1 {
            add_placeholder(&mut names, holds, "#sk1", Value::String(sk_field.into()));
        }
        if named_sks >= 2 {
            add_placeholder(&mut names, holds, "#sk2", Value::String(sk_field.into()));
        }
        let holds = holds_key_placeholder(&values, b':');
        add_placeholder(&mut values, holds, ":pk", pk);
        if let Some(sk1) = sk1 {
            add_placeholder(&mut values, holds, ":sk1", sk1);
        }
        if let Some(sk2) = sk2 {
            add_placeholder(&mut values, holds, ":sk2", sk2);
        }
        // Like the filter's state, the custom expressions are spent here.
        if !custom.names.is_empty() {
            names.extend(custom.names);
        }
        if !custom.values.is_empty() {
            values.extend(custom.values);
        }
        let mut p = Map::with_capacity(6);
        p.insert_unique(
            Name::const_new("KeyConditionExpression"),
            Value::String(key_condition),
        );
        p.insert_unique(Name::const_new("TableName"), self.table_value());
        p.insert_unique(
            Name::const_new("ExpressionAttributeNames"),
            Value::Map(names),
        );
        p.insert_unique(
            Name::const_new("ExpressionAttributeValues"),
            Value::Map(values),
        );
        if !self.index.is_empty() {
            p.insert_unique(Name::const_new("IndexName"), s(&self.index));
        }
        let custom = custom.expression;
        let expression: Name = match (custom.is_empty(), filter.is_empty()) {
            (true, true) => return p,
            (false, true) => custom.into(),
            (true, false) => filter.into(),
            (false, false) => {
                let mut e = Name::with_capacity(custom.len() + 5 + filter.len());
                e.push_str(&custom);
                e.push_str(" AND ");
                e.push_str(&filter);
                e
            }
        };
        p.insert_unique(
            Name::const_new("FilterExpression"),
            Value::String(expression),
        );
        p
    }

    fn inclusive_query_params(&mut self, pk: Value, sk: Option<Value>, is_eq: bool) -> Map {
        let has_sk = self.index_def().is_some_and(|i| i.has_sk());
        let usable = match &sk {
            Some(Value::Number(_)) => true,
            Some(Value::String(s)) => !s.is_empty(),
            _ => false,
        };
        if has_sk && usable {
            let condition = if is_eq {
                Name::const_new("#pk = :pk and #sk1 = :sk1")
            } else {
                Name::const_new("#pk = :pk and begins_with(#sk1, :sk1)")
            };
            self.finish_query(pk, [sk], 1, condition)
        } else {
            self.finish_query(pk, [], 0, Name::const_new("#pk = :pk"))
        }
    }

    fn is_query_params(&mut self, pk: Value, sk: Option<Value>) -> Map {
        // Whether every sort composite was given: then the key is compared whole.
        let complete = {
            let definition: &[String] = self
                .model
                .facets
                .of_index(&self.index)
                .map_or(&[], |f| f.sk.as_slice());
            // The sort composites provided: every name in the sort key entries (a
            // query chain records all it was given there).
            let entries = &self.sk;
            let provided = |name: &str| entries.iter().any(|e| e.facets.contains_key(name));
            let distinct_provided: usize = entries
                .iter()
                .enumerate()
                .map(|(i, e)| {
                    e.facets
                        .keys()
                        .filter(|k| !entries[..i].iter().any(|p| p.facets.contains_key(*k)))
                        .count()
                })
                .sum();
            let unique = definition
                .iter()
                .enumerate()
                .filter(|(i, a)| !definition[..*i].contains(a))
                .count();
            unique == distinct_provided && definition.iter().all(|a| provided(a))
        };
        self.inclusive_query_params(pk, sk, complete)
    }

    fn comparison_query_params(
        &mut self,
        pk: Value,
        sk: Option<Value>,
        config: &Normalized,
    ) -> Result<Map> {
        let is_number = matches!(sk, Some(Value::Number(_)));
        let operator = match (self.query_type, !is_number && config.compare == Compare::V2) {
            (QueryType::Lte, false) => "<=",
            (QueryType::Lt, _) => "<",
            (QueryType::Gte, _) => ">=",
            (QueryType::Gt, false) => ">",
            (QueryType::Gt, true) => ">=",
            (QueryType::Lte, true) => "<",
            _ => {
                return Err(Error::new(
                    ErrorCode::InvalidQueryParameters,
                    "Unexpected comparison operator",
                ));
            }
        };
        let condition = compact_str::format_compact!("#pk = :pk and #sk1 {operator} :sk1");
        Ok(self.finish_query(pk, [sk], 1, condition))
    }

    /// `_applyProjectionExpressions`.
    fn apply_projection(&self, mut params: Map, config: &Normalized) -> Map {
        if config.attributes.is_empty() {
            return params;
        }
        let (table_pk, table_sk) = {
            let (p, s) = self.model.primary_key_fields();
            (p.to_string(), s.map(str::to_string))
        };
        let mut has_pk = false;
        let mut has_sk = table_sk.is_none();
        let mut fields = electro_expr::SeenNames::default();
        if let Some(Value::Map(names)) = params.get("ExpressionAttributeNames") {
            for (key, name) in names {
                let key = key.strip_prefix('#').unwrap_or(key).to_string();
                let name = name.as_str().unwrap_or_default().to_string();
                if name == table_pk {
                    has_pk = true;
                }
                if Some(&name) == table_sk.as_ref() {
                    has_sk = true;
                }
                fields.insert(key.into(), name.into());
            }
        }
        if !has_pk {
            let name = format_expression_name(&table_pk, &mut fields);
            fields.insert(name.into(), table_pk.as_str().into());
        }
        if !has_sk {
            if let Some(sk) = &table_sk {
                let name = format_expression_name(sk, &mut fields);
                fields.insert(name.into(), sk.as_str().into());
            }
        }
        for attribute in &config.attributes {
            let field = self
                .model
                .schema
                .get_attribute(attribute)
                .map(|a| a.field.clone())
                .unwrap_or_else(|| attribute.clone());
            let formatted = format_expression_name(&field, &mut fields);
            fields.insert(formatted.into(), field.into());
        }
        let enforce_ownership = !config.ignore_ownership;
        if config.data != DataFormat::Raw && config.terminal_go && enforce_ownership {
            let ids = &self.model.identifiers;
            fields.insert(ids.entity.as_str().into(), ids.entity.as_str().into());
            fields.insert(ids.version.as_str().into(), ids.version.as_str().into());
        }
        let mut names = match params.shift_remove("ExpressionAttributeNames") {
            Some(Value::Map(m)) => m,
            _ => Map::default(),
        };
        for (key, field) in &fields {
            names.insert(
                compact_str::format_compact!("#{key}"),
                Value::String(field.as_str().into()),
            );
        }
        let keys: Vec<String> = names.keys().map(|k| k.to_string()).collect();
        let projection = match params.get("ProjectionExpression") {
            Some(Value::String(existing)) => {
                let mut all = vec![existing.to_string()];
                all.extend(keys);
                all.join(", ")
            }
            _ => keys.join(", "),
        };
        params.insert("ExpressionAttributeNames".into(), Value::Map(names));
        params.insert(
            "ProjectionExpression".into(),
            Value::String(projection.into()),
        );
        params
    }

    fn batch_get_params(&mut self, config: &Normalized) -> Result<Vec<Map>> {
        let table = config
            .table
            .as_deref()
            .map(crate::Name::from)
            .or_else(|| self.table_name())
            .unwrap_or_default();
        let mut user = self.apply_projection(config.params.clone(), config);
        user.shift_remove("TableName");
        let records = std::mem::take(&mut self.batch_keys);
        Ok(into_chunks(records, 100)
            .map(|chunk| {
                let mut body = user.clone();
                body.insert("Keys".into(), Value::List(chunk));
                let mut request_items = Map::with_capacity(1);
                request_items.insert(table.clone(), Value::Map(body));
                let mut p = Map::with_capacity(1);
                p.insert("RequestItems".into(), Value::Map(request_items));
                p
            })
            .collect())
    }

    fn batch_write_params(&mut self, config: &Normalized) -> Result<Vec<Map>> {
        let table = config
            .table
            .as_deref()
            .map(crate::Name::from)
            .or_else(|| self.table_name())
            .unwrap_or_default();
        let mut records = Vec::with_capacity(self.sub_states.len());
        for sub in &mut self.sub_states {
            let p = sub.single_params(config)?;
            let mut request = Map::default();
            match sub.method {
                Method::Put => {
                    let mut put = Map::default();
                    put.insert("Item".into(), p.get("Item").cloned().unwrap_or_default());
                    request.insert("PutRequest".into(), Value::Map(put));
                }
                Method::Delete => {
                    let mut del = Map::default();
                    del.insert("Key".into(), p.get("Key").cloned().unwrap_or_default());
                    request.insert("DeleteRequest".into(), Value::Map(del));
                }
                other => {
                    return Err(Error::new(
                        ErrorCode::UnknownError,
                        format!("Invalid method type {other:?} in batch write"),
                    ));
                }
            }
            records.push(Value::Map(request));
        }
        Ok(into_chunks(records, 25)
            .map(|chunk| {
                let mut request_items = Map::default();
                request_items.insert(table.clone(), Value::List(chunk));
                let mut p = Map::default();
                p.insert("RequestItems".into(), Value::Map(request_items));
                p
            })
            .collect())
    }
}

/// Splits owned items into batches of `size` without copying them.
fn into_chunks(items: Vec<Value>, size: usize) -> impl Iterator<Item = Vec<Value>> {
    let mut items = items.into_iter().peekable();
    std::iter::from_fn(move || {
        items.peek()?;
        Some(items.by_ref().take(size).collect())
    })
}

/// `_applyParameterOptions`: the caller's `params` override what was built.
fn apply_parameter_options(mut params: Map, config: &Normalized) -> Map {
    for (k, v) in &config.params {
        params.insert(k.clone(), v.clone());
    }
    params
}

/// `_applyParameterExpressionTypes`: ANDs the chain's condition into the params.
/// The condition's text, names and values move into the params.
fn apply_condition_expression(mut params: Map, condition: FilterExpression) -> Map {
    if condition.build().is_empty() {
        return params;
    }
    let (built, state) = condition.into_parts();
    match params.get_mut("ConditionExpression") {
        Some(existing) => {
            let expression = match existing {
                Value::String(text) if !text.is_empty() => format!("{text} AND {built}"),
                _ => built,
            };
            *existing = Value::String(expression.into());
        }
        None => {
            params.insert_unique(
                Name::const_new("ConditionExpression"),
                Value::String(built.into()),
            );
        }
    }
    let (names, values) = state.into_parts();
    // `Object.assign({}, conditionNames, params.ExpressionAttributeNames)`: the
    // params' own names win.
    if !names.is_empty() {
        match params.get_mut("ExpressionAttributeNames") {
            // Each name's field moves into its value: no map of values is made first.
            Some(Value::Map(existing)) => merge_under(
                existing,
                names
                    .into_iter()
                    .map(|(k, field)| (k, Value::String(field))),
            ),
            _ => {
                params.insert(
                    "ExpressionAttributeNames".into(),
                    Value::Map(names.map_values(Value::String)),
                );
            }
        }
    }
    if !values.is_empty() {
        match params.get_mut("ExpressionAttributeValues") {
            Some(Value::Map(existing)) => merge_under(existing, values.into_iter()),
            _ => {
                params.insert("ExpressionAttributeValues".into(), Value::Map(values));
            }
        }
    }
    params
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_placeholders_append_unless_one_is_present() {
        let mut map = Map::new();
        map.insert(":sk0".into(), Value::from("a"));
        map.insert(":sk".into(), Value::from("b"));
        assert!(!holds_key_placeholder(&map, b':'));
        map.insert(":sk1".into(), Value::from("b"));
        assert!(holds_key_placeholder(&map, b':') && !holds_key_placeholder(&map, b'#'));
        add_placeholder(&mut map, true, ":pk", Value::from("p"));
        add_placeholder(&mut map, true, ":sk1", Value::from("k"));
        let entries: Vec<_> = map.iter().map(|(k, v)| format!("{k}={v:?}")).collect();
        assert_eq!(
            entries,
            [
                r#":sk0=String("a")"#,
                r#":sk=String("b")"#,
                r#":sk1=String("k")"#,
                r#":pk=String("p")"#
            ]
        );
        let mut fresh = Map::new();
        add_placeholder(&mut fresh, false, "#pk", Value::from("gsi1pk"));
        assert_eq!(fresh["#pk"], Value::from("gsi1pk"));
    }
}
