//! Typed attribute handles (`Task::STATUS`) and what each may do.

use super::cond::Cond;
use super::types::{AttributeType, Containable, Input, Ordered, Text};
use std::fmt;
use std::marker::PhantomData;

type Marker<E, T, C> = PhantomData<fn() -> (E, T, C)>;

/// A typed handle on attribute `name` of entity `E`, with value type `T` (an
/// `Option<T>` field's handle has type `T`) and capability `C` ([`Key`], [`ReadOnly`],
/// [`Required`] or [`Optional`]). The derive makes one per field as an associated
/// constant named after the field in upper case.
pub struct Attr<E, T, C> {
    name: &'static str,
    _marker: Marker<E, T, C>,
}

impl<E, T, C> Clone for Attr<E, T, C> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<E, T, C> Copy for Attr<E, T, C> {}
impl<E, T, C> fmt::Debug for Attr<E, T, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Attr({})", self.name)
    }
}

/// Capability of a primary-key composite: never updated, never removed.
#[derive(Clone, Copy, Debug)]
pub struct Key;
/// Capability of a `read_only` attribute: never updated, never removed.
#[derive(Clone, Copy, Debug)]
pub struct ReadOnly;
/// Capability of a required attribute: updated, never removed.
#[derive(Clone, Copy, Debug)]
pub struct Required;
/// Capability of an optional attribute: updated and removed.
#[derive(Clone, Copy, Debug)]
pub struct Optional;

/// Attributes an update may `set`, `add`, `subtract`, `append` or `delete`.
#[diagnostic::on_unimplemented(
    message = "this attribute cannot be updated: it is {Self} (a primary-key composite or read-only)",
    label = "not updatable"
)]
pub trait Settable {}
impl Settable for Required {}
impl Settable for Optional {}

/// Attributes an update may `remove`.
#[diagnostic::on_unimplemented(
    message = "this attribute cannot be removed: it is {Self} (required, read-only or a primary-key composite)",
    label = "not removable"
)]
pub trait Removable {}
impl Removable for Optional {}

impl<E, T, C> Attr<E, T, C> {
    /// A handle (the derive's constructor).
    #[doc(hidden)]
    pub const fn new(name: &'static str) -> Self {
        Attr {
            name,
            _marker: PhantomData,
        }
    }

    /// The attribute's name (as in the model, after `rename`).
    pub const fn name(&self) -> &'static str {
        self.name
    }
}

impl<E, T: AttributeType, C> Attr<E, T, C> {
    fn op(&self, op: &'static str, values: Vec<crate::Value>) -> Cond<E> {
        Cond::op(op, self.name, values)
    }

    /// `#a = :v`.
    pub fn eq(&self, value: impl Input<T>) -> Cond<E> {
        self.op("eq", vec![value.into_attr().to_value()])
    }
    /// `#a <> :v`.
    pub fn ne(&self, value: impl Input<T>) -> Cond<E> {
        self.op("ne", vec![value.into_attr().to_value()])
    }
    /// `attribute_exists(#a)`.
    pub fn exists(&self) -> Cond<E> {
        self.op("exists", vec![])
    }
    /// `attribute_not_exists(#a)`.
    pub fn not_exists(&self) -> Cond<E> {
        self.op("notExists", vec![])
    }
}

impl<E, T: Ordered, C> Attr<E, T, C> {
    /// `#a > :v`.
    pub fn gt(&self, value: impl Input<T>) -> Cond<E> {
        self.op("gt", vec![value.into_attr().to_value()])
    }
    /// `#a >= :v`.
    pub fn gte(&self, value: impl Input<T>) -> Cond<E> {
        self.op("gte", vec![value.into_attr().to_value()])
    }
    /// `#a < :v`.
    pub fn lt(&self, value: impl Input<T>) -> Cond<E> {
        self.op("lt", vec![value.into_attr().to_value()])
    }
    /// `#a <= :v`.
    pub fn lte(&self, value: impl Input<T>) -> Cond<E> {
        self.op("lte", vec![value.into_attr().to_value()])
    }
    /// `(#a between :v1 and :v2)`.
    pub fn between(&self, start: impl Input<T>, end: impl Input<T>) -> Cond<E> {
        self.op(
            "between",
            vec![start.into_attr().to_value(), end.into_attr().to_value()],
        )
    }
}

impl<E, T: Text, C> Attr<E, T, C> {
    /// `begins_with(#a, :v)`.
    pub fn begins(&self, value: impl Input<T>) -> Cond<E> {
        self.op("begins", vec![value.into_attr().to_value()])
    }
}

impl<E, T: Containable, C> Attr<E, T, C> {
    /// `contains(#a, :v)`.
    pub fn contains(&self, value: impl Input<T::Item>) -> Cond<E> {
        self.op("contains", vec![value.into_attr().to_value()])
    }
    /// `not contains(#a, :v)`.
    pub fn not_contains(&self, value: impl Input<T::Item>) -> Cond<E> {
        self.op("notContains", vec![value.into_attr().to_value()])
    }
}
