//! Differential test: random v2 requests signed by this library and by the official Node SDK
//! (npm `@amazonpay/amazon-pay-api-sdk-nodejs` 2.3.4, through the oracle's `v2_canonical.js`,
//! see `oracle/README.md`) must give byte-identical canonical requests and strings to sign,
//! our signature must verify with Node's crypto, and the SDK's with ours.
//!
//! The inputs stay where the documented rule and the Node SDK agree, because the SDK departs
//! from the rule in known ways (`oracle/README.md`, reference v2-api.md §2.2):
//! * query values go through `encodeURIComponent`, which leaves `! ' ( ) *` bare, and names
//!   are not encoded at all: values never contain those five, names are unreserved ASCII;
//! * the path is `'/' + urlFragment` raw: path segments are unreserved ASCII;
//! * header values are not trimmed or collapsed and the signed list keeps the caller's
//!   spelling, sorted by `localeCompare`: names are lower-case `[a-z0-9-]`, values printable
//!   ASCII without leading, trailing or double spaces;
//! * it signs its `user-agent` and sends the date in the extended form: both are given to our
//!   signer as caller headers (which replace the ones it adds), so the header sets are equal.
//!
//! One Node process signs the whole batch. Without the oracle the test prints
//! "oracle missing: skipped" and passes, unless `AMAZON_PAY_ORACLE_REQUIRED=1` (CI).

use std::collections::BTreeMap;
use std::sync::Arc;

use amazon_pay_protocol::Timestamp;
use amazon_pay_protocol::v2::{Environment, Region};
use amazon_pay_protocol::v2_runtime::request::{Parts, SignedRequest, sign_parts};
use amazon_pay_protocol::v2_runtime::{Algorithm, Credentials, PrivateKey, PublicKey};
use base64::Engine as _;
use rand::rngs::StdRng;
use rand::seq::SliceRandom as _;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

const REQUESTS: usize = 1000;
const SEED: u64 = 0x5EED_0002_2024_0102;

const METHODS: &[&str] = &["GET", "POST", "PATCH", "DELETE"];
const REGIONS: &[Region] = &[Region::Na, Region::Eu, Region::Jp];
const SEGMENTS: &[&str] = &[
    "checkoutSessions",
    "charges",
    "chargePermissions",
    "refunds",
    "buyers",
    "reports",
    "complete",
    "capture",
    "cancel",
    "close",
    "in-store",
    "merchantScan",
];
const CALLER_HEADERS: &[&str] = &[
    "x-amz-pay-idempotency-key",
    "x-amz-pay-authtoken",
    "x-amz-pay-simulation-code",
    "x-amz-pay-integrator-id",
];
/// Pieces of query values and bodies that trip encoders (none of `!'()*`, see the module doc).
const PIECES: &[&str] = &[
    "a",
    "Z",
    "0",
    " ",
    "~",
    "-",
    "_",
    ".",
    "+",
    "/",
    "=",
    "&",
    "%",
    "%20",
    "?",
    "#",
    "[",
    "]",
    "@",
    "$",
    ",",
    ";",
    ":",
    "\"",
    "\\",
    "<",
    ">",
    "{",
    "}",
    "|",
    "^",
    "`",
    "\n",
    "\t",
    "é",
    "ü",
    "Ö",
    "ß",
    "€",
    "日本語",
    "ｱ",
    "テスト",
    "🎉",
    "👍🏽",
    "\u{a0}",
    "\u{feff}",
    "\u{2028}",
    "e\u{301}",
    "\u{10ffff}",
];

/// One request as `v2_canonical.js` takes it.
#[derive(Debug, Clone, Serialize)]
struct NodeRequest {
    method: &'static str,
    url_fragment: String,
    query: BTreeMap<String, String>,
    headers: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body_raw: Option<String>,
    region: &'static str,
    sandbox: bool,
    public_key_id: String,
    algorithm: &'static str,
    private_key_pem: String,
    now: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    verify: Option<Verify>,
}

#[derive(Debug, Clone, Serialize)]
struct Verify {
    signature: String,
    string_to_sign: String,
}

/// What `v2_canonical.js` answers (the keys this test reads).
#[derive(Debug, Clone, Deserialize)]
struct NodeResult {
    canonical_request: String,
    string_to_sign: String,
    signed_headers: String,
    headers: BTreeMap<String, String>,
    sdk_signature: String,
    #[serde(default)]
    verifies: bool,
}

fn random_char(rng: &mut StdRng) -> char {
    let upper = if rng.gen_bool(0.5) { 0x7f } else { 0x10ffff };
    loop {
        if let Some(c) = char::from_u32(rng.gen_range(0..=upper))
            && !"!'()*".contains(c)
        {
            return c;
        }
    }
}

fn random_text(rng: &mut StdRng, max: usize) -> String {
    let mut text = String::new();
    for _ in 0..rng.gen_range(0..max) {
        if rng.gen_bool(0.6) {
            text.push_str(PIECES.choose(rng).copied().unwrap_or_default());
        } else {
            text.push(random_char(rng));
        }
    }
    text
}

fn random_token(rng: &mut StdRng, alphabet: &[u8], len: std::ops::Range<usize>) -> String {
    let len = rng.gen_range(len);
    (0..len)
        .map(|_| char::from(alphabet[rng.gen_range(0..alphabet.len())]))
        .collect()
}

const UNRESERVED: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~";

fn random_fragment(rng: &mut StdRng) -> String {
    let mut segments: Vec<String> = (0..rng.gen_range(1..=4))
        .map(|_| {
            if rng.gen_bool(0.5) {
                SEGMENTS.choose(rng).copied().unwrap_or_default().to_owned()
            } else {
                random_token(rng, UNRESERVED, 1..24)
            }
        })
        .collect();
    if rng.gen_bool(0.15) {
        segments.push(String::new()); // a trailing slash
    }
    segments.join("/")
}

/// Printable ASCII words joined by single spaces: what Node signs untrimmed equals ours.
fn random_header_value(rng: &mut StdRng) -> String {
    const VISIBLE: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~!#$%&'*+/=?^`|:;,<>@[]{}()\"\\";
    (0..rng.gen_range(1..4))
        .map(|_| random_token(rng, VISIBLE, 1..16))
        .collect::<Vec<_>>()
        .join(" ")
}

fn random_body(rng: &mut StdRng) -> String {
    let note = serde_json::to_string(&random_text(rng, 10)).unwrap_or_default();
    // `\/` and `\u00fc` are escapes JSON allows and re-serialisers drop: the hash must be over
    // these bytes exactly.
    format!(
        "{{\"merchantMetadata\":{{\"noteToBuyer\":{note},\"merchantStoreName\":\"M\\u00fcller {}\"}},\"url\":\"https:\\/\\/example.com\\/{}\"}}",
        random_text(rng, 4)
            .replace(['"', '\\'], "")
            .replace(char::is_control, ""),
        random_token(rng, UNRESERVED, 0..10)
    )
}

fn random_key_id(rng: &mut StdRng) -> String {
    let tail = random_token(rng, b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 24..25);
    match rng.gen_range(0..5) {
        0 => format!("LIVE-{tail}"),
        1 => format!("SANDBOX-{tail}"),
        2 => format!("sandbox-{tail}"),
        _ => format!("A{tail}"),
    }
}

fn random_now(rng: &mut StdRng) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        rng.gen_range(2020..2036),
        rng.gen_range(1..=12),
        rng.gen_range(1..=28),
        rng.gen_range(0..24),
        rng.gen_range(0..60),
        rng.gen_range(0..60)
    )
}

fn random_request(rng: &mut StdRng, pem: &str) -> NodeRequest {
    let method = METHODS.choose(rng).copied().unwrap_or("GET");
    let query = (0..rng.gen_range(0..5))
        .map(|_| (random_token(rng, UNRESERVED, 1..12), random_text(rng, 8)))
        .collect();
    let mut headers = BTreeMap::new();
    for _ in 0..rng.gen_range(0..4) {
        let name = if rng.gen_bool(0.7) {
            CALLER_HEADERS
                .choose(rng)
                .copied()
                .unwrap_or_default()
                .to_owned()
        } else {
            format!(
                "x-{}",
                random_token(rng, b"abcdefghijklmnopqrstuvwxyz0123456789-", 1..12)
            )
        };
        headers.insert(name, random_header_value(rng));
    }
    let body_raw = (method != "GET" || rng.gen_bool(0.1)).then(|| random_body(rng));
    let region = REGIONS.choose(rng).copied().unwrap_or(Region::Jp);
    NodeRequest {
        method,
        url_fragment: random_fragment(rng),
        query,
        headers,
        body_raw,
        region: region.code(),
        sandbox: rng.gen_bool(0.5),
        public_key_id: random_key_id(rng),
        algorithm: Algorithm::ALL
            .choose(rng)
            .copied()
            .unwrap_or_default()
            .name(),
        private_key_pem: pem.to_owned(),
        now: random_now(rng),
        verify: None,
    }
}

/// Signs `request` with our signer, the Node SDK's user-agent and date given as caller headers.
fn sign_ours(request: &NodeRequest, key: &Arc<PrivateKey>, user_agent: &str) -> SignedRequest {
    let region = Region::ALL
        .iter()
        .copied()
        .find(|r| r.code() == request.region)
        .unwrap_or(Region::Jp);
    let environment = if request.sandbox {
        Environment::Sandbox
    } else {
        Environment::Live
    };
    let path = format!(
        "{}/{}",
        environment.base_path(&request.public_key_id),
        request.url_fragment
    );
    let query: Vec<(&str, &str)> = request
        .query
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let mut headers: Vec<(&str, &str)> = request
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    headers.push(("user-agent", user_agent));
    headers.push(("x-amz-pay-date", &request.now));
    let credentials = Credentials::new(&request.public_key_id, Arc::clone(key), region.code())
        .with_algorithm(Algorithm::from_name(request.algorithm).unwrap_or_default());
    let parts = Parts {
        method: request.method,
        path: &path,
        query: &query,
        headers: &headers,
        body: request.body_raw.as_deref().unwrap_or_default().as_bytes(),
    };
    let now = Timestamp::parse(&request.now).expect("a generated timestamp parses");
    sign_parts(&parts, &credentials, region.host(), now).expect("the test key signs")
}

/// The header map without `authorization`, and the authorization header up to its signature.
fn split_authorization(headers: &BTreeMap<String, String>) -> (BTreeMap<String, String>, String) {
    let mut rest = headers.clone();
    let authorization = rest.remove("authorization").unwrap_or_default();
    let head = authorization
        .split("Signature=")
        .next()
        .unwrap_or_default()
        .to_owned();
    (rest, head)
}

/// Differences between our signing and the SDK's for one request (empty when they agree).
fn differences(
    ours: &SignedRequest,
    sdk: &NodeResult,
    public: &PublicKey,
    algorithm: Algorithm,
) -> Vec<String> {
    let mut diffs = Vec::new();
    let explained = &ours.explanation;
    for (what, got, want) in [
        (
            "canonical request",
            &explained.canonical_request,
            &sdk.canonical_request,
        ),
        (
            "string to sign",
            &explained.string_to_sign,
            &sdk.string_to_sign,
        ),
        (
            "signed headers",
            &explained.signed_headers,
            &sdk.signed_headers,
        ),
    ] {
        if got != want {
            diffs.push(format!("{what}\n  ours: {got:?}\n  sdk:  {want:?}"));
        }
    }
    let sent: BTreeMap<String, String> = ours.headers.iter().cloned().collect();
    let (our_headers, our_authorization) = split_authorization(&sent);
    let (sdk_headers, sdk_authorization) = split_authorization(&sdk.headers);
    if our_headers != sdk_headers || our_authorization != sdk_authorization {
        diffs.push(format!(
            "headers\n  ours: {our_headers:?} {our_authorization:?}\n  sdk:  {sdk_headers:?} {sdk_authorization:?}"
        ));
    }
    if !sdk.verifies {
        diffs.push("our signature does not verify with Node's crypto".to_owned());
    }
    let theirs = base64::engine::general_purpose::STANDARD
        .decode(&sdk.sdk_signature)
        .unwrap_or_default();
    if !public.verify(algorithm, sdk.string_to_sign.as_bytes(), &theirs) {
        diffs.push("the SDK's signature does not verify with ours".to_owned());
    }
    diffs
}

fn test_key() -> (Arc<PrivateKey>, String, PublicKey) {
    let key = PrivateKey::generate().expect("generate a test key");
    let pem = key.to_pem().expect("export the test key").to_string();
    let public = key.public_key().expect("its public half");
    (Arc::new(key), pem, public)
}

#[test]
fn random_requests_sign_exactly_like_the_official_node_sdk() {
    let Some(oracle) = amazon_pay_oracle::find() else {
        return;
    };
    let (key, pem, public) = test_key();
    let mut rng = StdRng::seed_from_u64(SEED);
    let mut requests: Vec<NodeRequest> = (0..REQUESTS)
        .map(|_| random_request(&mut rng, &pem))
        .collect();

    assert_covers_the_pitfalls(&requests);

    // The user-agent the SDK signs names the Node version of this machine: ask it once.
    let probe: NodeResult = oracle
        .run("v2_canonical.js", &requests[0])
        .unwrap_or_else(|e| panic!("{e}"));
    let user_agent = probe.headers.get("user-agent").cloned().unwrap_or_default();
    assert!(
        user_agent.starts_with("amazon-pay-api-sdk-nodejs/"),
        "{user_agent}"
    );

    let ours: Vec<SignedRequest> = requests
        .iter()
        .map(|r| sign_ours(r, &key, &user_agent))
        .collect();
    for (request, signed) in requests.iter_mut().zip(&ours) {
        request.verify = Some(Verify {
            signature: signed.signature.clone(),
            string_to_sign: signed.explanation.string_to_sign.clone(),
        });
    }
    // One process signs them all: v2_canonical.js answers an array with an array, in order.
    let results: Vec<NodeResult> = oracle
        .run("v2_canonical.js", &requests)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        results.len(),
        requests.len(),
        "one oracle result per request"
    );

    let mut agreed = 0;
    let mut disagreements = Vec::new();
    for (i, ((request, signed), sdk)) in requests.iter().zip(&ours).zip(&results).enumerate() {
        let algorithm = Algorithm::from_name(request.algorithm).unwrap_or_default();
        let diffs = differences(signed, sdk, &public, algorithm);
        if diffs.is_empty() {
            agreed += 1;
        } else {
            let mut shown = request.clone();
            shown.private_key_pem = "<test key>".to_owned();
            disagreements.push(format!("request {i} ({shown:?}):\n{}", diffs.join("\n")));
        }
    }
    println!(
        "node oracle agreement: {agreed}/{} random v2 requests (seed {SEED:#x})",
        requests.len()
    );
    assert!(
        disagreements.is_empty(),
        "{} of {} requests differ from the official Node SDK; first ones:\n\n{}",
        disagreements.len(),
        requests.len(),
        disagreements
            .iter()
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n\n")
    );
    assert!(
        agreed >= 1000,
        "the issue asks for at least 1,000, got {agreed}"
    );
}

/// The batch must hold what the issue lists, or agreement would prove little: every method,
/// region, algorithm and key type, non-ASCII and reserved query values, non-ASCII bodies with
/// `\/`, trailing slashes and caller headers.
fn assert_covers_the_pitfalls(requests: &[NodeRequest]) {
    let some = |what: &str, test: &dyn Fn(&NodeRequest) -> bool| {
        assert!(requests.iter().any(test), "no request with {what}");
    };
    for method in METHODS {
        some(method, &|r| r.method == *method);
    }
    for region in REGIONS {
        some(region.code(), &|r| r.region == region.code());
    }
    for algorithm in Algorithm::ALL {
        some(algorithm.name(), &|r| r.algorithm == algorithm.name());
    }
    for prefix in ["LIVE-", "SANDBOX-", "sandbox-", "A"] {
        some(prefix, &|r| r.public_key_id.starts_with(prefix));
    }
    some("a non-ASCII query value", &|r| {
        r.query.values().any(|v| !v.is_ascii())
    });
    some("a reserved query value", &|r| {
        r.query
            .values()
            .any(|v| v.contains(['/', '&', '=', '+', '%', ' ']))
    });
    some("a non-ASCII body", &|r| {
        r.body_raw.as_ref().is_some_and(|b| !b.is_ascii())
    });
    some("a DELETE with a body", &|r| {
        r.method == "DELETE" && r.body_raw.is_some()
    });
    some("a trailing slash", &|r| r.url_fragment.ends_with('/'));
    some("caller headers", &|r| !r.headers.is_empty());
}

/// The comparison must be able to fail without the oracle too: an SDK result that differs in
/// the canonical request, the signature or one header is reported.
#[test]
fn a_differing_result_is_reported() {
    let (key, pem, public) = test_key();
    let mut rng = StdRng::seed_from_u64(SEED);
    let request = random_request(&mut rng, &pem);
    let algorithm = Algorithm::from_name(request.algorithm).unwrap_or_default();
    let ours = sign_ours(&request, &key, "amazon-pay-api-sdk-nodejs/2.3.4 (JS/test)");
    let same = NodeResult {
        canonical_request: ours.explanation.canonical_request.clone(),
        string_to_sign: ours.explanation.string_to_sign.clone(),
        signed_headers: ours.explanation.signed_headers.clone(),
        headers: ours.headers.iter().cloned().collect(),
        sdk_signature: ours.signature.clone(),
        verifies: true,
    };
    assert!(differences(&ours, &same, &public, algorithm).is_empty());

    let mut request_differs = same.clone();
    request_differs.canonical_request.push(' ');
    assert!(
        differences(&ours, &request_differs, &public, algorithm)
            .iter()
            .any(|d| d.starts_with("canonical request"))
    );

    let mut bad_signature = same.clone();
    bad_signature.sdk_signature = "AAAA".to_owned();
    bad_signature.verifies = false;
    let diffs = differences(&ours, &bad_signature, &public, algorithm);
    assert!(
        diffs
            .iter()
            .any(|d| d.contains("does not verify with Node's"))
    );
    assert!(
        diffs
            .iter()
            .any(|d| d.contains("does not verify with ours"))
    );

    let mut header_differs = same;
    header_differs
        .headers
        .insert("x-amz-pay-region".to_owned(), "zz".to_owned());
    assert!(
        differences(&ours, &header_differs, &public, algorithm)
            .iter()
            .any(|d| d.starts_with("headers"))
    );
}
