//! A list that keeps its first few items inline: the update plan's per-update
//! lists (attribute positions, last writes) hold a handful of items, and an
//! allocation for each would cost more than the work they record.

/// Up to `N` items inline, then on the heap; always one contiguous slice.
#[derive(Clone, Debug)]
pub(crate) enum SmallList<T: Copy + Default, const N: usize> {
    Inline([T; N], usize),
    Heap(Vec<T>),
}

impl<T: Copy + Default, const N: usize> Default for SmallList<T, N> {
    fn default() -> Self {
        SmallList::Inline([T::default(); N], 0)
    }
}

impl<T: Copy + Default, const N: usize> SmallList<T, N> {
    pub(crate) fn push(&mut self, item: T) {
        match self {
            SmallList::Inline(items, len) if *len < N => {
                items[*len] = item;
                *len += 1;
            }
            SmallList::Inline(items, len) => {
                let mut heap = Vec::with_capacity(*len * 2 + 1);
                heap.extend_from_slice(&items[..*len]);
                heap.push(item);
                *self = SmallList::Heap(heap);
            }
            SmallList::Heap(heap) => heap.push(item),
        }
    }

    pub(crate) fn truncate(&mut self, new_len: usize) {
        match self {
            SmallList::Inline(_, len) => *len = (*len).min(new_len),
            SmallList::Heap(heap) => heap.truncate(new_len),
        }
    }

    pub(crate) fn as_slice(&self) -> &[T] {
        match self {
            SmallList::Inline(items, len) => &items[..*len],
            SmallList::Heap(heap) => heap,
        }
    }

    pub(crate) fn as_mut_slice(&mut self) -> &mut [T] {
        match self {
            SmallList::Inline(items, len) => &mut items[..*len],
            SmallList::Heap(heap) => heap,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.as_slice().len()
    }
}

#[cfg(test)]
mod tests {
    use super::SmallList;

    #[test]
    fn keeps_order_across_the_move_to_the_heap() {
        let mut list: SmallList<u32, 2> = SmallList::default();
        for i in 0..5 {
            list.push(i);
        }
        assert_eq!(list.as_slice(), [0, 1, 2, 3, 4]);
        list.truncate(3);
        assert_eq!(list.as_slice(), [0, 1, 2]);
        let mut short: SmallList<u32, 4> = SmallList::default();
        short.push(7);
        short.push(8);
        short.truncate(1);
        short.as_mut_slice()[0] = 9;
        assert_eq!((short.len(), short.as_slice()), (1, &[9][..]));
        assert!(matches!(short, SmallList::Inline(..)));
    }
}
