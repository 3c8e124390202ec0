//! `OperationInfo`: the static facts of an operation, and the table of all of them.

use amazon_pay_spec::Safety;
use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Ir, OperationEntry};
use crate::names;

/// The `OperationInfo` constant of one operation.
pub fn info(op: &OperationEntry) -> TokenStream {
    let action = &op.name;
    let safety = match op.safety {
        Safety::Read => quote!(Read),
        Safety::Idempotent => quote!(Idempotent),
        Safety::Keyed => quote!(Keyed),
        Safety::Unsafe => quote!(Unsafe),
    };
    let key = match &op.idempotency_key {
        Some(k) => {
            let k = &k.wire;
            quote!(::std::option::Option::Some(#k))
        }
        None => quote!(::std::option::Option::None),
    };
    let errors = &op.errors;
    let doc = op.doc.trim();
    let throttle = match &op.throttle {
        None => quote!(::std::option::Option::None),
        Some(t) => {
            let (quota, restore) = (t.quota, t.restore_per_second);
            let (sandbox_quota, sandbox_restore) = (t.sandbox_quota, t.sandbox_restore_per_second);
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

/// `OPERATIONS` and `operation(name)`. The table names each request's `INFO` (of the
/// protocol's `operation_trait`), so each operation's facts are written out once.
pub fn table(ir: &Ir, operation_trait: &TokenStream) -> TokenStream {
    let infos = ir.operations.iter().map(|op| {
        let request = names::ty(&op.request.name);
        quote!(<#request as #operation_trait>::INFO)
    });
    quote! {
        /// Every operation of the spec, sorted by Action.
        pub static OPERATIONS: &[::amazon_pay_protocol::OperationInfo] = &[#(#infos),*];

        /// The facts about an operation, by Action name.
        pub fn operation(action: &str) -> ::std::option::Option<&'static ::amazon_pay_protocol::OperationInfo> {
            OPERATIONS.iter().find(|o| o.action == action)
        }
    }
}
