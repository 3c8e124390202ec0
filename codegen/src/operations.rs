//! One operation: its request (structure + builder + canonical parameter writer), its
//! `Operation` impl and its response document.

use amazon_pay_spec::{Member, Operation, Safety, Spec};
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::names;
use crate::structure::{self, StructureSpec};
use crate::types::Ty;

/// The parameters every request carries, in the order the runtime fills them.
const COMMON: [&str; 8] = [
    "AWSAccessKeyId",
    "Action",
    "MWSAuthToken",
    "SellerId",
    "SignatureMethod",
    "SignatureVersion",
    "Timestamp",
    "Version",
];

pub fn emit(spec: &Spec, op: &Operation) -> Result<TokenStream, String> {
    for input in &op.input {
        if COMMON.contains(&input.name()) {
            return Err(format!(
                "{}: input `{}` is a common parameter added by the runtime",
                op.name(),
                input.name()
            ));
        }
    }
    let request_name = format!("{}Request", op.name());
    let request = structure::emit(
        spec,
        &StructureSpec {
            name: &request_name,
            doc: &op.doc,
            members: &op.input,
            serde: false,
            from_params: true,
        },
    );
    let request_ident = names::ty(&request_name);
    let response_ident = format_ident!("{}Response", op.name());
    let action = op.name();
    let info = info(op);
    let writes = write_params(spec, op);
    let idempotency = idempotency_key(op);
    let response = response(op);

    Ok(quote! {
        #request

        impl ::amazon_pay_protocol::Operation for #request_ident {
            const ACTION: &'static str = #action;
            const INFO: ::amazon_pay_protocol::OperationInfo = #info;
            type Response = #response_ident;

            fn write_params<S: ::amazon_pay_protocol::ParamSink>(
                &self,
                common: &::amazon_pay_protocol::CommonParams<'_>,
                sink: &mut S,
            ) {
                #writes
            }

            fn idempotency_key(&self) -> ::std::option::Option<&str> {
                #idempotency
            }

            fn request_id(response: &Self::Response) -> &str {
                &response.response_metadata.request_id
            }
        }

        impl #request_ident {
            /// Reads the request from the decoded form parameters of an HTTP body.
            pub fn from_params(
                params: &::amazon_pay_protocol::ParamMap,
            ) -> ::std::result::Result<Self, ::amazon_pay_protocol::ParamError> {
                let request = Self::from_params_at(params, "")?;
                let mut errors = ::amazon_pay_protocol::BuildError::new(#request_name);
                request.check_constraints(&mut errors);
                match errors.invalid.into_iter().next() {
                    ::std::option::Option::Some((key, reason)) => ::std::result::Result::Err(
                        ::amazon_pay_protocol::ParamError::Invalid { key: key.to_owned(), reason },
                    ),
                    ::std::option::Option::None => ::std::result::Result::Ok(request),
                }
            }
        }

        #response
    })
}

/// The `OperationInfo` constant.
pub fn info(op: &Operation) -> TokenStream {
    let action = op.name();
    let safety = match op.safety {
        Safety::Read => quote!(Read),
        Safety::Idempotent => quote!(Idempotent),
        Safety::Keyed => quote!(Keyed),
        Safety::Unsafe => quote!(Unsafe),
    };
    let key = match &op.idempotency_key {
        Some(k) => {
            let k = k.get_ref();
            quote!(::std::option::Option::Some(#k))
        }
        None => quote!(::std::option::Option::None),
    };
    let errors = op.errors.iter().map(|e| e.get_ref());
    let doc = op.doc.trim();
    let throttle = match &op.throttle {
        None => quote!(::std::option::Option::None),
        Some(t) => {
            let (quota, restore) = (t.quota, t.restore_per_second);
            // Where the sandbox figure is unknown, the production one stands in.
            let sandbox_quota = t.sandbox_quota.unwrap_or(t.quota);
            let sandbox_restore = t.sandbox_restore_per_second.unwrap_or(t.restore_per_second);
            quote! {
                ::std::option::Option::Some(::amazon_pay_protocol::Throttle {
                    quota: #quota,
                    restore_per_second: #restore,
                    sandbox_quota: #sandbox_quota,
                    sandbox_restore_per_second: #sandbox_restore,
                })
            }
        }
    };
    quote! {
        ::amazon_pay_protocol::OperationInfo {
            action: #action,
            safety: ::amazon_pay_protocol::Safety::#safety,
            idempotency_key: #key,
            errors: &[#(#errors),*],
            throttle: #throttle,
            doc: #doc,
        }
    }
}

fn idempotency_key(op: &Operation) -> TokenStream {
    let Some(key) = &op.idempotency_key else {
        return quote!(::std::option::Option::None);
    };
    let member = op.input.iter().find(|m| m.name() == key.get_ref());
    let f = names::field(key.get_ref());
    match member {
        Some(m) if m.required => quote!(::std::option::Option::Some(self.#f.as_str())),
        _ => quote!(self.#f.as_ref().map(|v| v.as_str())),
    }
}

/// Where a flattened parameter name is built: known entirely at codegen time, or under a
/// list element whose index is known only at run time.
#[derive(Clone)]
enum Key {
    Static(String),
    Dynamic { base: Ident, suffix: String },
}

impl Key {
    fn child(&self, name: &str) -> Key {
        match self {
            Key::Static(s) if s.is_empty() => Key::Static(name.to_owned()),
            Key::Static(s) => Key::Static(format!("{s}.{name}")),
            Key::Dynamic { base, suffix } => Key::Dynamic {
                base: base.clone(),
                suffix: format!("{suffix}.{name}"),
            },
        }
    }

    fn expr(&self) -> TokenStream {
        match self {
            Key::Static(s) => quote!(#s),
            Key::Dynamic { base, suffix } if suffix.is_empty() => quote!(&#base),
            Key::Dynamic { base, suffix } => quote!(&::std::format!("{}{}", #base, #suffix)),
        }
    }
}

/// Members sorted into canonical order: a structure, list or amount `X` flattens to `X.…`,
/// and `.` sorts before every letter and digit, so it is placed as if named `X.`.
fn sorted<'a>(spec: &'a Spec, members: &'a [Member]) -> Vec<(&'a Member, Ty<'a>)> {
    let mut out: Vec<(&Member, Ty<'_>)> = members
        .iter()
        .map(|m| (m, Ty::resolve(spec, m.ty())))
        .collect();
    out.sort_by_cached_key(|(m, ty)| sort_key(m.name(), ty.is_prefix()));
    out
}

fn sort_key(name: &str, prefix: bool) -> Vec<u8> {
    let mut key = name.as_bytes().to_vec();
    if prefix {
        key.push(b'.');
    }
    key
}

/// The body of `write_params`: every parameter, common ones included, in canonical order.
fn write_params(spec: &Spec, op: &Operation) -> TokenStream {
    enum Entry<'a> {
        Common(&'static str),
        Input(&'a Member, Ty<'a>),
    }
    let mut entries: Vec<(Vec<u8>, Entry<'_>)> = COMMON
        .iter()
        .map(|c| (sort_key(c, false), Entry::Common(c)))
        .collect();
    for (m, ty) in sorted(spec, &op.input) {
        entries.push((sort_key(m.name(), ty.is_prefix()), Entry::Input(m, ty)));
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    let svc = &spec.service.service;
    let (method, version, signature_version) =
        (&svc.signature_method, &svc.version, &svc.signature_version);
    let action = op.name();
    let mut counter = 0;
    let body = entries.iter().map(|(_, entry)| match entry {
        Entry::Common("AWSAccessKeyId") => {
            quote!(sink.param("AWSAccessKeyId", common.aws_access_key_id);)
        }
        Entry::Common("Action") => quote!(sink.param("Action", #action);),
        Entry::Common("MWSAuthToken") => quote! {
            if let ::std::option::Option::Some(token) = common.mws_auth_token {
                sink.param("MWSAuthToken", token);
            }
        },
        Entry::Common("SellerId") => quote!(sink.param("SellerId", common.seller_id);),
        Entry::Common("SignatureMethod") => quote!(sink.param("SignatureMethod", #method);),
        Entry::Common("SignatureVersion") => {
            quote!(sink.param("SignatureVersion", #signature_version);)
        }
        Entry::Common("Timestamp") => quote!(sink.param("Timestamp", common.timestamp);),
        Entry::Common(_) => quote!(sink.param("Version", #version);),
        Entry::Input(m, ty) => {
            let f = names::field(m.name());
            member_writes(
                spec,
                m,
                ty,
                quote!(self.#f),
                &Key::Static(m.name().to_owned()),
                &mut counter,
            )
        }
    });
    quote!(#(#body)*)
}

/// Writes one member found at `access` (an expression of the field) under `key`.
fn member_writes(
    spec: &Spec,
    m: &Member,
    ty: &Ty<'_>,
    access: TokenStream,
    key: &Key,
    counter: &mut usize,
) -> TokenStream {
    *counter += 1;
    let v = format_ident!("v{}", counter);
    let inner = value_writes(spec, ty, &v, key, counter);
    if m.required {
        quote!({ let #v = &#access; #inner })
    } else {
        quote!(if let ::std::option::Option::Some(#v) = &#access { #inner })
    }
}

/// Writes the value bound to `v` (of type `ty`) under `key`.
fn value_writes(
    spec: &Spec,
    ty: &Ty<'_>,
    v: &Ident,
    key: &Key,
    counter: &mut usize,
) -> TokenStream {
    if matches!(ty, Ty::Money) {
        let (amount, currency) = (key.child("Amount").expr(), key.child("CurrencyCode").expr());
        return quote! {
            sink.param(#amount, &#v.amount_text());
            sink.param(#currency, #v.currency().as_str());
        };
    }
    if let Some(shape) = ty.structure() {
        let parts = sorted(spec, &shape.members).into_iter().map(|(m, mty)| {
            let f = names::field(m.name());
            member_writes(spec, m, &mty, quote!(#v.#f), &key.child(m.name()), counter)
        });
        return quote!(#(#parts)*);
    }
    if let Some(shape) = ty.list() {
        *counter += 1;
        let (index, item, item_key) = (
            format_ident!("i{}", counter),
            format_ident!("item{}", counter),
            format_ident!("key{}", counter),
        );
        let item_ty = Ty::resolve(
            spec,
            shape
                .member
                .as_ref()
                .map(|m| m.get_ref().as_str())
                .unwrap_or("string"),
        );
        let element_key = Key::Dynamic {
            base: item_key.clone(),
            suffix: String::new(),
        };
        let inner = value_writes(spec, &item_ty, &item, &element_key, counter);
        let base = key.child(shape.query_member_name()).expr();
        return quote! {
            for #index in ::amazon_pay_protocol::params::lexicographic_indices(#v.items.len()) {
                if let ::std::option::Option::Some(#item) = #v.items.get(#index - 1) {
                    let #item_key = ::std::format!("{}.{}", #base, #index);
                    #inner
                }
            }
        };
    }
    let k = key.expr();
    quote!(sink.param(#k, &::amazon_pay_protocol::wire::WireValue::to_wire(#v));)
}

fn response(op: &Operation) -> TokenStream {
    let name = op.name();
    let root = format!("{name}Response");
    let ident = names::ty(&root);
    let result_element = format!("{name}Result");
    let output = names::ty(op.output_name());
    let doc = format!(" The `<{root}>` document returned by `{name}`.");
    let result_attr = if op.result_element {
        quote!(#[serde(rename = #result_element)])
    } else {
        let note = " The service sends no result element for this operation.".to_string();
        quote!(#[doc = #note] #[serde(rename = #result_element, default, skip_serializing)])
    };
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        #[non_exhaustive]
        pub struct #ident {
            #result_attr
            pub result: #output,
            #[serde(rename = "ResponseMetadata", default)]
            pub response_metadata: ::amazon_pay_protocol::ResponseMetadata,
        }

        impl #ident {
            /// The root element name.
            pub const ROOT: &'static str = #root;

            /// Reads the document from a response body.
            pub fn from_xml(body: &[u8]) -> ::std::result::Result<Self, ::amazon_pay_protocol::xml::XmlError> {
                ::amazon_pay_protocol::xml::from_bytes(#root, body)
            }

            /// Builds a response (the simulator renders these).
            pub fn new(result: #output, request_id: impl ::std::convert::Into<::std::string::String>) -> Self {
                Self { result, response_metadata: ::amazon_pay_protocol::ResponseMetadata { request_id: request_id.into() } }
            }

            /// Writes the document as the service does, in its namespace.
            pub fn to_xml(&self) -> ::std::result::Result<::std::string::String, ::amazon_pay_protocol::xml::XmlError> {
                ::amazon_pay_protocol::xml::to_string(#root, XML_NAMESPACE, self)
            }
        }
    }
}
