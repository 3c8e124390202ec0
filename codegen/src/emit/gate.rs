//! Code emitted always or only under a cargo feature of the generated crate.

use proc_macro2::TokenStream;
use quote::quote;

/// When an optional part of the generated code is compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    Always,
    /// Only with this feature of the generated crate enabled.
    Feature(&'static str),
}

impl Gate {
    /// `, derive` to end a derive list: the derive itself when always, else nothing (the
    /// gated derive is [`Gate::derive_attr`]).
    pub fn listed(self, derive: TokenStream) -> TokenStream {
        match self {
            Gate::Always => quote!(, #derive),
            Gate::Feature(_) => quote!(),
        }
    }

    /// `#[cfg_attr(feature = …, derive(…))]` when gated, else nothing (see [`Gate::listed`]).
    pub fn derive_attr(self, derive: TokenStream) -> TokenStream {
        match self {
            Gate::Always => quote!(),
            Gate::Feature(feature) => quote!(#[cfg_attr(feature = #feature, derive(#derive))]),
        }
    }

    /// `#[meta]`, or `#[cfg_attr(feature = …, meta)]` when gated: a helper attribute of a
    /// gated derive, which would not exist without it.
    pub fn attr(self, meta: TokenStream) -> TokenStream {
        match self {
            Gate::Always => quote!(#[#meta]),
            Gate::Feature(feature) => quote!(#[cfg_attr(feature = #feature, #meta)]),
        }
    }

    /// `#[cfg(feature = …)]` before an item when gated, else nothing.
    pub fn cfg(self) -> TokenStream {
        match self {
            Gate::Always => quote!(),
            Gate::Feature(feature) => quote!(#[cfg(feature = #feature)]),
        }
    }
}
