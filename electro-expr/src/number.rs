//! DynamoDB numbers without silent rounding.
//!
//! DynamoDB keeps up to 38 significant digits; an `f64` keeps about 17. A [`Number`]
//! remembers how it was made: integers stay integers, floats stay floats (printed the
//! way JavaScript prints them, so keys match ElectroDB's), and decimal text keeps every
//! digit it was given.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// A DynamoDB number.
#[derive(Clone, Debug)]
pub struct Number(Repr);

#[derive(Clone, Debug)]
enum Repr {
    Int(i64),
    Float(f64),
    /// A validated decimal literal (at most 38 significant digits), kept as given.
    Decimal(Box<str>),
    /// NaN or an infinity, kept (rather than lost) so that validation and sending
    /// can refuse it with a clear error: DynamoDB has no such numbers.
    NonFinite(f64),
}

/// Why a text is not a DynamoDB number.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    /// Not of the form `-?digits[.digits][e[+-]digits]`.
    #[error("\"{0}\" is not a number")]
    Syntax(String),
    /// More significant digits than DynamoDB stores.
    #[error("\"{0}\" has more than 38 significant digits")]
    Precision(String),
    /// NaN or an infinity: DynamoDB has no such numbers.
    #[error("{0} is not a finite number")]
    NotFinite(String),
}

impl Number {
    /// The largest count of significant digits DynamoDB keeps.
    pub const MAX_DIGITS: usize = 38;

    /// A number from a float; `None` for NaN and infinities, which DynamoDB refuses.
    pub fn from_f64(f: f64) -> Option<Number> {
        if !f.is_finite() {
            return None;
        }
        if f.fract() == 0.0 && f.abs() < 9.007_199_254_740_992e15 {
            return Some(Number(Repr::Int(f as i64)));
        }
        Some(Number(Repr::Float(f)))
    }

    /// Any float: finite ones as [`Number::from_f64`] makes them, NaN and infinities
    /// as a non-finite number that schema validation and `Client::send` refuse with
    /// a clear error (nothing silently becomes `null` or `0`).
    ///
    /// ```
    /// use electro_expr::Number;
    /// assert!(Number::from_float(1.5).is_finite());
    /// let nan = Number::from_float(f64::NAN);
    /// assert!(!nan.is_finite());
    /// assert_eq!(nan.to_js_string(), "NaN");
    /// assert_eq!(Number::from_float(f64::NEG_INFINITY).to_js_string(), "-Infinity");
    /// ```
    pub fn from_float(f: f64) -> Number {
        Number::from_f64(f).unwrap_or(Number(Repr::NonFinite(f)))
    }

    /// False for NaN and infinities (only [`Number::from_float`] makes them).
    pub fn is_finite(&self) -> bool {
        !matches!(self.0, Repr::NonFinite(_))
    }

    /// The number as an `f64` (may round when it came from long decimal text).
    pub fn as_f64(&self) -> f64 {
        match &self.0 {
            Repr::Int(i) => *i as f64,
            Repr::Float(f) => *f,
            Repr::Decimal(s) => s.parse().unwrap_or(f64::NAN),
            Repr::NonFinite(f) => *f,
        }
    }

    /// `text.parse::<Number>()` then [`as_f64`](Self::as_f64), without building
    /// the number (no decimal text is kept): what a float attribute reads from
    /// DynamoDB's `N`. `None` where parsing fails.
    ///
    /// ```
    /// use electro_expr::Number;
    /// assert_eq!(Number::parse_f64("4500.00"), Some(4500.0));
    /// assert_eq!(Number::parse_f64("1e+21"), Some(1e21));
    /// assert_eq!(Number::parse_f64("1e"), None);
    /// ```
    pub fn parse_f64(text: &str) -> Option<f64> {
        let t = text.trim();
        let shape = scan_decimal(t)?;
        if shape.significant > Number::MAX_DIGITS {
            return None;
        }
        if shape.integer {
            // An integer in `i64` range is kept as one (so "-0" is 0, not -0.0).
            if let Ok(i) = t.parse::<i64>() {
                return Some(i as f64);
            }
        }
        t.parse().ok()
    }

    /// The number as an `i64` when it is a whole number in range.
    pub fn as_i64(&self) -> Option<i64> {
        match &self.0 {
            Repr::Int(i) => Some(*i),
            Repr::Float(f) if f.fract() == 0.0 && f.abs() < 9.2e18 => Some(*f as i64),
            Repr::Float(_) => None,
            Repr::Decimal(s) => s.parse().ok(),
            Repr::NonFinite(_) => None,
        }
    }

    /// Whether this is an integer value (JavaScript's `Number.isInteger`).
    pub fn is_integer(&self) -> bool {
        match &self.0 {
            Repr::Int(_) => true,
            Repr::Float(f) => f.fract() == 0.0,
            Repr::Decimal(s) => !s.contains(['.', 'e', 'E']),
            Repr::NonFinite(_) => false,
        }
    }

    /// Whether the number is exactly zero.
    pub fn is_zero(&self) -> bool {
        self.as_f64() == 0.0
    }

    /// The number as JavaScript's `String(n)` writes it, which is how ElectroDB
    /// writes numbers into keys; decimal text is written as given.
    pub fn to_js_string(&self) -> String {
        let mut s = String::new();
        self.write_js(&mut s);
        s
    }

    /// Appends [`Number::to_js_string`] to `out` without a temporary.
    pub fn write_js(&self, out: &mut String) {
        match &self.0 {
            Repr::Int(i) => {
                use std::fmt::Write;
                let _ = write!(out, "{i}");
            }
            Repr::Float(f) => {
                let mut buf = ryu_js::Buffer::new();
                out.push_str(buf.format(*f));
            }
            Repr::Decimal(s) => out.push_str(s),
            // JavaScript's String(n).
            Repr::NonFinite(f) if f.is_nan() => out.push_str("NaN"),
            Repr::NonFinite(f) if *f > 0.0 => out.push_str("Infinity"),
            Repr::NonFinite(_) => out.push_str("-Infinity"),
        }
    }

    /// Whether the number can be written as a JSON number without loss.
    pub fn is_lossless_f64(&self) -> bool {
        match &self.0 {
            Repr::Int(i) => i.unsigned_abs() <= (1u64 << 53),
            Repr::Float(_) => true,
            Repr::Decimal(s) => s
                .parse::<f64>()
                .map(|f| Number(Repr::Float(f)).to_js_string() == **s)
                .unwrap_or(false),
            Repr::NonFinite(_) => false,
        }
    }
}

/// What one pass over decimal text learns: its significant digits (leading and
/// trailing zeros are not significant to DynamoDB, with or without a point) and
/// whether it is a plain integer (no point, no exponent).
pub(crate) struct DecimalShape {
    significant: usize,
    integer: bool,
}

/// The decimal text `Number` accepts, `[+-]?(d+(.d*)?|.d+)([eE][+-]?d+)?` (already
/// trimmed), scanned byte by byte; `None` for anything else. JavaScript's
/// `Number(string)` reads the same decimal literals (see `js_is_nan`).
pub(crate) fn scan_decimal(t: &str) -> Option<DecimalShape> {
    let b = t.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'-' | b'+')));
    let (mut significant, mut pending_zeros, mut leading) = (0usize, 0usize, true);
    let mut digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            if b[*i] == b'0' {
                if !leading {
                    pending_zeros += 1;
                }
            } else {
                leading = false;
                significant += pending_zeros + 1;
                pending_zeros = 0;
            }
            *i += 1;
        }
        *i - start
    };
    let mut mantissa_digits = digits(&mut i);
    let mut integer = true;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        integer = false;
        mantissa_digits += digits(&mut i);
    }
    if mantissa_digits == 0 {
        return None;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        integer = false;
        if i < b.len() && (b[i] == b'-' || b[i] == b'+') {
            i += 1;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    (i == b.len()).then_some(DecimalShape {
        significant,
        integer,
    })
}

impl FromStr for Number {
    type Err = NumberError;

    /// Parses decimal text, keeping every digit (at most 38 significant ones).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let Some(shape) = scan_decimal(t) else {
            if matches!(t, "NaN" | "Infinity" | "-Infinity") {
                return Err(NumberError::NotFinite(t.to_string()));
            }
            return Err(NumberError::Syntax(s.to_string()));
        };
        if shape.significant > Number::MAX_DIGITS {
            return Err(NumberError::Precision(s.to_string()));
        }
        if shape.integer {
            if let Ok(i) = t.parse::<i64>() {
                return Ok(Number(Repr::Int(i)));
            }
        }
        // Short decimals whose text an f64 reproduces exactly are kept as floats:
        // nothing is lost (the text round-trips) and no text is stored.
        if !t.contains(['e', 'E']) && t.len() <= 17 {
            if let Ok(f) = t.parse::<f64>() {
                let mut buf = ryu_js::Buffer::new();
                if f.is_finite() && buf.format(f) == t {
                    return Ok(Number(Repr::Float(f)));
                }
            }
        }
        Ok(Number(Repr::Decimal(t.into())))
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_js_string())
    }
}

impl PartialEq for Number {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Repr::Int(a), Repr::Int(b)) => a == b,
            (Repr::Decimal(a), Repr::Decimal(b)) if a == b => true,
            _ => self.partial_cmp(other) == Some(Ordering::Equal),
        }
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        match (&self.0, &other.0) {
            (Repr::Int(a), Repr::Int(b)) => Some(a.cmp(b)),
            _ => self.as_f64().partial_cmp(&other.as_f64()),
        }
    }
}

macro_rules! from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Number {
            fn from(v: $t) -> Self { Number(Repr::Int(v as i64)) }
        }
    )*};
}
from_int!(i8, i16, i32, i64, u8, u16, u32);

impl From<u64> for Number {
    fn from(v: u64) -> Self {
        match i64::try_from(v) {
            Ok(i) => Number(Repr::Int(i)),
            Err(_) => Number(Repr::Decimal(v.to_string().into())),
        }
    }
}

impl From<i128> for Number {
    fn from(v: i128) -> Self {
        match i64::try_from(v) {
            Ok(i) => Number(Repr::Int(i)),
            Err(_) => Number(Repr::Decimal(v.to_string().into())),
        }
    }
}

impl From<usize> for Number {
    fn from(v: usize) -> Self {
        Number::from(v as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_f64_reads_what_the_number_path_reads() {
        assert_eq!(Number::parse_f64("0.1"), Some(0.1));
        assert_eq!(Number::parse_f64("-0").map(f64::to_bits), Some(0));
        assert_eq!(
            Number::parse_f64("-0.0").map(f64::to_bits),
            Some((-0.0f64).to_bits())
        );
        assert_eq!(Number::parse_f64("1e+21"), Some(1e21));
        assert_eq!(
            Number::parse_f64("18446744073709551616"),
            Some(2f64.powi(64))
        );
        assert_eq!(
            Number::parse_f64("12345678901234567890123456789012345678"),
            Some(1.2345678901234568e37)
        );
        for text in ["1e", "NaN", "inf", "", "1.2.3", "--5", "1e5.5", "."] {
            assert_eq!(Number::parse_f64(text), None, "{text:?}");
        }
        assert_eq!(
            Number::parse_f64("123456789012345678901234567890123456789"),
            None
        );
        assert_eq!(
            Number::parse_f64("100000000000000000000000000000000000000000"),
            Some(1e41)
        );
        // Every text reads as `parse::<Number>()` then `as_f64` does.
        for text in [
            "0.1",
            "-0",
            "-0.0",
            "1e+21",
            "18446744073709551616",
            "+5",
            " 5",
            ".5",
            "5.",
            "5.e3",
            "007",
            "4500.00",
            "1E-7",
            "1e",
            "NaN",
            "",
            "1.2.3",
            "123456789012345678901234567890123456789",
        ] {
            let slow = text.parse::<Number>().ok().map(|n| n.as_f64().to_bits());
            assert_eq!(Number::parse_f64(text).map(f64::to_bits), slow, "{text:?}");
        }
    }

    #[test]
    fn keeps_38_digits() {
        let n: Number = "12345678901234567890123456789012345678".parse().unwrap();
        assert_eq!(n.to_js_string(), "12345678901234567890123456789012345678");
        let n: Number = "0.1234567890123456789012345678901234567".parse().unwrap();
        assert_eq!(n.to_js_string(), "0.1234567890123456789012345678901234567");
    }

    #[test]
    fn refuses_39_digits_and_garbage() {
        assert!(matches!(
            "123456789012345678901234567890123456789".parse::<Number>(),
            Err(NumberError::Precision(_))
        ));
        assert!(matches!(
            "1.2.3".parse::<Number>(),
            Err(NumberError::Syntax(_))
        ));
        assert!(matches!(
            "NaN".parse::<Number>(),
            Err(NumberError::NotFinite(_))
        ));
        assert!(Number::from_f64(f64::NAN).is_none());
        assert!(Number::from_f64(f64::INFINITY).is_none());
    }

    #[test]
    fn floats_print_like_javascript() {
        assert_eq!(Number::from_f64(0.1).unwrap().to_js_string(), "0.1");
        assert_eq!(Number::from_f64(1e21).unwrap().to_js_string(), "1e+21");
        assert_eq!(Number::from_f64(2.0).unwrap().to_js_string(), "2");
        assert_eq!(Number::from_f64(-1.5e-7).unwrap().to_js_string(), "-1.5e-7");
    }

    #[test]
    fn compares_across_representations() {
        assert_eq!(Number::from(2), Number::from_f64(2.0).unwrap());
        assert_eq!(Number::from(2), "2.0".parse::<Number>().unwrap());
        assert!(Number::from(1) < Number::from_f64(1.5).unwrap());
    }
}
