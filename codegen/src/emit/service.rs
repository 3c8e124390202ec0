//! `service.rs`, the protocol-neutral part: the service name, regions, environments and the
//! personal-data elements.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Ir;
use crate::names;

/// `SERVICE_NAME`.
pub fn name(ir: &Ir) -> TokenStream {
    let (name, version) = (&ir.service.name, &ir.service.version);
    let svc_doc = format!(" The `{name}` service, version {version}.");
    quote! {
        #[doc = #svc_doc]
        pub const SERVICE_NAME: &str = #name;
    }
}

/// `Region` and `Environment`, with the protocol's methods (`region_methods` after
/// `currencies()`, `environment_methods` before `parse()`).
pub fn regions_and_environments(
    ir: &Ir,
    region_methods: TokenStream,
    environment_methods: TokenStream,
) -> TokenStream {
    let regions = &ir.service.regions;
    let variants: Vec<_> = regions.iter().map(|r| names::ty(&r.variant)).collect();
    let region_names: Vec<&str> = regions.iter().map(|r| r.name.as_str()).collect();
    let hosts = regions.iter().map(|r| &r.host);
    let currencies = regions.iter().map(|r| {
        let c = &r.currencies;
        quote!(&[#(#c),*])
    });
    let docs = regions.iter().map(|r| {
        let d = if r.doc.is_empty() {
            format!(" Region {}.", r.name)
        } else {
            format!(" {}", r.doc)
        };
        quote!(#[doc = #d])
    });
    quote! {
        /// A region: it decides the host and the currency.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Region {
            #(#docs #variants,)*
        }

        impl Region {
            /// Every region, in spec order.
            pub const ALL: &'static [Region] = &[#(Region::#variants),*];

            /// The region's name in the spec (`JP`, `NA`, ...).
            pub fn name(&self) -> &'static str {
                match self { #(Region::#variants => #region_names,)* }
            }

            /// Reads a region name, ignoring case.
            pub fn parse(name: &str) -> ::std::option::Option<Region> {
                Region::ALL.iter().copied().find(|r| r.name().eq_ignore_ascii_case(name))
            }

            /// The API host (the same for sandbox and live).
            pub fn host(&self) -> &'static str {
                match self { #(Region::#variants => #hosts,)* }
            }

            /// The currencies the region accepts; the first is its default.
            pub fn currencies(&self) -> &'static [&'static str] {
                match self { #(Region::#variants => #currencies,)* }
            }

            #region_methods
        }

        impl ::std::fmt::Display for Region {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.name())
            }
        }

        /// Sandbox or live: selects the path, never the host.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Environment {
            Sandbox,
            Live,
        }

        impl Environment {
            #environment_methods

            /// Reads `sandbox` or `live`, ignoring case.
            pub fn parse(name: &str) -> ::std::option::Option<Environment> {
                if name.eq_ignore_ascii_case("sandbox") {
                    ::std::option::Option::Some(Environment::Sandbox)
                } else if name.eq_ignore_ascii_case("live") {
                    ::std::option::Option::Some(Environment::Live)
                } else {
                    ::std::option::Option::None
                }
            }
        }
    }
}

/// `Environment::path()`: the request path (v1) or the legacy base path (v2).
pub fn environment_path(ir: &Ir, doc: &str) -> TokenStream {
    let (sandbox, live) = (&ir.service.sandbox_path, &ir.service.live_path);
    let doc = format!(" {doc}");
    quote! {
        #[doc = #doc]
        pub fn path(&self) -> &'static str {
            match self {
                Environment::Sandbox => #sandbox,
                Environment::Live => #live,
            }
        }
    }
}

/// `PERSONAL_ELEMENTS`.
pub fn personal_elements(ir: &Ir) -> TokenStream {
    let names = ir.personal_elements();
    quote! {
        /// Element names of response documents that hold buyer personal data (the spec's
        /// `personal` members, with their aliases), sorted: logs and recordings redact their
        /// text and everything inside them.
        pub const PERSONAL_ELEMENTS: &[&str] = &[#(#names),*];
    }
}
