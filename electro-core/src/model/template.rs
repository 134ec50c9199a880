//! Key templates (`"${cityId}#mall_${mallId}"`) split into labels and attributes,
//! as ElectroDB's `_parseTemplateKey` does.

use super::index::Label;
use crate::error::{Error, ErrorCode, Result};

/// Splits a template into `(literal text before, attribute)` pairs; trailing text
/// becomes a label with an empty name.
pub(crate) fn parse_template(template: &str) -> Result<Vec<Label>> {
    let chars: Vec<char> = template.chars().collect();
    let mut labels = Vec::new();
    let mut name = String::new();
    let mut label = String::new();
    let mut in_name = false;
    for i in 0..chars.len() {
        let c = chars[i];
        let last = if i > 0 { Some(chars[i - 1]) } else { None };
        let next = chars.get(i + 1).copied();
        if c == '{' && last == Some('$') && !in_name {
            in_name = true;
        } else if c == '}' && in_name {
            if name.trim().is_empty() {
                return Err(Error::new(
                    ErrorCode::InvalidKeyCompositeAttributeTemplate,
                    format!(
                        "Invalid key composite attribute template. Empty expression \"${{{name}}}\" provided. Expected attribute name."
                    ),
                ));
            }
            labels.push(Label {
                name: std::mem::take(&mut name),
                label: std::mem::take(&mut label),
            });
            in_name = false;
        } else if c == '$' && next == Some('{') && !in_name {
            continue;
        } else if in_name {
            name.push(c);
        } else {
            label.push(c);
        }
    }
    if !name.is_empty() || !label.is_empty() {
        labels.push(Label { name, label });
    }
    Ok(labels)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_labels_and_names() {
        let l = parse_template("location#${cityId}#mall_${mallId}_end").unwrap();
        assert_eq!(l.len(), 3);
        assert_eq!(
            (l[0].label.as_str(), l[0].name.as_str()),
            ("location#", "cityId")
        );
        assert_eq!(
            (l[1].label.as_str(), l[1].name.as_str()),
            ("#mall_", "mallId")
        );
        assert_eq!((l[2].label.as_str(), l[2].name.as_str()), ("_end", ""));
    }

    #[test]
    fn empty_expression_is_1003() {
        assert_eq!(parse_template("a#${}").unwrap_err().code(), 1003);
        assert_eq!(parse_template("a#${ }").unwrap_err().code(), 1003);
    }
}
