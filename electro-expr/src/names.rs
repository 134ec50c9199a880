//! Placeholder names: ElectroDB's `formatExpressionName`, and the few JavaScript
//! primitives (`isNaN`, `String.prototype.trim`) it leans on.
//!
//! Every `#name` and `:value` placeholder ElectroDB writes goes through
//! `formatExpressionName`, so matching its params byte for byte starts here: strip
//! everything but `\w`, prefix `p` when the stripping changed "numberness", and add
//! `_2`, `_3`, ... when two different originals format to the same name.

use crate::value::Value;

/// Formatted name → the original name it was made from (ElectroDB's
/// `formattedNameToOriginalNameMap`). Ordered, because the projection builder also
/// iterates it to write `ExpressionAttributeNames`.
pub type SeenNames = crate::OrderedMap<crate::Name>;

/// JavaScript's `\w` (without the `u` flag): `[A-Za-z0-9_]`.
#[inline]
pub(crate) fn is_word_byte(b: u8) -> bool {
    WORD_BYTES[b as usize]
}

/// [`is_word_byte`] as a table: every placeholder name is checked byte by byte,
/// and one load per byte beats the three range tests.
static WORD_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b'_';
        b += 1;
    }
    table
};

/// JavaScript's whitespace and line terminators (what `trim` and `Number()` skip).
/// Differs from Rust's `char::is_whitespace` on U+0085 (not JS whitespace) and U+FEFF
/// (JS whitespace).
#[inline]
pub(crate) fn is_js_whitespace(c: char) -> bool {
    (c.is_whitespace() && c != '\u{85}') || c == '\u{FEFF}'
}

/// `String.prototype.trim`.
pub(crate) fn js_trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        // Visible ASCII at both ends (the usual case) is not whitespace.
        (Some(a), Some(b)) if a.is_ascii_graphic() && b.is_ascii_graphic() => s,
        _ => s.trim_matches(is_js_whitespace),
    }
}

/// `isNaN(string)`: whether JavaScript's `Number(string)` is `NaN`.
///
/// `Number` accepts surrounding whitespace, the empty string (0), `Infinity` with an
/// optional sign, `0x`/`0o`/`0b` integers and decimal literals with optional sign,
/// fraction and exponent. Anything else is `NaN`.
pub fn js_is_nan(s: &str) -> bool {
    let t = js_trim(s);
    let b = t.as_bytes();
    if b.is_empty() {
        return false;
    }
    // Fast reject: the first byte of any numeric literal.
    if !matches!(b[0], b'0'..=b'9' | b'+' | b'-' | b'.' | b'I') {
        return true;
    }
    if b.len() > 2 && b[0] == b'0' {
        let radix_ok: Option<fn(u8) -> bool> = match b[1] {
            b'x' | b'X' => Some(|c: u8| c.is_ascii_hexdigit()),
            b'o' | b'O' => Some(|c: u8| (b'0'..=b'7').contains(&c)),
            b'b' | b'B' => Some(|c: u8| c == b'0' || c == b'1'),
            _ => None,
        };
        if let Some(ok) = radix_ok {
            return !b[2..].iter().all(|&c| ok(c));
        }
    }
    let unsigned = match b[0] {
        b'+' | b'-' => &b[1..],
        _ => b,
    };
    if unsigned == b"Infinity" {
        return false;
    }
    // A decimal literal: the grammar `Number` parses.
    crate::number::scan_decimal(t).is_none()
}

/// `isNaN(value)` for a DocumentClient value, as JavaScript coerces it.
pub(crate) fn value_is_nan(value: &Value) -> bool {
    match value {
        Value::Null | Value::Bool(_) | Value::Number(_) => false,
        Value::String(s) => js_is_nan(s),
        // Arrays and Buffers coerce through their string form.
        Value::List(_) | Value::Binary(_) => js_is_nan(&value.to_js_string()),
        Value::Map(_) | Value::StringSet(_) | Value::NumberSet(_) | Value::BinarySet(_) => true,
    }
}

/// Port of ElectroDB's `formatExpressionName(name, seen)` for a string name.
///
/// ```
/// use electro_expr::{format_expression_name, SeenNames};
/// let mut seen = SeenNames::default();
/// assert_eq!(format_expression_name("first-name", &mut seen), "firstname");
/// assert_eq!(format_expression_name("firstname", &mut seen), "firstname_2");
/// assert_eq!(format_expression_name("first-name", &mut seen), "firstname");
/// assert_eq!(format_expression_name("1-2", &mut seen), "p12");
/// assert_eq!(format_expression_name("$", &mut seen), "p");
/// ```
pub fn format_expression_name(name: &str, seen: &mut SeenNames) -> String {
    format_with_nan(name, js_is_nan(name), seen)
}

/// [`format_expression_name`] for a value used as its own name (ElectroDB's `escape`
/// operation calls `setValue(value, value)`): the name is `${value}` and "was it a
/// number" is `isNaN(value)` on the value itself, so `true` becomes `ptrue`.
///
/// ```
/// use electro_expr::{format_value_name, SeenNames, Value};
/// let mut seen = SeenNames::default();
/// assert_eq!(format_value_name(&Value::from("Joe Exotic"), &mut seen), "JoeExotic");
/// assert_eq!(format_value_name(&Value::from(3), &mut seen), "3");
/// assert_eq!(format_value_name(&Value::from(true), &mut seen), "ptrue");
/// ```
pub fn format_value_name(value: &Value, seen: &mut SeenNames) -> String {
    format_value_in(value, seen).0
}

/// What a seen-names table keeps per formatted name: at least the original name it
/// was made from (an expression state keeps its value counter beside it).
pub(crate) trait SeenEntry {
    /// The original name this formatted name was made from.
    fn original(&self) -> &str;
    /// The entry for a formatted name first made from `original`.
    fn first_seen(original: &str) -> Self;
}

impl SeenEntry for crate::Name {
    fn original(&self) -> &str {
        self
    }

    fn first_seen(original: &str) -> Self {
        original.into()
    }
}

/// The body of `formatExpressionName` once `isNaN(name)` is known.
pub(crate) fn format_with_nan(original: &str, name_was_nan: bool, seen: &mut SeenNames) -> String {
    format_in(original, name_was_nan, seen).0
}

/// [`format_with_nan`] over any seen table, also returning the position of the
/// formatted name's entry.
pub(crate) fn format_in<V: SeenEntry>(
    original: &str,
    name_was_nan: bool,
    seen: &mut crate::OrderedMap<V>,
) -> (String, usize) {
    let mut formatted: String = original
        .bytes()
        .filter(|&b| is_word_byte(b))
        .map(char::from)
        .collect();
    if formatted.is_empty() {
        formatted.push('p');
    } else if name_was_nan != js_is_nan(&formatted) {
        formatted.insert(0, 'p');
    }
    let base_len = formatted.len();
    let mut suffix = 1u32;
    while let Some(i) = seen.get_index_of(formatted.as_str()) {
        if seen
            .get_index(i)
            .is_some_and(|(_, e)| e.original() == original)
        {
            return (formatted, i);
        }
        suffix += 1;
        formatted.truncate(base_len);
        formatted.push('_');
        push_u32(&mut formatted, suffix);
    }
    // The loop ended on a name not in `seen`.
    let i = seen.push(formatted.as_str().into(), V::first_seen(original));
    (formatted, i)
}

/// Appends the formatted form of a string name to `out`, allocating only when the
/// name is new or needs rewriting (the common case, a plain `\w+` name seen before,
/// costs one lookup). Returns the position of the name's entry in `seen`.
pub(crate) fn format_name_into<V: SeenEntry>(
    name: &str,
    seen: &mut crate::OrderedMap<V>,
    out: &mut String,
) -> usize {
    if !name.is_empty() && name.bytes().all(is_word_byte) {
        // Stripping changes nothing, so "numberness" cannot change either.
        match seen.probe(name) {
            Ok(i) if seen.get_index(i).is_some_and(|(_, e)| e.original() == name) => {
                out.push_str(name);
                return i;
            }
            Err(hash) => {
                let i = seen.push_hashed(name.into(), V::first_seen(name), hash);
                out.push_str(name);
                return i;
            }
            Ok(_) => {}
        }
    }
    let (formatted, i) = format_in(name, js_is_nan(name), seen);
    out.push_str(&formatted);
    i
}

/// [`format_value_name`] over any seen table, with the entry's position.
pub(crate) fn format_value_in<V: SeenEntry>(
    value: &Value,
    seen: &mut crate::OrderedMap<V>,
) -> (String, usize) {
    let original = value.to_js_string();
    let was_nan = value_is_nan(value);
    format_in(&original, was_nan, seen)
}

/// Decimal digits of `n`, without going through `fmt`. Always inlined: for the
/// usual one-digit counter the call costs more than the push.
#[inline(always)]
pub(crate) fn push_u32(out: &mut String, mut n: u32) {
    if n < 10 {
        // Placeholder counters are almost always one digit.
        out.push(char::from(b'0' + n as u8));
        return;
    }
    let mut buf = [0u8; 10];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // Only ASCII digits were written.
    out.push_str(std::str::from_utf8(&buf[i..]).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_nan_follows_javascript_number() {
        for s in [
            "",
            " ",
            "0",
            "12",
            "-3",
            "+4.5",
            ".5",
            "5.",
            "1e5",
            "1E-3",
            "0x1F",
            "0b101",
            "0o17",
            "Infinity",
            "-Infinity",
            " 12 ",
            "\u{FEFF}7",
        ] {
            assert!(!js_is_nan(s), "{s:?} is a number in JS");
        }
        for s in [
            "a", "1a", "1_000", "0x", "0xG", "-0x1", ".", "e5", "1e", "1e+", "infinity", "+-1",
            "1.2.3", "\u{85}1",
        ] {
            assert!(js_is_nan(s), "{s:?} is NaN in JS");
        }
    }

    #[test]
    fn formats_like_electrodb() {
        let mut seen = SeenNames::default();
        assert_eq!(format_expression_name("__edb_e__", &mut seen), "__edb_e__");
        assert_eq!(format_expression_name("my attr", &mut seen), "myattr");
        assert_eq!(format_expression_name("my.attr", &mut seen), "myattr_2");
        assert_eq!(format_expression_name("my-attr", &mut seen), "myattr_3");
        assert_eq!(format_expression_name("my.attr", &mut seen), "myattr_2");
        assert_eq!(format_expression_name("*", &mut seen), "p");
        assert_eq!(format_expression_name("p", &mut seen), "p_2");
        assert_eq!(format_expression_name("0", &mut seen), "0");
        assert_eq!(format_expression_name("1.5", &mut seen), "15");
        assert_eq!(format_expression_name("1-5", &mut seen), "p15");
        assert_eq!(format_expression_name("héllo", &mut seen), "hllo");
        assert_eq!(
            seen.get("myattr_3").map(crate::Name::as_str),
            Some("my-attr")
        );
    }

    #[test]
    fn fast_path_agrees_with_slow_path() {
        let names = [
            "a", "a-", "a", "p", "*", "p", "12", "1-2", "x y", "xy", "Infinity",
        ];
        let mut fast = SeenNames::default();
        let mut slow = SeenNames::default();
        for n in names {
            let mut out = String::new();
            format_name_into(n, &mut fast, &mut out);
            assert_eq!(out, format_expression_name(n, &mut slow), "{n}");
        }
        assert_eq!(fast, slow);
    }

    #[test]
    fn values_as_names() {
        let mut seen = SeenNames::default();
        assert_eq!(format_value_name(&Value::Null, &mut seen), "pnull");
        assert_eq!(format_value_name(&Value::List(vec![]), &mut seen), "p");
        assert_eq!(
            format_value_name(&Value::Map(Default::default()), &mut seen),
            "objectObject"
        );
        assert_eq!(format_value_name(&Value::from(1.5), &mut seen), "15");
    }

    #[test]
    fn push_u32_writes_decimal() {
        let mut s = String::new();
        push_u32(&mut s, 0);
        push_u32(&mut s, 4_294_967_295);
        assert_eq!(s, "04294967295");
    }
}
