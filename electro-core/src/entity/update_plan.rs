//! An update worked out once, when the model loads.
//!
//! ElectroDB writes an update through a placeholder registry that knows nothing
//! about the model: every name is formatted (non-word characters stripped,
//! collisions suffixed `_2`), looked up among those seen, and given a value
//! counter. When every name an update of a model can write is a word (letters,
//! digits, `_`) and every attribute is stored under its own name, formatting
//! changes nothing and no two names can collide, so each name's placeholders
//! depend only on which name it is. [`UpdatePlan`] numbers those names when the
//! model loads, and [`PlannedUpdate`] writes an update's chain operations through
//! that numbering: by position, with no formatting and no lookup by name.
//!
//! A chain records its operations while it is plannable (root attributes, the
//! chain's own `set`/`add`/`subtract`/`append`/`delete`/`ifNotExists`), and
//! replays them through the general path the moment anything else touches the
//! update (`remove`, `composite`, `data`, a nested path), so that path stays
//! the only one with other semantics. Params are the same either way; a test
//! compares the two on corpus models.

use electro_expr::{SeenNames, UpdateClause, UpdateExpression, UpdateOp, format_expression_name};

use super::proxy::attr_kind;
use crate::error::{Error, ErrorCode, Result};
use crate::model::Model;
use crate::{Map, Name, Value};

/// The names an update of one model can write, numbered. `None` for models whose
/// names the registry would format or rename (see [`UpdatePlan::new`]).
#[derive(Clone, Debug)]
pub(crate) struct UpdatePlan {
    /// One per distinct name: the attributes first, by position (an attribute's
    /// slot is its position), then key fields, identifiers and default-value names.
    slots: Vec<PlanSlot>,
    /// Each attribute's `<name>_default_value` slot, by attribute position.
    default_slot: Vec<u32>,
    /// Key fields that are not attributes, with their slots: few, searched in order.
    key_fields: Vec<u32>,
    /// Every index's key composites, with their slots: the names keys and the
    /// chain's key maps use, searched in order.
    composites: Vec<u32>,
    entity_slot: u32,
    version_slot: u32,
    /// The table index's partition and sort composites as attribute slots, in
    /// order, when all are attributes and none is in both (the chain's key maps
    /// then hold exactly these, and `{...pk, ...sk}` is the one then the other).
    table: Option<(Vec<u32>, Vec<u32>)>,
    /// The longest name's length.
    longest: usize,
    /// Whether the attribute is a composite of the table index, by position.
    in_table_key: Vec<bool>,
}

/// One name and the texts an update writes of it, made once so that writing them
/// is a copy: `name` and `#name` go into `ExpressionAttributeNames`, `#name = `
/// starts a SET, `:name_u0` is its usual value placeholder (later ones replace
/// the counter).
#[derive(Clone, Debug)]
struct PlanSlot {
    name: Name,
    prop: Name,
    assign: Name,
    first_value: Name,
}

impl PlanSlot {
    fn new(name: &str) -> PlanSlot {
        PlanSlot {
            name: name.into(),
            prop: format!("#{name}").into(),
            assign: format!("#{name} = ").into(),
            first_value: format!(":{name}{}0", UpdateExpression::VALUE_PREFIX).into(),
        }
    }

    /// `:name_u`, to which a value's counter is appended.
    fn value_prefix(&self) -> &str {
        &self.first_value[..self.first_value.len() - 1]
    }
}

/// Whether ElectroDB's `formatExpressionName` leaves `name` as it is (a name of
/// word characters that stays a number or a non-number): such names cannot
/// collide with each other.
fn formatted_as_is(name: &str) -> bool {
    format_expression_name(name, &mut SeenNames::default()) == name
}

impl UpdatePlan {
    /// The plan of `model`'s updates, or `None` when an attribute is stored under
    /// another name (the general path then writes `#name` and `#field` as two
    /// names) or a name an update can write would be formatted (and perhaps
    /// collide).
    pub(crate) fn new(model: &Model) -> Option<UpdatePlan> {
        let schema = &model.schema;
        if !schema.fields_are_names {
            return None;
        }
        let mut plan = UpdatePlan {
            slots: Vec::new(),
            default_slot: Vec::new(),
            key_fields: Vec::new(),
            composites: Vec::new(),
            entity_slot: 0,
            version_slot: 0,
            table: None,
            in_table_key: Vec::new(),
            longest: 0,
        };
        let attributes = schema.attributes.len();
        for name in schema.attributes.keys() {
            if !formatted_as_is(name) {
                return None;
            }
            plan.slot_of(name);
        }
        for def in &model.indexes {
            for field in std::iter::once(def.pk.field.as_str()).chain(def.sk_field()) {
                if !formatted_as_is(field) {
                    return None;
                }
                let slot = plan.slot_of(field);
                if slot as usize >= attributes && !plan.key_fields.contains(&slot) {
                    plan.key_fields.push(slot);
                }
            }
        }
        for def in &model.indexes {
            for name in def
                .pk
                .facets
                .iter()
                .chain(def.sk.iter().flat_map(|k| &k.facets))
            {
                // A composite that is not an attribute is never looked up by slot.
                if let Some(i) = schema.attributes.get_index_of(name.as_str()) {
                    if !plan.composites.contains(&(i as u32)) {
                        plan.composites.push(i as u32);
                    }
                }
            }
        }
        let table = model.table_index();
        let slots_of = |names: &[String]| -> Option<Vec<u32>> {
            (names.iter())
                .map(|n| Some(schema.attributes.get_index_of(n.as_str())? as u32))
                .collect()
        };
        let (pk, sk) = (slots_of(&table.pk.facets), slots_of(table.sk_facets()));
        plan.in_table_key = vec![false; attributes];
        for &slot in pk.iter().chain(&sk).flatten() {
            plan.in_table_key[slot as usize] = true;
        }
        plan.table = pk
            .zip(sk)
            .filter(|(pk, sk)| pk.iter().all(|p| !sk.contains(p)));
        let (entity, version) = (&model.identifiers.entity, &model.identifiers.version);
        if !formatted_as_is(entity) || !formatted_as_is(version) {
            return None;
        }
        plan.entity_slot = plan.slot_of(entity);
        plan.version_slot = plan.slot_of(version);
        for position in 0..attributes {
            let suffix = UpdateOp::DEFAULT_VALUE_SUFFIX;
            let default = format!("{}{suffix}", plan.slots[position].name);
            if !formatted_as_is(&default) {
                return None;
            }
            let slot = plan.slot_of(&default);
            plan.default_slot.push(slot);
        }
        Some(plan)
    }

    /// The slot of `name`, added if new: one per distinct name, as the registry
    /// keeps one per formatted name.
    fn slot_of(&mut self, name: &str) -> u32 {
        if let Some(i) = self.slots.iter().position(|s| s.name == name) {
            return i as u32;
        }
        self.longest = self.longest.max(name.len());
        self.slots.push(PlanSlot::new(name));
        (self.slots.len() - 1) as u32
    }

    /// Whether the chain may keep `op` over `data` for the plan instead of writing
    /// it: a chain method's operation on root attributes that may be updated and
    /// whose kind the operation accepts (a refused one is written at once, so its
    /// error comes when ElectroDB's would). Then `verify_update` has only the
    /// values to check, which this does.
    /// On success the operation is kept in `kept`, with its attributes' positions.
    pub(crate) fn keep(
        &self,
        model: &Model,
        op: UpdateOp,
        data: Map,
        kept: &mut KeptOps,
    ) -> std::result::Result<Result<()>, Map> {
        let start = kept.positions.len();
        if !self.covers(model, op, &data, &mut kept.positions) {
            kept.positions.truncate(start);
            return Err(data);
        }
        let checked = (kept.positions[start..].iter())
            .zip(data.values())
            .map(|(&i, value)| (i as usize, value));
        let verified = model.schema.verify_update_values(checked);
        match verified {
            Ok(()) => kept.ops.push((op, data)),
            Err(_) => kept.positions.truncate(start),
        }
        Ok(verified)
    }

    /// Whether the plan covers `op` over `data`, pushing each name's position.
    fn covers(&self, model: &Model, op: UpdateOp, data: &Map, positions: &mut Vec<u32>) -> bool {
        if !matches!(
            op,
            UpdateOp::Set
                | UpdateOp::Add
                | UpdateOp::Subtract
                | UpdateOp::Append
                | UpdateOp::Delete
                | UpdateOp::IfNotExists
        ) {
            return false;
        }
        data.keys().all(|name| {
            let found = model.schema.attributes.get_full(name.as_str());
            let covered = found.filter(|(_, _, attribute)| {
                !attribute.read_only && op.accepts(attr_kind(&attribute.kind)).is_ok()
            });
            covered
                .inspect(|&(i, _, _)| positions.push(i as u32))
                .is_some()
        })
    }

    /// The slot of `name` among `few` slots (key fields, composites): searched
    /// in order, each a short name compared by length first.
    fn slot_among(&self, few: &[u32], name: &str) -> Option<u32> {
        few.iter().copied().find(|&s| {
            let slot = &self.slots[s as usize].name;
            slot.len() == name.len() && slot == name
        })
    }

    /// The slot of a name the impact code or setters hand back: `few` first (the
    /// slots it is likely among), then the attributes, then every other name.
    fn slot_of_name(&self, model: &Model, few: &[u32], name: &str) -> Option<u32> {
        if let Some(slot) = self.slot_among(few, name) {
            return Some(slot);
        }
        if let Some(i) = model.schema.attributes.get_index_of(name) {
            return Some(i as u32);
        }
        let others = [self.entity_slot, self.version_slot];
        (self.slot_among(&self.key_fields, name)).or_else(|| self.slot_among(&others, name))
    }
}

/// An update's chain operations kept for the plan, and the position of each
/// name they write (one after the other, in the order of the operations' maps).
#[derive(Default)]
pub(crate) struct KeptOps {
    ops: Vec<(UpdateOp, Map)>,
    positions: Vec<u32>,
}

impl KeptOps {
    /// The operations, in order, to be written the general way.
    pub(crate) fn into_ops(self) -> Vec<(UpdateOp, Map)> {
        self.ops
    }

    /// Writes every operation into `update`, by attribute position.
    pub(crate) fn write_into(self, update: &mut PlannedUpdate<'_>) -> Result<()> {
        let mut positions = self.positions.iter();
        for (op, data) in self.ops {
            for ((_, value), &position) in data.into_iter().zip(positions.by_ref()) {
                update.operate(op, position as usize, value)?;
            }
        }
        Ok(())
    }

    /// How many names the operations write.
    pub(crate) fn len(&self) -> usize {
        self.positions.len()
    }
}

/// What the registry knows of one slot during one update.
#[derive(Clone, Copy, Default)]
struct SlotState {
    /// The next value counter.
    count: u32,
    /// Whether `#name` is in the names.
    named: bool,
    /// The SET entry `set` last wrote for the name.
    set_at: Option<u32>,
}

/// One expression of a clause.
enum Entry {
    /// An operation's text, at this range of the update's text buffer.
    Text(std::ops::Range<usize>),
    /// What `set` wrote: `#name = :placeholder`, the placeholder being the key of
    /// the value at `value`.
    Set { slot: u32, value: u32 },
    /// A `set` moved to the end of its clause.
    Moved,
}

/// The last operation on an attribute and the value (its position among the
/// values) it wrote: ElectroDB's `update.impacted`/`paths`.
#[derive(Clone, Copy)]
struct Last {
    slot: u32,
    value: usize,
}

/// The names and values registered so far, by slot: the part of ElectroDB's
/// expression state an update writes.
struct Registry<'p> {
    plan: &'p UpdatePlan,
    slots: Vec<SlotState>,
    names: Map,
    values: Map,
}

impl Registry<'_> {
    /// `#name → name`, the first time the slot's name is used.
    fn name(&mut self, slot: u32) {
        let state = &mut self.slots[slot as usize];
        if !state.named {
            state.named = true;
            let s = &self.plan.slots[slot as usize];
            (self.names).insert_unique(s.prop.clone(), Value::String(s.name.clone()));
        }
    }

    /// `:name_u<n> → value` under the slot's next counter: its position among
    /// the values.
    fn value(&mut self, slot: u32, value: Value) -> usize {
        let state = &mut self.slots[slot as usize];
        let s = &self.plan.slots[slot as usize];
        let placeholder = if state.count == 0 {
            s.first_value.clone()
        } else {
            format!("{}{}", s.value_prefix(), state.count).into()
        };
        state.count += 1;
        self.values.insert_unique(placeholder, value)
    }

    /// The placeholder of the value at `at`.
    fn placeholder(&self, at: usize) -> &str {
        self.values.get_index(at).map_or("", |(k, _)| k.as_str())
    }
}

/// One update written through a plan: what ElectroDB's update builder keeps, by
/// slot.
pub(crate) struct PlannedUpdate<'p> {
    model: &'p Model,
    registry: Registry<'p>,
    /// Every clause's expressions, each with its clause, in the order written.
    entries: Vec<(UpdateClause, Entry)>,
    /// The operations' texts, one after the other.
    texts: String,
    last: Vec<Last>,
}

/// The update's params pieces: UpdateExpression, names, values and the table key.
pub(crate) struct PlannedParams {
    pub expression: String,
    pub names: Map,
    pub values: Map,
    pub key: Map,
}

impl<'p> PlannedUpdate<'p> {
    pub(crate) fn new(plan: &'p UpdatePlan, model: &'p Model, ops: usize) -> Self {
        PlannedUpdate {
            model,
            registry: Registry {
                plan,
                slots: vec![SlotState::default(); plan.slots.len()],
                // Room for the names the update writes after the operations, and
                // for a condition's merged in.
                names: Map::with_capacity(ops + 12),
                values: Map::with_capacity(2 * ops + 12),
            },
            entries: Vec::with_capacity(ops + 8),
            texts: String::with_capacity(ops * 64),
            last: Vec::with_capacity(ops),
        }
    }

    fn plan(&self) -> &'p UpdatePlan {
        self.registry.plan
    }

    /// A chain method's operation on the attribute at `position` (what
    /// `ProxyState::update_op_into` writes for a root attribute).
    pub(crate) fn operate(&mut self, op: UpdateOp, position: usize, value: Value) -> Result<()> {
        let Some((_, attribute)) = self.model.schema.attributes.get_index(position) else {
            return Err(unplanned("an operation on no attribute"));
        };
        let value = attribute.apply_fixings_owned(value);
        if !attribute.acceptable(Some(&value)) {
            return Ok(());
        }
        let plan = self.plan();
        let slot = position as u32;
        let registry = &mut self.registry;
        registry.name(slot);
        let at = registry.value(slot, value);
        // Short (inline), so the copy lends the registry to the default's closure.
        let placeholder = Name::from(registry.placeholder(at));
        let default_slot = plan.default_slot[position];
        let start = self.texts.len();
        let clause = op.write_template(
            &mut self.texts,
            attr_kind(&attribute.kind),
            &plan.slots[position].prop,
            &[placeholder.as_str()],
            false,
            &mut |v: Value, out: &mut String| {
                let at = registry.value(default_slot, v);
                out.push_str(registry.placeholder(at));
            },
        );
        let clause = clause.map_err(|e| Error::new(ErrorCode::InvalidAttribute, e.to_string()))?;
        if let Some(clause) = clause {
            self.entries
                .push((clause, Entry::Text(start..self.texts.len())));
        }
        match self.last.iter_mut().find(|l| l.slot == slot) {
            Some(l) => l.value = at,
            None => self.last.push(Last { slot, value: at }),
        }
        Ok(())
    }

    /// `UpdateExpression::set`: `#name = :name_u<n>`; a name set again moves to
    /// the end with its first placeholder and value. (The update params never
    /// write the `if_not_exists` form; upserts, which do, are not planned.)
    fn set(&mut self, slot: u32, value: Value) {
        let state = &mut self.registry.slots[slot as usize];
        if let Some(at) = state.set_at {
            let moved = std::mem::replace(&mut self.entries[at as usize].1, Entry::Moved);
            if let Entry::Set { value, .. } = moved {
                state.set_at = Some(self.entries.len() as u32);
                (self.entries).push((UpdateClause::Set, Entry::Set { slot, value }));
            }
            return;
        }
        state.set_at = Some(self.entries.len() as u32);
        self.registry.name(slot);
        let value = self.registry.value(slot, value) as u32;
        (self.entries).push((UpdateClause::Set, Entry::Set { slot, value }));
    }

    /// `UpdateExpression::remove`: `REMOVE #name`, once.
    fn remove(&mut self, slot: u32) {
        self.registry.name(slot);
        let prop = &self.plan().slots[slot as usize].prop;
        let texts = &self.texts;
        let present = (self.entries.iter()).any(|(clause, e)| {
            *clause == UpdateClause::Remove
                && matches!(e, Entry::Text(r) if texts[r.clone()] == **prop)
        });
        if !present {
            let start = self.texts.len();
            self.texts.push_str(prop);
            let end = self.texts.len();
            (self.entries).push((UpdateClause::Remove, Entry::Text(start..end)));
        }
    }

    /// Where the name in `slot` wrote a value, if an operation did (ElectroDB's
    /// `modifiedAttributeNames`).
    fn written(&self, slot: u32) -> Option<usize> {
        (self.last.iter()).find(|l| l.slot == slot).map(|l| l.value)
    }

    /// `Chain::update_params` after the operations: setters, rebuilt keys, the
    /// key composites and identifiers, in ElectroDB's order.
    pub(crate) fn finish(mut self, pk: &Map, sk: &Map) -> Result<PlannedParams> {
        let model = self.model;
        let plan = self.plan();
        let schema = &model.schema;
        // The chain's key maps, when they hold the table composites in order.
        let table = plan.table.as_ref().filter(|(p, s)| {
            let named = |slots: &[u32], map: &Map| {
                slots.len() == map.len()
                    && (slots.iter().zip(map.keys()))
                        .all(|(&slot, key)| plan.slots[slot as usize].name == key.as_str())
            };
            named(p, pk) && named(s, sk)
        });
        let in_primary = |position: usize, name: &str| match table {
            Some(_) => plan.in_table_key[position],
            None => pk.contains_key(name) || sk.contains_key(name),
        };
        let mut modified = Map::with_capacity(self.last.len() + schema.watcher_room(true));
        // Values moved to the setters, by position among the values (a bit each):
        // each must come back.
        let mut taken: u64 = 0;
        let mut positions: Vec<usize> = Vec::with_capacity(self.last.len());
        for l in &self.last {
            let position = l.slot as usize;
            let attribute = &schema.attributes[position];
            if in_primary(position, &attribute.name) || attribute.read_only {
                continue;
            }
            let Some((_, value)) = self.registry.values.get_index_mut(l.value) else {
                continue;
            };
            // Without a `set` of its own, an attribute's value comes back from the
            // setters (perhaps changed): it is moved to them. A `set` may hand back
            // nothing, and then the value written stays: that one is copied.
            let value = if attribute.set.is_none() && l.value < 64 {
                taken |= 1 << l.value;
                std::mem::take(value)
            } else {
                value.clone()
            };
            modified.insert_unique(attribute.name.as_str().into(), value);
            positions.push(position);
        }
        let prepared = schema.apply_attribute_setters_at(modified, &positions)?;
        let nothing = Map::default();
        let keys = model.updated_keys(pk, sk, &prepared, &nothing, &nothing)?;
        let (table_pk, table_sk) = model.primary_key_fields();
        for (i, (path, value)) in prepared.into_iter().enumerate() {
            // The payload's own keys come back first, in order; watchers after.
            let hint = positions.get(i).map(|&p| p as u32);
            let slot = self.slot(hint.as_slice(), &path)?;
            if let Some(at) = self.written(slot) {
                if let Some((_, v)) = self.registry.values.get_index_mut(at) {
                    *v = value;
                }
                if at < 64 {
                    taken &= !(1 << at);
                }
            } else {
                self.set(slot, value);
            }
        }
        if taken != 0 {
            return Err(unplanned("a value given to the setters did not come back"));
        }
        let not_table_key = |k: &str| k != table_pk && Some(k) != table_sk;
        for (key, value) in keys.updated_keys {
            if not_table_key(&key) {
                let slot = self.slot(&plan.key_fields, &key)?;
                if self.written(slot).is_none() {
                    self.set(slot, value);
                }
            }
        }
        for key in &keys.deleted_keys {
            if not_table_key(key) {
                let slot = self.slot(&plan.key_fields, key)?;
                if self.written(slot).is_none() {
                    self.remove(slot);
                }
            }
        }
        // `{...pk, ...sk}`: partition composites first, the sort key's value winning.
        if let Some((pk_slots, sk_slots)) = table {
            // Distinct composites, each an attribute whose slot the plan knows.
            let slots = pk_slots.iter().chain(sk_slots);
            for (&slot, (name, value)) in slots.zip(pk.iter().chain(sk.iter())) {
                if not_table_key(name) && self.written(slot).is_none() {
                    self.set(slot, value.clone());
                }
            }
        } else {
            let primary = pk
                .iter()
                .map(|(k, v)| (k, sk.get(k).unwrap_or(v)))
                .chain(sk.iter().filter(|(k, _)| !pk.contains_key(*k)));
            for (name, value) in primary {
                if !not_table_key(name) {
                    continue;
                }
                // Composites the model does not know are not written.
                if let Some(slot) = plan.slot_of_name(model, &plan.composites, name) {
                    if (slot as usize) < schema.attributes.len() && self.written(slot).is_none() {
                        self.set(slot, value.clone());
                    }
                }
            }
        }
        let (entity, version) = (plan.entity_slot, plan.version_slot);
        self.set(entity, Value::String(model.entity.as_str().into()));
        self.set(version, Value::String(model.version.as_str().into()));
        let expression = self.expression();
        Ok(PlannedParams {
            expression,
            names: self.registry.names,
            values: self.registry.values,
            key: keys.index_key,
        })
    }

    /// The slot of a name the setters or the impact code hand back.
    fn slot(&self, few: &[u32], name: &str) -> Result<u32> {
        (self.plan().slot_of_name(self.model, few, name))
            .ok_or_else(|| unplanned(&format!("\"{name}\" has no slot")))
    }

    /// The UpdateExpression: non-empty clauses in order, `KEYWORD a, b`.
    fn expression(&self) -> String {
        // Room for every text, and for each SET's `#name = :name_u0` at its
        // longest, so the text is never regrown.
        let sets = self.entries.len() * (2 * self.plan().longest + 16);
        let mut out = String::with_capacity(self.texts.len() + sets + 32);
        for clause in UpdateClause::ALL {
            let written = (self.entries.iter())
                .filter(|(c, e)| *c == clause && !matches!(e, Entry::Moved))
                .map(|(_, e)| e);
            clause.write_entries(&mut out, written, |entry, out| self.write_entry(entry, out));
        }
        out
    }

    fn write_entry(&self, entry: &Entry, out: &mut String) {
        match entry {
            Entry::Text(range) => out.push_str(&self.texts[range.clone()]),
            Entry::Set { slot, value } => {
                out.push_str(&self.plan().slots[*slot as usize].assign);
                out.push_str(self.registry.placeholder(*value as usize));
            }
            Entry::Moved => {}
        }
    }
}

/// An update the plan cannot write after all: a bug, reported rather than written
/// wrong.
fn unplanned(what: &str) -> Error {
    Error::new(ErrorCode::UnknownError, format!("Planned update: {what}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entity::{Entity, Update};
    use crate::item;

    fn corpus(name: &str) -> Model {
        crate::entity::corpus_model(name).expect("corpus model")
    }

    /// The params (or error) of an update chain with the model's plan and without
    /// it, and whether the planned chain still held its operations for the plan.
    fn planned_and_general(
        name: &str,
        chain: &dyn Fn(&Entity) -> Update,
    ) -> (String, String, bool) {
        let mut general = corpus(name);
        general.update_plan = None;
        let run = |m: Model| {
            let update = chain(&Entity::from_model(m).table("electro"));
            let held = update.0.planned_update.is_some();
            let params = match update.params() {
                Ok(p) => p.to_json().to_string(),
                Err(e) => format!("error {}: {}", e.code(), e.reason()),
            };
            (params, held)
        };
        let (planned, held) = run(corpus(name));
        let (general, _) = run(general);
        (planned, general, held)
    }

    #[test]
    fn plan_is_made_only_for_models_whose_names_are_kept() {
        for name in ["teamtasks", "ho-library", "mallstore", "padded", "casing"] {
            assert!(corpus(name).update_plan.is_some(), "{name}");
        }
        // Attributes stored under other names: `#name` and `#field` are two names.
        assert!(corpus("attrfields").update_plan.is_none());
    }

    #[test]
    fn planned_update_builds_what_the_general_path_builds() {
        type Chain = Box<dyn Fn(&Entity) -> Update>;
        let tasks_key = || item! {"team" => "core", "task" => "45-662", "project" => "backend"};
        let book = || item! {"libraryId" => "Main", "isbn" => "978-0"};
        // (model, chain, whether the plan writes it to the end)
        let cases: Vec<(&str, Chain, bool)> = vec![
            (
                "teamtasks",
                Box::new(move |e| {
                    e.patch(tasks_key())
                        .set(item! {"status" => "open"})
                        .add(item! {"points" => 5})
                        .append(item! {"comments" => vec![Value::Map(
                            item! {"user" => "janet", "body" => "This seems half-baked."},
                        )]})
                        .where_(|a, op| op.eq(&a.get("status"), "in-progress"))
                }),
                true,
            ),
            // A name written twice, by two operations and twice by one.
            (
                "teamtasks",
                Box::new(move |e| {
                    e.update(tasks_key())
                        .set(item! {"status" => "closed", "points" => 1})
                        .add(item! {"points" => 2})
                        .subtract(item! {"points" => 3})
                        .set(item! {"status" => "open"})
                        .if_not_exists(item! {"comments" => Vec::<Value>::new()})
                }),
                true,
            ),
            // Sets (converted by the setters), a watcher with a function, a
            // subtract's default and a delete.
            (
                "ho-library",
                Box::new(move |e| {
                    e.patch(book())
                        .add(item! {"tags" => vec![Value::from("award")], "ratings" => vec![Value::from(3)]})
                        .delete(item! {"tags" => vec![Value::from("old")]})
                        .append(item! {"checkouts" => vec![Value::Map(item! {"member" => "m2", "due" => "2024-02-02"})]})
                        .subtract(item! {"copies" => 1})
                        .set(item! {"title" => "Dune", "genre" => "fiction", "author" => "Herbert"})
                }),
                true,
            ),
            // An empty set is not written.
            (
                "ho-library",
                Box::new(move |e| {
                    e.update(book())
                        .add(item! {"tags" => Vec::<Value>::new(), "copies" => 2})
                }),
                true,
            ),
            // A remove after planned operations writes them all the general way.
            (
                "ho-library",
                Box::new(move |e| {
                    e.patch(book())
                        .set(item! {"title" => "Dune"})
                        .remove(["notes"])
                        .add(item! {"copies" => 1})
                }),
                false,
            ),
            // Errors: a bad value, an operation the type refuses, a read-only
            // attribute, an unknown one, a key composite.
            (
                "ho-library",
                Box::new(move |e| {
                    e.patch(book())
                        .set(item! {"title" => "T"})
                        .add(item! {"copies" => "x"})
                }),
                true,
            ),
            (
                "ho-library",
                Box::new(move |e| {
                    e.patch(book())
                        .set(item! {"title" => "T"})
                        .append(item! {"meta" => 1})
                }),
                true,
            ),
            (
                "ho-library",
                Box::new(move |e| {
                    e.patch(book())
                        .set(item! {"title" => "T"})
                        .append(item! {"meta" => item! {"pages" => 1}})
                }),
                false,
            ),
            (
                "ho-library",
                Box::new(move |e| e.update(book()).set(item! {"createdAt" => 1})),
                true,
            ),
            (
                "ho-library",
                Box::new(move |e| e.update(book()).set(item! {"nope" => 1})),
                true,
            ),
            (
                "mallstore",
                Box::new(|e| {
                    e.update(item! {"cityId" => "Atlanta1", "mallId" => "EastPointe", "storeId" => "LatteLarrys", "buildingId" => "F34"})
                        .set(item! {"category" => "food/meal", "leaseEndDate" => "2021-01-01", "rent" => "1.00"})
                }),
                true,
            ),
            (
                "mallstore",
                Box::new(|e| {
                    e.patch(item! {"cityId" => "Atlanta1", "mallId" => "EastPointe", "storeId" => "LatteLarrys", "buildingId" => "F34"})
                        .set(item! {"storeId" => "Other"})
                }),
                true,
            ),
            (
                "padded",
                Box::new(|e| {
                    e.update(item! {"invoiceId" => "INV-1", "lineNo" => 7})
                        .set(item! {"sku" => "Ab"})
                        .add(item! {"qty" => 2})
                }),
                true,
            ),
            // A composite in both keys: `{...pk, ...sk}` looked up by name.
            (
                "samecomposite",
                Box::new(|e| e.patch(item! {"id" => "c1"}).add(item! {"teeth" => 3})),
                true,
            ),
            // Non-ASCII values in keys under each casing.
            (
                "casing",
                Box::new(|e| {
                    e.update(item! {"firmId" => "ΟΔΟΣ", "caseRef" => "Σ-ß"})
                        .set(item! {"judge" => "İrem", "courtRoom" => "Ünï", "docket" => "ΌΣ", "clerk" => "Çé"})
                }),
                true,
            ),
        ];
        for (i, (name, chain, held)) in cases.iter().enumerate() {
            let (planned, general, was_held) = planned_and_general(name, chain);
            assert_eq!(planned, general, "case {i} ({name})");
            assert_eq!(was_held, *held, "case {i} ({name}): held for the plan");
        }
    }
}
