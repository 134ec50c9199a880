//! The state an operation accumulates as its chain is called: a port of ElectroDB's
//! `ChainState` and its clause actions.
//!
//! As in the reference, a chain remembers its first error and reports it from
//! `.params()`; work that depends on the final options is deferred to then.

use std::cell::RefCell;
use std::sync::Arc;

use electro_expr::{FilterExpression, FilterOp, UpdateExpression, UpdateOp};

use super::inline_list::InlineList;
use super::options::{Compare, Options};
use super::proxy::{Attributes, Builder, Impact, ProxyState, WhereOps, parse_json_path};
use crate::error::{Error, ErrorCode, Result};
use crate::model::{CompositeNames, IndexType, Model};
use crate::schema::ItemOperation;
use crate::{Map, Value};

/// Which DynamoDB call the chain builds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Method {
    Get,
    Check,
    Delete,
    Put,
    Update,
    Upsert,
    Query,
    Scan,
    BatchGet,
    BatchWrite,
}

impl Method {
    /// Whether `where` writes a ConditionExpression (else a FilterExpression).
    fn uses_condition(self) -> bool {
        matches!(
            self,
            Method::Put
                | Method::Update
                | Method::Delete
                | Method::Upsert
                | Method::Get
                | Method::Check
        )
    }
}

/// How the sort key is compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum QueryType {
    Is,
    Eq,
    Begins,
    Between,
    And,
    Gt,
    Gte,
    Lt,
    Lte,
    Collection,
    ClusteredCollection,
    CompositeCollection,
}

/// One set of sort-key composites with its comparison.
#[derive(Clone, Debug)]
pub(crate) struct SkEntry {
    pub query_type: QueryType,
    pub facets: Map,
}

/// Upsert chain operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum UpsertOperation {
    Set,
    Add,
    Subtract,
    Append,
    IfNotExists,
}

impl UpsertOperation {
    pub(crate) fn update_op(self) -> UpdateOp {
        match self {
            UpsertOperation::Set => UpdateOp::Set,
            UpsertOperation::Add => UpdateOp::Add,
            UpsertOperation::Subtract => UpdateOp::Subtract,
            UpsertOperation::Append => UpdateOp::Append,
            UpsertOperation::IfNotExists => UpdateOp::IfNotExists,
        }
    }
}

/// Work deferred until options are known.
#[derive(Clone, Debug)]
pub(crate) enum Deferred {
    /// Scans filter on the entity identifiers unless ownership is ignored.
    ScanOwnership,
    /// Query: attribute comparisons and clustered ownership filters, from the
    /// composites the query was given and the index's composite names.
    QueryOptions {
        provided: Map,
        names: Arc<CompositeNames>,
        sk_len: usize,
    },
    /// Between with `compare: attributes|v2`: the positions in `Chain::sk` of the
    /// start and end composites (none when the index has no sort key).
    Between {
        start: Option<usize>,
        end: Option<usize>,
    },
    /// gt/gte/lt/lte with `compare`.
    Compare {
        query_type: QueryType,
        composites: Map,
        sk_len: usize,
    },
    /// Upsert: keys and update expression are built once options are known.
    Upsert,
    /// Collection ownership filter over every member entity (set by services).
    CollectionOwnership,
    /// Clustered collections with `compare: attributes|v2`: filter on the composites.
    CollectionCompare { all: Map, sk_len: usize },
}

/// What an upsert chain records: its data with each attribute's operation, and
/// the index key built with the update expression.
#[derive(Clone, Debug, Default)]
pub(crate) struct UpsertState {
    pub data: electro_expr::OrderedMap<(UpsertOperation, Value)>,
    pub index_key: Option<Map>,
}

/// Custom expressions a service adds to a member's query (collection identity).
#[derive(Clone, Debug, Default)]
pub(crate) struct CustomExpressions {
    pub names: Map,
    pub values: Map,
    pub expression: String,
}

/// The accumulated state of one operation.
pub(crate) struct Chain {
    pub model: Arc<Model>,
    pub table: Option<crate::Name>,
    pub ignore_ownership_default: bool,
    /// Boxed: a chain rarely fails, and a smaller chain is cheaper to move.
    pub error: Option<Box<Error>>,
    pub index: crate::Name,
    /// Where `index` sits in the model's indexes, looked up once: the chain asks
    /// for its index definition many times while params are built.
    pub index_position: Option<usize>,
    pub query_type: QueryType,
    pub method: Method,
    /// Marks the ElectroDB method this chain started from (create, patch, remove...).
    pub origin: &'static str,
    pub collection: String,
    pub pk: Map,
    /// Inline for its usual single entry.
    pub sk: InlineList<SkEntry>,
    /// Created on first use: only updates and upserts build one.
    pub update: Option<Box<UpdateExpression>>,
    pub update_impacts: Vec<Impact>,
    /// An update's chain operations, kept to be written through the model's
    /// [`UpdatePlan`](super::update_plan::UpdatePlan) when params are built; taken
    /// and written the general way when anything else touches the update.
    pub planned_update: Option<super::update_plan::KeptOps>,
    /// Created on first use: only upserts have one (boxed, so that every other
    /// chain is smaller to move).
    pub upsert: Option<Box<UpsertState>>,
    pub put_data: Map,
    /// A put the model's [`PutPlan`](super::put_plan::PutPlan) builds: the checked
    /// item's values by attribute position (instead of `put_data`).
    pub planned_put: Option<Vec<Option<Value>>>,
    /// Created on first use, like `update`: most reads and writes carry neither.
    pub condition: Option<Box<FilterExpression>>,
    pub filter: Option<Box<FilterExpression>>,
    /// Options given to the chain itself (services mark collection queries);
    /// boxed because most chains have none.
    pub options: Option<Box<Options>>,
    pub index_type: IndexType,
    pub include_on_response: Map,
    /// Whether the response keys list sort composites first (delete, patch, remove).
    pub response_keys_sk_first: bool,
    pub custom: CustomExpressions,
    pub identifiers_for_collection: Option<Arc<CustomExpressions>>,
    /// Collection queries: the attributes of every member, for `where`.
    pub collection_attributes: Option<Arc<crate::schema::AttributeSchema>>,
    /// Collection queries: the collection's (pk, shared sk) composites.
    pub composite_override: Option<Arc<CompositeNames>>,
    /// Get/check: the sort key's composites are read from `pk`, which holds the
    /// caller's whole key (building keys looks each composite up by name).
    pub sk_from_pk: bool,
    pub after_options: Vec<Deferred>,
    /// Inline for its usual single entry (a `between`, a comparison, an upsert).
    pub before_build: InlineList<Deferred>,
    pub sub_states: Vec<Chain>,
    /// Batch gets: each key's finished table key (`{pk, sk}`), built as the keys
    /// are given, so a batch needs no chain per key.
    pub batch_keys: Vec<Value>,
}

impl Chain {
    pub(crate) fn new(model: Arc<Model>, table: Option<crate::Name>, index: &str) -> Chain {
        let position = model.index_position(index);
        Chain::at_position(model, table, index, position)
    }

    /// [`Chain::new`] for an index whose position the caller already knows.
    pub(crate) fn at_position(
        model: Arc<Model>,
        table: Option<crate::Name>,
        index: &str,
        index_position: Option<usize>,
    ) -> Chain {
        Chain {
            model,
            table,
            ignore_ownership_default: false,
            error: None,
            index: index.into(),
            index_position,
            query_type: QueryType::Is,
            method: Method::Get,
            origin: "",
            collection: String::new(),
            pk: Map::default(),
            sk: InlineList::default(),
            update: None,
            update_impacts: Vec::new(),
            planned_update: None,
            upsert: None,
            put_data: Map::default(),
            planned_put: None,
            condition: None,
            filter: None,
            options: None,
            // Only `query.<accessPattern>` (and collections) tell ElectroDB's chain the
            // index type; `find`, `match` and scans leave it unset.
            index_type: IndexType::Isolated,
            include_on_response: Map::default(),
            response_keys_sk_first: false,
            custom: CustomExpressions::default(),
            identifiers_for_collection: None,
            collection_attributes: None,
            composite_override: None,
            sk_from_pk: false,
            after_options: Vec::new(),
            before_build: InlineList::default(),
            sub_states: Vec::new(),
            batch_keys: Vec::new(),
        }
    }

    /// The condition expression, created on first use.
    pub(crate) fn condition_mut(&mut self) -> &mut FilterExpression {
        self.condition.get_or_insert_default()
    }

    /// The filter expression, created on first use.
    pub(crate) fn filter_mut(&mut self) -> &mut FilterExpression {
        let is_query = self.method == Method::Query;
        self.filter.get_or_insert_with(|| {
            let mut filter = Box::<FilterExpression>::default();
            if is_query {
                // Query params add the key placeholders (`:pk`, `:sk1`, `:sk2`) to
                // the filter's values: room for them spares a reallocation.
                filter.state_mut().reserve(8);
            }
            filter
        })
    }

    /// The upsert's data and key, created on first use.
    pub(crate) fn upsert_mut(&mut self) -> &mut UpsertState {
        self.upsert.get_or_insert_default()
    }

    /// The update expression, created on first use.
    pub(crate) fn update_mut(&mut self) -> &mut UpdateExpression {
        self.write_planned_generally();
        self.update
            .get_or_insert_with(|| Box::new(UpdateExpression::new()))
    }

    /// Writes the operations kept for the plan the general way, in order: the
    /// update is about to take something the plan does not cover. Called before
    /// anything reads the update's impacts.
    pub(crate) fn write_planned_generally(&mut self) {
        let Some(ops) = self.planned_update.take() else {
            return;
        };
        // As `keyed` reserves for an update it does not plan.
        self.update_mut().reserve(16);
        for (op, data) in ops.into_ops() {
            if let Err(e) = self.update_from_object(op, data, false) {
                self.fail(e);
                return;
            }
        }
    }

    /// The definition of the chain's index (none for an unknown index name).
    pub(crate) fn index_def(&self) -> Option<&crate::model::IndexDef> {
        self.index_position.map(|i| &self.model.indexes[i])
    }

    fn has_sort_key(&self) -> bool {
        self.index_def().is_some_and(|i| i.has_sk())
    }

    /// The composite attributes of the chain's index: (pk, sk).
    pub(crate) fn composite_attributes(&self) -> Arc<CompositeNames> {
        if let Some(over) = &self.composite_override {
            return Arc::clone(over);
        }
        match self.index_def() {
            Some(i) => Arc::clone(&i.composite_names),
            None => Arc::default(),
        }
    }

    pub(crate) fn fail(&mut self, e: Error) {
        if self.error.is_none() {
            self.error = Some(Box::new(e));
        }
    }

    /// Runs a clause action, keeping the first error as ElectroDB's chains do.
    pub(crate) fn run(&mut self, f: impl FnOnce(&mut Chain) -> Result<()>) {
        if self.error.is_some() {
            return;
        }
        if let Err(e) = f(self) {
            self.fail(e);
        }
    }

    pub(crate) fn set_pk(&mut self, attrs: Map) {
        self.pk = attrs;
    }

    pub(crate) fn set_sk(&mut self, attrs: Map) {
        self.set_sk_typed(attrs, self.query_type);
    }

    /// Adds sort composites compared by `query_type`, returning their position in
    /// `sk` (none when the index has no sort key, which ignores them).
    pub(crate) fn set_sk_typed(&mut self, attrs: Map, query_type: QueryType) -> Option<usize> {
        if !self.has_sort_key() {
            return None;
        }
        self.sk.push(SkEntry {
            query_type,
            facets: attrs,
        });
        Some(self.sk.len() - 1)
    }

    /// The sort composites among `provided` (the first half of
    /// `identifyCompositeAttributes`), in the order given. When every name given is
    /// one, the map itself is returned.
    pub(crate) fn sort_composites(provided: Map, defined: &[String]) -> Map {
        let is_composite = |k: &crate::Name| defined.iter().any(|d| d == k);
        if provided.keys().all(is_composite) {
            return provided;
        }
        provided
            .into_iter()
            .filter(|(k, _)| is_composite(k))
            .collect()
    }

    /// `_expectFacets`: the named composites, or 2002 listing the missing ones.
    pub(crate) fn expect_facets(obj: &Map, names: &[String]) -> Result<Map> {
        let mut matching = Map::with_capacity(names.len());
        let mut missing: Vec<&str> = Vec::new();
        for (i, name) in names.iter().enumerate() {
            match obj.get(name.as_str()) {
                // A composite named once (the usual case) is new to the map.
                Some(v) if !names[..i].contains(name) => {
                    matching.insert_unique(name.as_str().into(), v.clone());
                }
                Some(v) => {
                    matching.insert(name.as_str().into(), v.clone());
                }
                None => missing.push(name),
            }
        }
        if !missing.is_empty() {
            return Err(Error::new(
                ErrorCode::IncompleteCompositeAttributes,
                format!(
                    "Incomplete or invalid key composite attributes supplied. Missing properties: {}",
                    crate::model::comma_separated(&missing)
                ),
            ));
        }
        Ok(matching)
    }

    /// ElectroDB's `_includeOnResponseItem`: the key composites a write's response
    /// carries. Upserts compute theirs while building params.
    pub(crate) fn response_keys(&self) -> Map {
        if !self.include_on_response.is_empty() {
            return self.include_on_response.clone();
        }
        if let (Some(values), Some(plan)) = (&self.planned_put, &self.model.put_plan) {
            return plan.response_keys(values, self.response_keys_sk_first);
        }
        let empty = Map::default();
        let sk = self.sk.first().map(|e| &e.facets).unwrap_or(&empty);
        let (first, second) = if self.response_keys_sk_first {
            (sk, &self.pk)
        } else {
            (&self.pk, sk)
        };
        let mut out = Map::with_capacity(first.len() + second.len());
        for (k, v) in first.iter().chain(second.iter()) {
            out.insert(k.clone(), v.clone());
        }
        out
    }

    /// Whether `obj` holds exactly the composites `names`, in their order: then it
    /// is what [`Chain::expect_facets`] would copy out of it.
    pub(crate) fn holds_exactly(obj: &Map, names: &[String]) -> bool {
        obj.len() == names.len() && obj.keys().zip(names).all(|(k, n)| k.as_str() == n.as_str())
    }

    /// [`Chain::expect_facets`] for a key given up to the operation: the named
    /// composites move out of `key` (a copy stays for those also in `keep`), which
    /// then holds them only as nulls.
    pub(crate) fn take_facets(key: &mut Map, names: &[String], keep: &[String]) -> Result<Map> {
        let mut taken = Map::with_capacity(names.len());
        for (i, name) in names.iter().enumerate() {
            // A composite named again has its place and value already.
            if names[..i].contains(name) {
                continue;
            }
            let Some(at) = key.get_index_of(name.as_str()) else {
                // The error lists every missing name (taking leaves names in place).
                return Chain::expect_facets(key, names);
            };
            if let Some((_, value)) = key.get_index_mut(at) {
                let value = if keep.contains(name) {
                    value.clone()
                } else {
                    std::mem::take(value)
                };
                taken.insert_unique(name.as_str().into(), value);
            }
        }
        Ok(taken)
    }

    /// `_expectFacets` without the copy: 2002 listing the missing composites.
    pub(crate) fn expect_present(obj: &Map, names: &[String]) -> Result<()> {
        if names.iter().all(|n| obj.contains_key(n.as_str())) {
            return Ok(());
        }
        Chain::expect_facets(obj, names).map(|_| ())
    }

    /// The sort composites of a whole key, in definition order (`definition`), or
    /// 2002 listing the missing ones.
    pub(crate) fn expect_sort_composites(provided: &Map, definition: &[String]) -> Result<Map> {
        let composites = Chain::build_query_composites(provided, definition);
        // Fewer than named: one is missing, or one is named twice (then perhaps
        // none is), which the check tells apart.
        if composites.len() < definition.len() {
            Chain::expect_present(provided, definition)?;
        }
        Ok(composites)
    }

    /// `buildQueryComposites`: the given composites, in definition order.
    pub(crate) fn build_query_composites(provided: &Map, definition: &[String]) -> Map {
        // Allocated once a composite is found: queries often give none.
        let mut out = Map::new();
        for (i, name) in definition.iter().enumerate() {
            if let Some(v) = provided.get(name.as_str()) {
                if out.capacity() == 0 {
                    out = Map::with_capacity(definition.len() - i);
                }
                // A composite named once (the usual case) is new to the map.
                if definition[..i].contains(name) {
                    out.insert(name.as_str().into(), v.clone());
                } else {
                    out.insert_unique(name.as_str().into(), v.clone());
                }
            }
        }
        out
    }

    /// `identifyCompositeAttributes`: which provided values are sort composites, and
    /// which are neither sort nor partition composites.
    pub(crate) fn identify_composites(
        provided: &Map,
        defined: &[String],
        skip: &[String],
    ) -> (Map, Map) {
        let mut composites = Map::default();
        let mut unused = Map::default();
        for (k, v) in provided {
            if defined.iter().any(|d| d == k) {
                composites.insert(k.clone(), v.clone());
            } else if skip.iter().any(|s| s == k) {
                continue;
            } else {
                unused.insert(k.clone(), v.clone());
            }
        }
        (composites, unused)
    }

    /// Applies a `where`/`filter` callback to the condition or filter expression.
    pub(crate) fn apply_where<F>(&mut self, callback: F)
    where
        F: for<'a, 's, 'b, 'm> FnOnce(&'a Attributes<'m>, &'a WhereOps<'s, 'b, 'm>) -> String,
    {
        if self.error.is_some() {
            return;
        }
        let use_condition = self.method.uses_condition();
        let model = Arc::clone(&self.model);
        let merged = self.collection_attributes.clone();
        let attributes = Attributes {
            schema: merged.as_deref().unwrap_or(&model.schema),
        };
        let target = if use_condition {
            self.condition_mut()
        } else {
            self.filter_mut()
        };
        let state = RefCell::new(ProxyState::new(Builder::Filter(target)));
        let expression = {
            let ops = WhereOps { state: &state };
            callback(&attributes, &ops)
        };
        let state = state.into_inner();
        if let Some(e) = state.error {
            self.fail(e);
            return;
        }
        drop(state);
        let target = if use_condition {
            self.condition_mut()
        } else {
            self.filter_mut()
        };
        target.add_owned(expression, false);
    }

    /// `fromObject`: applies one update operation to each `path: value` pair.
    pub(crate) fn update_from_object(
        &mut self,
        op: UpdateOp,
        data: Map,
        force: bool,
    ) -> Result<()> {
        self.write_planned_generally();
        let model = Arc::clone(&self.model);
        let attributes = Attributes {
            schema: &model.schema,
        };
        // Records append to the chain's own, lent to the proxy.
        let impacts = std::mem::take(&mut self.update_impacts);
        let mut state = ProxyState::new(Builder::Update(self.update_mut()));
        state.impacts = impacts;
        // The expressions written are not returned: one buffer serves them all.
        let mut text = String::new();
        for (path, value) in data {
            // Plain names (the usual case) need no path parsing.
            let attr = if path.contains(['.', '[']) {
                let parts = parse_json_path(&path);
                let Some((first, rest)) = parts.split_first() else {
                    continue;
                };
                let mut attr = attributes.get(first);
                if !attr.exists() {
                    continue;
                }
                for p in rest {
                    attr = attr.at(p);
                }
                attr
            } else {
                let attr = attributes.get(&path);
                if !attr.exists() {
                    continue;
                }
                attr
            };
            text.clear();
            state.update_op_into(op, &attr, [value], &mut text);
            if let Some(e) = state.error.take() {
                return Err(e);
            }
            if let Some(target) = attr.target() {
                if target.read_only && !force {
                    return Err(Error::new(
                        ErrorCode::InvalidAttribute,
                        format!(
                            "Attribute \"{}\" is Read-Only and cannot be updated",
                            target.path
                        ),
                    ));
                }
            }
        }
        let impacts = std::mem::take(&mut state.impacts);
        drop(state);
        self.update_impacts = impacts;
        Ok(())
    }

    /// `fromArray` with `remove`: removes each path.
    pub(crate) fn update_remove(&mut self, paths: &[String]) -> Result<()> {
        self.write_planned_generally();
        let model = Arc::clone(&self.model);
        let attributes = Attributes {
            schema: &model.schema,
        };
        // Records append to the chain's own, lent to the proxy.
        let impacts = std::mem::take(&mut self.update_impacts);
        let mut state = ProxyState::new(Builder::Update(self.update_mut()));
        state.impacts = impacts;
        for path in paths {
            let parts = parse_json_path(path);
            let Some((first, rest)) = parts.split_first() else {
                continue;
            };
            let root = attributes.get(first);
            if !root.exists() {
                continue;
            }
            let mut attr = root;
            for p in rest {
                attr = attr.at(p);
            }
            state.update_op(UpdateOp::Remove, &attr, []);
            if let Some(e) = state.error.take() {
                return Err(e);
            }
            if let Some(target) = attr.target() {
                if target.read_only {
                    return Err(Error::new(
                        ErrorCode::InvalidAttribute,
                        format!(
                            "Attribute \"{}\" is Read-Only and cannot be updated",
                            target.path
                        ),
                    ));
                } else if target.required {
                    return Err(Error::new(
                        ErrorCode::InvalidAttribute,
                        format!(
                            "Attribute \"{}\" is Required and cannot be removed",
                            target.path
                        ),
                    ));
                }
            }
        }
        let impacts = std::mem::take(&mut state.impacts);
        drop(state);
        self.update_impacts = impacts;
        Ok(())
    }

    /// A `data` callback over the update expression.
    pub(crate) fn apply_data<F>(&mut self, callback: F)
    where
        F: for<'a, 's, 'b, 'm> FnOnce(&'a Attributes<'m>, &'a super::UpdateOps<'s, 'b, 'm>),
    {
        if self.error.is_some() {
            return;
        }
        let model = Arc::clone(&self.model);
        let attributes = Attributes {
            schema: &model.schema,
        };
        let state = RefCell::new(ProxyState::new(Builder::Update(self.update_mut())));
        {
            let ops = super::UpdateOps { state: &state };
            callback(&attributes, &ops);
        }
        let mut state = state.into_inner();
        if let Some(e) = state.error.take() {
            self.fail(e);
            return;
        }
        let impacts: Vec<Impact> = std::mem::take(&mut state.impacts);
        drop(state);
        // ElectroDB checks each operation against its attribute after the callback.
        for impact in &impacts {
            let Some(attr_path) = &impact.attribute else {
                self.fail(Error::invalid_attribute(
                    impact.path.as_str(),
                    format!("Attribute \"{}\" does not exist on model.", impact.path),
                ));
                return;
            };
            let Some(attribute) = model.schema.get_attribute(attr_path) else {
                continue;
            };
            let operation = match impact.operation {
                "set" => ItemOperation::Set,
                "delete" | "del" => ItemOperation::Delete,
                "remove" => ItemOperation::Remove,
                "add" => ItemOperation::Add,
                "subtract" => ItemOperation::Subtract,
                "append" => ItemOperation::Append,
                "ifNotExists" => ItemOperation::IfNotExists,
                _ => ItemOperation::None,
            };
            if let Err(e) = model.schema.check_operation(
                attribute,
                operation,
                impact.value.as_ref().map(|(v, _)| v.clone()),
            ) {
                self.fail(e);
                return;
            }
        }
        self.update_impacts.extend(impacts);
    }

    /// `unsafeApplyFilter`: an operation on a raw field in the filter expression.
    pub(crate) fn unsafe_apply_filter(
        &mut self,
        op: FilterOp,
        field: &str,
        value: Value,
        as_prefix: bool,
    ) {
        let _ = self.filter_mut().unsafe_set(op, field, [value], as_prefix);
    }

    /// `applyFilter` for each property: filters on attributes by their field.
    pub(crate) fn filter_properties(&mut self, op: FilterOp, obj: &Map, as_prefix: bool) {
        for (name, value) in obj {
            if let Some(attr) = self.model.schema.get_attribute(name) {
                let field = attr.field.clone();
                let _ = self
                    .filter_mut()
                    .unsafe_set(op, &field, [value.clone()], as_prefix);
            }
        }
    }

    /// `applyCondition`: an operation on an attribute's field in the condition.
    pub(crate) fn apply_condition(&mut self, op: FilterOp, name: &str, value: Value) {
        if let Some(attr) = self.model.schema.get_attribute(name) {
            let field = attr.field.clone();
            let _ = self.condition_mut().unsafe_set(op, &field, [value], false);
        }
    }

    /// Runs the deferred work for the final options.
    pub(crate) fn run_deferred(&mut self, opts: &super::options::Normalized) -> Result<()> {
        // Most chains defer nothing, or only work before the build.
        if !self.after_options.is_empty() {
            let after = std::mem::take(&mut self.after_options);
            for d in &after {
                self.apply_deferred(d, opts)?;
            }
        }
        if !self.before_build.is_empty() {
            let before = std::mem::take(&mut self.before_build);
            for d in before.iter() {
                self.apply_deferred(d, opts)?;
            }
        }
        Ok(())
    }

    fn identifier_filters(&mut self) {
        let (entity_field, version_field) = (
            self.model.identifiers.entity.clone(),
            self.model.identifiers.version.clone(),
        );
        let (name, version) = (self.model.entity.clone(), self.model.version.clone());
        self.unsafe_apply_filter(FilterOp::Eq, &entity_field, Value::from(name), false);
        self.unsafe_apply_filter(FilterOp::Eq, &version_field, Value::from(version), false);
    }

    fn apply_deferred(&mut self, d: &Deferred, opts: &super::options::Normalized) -> Result<()> {
        let sk_is_field_ref = self
            .index_def()
            .and_then(|i| i.sk.as_ref())
            .is_some_and(|s| s.is_field_ref);
        match d {
            Deferred::ScanOwnership => {
                if !opts.ignore_ownership {
                    self.identifier_filters();
                }
            }
            Deferred::QueryOptions {
                provided,
                names,
                sk_len,
            } => {
                let compare_attributes =
                    matches!(opts.compare, Compare::Attributes | Compare::V2) && *sk_len > 1;
                let clustered_ownership =
                    self.index_type == IndexType::Clustered && !opts.ignore_ownership;
                if !compare_attributes && !clustered_ownership {
                    return Ok(());
                }
                let (composites, unused) = Chain::identify_composites(provided, &names.1, &names.0);
                if compare_attributes {
                    let mut all = unused;
                    for (k, v) in &composites {
                        all.insert(k.clone(), v.clone());
                    }
                    self.filter_properties(FilterOp::Eq, &all, false);
                }
                if clustered_ownership && composites.len() < *sk_len {
                    self.identifier_filters();
                }
            }
            Deferred::Between { start, end } => {
                let facets = |chain: &Chain, at: &Option<usize>| {
                    at.and_then(|i| chain.sk.get(i))
                        .map(|e| e.facets.clone())
                        .unwrap_or_default()
                };
                if matches!(opts.compare, Compare::Attributes | Compare::V2) && !sk_is_field_ref {
                    let end = facets(self, end);
                    self.filter_properties(FilterOp::Lte, &end, true);
                }
                if opts.compare == Compare::Attributes && !sk_is_field_ref {
                    let start = facets(self, start);
                    self.filter_properties(FilterOp::Gte, &start, true);
                }
            }
            Deferred::Compare {
                query_type,
                composites,
                sk_len,
            } => {
                let attrs_or_v2 = matches!(opts.compare, Compare::Attributes | Compare::V2);
                let attrs = opts.compare == Compare::Attributes;
                match query_type {
                    QueryType::Gt if attrs_or_v2 && !sk_is_field_ref => {
                        self.filter_properties(FilterOp::Gt, composites, true)
                    }
                    QueryType::Gte if attrs && !sk_is_field_ref && *sk_len > 1 => {
                        self.filter_properties(FilterOp::Gte, composites, true)
                    }
                    QueryType::Lt if attrs && !sk_is_field_ref => {
                        self.filter_properties(FilterOp::Lt, composites, true)
                    }
                    QueryType::Lte if attrs_or_v2 && !sk_is_field_ref => {
                        self.filter_properties(FilterOp::Lte, composites, true)
                    }
                    _ => {}
                }
            }
            Deferred::Upsert => self.build_upsert()?,
            Deferred::CollectionCompare { all, sk_len } => {
                if matches!(opts.compare, Compare::Attributes | Compare::V2)
                    && !sk_is_field_ref
                    && *sk_len > 1
                {
                    self.filter_properties(FilterOp::Eq, all, false);
                }
            }
            Deferred::CollectionOwnership => {
                if !opts.ignore_ownership {
                    if let Some(ids) = self.identifiers_for_collection.clone() {
                        let custom = &mut self.custom;
                        if custom.names.is_empty() && custom.values.is_empty() {
                            custom.names.clone_from(&ids.names);
                            custom.values.clone_from(&ids.values);
                        } else {
                            for (k, v) in &ids.names {
                                custom.names.insert(k.clone(), v.clone());
                            }
                            for (k, v) in &ids.values {
                                custom.values.insert(k.clone(), v.clone());
                            }
                        }
                        custom.expression = if custom.expression.len() > 1 {
                            format!("({}) AND {}", custom.expression, ids.expression)
                        } else {
                            ids.expression.clone()
                        };
                    }
                }
            }
        }
        Ok(())
    }
}
