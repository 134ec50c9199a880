//! `UpdateExpression`: the SET/REMOVE/ADD/SUBTRACT/DELETE clauses of an update, with
//! ElectroDB's ordering and de-duplication, over a `_u`-prefixed state.

use crate::Name;
use crate::OrderedMap;
use crate::condition::UpdateAction;
use crate::error::ExprError;
use crate::hash::{NameMap, ValueMap};
use crate::map::Entry;
use crate::ops::UpdateClause;
use crate::render::update_action;
use crate::state::ExpressionState;
use crate::value::Value;

/// What `set` remembers per name, so setting it again replaces the expression
/// instead of adding a second one.
#[derive(Clone, Debug)]
struct SeenSet {
    prop: Name,
    placeholder: Name,
    if_not_exists: bool,
}

/// An UpdateExpression and the placeholders it uses.
#[derive(Clone, Debug)]
pub struct UpdateExpression {
    state: ExpressionState,
    /// One insertion-ordered set per clause, like ElectroDB's `Set`s. Most
    /// expressions are short enough for a `Name` to hold inline. An expression
    /// written by [`set`](Self::set) is kept as its placeholder (which no other
    /// expression can equal, a placeholder being fresh when `set` makes it) and the
    /// slot it is rendered from at build: it is not formatted or hashed as text.
    clauses: [OrderedMap<Option<u32>>; 5],
    composites: crate::ValueMap,
    /// By the state's slot of each name (a name has one slot for the state's life):
    /// what `set` last wrote for it.
    seen: Vec<Option<SeenSet>>,
}

impl SeenSet {
    /// `#p = :v` or `#p = if_not_exists(#p, :v)`, appended to `out`.
    fn write_to(&self, out: &mut String) {
        out.push_str(&self.prop);
        if self.if_not_exists {
            out.push_str(" = if_not_exists(");
            out.push_str(&self.prop);
            out.push_str(", ");
            out.push_str(&self.placeholder);
            out.push(')');
        } else {
            out.push_str(" = ");
            out.push_str(&self.placeholder);
        }
    }

    /// The length of what [`SeenSet::write_to`] writes.
    fn len(&self) -> usize {
        let plain = self.prop.len() + 3 + self.placeholder.len();
        if self.if_not_exists {
            plain + self.prop.len() + 17
        } else {
            plain
        }
    }
}

impl Default for UpdateExpression {
    fn default() -> Self {
        Self::new()
    }
}

impl UpdateExpression {
    /// An empty update whose values are `:name_u0`, tracking paths and impacted
    /// operations for the update flow.
    ///
    /// ```
    /// let mut u = electro_expr::UpdateExpression::new();
    /// u.set("__edb_v__", "1".into(), false);
    /// assert_eq!(u.build(), "SET #__edb_v__ = :__edb_v___u0");
    /// ```
    pub fn new() -> Self {
        Self::with_state(ExpressionState::with_prefix(Self::VALUE_PREFIX).with_tracking())
    }

    /// What an update's value placeholders carry before their counter
    /// (`:name_u0`).
    pub const VALUE_PREFIX: &'static str = "_u";

    /// Reserves room for `n` names and values: call it when the update is known to
    /// be used (an empty update allocates nothing, so reads that carry one are free).
    ///
    /// ```
    /// let mut u = electro_expr::UpdateExpression::new();
    /// u.reserve(16);
    /// u.set("a", 1.into(), false);
    /// assert_eq!(u.build(), "SET #a = :a_u0");
    /// ```
    pub fn reserve(&mut self, n: usize) {
        self.state.reserve(n);
        self.clauses[UpdateClause::Set.index()].reserve(n);
    }

    /// An empty update over a given state.
    pub fn with_state(state: ExpressionState) -> Self {
        UpdateExpression {
            state,
            clauses: Default::default(),
            composites: ValueMap::default(),
            seen: Vec::new(),
        }
    }

    /// `set(name, value, operation)`: `#name = :name_u0` (or
    /// `#name = if_not_exists(#name, :name_u0)`), where `name` is a field name used as
    /// both name and field. Setting a name again replaces its expression, moving it
    /// to the end and keeping the first placeholder *and its first value*, as
    /// ElectroDB does.
    ///
    /// ```
    /// let mut u = electro_expr::UpdateExpression::new();
    /// u.set("gsi1pk", "$a".into(), false);
    /// u.set("__edb_e__", "animals".into(), false);
    /// u.set("gsi1pk", "$b".into(), true);
    /// assert_eq!(
    ///     u.build(),
    ///     "SET #__edb_e__ = :__edb_e___u0, #gsi1pk = if_not_exists(#gsi1pk, :gsi1pk_u0)"
    /// );
    /// assert_eq!(u.values()[":gsi1pk_u0"], "$a".into());
    /// ```
    pub fn set(&mut self, name: &str, value: Value, if_not_exists: bool) {
        // `#formatted`, then the placeholder, in one buffer.
        let mut buf = self.state.take_buf();
        buf.push('#');
        let slot = self.state.format_slot(name, &mut buf);
        let entry = u32::try_from(slot).ok();
        let clause = &mut self.clauses[UpdateClause::Set.index()];
        if let Some(seen) = self.seen.get_mut(slot).and_then(Option::as_mut) {
            // The expression moves to the end, with its first placeholder.
            seen.if_not_exists = if_not_exists;
            clause.shift_remove(seen.placeholder.as_str());
            clause.insert_unique(seen.placeholder.clone(), entry);
            self.state.give_buf(buf);
            return;
        }
        let prop = Name::from(buf.as_str());
        self.state
            .push_value_after_name(slot, &prop, name, value, &mut buf);
        let placeholder = Name::from(&buf[prop.len()..]);
        self.state.give_buf(buf);
        // A new value's placeholder: no expression in the clause holds it yet.
        self.clauses[UpdateClause::Set.index()].insert_unique(placeholder.clone(), entry);
        if self.seen.len() <= slot {
            // Room for a typical update's names in one allocation.
            self.seen.resize_with((slot + 1).max(16), || None);
        }
        self.seen[slot] = Some(SeenSet {
            prop,
            placeholder,
            if_not_exists,
        });
    }

    /// `remove(name)`: `REMOVE #name` for a field name.
    ///
    /// ```
    /// let mut u = electro_expr::UpdateExpression::new();
    /// u.remove("gsi1sk");
    /// u.remove("gsi1sk");
    /// assert_eq!(u.build(), "REMOVE #gsi1sk");
    /// ```
    pub fn remove(&mut self, name: &str) {
        let n = self.state.set_name(None, name, name);
        self.add(UpdateClause::Remove, n.prop);
    }

    /// `add(type, expression)`: appends to a clause unless already there.
    ///
    /// ```
    /// use electro_expr::{UpdateClause, UpdateExpression};
    /// let mut u = UpdateExpression::new();
    /// u.add(UpdateClause::Delete, "#a :a_u0");
    /// u.add(UpdateClause::Set, "#b = :b_u0");
    /// u.add(UpdateClause::Set, "#b = :b_u0");
    /// assert_eq!(u.build(), "SET #b = :b_u0 DELETE #a :a_u0");
    /// ```
    pub fn add(&mut self, clause: UpdateClause, expression: impl Into<Name>) {
        // Present already (as text, or as the placeholder of a `set`): kept as is.
        if let Entry::Vacant(e) = self.clauses[clause.index()].entry(expression.into()) {
            e.insert(None);
        }
    }

    /// `unadd(type, expression)`: removes an expression from a clause, keeping the
    /// order of the rest.
    ///
    /// ```
    /// use electro_expr::{UpdateClause, UpdateExpression};
    /// let mut u = UpdateExpression::new();
    /// u.add(UpdateClause::Set, "#a = :a_u0");
    /// u.add(UpdateClause::Set, "#b = :b_u0");
    /// u.unadd(UpdateClause::Set, "#a = :a_u0");
    /// assert_eq!(u.build(), "SET #b = :b_u0");
    /// u.set("c", 1.into(), false);
    /// u.unadd(UpdateClause::Set, "#c = :c_u0");
    /// assert_eq!(u.build(), "SET #b = :b_u0");
    /// ```
    pub fn unadd(&mut self, clause: UpdateClause, expression: &str) {
        if self.clauses[clause.index()]
            .shift_remove(expression)
            .is_some()
        {
            return;
        }
        // Perhaps one `set` wrote: those are kept by placeholder.
        let mut text = String::new();
        let written = self.clauses[clause.index()].iter().find_map(|(key, slot)| {
            text.clear();
            self.write_set(*slot, &mut text);
            (slot.is_some() && text == expression).then(|| key.clone())
        });
        if let Some(key) = written {
            self.clauses[clause.index()].shift_remove(&key);
        }
    }

    /// What `set` wrote into `slot`'s entry, appended to `out` (nothing for an
    /// expression kept as text).
    fn write_set(&self, slot: Option<u32>, out: &mut String) {
        let seen = slot
            .and_then(|s| self.seen.get(s as usize))
            .and_then(Option::as_ref);
        if let Some(seen) = seen {
            seen.write_to(out);
        }
    }

    /// One clause entry's text, appended to `out`.
    fn write_entry(&self, key: &str, slot: Option<u32>, out: &mut String) {
        match slot {
            Some(_) => self.write_set(slot, out),
            None => out.push_str(key),
        }
    }

    /// The length of one clause entry's text.
    fn entry_len(&self, key: &str, slot: Option<u32>) -> usize {
        let seen = slot
            .and_then(|s| self.seen.get(s as usize))
            .and_then(Option::as_ref);
        match (slot, seen) {
            (Some(_), Some(seen)) => seen.len(),
            (Some(_), None) => 0,
            (None, _) => key.len(),
        }
    }

    /// `addComposite(attr, value)`: records a composite attribute supplied with the
    /// `composite` chain method. `None` (undefined) is refused; a second, different
    /// value is refused.
    ///
    /// ```
    /// let mut u = electro_expr::UpdateExpression::new();
    /// assert!(u.add_composite("team", Some(&"Ops".into())));
    /// assert!(u.add_composite("team", Some(&"Ops".into())));
    /// assert!(!u.add_composite("team", Some(&"Dev".into())));
    /// assert!(!u.add_composite("task", None));
    /// assert_eq!(u.composites().len(), 1);
    /// ```
    pub fn add_composite(&mut self, attr: &str, value: Option<&Value>) -> bool {
        let Some(value) = value else { return false };
        match self.composites.get(attr) {
            Some(existing) => existing == value,
            None => {
                self.composites.insert(attr.into(), value.clone());
                true
            }
        }
    }

    /// Composite attributes recorded by [`add_composite`](Self::add_composite).
    pub fn composites(&self) -> &crate::ValueMap {
        &self.composites
    }

    /// Renders an update action (an operation of a `data` callback or chain method)
    /// and adds it to its clause.
    ///
    /// ```
    /// use electro_expr::{AttrKind, Operand, Path, UpdateAction, UpdateExpression};
    /// let mut u = UpdateExpression::new();
    /// u.apply(&UpdateAction::subtract(Path::root("petFee"), AttrKind::Number, 5)).unwrap();
    /// u.apply(&UpdateAction::add(Path::root("totalFees"), AttrKind::Number, Operand::Name(Path::root("petFee")))).unwrap();
    /// u.apply(&UpdateAction::remove(Path::root("mapAttribute").attr("count", "count"), AttrKind::Number)).unwrap();
    /// assert_eq!(
    ///     u.build(),
    ///     "SET #petFee = (if_not_exists(#petFee, :petFee_default_value_u0) - :petFee_u0), \
    ///      #totalFees = #totalFees + #petFee REMOVE #mapAttribute.#count"
    /// );
    /// ```
    pub fn apply(&mut self, action: &UpdateAction) -> Result<(), ExprError> {
        let (clause, expression) = update_action(&mut self.state, action)?;
        self.add(clause, expression);
        Ok(())
    }

    /// The UpdateExpression text: non-empty clauses in order, each
    /// `KEYWORD a, b`, joined by spaces.
    ///
    /// ```
    /// use electro_expr::{UpdateClause, UpdateExpression};
    /// let mut u = UpdateExpression::new();
    /// u.add(UpdateClause::Add, "#points :points_u0");
    /// u.remove("discount");
    /// u.set("status", "open".into(), false);
    /// assert_eq!(u.build(), "SET #status = :status_u0 REMOVE #discount ADD #points :points_u0");
    /// ```
    pub fn build(&self) -> String {
        let len: usize = self
            .clauses
            .iter()
            .flat_map(|set| set.iter().map(|(k, slot)| self.entry_len(k, *slot) + 2))
            .sum();
        let mut out = String::with_capacity(len + 4 * 8);
        self.write_to(&mut out);
        out
    }

    /// [`build`](Self::build) onto `out`.
    pub fn write_to(&self, out: &mut String) {
        for clause in UpdateClause::ALL {
            let entries = &self.clauses[clause.index()];
            clause.write_entries(out, entries, |(key, slot), out| {
                self.write_entry(key, *slot, out);
            });
        }
    }

    /// The expressions of one clause, in order.
    ///
    /// ```
    /// use electro_expr::{UpdateClause, UpdateExpression};
    /// let mut u = UpdateExpression::new();
    /// u.add(UpdateClause::Set, "#a = :a_u0");
    /// u.set("b", 1.into(), true);
    /// assert_eq!(u.clause(UpdateClause::Set), ["#a = :a_u0", "#b = if_not_exists(#b, :b_u0)"]);
    /// ```
    pub fn clause(&self, clause: UpdateClause) -> Vec<String> {
        (self.clauses[clause.index()].iter())
            .map(|(key, slot)| {
                let mut text = String::with_capacity(self.entry_len(key, *slot));
                self.write_entry(key, *slot, &mut text);
                text
            })
            .collect()
    }

    /// The placeholder state.
    pub fn state(&self) -> &ExpressionState {
        &self.state
    }

    /// The placeholder state, for `update_value` after setters run.
    pub fn state_mut(&mut self) -> &mut ExpressionState {
        &mut self.state
    }

    /// `ExpressionAttributeNames` registered so far.
    pub fn names(&self) -> &NameMap {
        self.state.names()
    }

    /// `ExpressionAttributeValues` registered so far.
    pub fn values(&self) -> &ValueMap {
        self.state.values()
    }
}
