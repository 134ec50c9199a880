//! The sort composites a chain records: usually one set (a key, a query's
//! composites), two for a `between`.

use std::ops::Deref;

use super::chain::SkEntry;

/// An ordered list of [`SkEntry`]s whose single entry (the usual case) is kept
/// inline, so that recording it allocates nothing. Reads as a slice.
#[derive(Clone, Debug, Default)]
pub(crate) enum SkEntries {
    #[default]
    None,
    One(SkEntry),
    Many(Vec<SkEntry>),
}

impl SkEntries {
    /// Appends `entry`.
    pub(crate) fn push(&mut self, entry: SkEntry) {
        match std::mem::take(self) {
            SkEntries::None => *self = SkEntries::One(entry),
            SkEntries::One(first) => *self = SkEntries::Many(vec![first, entry]),
            SkEntries::Many(mut all) => {
                all.push(entry);
                *self = SkEntries::Many(all);
            }
        }
    }
}

impl Deref for SkEntries {
    type Target = [SkEntry];

    #[inline]
    fn deref(&self) -> &[SkEntry] {
        match self {
            SkEntries::None => &[],
            SkEntries::One(entry) => std::slice::from_ref(entry),
            SkEntries::Many(all) => all,
        }
    }
}

impl<'a> IntoIterator for &'a SkEntries {
    type Item = &'a SkEntry;
    type IntoIter = std::slice::Iter<'a, SkEntry>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entity::chain::QueryType;

    fn entry(query_type: QueryType) -> SkEntry {
        SkEntry {
            query_type,
            facets: crate::Map::default(),
        }
    }

    #[test]
    fn keeps_the_order_of_pushes() {
        let mut list = SkEntries::default();
        assert!(list.is_empty());
        list.push(entry(QueryType::And));
        assert_eq!(list.len(), 1);
        list.push(entry(QueryType::Between));
        list.push(entry(QueryType::Eq));
        let kinds: Vec<_> = list.iter().map(|e| e.query_type).collect();
        assert_eq!(kinds, [QueryType::And, QueryType::Between, QueryType::Eq]);
    }
}
