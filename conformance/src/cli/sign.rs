//! `amazon-pay-conformance sign`: signs a request read as JSON on stdin and prints what was
//! signed, so a user facing `SignatureDoesNotMatch` can compare with the service or another SDK.
//!
//! Input, the shape of the oracle's `v1_sign.py`:
//! `{"method":"POST","host":...,"path":...,"secret_key":...,"params":{...}}`, optionally
//! `now`, `access_key`, `merchant_id`. Missing common parameters are filled in as the official
//! SDK does. With `--operation`, stdin holds only the operation's flat parameters, which are
//! checked against the spec; credentials come from flags or the environment.
//!
//! A v2 request (an object with `url_fragment`, the shape of the oracle's `v2_canonical.js`)
//! is signed with RSA-PSS instead: see the `v2` submodule.

use std::collections::BTreeMap;
use std::io::Read;
use std::process::ExitCode;

use amazon_pay_protocol::credentials::SecretKey;
use amazon_pay_protocol::params::CollectedParams;
use amazon_pay_protocol::sign::sign_param_map;
use amazon_pay_protocol::v1::{self, AnyRequest, Environment, Region};
use amazon_pay_protocol::{CommonParams, ParamMap, Timestamp};
use serde::Deserialize;

use super::CliResult;

mod v2;

#[derive(clap::Args)]
#[command(after_help = "\
Input forms (JSON on stdin):
  v1: {\"method\":\"POST\",\"host\",\"path\",\"secret_key\",\"params\":{...}}, optional now, \
access_key, merchant_id (oracle/v1_sign.py's input).
  v2: any object with \"url_fragment\" (oracle/v2_canonical.js's input): method, url_fragment, \
optional query and headers (objects), body (JSON, written with sorted keys) or body_raw (exact \
text), region (na/us, eu/de/uk, jp), sandbox, public_key_id, optional algorithm \
(AMZN-PAY-RSASSA-PSS or -V2), private_key_pem (a fresh key, whose public half is printed, when \
absent), now. Prints canonical_uri, canonical_request, string_to_sign, signed_headers, signature, \
headers (authorization included) and url; never the private key. Every header given is signed \
and replaces an added one of the same name: pass the Node SDK's x-amz-pay-date and user-agent \
to reproduce its canonical request byte for byte.")]
pub struct SignArgs {
    /// Typed form: the Action; stdin then holds its flat wire parameters as a JSON object.
    #[arg(long)]
    operation: Option<String>,
    /// Region for the typed form (JP, NA, EU, UK).
    #[arg(long, default_value = "JP")]
    region: String,
    /// Environment for the typed form (sandbox or live).
    #[arg(long, default_value = "sandbox")]
    environment: String,
    #[arg(long, env = "AMAZON_PAY_ACCESS_KEY_ID")]
    access_key_id: Option<String>,
    #[arg(long, env = "AMAZON_PAY_SECRET_KEY", hide_env_values = true)]
    secret_key: Option<String>,
    #[arg(long, env = "AMAZON_PAY_SELLER_ID")]
    seller_id: Option<String>,
    #[arg(long, env = "AMAZON_PAY_MWS_AUTH_TOKEN", hide_env_values = true)]
    mws_auth_token: Option<String>,
    /// The Timestamp to sign with (default: now).
    #[arg(long)]
    now: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OracleInput {
    #[serde(default = "post")]
    method: String,
    host: String,
    path: String,
    secret_key: String,
    #[serde(default)]
    params: BTreeMap<String, String>,
    now: Option<String>,
    access_key: Option<String>,
    merchant_id: Option<String>,
}

fn post() -> String {
    "POST".to_owned()
}

pub fn run(args: SignArgs) -> CliResult {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input)?;
    if args.operation.is_none() && v2::is_v2(&input) {
        return v2::run(&input);
    }
    let (host, path, secret, params) = match &args.operation {
        None => from_oracle_shape(&input)?,
        Some(action) => from_typed(&args, action, &input)?,
    };
    let explained = sign_param_map(&host, &path, &secret, &params);
    let mut all = params;
    all.insert("Signature".to_owned(), explained.signature.clone());
    let out = serde_json::json!({
        "string_to_sign": explained.string_to_sign,
        "signature": explained.signature,
        "canonical_query": explained.canonical_query,
        "body": explained.body,
        "params": all,
    });
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(ExitCode::SUCCESS)
}

type Signable = (String, String, SecretKey, BTreeMap<String, String>);

fn timestamp(now: Option<&str>) -> Result<String, Box<dyn std::error::Error>> {
    Ok(match now {
        Some(text) => Timestamp::parse(text)?.to_wire(),
        None => {
            amazon_pay_protocol::endpoint::Clock::now(&amazon_pay_protocol::endpoint::SystemClock)
                .to_wire()
        }
    })
}

fn from_oracle_shape(input: &str) -> Result<Signable, Box<dyn std::error::Error>> {
    let input: OracleInput = serde_json::from_str(input)?;
    if input.method != "POST" {
        return Err(format!(
            "method {:?}: Signature Version 2 requests are always POST",
            input.method
        )
        .into());
    }
    let mut params = input.params;
    let defaults = [
        ("AWSAccessKeyId", input.access_key),
        ("SellerId", input.merchant_id),
        ("SignatureMethod", Some(v1::SIGNATURE_METHOD.to_owned())),
        ("SignatureVersion", Some(v1::SIGNATURE_VERSION.to_owned())),
        ("Version", Some(v1::VERSION.to_owned())),
        ("Timestamp", Some(timestamp(input.now.as_deref())?)),
    ];
    for (key, value) in defaults {
        if let Some(value) = value {
            params.entry(key.to_owned()).or_insert(value);
        }
    }
    Ok((
        input.host,
        input.path,
        SecretKey::new(input.secret_key),
        params,
    ))
}

fn from_typed(
    args: &SignArgs,
    action: &str,
    input: &str,
) -> Result<Signable, Box<dyn std::error::Error>> {
    let region =
        Region::parse(&args.region).ok_or_else(|| format!("unknown region {:?}", args.region))?;
    let environment = Environment::parse(&args.environment)
        .ok_or_else(|| format!("unknown environment {:?}", args.environment))?;
    let missing =
        |what: &str| format!("{what} is required for --operation (flag or environment variable)");
    let access = args
        .access_key_id
        .as_deref()
        .ok_or_else(|| missing("--access-key-id"))?;
    let secret = args
        .secret_key
        .as_deref()
        .ok_or_else(|| missing("--secret-key"))?;
    let seller = args
        .seller_id
        .as_deref()
        .ok_or_else(|| missing("--seller-id"))?;
    let params: BTreeMap<String, String> = if input.trim().is_empty() {
        BTreeMap::new()
    } else {
        serde_json::from_str(input)?
    };
    let request = AnyRequest::from_params(action, &ParamMap(params))?;
    let timestamp = timestamp(args.now.as_deref())?;
    let common = CommonParams {
        aws_access_key_id: access,
        seller_id: seller,
        mws_auth_token: args.mws_auth_token.as_deref(),
        timestamp: &timestamp,
    };
    let mut collected = CollectedParams::default();
    request.write_params(&common, &mut collected);
    let params = collected.0.into_iter().collect();
    Ok((
        region.host().to_owned(),
        environment.path().to_owned(),
        SecretKey::new(secret),
        params,
    ))
}
