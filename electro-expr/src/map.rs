//! [`Map`]: the insertion-ordered attribute map every item, key and params object is.
//!
//! Almost every map electro builds is small: a key has two attributes, an input four
//! to ten, a params object six. For those a hash index costs more than it saves (a
//! second allocation, a hash per insert and lookup, a rehash as it grows), so a map
//! is a plain vector of entries searched in order until it outgrows
//! [`LINEAR_MAX`] entries; only then does it build a hash index beside the vector.
//! Order is always the vector's: insertion order, as JavaScript objects keep it.

use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::ops::{Index, IndexMut, RangeBounds};
use std::sync::OnceLock;

use hashbrown::HashTable;

use crate::value::{Name, Value};

/// Up to this many entries a map has no hash index: a lookup compares names in order.
pub const LINEAR_MAX: usize = 8;

/// A map of attribute names to values, kept in insertion order (as JavaScript objects
/// are), because ElectroDB's output order follows the order attributes were given.
///
/// The API follows `indexmap::IndexMap` (`insert`, `get`, `shift_remove`, `entry`,
/// `sort_keys`, ...). Small maps are vectors searched in order; past [`LINEAR_MAX`]
/// entries a hash index (foldhash, seeded once per process, so still randomised
/// against crafted-collision input) keeps lookups constant-time. Equality ignores
/// order, as `IndexMap`'s does.
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
pub type Map = OrderedMap<Value>;

/// An insertion-ordered map from [`Name`]s to `V`: [`Map`] for values, and the
/// placeholder registries of expressions for names and counters.
#[derive(Clone)]
pub struct OrderedMap<V> {
    entries: Vec<Bucket<V>>,
    index: Option<Box<HashTable<usize>>>,
}

#[derive(Clone)]
struct Bucket<V> {
    key: Name,
    value: V,
}

impl<V> Default for OrderedMap<V> {
    fn default() -> Self {
        OrderedMap {
            entries: Vec::new(),
            index: None,
        }
    }
}

/// The hash of a name for a large map's index: one process-wide random seed (no
/// state per map), so crafted names cannot collide on purpose.
#[inline]
fn hash_name(key: &str) -> u64 {
    static STATE: OnceLock<foldhash::fast::RandomState> = OnceLock::new();
    let mut hasher = STATE.get_or_init(Default::default).build_hasher();
    hasher.write(key.as_bytes());
    hasher.finish()
}

/// An index of `entries`, with room for as many as their vector holds, so that
/// filling the vector does not rehash the index.
#[cold]
#[inline(never)]
fn build_index<V>(entries: &Vec<Bucket<V>>) -> Box<HashTable<usize>> {
    let mut table = Box::new(HashTable::with_capacity(entries.capacity()));
    for (i, bucket) in entries.iter().enumerate() {
        table.insert_unique(hash_name(&bucket.key), i, |&j| hash_name(&entries[j].key));
    }
    table
}

/// Drops the slot of entry `i`, whose name hashes to `hash`.
fn forget(table: &mut HashTable<usize>, hash: u64, i: usize) {
    if let Ok(slot) = table.find_entry(hash, |&j| j == i) {
        slot.remove();
    }
}

impl<V> OrderedMap<V> {
    /// An empty map (no allocation until the first insert).
    ///
    /// ```
    /// let map = electro_expr::Map::new();
    /// assert!(map.is_empty());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// An empty map with room for `capacity` entries.
    ///
    /// ```
    /// let map = electro_expr::Map::with_capacity(4);
    /// assert!(map.capacity() >= 4);
    /// ```
    pub fn with_capacity(capacity: usize) -> Self {
        OrderedMap {
            entries: Vec::with_capacity(capacity),
            index: None,
        }
    }

    /// How many entries fit before the entry vector reallocates.
    pub fn capacity(&self) -> usize {
        self.entries.capacity()
    }

    /// Reserves room for `additional` more entries. An empty map reserved past
    /// [`LINEAR_MAX`] is expected to grow past it, so it starts with its hash index
    /// rather than building one (rehashing every entry) on the way.
    pub fn reserve(&mut self, additional: usize) {
        self.reserve_unindexed(additional);
        if self.index.is_none() && self.entries.is_empty() && additional > LINEAR_MAX {
            self.index = Some(build_index(&self.entries));
        }
    }

    /// Reserves room for `additional` more entries without building a hash index:
    /// for a map filled by [`insert_unique`](Self::insert_unique) and rarely
    /// looked up, which an index would only cost a hash per entry.
    ///
    /// ```
    /// let mut names: electro_expr::OrderedMap<electro_expr::Name> = Default::default();
    /// names.reserve_unindexed(16);
    /// names.insert_unique("#a".into(), "a".into());
    /// assert!(names.capacity() >= 16);
    /// assert_eq!(names["#a"], "a");
    /// ```
    pub fn reserve_unindexed(&mut self, additional: usize) {
        if self.entries.capacity() == 0 {
            // Nothing to keep: a fresh allocation skips the growth path.
            self.entries = Vec::with_capacity(additional);
        } else {
            self.entries.reserve(additional);
        }
        if let Some(index) = &mut self.index {
            let entries = &self.entries;
            index.reserve(additional, |&j| hash_name(&entries[j].key));
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
        self.find(key.as_ref())
    }

    #[inline(always)]
    fn find(&self, key: &str) -> Option<usize> {
        let entries = &self.entries;
        match &self.index {
            Some(index) => index
                .find(hash_name(key), |&i| entries[i].key.as_str() == key)
                .copied(),
            None => entries
                .iter()
                .position(|b| b.key.len() == key.len() && b.key.as_str() == key),
        }
    }

    /// The value of `key`.
    pub fn get<Q: AsRef<str> + ?Sized>(&self, key: &Q) -> Option<&V> {
        let i = self.get_index_of(key)?;
        Some(&self.entries[i].value)
    }

    /// The stored name and value of `key`.
    pub fn get_key_value<Q: AsRef<str> + ?Sized>(&self, key: &Q) -> Option<(&Name, &V)> {
        let i = self.get_index_of(key)?;
        let b = &self.entries[i];
        Some((&b.key, &b.value))
    }

    /// The value of `key`, mutably.
    pub fn get_mut<Q: AsRef<str> + ?Sized>(&mut self, key: &Q) -> Option<&mut V> {
        let i = self.get_index_of(key)?;
        Some(&mut self.entries[i].value)
    }

    /// Whether `key` is present.
    pub fn contains_key<Q: AsRef<str> + ?Sized>(&self, key: &Q) -> bool {
        self.get_index_of(key).is_some()
    }

    /// The entry at position `i`.
    pub fn get_index(&self, i: usize) -> Option<(&Name, &V)> {
        self.entries.get(i).map(|b| (&b.key, &b.value))
    }

    /// The entry at position `i`, its value mutably.
    pub fn get_index_mut(&mut self, i: usize) -> Option<(&Name, &mut V)> {
        self.entries.get_mut(i).map(|b| (&b.key, &mut b.value))
    }

    /// The first entry.
    pub fn first(&self) -> Option<(&Name, &V)> {
        self.get_index(0)
    }

    /// The last entry.
    pub fn last(&self) -> Option<(&Name, &V)> {
        self.entries.last().map(|b| (&b.key, &b.value))
    }

    /// The same names in the same order, each value converted by `f`. The hash
    /// index and the capacity are kept, so nothing is rehashed or regrown.
    ///
    /// ```
    /// use electro_expr::{Map, OrderedMap, Value};
    ///
    /// let mut names: OrderedMap<electro_expr::Name> = OrderedMap::new();
    /// names.insert("#a".into(), "a".into());
    /// let map: Map = names.map_values(Value::String);
    /// assert_eq!(map["#a"], Value::from("a"));
    /// ```
    pub fn map_values<W>(self, mut f: impl FnMut(V) -> W) -> OrderedMap<W> {
        let mut entries = Vec::with_capacity(self.entries.capacity());
        entries.extend(self.entries.into_iter().map(|b| Bucket {
            key: b.key,
            value: f(b.value),
        }));
        OrderedMap {
            entries,
            index: self.index,
        }
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
    pub fn insert(&mut self, key: Name, value: V) -> Option<V> {
        self.insert_full(key, value).1
    }

    /// [`OrderedMap::insert`], also returning the entry's position.
    pub fn insert_full(&mut self, key: Name, value: V) -> (usize, Option<V>) {
        match self.find(&key) {
            Some(i) => (
                i,
                Some(std::mem::replace(&mut self.entries[i].value, value)),
            ),
            None => (self.push(key, value), None),
        }
    }

    /// Appends `key`, which the caller knows is not in the map (names taken one
    /// each from a schema, say): no search first. Returns its position.
    ///
    /// A key already present would be stored twice; debug builds assert it is not.
    ///
    /// Entries added this way build no hash index, however many: a map filled once
    /// and then handed over (an item, a params object) would rarely use it. Such a
    /// map is searched in order until an [`insert`](Self::insert) or
    /// [`entry`](Self::entry) adds to it, which indexes it.
    ///
    /// ```
    /// use electro_expr::{Map, Value};
    ///
    /// let mut item = Map::new();
    /// item.insert_unique("pk".into(), Value::from("$store#id_1"));
    /// assert_eq!(item.insert_unique("sk".into(), Value::from("$store_1")), 1);
    /// assert_eq!(item["sk"], Value::from("$store_1"));
    /// ```
    pub fn insert_unique(&mut self, key: Name, value: V) -> usize {
        debug_assert!(self.find(&key).is_none(), "insert_unique: {key} is present");
        self.push_unindexed(key, value, None)
    }

    /// The position of `key`, or, when absent, the hash it was looked up by (if the
    /// map has an index), for [`OrderedMap::push_hashed`]: a miss followed by an
    /// insert then hashes the name once.
    #[inline]
    pub(crate) fn probe(&self, key: &str) -> Result<usize, Option<u64>> {
        match &self.index {
            Some(index) => {
                let hash = hash_name(key);
                let entries = &self.entries;
                index
                    .find(hash, |&i| entries[i].key.as_str() == key)
                    .copied()
                    .ok_or(Some(hash))
            }
            None => self.find(key).ok_or(None),
        }
    }

    /// Appends an entry known to be absent, indexing the map once it is large.
    /// Inlined into every insert: a call costs as much as the push itself.
    #[inline(always)]
    pub(crate) fn push(&mut self, key: Name, value: V) -> usize {
        self.push_hashed(key, value, None)
    }

    /// [`OrderedMap::push`] with the hash [`OrderedMap::probe`] gave, if any.
    #[inline(always)]
    pub(crate) fn push_hashed(&mut self, key: Name, value: V, hash: Option<u64>) -> usize {
        let i = self.push_unindexed(key, value, hash);
        if self.index.is_none() && i >= LINEAR_MAX {
            self.index = Some(build_index(&self.entries));
        }
        i
    }

    /// Appends an entry known to be absent, keeping an existing index up to date
    /// (with `hash`, the key's, when known).
    #[inline(always)]
    fn push_unindexed(&mut self, key: Name, value: V, hash: Option<u64>) -> usize {
        let i = self.entries.len();
        self.entries.push(Bucket { key, value });
        let entries = &self.entries;
        if let Some(index) = &mut self.index {
            let hash = hash.unwrap_or_else(|| hash_name(&entries[i].key));
            index.insert_unique(hash, i, |&j| hash_name(&entries[j].key));
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
    pub fn entry(&mut self, key: Name) -> Entry<'_, V> {
        match self.find(&key) {
            Some(i) => Entry::Occupied(OccupiedEntry { map: self, i }),
            None => Entry::Vacant(VacantEntry { map: self, key }),
        }
    }

    /// Removes `key`, moving the entries after it up one place (order kept; O(n)).
    pub fn shift_remove<Q: AsRef<str> + ?Sized>(&mut self, key: &Q) -> Option<V> {
        self.shift_remove_entry(key).map(|(_, v)| v)
    }

    /// [`OrderedMap::shift_remove`], returning the stored name too.
    pub fn shift_remove_entry<Q: AsRef<str> + ?Sized>(&mut self, key: &Q) -> Option<(Name, V)> {
        let i = self.get_index_of(key)?;
        Some(self.shift_remove_index(i))
    }

    /// Removes the entry at position `i` (which must exist), keeping order.
    fn shift_remove_index(&mut self, i: usize) -> (Name, V) {
        let b = self.entries.remove(i);
        self.reindex();
        (b.key, b.value)
    }

    /// Removes `key`, keeping the order of the rest: [`OrderedMap::shift_remove`]
    /// (as `serde_json`'s ordered map removes).
    pub fn remove<Q: AsRef<str> + ?Sized>(&mut self, key: &Q) -> Option<V> {
        self.shift_remove(key)
    }

    /// Removes `key`, moving the last entry into its place (order not kept; O(1)).
    pub fn swap_remove<Q: AsRef<str> + ?Sized>(&mut self, key: &Q) -> Option<V> {
        self.swap_remove_full(key).map(|(_, _, v)| v)
    }

    /// [`OrderedMap::swap_remove`], returning the position and the stored name too.
    pub fn swap_remove_full<Q: AsRef<str> + ?Sized>(
        &mut self,
        key: &Q,
    ) -> Option<(usize, Name, V)> {
        let i = self.get_index_of(key)?;
        let last = self.entries.len() - 1;
        let removed = self.entries.swap_remove(i);
        if let Some(index) = &mut self.index {
            forget(index, hash_name(&removed.key), i);
            if i != last {
                // The last entry moved into the hole: point its slot at `i`.
                let moved = hash_name(&self.entries[i].key);
                if let Some(slot) = index.find_mut(moved, |&j| j == last) {
                    *slot = i;
                }
            }
        }
        Some((i, removed.key, removed.value))
    }

    /// Removes and returns the last entry.
    pub fn pop(&mut self) -> Option<(Name, V)> {
        let b = self.entries.pop()?;
        if let Some(index) = &mut self.index {
            forget(index, hash_name(&b.key), self.entries.len());
        }
        Some((b.key, b.value))
    }

    /// Keeps only the entries for which `keep` returns true, in order.
    pub fn retain(&mut self, mut keep: impl FnMut(&Name, &mut V) -> bool) {
        let before = self.entries.len();
        self.entries.retain_mut(|b| keep(&b.key, &mut b.value));
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
    pub fn drain<R: RangeBounds<usize>>(&mut self, range: R) -> Drain<'_, V> {
        // Positions shift, so the index goes; lookups scan (still correct) until the
        // next insert rebuilds it.
        self.index = None;
        Drain(self.entries.drain(range))
    }

    /// Splits off the entries from position `at` into a new map.
    pub fn split_off(&mut self, at: usize) -> Self {
        let mut tail = OrderedMap {
            entries: self.entries.split_off(at),
            index: None,
        };
        tail.reindex();
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
        self.entries.sort_by(|a, b| a.key.cmp(&b.key));
        self.reindex();
    }

    /// Sorts the entries with `compare` over (name, value) pairs (stable).
    pub fn sort_by(&mut self, mut compare: impl FnMut(&Name, &V, &Name, &V) -> std::cmp::Ordering) {
        self.entries
            .sort_by(|a, b| compare(&a.key, &a.value, &b.key, &b.value));
        self.reindex();
    }

    /// Sorts the entries by name (not stable; names are unique, so the same order).
    pub fn sort_unstable_keys(&mut self) {
        self.entries.sort_unstable_by(|a, b| a.key.cmp(&b.key));
        self.reindex();
    }

    /// Rebuilds (or drops) the hash index after entries moved.
    fn reindex(&mut self) {
        self.index = (self.entries.len() > LINEAR_MAX).then(|| build_index(&self.entries));
    }

    /// A map of `entries` in name order, the last value kept for a repeated name:
    /// what inserting them one by one and then [`OrderedMap::sort_keys`] gives,
    /// without a lookup per entry (for items whose names arrive unordered, as a
    /// DynamoDB response's do).
    ///
    /// ```
    /// use electro_expr::{Map, Value};
    ///
    /// let map = Map::from_entries_sorted([
    ///     ("sk".into(), Value::from("b")),
    ///     ("pk".into(), Value::from("a")),
    ///     ("sk".into(), Value::from("c")),
    /// ]);
    /// assert_eq!(map.keys().map(|k| k.as_str()).collect::<Vec<_>>(), ["pk", "sk"]);
    /// assert_eq!(map["sk"], Value::from("c"));
    /// ```
    pub fn from_entries_sorted(entries: impl IntoIterator<Item = (Name, V)>) -> Self {
        let mut entries: Vec<Bucket<V>> = entries
            .into_iter()
            .map(|(key, value)| Bucket { key, value })
            .collect();
        // Stable, so of equal names the last given stays last, and wins below.
        entries.sort_by(|a, b| a.key.cmp(&b.key));
        entries.dedup_by(|later, earlier| {
            let same = later.key == earlier.key;
            if same {
                std::mem::swap(&mut later.value, &mut earlier.value);
            }
            same
        });
        let mut map = OrderedMap {
            entries,
            index: None,
        };
        map.reindex();
        map
    }

    /// The entries in order.
    pub fn iter(&self) -> Iter<'_, V> {
        Iter(self.entries.iter())
    }

    /// The entries in order, values mutably.
    pub fn iter_mut(&mut self) -> IterMut<'_, V> {
        IterMut(self.entries.iter_mut())
    }

    /// The names in order.
    pub fn keys(&self) -> Keys<'_, V> {
        Keys(self.entries.iter())
    }

    /// The values in order.
    pub fn values(&self) -> Values<'_, V> {
        Values(self.entries.iter())
    }

    /// The values in order, mutably.
    pub fn values_mut(&mut self) -> ValuesMut<'_, V> {
        ValuesMut(self.entries.iter_mut())
    }

    /// The names in order, by value.
    pub fn into_keys(self) -> impl DoubleEndedIterator<Item = Name> + ExactSizeIterator {
        self.entries.into_iter().map(|b| b.key)
    }

    /// The values in order, by value.
    pub fn into_values(self) -> impl DoubleEndedIterator<Item = V> + ExactSizeIterator {
        self.entries.into_iter().map(|b| b.value)
    }
}

/// An entry of an [`OrderedMap`], from [`OrderedMap::entry`].
pub enum Entry<'a, V> {
    /// The key is present.
    Occupied(OccupiedEntry<'a, V>),
    /// The key is absent.
    Vacant(VacantEntry<'a, V>),
}

/// A present key of an [`OrderedMap`].
pub struct OccupiedEntry<'a, V> {
    map: &'a mut OrderedMap<V>,
    i: usize,
}

/// An absent key of an [`OrderedMap`]; inserting appends it.
pub struct VacantEntry<'a, V> {
    map: &'a mut OrderedMap<V>,
    key: Name,
}

impl<'a, V> Entry<'a, V> {
    /// The entry's name.
    pub fn key(&self) -> &Name {
        match self {
            Entry::Occupied(e) => e.key(),
            Entry::Vacant(e) => &e.key,
        }
    }

    /// The value, inserting `default` first if absent.
    pub fn or_insert(self, default: V) -> &'a mut V {
        match self {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => e.insert(default),
        }
    }

    /// The value, inserting `default()` first if absent.
    pub fn or_insert_with(self, default: impl FnOnce() -> V) -> &'a mut V {
        match self {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => e.insert(default()),
        }
    }

    /// The value, inserting `V::default()` first if absent.
    pub fn or_default(self) -> &'a mut V
    where
        V: Default,
    {
        self.or_insert_with(V::default)
    }

    /// Runs `f` on the value if present.
    pub fn and_modify(mut self, f: impl FnOnce(&mut V)) -> Self {
        if let Entry::Occupied(e) = &mut self {
            f(e.get_mut());
        }
        self
    }
}

impl<'a, V> OccupiedEntry<'a, V> {
    /// The stored name.
    pub fn key(&self) -> &Name {
        &self.map.entries[self.i].key
    }

    /// The entry's position.
    pub fn index(&self) -> usize {
        self.i
    }

    /// The value.
    pub fn get(&self) -> &V {
        &self.map.entries[self.i].value
    }

    /// The value, mutably.
    pub fn get_mut(&mut self) -> &mut V {
        &mut self.map.entries[self.i].value
    }

    /// The value, mutably, for the map's lifetime.
    pub fn into_mut(self) -> &'a mut V {
        &mut self.map.entries[self.i].value
    }

    /// Replaces the value, returning the old one.
    pub fn insert(&mut self, value: V) -> V {
        std::mem::replace(self.get_mut(), value)
    }

    /// Removes the entry, keeping the order of the rest.
    pub fn shift_remove(self) -> V {
        self.map.shift_remove_index(self.i).1
    }
}

impl<'a, V> VacantEntry<'a, V> {
    /// The name to insert.
    pub fn key(&self) -> &Name {
        &self.key
    }

    /// Appends the entry with `value`.
    pub fn insert(self, value: V) -> &'a mut V {
        let i = self.map.push(self.key, value);
        &mut self.map.entries[i].value
    }
}

macro_rules! entry_iterator {
    ($(#[$doc:meta])* $name:ident<$($lt:lifetime,)? V>, $inner:ty, $item:ty, |$e:pat_param| $map:expr) => {
        $(#[$doc])*
        pub struct $name<$($lt,)? V>($inner);

        impl<$($lt,)? V> Iterator for $name<$($lt,)? V> {
            type Item = $item;
            #[inline]
            fn next(&mut self) -> Option<Self::Item> {
                self.0.next().map(|$e| $map)
            }
            fn size_hint(&self) -> (usize, Option<usize>) {
                self.0.size_hint()
            }
        }

        impl<$($lt,)? V> DoubleEndedIterator for $name<$($lt,)? V> {
            fn next_back(&mut self) -> Option<Self::Item> {
                self.0.next_back().map(|$e| $map)
            }
        }

        impl<$($lt,)? V> ExactSizeIterator for $name<$($lt,)? V> {}
    };
}

entry_iterator!(
    /// An [`OrderedMap`]'s entries in order, from [`OrderedMap::iter`].
    Iter<'a, V>, std::slice::Iter<'a, Bucket<V>>, (&'a Name, &'a V), |b| (&b.key, &b.value)
);
entry_iterator!(
    /// An [`OrderedMap`]'s entries in order with mutable values, from [`OrderedMap::iter_mut`].
    IterMut<'a, V>, std::slice::IterMut<'a, Bucket<V>>, (&'a Name, &'a mut V), |b| (&b.key, &mut b.value)
);
entry_iterator!(
    /// An [`OrderedMap`]'s names in order, from [`OrderedMap::keys`].
    Keys<'a, V>, std::slice::Iter<'a, Bucket<V>>, &'a Name, |b| &b.key
);
entry_iterator!(
    /// An [`OrderedMap`]'s values in order, from [`OrderedMap::values`].
    Values<'a, V>, std::slice::Iter<'a, Bucket<V>>, &'a V, |b| &b.value
);
entry_iterator!(
    /// An [`OrderedMap`]'s values in order, mutably, from [`OrderedMap::values_mut`].
    ValuesMut<'a, V>, std::slice::IterMut<'a, Bucket<V>>, &'a mut V, |b| &mut b.value
);
entry_iterator!(
    /// Entries removed from an [`OrderedMap`], from [`OrderedMap::drain`].
    Drain<'a, V>, std::vec::Drain<'a, Bucket<V>>, (Name, V), |b| (b.key, b.value)
);
entry_iterator!(
    /// An [`OrderedMap`]'s entries by value, in order.
    IntoIter<V>, std::vec::IntoIter<Bucket<V>>, (Name, V), |b| (b.key, b.value)
);

impl<V> IntoIterator for OrderedMap<V> {
    type Item = (Name, V);
    type IntoIter = IntoIter<V>;
    fn into_iter(self) -> IntoIter<V> {
        IntoIter(self.entries.into_iter())
    }
}

impl<'a, V> IntoIterator for &'a OrderedMap<V> {
    type Item = (&'a Name, &'a V);
    type IntoIter = Iter<'a, V>;
    fn into_iter(self) -> Iter<'a, V> {
        self.iter()
    }
}

impl<'a, V> IntoIterator for &'a mut OrderedMap<V> {
    type Item = (&'a Name, &'a mut V);
    type IntoIter = IterMut<'a, V>;
    fn into_iter(self) -> IterMut<'a, V> {
        self.iter_mut()
    }
}

impl<V> Extend<(Name, V)> for OrderedMap<V> {
    fn extend<I: IntoIterator<Item = (Name, V)>>(&mut self, entries: I) {
        let entries = entries.into_iter();
        self.entries.reserve(entries.size_hint().0);
        for (k, v) in entries {
            self.insert(k, v);
        }
    }
}

impl<V> FromIterator<(Name, V)> for OrderedMap<V> {
    fn from_iter<I: IntoIterator<Item = (Name, V)>>(entries: I) -> Self {
        let mut map = Self::default();
        map.extend(entries);
        map
    }
}

impl<V, const N: usize> From<[(Name, V); N]> for OrderedMap<V> {
    fn from(entries: [(Name, V); N]) -> Self {
        entries.into_iter().collect()
    }
}

impl<V, Q: AsRef<str> + ?Sized> Index<&Q> for OrderedMap<V> {
    type Output = V;
    /// The value of `key`; panics if absent (as `IndexMap`'s indexing does).
    fn index(&self, key: &Q) -> &V {
        let key = key.as_ref();
        self.get(key)
            .unwrap_or_else(|| panic!("no entry {key:?} in the map"))
    }
}

impl<V, Q: AsRef<str> + ?Sized> IndexMut<&Q> for OrderedMap<V> {
    /// The value of `key`, mutably; panics if absent.
    fn index_mut(&mut self, key: &Q) -> &mut V {
        let key = key.as_ref();
        match self.get_index_of(key) {
            Some(i) => &mut self.entries[i].value,
            None => panic!("no entry {key:?} in the map"),
        }
    }
}

/// Equal when both hold the same names with equal values, in any order (as
/// `IndexMap` and JavaScript's deep equality compare objects).
impl<V: PartialEq> PartialEq for OrderedMap<V> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len()
            && self
                .iter()
                .all(|(k, v)| other.get(k.as_str()).is_some_and(|w| w == v))
    }
}

impl<V: Eq> Eq for OrderedMap<V> {}

impl<V: fmt::Debug> fmt::Debug for OrderedMap<V> {
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
    fn a_map_reserved_past_the_limit_is_indexed_from_the_start() {
        let mut map = Map::new();
        map.reserve(LINEAR_MAX * 2);
        for i in 0..3 {
            map.insert(format!("k{i}").into(), Value::from(i));
        }
        assert_eq!(map.get("k1"), Some(&Value::from(1)));
        assert_eq!(map.shift_remove("k0"), Some(Value::from(0)));
        for i in 3..20 {
            map.insert(format!("k{i}").into(), Value::from(i));
        }
        assert_eq!(map.len(), 19);
        assert_eq!(map.get_index_of("k19"), Some(18));
        assert!(map.get("k0").is_none());
    }

    #[test]
    fn insert_replaces_in_place_and_appends_new_names() {
        let mut map = numbered(LINEAR_MAX + 3);
        assert_eq!(
            map.insert("k2".into(), Value::from("two")),
            Some(Value::from(2))
        );
        assert_eq!(
            map.get_index(2),
            Some((&Name::from("k2"), &Value::from("two")))
        );
        assert_eq!(
            map.insert_full("new".into(), Value::Null),
            (LINEAR_MAX + 3, None)
        );
        assert_eq!(map.get("new"), Some(&Value::Null));
    }

    #[test]
    fn removals_keep_the_index_consistent() {
        let mut map = numbered(20);
        assert_eq!(map.shift_remove("k3"), Some(Value::from(3)));
        assert_eq!(map.get_index_of("k4"), Some(3));
        assert_eq!(map.swap_remove("k0"), Some(Value::from(0)));
        assert_eq!(map.get_index_of("k19"), Some(0));
        assert_eq!(
            map.swap_remove_full("k18"),
            Some((17, "k18".into(), Value::from(18)))
        );
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
        map.entry("extra".into())
            .or_insert_with(|| Value::from(true));
        assert_eq!(map["k1"], Value::from("one"));
        assert_eq!(map.get_index_of("extra"), Some(LINEAR_MAX));
        assert!(map.index.is_some());
    }

    /// A map filled with `insert_unique` is searched in order, however large, until
    /// an insert indexes it.
    #[test]
    fn unique_inserts_leave_the_map_unindexed_until_an_insert() {
        let mut map = Map::new();
        for i in 0..20 {
            map.insert_unique(format!("k{i}").into(), Value::from(i));
        }
        assert!(map.index.is_none());
        assert_eq!(map.get_index_of("k17"), Some(17));
        assert_eq!(map.get("nope"), None);
        map.insert("k3".into(), Value::Null);
        map.insert("k20".into(), Value::Null);
        assert!(map.index.is_some());
        assert_eq!(map.get_index_of("k20"), Some(20));
        assert_eq!(map["k3"], Value::Null);
    }

    /// A small deterministic generator (xorshift), so the test needs no crate.
    struct Rng(u64);
    impl Rng {
        fn below(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n
        }
    }

    /// Random operations on an `OrderedMap` and an `indexmap::IndexMap` side by
    /// side, across the linear limit both ways: after each, the same entries in the
    /// same order, and every name found at its position.
    #[test]
    fn behaves_like_indexmap_under_random_operations() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for _round in 0..40 {
            let mut ours: OrderedMap<u64> = OrderedMap::new();
            let mut theirs: indexmap::IndexMap<Name, u64> = indexmap::IndexMap::new();
            for step in 0..400u64 {
                // Names "", "k0".."k23": the empty one too, and enough to pass 8.
                let n = rng.below(25);
                let key: Name = if n == 24 {
                    Name::default()
                } else {
                    format!("k{n}").into()
                };
                match rng.below(12) {
                    // A new name half the time goes in unchecked (and unindexed).
                    0..=3 if !theirs.contains_key(&key) && rng.below(2) == 0 => {
                        let i = ours.insert_unique(key.clone(), step);
                        assert_eq!(i, theirs.insert_full(key, step).0);
                    }
                    0..=3 => assert_eq!(ours.insert(key.clone(), step), theirs.insert(key, step)),
                    4 => assert_eq!(ours.shift_remove(&key), theirs.shift_remove(&key)),
                    5 => assert_eq!(ours.swap_remove_full(&key), theirs.swap_remove_full(&key)),
                    6 => {
                        *ours.entry(key.clone()).or_insert(step) += 1;
                        *theirs.entry(key).or_insert(step) += 1;
                    }
                    7 => {
                        let m = rng.below(3);
                        ours.retain(|_, v| *v % 3 != m);
                        theirs.retain(|_, v| *v % 3 != m);
                    }
                    8 => assert_eq!(ours.pop(), theirs.pop()),
                    9 if rng.below(4) == 0 => {
                        let len = rng.below(ours.len() as u64 + 1) as usize;
                        ours.truncate(len);
                        theirs.truncate(len);
                    }
                    10 if rng.below(4) == 0 => {
                        ours.sort_keys();
                        theirs.sort_keys();
                    }
                    11 if rng.below(4) == 0 && !ours.is_empty() => {
                        let at = rng.below(ours.len() as u64) as usize;
                        let a: Vec<_> = ours.drain(at..).collect();
                        let b: Vec<_> = theirs.drain(at..).collect();
                        assert_eq!(a, b);
                    }
                    _ => assert_eq!(ours.get(&key), theirs.get(&key)),
                }
                let a: Vec<_> = ours.iter().collect();
                let b: Vec<_> = theirs.iter().collect();
                assert_eq!(a, b, "step {step}");
                for (i, k) in theirs.keys().enumerate() {
                    assert_eq!(ours.get_index_of(k), Some(i), "{k:?} at step {step}");
                }
            }
        }
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
