//! `charge`: one call that takes a billing agreement or an order reference from wherever it
//! is to an authorization with capture, like the official SDKs' helpers — built on the typed
//! calls, and idempotent by construction: the caller's reference id is the
//! AuthorizationReferenceId, so calling `charge` again with the same id never charges twice.

use crate::client::{Client, ClientError};
use crate::v1::{self, BillingAgreementState, OrderReferenceState};
use crate::{BuildError, Money};

/// What to charge on an Amazon reference id (a billing agreement or an order reference):
/// `ReferenceCharge::new(id, reference_id, amount)` and the optional parts.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ReferenceCharge {
    /// An order reference (`P01-…`, `S01-…`) or billing agreement (`B01-…`, `C01-…`) id.
    pub amazon_reference_id: String,
    /// Becomes the AuthorizationReferenceId: unique per charge, reused on every retry.
    pub reference_id: String,
    pub amount: Money,
    pub seller_authorization_note: Option<String>,
    pub seller_note: Option<String>,
    pub store_name: Option<String>,
    pub seller_order_id: Option<String>,
    pub soft_descriptor: Option<String>,
}

impl ReferenceCharge {
    pub fn new(
        amazon_reference_id: impl Into<String>,
        reference_id: impl Into<String>,
        amount: Money,
    ) -> ReferenceCharge {
        ReferenceCharge {
            amazon_reference_id: amazon_reference_id.into(),
            reference_id: reference_id.into(),
            amount,
            seller_authorization_note: None,
            seller_note: None,
            store_name: None,
            seller_order_id: None,
            soft_descriptor: None,
        }
    }

    pub fn seller_authorization_note(mut self, note: impl Into<String>) -> ReferenceCharge {
        self.seller_authorization_note = Some(note.into());
        self
    }

    /// Set on a Draft agreement or order reference before it is confirmed.
    pub fn seller_note(mut self, note: impl Into<String>) -> ReferenceCharge {
        self.seller_note = Some(note.into());
        self
    }

    pub fn store_name(mut self, name: impl Into<String>) -> ReferenceCharge {
        self.store_name = Some(name.into());
        self
    }

    pub fn seller_order_id(mut self, id: impl Into<String>) -> ReferenceCharge {
        self.seller_order_id = Some(id.into());
        self
    }

    pub fn soft_descriptor(mut self, descriptor: impl Into<String>) -> ReferenceCharge {
        self.soft_descriptor = Some(descriptor.into());
        self
    }
}

/// The authorization (captured when Open) and the order reference it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct ReferenceChargeOutcome {
    pub authorization: v1::AuthorizationDetails,
    pub amazon_order_reference_id: String,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReferenceChargeError {
    #[error("`{0}` is neither an order reference id (P…/S…) nor a billing agreement id (B…/C…)")]
    UnknownIdKind(String),
    #[error("{id} is {state} and cannot be charged")]
    NotChargeable { id: String, state: String },
    #[error(transparent)]
    Build(#[from] BuildError),
    #[error(transparent)]
    Client(#[from] ClientError),
}

/// The seller's order id and store name, when the caller gave either.
fn seller_order_attributes(
    charge: &ReferenceCharge,
) -> Result<Option<v1::SellerOrderAttributes>, BuildError> {
    if charge.seller_order_id.is_none() && charge.store_name.is_none() {
        return Ok(None);
    }
    let mut attributes = v1::SellerOrderAttributes::builder();
    if let Some(v) = &charge.seller_order_id {
        attributes = attributes.seller_order_id(v.clone());
    }
    if let Some(v) = &charge.store_name {
        attributes = attributes.store_name(v.clone());
    }
    attributes.build().map(Some)
}

impl Client {
    /// Charges a billing agreement or order reference: reads it, sets and confirms it when it
    /// is still a Draft, then authorizes synchronously with capture.
    pub async fn charge(
        &self,
        charge: &ReferenceCharge,
    ) -> Result<ReferenceChargeOutcome, ReferenceChargeError> {
        match charge.amazon_reference_id.chars().next() {
            Some('B' | 'C') => self.charge_billing_agreement(charge).await,
            Some('P' | 'S') => self.charge_order_reference(charge).await,
            _ => Err(ReferenceChargeError::UnknownIdKind(
                charge.amazon_reference_id.clone(),
            )),
        }
    }

    async fn charge_billing_agreement(
        &self,
        charge: &ReferenceCharge,
    ) -> Result<ReferenceChargeOutcome, ReferenceChargeError> {
        let id = charge.amazon_reference_id.as_str();
        let details = self
            .get_billing_agreement_details(
                &v1::GetBillingAgreementDetailsRequest::builder()
                    .amazon_billing_agreement_id(id)
                    .build()?,
            )
            .await?
            .result
            .billing_agreement_details;
        match details.billing_agreement_status.state {
            BillingAgreementState::Open => {}
            BillingAgreementState::Draft => {
                let mut attributes = v1::BillingAgreementAttributes::builder();
                if let Some(note) = &charge.seller_note {
                    attributes = attributes.seller_note(note.clone());
                }
                if let Some(store) = &charge.store_name {
                    attributes = attributes.seller_billing_agreement_attributes(
                        v1::SellerBillingAgreementAttributes::builder()
                            .store_name(store.clone())
                            .build()?,
                    );
                }
                self.set_billing_agreement_details(
                    &v1::SetBillingAgreementDetailsRequest::builder()
                        .amazon_billing_agreement_id(id)
                        .billing_agreement_attributes(attributes.build()?)
                        .build()?,
                )
                .await?;
                self.confirm_billing_agreement(
                    &v1::ConfirmBillingAgreementRequest::builder()
                        .amazon_billing_agreement_id(id)
                        .build()?,
                )
                .await?;
            }
            other => {
                return Err(ReferenceChargeError::NotChargeable {
                    id: id.to_owned(),
                    state: other.as_str().to_owned(),
                });
            }
        }
        let mut request = v1::AuthorizeOnBillingAgreementRequest::builder()
            .amazon_billing_agreement_id(id)
            .authorization_reference_id(charge.reference_id.as_str())
            .authorization_amount(charge.amount.clone())
            .transaction_timeout(0)
            .capture_now(true);
        if let Some(v) = &charge.seller_authorization_note {
            request = request.seller_authorization_note(v.clone());
        }
        if let Some(v) = &charge.soft_descriptor {
            request = request.soft_descriptor(v.clone());
        }
        if let Some(attributes) = seller_order_attributes(charge)? {
            request = request.seller_order_attributes(attributes);
        }
        let result = self
            .authorize_on_billing_agreement(&request.build()?)
            .await?
            .result;
        Ok(ReferenceChargeOutcome {
            amazon_order_reference_id: result
                .amazon_order_reference_id
                .map(|id| id.as_str().to_owned())
                .unwrap_or_default(),
            authorization: result.authorization_details,
        })
    }

    async fn charge_order_reference(
        &self,
        charge: &ReferenceCharge,
    ) -> Result<ReferenceChargeOutcome, ReferenceChargeError> {
        let id = charge.amazon_reference_id.as_str();
        let details = self
            .get_order_reference_details(
                &v1::GetOrderReferenceDetailsRequest::builder()
                    .amazon_order_reference_id(id)
                    .build()?,
            )
            .await?
            .result
            .order_reference_details;
        match details.order_reference_status.state {
            OrderReferenceState::Open => {}
            OrderReferenceState::Draft => {
                let mut attributes =
                    v1::OrderReferenceAttributes::builder().order_total(charge.amount.clone());
                if let Some(note) = &charge.seller_note {
                    attributes = attributes.seller_note(note.clone());
                }
                if let Some(seller) = seller_order_attributes(charge)? {
                    attributes = attributes.seller_order_attributes(seller);
                }
                self.set_order_reference_details(
                    &v1::SetOrderReferenceDetailsRequest::builder()
                        .amazon_order_reference_id(id)
                        .order_reference_attributes(attributes.build()?)
                        .build()?,
                )
                .await?;
                self.confirm_order_reference(
                    &v1::ConfirmOrderReferenceRequest::builder()
                        .amazon_order_reference_id(id)
                        .build()?,
                )
                .await?;
            }
            other => {
                return Err(ReferenceChargeError::NotChargeable {
                    id: id.to_owned(),
                    state: other.as_str().to_owned(),
                });
            }
        }
        let mut request = v1::AuthorizeRequest::builder()
            .amazon_order_reference_id(id)
            .authorization_reference_id(charge.reference_id.as_str())
            .authorization_amount(charge.amount.clone())
            .transaction_timeout(0)
            .capture_now(true);
        if let Some(v) = &charge.seller_authorization_note {
            request = request.seller_authorization_note(v.clone());
        }
        if let Some(v) = &charge.soft_descriptor {
            request = request.soft_descriptor(v.clone());
        }
        let result = self.authorize(&request.build()?).await?.result;
        Ok(ReferenceChargeOutcome {
            authorization: result.authorization_details,
            amazon_order_reference_id: id.to_owned(),
        })
    }
}
