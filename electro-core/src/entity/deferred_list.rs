//! The deferred work a chain records until options are known: usually nothing or
//! one entry (a `between`'s attribute filters, a scan's ownership filter).

use super::chain::Deferred;

/// An ordered list of [`Deferred`] work whose first entry is kept inline, so that
/// recording the usual single entry allocates nothing.
#[derive(Clone, Debug, Default)]
pub(crate) struct DeferredList {
    first: Option<Deferred>,
    rest: Vec<Deferred>,
}

impl DeferredList {
    /// Appends `work`, run after what was recorded before it.
    pub(crate) fn push(&mut self, work: Deferred) {
        match self.first {
            None => self.first = Some(work),
            Some(_) => self.rest.push(work),
        }
    }

    /// Whether nothing was recorded.
    pub(crate) fn is_empty(&self) -> bool {
        self.first.is_none()
    }

    /// The work in the order it was recorded.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Deferred> {
        self.first.iter().chain(&self.rest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_order_of_pushes() {
        let mut list = DeferredList::default();
        assert!(list.is_empty() && list.iter().count() == 0);
        list.push(Deferred::ScanOwnership);
        list.push(Deferred::Upsert);
        list.push(Deferred::CollectionOwnership);
        let kinds: Vec<_> = list.iter().map(|d| format!("{d:?}")).collect();
        assert_eq!(kinds, ["ScanOwnership", "Upsert", "CollectionOwnership"]);
    }
}
