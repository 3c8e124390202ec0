//! Structures (shapes and operation requests): the type, its builder, its constraint checks
//! and, for input structures, its parser from form parameters (used by the simulator).

use amazon_pay_spec::{Member, Spec};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::names;
use crate::types::Ty;

/// What to generate for one structure.
pub struct StructureSpec<'a> {
    pub name: &'a str,
    pub doc: &'a str,
    pub members: &'a [Member],
    /// Derive serde (XML and JSON) with the member names as element names.
    pub serde: bool,
    /// Generate `from_params_at` (the structure appears in some operation's input).
    pub from_params: bool,
}

pub fn emit(spec: &Spec, s: &StructureSpec<'_>) -> TokenStream {
    let name = names::ty(s.name);
    let builder = format_ident!("{}Builder", s.name);
    let doc = doc_attr(s.doc);
    let members: Vec<(&Member, Ty<'_>)> = s
        .members
        .iter()
        .map(|m| (m, Ty::resolve(spec, m.ty())))
        .collect();
    let all_optional = members.iter().all(|(m, _)| !m.required);

    let fields = members.iter().map(|(m, ty)| field_decl(m, ty, s.serde));
    let serde_derive = s
        .serde
        .then(|| quote!(::serde::Serialize, ::serde::Deserialize,));
    let default_derive = all_optional.then(|| quote!(Default,));
    let builder_fields = members.iter().map(|(m, ty)| {
        let f = names::field(m.name());
        let rust = ty.rust();
        quote!(#f: ::std::option::Option<#rust>,)
    });
    let setters = members.iter().map(|(m, ty)| {
        let f = names::field(m.name());
        let rust = ty.rust();
        let doc = doc_attr(&m.doc);
        quote! {
            #doc
            pub fn #f(mut self, value: impl ::std::convert::Into<#rust>) -> Self {
                self.#f = ::std::option::Option::Some(value.into());
                self
            }
        }
    });
    let build = build_fn(s.name, &members);
    let checks = members.iter().map(|(m, ty)| constraint_check(m, ty));
    let from_params = s.from_params.then(|| from_params_fn(&members));

    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #default_derive #serde_derive)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            /// A builder; `build()` reports every missing required field at once.
            pub fn builder() -> #builder {
                #builder::default()
            }

            /// Records every documented constraint this value breaks (lengths, ranges),
            /// including those of nested structures.
            pub fn check_constraints(&self, errors: &mut ::amazon_pay_protocol::BuildError) {
                let _ = &errors;
                #(#checks)*
            }

            #from_params
        }

        #[doc = concat!("Builder of [`", stringify!(#name), "`].")]
        #[derive(Debug, Clone, Default)]
        pub struct #builder {
            #(#builder_fields)*
        }

        impl #builder {
            #(#setters)*
            #build
        }
    }
}

pub fn doc_attr(doc: &str) -> TokenStream {
    let doc = doc.trim();
    if doc.is_empty() {
        return quote!();
    }
    let lines = doc.lines().map(|l| format!(" {}", l.trim_end()));
    quote!(#(#[doc = #lines])*)
}

fn field_decl(m: &Member, ty: &Ty<'_>, serde: bool) -> TokenStream {
    let f = names::field(m.name());
    let rust = ty.rust();
    let doc = doc_attr(&m.doc);
    let wire = m.name();
    let aliases = m.aliases.iter().map(|a| quote!(alias = #a,));
    let serde_attr = serde.then(|| {
        if m.required {
            quote!(#[serde(rename = #wire, #(#aliases)*)])
        } else {
            quote!(#[serde(rename = #wire, #(#aliases)* default, skip_serializing_if = "Option::is_none")])
        }
    });
    let rust = if m.required {
        rust
    } else {
        quote!(::std::option::Option<#rust>)
    };
    quote! {
        #doc
        #serde_attr
        pub #f: #rust,
    }
}

fn build_fn(name: &str, members: &[(&Member, Ty<'_>)]) -> TokenStream {
    let required: Vec<&Member> = members
        .iter()
        .filter(|(m, _)| m.required)
        .map(|(m, _)| *m)
        .collect();
    let req_idents: Vec<Ident> = required.iter().map(|m| names::field(m.name())).collect();
    let missing_checks = required.iter().zip(&req_idents).map(|(m, f)| {
        let wire = m.name();
        quote! {
            if self.#f.is_none() {
                errors.missing.push(#wire);
            }
        }
    });
    let unwrap = (!required.is_empty()).then(|| {
        quote! {
            let (#(::std::option::Option::Some(#req_idents),)*) = (#(self.#req_idents,)*) else {
                return ::std::result::Result::Err(errors);
            };
        }
    });
    let inits = members.iter().map(|(m, _)| {
        let f = names::field(m.name());
        if m.required {
            quote!(#f,)
        } else {
            quote!(#f: self.#f,)
        }
    });
    let name_ident = names::ty(name);
    quote! {
        /// Builds the value, or names every missing required field and broken constraint.
        pub fn build(self) -> ::std::result::Result<#name_ident, ::amazon_pay_protocol::BuildError> {
            let mut errors = ::amazon_pay_protocol::BuildError::new(#name);
            #(#missing_checks)*
            #unwrap
            let value = #name_ident { #(#inits)* };
            value.check_constraints(&mut errors);
            errors.into_result().map(|()| value)
        }
    }
}

fn constraint_check(m: &Member, ty: &Ty<'_>) -> TokenStream {
    let f = names::field(m.name());
    let wire = m.name();
    let mut body = TokenStream::new();
    if let Some(max) = m.max_length.or(ty.max_length()).filter(|_| ty.is_text()) {
        let max = max as usize;
        body.extend(quote!(errors.check_max_length(#wire, ::amazon_pay_protocol::wire::WireValue::to_wire(v).as_ref(), #max);));
    }
    if let Some([lo, hi]) = m.range {
        body.extend(quote!(errors.check_range(#wire, *v, #lo, #hi);));
    }
    if ty.is_composite() {
        body.extend(quote!(v.check_constraints(errors);));
    }
    if body.is_empty() {
        return quote!();
    }
    if m.required {
        quote!({ let v = &self.#f; #body })
    } else {
        quote!(if let ::std::option::Option::Some(v) = &self.#f { #body })
    }
}

/// `Name::from_params_at(params, prefix)`: reads the structure from flattened form
/// parameters under `prefix` (empty for a request's top level).
fn from_params_fn(members: &[(&Member, Ty<'_>)]) -> TokenStream {
    let inits = members.iter().map(|(m, ty)| {
        let f = names::field(m.name());
        let wire = m.name();
        let key = quote!(&::amazon_pay_protocol::params::join_key(prefix, #wire));
        let value = read_value(ty, key, m.required);
        quote!(#f: #value,)
    });
    quote! {
        /// Reads the value from form parameters under `prefix` (`""` at the top level), as
        /// the simulator receives requests.
        pub fn from_params_at(
            params: &::amazon_pay_protocol::ParamMap,
            prefix: &str,
        ) -> ::std::result::Result<Self, ::amazon_pay_protocol::ParamError> {
            let _ = (&params, prefix);
            ::std::result::Result::Ok(Self { #(#inits)* })
        }
    }
}

/// An expression reading one value of type `ty` at `key` from `params`.
pub fn read_value(ty: &Ty<'_>, key: TokenStream, required: bool) -> TokenStream {
    match (ty, required) {
        (Ty::Money, true) => quote!(params.required_money(#key)?),
        (Ty::Money, false) => quote!(params.optional_money(#key)?),
        (t, true) if t.is_composite() => {
            let rust = t.rust();
            quote!(#rust::from_params_at(params, #key)?)
        }
        (t, false) if t.is_composite() => {
            let rust = t.rust();
            quote!({
                let key = #key;
                if params.has_prefix(key) {
                    ::std::option::Option::Some(#rust::from_params_at(params, key)?)
                } else {
                    ::std::option::Option::None
                }
            })
        }
        (_, true) => quote!(params.required(#key)?),
        (_, false) => quote!(params.optional(#key)?),
    }
}
