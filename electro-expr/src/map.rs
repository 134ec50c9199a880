//! [`Map`]: the insertion-ordered attribute map every item, key and params object is.
//!
//! Almost every map electro builds is small: a key has two attributes, an input four
//! to ten, a params object six. For those a hash index costs more than it saves (a
//! second allocation, a hash per insert and lookup, a rehash as it grows), so a map
//! is a plain vector of entries searched in order until it outgrows
//! [`LINEAR_MAX`] entries; only then does it build a hash index beside the vector.
//! Order is always the vector's: insertion order, as JavaScript objects keep it.

use std::fmt;
use std::hash::BuildHasher;
use std::ops::{Index, IndexMut, RangeBounds};

use hashbrown::HashTable;

use crate::value::{Name, Value};

/// Up to this many entries a map has no hash index: a lookup compares names in order.
pub const LINEAR_MAX: usize = 8;

/// A map of attribute names to values, kept in insertion order (as JavaScript objects
/// are), because ElectroDB's output order follows the order attributes were given.
///
/// The API follows `indexmap::IndexMap` (`insert`, `get`, `shift_remove`, `entry`,
/// `sort_keys`, ...). Small maps are vectors searched in order; past
/// [`LINEAR_MAX`] entries a hash index (foldhash, seeded per map, so still
/// randomised against crafted-collision input) keeps lookups constant-time.
/// Equality ignores order, as `IndexMap`'s does.
///
/// ```
/// use electro_expr::{Map, Value};
///
/// let mut item = Map::new();
/// item.insert("pk".into(), Value::from("$store#id_1"));
/// item.insert("name".into(), Value::from("Latte Larry's"));
/// assert_eq!(item.get("pk"), Some(&Value::from("$store#id_1")));
/// assert_eq!(item.keys().map(|k| k.as_str()).collect::<Vec<_>>(), ["pk", "name"]);
/// ```
#[derive(Clone, Default)]
pub struct Map {
    entries: Vec<(Name, Value)>,
    index: Option<Box<HashIndex>>,
}

/// Positions of a large map's entries, by the hash of their names.
#[derive(Clone)]
struct HashIndex {
    table: HashTable<usize>,
    state: foldhash::fast::RandomState,
}

impl HashIndex {
    fn build(entries: &[(Name, Value)]) -> Box<HashIndex> {
        let mut index = Box::new(HashIndex {
            table: HashTable::with_capacity(entries.len()),
            state: foldhash::fast::RandomState::default(),
        });
        for i in 0..entries.len() {
            index.push(entries, i);
        }
        index
    }

    fn hash(&self, key: &str) -> u64 {
        self.state.hash_one(key)
    }

    fn find(&self, entries: &[(Name, Value)], key: &str) -> Option<usize> {
        let hash = self.hash(key);
        self.table
            .find(hash, |&i| entries[i].0.as_str() == key)
            .copied()
    }

    /// Drops the slot of entry `i`, named `key`.
    fn forget(&mut self, key: &str, i: usize) {
        let hash = self.hash(key);
        if let Ok(slot) = self.table.find_entry(hash, |&j| j == i) {
            slot.remove();
        }
    }

    fn push(&mut self, entries: &[(Name, Value)], i: usize) {
        let hash = self.hash(&entries[i].0);
        let state = &self.state;
        self.table
            .insert_unique(hash, i, |&j| state.hash_one(entries[j].0.as_str()));
    }
}

impl Map {
    /// An empty map (no allocation until the first insert).
    ///
    /// ```
    /// let map = electro_expr::Map::new();
    /// assert!(map.is_empty());
    /// ```
    pub fn new() -> Self {
        Map::default()
    }

    /// An empty map with room for `capacity` entries.
    ///
    /// ```
    /// let map = electro_expr::Map::with_capacity(4);
    /// assert!(map.capacity() >= 4);
    /// ```
    pub fn with_capacity(capacity: usize) -> Self {
        Map {
            entries: Vec::with_capacity(capacity),
            index: None,
        }
    }

    /// How many entries fit before the entry vector reallocates.
    pub fn capacity(&self) -> usize {
        self.entries.capacity()
    }

    /// Reserves room for `additional` more entries.
    pub fn reserve(&mut self, additional: usize) {
        self.entries.reserve(additional);
        if let Some(index) = &mut self.index {
            let (entries, state) = (&self.entries, &index.state);
            index
                .table
                .reserve(additional, |&j| state.hash_one(entries[j].0.as_str()));
        }
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the map has no entries.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Removes every entry, keeping the allocation.
    pub fn clear(&mut self) {
        self.entries.clear();
        self.index = None;
    }

    /// The position of `key`, if present.
    pub fn get_index_of<Q: AsRef<str> + ?Sized>(&self, key: &Q) -> Option<usize> {
        self.position(key.as_ref())
    }

    #[inline]
    fn position(&self, key: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.find(&self.entries, key),
            None => self
                .entries
                .iter()
                .position(|(k, _)| k.len() == key.len() && k.as_str() == key),
        }
    }

    /// The value of `key`.
    pub fn get<Q: AsRef<str> + ?Sized>(&self, key: &Q) -> Option<&Value> {
        let i = self.position(key.as_ref())?;
        Some(&self.entries[i].1)
    }

    /// The stored name and value of `key`.
    pub fn get_key_value<Q: AsRef<str> + ?Sized>(&self, key: &Q) -> Option<(&Name, &Value)> {
        let i = self.position(key.as_ref())?;
        let (k, v) = &self.entries[i];
        Some((k, v))
    }

    /// The value of `key`, mutably.
    pub fn get_mut<Q: AsRef<str> + ?Sized>(&mut self, key: &Q) -> Option<&mut Value> {
        let i = self.position(key.as_ref())?;
        Some(&mut self.entries[i].1)
    }

    /// Whether `key` is present.
    pub fn contains_key<Q: AsRef<str> + ?Sized>(&self, key: &Q) -> bool {
        self.position(key.as_ref()).is_some()
    }

    /// The entry at position `i`.
    pub fn get_index(&self, i: usize) -> Option<(&Name, &Value)> {
        self.entries.get(i).map(|(k, v)| (k, v))
    }

    /// The entry at position `i`, its value mutably.
    pub fn get_index_mut(&mut self, i: usize) -> Option<(&Name, &mut Value)> {
        self.entries.get_mut(i).map(|(k, v)| (&*k, v))
    }

    /// The first entry.
    pub fn first(&self) -> Option<(&Name, &Value)> {
        self.get_index(0)
    }

    /// The last entry.
    pub fn last(&self) -> Option<(&Name, &Value)> {
        self.entries.last().map(|(k, v)| (k, v))
    }

    /// Sets `key` to `value`, returning the value it replaces. A new key goes last; an
    /// existing one keeps its position.
    ///
    /// ```
    /// use electro_expr::{Map, Value};
    ///
    /// let mut map = Map::new();
    /// map.insert("a".into(), Value::from(1));
    /// map.insert("b".into(), Value::from(2));
    /// assert_eq!(map.insert("a".into(), Value::from(3)), Some(Value::from(1)));
    /// assert_eq!(map.keys().map(|k| k.as_str()).collect::<Vec<_>>(), ["a", "b"]);
    /// ```
    pub fn insert(&mut self, key: Name, value: Value) -> Option<Value> {
        self.insert_full(key, value).1
    }

    /// [`Map::insert`], also returning the entry's position.
    pub fn insert_full(&mut self, key: Name, value: Value) -> (usize, Option<Value>) {
        match self.position(&key) {
            Some(i) => (i, Some(std::mem::replace(&mut self.entries[i].1, value))),
            None => (self.push(key, value), None),
        }
    }

    /// Appends an entry known to be absent.
    #[inline]
    fn push(&mut self, key: Name, value: Value) -> usize {
        let i = self.entries.len();
        self.entries.push((key, value));
        match &mut self.index {
            Some(index) => index.push(&self.entries, i),
            None if i >= LINEAR_MAX => self.index = Some(HashIndex::build(&self.entries)),
            None => {}
        }
        i
    }

    /// The entry of `key`, to read, insert or update in place.
    ///
    /// ```
    /// use electro_expr::{Map, Value};
    ///
    /// let mut counts = Map::new();
    /// *counts.entry("seen".into()).or_insert(Value::from(0)) = Value::from(1);
    /// assert_eq!(counts["seen"], Value::from(1));
    /// ```
    pub fn entry(&mut self, key: Name) -> Entry<'_> {
        match self.position(&key) {
            Some(i) => Entry::Occupied(OccupiedEntry { map: self, i }),
            None => Entry::Vacant(VacantEntry { map: self, key }),
        }
    }

    /// Removes `key`, moving the entries after it up one place (order kept; O(n)).
    pub fn shift_remove<Q: AsRef<str> + ?Sized>(&mut self, key: &Q) -> Option<Value> {
        self.shift_remove_entry(key).map(|(_, v)| v)
    }

    /// [`Map::shift_remove`], returning the stored name too.
    pub fn shift_remove_entry<Q: AsRef<str> + ?Sized>(&mut self, key: &Q) -> Option<(Name, Value)> {
        let i = self.position(key.as_ref())?;
        Some(self.shift_remove_index(i))
    }

    /// Removes the entry at position `i` (which must exist), keeping order.
    fn shift_remove_index(&mut self, i: usize) -> (Name, Value) {
        let entry = self.entries.remove(i);
        self.reindex();
        entry
    }

    /// Removes `key`, moving the last entry into its place (order not kept; O(1)).
    pub fn swap_remove<Q: AsRef<str> + ?Sized>(&mut self, key: &Q) -> Option<Value> {
        self.swap_remove_full(key).map(|(_, _, v)| v)
    }

    /// [`Map::swap_remove`], returning the position and the stored name too.
    pub fn swap_remove_full<Q: AsRef<str> + ?Sized>(
        &mut self,
        key: &Q,
    ) -> Option<(usize, Name, Value)> {
        let i = self.position(key.as_ref())?;
        let last = self.entries.len() - 1;
        if let Some(index) = &mut self.index {
            index.forget(&self.entries[i].0, i);
            if i != last {
                index.forget(&self.entries[last].0, last);
            }
        }
        let (name, value) = self.entries.swap_remove(i);
        if i != last {
            if let Some(index) = &mut self.index {
                index.push(&self.entries, i);
            }
        }
        Some((i, name, value))
    }

    /// Removes and returns the last entry.
    pub fn pop(&mut self) -> Option<(Name, Value)> {
        let entry = self.entries.pop()?;
        self.reindex();
        Some(entry)
    }

    /// Keeps only the entries for which `keep` returns true, in order.
    pub fn retain(&mut self, mut keep: impl FnMut(&Name, &mut Value) -> bool) {
        let before = self.entries.len();
        self.entries.retain_mut(|(k, v)| keep(k, v));
        if self.entries.len() != before {
            self.reindex();
        }
    }

    /// Keeps the first `len` entries.
    pub fn truncate(&mut self, len: usize) {
        if len < self.entries.len() {
            self.entries.truncate(len);
            self.reindex();
        }
    }

    /// Removes the entries in `range`, yielding them in order.
    pub fn drain<R: RangeBounds<usize>>(&mut self, range: R) -> Drain<'_> {
        // Positions shift, so the index goes; lookups fall back to a scan (still
        // correct) until the next insert rebuilds it.
        self.index = None;
        Drain(self.entries.drain(range))
    }

    /// Splits off the entries from position `at` into a new map.
    pub fn split_off(&mut self, at: usize) -> Map {
        let tail: Map = self.entries.split_off(at).into_iter().collect();
        self.reindex();
        tail
    }

    /// Reverses the order of the entries.
    pub fn reverse(&mut self) {
        self.entries.reverse();
        self.reindex();
    }

    /// Sorts the entries by name (stable).
    pub fn sort_keys(&mut self) {
        self.entries.sort_by(|a, b| a.0.cmp(&b.0));
        self.reindex();
    }

    /// Sorts the entries with `compare` over (name, value) pairs (stable).
    pub fn sort_by(
        &mut self,
        mut compare: impl FnMut(&Name, &Value, &Name, &Value) -> std::cmp::Ordering,
    ) {
        self.entries.sort_by(|a, b| compare(&a.0, &a.1, &b.0, &b.1));
        self.reindex();
    }

    /// Sorts the entries by name (not stable; names are unique, so the same order).
    pub fn sort_unstable_keys(&mut self) {
        self.entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        self.reindex();
    }

    /// Rebuilds (or drops) the hash index after entries moved.
    fn reindex(&mut self) {
        self.index = (self.entries.len() > LINEAR_MAX).then(|| HashIndex::build(&self.entries));
    }

    /// The entries in order.
    pub fn iter(&self) -> Iter<'_> {
        Iter(self.entries.iter())
    }

    /// The entries in order, values mutably.
    pub fn iter_mut(&mut self) -> IterMut<'_> {
        IterMut(self.entries.iter_mut())
    }

    /// The names in order.
    pub fn keys(&self) -> Keys<'_> {
        Keys(self.entries.iter())
    }

    /// The values in order.
    pub fn values(&self) -> Values<'_> {
        Values(self.entries.iter())
    }

    /// The values in order, mutably.
    pub fn values_mut(&mut self) -> ValuesMut<'_> {
        ValuesMut(self.entries.iter_mut())
    }

    /// The names in order, by value.
    pub fn into_keys(self) -> impl DoubleEndedIterator<Item = Name> + ExactSizeIterator {
        self.entries.into_iter().map(|(k, _)| k)
    }

    /// The values in order, by value.
    pub fn into_values(self) -> impl DoubleEndedIterator<Item = Value> + ExactSizeIterator {
        self.entries.into_iter().map(|(_, v)| v)
    }

    /// The entries as a slice of (name, value) pairs, in order.
    pub fn as_entries(&self) -> &[(Name, Value)] {
        &self.entries
    }
}

/// An entry of a [`Map`], from [`Map::entry`].
pub enum Entry<'a> {
    /// The key is present.
    Occupied(OccupiedEntry<'a>),
    /// The key is absent.
    Vacant(VacantEntry<'a>),
}

/// A present key of a [`Map`].
pub struct OccupiedEntry<'a> {
    map: &'a mut Map,
    i: usize,
}

/// An absent key of a [`Map`]; inserting appends it.
pub struct VacantEntry<'a> {
    map: &'a mut Map,
    key: Name,
}

impl<'a> Entry<'a> {
    /// The entry's name.
    pub fn key(&self) -> &Name {
        match self {
            Entry::Occupied(e) => e.key(),
            Entry::Vacant(e) => &e.key,
        }
    }

    /// The value, inserting `default` first if absent.
    pub fn or_insert(self, default: Value) -> &'a mut Value {
        match self {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => e.insert(default),
        }
    }

    /// The value, inserting `default()` first if absent.
    pub fn or_insert_with(self, default: impl FnOnce() -> Value) -> &'a mut Value {
        match self {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => e.insert(default()),
        }
    }

    /// The value, inserting [`Value::Null`] first if absent.
    pub fn or_default(self) -> &'a mut Value {
        self.or_insert_with(Value::default)
    }

    /// Runs `f` on the value if present.
    pub fn and_modify(mut self, f: impl FnOnce(&mut Value)) -> Self {
        if let Entry::Occupied(e) = &mut self {
            f(e.get_mut());
        }
        self
    }
}

impl<'a> OccupiedEntry<'a> {
    /// The stored name.
    pub fn key(&self) -> &Name {
        &self.map.entries[self.i].0
    }

    /// The entry's position.
    pub fn index(&self) -> usize {
        self.i
    }

    /// The value.
    pub fn get(&self) -> &Value {
        &self.map.entries[self.i].1
    }

    /// The value, mutably.
    pub fn get_mut(&mut self) -> &mut Value {
        &mut self.map.entries[self.i].1
    }

    /// The value, mutably, for the map's lifetime.
    pub fn into_mut(self) -> &'a mut Value {
        &mut self.map.entries[self.i].1
    }

    /// Replaces the value, returning the old one.
    pub fn insert(&mut self, value: Value) -> Value {
        std::mem::replace(self.get_mut(), value)
    }

    /// Removes the entry, keeping the order of the rest.
    pub fn shift_remove(self) -> Value {
        self.map.shift_remove_index(self.i).1
    }
}

impl<'a> VacantEntry<'a> {
    /// The name to insert.
    pub fn key(&self) -> &Name {
        &self.key
    }

    /// Appends the entry with `value`.
    pub fn insert(self, value: Value) -> &'a mut Value {
        let i = self.map.push(self.key, value);
        &mut self.map.entries[i].1
    }
}

macro_rules! entry_iterator {
    ($(#[$doc:meta])* $name:ident<$lt:lifetime>, $inner:ty, $item:ty, |$e:pat_param| $map:expr) => {
        $(#[$doc])*
        pub struct $name<$lt>($inner);

        impl<$lt> Iterator for $name<$lt> {
            type Item = $item;
            #[inline]
            fn next(&mut self) -> Option<Self::Item> {
                self.0.next().map(|$e| $map)
            }
            fn size_hint(&self) -> (usize, Option<usize>) {
                self.0.size_hint()
            }
        }

        impl<$lt> DoubleEndedIterator for $name<$lt> {
            fn next_back(&mut self) -> Option<Self::Item> {
                self.0.next_back().map(|$e| $map)
            }
        }

        impl<$lt> ExactSizeIterator for $name<$lt> {}
    };
}

entry_iterator!(
    /// A [`Map`]'s entries in order, from [`Map::iter`].
    Iter<'a>, std::slice::Iter<'a, (Name, Value)>, (&'a Name, &'a Value), |(k, v)| (k, v)
);
entry_iterator!(
    /// A [`Map`]'s entries in order with mutable values, from [`Map::iter_mut`].
    IterMut<'a>, std::slice::IterMut<'a, (Name, Value)>, (&'a Name, &'a mut Value), |(k, v)| (&*k, v)
);
entry_iterator!(
    /// A [`Map`]'s names in order, from [`Map::keys`].
    Keys<'a>, std::slice::Iter<'a, (Name, Value)>, &'a Name, |(k, _)| k
);
entry_iterator!(
    /// A [`Map`]'s values in order, from [`Map::values`].
    Values<'a>, std::slice::Iter<'a, (Name, Value)>, &'a Value, |(_, v)| v
);
entry_iterator!(
    /// A [`Map`]'s values in order, mutably, from [`Map::values_mut`].
    ValuesMut<'a>, std::slice::IterMut<'a, (Name, Value)>, &'a mut Value, |(_, v)| v
);
entry_iterator!(
    /// Entries removed from a [`Map`], from [`Map::drain`].
    Drain<'a>, std::vec::Drain<'a, (Name, Value)>, (Name, Value), |e| e
);

/// A [`Map`]'s entries by value, in order.
pub struct IntoIter(std::vec::IntoIter<(Name, Value)>);

impl Iterator for IntoIter {
    type Item = (Name, Value);
    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next()
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for IntoIter {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back()
    }
}

impl ExactSizeIterator for IntoIter {}

impl IntoIterator for Map {
    type Item = (Name, Value);
    type IntoIter = IntoIter;
    fn into_iter(self) -> IntoIter {
        IntoIter(self.entries.into_iter())
    }
}

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a Name, &'a Value);
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl<'a> IntoIterator for &'a mut Map {
    type Item = (&'a Name, &'a mut Value);
    type IntoIter = IterMut<'a>;
    fn into_iter(self) -> IterMut<'a> {
        self.iter_mut()
    }
}

impl Extend<(Name, Value)> for Map {
    fn extend<I: IntoIterator<Item = (Name, Value)>>(&mut self, entries: I) {
        let entries = entries.into_iter();
        self.entries.reserve(entries.size_hint().0);
        for (k, v) in entries {
            self.insert(k, v);
        }
    }
}

impl FromIterator<(Name, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (Name, Value)>>(entries: I) -> Self {
        let mut map = Map::new();
        map.extend(entries);
        map
    }
}

impl<const N: usize> From<[(Name, Value); N]> for Map {
    fn from(entries: [(Name, Value); N]) -> Self {
        entries.into_iter().collect()
    }
}

impl<Q: AsRef<str> + ?Sized> Index<&Q> for Map {
    type Output = Value;
    /// The value of `key`; panics if absent (as `IndexMap`'s indexing does).
    fn index(&self, key: &Q) -> &Value {
        let key = key.as_ref();
        self.get(key)
            .unwrap_or_else(|| panic!("no entry {key:?} in the map"))
    }
}

impl<Q: AsRef<str> + ?Sized> IndexMut<&Q> for Map {
    /// The value of `key`, mutably; panics if absent.
    fn index_mut(&mut self, key: &Q) -> &mut Value {
        let key = key.as_ref();
        match self.position(key) {
            Some(i) => &mut self.entries[i].1,
            None => panic!("no entry {key:?} in the map"),
        }
    }
}

/// Equal when both hold the same names with equal values, in any order (as
/// `IndexMap` and JavaScript's deep equality compare objects).
impl PartialEq for Map {
    fn eq(&self, other: &Map) -> bool {
        self.len() == other.len()
            && self
                .iter()
                .all(|(k, v)| other.get(k.as_str()).is_some_and(|w| w == v))
    }
}

impl fmt::Debug for Map {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbered(n: usize) -> Map {
        (0..n)
            .map(|i| (Name::from(format!("k{i}")), Value::from(i as i64)))
            .collect()
    }

    #[test]
    fn lookups_agree_below_and_above_the_linear_limit() {
        for n in [0, 1, LINEAR_MAX, LINEAR_MAX + 1, 40] {
            let map = numbered(n);
            assert_eq!(map.len(), n);
            assert_eq!(map.index.is_some(), n > LINEAR_MAX, "n = {n}");
            for i in 0..n {
                assert_eq!(map.get(&format!("k{i}")), Some(&Value::from(i as i64)));
                assert_eq!(map.get_index_of(&format!("k{i}")), Some(i));
            }
            assert_eq!(map.get("absent"), None);
        }
    }

    #[test]
    fn insert_replaces_in_place_and_appends_new_names() {
        let mut map = numbered(LINEAR_MAX + 3);
        assert_eq!(map.insert("k2".into(), Value::from("two")), Some(Value::from(2)));
        assert_eq!(map.get_index(2), Some((&Name::from("k2"), &Value::from("two"))));
        assert_eq!(map.insert_full("new".into(), Value::Null), (LINEAR_MAX + 3, None));
        assert_eq!(map.get("new"), Some(&Value::Null));
    }

    #[test]
    fn removals_keep_the_index_consistent() {
        let mut map = numbered(20);
        assert_eq!(map.shift_remove("k3"), Some(Value::from(3)));
        assert_eq!(map.get_index_of("k4"), Some(3));
        assert_eq!(map.swap_remove("k0"), Some(Value::from(0)));
        assert_eq!(map.get_index_of("k19"), Some(0));
        assert_eq!(map.swap_remove_full("k18"), Some((17, "k18".into(), Value::from(18))));
        assert_eq!(map.get_index_of("k17"), Some(16));
        for (i, (k, _)) in map.iter().enumerate() {
            assert_eq!(map.get_index_of(k), Some(i));
        }
        map.retain(|k, _| k.as_str() != "k10");
        assert!(!map.contains_key("k10"));
        map.truncate(5);
        assert_eq!(map.len(), 5);
        assert!(map.index.is_none());
        for (i, (k, _)) in map.iter().enumerate() {
            assert_eq!(map.get_index_of(k), Some(i));
        }
        let tail = numbered(30).split_off(LINEAR_MAX + 2);
        assert_eq!(tail.get_index_of("k29"), Some(29 - LINEAR_MAX - 2));
    }

    #[test]
    fn sorting_and_draining_reindex() {
        let mut map: Map = (0..12)
            .rev()
            .map(|i| (Name::from(format!("k{i:02}")), Value::from(i as i64)))
            .collect();
        map.sort_keys();
        assert_eq!(map.first().map(|(k, _)| k.as_str()), Some("k00"));
        assert_eq!(map.get_index_of("k11"), Some(11));
        let drained: Vec<_> = map.drain(..3).map(|(k, _)| k).collect();
        assert_eq!(drained, ["k00", "k01", "k02"]);
        assert_eq!(map.get_index_of("k03"), Some(0));
        assert_eq!(map.get_index_of("k11"), Some(8));
    }

    #[test]
    fn entries_insert_once_and_update_in_place() {
        let mut map = numbered(LINEAR_MAX);
        *map.entry("k1".into()).or_insert(Value::Null) = Value::from("one");
        map.entry("extra".into()).or_insert_with(|| Value::from(true));
        assert_eq!(map["k1"], Value::from("one"));
        assert_eq!(map.get_index_of("extra"), Some(LINEAR_MAX));
        assert!(map.index.is_some());
    }

    #[test]
    fn equality_ignores_order() {
        let a = numbered(12);
        let mut b = a.clone();
        b.reverse();
        assert_eq!(a, b);
        b.insert("k0".into(), Value::Null);
        assert_ne!(a, b);
    }
}
