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

fn significant_digits(mantissa: &str) -> usize {
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    let trimmed = digits.trim_start_matches('0');
    // Trailing zeros are not significant to DynamoDB, with or without a point.
    trimmed.trim_end_matches('0').len()
}

impl FromStr for Number {
    type Err = NumberError;

    /// Parses decimal text, keeping every digit (at most 38 significant ones).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let body = t.strip_prefix(['-', '+']).unwrap_or(t);
        let (mantissa, exponent) = match body.find(['e', 'E']) {
            Some(i) => (&body[..i], Some(&body[i + 1..])),
            None => (body, None),
        };
        let mut parts = mantissa.splitn(2, '.');
        let int = parts.next().unwrap_or("");
        let frac = parts.next();
        let int_ok = int.chars().all(|c| c.is_ascii_digit());
        // `Option::is_none_or` needs Rust 1.82; the MSRV is 1.80.
        let frac_ok = frac.is_none_or(|f| f.chars().all(|c| c.is_ascii_digit()));
        let has_digits = !int.is_empty() || frac.is_some_and(|f| !f.is_empty());
        let exp_ok = exponent.is_none_or(|e| {
            let e = e.strip_prefix(['-', '+']).unwrap_or(e);
            !e.is_empty() && e.chars().all(|c| c.is_ascii_digit())
        });
        if !(int_ok && frac_ok && has_digits && exp_ok) {
            if matches!(t, "NaN" | "Infinity" | "-Infinity") {
                return Err(NumberError::NotFinite(t.to_string()));
            }
            return Err(NumberError::Syntax(s.to_string()));
        }
        if significant_digits(mantissa) > Number::MAX_DIGITS {
            return Err(NumberError::Precision(s.to_string()));
        }
        if exponent.is_none() && frac.is_none() {
            if let Ok(i) = t.parse::<i64>() {
                return Ok(Number(Repr::Int(i)));
            }
        }
        // Short decimals whose text an f64 reproduces exactly are kept as floats:
        // nothing is lost (the text round-trips) and no text is stored.
        if exponent.is_none() && t.len() <= 17 {
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
