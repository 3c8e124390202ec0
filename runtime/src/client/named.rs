//! The named client type of one API generation, declared in that generation's crate.
//!
//! Generated code adds one method per operation to it (`impl Client { pub async fn authorize… }`),
//! and an inherent impl must live in the crate that defines the type: so each generation's crate
//! declares its `Client` with this macro instead of naming `Engine<P>` directly.

/// Defines a generation's client type: the engine for protocol `$protocol`, wrapped so that the
/// generated typed methods can be inherent; `send`, `send_with`, `endpoint` and `clock_offset`
/// come from the engine through `Deref`. Also `ClientBuilder` and `ClientError` for it.
#[doc(hidden)]
#[macro_export]
macro_rules! engine_client {
    ($(#[$doc:meta])* $protocol:ty, $credentials:ty, $code:ty) => {
        /// Builds a [`Client`].
        pub type ClientBuilder = $crate::client::ClientBuilder<$protocol>;

        /// Why a call failed.
        pub type ClientError = $crate::client::ClientError<$code>;

        $(#[$doc])*
        #[derive(Clone, Debug)]
        pub struct Client($crate::client::Engine<$protocol>);

        impl Client {
            /// A client for `endpoint` that signs with `credentials`.
            pub fn builder(
                credentials: $credentials,
                endpoint: $crate::endpoint::Endpoint,
            ) -> ClientBuilder {
                ClientBuilder::new(credentials, endpoint)
            }
        }

        impl From<$crate::client::Engine<$protocol>> for Client {
            fn from(engine: $crate::client::Engine<$protocol>) -> Client {
                Client(engine)
            }
        }

        impl ::std::ops::Deref for Client {
            type Target = $crate::client::Engine<$protocol>;

            fn deref(&self) -> &Self::Target {
                &self.0
            }
        }
    };
}
