//! Setters, getters and watchers over a whole payload: ElectroDB's
//! `_fulfillAttributeMutationMethod`, `applyAttributeSetters` and
//! `applyAttributeGetters`, including its two passes and `watch: "*"`.

use super::Attribute;
use super::attribute_schema::{AttributeSchema, WatchRole};
use crate::error::Result;
use electro_expr::{Map, Name, Value};
use std::borrow::Cow;

/// A payload key's role among watchers and its attribute, if any.
type Located<'a> = (WatchRole, Option<&'a Attribute>);

/// A payload in which a key may be present with an undefined value, as JavaScript
/// objects can be: watchers fire for keys that are present, defined or not.
///
/// The values sit in a `Map`, an undefined one as a `Null` stand-in whose position
/// is listed in `undefined` (rarely any): a payload whose values are all defined is
/// then its own snapshot for the setter functions, and comes back without copying.
#[derive(Default)]
struct Slots {
    values: Map,
    undefined: Vec<usize>,
}

impl Slots {
    fn with_capacity(n: usize) -> Self {
        Slots {
            values: Map::with_capacity(n),
            undefined: Vec::new(),
        }
    }

    /// Every value of `payload` defined.
    fn from_map(payload: Map) -> Self {
        Slots {
            values: payload,
            undefined: Vec::new(),
        }
    }

    fn keys(&self) -> impl Iterator<Item = &Name> {
        self.values.keys()
    }

    fn contains_key(&self, key: &str) -> bool {
        self.values.contains_key(key)
    }

    /// The value at position `i`, if defined.
    fn value_at(&self, i: usize) -> Option<&Value> {
        if self.undefined.contains(&i) {
            return None;
        }
        self.values.get_index(i).map(|(_, v)| v)
    }

    /// The value of `key`, if present and defined.
    fn get(&self, key: &str) -> Option<&Value> {
        self.value_at(self.values.get_index_of(key)?)
    }

    /// Sets `key` (a new key goes last, an existing one keeps its place).
    fn insert(&mut self, key: Name, value: Option<Value>) {
        let defined = value.is_some();
        let (i, _) = self.values.insert_full(key, value.unwrap_or(Value::Null));
        self.mark(i, defined);
    }

    /// Sets the value at position `i`.
    fn set_at(&mut self, i: usize, value: Option<Value>) {
        let defined = value.is_some();
        if let Some((_, slot)) = self.values.get_index_mut(i) {
            *slot = value.unwrap_or(Value::Null);
        }
        self.mark(i, defined);
    }

    fn mark(&mut self, i: usize, defined: bool) {
        if defined {
            if !self.undefined.is_empty() {
                self.undefined.retain(|&u| u != i);
            }
        } else if !self.undefined.contains(&i) {
            self.undefined.push(i);
        }
    }

    /// The defined values, as the setter functions see the item: borrowed when
    /// every value is defined.
    fn defined(&self) -> Cow<'_, Map> {
        if self.undefined.is_empty() {
            return Cow::Borrowed(&self.values);
        }
        Cow::Owned(
            (self.values.iter().enumerate())
                .filter(|(i, _)| !self.undefined.contains(i))
                .map(|(_, (k, v))| (k.clone(), v.clone()))
                .collect(),
        )
    }

    /// The defined values, the undefined ones dropped.
    fn strip(self) -> Map {
        if self.undefined.is_empty() {
            return self.values;
        }
        let undefined = self.undefined;
        (self.values.into_iter().enumerate())
            .filter(|(i, _)| !undefined.contains(i))
            .map(|(_, kv)| kv)
            .collect()
    }
}

impl AttributeSchema {
    /// Runs every `set` (and set conversion) for a write, then the setters of the
    /// attributes watching what was written, and of `watch: "*"` attributes.
    /// Keys that are not attributes pass through untouched.
    ///
    /// ```
    /// # use electro_core::schema::{AttributeSchema, SchemaFacets, named_functions::NamedFunctions};
    /// # use electro_core::{Map, Value};
    /// # let attrs = serde_json::json!({
    /// #   "name": "string",
    /// #   "slug": {"type": "string", "watch": ["name"], "set": {"fn": "lower", "of": "name"}}
    /// # });
    /// # let schema = AttributeSchema::from_json(attrs.as_object().unwrap(), &SchemaFacets::default(), ("__edb_e__", "__edb_v__"), &NamedFunctions).unwrap();
    /// let mut payload = Map::default();
    /// payload.insert("name".into(), "Hello".into());
    /// let out = schema.apply_attribute_setters(payload).unwrap();
    /// assert_eq!(out.get("slug"), Some(&Value::from("hello")));
    /// ```
    pub fn apply_attribute_setters(&self, payload: Map) -> Result<Map> {
        self.fulfill(true, self.slots_for(true, payload), None)
            .map(Slots::strip)
    }

    /// [`AttributeSchema::apply_attribute_setters`] for a payload of root
    /// attributes whose positions the caller knows (`positions[i]` is the `i`th
    /// key's): they are not looked up again.
    pub(crate) fn apply_attribute_setters_at(
        &self,
        payload: Map,
        positions: &[usize],
    ) -> Result<Map> {
        if self.only_watch_all_runs(&payload, positions) {
            return self.run_watch_all(payload);
        }
        self.fulfill(true, self.slots_for(true, payload), Some(positions))
            .map(Slots::strip)
    }

    /// Whether the setter pass over `payload` (keys at `positions`) runs nothing
    /// but the `watch: "*"` setters: no key is watched by name or watches, and
    /// each is written back as it is (no mutation, or a value its mutation keeps).
    /// The first pass then changes nothing, and the second adds only those.
    fn only_watch_all_runs(&self, payload: &Map, positions: &[usize]) -> bool {
        let roles = &self.watch_roles[1];
        positions.len() == payload.len()
            && (positions.iter().zip(payload.iter())).all(|(&i, (key, value))| {
                matches!(roles.get(i), Some(WatchRole::Plain { watched: false }))
                    && self.attributes.get_index(i).is_some_and(|(name, a)| {
                        name == key.as_str()
                            && (Self::mutation_is_identity(a, true) || a.set_keeps(value))
                    })
            })
    }

    /// The second setter pass when [`AttributeSchema::only_watch_all_runs`]: each
    /// `watch: "*"` setter sees the payload as it was and, when it returns a value,
    /// appends it (in `watch_all`'s order, as `fulfill` inserts them).
    fn run_watch_all(&self, mut payload: Map) -> Result<Map> {
        let translation = &self.watch_set;
        if !translation.has_watchers {
            return Ok(payload);
        }
        let mut results: Vec<(&str, Value)> = Vec::with_capacity(translation.watch_all.len());
        for name in &translation.watch_all {
            let Some(attribute) = self.attributes.get(name.as_str()) else {
                continue;
            };
            // Not a payload key (those are plain), so it has no value to keep.
            if Self::mutation_is_identity(attribute, true) {
                continue;
            }
            if let Some(value) = attribute.apply_set(None, &payload)? {
                results.push((name, value));
            }
        }
        for (name, value) in results {
            payload.insert_unique(name.into(), value);
        }
        Ok(payload)
    }

    /// The payload as slots, with room for every watcher the second pass may add.
    fn slots_for(&self, setter: bool, payload: Map) -> Slots {
        let mut slots = Slots::from_map(payload);
        (slots.values).reserve(self.watcher_room(setter));
        slots
    }

    /// How many entries the watchers may add to a payload: a payload built with
    /// this much room beside its own entries is not regrown by
    /// [`AttributeSchema::apply_attribute_setters`].
    pub(crate) fn watcher_room(&self, setter: bool) -> usize {
        let translation = self.watch_translation(setter);
        translation.watch_all.len() + translation.watchers_to_attributes.len()
    }

    /// [`AttributeSchema::apply_attribute_setters`] for the record
    /// [`AttributeSchema::check_create`] returns: ElectroDB's record holds every
    /// attribute (undefined ones included), so every setter and watcher runs.
    ///
    /// ```
    /// # use electro_core::schema::{AttributeSchema, SchemaFacets, named_functions::NamedFunctions};
    /// # use electro_core::{Map, Value};
    /// # let attrs = serde_json::json!({"stamp": {"type": "string", "set": {"fn": "const", "value": "x"}}});
    /// # let schema = AttributeSchema::from_json(attrs.as_object().unwrap(), &SchemaFacets::default(), ("__edb_e__", "__edb_v__"), &NamedFunctions).unwrap();
    /// let record = schema.check_create(Map::default()).unwrap();
    /// let out = schema.apply_attribute_setters_to_record(record).unwrap();
    /// assert_eq!(out.get("stamp"), Some(&Value::from("x")));
    /// ```
    pub fn apply_attribute_setters_to_record(&self, mut record: Map) -> Result<Map> {
        // Nothing to run: the record only takes the schema's attribute order.
        if self.nothing_to_run(true, record.keys()) {
            // A record checked by `check_create` is already in that order.
            if self.in_attribute_order(&record) {
                return Ok(record);
            }
            let mut ordered = Map::with_capacity(record.len());
            for name in self.attributes.keys() {
                if let Some((_, key, value)) = record.swap_remove_full(name.as_str()) {
                    ordered.insert(key, value);
                }
            }
            ordered.extend(record);
            return Ok(ordered);
        }
        let mut slots = Slots::with_capacity(self.attributes.len() + record.len());
        for (name, attribute) in &self.attributes {
            match record.swap_remove_full(name.as_str()) {
                // Present: move the key and value over.
                Some((_, key, value)) => {
                    slots.insert(key, Some(value));
                }
                // Absent and nothing could give it a value: leave it out, as the
                // reference's undefined is dropped at the end anyway.
                None if Self::mutation_is_identity(attribute, true) => {}
                None => {
                    slots.insert(name.as_str().into(), None);
                }
            }
        }
        for (k, v) in record {
            slots.insert(k, Some(v));
        }
        self.fulfill(true, slots, None).map(Slots::strip)
    }

    /// Runs every `get` for a read (hidden attributes become undefined), then the
    /// getters of watchers.
    ///
    /// ```
    /// # use electro_core::schema::{AttributeSchema, SchemaFacets, named_functions::NamedFunctions};
    /// # use electro_core::{Map, Value};
    /// # let attrs = serde_json::json!({"code": {"type": "string", "get": {"fn": "upper"}}});
    /// # let schema = AttributeSchema::from_json(attrs.as_object().unwrap(), &SchemaFacets::default(), ("__edb_e__", "__edb_v__"), &NamedFunctions).unwrap();
    /// let mut item = Map::default();
    /// item.insert("code".into(), "abc".into());
    /// assert_eq!(schema.apply_attribute_getters(item).unwrap().get("code"), Some(&Value::from("ABC")));
    /// ```
    pub fn apply_attribute_getters(&self, payload: Map) -> Result<Map> {
        // The common read: the item comes back as stored.
        if self.nothing_to_run(false, payload.keys()) {
            return Ok(payload);
        }
        self.fulfill(false, self.slots_for(false, payload), None)
            .map(Slots::strip)
    }

    /// Whether the record holds only attributes, in the schema's order (what the
    /// reordering below would produce).
    fn in_attribute_order(&self, record: &Map) -> bool {
        // A merge walk: each name must come later in the attributes than the last.
        let mut attributes = self.attributes.keys();
        record
            .keys()
            .all(|key| attributes.any(|name| name.as_str() == key.as_str()))
    }

    /// A payload key's attribute and its role among watchers. A plain root name
    /// in a schema whose fields are its names (so no field path can stand for
    /// another attribute) is one lookup, its role read by position; anything else
    /// is looked up in the tables.
    fn locate(&self, setter: bool, key: &str) -> (WatchRole, Option<&Attribute>) {
        if self.fields_are_names && !key.contains(['.', '[']) {
            if let Some((i, _, attribute)) = self.attributes.get_full(key) {
                let role = self.watch_roles[usize::from(setter)].get(i).copied();
                if let Some(role) = role {
                    return (role, Some(attribute));
                }
            }
        }
        let role = self.watch_translation(setter).role_of(key);
        (role, self.get_attribute(key))
    }

    /// The attribute at `position`, which must be named `key`, and its role
    /// among watchers: what [`AttributeSchema::locate`] finds, without the lookup.
    fn located_at(&self, setter: bool, position: usize, key: &str) -> Option<Located<'_>> {
        let (name, attribute) = self.attributes.get_index(position)?;
        let role = self.watch_roles[usize::from(setter)].get(position)?;
        (self.fields_are_names && name == key).then_some((*role, Some(attribute)))
    }

    fn fulfill(
        &self,
        setter: bool,
        mut payload: Slots,
        positions: Option<&[usize]>,
    ) -> Result<Slots> {
        let translation = self.watch_translation(setter);
        let first_avoid =
            |role: WatchRole| matches!(role, WatchRole::Watcher | WatchRole::WatchesAll);
        // Only root `set`/`get` functions see the whole item: a pass that runs none
        // never reads the snapshot, which is then not worth copying.
        let runs_function = |(role, attr): Located, avoid: &dyn Fn(WatchRole) -> bool| {
            translation.has_function && attr.is_some_and(|a| a.has_mutation(setter) && !avoid(role))
        };
        // Each key's attribute, looked up once for both passes (the keys of the
        // first pass are the first keys of the second).
        let known = positions
            .filter(|p| p.len() == payload.values.len())
            .and_then(|p| {
                (p.iter().zip(payload.keys()))
                    .map(|(&i, key)| self.located_at(setter, i, key))
                    .collect::<Option<Vec<Located>>>()
            });
        let attrs: Vec<Located> =
            known.unwrap_or_else(|| payload.keys().map(|k| self.locate(setter, k)).collect());
        let first_runs = attrs.iter().any(|&a| runs_function(a, &first_avoid));
        self.mutate_present(setter, &first_avoid, &mut payload, &attrs, first_runs)?;
        if !translation.has_watchers {
            return Ok(payload);
        }
        let include = self.second_pass_keys(setter, &payload, &attrs);
        let second_avoid = |role: WatchRole| matches!(role, WatchRole::Plain { .. });
        let second_runs = (include.iter()).any(|(_, a)| runs_function(*a, &second_avoid));
        self.mutate_listed(setter, &include, &second_avoid, &mut payload, second_runs)?;
        Ok(payload)
    }

    /// The second pass includes what was written, the watchers of anything written,
    /// and every `watch: "*"` attribute, each with its attribute (`attrs` holds
    /// those of `data`'s keys).
    fn second_pass_keys<'a>(
        &'a self,
        setter: bool,
        data: &Slots,
        attrs: &[Located<'a>],
    ) -> Vec<(Name, Located<'a>)> {
        let translation = self.watch_translation(setter);
        let mut include: Vec<(Name, Located<'a>)> =
            Vec::with_capacity(data.values.len() + translation.watch_all.len() + 2);
        include.extend(data.keys().cloned().zip(attrs.iter().copied()));
        // `data`'s keys are distinct; an added name is new unless it is one of them
        // or was added already (added names are few).
        let base = include.len();
        let add = |include: &mut Vec<(Name, Located<'a>)>, name: &str| {
            if !data.contains_key(name) && !include[base..].iter().any(|(k, _)| k == name) {
                include.push((name.into(), self.locate(setter, name)));
            }
        };
        for (key, (role, _)) in data.keys().zip(attrs) {
            // Only a watched name has watchers to add.
            if !matches!(
                role,
                WatchRole::Plain { watched: true } | WatchRole::Unlisted
            ) {
                continue;
            }
            if let Some(watchers) = translation.attributes_to_watchers.get(key.as_str()) {
                for w in watchers {
                    add(&mut include, w);
                }
            }
        }
        for w in &translation.watch_all {
            add(&mut include, w);
        }
        include
    }

    /// Whether the setter (or getter) pass would hand the payload back unchanged:
    /// nothing watches, every attribute present is plain and without the function,
    /// and, for setters (which also run for absent attributes), no attribute has a
    /// `set`. Most models and most items: then the pass is skipped.
    fn nothing_to_run<'k>(
        &self,
        setter: bool,
        mut present: impl Iterator<Item = &'k Name>,
    ) -> bool {
        let translation = self.watch_translation(setter);
        !translation.has_watchers
            && (!setter || !translation.has_function)
            && (translation.all_identity
                || present.all(|k| {
                    self.attributes
                        .get(k.as_str())
                        .is_none_or(|a| Self::mutation_is_identity(a, setter))
                }))
    }

    /// Whether mutating this attribute's value would return it unchanged: a plain
    /// value with no function (and, on reads, nothing hidden or to unformat).
    pub(crate) fn mutation_is_identity(attribute: &super::Attribute, setter: bool) -> bool {
        let plain = attribute.kind.is_plain();
        if setter {
            plain && attribute.set.is_none()
        } else {
            plain
                && attribute.get.is_none()
                && !attribute.hidden
                && attribute.prefix.is_empty()
                && attribute.postfix.is_empty()
        }
    }

    fn mutate_one(
        &self,
        setter: bool,
        attribute: &super::Attribute,
        value: Option<&Value>,
        siblings: &Map,
    ) -> Result<Option<Value>> {
        if setter {
            attribute.apply_set(value, siblings)
        } else {
            attribute.apply_get(value, siblings)
        }
    }

    /// ElectroDB's `_applyAttributeMutation` over every key present. Each key is
    /// visited once and every function sees the item as it was before the pass (the
    /// reference's snapshot), so the results are all made first and written after:
    /// the item itself is the snapshot. `runs_function`: whether any function that
    /// sees the item runs (otherwise it is not lent).
    fn mutate_present(
        &self,
        setter: bool,
        avoid: &dyn Fn(WatchRole) -> bool,
        data: &mut Slots,
        attrs: &[Located],
        runs_function: bool,
    ) -> Result<()> {
        let mut results = Vec::new();
        {
            let no_item = Map::default();
            let siblings = if runs_function {
                data.defined()
            } else {
                Cow::Borrowed(&no_item)
            };
            for (i, &(role, attribute)) in attrs.iter().enumerate() {
                let Some(attribute) = attribute else {
                    continue;
                };
                if Self::mutation_is_identity(attribute, setter) || avoid(role) {
                    continue;
                }
                let current = data.value_at(i);
                if current.is_some_and(|v| setter && attribute.set_keeps(v)) {
                    // Written back as it is.
                    continue;
                }
                results.push((i, self.mutate_one(setter, attribute, current, &siblings)?));
            }
        }
        for (i, result) in results {
            data.set_at(i, result);
        }
        Ok(())
    }

    /// The same over a list of paths (the second pass), adding those not present.
    fn mutate_listed(
        &self,
        setter: bool,
        include: &[(Name, Located)],
        avoid: &dyn Fn(WatchRole) -> bool,
        data: &mut Slots,
        runs_function: bool,
    ) -> Result<()> {
        let mut results: Vec<(&Name, Option<Value>)> = Vec::new();
        {
            let no_item = Map::default();
            let siblings = if runs_function {
                data.defined()
            } else {
                Cow::Borrowed(&no_item)
            };
            for (path, (role, attribute)) in include {
                let Some(attribute) = attribute else {
                    continue;
                };
                if avoid(*role) {
                    continue;
                }
                if Self::mutation_is_identity(attribute, setter) {
                    // The value would be written back unchanged; only a path not yet
                    // present gains its (undefined) slot.
                    if !data.contains_key(path.as_str()) {
                        results.push((path, None));
                    }
                    continue;
                }
                let value = data.get(path.as_str());
                if value.is_some_and(|v| setter && attribute.set_keeps(v)) {
                    continue;
                }
                results.push((path, self.mutate_one(setter, attribute, value, &siblings)?));
            }
        }
        for (path, result) in results {
            data.insert(path.clone(), result);
        }
        Ok(())
    }
}
