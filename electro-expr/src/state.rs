//! `ExpressionState`: the placeholder registry every expression writes into.
//!
//! A port of ElectroDB's class of the same name. One state backs one expression
//! family (a filter, a condition, an update), and its registration order *is* the
//! order of `ExpressionAttributeNames`/`ExpressionAttributeValues` in the params, so
//! the renderers call into it in exactly the order ElectroDB does.

use crate::OrderedMap;
use crate::hash::{NameMap, ValueMap};
use crate::names::{SeenEntry, format_name_into, format_value_in, js_is_nan, push_u32};
use crate::value::Value;
use std::borrow::Cow;

/// Where `set_name` put an attribute: ElectroDB's `{json, expression, prop}`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
/// Its parts are `Name`s: a root attribute's path fits inline, so referring to an
/// attribute allocates nothing.
pub struct PathRef {
    /// Dotted path with formatted names, `a.b[0]`: the key of the bookkeeping maps.
    pub json: crate::Name,
    /// The path as written in expressions, `#a.#b[0]`.
    pub expression: crate::Name,
    /// The last name placeholder, `#b` (for a list index, `#<index>`, unregistered).
    pub prop: crate::Name,
}

/// Everything the state knows about one formatted name. ElectroDB keeps this in
/// three objects (seen names, value counters, `ExpressionAttributeNames`); one entry
/// here means one lookup per placeholder instead of three.
#[derive(Clone, Debug)]
struct Slot {
    /// The original name the formatted name was made from.
    original: crate::Name,
    /// The next value counter of `:formatted{prefix}{n}`.
    count: u32,
    /// Where `#formatted` sits in `names`, once registered.
    name_at: Option<u32>,
}

impl SeenEntry for Slot {
    fn original(&self) -> &str {
        &self.original
    }

    fn first_seen(original: &str) -> Self {
        Slot {
            original: original.into(),
            count: 0,
            name_at: None,
        }
    }
}

/// Where a formatted name sits in an [`ExpressionState`] (see
/// [`ExpressionState::push_name_slot`]). A slot stays where it is for the state's
/// life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NameSlot(usize);

/// The registry of name and value placeholders for one expression.
#[derive(Clone, Debug)]
pub struct ExpressionState {
    names: NameMap,
    values: ValueMap,
    prefix: Cow<'static, str>,
    /// Formatted name → its slot; names and values share it, as in ElectroDB.
    seen: OrderedMap<Slot>,
    /// Whether every value placeholder came from a counter whose form cannot repeat
    /// (a prefix ending in a non-digit, or no prefix and no formatted name ending
    /// in a digit; no placeholder inserted from outside): new values are then
    /// appended without a lookup.
    values_unique: bool,
    track: bool,
    paths: OrderedMap<crate::Name>,
    impacted: OrderedMap<&'static str>,
    /// Spare buffers for the renderer, kept so repeated renders do not reallocate.
    pool: Vec<String>,
}

impl Default for ExpressionState {
    /// [`ExpressionState::new`].
    fn default() -> Self {
        ExpressionState {
            names: NameMap::default(),
            values: ValueMap::default(),
            prefix: Cow::Borrowed(""),
            seen: OrderedMap::default(),
            values_unique: true,
            track: false,
            paths: OrderedMap::default(),
            impacted: OrderedMap::default(),
            pool: Vec::new(),
        }
    }
}

impl ExpressionState {
    /// A state with no counter prefix (filters and conditions: `:name0`).
    ///
    /// ```
    /// let mut s = electro_expr::ExpressionState::new();
    /// assert_eq!(s.set_value("name", "x".into()), ":name0");
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// A state whose value counters carry `prefix` (ElectroDB's update builder uses
    /// `"_u"` for `:name_u0`, collections `"_c"`).
    ///
    /// ```
    /// let mut s = electro_expr::ExpressionState::with_prefix("_u");
    /// assert_eq!(s.set_value("name", "x".into()), ":name_u0");
    /// assert_eq!(s.set_value("name", "y".into()), ":name_u1");
    /// ```
    pub fn with_prefix(prefix: impl Into<Cow<'static, str>>) -> Self {
        let prefix = prefix.into();
        // `:{name}{prefix}{n}` splits back into name and counter at the prefix's last
        // occurrence only when the prefix cannot run into the digits. Without a
        // prefix it splits at the trailing digits until a name ends in a digit
        // (`finish_value` watches for that).
        let values_unique = prefix.bytes().last().is_none_or(|b| !b.is_ascii_digit());
        Self {
            prefix,
            values_unique,
            ..Self::default()
        }
    }

    /// Turns on the `paths`/`impacted` bookkeeping the update flow reads back.
    pub fn with_tracking(mut self) -> Self {
        self.track = true;
        self
    }

    /// Reserves room for `n` names and values, sparing rehashes while an update with
    /// many attributes is built.
    pub fn with_capacity(mut self, n: usize) -> Self {
        self.reserve(n);
        self
    }

    /// [`ExpressionState::with_capacity`] on an existing state.
    pub fn reserve(&mut self, n: usize) {
        // Names and values are appended without a search (a name by its slot, a
        // value under a fresh counter) and rarely looked up: no hash index for them.
        self.names.reserve_unindexed(n);
        self.values.reserve_unindexed(n);
        self.seen.reserve(n);
    }

    /// A copy with room for `more` further names and values (and no spare
    /// buffers): for a state rendered once and then started from many times, so
    /// that what each start adds does not regrow it.
    ///
    /// ```
    /// let mut s = electro_expr::ExpressionState::new();
    /// s.set_name(None, "pk", "pk");
    /// let mut copy = s.clone_with_room(4);
    /// assert_eq!(copy.set_value("pk", 1.into()), ":pk0");
    /// assert_eq!(copy.names().len(), 1);
    /// assert!(copy.values().capacity() >= 4);
    /// ```
    pub fn clone_with_room(&self, more: usize) -> Self {
        fn copy<V: Clone>(map: &OrderedMap<V>, more: usize) -> OrderedMap<V> {
            let mut out = OrderedMap::with_capacity(map.len() + more);
            for (k, v) in map {
                // The names are distinct in the map copied.
                out.insert_unique(k.clone(), v.clone());
            }
            out
        }
        ExpressionState {
            names: copy(&self.names, more),
            values: copy(&self.values, more),
            prefix: self.prefix.clone(),
            seen: copy(&self.seen, more),
            values_unique: self.values_unique,
            track: self.track,
            paths: self.paths.clone(),
            impacted: self.impacted.clone(),
            pool: Vec::new(),
        }
    }

    /// The value counter prefix.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Whether `paths`/`impacted` are being recorded.
    pub fn tracks_paths(&self) -> bool {
        self.track
    }

    /// `formatName`: the formatted form of `name`, registering it as seen. Names and
    /// values share one seen map, as in ElectroDB.
    ///
    /// ```
    /// let mut s = electro_expr::ExpressionState::new();
    /// assert_eq!(s.format_name("a-b"), "ab");
    /// assert_eq!(s.format_name("ab"), "ab_2");
    /// ```
    pub fn format_name(&mut self, name: &str) -> String {
        let mut out = String::new();
        format_name_into(name, &mut self.seen, &mut out);
        out
    }

    /// `setName(paths, name, field)`: registers `#name → field` (unless `name`
    /// formats to a number under a parent, which is a list index `[n]`) and returns
    /// where the attribute sits.
    ///
    /// ```
    /// let mut s = electro_expr::ExpressionState::new();
    /// let root = s.set_name(None, "offspring", "offspring");
    /// let item = s.set_name(Some(&root), "0", "0");
    /// let name = s.set_name(Some(&item), "name", "nm");
    /// assert_eq!(name.expression, "#offspring[0].#name");
    /// assert_eq!(name.json, "offspring[0].name");
    /// assert_eq!(s.names().get("#name").map(electro_expr::Name::as_str), Some("nm"));
    /// assert_eq!(s.names().len(), 2);
    /// ```
    pub fn set_name(&mut self, parent: Option<&PathRef>, name: &str, field: &str) -> PathRef {
        // Built in pooled buffers; the path keeps inline copies. At the root the
        // json path is the formatted name itself, so it needs no buffer.
        let mut expression = self.take_buf();
        let mut json = parent.map(|p| {
            expression.push_str(&p.expression);
            let mut json = self.take_buf();
            json.push_str(&p.json);
            json
        });
        let (formatted, _) = self.push_segment(
            parent.is_some(),
            name,
            field,
            &mut expression,
            json.as_mut(),
        );
        let formatted = &expression[formatted];
        let mut prop = crate::Name::with_capacity(formatted.len() + 1);
        prop.push('#');
        prop.push_str(formatted);
        let path = PathRef {
            json: json.as_deref().unwrap_or(formatted).into(),
            expression: expression.as_str().into(),
            prop,
        };
        self.give_buf(expression);
        if let Some(json) = json {
            self.give_buf(json);
        }
        path
    }

    /// Registers one path segment and appends it to `expr`, as
    /// [`ExpressionState::set_name`] does without building a [`PathRef`]: `#name` at
    /// the root, `.#name` under a parent (`nested`), `[n]` for a list index.
    /// Returns where the formatted name sits in `expr`.
    ///
    /// ```
    /// let mut s = electro_expr::ExpressionState::new();
    /// let mut path = String::new();
    /// s.push_name(false, "offspring", "offspring", &mut path);
    /// s.push_name(true, "0", "0", &mut path);
    /// let name = s.push_name(true, "first-name", "nm", &mut path);
    /// assert_eq!(path, "#offspring[0].#firstname");
    /// assert_eq!(&path[name], "firstname");
    /// assert_eq!(s.names().len(), 2);
    /// ```
    pub fn push_name(
        &mut self,
        nested: bool,
        name: &str,
        field: &str,
        expr: &mut String,
    ) -> std::ops::Range<usize> {
        self.push_segment(nested, name, field, expr, None).0
    }

    /// [`ExpressionState::push_name`], also returning the formatted name's slot, by
    /// which [`ExpressionState::push_slot_value`] registers values for the same name
    /// without looking it up again.
    ///
    /// ```
    /// let mut s = electro_expr::ExpressionState::new();
    /// let mut out = String::new();
    /// let (name, slot) = s.push_name_slot(false, "first-name", "first-name", &mut out);
    /// assert_eq!(&out[name], "firstname");
    /// out.push_str(" = ");
    /// s.push_slot_value(slot, "Joe".into(), &mut out);
    /// assert_eq!(out, "#firstname = :firstname0");
    /// ```
    pub fn push_name_slot(
        &mut self,
        nested: bool,
        name: &str,
        field: &str,
        expr: &mut String,
    ) -> (std::ops::Range<usize>, NameSlot) {
        let (range, slot) = self.push_segment(nested, name, field, expr, None);
        (range, NameSlot(slot))
    }

    /// Appends one path segment to `expr` (and `json`): `#name` at the root, `.#name`
    /// under a parent, `[n]` when the formatted name is a number under a parent.
    /// Returns the formatted name in a pooled buffer.
    pub(crate) fn write_name_segment(
        &mut self,
        nested: bool,
        name: &str,
        field: &str,
        expr: &mut String,
        json: Option<&mut String>,
    ) -> String {
        let (range, _) = self.push_segment(nested, name, field, expr, json);
        let mut formatted = self.take_buf();
        formatted.push_str(&expr[range]);
        formatted
    }

    /// [`ExpressionState::write_name_segment`] with the name formatted straight
    /// into `expr`: returns where the formatted name sits in `expr`, and its slot.
    fn push_segment(
        &mut self,
        nested: bool,
        name: &str,
        field: &str,
        expr: &mut String,
        json: Option<&mut String>,
    ) -> (std::ops::Range<usize>, usize) {
        let segment = expr.len();
        if nested {
            expr.push('.');
        }
        expr.push('#');
        let start = expr.len();
        let slot = format_name_into(name, &mut self.seen, expr);
        let end = expr.len();
        if nested && !js_is_nan(&expr[start..end]) {
            // A list index: `[n]` in place of `.#n`, not registered.
            expr.replace_range(segment..start, "[");
            expr.push(']');
            let formatted = segment + 1..end - 1;
            if let Some(j) = json {
                j.push('[');
                j.push_str(&expr[formatted.clone()]);
                j.push(']');
            }
            (formatted, slot)
        } else {
            self.register_name(slot, &expr[start - 1..end], field);
            if let Some(j) = json {
                if nested {
                    j.push('.');
                }
                j.push_str(&expr[start..end]);
            }
            (start..end, slot)
        }
    }

    /// `#formatted → field` for the name in `slot`. A name registered again takes
    /// the new field in its old place, as a JavaScript object's property does.
    fn register_name(&mut self, slot: usize, key: &str, field: &str) {
        let Some((_, entry)) = self.seen.get_index_mut(slot) else {
            return;
        };
        match entry.name_at {
            Some(at) => {
                if let Some((_, f)) = self.names.get_index_mut(at as usize) {
                    *f = field.into();
                }
            }
            None => {
                // `#formatted` is new: each formatted name has one slot.
                let at = self.names.insert_unique(key.into(), field.into());
                entry.name_at = u32::try_from(at).ok();
            }
        }
    }

    /// The slot of `name`, whose formatted form is appended to `out` (registering
    /// it as seen). A slot stays where it is for the state's life, so callers may
    /// keep their own per-name records by slot.
    pub(crate) fn format_slot(&mut self, name: &str, out: &mut String) -> usize {
        format_name_into(name, &mut self.seen, out)
    }

    /// `#formatted → field` and `:formatted{prefix}{n} → value` for the name in
    /// `slot` (from [`ExpressionState::format_slot`]), as `set` registers a field:
    /// `out` holds `#formatted` (`name`), to which the placeholder is appended.
    pub(crate) fn push_value_after_name(
        &mut self,
        slot: usize,
        name: &str,
        field: &str,
        value: Value,
        out: &mut String,
    ) {
        self.register_name(slot, name, field);
        let start = out.len();
        out.push(':');
        out.push_str(&name[1..]);
        self.finish_value(start, slot, value, out);
    }

    /// `setValue(name, value)`: registers `value` under the next `:name{prefix}{n}`
    /// placeholder and returns it.
    ///
    /// ```
    /// let mut s = electro_expr::ExpressionState::new();
    /// assert_eq!(s.set_value("__edb_e__", "x".into()), ":__edb_e__0");
    /// assert_eq!(s.set_value("first name", 1.into()), ":firstname0");
    /// assert_eq!(s.values().len(), 2);
    /// ```
    pub fn set_value(&mut self, name: &str, value: Value) -> String {
        // `:` + name + a counter suffix and prefix, in one allocation.
        let mut out = String::with_capacity(name.len() + 8 + self.prefix.len());
        self.push_value(name, value, &mut out);
        out
    }

    /// [`ExpressionState::set_value`] writing the placeholder onto `out`.
    ///
    /// ```
    /// let mut s = electro_expr::ExpressionState::with_prefix("_u");
    /// let mut out = String::from("#a = ");
    /// s.push_value("a", 1.into(), &mut out);
    /// assert_eq!(out, "#a = :a_u0");
    /// ```
    pub fn push_value(&mut self, name: &str, value: Value, out: &mut String) {
        let start = out.len();
        out.push(':');
        let slot = format_name_into(name, &mut self.seen, out);
        self.finish_value(start, slot, value, out);
    }

    /// [`ExpressionState::push_value`] for a name formatted already: `formatted` is
    /// what formatting the name gave (e.g. [`ExpressionState::push_name`] for the
    /// same name), which formatting it again would give too.
    ///
    /// ```
    /// let mut s = electro_expr::ExpressionState::new();
    /// let mut out = String::new();
    /// let name = s.push_name(false, "first-name", "first-name", &mut out);
    /// let formatted = out[name].to_string();
    /// out.push_str(" = ");
    /// s.push_formatted_value(&formatted, "Joe".into(), &mut out);
    /// assert_eq!(out, "#firstname = :firstname0");
    /// ```
    pub fn push_formatted_value(&mut self, formatted: &str, value: Value, out: &mut String) {
        let start = out.len();
        out.push(':');
        out.push_str(formatted);
        // The name was formatted (and seen) already: its slot is found by its text
        // (a name never seen gets one, as formatting it would have made).
        let slot = match self.seen.get_index_of(formatted) {
            Some(slot) => slot,
            None => (self.seen).insert_unique(formatted.into(), Slot::first_seen(formatted)),
        };
        self.finish_value(start, slot, value, out);
    }

    /// [`ExpressionState::push_formatted_value`] for the name in `slot` (from
    /// [`ExpressionState::push_name_slot`] on this state): its formatted form is the
    /// slot's, so nothing is looked up.
    pub fn push_slot_value(&mut self, slot: NameSlot, value: Value, out: &mut String) {
        let start = out.len();
        out.push(':');
        if let Some((formatted, _)) = self.seen.get_index(slot.0) {
            out.push_str(formatted);
        }
        self.finish_value(start, slot.0, value, out);
    }

    /// `setValue(value, value)` as the `escape` operation calls it: the value is
    /// registered under a name made from its own text.
    ///
    /// ```
    /// let mut s = electro_expr::ExpressionState::new();
    /// assert_eq!(s.set_escaped_value("Joe Exotic".into()), ":JoeExotic0");
    /// ```
    pub fn set_escaped_value(&mut self, value: Value) -> String {
        let mut out = String::with_capacity(24);
        self.push_escaped_value(value, &mut out);
        out
    }

    /// [`ExpressionState::set_escaped_value`] writing onto `out`.
    pub(crate) fn push_escaped_value(&mut self, value: Value, out: &mut String) {
        let start = out.len();
        out.push(':');
        let (formatted, slot) = format_value_in(&value, &mut self.seen);
        out.push_str(&formatted);
        self.finish_value(start, slot, value, out);
    }

    /// Appends the counter of the name in `slot` to the placeholder started at
    /// `out[start..]` and registers `value` under it.
    fn finish_value(&mut self, start: usize, slot: usize, value: Value, out: &mut String) {
        let n = match self.seen.get_index_mut(slot) {
            Some((_, entry)) => {
                entry.count += 1;
                entry.count - 1
            }
            None => 0,
        };
        if self.prefix.is_empty() && out.as_bytes().last().is_some_and(u8::is_ascii_digit) {
            // `:x1` + `0` is `:x` + `10`: from now on placeholders can repeat.
            self.values_unique = false;
        }
        out.push_str(&self.prefix);
        push_u32(out, n);
        if self.values_unique {
            self.values.insert_unique(out[start..].into(), value);
        } else {
            self.values.insert(out[start..].into(), value);
        }
    }

    /// `updateValue(placeholder, value)`: replaces (or adds) a placeholder's value.
    ///
    /// ```
    /// let mut s = electro_expr::ExpressionState::with_prefix("_u");
    /// let v = s.set_value("price", 1.into());
    /// s.update_value(&v, 2.into());
    /// assert_eq!(s.values()[":price_u0"], 2.into());
    /// ```
    pub fn update_value(&mut self, placeholder: &str, value: Value) {
        match self.values.get_mut(placeholder) {
            Some(v) => *v = value,
            None => {
                // A placeholder from outside could match one a counter makes later.
                self.values_unique = false;
                self.values.insert(placeholder.into(), value);
            }
        }
    }

    /// `ExpressionAttributeNames` so far: `#prop → field`, in registration order.
    pub fn names(&self) -> &NameMap {
        &self.names
    }

    /// `ExpressionAttributeValues` so far, in registration order.
    pub fn values(&self) -> &ValueMap {
        &self.values
    }

    /// The names and values, consuming the state.
    pub fn into_parts(self) -> (NameMap, ValueMap) {
        (self.names, self.values)
    }

    /// `setPath(json, {value, name})`: the last value placeholder written for a path.
    /// Recorded only when tracking is on.
    pub fn set_path(&mut self, json: &str, placeholder: &str) {
        if self.track {
            // An existing path keeps its place and takes the new placeholder.
            self.paths.insert(json.into(), placeholder.into());
        }
    }

    /// Json path → the value placeholder last written for it (see
    /// [`ExpressionState::path_value`] for the value itself).
    pub fn paths(&self) -> &OrderedMap<crate::Name> {
        &self.paths
    }

    /// The placeholder and current value last written for a json path.
    pub fn path_value(&self, json: &str) -> Option<(&str, &Value)> {
        let placeholder = self.paths.get(json)?;
        Some((placeholder.as_str(), self.values.get(placeholder.as_str())?))
    }

    /// `setImpacted(operation, path)`: the last operation applied to a json path.
    /// Recorded only when tracking is on.
    pub fn set_impacted(&mut self, operation: &'static str, json: &str) {
        if self.track {
            self.impacted.insert(json.into(), operation);
        }
    }

    /// Json path → the operation name last applied to it (`"set"`, `"remove"`, ...).
    pub fn impacted(&self) -> &OrderedMap<&'static str> {
        &self.impacted
    }

    /// A spare buffer (empty), for text rendered while building this expression;
    /// hand it back with [`ExpressionState::give_buf`] so the next render reuses it.
    ///
    /// ```
    /// let mut s = electro_expr::ExpressionState::new();
    /// let mut buf = s.take_buf();
    /// s.push_value("a", 1.into(), &mut buf);
    /// assert_eq!(buf, ":a0");
    /// s.give_buf(buf);
    /// assert!(s.take_buf().is_empty());
    /// ```
    pub fn take_buf(&mut self) -> String {
        match self.pool.pop() {
            Some(mut s) => {
                s.clear();
                s
            }
            // Room for a typical path or placeholder, so it is not regrown.
            None => String::with_capacity(32),
        }
    }

    /// Returns a buffer from [`ExpressionState::take_buf`] to the pool.
    pub fn give_buf(&mut self, s: String) {
        if self.pool.len() < 16 {
            self.pool.push(s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_overwrite_fields_in_place_like_js_objects() {
        let mut s = ExpressionState::new();
        s.set_name(None, "a", "fa");
        s.set_name(None, "b", "fb");
        s.set_name(None, "a", "fa2");
        let keys: Vec<_> = s.names().iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert_eq!(keys, ["#a=fa2", "#b=fb"]);
    }

    #[test]
    fn counters_are_per_formatted_name() {
        let mut s = ExpressionState::with_prefix("_u");
        assert_eq!(s.set_value("a-b", 1.into()), ":ab_u0");
        assert_eq!(s.set_value("a-b", 2.into()), ":ab_u1");
        assert_eq!(s.set_value("ab", 3.into()), ":ab_2_u0");
        assert_eq!(s.set_value("*", 4.into()), ":p_u0");
        assert_eq!(
            s.set_value("petFee_default_value", 0.into()),
            ":petFee_default_value_u0"
        );
        assert_eq!(s.values().len(), 5);
    }

    #[test]
    fn repeated_value_placeholders_overwrite_in_place() {
        // Without a prefix, `x` counted to 10 and `x1` at 0 both make `:x10`.
        let mut s = ExpressionState::new();
        for i in 0..11 {
            s.set_value("x", i.into());
        }
        assert_eq!(s.set_value("x1", 99.into()), ":x10");
        assert_eq!(s.values().len(), 11);
        assert_eq!(s.values()[":x10"], 99.into());
        // The other way round: `x1` first, then `x` counted up to it.
        let mut r = ExpressionState::new();
        assert_eq!(r.set_value("x1", 99.into()), ":x10");
        for i in 0..11 {
            r.set_value("x", i.into());
        }
        assert_eq!(r.values().len(), 11);
        assert_eq!(r.values()[":x10"], 10.into());
        // A placeholder put in from outside is found again by the counter.
        let mut u = ExpressionState::with_prefix("_u");
        u.update_value(":a_u0", 1.into());
        assert_eq!(u.set_value("a", 2.into()), ":a_u0");
        assert_eq!(u.values().len(), 1);
        assert_eq!(u.values()[":a_u0"], 2.into());
    }

    #[test]
    fn list_index_names_are_not_registered() {
        let mut s = ExpressionState::new();
        let root = s.set_name(None, "diet", "diet");
        let item = s.set_name(Some(&root), "0", "0");
        assert_eq!(item.expression, "#diet[0]");
        assert_eq!(item.prop, "#0");
        assert_eq!(s.names().len(), 1);
        // A numeric name at the root is a name, as in ElectroDB.
        let top = s.set_name(None, "7", "seven");
        assert_eq!(top.expression, "#7");
        assert_eq!(s.names().get("#7").map(crate::Name::as_str), Some("seven"));
    }

    #[test]
    fn tracking_records_paths_and_impacted() {
        let mut s = ExpressionState::with_prefix("_u").with_tracking();
        let p = s.set_value("rent", 5.into());
        s.set_path("rent", &p);
        s.set_impacted("set", "rent");
        assert_eq!(s.path_value("rent"), Some((":rent_u0", &Value::from(5))));
        assert_eq!(s.impacted().get("rent"), Some(&"set"));
        s.update_value(":rent_u0", 6.into());
        assert_eq!(
            s.path_value("rent").map(|(_, v)| v.clone()),
            Some(Value::from(6))
        );
        let mut untracked = ExpressionState::new();
        untracked.set_path("rent", ":rent0");
        assert!(untracked.paths().is_empty());
    }
}
