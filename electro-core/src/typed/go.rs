//! Typed builders that run: `.go(&client)` returns the derived struct (`get` →
//! `Option<E>`, `put`/`create` → `E`, `query`/`scan` → [`TypedPage`] of `E`), and
//! `.stream(&client)` yields `Result<E>` across every page.

use super::cond::Cond;
use super::entity::{EntityType, WhereExt};
use crate::Map;
use crate::entity::{Attributes, Get, Options, Params, Put, Query, Scan, WhereOps};
use crate::error::Result;
use crate::exec::Client;
use futures::stream::{Stream, StreamExt};
use std::marker::PhantomData;

/// One page (or the pages read) of a typed query or scan.
#[derive(Clone, Debug, PartialEq)]
pub struct TypedPage<E> {
    /// The items, as structs.
    pub data: Vec<E>,
    /// Where the next page starts (`None` at the end).
    pub cursor: Option<String>,
    /// How many DynamoDB pages were read.
    pub pages: u32,
}

fn structs<E: EntityType>(items: Vec<Map>) -> Result<Vec<E>> {
    items.iter().map(E::from_item).collect()
}

macro_rules! typed_builder {
    ($(#[$doc:meta])* $name:ident($inner:ident)) => {
        $(#[$doc])*
        pub struct $name<E> {
            inner: $inner,
            _entity: PhantomData<fn() -> E>,
        }

        impl<E> $name<E> {
            pub(crate) fn wrap(inner: $inner) -> Self {
                $name { inner, _entity: PhantomData }
            }
            /// The untyped builder, for everything else.
            pub fn untyped(self) -> $inner {
                self.inner
            }
            /// A filter or condition from a callback (as on the untyped builder).
            pub fn where_<F>(self, callback: F) -> Self
            where
                F: for<'a, 's, 'b, 'm> FnOnce(&'a Attributes<'m>, &'a WhereOps<'s, 'b, 'm>) -> String,
            {
                Self::wrap(self.inner.where_(callback))
            }
            /// The params, with default options.
            pub fn params(self) -> Result<Params> {
                self.inner.params()
            }
            /// The params with options.
            pub fn params_with(self, options: &Options) -> Result<Params> {
                self.inner.params_with(options)
            }
            /// The params as canonical JSON.
            pub fn params_json(self) -> Result<serde_json::Value> {
                self.inner.params_json()
            }
        }

        impl<E> WhereExt<E> for $name<E> {
            fn filter(self, cond: Cond<E>) -> Self {
                self.where_(move |a, op| cond.render(a, op))
            }
        }
    };
}

typed_builder!(
    /// A typed GetItem: `.go()` returns `Option<E>`.
    TypedGet(Get)
);
typed_builder!(
    /// A typed PutItem: `.go()` returns the struct as written.
    TypedPut(Put)
);
typed_builder!(
    /// A typed Query: `.go()` returns a [`TypedPage`], `.stream()` the structs.
    TypedQuery(Query)
);
typed_builder!(
    /// A typed Scan: `.go()` returns a [`TypedPage`], `.stream()` the structs.
    TypedScan(Scan)
);

impl<E: EntityType> TypedGet<E> {
    /// Runs the GetItem: the struct, or `None`.
    pub async fn go(self, client: &Client) -> Result<Option<E>> {
        self.go_with(client, &Options::default()).await
    }
    /// [`TypedGet::go`] with options.
    pub async fn go_with(self, client: &Client, options: &Options) -> Result<Option<E>> {
        match self.inner.go_with(client, options).await? {
            Some(item) => E::from_item(&item).map(Some),
            None => Ok(None),
        }
    }
}

impl<E: EntityType> TypedPut<E> {
    /// Runs the PutItem: the struct as written (defaults and setters applied).
    pub async fn go(self, client: &Client) -> Result<E> {
        self.go_with(client, &Options::default()).await
    }
    /// [`TypedPut::go`] with options.
    pub async fn go_with(self, client: &Client, options: &Options) -> Result<E> {
        E::from_item(&self.inner.go_with(client, options).await?)
    }
}

impl<E> TypedQuery<E> {
    /// Sort key between two sets of composites (inclusive).
    pub fn between(self, start: Map, end: Map) -> Self {
        Self::wrap(self.inner.between(start, end))
    }
    /// Sort key begins with these composites.
    pub fn begins(self, composites: Map) -> Self {
        Self::wrap(self.inner.begins(composites))
    }
    /// Sort key greater than.
    pub fn gt(self, composites: Map) -> Self {
        Self::wrap(self.inner.gt(composites))
    }
    /// Sort key greater than or equal.
    pub fn gte(self, composites: Map) -> Self {
        Self::wrap(self.inner.gte(composites))
    }
    /// Sort key less than.
    pub fn lt(self, composites: Map) -> Self {
        Self::wrap(self.inner.lt(composites))
    }
    /// Sort key less than or equal.
    pub fn lte(self, composites: Map) -> Self {
        Self::wrap(self.inner.lte(composites))
    }
}

macro_rules! typed_read_go {
    ($name:ident) => {
        impl<E: EntityType + Send + 'static> $name<E> {
            /// Runs it: one page (ElectroDB 3's default) as structs, and a cursor.
            pub async fn go(self, client: &Client) -> Result<TypedPage<E>> {
                self.go_with(client, &Options::default()).await
            }
            /// [`go`](Self::go) with options (`pages`, `count`, `limit`, `cursor`...).
            pub async fn go_with(self, client: &Client, options: &Options) -> Result<TypedPage<E>> {
                let r = self.inner.go_with(client, options).await?;
                Ok(TypedPage {
                    data: structs(r.data)?,
                    cursor: r.cursor,
                    pages: r.pages,
                })
            }
            /// The structs one by one, across every page; errors end the stream.
            pub fn stream(
                self,
                client: &Client,
            ) -> impl Stream<Item = Result<E>> + Send + 'static + use<E> {
                self.stream_with(client, &Options::default())
            }
            /// [`stream`](Self::stream) with options (from `options.cursor` if given).
            pub fn stream_with(
                self,
                client: &Client,
                options: &Options,
            ) -> impl Stream<Item = Result<E>> + Send + 'static + use<E> {
                self.inner
                    .stream(client, options)
                    .map(|item| item.and_then(|i| E::from_item(&i)))
            }
        }
    };
}
typed_read_go!(TypedQuery);
typed_read_go!(TypedScan);

impl crate::service::go::CollectionResult {
    /// The items of the member joined as `alias`, as structs of its derived type.
    ///
    /// ```no_run
    /// # fn f<Task: electro_core::typed::EntityType>(res: electro_core::service::go::CollectionResult) -> electro_core::Result<()> {
    /// let tasks: Vec<Task> = res.typed("tasks")?;
    /// # Ok(()) }
    /// ```
    pub fn typed<E: EntityType>(&self, alias: &str) -> Result<Vec<E>> {
        self.items(alias).iter().map(E::from_item).collect()
    }
}
