//! The handle every executed operation goes through.
//!
//! It wraps the SDK client rather than hiding it: users keep the SDK's configuration
//! (credentials, retries, interceptors) and can reach it with [`Client::sdk`].

use aws_sdk_dynamodb::config::{BehaviorVersion, Credentials, Region};

/// A DynamoDB client for electro. Cheap to clone: clones share one connection pool.
#[derive(Clone, Debug)]
pub struct Client {
    sdk: aws_sdk_dynamodb::Client,
}

impl Client {
    /// A client configured from the environment the usual AWS way (region,
    /// credentials, profile), including `AWS_ENDPOINT_URL` /
    /// `AWS_ENDPOINT_URL_DYNAMODB` to point it at DynamoDB Local.
    ///
    /// ```no_run
    /// # async fn run() {
    /// let client = electro_core::exec::Client::from_env().await;
    /// # let _ = client;
    /// # }
    /// ```
    pub async fn from_env() -> Client {
        let config = aws_config::load_defaults(BehaviorVersion::latest()).await;
        Client::from_sdk(aws_sdk_dynamodb::Client::new(&config))
    }

    /// Wraps an SDK client configured by the caller.
    ///
    /// ```
    /// use aws_sdk_dynamodb::config::{BehaviorVersion, Region};
    /// let conf = aws_sdk_dynamodb::Config::builder()
    ///     .behavior_version(BehaviorVersion::latest())
    ///     .region(Region::new("eu-west-1"))
    ///     .build();
    /// let client = electro_core::exec::Client::from_sdk(aws_sdk_dynamodb::Client::from_conf(conf));
    /// assert_eq!(client.sdk().config().region().unwrap().as_ref(), "eu-west-1");
    /// ```
    pub fn from_sdk(sdk: aws_sdk_dynamodb::Client) -> Client {
        Client { sdk }
    }

    /// A client for DynamoDB Local (or any endpoint that ignores signatures): static
    /// dummy credentials, region `us-east-1`. Needs no environment and no I/O to
    /// build.
    ///
    /// ```
    /// let client = electro_core::exec::Client::local("http://127.0.0.1:8000");
    /// assert_eq!(client.sdk().config().region().unwrap().as_ref(), "us-east-1");
    /// ```
    pub fn local(endpoint: impl Into<String>) -> Client {
        Client::local_with_config(endpoint, |builder| builder)
    }

    /// Like [`Client::local`], letting `configure` change the SDK configuration
    /// before the client is built, e.g. to install an interceptor that tests use to
    /// observe or alter requests and responses.
    ///
    /// ```
    /// use aws_sdk_dynamodb::config::retry::RetryConfig;
    /// use electro_core::exec::Client;
    ///
    /// let client = Client::local_with_config("http://127.0.0.1:8000", |builder| {
    ///     builder.retry_config(RetryConfig::disabled())
    /// });
    /// # let _ = client;
    /// ```
    pub fn local_with_config(
        endpoint: impl Into<String>,
        configure: impl FnOnce(aws_sdk_dynamodb::config::Builder) -> aws_sdk_dynamodb::config::Builder,
    ) -> Client {
        let builder = aws_sdk_dynamodb::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            // DynamoDB Local (2.0 and later) accepts only letters and digits here.
            .credentials_provider(Credentials::new(
                "electrolocal",
                "electrolocal",
                None,
                None,
                "electro-local",
            ))
            .endpoint_url(endpoint);
        Client::from_sdk(aws_sdk_dynamodb::Client::from_conf(
            configure(builder).build(),
        ))
    }

    /// The wrapped SDK client, for anything electro does not cover.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// let client = electro_core::exec::Client::local("http://127.0.0.1:8000");
    /// let tables = client.sdk().list_tables().send().await?;
    /// println!("{:?}", tables.table_names());
    /// # Ok(()) }
    /// ```
    pub fn sdk(&self) -> &aws_sdk_dynamodb::Client {
        &self.sdk
    }
}

impl From<aws_sdk_dynamodb::Client> for Client {
    fn from(sdk: aws_sdk_dynamodb::Client) -> Client {
        Client::from_sdk(sdk)
    }
}
