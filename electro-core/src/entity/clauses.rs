//! The clause actions each chain method performs (ElectroDB's `clauses`): which keys
//! it records, what it validates and what it defers until `.params()`.

use electro_expr::{FilterOp, UpdateOp};

use super::chain::{Chain, Deferred, Method, QueryType, UpsertOperation};
use super::primary_conditions::add_key_conditions;
use crate::Map;
use crate::error::{Error, ErrorCode, Result};
use crate::model::{IndexType, TABLE_INDEX};

impl Chain {
    /// `op` on the table's key fields, in the condition. A chain's first condition
    /// (always, for `patch`, `remove`, `create`) starts from the model's rendering.
    fn primary_conditions(&mut self, op: FilterOp) {
        if self.condition.is_none() {
            if let Some(started) = self.model.primary_conditions.start(op) {
                self.condition = Some(Box::new(started));
                return;
            }
        }
        // The field names are borrowed from the model, held by its own handle.
        let model = std::sync::Arc::clone(&self.model);
        let (pk, sk) = model.primary_key_fields();
        add_key_conditions(self.condition_mut(), op, pk, sk);
    }

    /// `get`: the full primary key.
    ///
    /// The key is kept whole: its partition and sort composites are read from it by
    /// name when keys are built, which gives the same keys as ElectroDB's copies
    /// without making them.
    pub(crate) fn clause_get(&mut self, facets: Map) {
        self.run(|c| {
            c.method = Method::Get;
            c.query_type = QueryType::Eq;
            let has_sk = c.has_sk();
            Chain::expect_whole_key(&c.composite_attributes(), has_sk, &facets)?;
            // The sort key's composites are read from the same map.
            c.sk_from_pk = has_sk;
            c.pk = facets;
            Ok(())
        });
    }

    /// A get's key must hold every composite of the index (`names`: pk, sk).
    fn expect_whole_key(
        names: &crate::model::CompositeNames,
        has_sk: bool,
        key: &Map,
    ) -> Result<()> {
        Chain::expect_present(key, &names.0)?;
        if has_sk {
            Chain::expect_present(key, &names.1)?;
        }
        Ok(())
    }

    fn has_sk(&self) -> bool {
        self.index_def().is_some_and(|i| i.has_sk())
    }

    /// A write by the whole key, whose composites move out of it (the key is the
    /// caller's, given up for the operation).
    fn keyed(&mut self, mut facets: Map, method: Method, sk_first: bool) -> Result<()> {
        if method == Method::Update {
            if self.model.update_plan.is_some() && self.update.is_none() {
                // Written through the plan, unless something else touches it.
                self.planned_update = Some(Default::default());
            } else {
                self.update_mut().reserve(16);
            }
        }
        let names = self.composite_attributes();
        let (pk, sk) = (&names.0, &names.1);
        let has_sk = self.has_sk();
        // A composite of both keys is copied into the partition key's.
        let shared: &[String] = if has_sk { sk } else { &[] };
        let pk_composite = Chain::take_facets(&mut facets, pk, shared)?;
        self.method = method;
        self.query_type = QueryType::Eq;
        self.set_pk(pk_composite);
        // The response's key attributes are read from pk/sk when a `.go()` needs
        // them (see `Chain::response_keys`), in the order the reference uses.
        self.response_keys_sk_first = sk_first;
        if has_sk {
            self.set_sk(Chain::take_facets(&mut facets, sk, &[])?);
        }
        Ok(())
    }

    /// `delete`.
    pub(crate) fn clause_delete(&mut self, facets: Map) {
        self.run(|c| c.keyed(facets, Method::Delete, true));
    }

    /// `remove`: delete only if the item exists.
    pub(crate) fn clause_remove(&mut self, facets: Map) {
        self.run(|c| {
            c.origin = "remove";
            c.primary_conditions(FilterOp::Exists);
            c.keyed(facets, Method::Delete, true)
        });
    }

    /// `update`.
    pub(crate) fn clause_update(&mut self, facets: Map) {
        self.run(|c| c.keyed(facets, Method::Update, false));
    }

    /// `patch`: update only if the item exists.
    pub(crate) fn clause_patch(&mut self, facets: Map) {
        self.run(|c| {
            c.origin = "patch";
            c.primary_conditions(FilterOp::Exists);
            c.keyed(facets, Method::Update, true)
        });
    }

    fn put_like(&mut self, payload: Map) -> Result<()> {
        let values = self.model.schema.check_create_values(payload)?;
        // One put per chain, on the table index: what the plan is made for.
        let first = self.index.is_empty()
            && self.put_data.is_empty()
            && self.planned_put.is_none()
            && self.composite_override.is_none();
        let planned = (self.model.put_plan.as_ref()).filter(|plan| first && plan.applies(&values));
        if planned.is_some() {
            // The key composites stay in the values: the plan builds the keys, and
            // `response_keys` reads them there.
            self.method = Method::Put;
            self.query_type = QueryType::Eq;
            self.planned_put = Some(values);
            return Ok(());
        }
        let record = self.model.schema.record_of(values);
        let names = self.composite_attributes();
        let (pk, sk) = (&names.0, &names.1);
        self.method = Method::Put;
        self.query_type = QueryType::Eq;
        self.set_pk(Chain::expect_facets(&record, pk)?);
        if self.has_sk() {
            self.set_sk(Chain::expect_sort_composites(&record, sk)?);
        }
        if self.put_data.is_empty() {
            self.put_data = record;
        } else {
            self.put_data.extend(record);
        }
        Ok(())
    }

    /// `put`.
    pub(crate) fn clause_put(&mut self, payload: Map) {
        self.run(|c| c.put_like(payload));
    }

    /// `create`: put only if no item has the key.
    pub(crate) fn clause_create(&mut self, payload: Map) {
        self.run(|c| {
            c.origin = "create";
            c.primary_conditions(FilterOp::NotExists);
            c.put_like(payload)
        });
    }

    /// `upsert`: keys and expression are built at `.params()`.
    pub(crate) fn clause_upsert(&mut self, payload: &Map) {
        self.run(|c| {
            c.method = Method::Upsert;
            c.query_type = QueryType::Eq;
            c.update_mut().reserve(16);
            for (k, v) in payload {
                c.upsert_mut()
                    .data
                    .insert(k.clone(), (UpsertOperation::Set, v.clone()));
            }
            c.before_build.push(Deferred::Upsert);
            Ok(())
        });
    }

    /// Upsert chain methods (`set`, `add`, ...).
    pub(crate) fn clause_upsert_op(&mut self, op: UpsertOperation, data: &Map) {
        self.run(|c| {
            c.model.schema.verify_update(data, true)?;
            for (k, v) in data {
                c.upsert_mut().data.insert(k.clone(), (op, v.clone()));
            }
            Ok(())
        });
    }

    /// Update chain methods (`set`, `add`, `subtract`, `append`, `delete`, `ifNotExists`).
    pub(crate) fn clause_update_op(&mut self, op: UpdateOp, data: Map) {
        self.run(|c| {
            let model = &c.model;
            // Kept for the update plan when it covers the operation; then only
            // the values are left to check.
            let data = match (model.update_plan.as_ref(), c.planned_update.as_mut()) {
                (Some(plan), Some(kept)) => match plan.keep(model, op, data, kept) {
                    Ok(checked) => return checked,
                    Err(data) => data,
                },
                _ => data,
            };
            c.model.schema.verify_update(&data, false)?;
            c.update_from_object(op, data, false)
        });
    }

    /// Update `remove`.
    pub(crate) fn clause_update_remove(&mut self, paths: &[String]) {
        self.run(|c| {
            c.model.schema.check_remove(paths)?;
            c.update_remove(paths)
        });
    }

    /// Update `composite`: composite values for key building, also asserted by the
    /// condition.
    pub(crate) fn clause_composite(&mut self, composites: &Map) {
        self.run(|c| {
            for (name, value) in composites {
                if c.model.facets.by_attr.contains_key(name.as_str()) {
                    if !c.update_mut().add_composite(name, Some(value)) {
                        return Err(Error::new(ErrorCode::DuplicateUpdateCompositesProvided, format!("The composite attribute {name} has been provided more than once with different values. Remove the duplication before running again")));
                    }
                    c.apply_condition(FilterOp::Eq, name, value.clone());
                }
            }
            Ok(())
        });
    }

    /// `query.<accessPattern>(composites)`. The composites are kept whole for the
    /// deferred attribute filters, which sort them out only if options ask for them.
    pub(crate) fn clause_query(&mut self, facets: Map) {
        self.run(|c| {
            let names = c.composite_attributes();
            let (pk, sk) = (&names.0, &names.1);
            c.method = Method::Query;
            c.query_type = QueryType::Is;
            let has_sk = c.has_sk();
            // The deferred filters need several sort composites (attribute
            // comparisons) or a clustered index (ownership): the index type is
            // known by now.
            let sk_len = sk.len();
            let deferred = has_sk && (sk_len > 1 || c.index_type == IndexType::Clustered);
            let exact = !deferred && Chain::holds_exactly(&facets, pk);
            // Sort composites given with the partition key; none (the usual case)
            // adds no entry, as an empty one adds nothing to any sort key. The
            // partition composites alone hold none, unless an attribute is both.
            let sk_given = has_sk && (!exact || sk.iter().any(|s| pk.contains(s)));
            let sk_composites = sk_given
                .then(|| Chain::build_query_composites(&facets, sk))
                .filter(|composites| !composites.is_empty());
            if exact {
                // The composites given are the partition key's (the usual query):
                // the map is kept as it is instead of copied.
                c.set_pk(facets);
                if let Some(sk) = sk_composites {
                    c.set_sk(sk);
                }
                return Ok(());
            }
            c.set_pk(Chain::expect_facets(&facets, pk)?);
            if let Some(sk) = sk_composites {
                c.set_sk(sk);
            }
            if deferred {
                c.after_options.push(Deferred::QueryOptions {
                    provided: facets,
                    names,
                    sk_len,
                });
            }
            Ok(())
        });
    }

    /// `between(start, end)`. The deferred attribute filters read the composites
    /// from the sort key entries, which are not copied.
    pub(crate) fn clause_between(&mut self, start: Map, end: Map) {
        self.run(|c| {
            let names = c.composite_attributes();
            let sk = &names.1;
            let ending = Chain::sort_composites(end, sk);
            let starting = Chain::sort_composites(start, sk);
            let end = c.set_sk_typed(ending, QueryType::And);
            c.query_type = QueryType::Between;
            let start = c.set_sk_typed(starting, QueryType::Between);
            c.before_build.push(Deferred::Between { start, end });
            Ok(())
        });
    }

    /// `begins(composites)`.
    pub(crate) fn clause_begins(&mut self, facets: &Map) {
        self.run(|c| {
            c.query_type = QueryType::Begins;
            if c.has_sk() {
                let names = c.composite_attributes();
                let sk = &names.1;
                c.set_sk(Chain::build_query_composites(facets, sk));
            }
            Ok(())
        });
    }

    /// `gt`, `gte`, `lt`, `lte`.
    pub(crate) fn clause_compare(&mut self, query_type: QueryType, facets: &Map) {
        self.run(|c| {
            c.query_type = query_type;
            if c.has_sk() {
                let names = c.composite_attributes();
                let (pk, sk) = (&names.0, &names.1);
                let (composites, _) = Chain::identify_composites(facets, sk, pk);
                if query_type == QueryType::Gte {
                    c.set_sk(Chain::build_query_composites(facets, sk));
                } else {
                    c.set_sk(composites.clone());
                }
                c.before_build.push(Deferred::Compare {
                    query_type,
                    composites,
                    sk_len: sk.len(),
                });
            }
            Ok(())
        });
    }

    /// `scan`.
    pub(crate) fn clause_scan(&mut self) {
        self.method = Method::Scan;
        self.after_options.push(Deferred::ScanOwnership);
    }

    /// Batch gets: checks each key as `get` does and builds its table key at once,
    /// from the caller's key (owned or borrowed; nothing of it is kept).
    pub(crate) fn clause_batch_get<K: std::borrow::Borrow<Map>>(
        &mut self,
        keys: impl IntoIterator<Item = K>,
    ) {
        self.method = Method::BatchGet;
        let keys = keys.into_iter();
        self.batch_keys.reserve(keys.size_hint().0);
        self.run(|c| {
            let (names, has_sk) = (c.composite_attributes(), c.has_sk());
            let model = c.model.clone();
            // Loading refuses a model without a table index: this always finds it.
            let (def, fixings) = model.index_and_fixings(TABLE_INDEX)?;
            for key in keys {
                let key = key.borrow();
                // Built first: a key whose every composite is present needs no check.
                // Otherwise the check runs before the build's own error, as in `get`.
                let table_key = match model.make_key_map_of(def, fixings, key, key) {
                    Ok((table_key, true)) => table_key,
                    built => {
                        Chain::expect_whole_key(&names, has_sk, key)?;
                        built?.0
                    }
                };
                c.batch_keys.push(crate::Value::Map(table_key));
            }
            Ok(())
        });
    }

    /// A batch: one sub-chain per item, with the item's clause applied.
    pub(crate) fn clause_batch(
        &mut self,
        method: Method,
        items: Vec<Map>,
        each: fn(&mut Chain, Map),
    ) {
        if self.error.is_some() {
            return;
        }
        self.method = method;
        self.sub_states.reserve(items.len());
        for item in items {
            // Batch params name the table once, from this chain.
            let mut sub = Chain::new(self.model.clone(), None, &self.index);
            each(&mut sub, item);
            if let Some(e) = sub.error.take() {
                self.fail(*e);
                return;
            }
            self.sub_states.push(sub);
        }
    }
}
