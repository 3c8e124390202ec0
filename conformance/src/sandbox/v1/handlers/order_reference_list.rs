//! ListOrderReference and ListOrderReferenceByNextToken (reference §3.B): the seller's order
//! references with a seller order id, filtered by creation time and state, sorted by
//! creation, in pages.
//!
//! The NextPageToken is the search itself plus the position after the last order reference
//! shown (creation time, then id), so pages stay stable while new order references are
//! made, and the simulator keeps nothing per search. It is opaque to the seller (base64 of
//! JSON) and names its seller: another seller's token is refused like a damaged one.

use amazon_pay_protocol::v1::{self, ErrorCode, PaymentDomain, Region};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use crate::sandbox::v1::ctx::Ctx;
use crate::sandbox::v1::error::{SimError, SimResult};
use crate::sandbox::v1::records::OrderReferenceRecord;

/// Page sizes (GUESSES.md): the reference gives none.
pub const DEFAULT_PAGE_SIZE: i64 = 20;
pub const MAX_PAGE_SIZE: i64 = 100;
/// The longest CreatedTimeRange (reference §3.B: 31 days).
const MAX_RANGE_SECONDS: i64 = 31 * 24 * 3600;

/// A search and where its next page starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Search {
    seller_id: String,
    environment: String,
    seller_order_id: String,
    /// Creation window, unix seconds, both ends included.
    created: Option<(i64, i64)>,
    states: Vec<String>,
    descending: bool,
    page_size: usize,
    /// The last order reference of the previous page: (creation time, id).
    after: Option<(i64, String)>,
}

fn invalid(message: impl Into<String>) -> SimError {
    SimError::new(ErrorCode::InvalidParameterValue, message)
}

/// The payment domain of a seller's region (as the official SDKs derive it).
fn domain_of(region: Region) -> PaymentDomain {
    match region {
        Region::Na => PaymentDomain::NaUsd,
        Region::Jp => PaymentDomain::FeJpy,
        Region::Eu => PaymentDomain::EuEur,
        Region::Uk => PaymentDomain::EuGbp,
    }
}

fn creation_window(range: Option<&v1::CreatedTimeRange>) -> SimResult<Option<(i64, i64)>> {
    let Some(range) = range else {
        return Ok(None);
    };
    let (Some(start), Some(end)) = (range.start_time, range.end_time) else {
        return Err(SimError::new(
            ErrorCode::MissingParameter,
            "CreatedTimeRange needs both StartTime and EndTime.",
        ));
    };
    let (start, end) = (start.unix(), end.unix());
    if end < start || end - start > MAX_RANGE_SECONDS {
        return Err(invalid(
            "CreatedTimeRange must end after it starts and span at most 31 days.",
        ));
    }
    Ok(Some((start, end)))
}

fn search_of(ctx: &Ctx<'_>, r: v1::ListOrderReferenceRequest) -> SimResult<Search> {
    if r.query_id_type != v1::QueryIdType::SellerOrderId {
        return Err(invalid(format!(
            "QueryIdType {} is not supported; use SellerOrderId.",
            r.query_id_type.as_str()
        )));
    }
    let region = ctx.owner.region();
    if r.payment_domain != domain_of(region) {
        return Err(invalid(format!(
            "PaymentDomain {} is not the domain of this seller's region ({}).",
            r.payment_domain.as_str(),
            domain_of(region).as_str()
        )));
    }
    let size = r.page_size.unwrap_or(DEFAULT_PAGE_SIZE);
    if !(1..=MAX_PAGE_SIZE).contains(&size) {
        return Err(invalid(format!(
            "PageSize must be between 1 and {MAX_PAGE_SIZE}."
        )));
    }
    let descending = match r.sort_order {
        None | Some(v1::SortOrder::Descending) => true,
        Some(v1::SortOrder::Ascending) => false,
        Some(v1::SortOrder::Unknown(other)) => {
            return Err(invalid(format!(
                "SortOrder {other} is invalid; use Ascending or Descending."
            )));
        }
    };
    let states = r
        .order_reference_status_list_filter
        .map(|l| l.items)
        .unwrap_or_default();
    if let Some(v1::OrderReferenceState::Unknown(other)) = states
        .iter()
        .find(|s| matches!(s, v1::OrderReferenceState::Unknown(_)))
    {
        return Err(invalid(format!("{other} is not an order reference state.")));
    }
    Ok(Search {
        seller_id: ctx.owner.seller_id.clone(),
        environment: ctx.owner.environment.clone(),
        seller_order_id: r.query_id,
        created: creation_window(r.created_time_range.as_ref())?,
        states: states.iter().map(|s| s.as_str().to_owned()).collect(),
        descending,
        page_size: usize::try_from(size).unwrap_or(1),
        after: None,
    })
}

fn key_of(o: &OrderReferenceRecord) -> (i64, &str) {
    (
        o.details.creation_timestamp.map_or(0, |t| t.unix()),
        o.details.amazon_order_reference_id.as_str(),
    )
}

fn matches(search: &Search, o: &OrderReferenceRecord) -> bool {
    let d = &o.details;
    let (created, _) = key_of(o);
    o.owner.seller_id == search.seller_id
        && o.owner.environment == search.environment
        && d.seller_order_attributes
            .as_ref()
            .and_then(|a| a.seller_order_id.as_deref())
            == Some(search.seller_order_id.as_str())
        && search
            .created
            .is_none_or(|(start, end)| (start..=end).contains(&created))
        && (search.states.is_empty()
            || search
                .states
                .iter()
                .any(|s| s == d.order_reference_status.state.as_str()))
        && search.after.as_ref().is_none_or(|(t, id)| {
            let after = (*t, id.as_str());
            if search.descending {
                key_of(o) < after
            } else {
                key_of(o) > after
            }
        })
}

/// One item of the list: the order reference as the list shows it (reference §3.G).
fn listed(o: &OrderReferenceRecord) -> SimResult<v1::OrderReference> {
    let d = &o.details;
    let mut b = v1::OrderReference::builder()
        .amazon_order_reference_id(d.amazon_order_reference_id.clone())
        .order_reference_status(d.order_reference_status.clone());
    if let Some(v) = &d.release_environment {
        b = b.release_environment(v.clone());
    }
    if let Some(v) = d.creation_timestamp {
        b = b.creation_timestamp(v);
    }
    if let Some(v) = &d.seller_order_attributes {
        b = b.seller_order_attributes(v.clone());
    }
    if let Some(v) = &d.order_total {
        b = b.order_total(v.clone());
    }
    if let Some(v) = &d.seller_note {
        b = b.seller_note(v.clone());
    }
    if let Some(v) = &d.order_language {
        b = b.order_language(v.clone());
    }
    Ok(b.build()?)
}

/// A page of the search and the token of the next one (none on the last page).
fn page(ctx: &Ctx<'_>, mut search: Search) -> SimResult<(v1::OrderReferenceList, Option<String>)> {
    let mut found: Vec<&OrderReferenceRecord> = ctx
        .state
        .order_references
        .values()
        .map(|o| &**o)
        .filter(|o| matches(&search, o))
        .collect();
    found.sort_by(|a, b| key_of(a).cmp(&key_of(b)));
    if search.descending {
        found.reverse();
    }
    let more = found.len() > search.page_size;
    found.truncate(search.page_size);
    let items = found
        .iter()
        .map(|o| listed(o))
        .collect::<SimResult<Vec<_>>>()?;
    let token = match found.last() {
        Some(last) if more => {
            let (t, id) = key_of(last);
            search.after = Some((t, id.to_owned()));
            let json = serde_json::to_vec(&search).map_err(SimError::internal)?;
            Some(URL_SAFE_NO_PAD.encode(json))
        }
        _ => None,
    };
    Ok((items.into(), token))
}

pub fn list(
    ctx: &mut Ctx<'_>,
    r: v1::ListOrderReferenceRequest,
) -> SimResult<v1::ListOrderReferenceResponse> {
    let (list, token) = page(ctx, search_of(ctx, r)?)?;
    let mut result = v1::ListOrderReferenceResult::builder().order_reference_list(list);
    if let Some(token) = token {
        result = result.next_page_token(token);
    }
    Ok(v1::ListOrderReferenceResponse::new(
        result.build()?,
        ctx.request_id.clone(),
    ))
}

pub fn next(
    ctx: &mut Ctx<'_>,
    r: v1::ListOrderReferenceByNextTokenRequest,
) -> SimResult<v1::ListOrderReferenceByNextTokenResponse> {
    let search = URL_SAFE_NO_PAD
        .decode(r.next_page_token.as_bytes())
        .ok()
        .and_then(|json| serde_json::from_slice::<Search>(&json).ok())
        .filter(|s| {
            s.seller_id == ctx.owner.seller_id
                && s.environment == ctx.owner.environment
                && (1..=MAX_PAGE_SIZE as usize).contains(&s.page_size)
        })
        .ok_or_else(|| invalid("The NextPageToken is invalid."))?;
    let (list, token) = page(ctx, search)?;
    let mut result = v1::ListOrderReferenceByNextTokenResult::builder().order_reference_list(list);
    if let Some(token) = token {
        result = result.next_page_token(token);
    }
    Ok(v1::ListOrderReferenceByNextTokenResponse::new(
        result.build()?,
        ctx.request_id.clone(),
    ))
}
