//! The short lists a chain records: usually nothing or one entry (a key's sort
//! composites, a `between`'s deferred filters), more only now and then.

use std::ops::Deref;

/// An ordered list whose single entry (the usual case) is kept inline, so that
/// recording it allocates nothing. Reads as a slice.
#[derive(Clone, Debug, Default)]
pub(crate) enum InlineList<T> {
    #[default]
    None,
    One(T),
    Many(Vec<T>),
}

impl<T> InlineList<T> {
    /// Appends `item`.
    pub(crate) fn push(&mut self, item: T) {
        match std::mem::take(self) {
            InlineList::None => *self = InlineList::One(item),
            InlineList::One(first) => *self = InlineList::Many(vec![first, item]),
            InlineList::Many(mut all) => {
                all.push(item);
                *self = InlineList::Many(all);
            }
        }
    }
}

impl<T> Deref for InlineList<T> {
    type Target = [T];

    #[inline]
    fn deref(&self) -> &[T] {
        match self {
            InlineList::None => &[],
            InlineList::One(entry) => std::slice::from_ref(entry),
            InlineList::Many(all) => all,
        }
    }
}

impl<'a, T> IntoIterator for &'a InlineList<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::InlineList;

    #[test]
    fn keeps_the_order_of_pushes_inline_and_beyond() {
        let mut list = InlineList::default();
        assert!(list.is_empty());
        list.push(1);
        assert!(matches!(list, InlineList::One(1)));
        list.push(2);
        list.push(3);
        assert_eq!(&*list, [1, 2, 3]);
    }
}
