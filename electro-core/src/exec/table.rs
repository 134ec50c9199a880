//! Creating and removing the single table an electro service lives in.
//!
//! ElectroDB leaves table creation to the user; electro offers it because tests (and
//! quick starts) need a table shaped like the model's indexes, created idempotently
//! so that reruns and parallel tests do not trip over each other.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::operation::create_table::CreateTableError;
use aws_sdk_dynamodb::operation::delete_table::DeleteTableError;
use aws_sdk_dynamodb::operation::describe_table::DescribeTableError;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, IndexStatus, KeySchemaElement, KeyType,
    Projection, ProjectionType, ScalarAttributeType, TableDescription, TableStatus,
};

use super::aws_error::{from_sdk, no_details};
use super::client::Client;
use crate::error::{Error, ErrorCode, Result};

/// How long [`Client::create_table`] waits for a table to become `ACTIVE`.
pub const TABLE_ACTIVE_TIMEOUT: Duration = Duration::from_secs(60);

/// The DynamoDB type of a key attribute.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum KeyAttributeType {
    /// `S`: ElectroDB's keys are strings.
    #[default]
    String,
    /// `N`: for numeric keys, e.g. a sort key that is a plain number attribute.
    Number,
    /// `B`.
    Binary,
}

impl KeyAttributeType {
    fn sdk(self) -> ScalarAttributeType {
        match self {
            KeyAttributeType::String => ScalarAttributeType::S,
            KeyAttributeType::Number => ScalarAttributeType::N,
            KeyAttributeType::Binary => ScalarAttributeType::B,
        }
    }
}

/// A global secondary index: its name and key attributes (projection `ALL`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GsiDefinition {
    /// The index name, e.g. `"gsi1pk-gsi1sk-index"`.
    pub name: String,
    /// The partition key attribute.
    pub pk: String,
    /// The sort key attribute, if any.
    pub sk: Option<String>,
}

impl GsiDefinition {
    /// An index with a partition key only.
    ///
    /// ```
    /// use electro_core::exec::{GsiDefinition, KeyAttributeType, TableDefinition};
    /// let gsi = GsiDefinition::new("by-team", "team");
    /// assert_eq!((gsi.name.as_str(), gsi.pk.as_str(), gsi.sk), ("by-team", "team", None));
    /// ```
    pub fn new(name: impl Into<String>, pk: impl Into<String>) -> GsiDefinition {
        GsiDefinition {
            name: name.into(),
            pk: pk.into(),
            sk: None,
        }
    }

    /// Adds a sort key.
    ///
    /// ```
    /// use electro_core::exec::{GsiDefinition, KeyAttributeType, TableDefinition};
    /// let gsi = GsiDefinition::new("gsi1pk-gsi1sk-index", "gsi1pk").sk("gsi1sk");
    /// assert_eq!(gsi.sk.as_deref(), Some("gsi1sk"));
    /// ```
    pub fn sk(mut self, sk: impl Into<String>) -> GsiDefinition {
        self.sk = Some(sk.into());
        self
    }
}

/// A table's key layout. Key attributes are strings (`S`) unless
/// [`attribute_types`](TableDefinition::attribute_types) says otherwise.
///
/// ```
/// use electro_core::exec::{GsiDefinition, KeyAttributeType, TableDefinition};
///
/// let table = TableDefinition::new("electro", "pk")
///     .sk("sk")
///     .gsi(GsiDefinition::new("gsi1pk-gsi1sk-index", "gsi1pk").sk("gsi1sk"))
///     .gsi(GsiDefinition::new("by-rank", "team").sk("rank"))
///     .attribute_type("rank", KeyAttributeType::Number);
/// assert_eq!(table.type_of("rank"), KeyAttributeType::Number);
/// assert_eq!(table.type_of("sk"), KeyAttributeType::String);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TableDefinition {
    /// The table name.
    pub name: String,
    /// The partition key attribute.
    pub pk: String,
    /// The sort key attribute, if any.
    pub sk: Option<String>,
    /// Global secondary indexes.
    pub gsis: Vec<GsiDefinition>,
    /// Key attributes that are not strings.
    pub attribute_types: BTreeMap<String, KeyAttributeType>,
}

impl TableDefinition {
    /// A table with a partition key only.
    ///
    /// ```
    /// use electro_core::exec::{GsiDefinition, KeyAttributeType, TableDefinition};
    /// let table = TableDefinition::new("electro", "pk");
    /// assert_eq!((table.name.as_str(), table.sk), ("electro", None));
    /// ```
    pub fn new(name: impl Into<String>, pk: impl Into<String>) -> TableDefinition {
        TableDefinition {
            name: name.into(),
            pk: pk.into(),
            ..TableDefinition::default()
        }
    }

    /// Adds a sort key.
    ///
    /// ```
    /// use electro_core::exec::{GsiDefinition, KeyAttributeType, TableDefinition};
    /// assert_eq!(TableDefinition::new("electro", "pk").sk("sk").sk.as_deref(), Some("sk"));
    /// ```
    pub fn sk(mut self, sk: impl Into<String>) -> TableDefinition {
        self.sk = Some(sk.into());
        self
    }

    /// Adds a global secondary index.
    ///
    /// ```
    /// use electro_core::exec::{GsiDefinition, KeyAttributeType, TableDefinition};
    /// let table = TableDefinition::new("electro", "pk").sk("sk")
    ///     .gsi(GsiDefinition::new("gsi1pk-gsi1sk-index", "gsi1pk").sk("gsi1sk"));
    /// assert_eq!(table.gsis[0].pk, "gsi1pk");
    /// ```
    pub fn gsi(mut self, gsi: GsiDefinition) -> TableDefinition {
        self.gsis.push(gsi);
        self
    }

    /// Gives a key attribute a type other than string.
    ///
    /// ```
    /// use electro_core::exec::{GsiDefinition, KeyAttributeType, TableDefinition};
    /// let table = TableDefinition::new("scores", "team").sk("rank")
    ///     .attribute_type("rank", KeyAttributeType::Number);
    /// assert_eq!(table.attribute_types["rank"], KeyAttributeType::Number);
    /// ```
    pub fn attribute_type(
        mut self,
        attribute: impl Into<String>,
        ty: KeyAttributeType,
    ) -> TableDefinition {
        self.attribute_types.insert(attribute.into(), ty);
        self
    }

    /// The type of a key attribute.
    ///
    /// ```
    /// use electro_core::exec::{GsiDefinition, KeyAttributeType, TableDefinition};
    /// let table = TableDefinition::new("scores", "team").sk("rank")
    ///     .attribute_type("rank", KeyAttributeType::Number);
    /// assert_eq!(table.type_of("rank"), KeyAttributeType::Number);
    /// assert_eq!(table.type_of("team"), KeyAttributeType::String);
    /// ```
    pub fn type_of(&self, attribute: &str) -> KeyAttributeType {
        self.attribute_types
            .get(attribute)
            .copied()
            .unwrap_or_default()
    }

    fn key_schema(pk: &str, sk: Option<&str>) -> Result<Vec<KeySchemaElement>> {
        let mut schema = vec![(pk, KeyType::Hash)];
        schema.extend(sk.map(|sk| (sk, KeyType::Range)));
        schema
            .into_iter()
            .map(|(name, ty)| {
                KeySchemaElement::builder()
                    .attribute_name(name)
                    .key_type(ty)
                    .build()
                    .map_err(build_error)
            })
            .collect()
    }

    /// Every key attribute, once, in first-use order.
    fn key_attributes(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        let all = std::iter::once(self.pk.as_str())
            .chain(self.sk.as_deref())
            .chain(
                self.gsis
                    .iter()
                    .flat_map(|g| std::iter::once(g.pk.as_str()).chain(g.sk.as_deref())),
            );
        for name in all {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        names
    }
}

fn build_error(e: aws_sdk_dynamodb::error::BuildError) -> Error {
    Error::new(
        ErrorCode::InvalidOptions,
        format!("Invalid table definition: {e}"),
    )
}

impl Client {
    /// Creates the table (on-demand billing) unless it exists, then waits until it
    /// and its indexes are `ACTIVE` (at most [`TABLE_ACTIVE_TIMEOUT`]). An existing
    /// table is left as it is, whatever its keys.
    ///
    /// ```no_run
    /// use electro_core::exec::{Client, GsiDefinition, TableDefinition};
    ///
    /// # async fn run() -> electro_core::Result<()> {
    /// let client = Client::local("http://127.0.0.1:8000");
    /// let table = TableDefinition::new("electro", "pk")
    ///     .sk("sk")
    ///     .gsi(GsiDefinition::new("gsi1pk-gsi1sk-index", "gsi1pk").sk("gsi1sk"));
    /// client.create_table(&table).await?;
    /// client.create_table(&table).await?; // already there: fine
    /// # Ok(())
    /// # }
    /// ```
    pub async fn create_table(&self, table: &TableDefinition) -> Result<()> {
        let definitions = table
            .key_attributes()
            .into_iter()
            .map(|name| {
                AttributeDefinition::builder()
                    .attribute_name(name)
                    .attribute_type(table.type_of(name).sdk())
                    .build()
                    .map_err(build_error)
            })
            .collect::<Result<Vec<_>>>()?;
        let gsis = table
            .gsis
            .iter()
            .map(|g| {
                GlobalSecondaryIndex::builder()
                    .index_name(&g.name)
                    .set_key_schema(Some(TableDefinition::key_schema(&g.pk, g.sk.as_deref())?))
                    .projection(
                        Projection::builder()
                            .projection_type(ProjectionType::All)
                            .build(),
                    )
                    .build()
                    .map_err(build_error)
            })
            .collect::<Result<Vec<_>>>()?;
        let created = self
            .sdk()
            .create_table()
            .table_name(&table.name)
            .billing_mode(BillingMode::PayPerRequest)
            .set_attribute_definitions(Some(definitions))
            .set_key_schema(Some(TableDefinition::key_schema(
                &table.pk,
                table.sk.as_deref(),
            )?))
            .set_global_secondary_indexes((!gsis.is_empty()).then_some(gsis))
            .send()
            .await;
        match created {
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.as_service_error(),
                    Some(CreateTableError::ResourceInUseException(_))
                ) => {}
            Err(e) => return Err(from_sdk(e, no_details)),
        }
        self.wait_until_active(&table.name, TABLE_ACTIVE_TIMEOUT)
            .await
    }

    async fn wait_until_active(&self, name: &str, timeout: Duration) -> Result<()> {
        let started = Instant::now();
        loop {
            if let Some(d) = self.describe_table(name).await? {
                let table_active = d.table_status() == Some(&TableStatus::Active);
                let indexes_active = d
                    .global_secondary_indexes()
                    .iter()
                    .all(|g| g.index_status() == Some(&IndexStatus::Active));
                if table_active && indexes_active {
                    return Ok(());
                }
            }
            if started.elapsed() >= timeout {
                return Err(Error::new(
                    ErrorCode::OperationAborted,
                    format!("Table \"{name}\" did not become ACTIVE within {timeout:?}"),
                ));
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// Deletes the table; `Ok(false)` when there was none.
    ///
    /// ```no_run
    /// # async fn run() -> electro_core::Result<()> {
    /// let client = electro_core::exec::Client::local("http://127.0.0.1:8000");
    /// let existed = client.delete_table("electro-test").await?;
    /// # let _ = existed; Ok(()) }
    /// ```
    pub async fn delete_table(&self, name: &str) -> Result<bool> {
        match self.sdk().delete_table().table_name(name).send().await {
            Ok(_) => Ok(true),
            Err(e)
                if matches!(
                    e.as_service_error(),
                    Some(DeleteTableError::ResourceNotFoundException(_))
                ) =>
            {
                Ok(false)
            }
            Err(e) => Err(from_sdk(e, no_details)),
        }
    }

    /// The table's description as DynamoDB gives it; `None` when there is no such
    /// table.
    ///
    /// ```no_run
    /// # async fn run() -> electro_core::Result<()> {
    /// let client = electro_core::exec::Client::local("http://127.0.0.1:8000");
    /// if let Some(t) = client.describe_table("electro").await? {
    ///     println!("{:?} items", t.item_count());
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn describe_table(&self, name: &str) -> Result<Option<TableDescription>> {
        match self.sdk().describe_table().table_name(name).send().await {
            Ok(out) => Ok(out.table),
            Err(e)
                if matches!(
                    e.as_service_error(),
                    Some(DescribeTableError::ResourceNotFoundException(_))
                ) =>
            {
                Ok(None)
            }
            Err(e) => Err(from_sdk(e, no_details)),
        }
    }

    /// Whether the table exists.
    ///
    /// ```no_run
    /// # async fn run() -> electro_core::Result<()> {
    /// let client = electro_core::exec::Client::local("http://127.0.0.1:8000");
    /// assert!(client.table_exists("electro").await?);
    /// # Ok(()) }
    /// ```
    pub async fn table_exists(&self, name: &str) -> Result<bool> {
        Ok(self.describe_table(name).await?.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_attributes_are_listed_once() {
        let t = TableDefinition::new("t", "pk")
            .sk("sk")
            .gsi(GsiDefinition::new("g1", "gsi1pk").sk("sk"))
            .gsi(GsiDefinition::new("g2", "pk"));
        assert_eq!(t.key_attributes(), ["pk", "sk", "gsi1pk"]);
    }
}
