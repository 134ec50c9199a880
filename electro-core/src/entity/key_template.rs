//! A key's literal text, worked out once: what [`Model::make_key`] writes around
//! the composite values when every one of them is given.
//!
//! `make_key` pushes the prefix, then for each composite its label text and value,
//! then the postfix, and cases the whole key. When that text is ASCII it can be
//! cased once, when the model loads; a key then costs one push per composite, and
//! only its values are cased as they are written.

use super::keys::push_label;
use crate::Value;
use crate::model::{Casing, KeyCast, KeyFixings, Label, Model};

/// The literal parts of one key whose composites are all given.
#[derive(Clone, Debug)]
pub(crate) struct KeyTemplate {
    prefix: String,
    /// The text before each composite's value (`#label_`, or a template's text).
    pieces: Vec<String>,
    postfix: Option<String>,
    casing: Casing,
    /// Whether `prefix`, `pieces` and `postfix` are stored cased (they are ASCII),
    /// so that only the values need casing.
    literal_cased: bool,
    /// The literal length, plus room for short values.
    capacity: usize,
}

impl KeyTemplate {
    /// The template of a key with these fixings and labels, or `None` for keys the
    /// general builder must make: numeric keys, and keys with padded composites.
    pub(crate) fn new(model: &Model, fixings: &KeyFixings, labels: &[Label]) -> Option<Self> {
        let padded =
            |name: &str| (model.schema.get_attribute(name)).is_some_and(|a| a.padding.is_some());
        if fixings.cast == KeyCast::Number || labels.iter().any(|l| padded(&l.name)) {
            return None;
        }
        let pieces: Vec<String> = (labels.iter())
            .map(|l| {
                let mut piece = String::new();
                push_label(&mut piece, fixings.is_custom, &l.label);
                piece
            })
            .collect();
        let casing = fixings.casing.effective();
        let mut literal = std::iter::once(&fixings.prefix)
            .chain(&pieces)
            .chain(&fixings.postfix);
        let literal_cased = literal.all(|text| text.is_ascii());
        let cased = |text: &String| match literal_cased {
            true => casing.apply(text),
            false => text.clone(),
        };
        let capacity = fixings.prefix.len()
            + pieces.iter().map(|p| p.len() + 24).sum::<usize>()
            + fixings.postfix.as_ref().map_or(0, String::len);
        Some(KeyTemplate {
            prefix: cased(&fixings.prefix),
            pieces: pieces.iter().map(cased).collect(),
            postfix: fixings.postfix.as_ref().map(cased),
            casing,
            literal_cased,
            capacity,
        })
    }

    /// The key, `value_of(i)` giving the value of the `i`-th composite: what
    /// `make_key` builds from the same values, with no options.
    #[inline(always)]
    pub(crate) fn build<'v>(&self, value_of: impl Fn(usize) -> &'v Value) -> String {
        let mut key = String::with_capacity(self.capacity);
        key.push_str(&self.prefix);
        // Whether the key still needs casing as a whole: a value outside ASCII is
        // cased with the text around it, as Unicode's rules may look at both.
        let mut whole = !self.literal_cased;
        for (i, piece) in self.pieces.iter().enumerate() {
            key.push_str(piece);
            let start = key.len();
            // A string is written as it is: no call to write it.
            match value_of(i) {
                Value::String(s) => key.push_str(s),
                value => value.write_js(&mut key),
            }
            if !whole {
                let value = &mut key[start..];
                match self.casing {
                    _ if !value.is_ascii() => whole = true,
                    Casing::Upper => value.make_ascii_uppercase(),
                    Casing::None => {}
                    _ => value.make_ascii_lowercase(),
                }
            }
        }
        if let Some(postfix) = &self.postfix {
            key.push_str(postfix);
        }
        if whole {
            self.casing.apply_in_place(&mut key);
        }
        key
    }
}
