//! Typed conditions, rendered through the same `where` operations as the string API.

use crate::Value;
use crate::entity::{Attributes, WhereOps};
use std::marker::PhantomData;

/// A condition on entity `E`'s attributes, built from [`Attr`](super::Attr) handles
/// and combined with `&` (AND), `|` (OR) and `!` (NOT).
///
/// It renders to exactly the text the string `where` callback would give for
/// `format!("{} AND {}", ...)`: `a AND b`, `a OR b`, `NOT a`, with parentheses only
/// around an OR inside an AND, and around a combination under NOT.
pub struct Cond<E> {
    node: Node,
    _entity: PhantomData<fn() -> E>,
}

impl<E> Clone for Cond<E> {
    fn clone(&self) -> Self {
        Cond {
            node: self.node.clone(),
            _entity: PhantomData,
        }
    }
}

impl<E> std::fmt::Debug for Cond<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.node)
    }
}

#[derive(Clone, Debug)]
enum Node {
    Op {
        op: &'static str,
        attr: &'static str,
        values: Vec<Value>,
    },
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Not(Box<Node>),
}

impl<E> Cond<E> {
    pub(crate) fn op(op: &'static str, attr: &'static str, values: Vec<Value>) -> Self {
        Cond {
            node: Node::Op { op, attr, values },
            _entity: PhantomData,
        }
    }

    fn wrap(node: Node) -> Self {
        Cond {
            node,
            _entity: PhantomData,
        }
    }

    /// Both conditions (`a AND b`); the same as `a & b`.
    pub fn and(self, other: Cond<E>) -> Cond<E> {
        Cond::wrap(Node::And(Box::new(self.node), Box::new(other.node)))
    }

    /// Either condition (`a OR b`); the same as `a | b`.
    pub fn or(self, other: Cond<E>) -> Cond<E> {
        Cond::wrap(Node::Or(Box::new(self.node), Box::new(other.node)))
    }

    /// Renders the condition inside a `where_` callback.
    pub fn render<'m>(&self, attrs: &Attributes<'m>, op: &WhereOps<'_, '_, 'm>) -> String {
        render(&self.node, attrs, op)
    }
}

fn render<'m>(node: &Node, attrs: &Attributes<'m>, op: &WhereOps<'_, '_, 'm>) -> String {
    match node {
        Node::Op {
            op: name,
            attr,
            values,
        } => op.apply(name, &attrs.get(attr), values.clone()),
        Node::And(a, b) => {
            let side = |n: &Node| match n {
                Node::Or(..) => format!("({})", render(n, attrs, op)),
                _ => render(n, attrs, op),
            };
            let left = side(a);
            format!("{left} AND {}", side(b))
        }
        Node::Or(a, b) => {
            let left = render(a, attrs, op);
            format!("{left} OR {}", render(b, attrs, op))
        }
        Node::Not(a) => match **a {
            Node::Op { .. } | Node::Not(_) => format!("NOT {}", render(a, attrs, op)),
            _ => format!("NOT ({})", render(a, attrs, op)),
        },
    }
}

impl<E> std::ops::BitAnd for Cond<E> {
    type Output = Cond<E>;
    fn bitand(self, rhs: Cond<E>) -> Cond<E> {
        self.and(rhs)
    }
}

impl<E> std::ops::BitOr for Cond<E> {
    type Output = Cond<E>;
    fn bitor(self, rhs: Cond<E>) -> Cond<E> {
        self.or(rhs)
    }
}

impl<E> std::ops::Not for Cond<E> {
    type Output = Cond<E>;
    fn not(self) -> Cond<E> {
        Cond::wrap(Node::Not(Box::new(self.node)))
    }
}
