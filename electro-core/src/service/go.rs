//! `.go()` on collection queries: the Query runs, pages like an entity query
//! (one page by default, then a cursor), and each item is given to the member that
//! wrote it (by its `__edb_e__`/`__edb_v__` identity), formatted with that member's
//! schema (getters applied, hidden attributes dropped).

use indexmap::IndexMap;

use super::CollectionQuery;
use crate::entity::Entity;
use crate::entity::{Options, Pages};
use crate::error::Result;
use crate::exec::{Client, Operation, deserialize_cursor, serialize_cursor};
use crate::{Map, Value};

/// What a collection query returns: each member's items under its alias.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CollectionResult {
    /// Items by member alias, in the order read; every alias of the service is
    /// present (empty when none of its items came back).
    pub data: IndexMap<String, Vec<Map>>,
    /// Where the next page starts (`None` at the end).
    pub cursor: Option<String>,
    /// How many DynamoDB pages were read.
    pub pages: u32,
}

impl CollectionResult {
    /// The items of the member joined as `alias` (empty for an unknown alias).
    ///
    /// ```
    /// let result = electro_core::service::go::CollectionResult::default();
    /// assert!(result.items("tasks").is_empty());
    /// ```
    pub fn items(&self, alias: &str) -> &[Map] {
        self.data.get(alias).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// The alias of the service member that wrote `item`.
fn owner<'s>(members: &'s IndexMap<String, Entity>, item: &Map) -> Option<&'s str> {
    members.iter().find_map(|(alias, entity)| {
        let m = entity.model();
        let is = |field: &str, want: &str| {
            matches!(item.get(field), Some(Value::String(s)) if s == want)
        };
        (is(&m.identifiers.entity, &m.entity) && is(&m.identifiers.version, &m.version))
            .then_some(alias.as_str())
    })
}

impl CollectionQuery {
    /// Runs the collection query with default options: one page and a cursor to
    /// the next. Items are sorted to their member by identity and formatted by it.
    ///
    /// ```no_run
    /// # async fn run(client: electro_core::Client) -> electro_core::Result<()> {
    /// let svc = electro_core::service::doc_service();
    /// let res = svc.collection("overview", electro_core::item! {"projectId" => "p1"})
    ///     .go(&client).await?;
    /// println!("{} tasks", res.items("tasks").len());
    /// # Ok(()) }
    /// ```
    pub async fn go(self, client: &Client) -> Result<CollectionResult> {
        self.go_with(client, &Options::default()).await
    }

    /// [`CollectionQuery::go`] with options (`pages`, `limit`, `cursor`, ...).
    ///
    /// ```no_run
    /// # async fn run(client: electro_core::Client) -> electro_core::Result<()> {
    /// use electro_core::entity::{Options, Pages};
    /// let svc = electro_core::service::doc_service();
    /// let all = svc.collection("overview", electro_core::item! {"projectId" => "p1"})
    ///     .go_with(&client, &Options::default().pages(Pages::All)).await?;
    /// assert!(all.cursor.is_none());
    /// # Ok(()) }
    /// ```
    pub async fn go_with(self, client: &Client, options: &Options) -> Result<CollectionResult> {
        let schema = self.schema.clone();
        let params = self.params_with(options)?.body;
        let Some(schema) = schema else {
            return Err(crate::Error::new(
                crate::ErrorCode::InvalidQueryParameters,
                "Invalid collection",
            ));
        };
        let members = &schema.members;
        let pages = options.pages.unwrap_or(Pages::Count(1));
        let mut next = match options.cursor.as_deref().filter(|c| !c.is_empty()) {
            Some(c) => Some(deserialize_cursor(c)?),
            None => None,
        };
        let mut out = CollectionResult {
            data: members.keys().map(|a| (a.clone(), Vec::new())).collect(),
            ..Default::default()
        };
        loop {
            let mut p = params.clone();
            if let Some(start) = next.take() {
                p.insert("ExclusiveStartKey".into(), Value::Map(start));
            }
            let res = client.send(Operation::Query, &p).await?;
            out.pages += 1;
            if let Some(Value::List(items)) = res.get("Items") {
                for item in items.iter().filter_map(Value::as_map) {
                    let Some(alias) = owner(members, item) else {
                        continue;
                    };
                    let Some(entity) = members.get(alias) else {
                        continue;
                    };
                    let formatted = entity.parse_item(item.clone())?;
                    if let Some(v) = out.data.get_mut(alias) {
                        v.push(formatted);
                    }
                }
            }
            next = match res.get("LastEvaluatedKey") {
                Some(Value::Map(m)) if !m.is_empty() => Some(m.clone()),
                _ => None,
            };
            let more = match pages {
                Pages::All => true,
                Pages::Count(n) => out.pages < n,
            };
            if next.is_none() || !more {
                break;
            }
        }
        out.cursor = next.as_ref().map(serialize_cursor);
        Ok(out)
    }
}
