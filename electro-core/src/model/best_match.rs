//! Which index best serves a set of attributes (ElectroDB's `_findBestIndexKeyMatch`),
//! used by `find` and `match`.

use super::Model;
use super::index::KeyType;
use crate::Map;

#[derive(Clone, Default)]
struct Candidate {
    index: String,
    all_keys: bool,
    has_sk: bool,
    count: usize,
    done: bool,
}

impl Model {
    /// The index name to query for these attributes, or `None` to scan.
    ///
    /// ```
    /// # let zoo = electro_core::entity::doc_entity();
    /// let model = zoo.model();
    /// use electro_core::item;
    /// assert_eq!(model.best_index_match(&item! {"habitat" => "plains"}).as_deref(), Some("gsi2pk-gsi2sk-index"));
    /// assert_eq!(model.best_index_match(&item! {"diet" => "hay"}), None);
    /// ```
    pub fn best_index_match(&self, attributes: &Map) -> Option<String> {
        let slots = &self.facets.by_slot;
        let mut matches: Vec<Option<Candidate>> = Vec::new();
        for (f, row) in slots.iter().enumerate() {
            for (s, slot) in row.iter().enumerate() {
                if matches.len() <= s {
                    matches.resize(s + 1, None);
                }
                let candidate = matches[s].get_or_insert_with(|| Candidate {
                    index: slot.as_ref().map(|x| x.index.clone()).unwrap_or_default(),
                    ..Candidate::default()
                });
                let Some(slot) = slot else {
                    candidate.done = true;
                    continue;
                };
                if candidate.done || attributes.get(slot.name.as_str()).is_none() {
                    candidate.done = true;
                    continue;
                }
                let next_is_sk = !slot.next.is_empty()
                    && slots
                        .get(f + 1)
                        .and_then(|r| r.get(s))
                        .and_then(|x| x.as_ref())
                        .is_some_and(|x| x.key_type == KeyType::Sk);
                if next_is_sk {
                    candidate.has_sk = true;
                } else if slot.next.is_empty() {
                    candidate.all_keys = true;
                }
                candidate.count += 1;
            }
        }
        let matches: Vec<Candidate> = matches
            .into_iter()
            .flatten()
            .filter(|m| m.has_sk || m.all_keys)
            .collect();
        let max = matches.iter().map(|m| m.count).max().unwrap_or(0);
        let mut ranked: [Option<&Candidate>; 4] = [None; 4];
        for m in &matches {
            let rank = if m.index.is_empty() && m.all_keys {
                0
            } else if m.index.is_empty() && m.count == max {
                1
            } else if m.all_keys {
                2
            } else if m.count == max {
                3
            } else {
                continue;
            };
            ranked[rank] = Some(m);
        }
        ranked.iter().flatten().next().map(|m| m.index.clone())
    }
}
