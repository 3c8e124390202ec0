//! `write_params`: every parameter of a request, the common ones included, in canonical byte
//! order decided here, at codegen time.

use amazon_pay_spec::ParamSource;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::emit::rust::field_ident;
use crate::ir::{CommonParam, Field, Ir, MwsQuery, OperationEntry, Scalar, TypeRef};

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

/// Fields sorted into canonical order: a structure, list or amount `X` flattens to `X.…`,
/// and `.` sorts before every letter and digit, so it is placed as if named `X.`.
fn sorted(fields: &[Field]) -> Vec<&Field> {
    let mut out: Vec<&Field> = fields.iter().collect();
    out.sort_by_cached_key(|f| sort_key(&f.wire, f.ty.is_prefix()));
    out
}

fn sort_key(name: &str, prefix: bool) -> Vec<u8> {
    let mut key = name.as_bytes().to_vec();
    if prefix {
        key.push(b'.');
    }
    key
}

/// The body of `write_params`.
pub fn write_params(ir: &Ir, q: &MwsQuery, op: &OperationEntry) -> TokenStream {
    enum Entry<'a> {
        Common(&'a CommonParam),
        Input(&'a Field),
    }
    let mut entries: Vec<(Vec<u8>, Entry<'_>)> = q
        .common
        .iter()
        .map(|c| (sort_key(&c.wire, false), Entry::Common(c)))
        .collect();
    for f in sorted(&op.request.fields) {
        entries.push((sort_key(&f.wire, f.ty.is_prefix()), Entry::Input(f)));
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    let mut counter = 0;
    let body = entries.iter().filter_map(|(_, entry)| match entry {
        Entry::Common(c) => common_write(ir, q, op, c),
        Entry::Input(f) => {
            let ident = field_ident(f);
            Some(field_writes(
                ir,
                f,
                quote!(self.#ident),
                &Key::Static(f.wire.clone()),
                &mut counter,
            ))
        }
    });
    quote!(#(#body)*)
}

/// Writes one common parameter from where the spec says its value comes from.
fn common_write(
    ir: &Ir,
    q: &MwsQuery,
    op: &OperationEntry,
    c: &CommonParam,
) -> Option<TokenStream> {
    let wire = &c.wire;
    let constant = |value: &str| {
        if is_unreserved(value) {
            quote!(sink.unreserved_param(#wire, #value);)
        } else {
            quote!(sink.param(#wire, #value);)
        }
    };
    Some(match c.from {
        ParamSource::AccessKeyId => quote!(sink.param(#wire, common.aws_access_key_id);),
        ParamSource::SellerId => quote!(sink.param(#wire, common.seller_id);),
        ParamSource::MwsAuthToken => quote! {
            if let ::std::option::Option::Some(token) = common.mws_auth_token {
                sink.param(#wire, token);
            }
        },
        ParamSource::Timestamp => quote!(sink.param(#wire, common.timestamp);),
        ParamSource::Action => constant(&op.name),
        ParamSource::Version => constant(&ir.service.version),
        ParamSource::SignatureMethod => constant(&q.signature_method),
        ParamSource::SignatureVersion => constant(&q.signature_version),
        // Computed over everything else: the signer appends it after the canonical query.
        ParamSource::Signature => return None,
    })
}

/// Whether `text` needs no percent-encoding (RFC 3986 unreserved characters only).
fn is_unreserved(text: &str) -> bool {
    text.bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'))
}

/// Writes one field found at `access` (an expression of the field) under `key`.
fn field_writes(
    ir: &Ir,
    f: &Field,
    access: TokenStream,
    key: &Key,
    counter: &mut usize,
) -> TokenStream {
    *counter += 1;
    let v = format_ident!("v{}", counter);
    let inner = value_writes(ir, &f.ty, &v, key, counter);
    if f.required {
        quote!({ let #v = &#access; #inner })
    } else {
        quote!(if let ::std::option::Option::Some(#v) = &#access { #inner })
    }
}

/// Writes the value bound to `v` (of type `ty`) under `key`.
fn value_writes(ir: &Ir, ty: &TypeRef, v: &Ident, key: &Key, counter: &mut usize) -> TokenStream {
    match ty {
        TypeRef::Money => {
            let (amount, currency) = (key.child("Amount").expr(), key.child("CurrencyCode").expr());
            return quote! {
                sink.amount_param(#amount, #v);
                sink.param(#currency, #v.currency().as_str());
            };
        }
        TypeRef::Structure(name) => {
            if let Some(s) = ir.structure(name) {
                let parts = sorted(&s.fields).into_iter().map(|f| {
                    let ident = field_ident(f);
                    field_writes(ir, f, quote!(#v.#ident), &key.child(&f.wire), counter)
                });
                return quote!(#(#parts)*);
            }
        }
        TypeRef::List(name) => {
            if let Some(list) = ir.list(name) {
                *counter += 1;
                let (index, item, item_key) = (
                    format_ident!("i{}", counter),
                    format_ident!("item{}", counter),
                    format_ident!("key{}", counter),
                );
                let element_key = Key::Dynamic {
                    base: item_key.clone(),
                    suffix: String::new(),
                };
                let inner = value_writes(ir, &list.item, &item, &element_key, counter);
                let base = key.child(&list.query_member).expr();
                return quote! {
                    for #index in ::amazon_pay_protocol::params::lexicographic_indices(#v.items.len()) {
                        if let ::std::option::Option::Some(#item) = #v.items.get(#index - 1) {
                            let #item_key = ::std::format!("{}.{}", #base, #index);
                            #inner
                        }
                    }
                };
            }
        }
        // Digits and a sign, written in place.
        TypeRef::Scalar(Scalar::Integer) => {
            let k = key.expr();
            return quote!(sink.integer_param(#k, *#v););
        }
        // `true`/`false`, borrowed.
        TypeRef::Scalar(Scalar::Boolean) => {
            let k = key.expr();
            return quote! {
                sink.unreserved_param(#k, &::amazon_pay_protocol::wire::WireValue::to_wire(#v));
            };
        }
        // Maps never reach here: the spec refuses them under mws-query.
        TypeRef::Scalar(_) | TypeRef::Newtype(_) | TypeRef::Enum(_) | TypeRef::Map(_) => {}
    }
    let k = key.expr();
    quote!(sink.param(#k, &::amazon_pay_protocol::wire::WireValue::to_wire(#v));)
}
