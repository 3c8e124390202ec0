#!/usr/bin/env python3
"""Writes the signing vectors in this folder (see README.md).

Every expected value is produced by the official Python SDK (PyPI `amazon-pay`
2.7.1) through the oracle script `oracle/v1_sign.py`, run as a
subprocess with the oracle's own virtualenv. Nothing here computes a signature
or an encoding itself: this file only holds the case definitions, checks the
oracle against the fixed values published in the SDKs' own tests, and writes
files.

Usage:
    python3 conformance/vectors/generate.py           # rewrite v1/ and hmac/
    python3 conformance/vectors/generate.py --check   # exit 1 if a file would change

The oracle folder is `oracle/` at the repository root, or the folder named by
the environment variable AMAZON_PAY_ORACLE_DIR. Install it with
`bash oracle/setup.sh`.
"""
import base64
import filecmp
import hashlib
import hmac
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORACLE_DIR = Path(os.environ.get("AMAZON_PAY_ORACLE_DIR", HERE.parent.parent / "oracle"))

# --- Endpoints (reference v1-api.md §1.1) -------------------------------------

HOSTS = {
    "JP": "mws.amazonservices.jp",
    "NA": "mws.amazonservices.com",
    "EU": "mws-eu.amazonservices.com",
    "UK": "mws-eu.amazonservices.com",
}
PATHS = {
    "sandbox": "/OffAmazonPayments_Sandbox/2013-01-01",
    "live": "/OffAmazonPayments/2013-01-01",
}
CURRENCIES = {"JP": "JPY", "NA": "USD", "EU": "EUR", "UK": "GBP"}

# --- Defaults for the pitfall cases (all fictitious) --------------------------

ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
SECRET_KEY = "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY"
SELLER_ID = "A2EXAMPLESELLER"
AUTH_TOKEN = "amzn.mws.4ea38b7b-f563-7709-4bae-87aeaEXAMPLE"
TIMESTAMP = "2024-05-01T12:34:56Z"
BILLING_AGREEMENT = "C01-1234567-1234567"
ORDER_REFERENCE = "S01-1234567-1234567"
AUTHORIZATION = "S01-1234567-1234567-A000001"
CAPTURE = "S01-1234567-1234567-C000001"

# Where the committed expected values were first produced: the oracle then lived beside the
# repository (shared/oracle). oracle/v1_sign.py calls the same SDK function with the same
# contract, and `--check` shows it reproduces every file, so the text is kept as written.
GENERATED_SOURCE = "conformance/vectors/generate.py through shared/oracle/v1_sign.py (PyPI amazon-pay 2.7.1)"


def common(action, *, seller=SELLER_ID, access=ACCESS_KEY, timestamp=TIMESTAMP, token=None):
    """The parameters every request carries (reference §1.3), Signature excepted."""
    pairs = [("AWSAccessKeyId", access), ("Action", action), ("SellerId", seller)]
    if token is not None:
        pairs.append(("MWSAuthToken", token))
    pairs += [
        ("SignatureMethod", "HmacSHA256"),
        ("SignatureVersion", "2"),
        ("Timestamp", timestamp),
        ("Version", "2013-01-01"),
    ]
    return pairs


def case(name, pitfall, action, op_params, *, region="JP", env="sandbox", secret=SECRET_KEY,
         order=None, source=GENERATED_SOURCE, expect=None, **common_kw):
    """One request case. `order`, when given, is the key order written to params.json."""
    pairs = common(action, **common_kw) + list(op_params)
    names = [k for k, _ in pairs]
    if len(set(names)) != len(names):
        raise SystemExit(f"{name}: duplicate parameter name")
    params = dict(pairs)
    if order is not None:
        if sorted(order) != sorted(params):
            raise SystemExit(f"{name}: `order` must list exactly the case's parameters")
        params = {k: params[k] for k in order}
    return {
        "name": name,
        "context": {
            "method": "POST",
            "host": HOSTS[region],
            "path": PATHS[env],
            "secret_key": secret,
            "region": region,
            "environment": env,
            "pitfall": pitfall,
            "source": source,
        },
        "params": params,
        "expect": expect,
    }


# --- The six Java vectors (reference v1-api.md §2.3, from amzn/amazon-pay-sdk-java
# tst/com/amazon/pay/impl/SignatureAndURLTest.java). `expect` holds the published
# canonical query and signature; the oracle must reproduce both exactly.

JAVA_SOURCE = "amzn/amazon-pay-sdk-java tst/com/amazon/pay/impl/SignatureAndURLTest.java (reference v1-api.md §2.3 {})"
JAVA_COMMON = {"access": "TEST_ACCESS_KEY", "timestamp": "2015-12-31T23:59:58Z"}
JAVA_TAIL = "SignatureMethod=HmacSHA256&SignatureVersion=2&Timestamp=2015-12-31T23%3A59%3A58Z&Version=2013-01-01"


def java(label, name, pitfall, action, op_params, canonical_query, signature, **kw):
    return case(
        name, pitfall, action, op_params, region="NA", env="sandbox", secret="TEST_SECRET_KEY",
        source=JAVA_SOURCE.format(label),
        expect={"canonical_query": canonical_query, "signature": signature},
        **JAVA_COMMON, **kw,
    )


ORO = [("AmazonOrderReferenceId", "AMAZON_ORDER_REFERENCE_ID")]
J_SUCCESS = ("SuccessUrl", "https://pay.amazon.com/success.html")
J_FAILURE = ("FailureUrl", "https://pay.amazon.com/failure.html")

JAVA_CASES = [
    java("J1", "java-j1-get-order-reference-details",
         "Published Java SDK vector: the plain shape of a signed request (US sandbox).",
         "GetOrderReferenceDetails", ORO,
         "AWSAccessKeyId=TEST_ACCESS_KEY&Action=GetOrderReferenceDetails&AmazonOrderReferenceId="
         "AMAZON_ORDER_REFERENCE_ID&SellerId=TEST_MERCHANT_ID&" + JAVA_TAIL,
         "cpkDC72d5lMIbo5ET2dvERTw4F2cGQJL3eQPzUe2pAE=", seller="TEST_MERCHANT_ID"),
    java("J2", "java-j2-delegated-get-order-reference-details",
         "Published Java SDK vector: delegation (SellerId override plus MWSAuthToken) is signed.",
         "GetOrderReferenceDetails", ORO,
         "AWSAccessKeyId=TEST_ACCESS_KEY&Action=GetOrderReferenceDetails&AmazonOrderReferenceId="
         "AMAZON_ORDER_REFERENCE_ID&MWSAuthToken=TEST_MWS_AUTH_TOKEN&SellerId=OVERRIDE_SELLER_ID&" + JAVA_TAIL,
         "MelQJXDdQJ85Z7aB85s7eYWm5TdGv6xYAQt/joOhXCo=",
         seller="OVERRIDE_SELLER_ID", token="TEST_MWS_AUTH_TOKEN"),
    java("J3", "java-j3-set-order-reference-details",
         "Published Java SDK vector: nested dotted names and an amount sent as the bare string `2`.",
         "SetOrderReferenceDetails",
         ORO + [("OrderReferenceAttributes.OrderTotal.Amount", "2"),
                ("OrderReferenceAttributes.OrderTotal.CurrencyCode", "USD")],
         "AWSAccessKeyId=TEST_ACCESS_KEY&Action=SetOrderReferenceDetails&AmazonOrderReferenceId="
         "AMAZON_ORDER_REFERENCE_ID&OrderReferenceAttributes.OrderTotal.Amount=2&OrderReferenceAttributes."
         "OrderTotal.CurrencyCode=USD&SellerId=TEST_MERCHANT_ID&" + JAVA_TAIL,
         "i51MSGv9O2G2LHIlhCXLigA3ZKaZRoc7Mb5A1VX2QTA=", seller="TEST_MERCHANT_ID"),
    java("J4", "java-j4-delegated-confirm-order-reference",
         "Published Java SDK vector: ConfirmOrderReference, delegated; a signature containing `+`.",
         "ConfirmOrderReference", ORO,
         "AWSAccessKeyId=TEST_ACCESS_KEY&Action=ConfirmOrderReference&AmazonOrderReferenceId="
         "AMAZON_ORDER_REFERENCE_ID&MWSAuthToken=TEST_MWS_AUTH_TOKEN&SellerId=OVERRIDE_SELLER_ID&" + JAVA_TAIL,
         "mbJBrZKC4Jz8J+rhRqyfYsY6TkSapWOvCTlC+UDUTok=",
         seller="OVERRIDE_SELLER_ID", token="TEST_MWS_AUTH_TOKEN"),
    java("J5", "java-j5-confirm-order-reference-sca-urls",
         "Published Java SDK vector: URL values, so `:` and `/` are percent-encoded.",
         "ConfirmOrderReference",
         ORO + [("AuthorizationAmount.Amount", "0.01"), ("AuthorizationAmount.CurrencyCode", "EUR"),
                J_SUCCESS, J_FAILURE],
         "AWSAccessKeyId=TEST_ACCESS_KEY&Action=ConfirmOrderReference&AmazonOrderReferenceId="
         "AMAZON_ORDER_REFERENCE_ID&AuthorizationAmount.Amount=0.01&AuthorizationAmount.CurrencyCode=EUR&"
         "FailureUrl=https%3A%2F%2Fpay.amazon.com%2Ffailure.html&MWSAuthToken=TEST_MWS_AUTH_TOKEN&SellerId="
         "OVERRIDE_SELLER_ID&SignatureMethod=HmacSHA256&SignatureVersion=2&SuccessUrl=https%3A%2F%2Fpay.amazon."
         "com%2Fsuccess.html&Timestamp=2015-12-31T23%3A59%3A58Z&Version=2013-01-01",
         "KeZbecFqPMxhR4g35iFWsdLmq1rAgwdn4B2WTIFMTHg=",
         seller="OVERRIDE_SELLER_ID", token="TEST_MWS_AUTH_TOKEN"),
    java("J6", "java-j6-confirm-order-reference-success-url-only",
         "Published Java SDK vector: SuccessUrl sorts between SignatureVersion and Timestamp.",
         "ConfirmOrderReference",
         ORO + [("AuthorizationAmount.Amount", "0.01"), ("AuthorizationAmount.CurrencyCode", "USD"), J_SUCCESS],
         "AWSAccessKeyId=TEST_ACCESS_KEY&Action=ConfirmOrderReference&AmazonOrderReferenceId="
         "AMAZON_ORDER_REFERENCE_ID&AuthorizationAmount.Amount=0.01&AuthorizationAmount.CurrencyCode=USD&"
         "MWSAuthToken=TEST_MWS_AUTH_TOKEN&SellerId=OVERRIDE_SELLER_ID&SignatureMethod=HmacSHA256&"
         "SignatureVersion=2&SuccessUrl=https%3A%2F%2Fpay.amazon.com%2Fsuccess.html&Timestamp=2015-12-31T23%3A"
         "59%3A58Z&Version=2013-01-01",
         "vGiWtNsdtNKx3QGB+cNNq8tLisqwOeg2a5aIy3p6exw=",
         seller="OVERRIDE_SELLER_ID", token="TEST_MWS_AUTH_TOKEN"),
]

# --- Pitfall cases -------------------------------------------------------------


def authorize_on_ba(ref="auth-0001", amount="1000", currency="JPY", extra=()):
    """AuthorizeOnBillingAgreement parameters, the library's main use case."""
    return [
        ("AmazonBillingAgreementId", BILLING_AGREEMENT),
        ("AuthorizationReferenceId", ref),
        ("AuthorizationAmount.Amount", amount),
        ("AuthorizationAmount.CurrencyCode", currency),
    ] + list(extra)


def set_ba_details(extra):
    return [("AmazonBillingAgreementId", BILLING_AGREEMENT)] + list(extra)


def note_case(name, pitfall, value, field="SellerAuthorizationNote", **kw):
    """An AuthorizeOnBillingAgreement whose only unusual feature is one value."""
    return case(name, pitfall, "AuthorizeOnBillingAgreement", authorize_on_ba(extra=[(field, value)]), **kw)


def provider_credits(count, currency):
    pairs = []
    for n in range(1, count + 1):
        pairs += [
            (f"ProviderCreditList.member.{n}.ProviderId", f"A3PROVIDER{n:02d}"),
            (f"ProviderCreditList.member.{n}.CreditAmount.Amount", f"{n}.00"),
            (f"ProviderCreditList.member.{n}.CreditAmount.CurrencyCode", currency),
        ]
    return pairs


def long_note():
    """Exactly 1024 characters (the documented SellerNote maximum), mixing ASCII,
    spaces, reserved characters and 3-byte UTF-8."""
    unit = "Monthly coffee subscription / 毎月のコーヒー定期便 (200g) & more; "
    text = (unit * (1024 // len(unit) + 1))[:1024]
    assert len(text) == 1024
    return text


SHUFFLED_ORDER = [
    "Version", "SellerAuthorizationNote", "Timestamp", "AuthorizationAmount.CurrencyCode", "SellerId",
    "SignatureVersion", "AuthorizationReferenceId", "Action", "SignatureMethod", "AmazonBillingAgreementId",
    "AWSAccessKeyId", "AuthorizationAmount.Amount", "CaptureNow", "TransactionTimeout",
]

SIMULATION = '{"SandboxSimulation": {"State":"Declined", "ReasonCode":"InvalidPaymentMethod", "PaymentMethodUpdateTimeInMins":5}}'

PITFALL_CASES = [
    case("shuffled-parameter-order",
         "params.json lists the parameters in a scrambled order; the canonical query must still be sorted by name.",
         "AuthorizeOnBillingAgreement",
         authorize_on_ba(extra=[("SellerAuthorizationNote", "order 42"), ("CaptureNow", "true"),
                                ("TransactionTimeout", "0")]),
         order=SHUFFLED_ORDER),
    note_case("value-space", "A space is `%20` in the canonical query (never `+`); the SDK body uses `+`.",
              "Thank you for your order"),
    note_case("value-asterisk", "`*` is not unreserved in RFC 3986: `%2A` (form encoders often leave it bare).",
              "Shop*Tokyo", field="SoftDescriptor"),
    note_case("value-tilde", "`~` is unreserved: it stays bare (older encoders emit `%7E`).",
              "order~0001~a", field="SellerOrderAttributes.SellerOrderId"),
    note_case("value-plus", "A literal `+` is `%2B`; it must not be read as a space.",
              "C++ book + shipping", field="SellerNote"),
    note_case("value-slash", "`/` is `%2F` inside a value (path-style encoders leave it bare).",
              "2024/05/01 batch/42", field="SellerOrderAttributes.CustomInformation"),
    note_case("value-equals", "`=` inside a value is `%3D`, so name=value pairs stay unambiguous.",
              "plan=premium=yearly", field="SellerOrderAttributes.CustomInformation"),
    note_case("value-ampersand", "`&` inside a value is `%26`, so it does not split the pair.",
              "Smith & Sons&Co", field="SellerOrderAttributes.StoreName"),
    note_case("value-percent", "A literal `%` is `%25`; values that look already encoded (`%20`, `%7E`, `%E6`) are encoded again, not passed through.",
              "100% cotton, code %7E and %20 and %E6%97%A5", field="SellerNote"),
    note_case("value-sub-delims", "`!'()` are reserved in RFC 3986 and become `%21%27%28%29` (JavaScript's encodeURIComponent leaves them bare).",
              "Great (really!) it's fine"),
    note_case("value-gen-delims", "`:?#[]@$,;` are each percent-encoded with upper-case hex.",
              "a:b?c#d[e]f@g$h,i;j", field="SellerOrderAttributes.CustomInformation"),
    note_case("value-ascii-specials", "Quote, backslash, angle brackets, braces, pipe, caret and backtick are all percent-encoded.",
              "\"q\" \\ <a> {b} |c| ^d `e`", field="SellerOrderAttributes.CustomInformation"),
    note_case("value-japanese", "Japanese text is encoded as its UTF-8 bytes (3 bytes a character), upper-case hex; never Shift_JIS.",
              "ご注文ありがとうございます。", field="SellerNote"),
    note_case("value-emoji", "Emoji are 4-byte UTF-8 (one code point, two UTF-16 units); a skin-tone modifier adds another 4 bytes.",
              "Thanks 🎉👍🏽", field="SellerNote"),
    note_case("value-latin-accents", "2-byte UTF-8 (`ü` = `%C3%BC`), not Latin-1 (`%FC`).",
              "Müller Straße, café", field="SellerNote"),
    note_case("value-three-byte-symbols", "The euro sign and the en dash are 3-byte UTF-8 outside CJK.",
              "€10 – incl. VAT", field="SellerNote", region="EU"),
    note_case("value-empty", "A present but empty value is signed as `SellerNote=` (the Python SDK keeps it; PHP would drop it).",
              "", field="SellerNote"),
    note_case("value-surrounding-whitespace", "Leading and trailing spaces are signed as given (no trimming).",
              "  padded note  ", field="SellerNote"),
    note_case("value-unreserved-only", "A value made only of unreserved characters `A-Za-z0-9-_.~` is copied unchanged.",
              "AZaz09-_.~", field="SellerOrderAttributes.SellerOrderId"),
    case("value-newline-and-tab",
         "Control characters are encoded: LF `%0A`, TAB `%09`, CR `%0D`; no normalisation of line endings.",
         "CloseBillingAgreement",
         [("AmazonBillingAgreementId", BILLING_AGREEMENT),
          ("ClosureReason", "line one\nline two\ttabbed\r\nCRLF end")]),
    case("sandbox-simulation-note",
         "A SandboxSimulation JSON string (quotes, braces, colons, commas, spaces) as SellerAuthorizationNote.",
         "AuthorizeOnBillingAgreement",
         authorize_on_ba(extra=[("SellerAuthorizationNote", SIMULATION), ("TransactionTimeout", "0")])),
    case("long-seller-note",
         "A 1024-character SellerNote (the documented maximum) with mixed UTF-8: no truncation, no line wrapping.",
         "SetBillingAgreementDetails",
         set_ba_details([("BillingAgreementAttributes.SellerNote", long_note())])),
    case("member-10-sorts-before-member-2",
         "A list with 11 members: byte order puts `member.1.` < `member.10.` < `member.11.` < `member.2.`, not numeric order.",
         "Capture",
         [("AmazonAuthorizationId", AUTHORIZATION), ("CaptureReferenceId", "cap-0001"),
          ("CaptureAmount.Amount", "66.00"), ("CaptureAmount.CurrencyCode", "USD")] + provider_credits(11, "USD"),
         region="NA"),
    case("refund-provider-credit-reversal",
         "Refund with a note and a two-member ProviderCreditReversalList (nested dotted names under `member.N`).",
         "Refund",
         [("AmazonCaptureId", CAPTURE), ("RefundReferenceId", "refund-0001"),
          ("RefundAmount.Amount", "25.50"), ("RefundAmount.CurrencyCode", "GBP"),
          ("SellerRefundNote", "Partial refund: damaged item"), ("SoftDescriptor", "UKSHOP"),
          ("ProviderCreditReversalList.member.1.ProviderId", "A3PROVIDER01"),
          ("ProviderCreditReversalList.member.1.CreditReversalAmount.Amount", "1.50"),
          ("ProviderCreditReversalList.member.1.CreditReversalAmount.CurrencyCode", "GBP"),
          ("ProviderCreditReversalList.member.2.ProviderId", "A3PROVIDER02"),
          ("ProviderCreditReversalList.member.2.CreditReversalAmount.Amount", "0.75"),
          ("ProviderCreditReversalList.member.2.CreditReversalAmount.CurrencyCode", "GBP")],
         region="UK"),
    case("set-billing-agreement-details-all-attributes",
         "Three-level dotted names (`BillingAgreementAttributes.SellerBillingAgreementAttributes.*`) with JSON and Japanese values.",
         "SetBillingAgreementDetails",
         set_ba_details([
             ("BillingAgreementAttributes.PlatformId", "A1PLATFORMEXAMPLE"),
             ("BillingAgreementAttributes.SellerNote", "定期購入のご案内"),
             ("BillingAgreementAttributes.SellerBillingAgreementAttributes.SellerBillingAgreementId", "sub-2024-0001"),
             ("BillingAgreementAttributes.SellerBillingAgreementAttributes.StoreName", "東京コーヒー店"),
             ("BillingAgreementAttributes.SellerBillingAgreementAttributes.CustomInformation", '{"plan":"monthly","qty":2}'),
             ("BillingAgreementAttributes.BillingAgreementType", "MerchantInitiatedTransaction"),
             ("BillingAgreementAttributes.SubscriptionAmount.Amount", "3000"),
             ("BillingAgreementAttributes.SubscriptionAmount.CurrencyCode", "JPY"),
         ])),
    case("mws-auth-token-present",
         "Delegated call: MWSAuthToken is signed and sorts between AuthorizationReferenceId and SellerId (`M` < `S`).",
         "AuthorizeOnBillingAgreement", authorize_on_ba(), token=AUTH_TOKEN),
    case("mws-auth-token-absent",
         "The same request without delegation: no MWSAuthToken parameter at all (not an empty one).",
         "AuthorizeOnBillingAgreement", authorize_on_ba()),
    case("ordering-uppercase-before-lowercase",
         "Byte order, not case-insensitive order: `AWSAccessKeyId` < `Action` and `MWSAuthToken` < `MerchantNote`; "
         "the lower-case-initial `lowercaseParam` sorts after every upper-case name. "
         "`MerchantNote` and `lowercaseParam` are synthetic names, present only to pin the sort.",
         "AuthorizeOnBillingAgreement",
         authorize_on_ba(extra=[("lowercaseParam", "x"), ("MerchantNote", "y")]), token=AUTH_TOKEN),
    case("ordering-dot-before-letters",
         "`.` (0x2E) sorts before letters: `AuthorizationAmount.Amount` < `AuthorizationAmount.CurrencyCode` < `AuthorizationReferenceId`, "
         "and `SellerOrderAttributes.SellerOrderId` < `SellerOrderId`-like names.",
         "AuthorizeOnBillingAgreement",
         authorize_on_ba(extra=[("SellerOrderAttributes.SellerOrderId", "order-1"),
                                ("SellerOrderAttributes.StoreName", "Store"), ("SellerNote", "n"),
                                ("SellerAuthorizationNote", "a")])),
    case("timestamp-with-milliseconds",
         "A Timestamp with milliseconds (`.000Z`, the PHP/C# style) is signed as given; `:` is `%3A`.",
         "ValidateBillingAgreement", [("AmazonBillingAgreementId", BILLING_AGREEMENT)],
         region="EU", timestamp="2013-12-11T10:38:44.000Z"),
    case("boolean-and-numeric-strings",
         "Booleans are the strings `true`/`false` and TransactionTimeout `0`; they are signed as text.",
         "AuthorizeOnBillingAgreement",
         authorize_on_ba(extra=[("CaptureNow", "true"), ("InheritShippingAddress", "false"),
                                ("TransactionTimeout", "0")])),
    case("common-parameters-only",
         "GetServiceStatus: only the common parameters, nothing operation-specific.",
         "GetServiceStatus", []),
    case("secret-key-with-base64-characters",
         "The secret key is used as its UTF-8 bytes: a key containing `+`, `/` and `=` must not be base64-decoded or trimmed.",
         "GetBillingAgreementDetails", [("AmazonBillingAgreementId", BILLING_AGREEMENT)],
         secret="wJalr/XUtn+FEMI=K7MDENG/bPxR+fiCY=="),
    case("url-values-with-query-and-fragment",
         "SCA redirect URLs with `?`, `&`, `=`, `#`: each is encoded inside the value.",
         "ConfirmBillingAgreement",
         [("AmazonBillingAgreementId", BILLING_AGREEMENT),
          ("SuccessUrl", "https://shop.example/return?order=1&status=ok#done"),
          ("FailureUrl", "https://shop.example/return?order=1&status=failed")]),
]

# One AuthorizeOnBillingAgreement per region and environment (reference §1.1): EU and
# UK share a host; sandbox and live differ only in the path.
for _region in ("JP", "NA", "EU", "UK"):
    for _env in ("sandbox", "live"):
        PITFALL_CASES.append(case(
            f"endpoint-{_region.lower()}-{_env}",
            f"Region {_region}, {_env}: host `{HOSTS[_region]}` and path `{PATHS[_env]}` are part of the string to sign.",
            "AuthorizeOnBillingAgreement",
            authorize_on_ba(ref=f"auth-{_region.lower()}-{_env}", amount="12.34" if _region != "JP" else "1234",
                            currency=CURRENCIES[_region]),
            region=_region, env=_env))


# --- Raw HMAC vectors (reference §2.3) -------------------------------------------

HMAC_CASES = [
    {
        "name": "python-test-sign",
        "key": "mws_secret_key",
        "message": "my_test_string",
        "signature": "JQZYxe8EFlLE3XCAWotsn329rpZF7OFYhA8oo7rUV2E=",
        "source": "amzn/amazon-pay-sdk-python test/test_ap.py::test_sign (reference v1-api.md §2.3)",
        "pitfall": "Bare HMAC-SHA256 with base64 (standard alphabet, `=` padding) over a short ASCII message.",
    },
    {
        "name": "ruby-test-signature",
        "key": "SECRET_KEY",
        "message": "test signature code",
        # The Ruby test asserts the percent-encoded form VWty3pyWd3Ol4pw3L7nFQ%2FxI6SXXsV5T2aRdoNPVMg0%3D;
        # this is its decoded base64.
        "signature": "VWty3pyWd3Ol4pw3L7nFQ/xI6SXXsV5T2aRdoNPVMg0=",
        "source": "amzn/amazon-pay-sdk-ruby test/amazon_pay_unit_test.rb::test_signature (reference v1-api.md §2.3)",
        "pitfall": "A signature containing `/`: base64 uses the standard alphabet, not the URL-safe one.",
    },
]


# --- Oracle ----------------------------------------------------------------------


def oracle_sign(context, params):
    python = ORACLE_DIR / ".venv" / "bin" / "python"
    script = ORACLE_DIR / "v1_sign.py"
    if not python.exists():
        raise SystemExit(f"oracle missing: {python} (run `bash {ORACLE_DIR}/setup.sh`)")
    request = {key: context[key] for key in ("method", "host", "path", "secret_key")}
    request["params"] = params
    out = subprocess.run(
        [str(python), str(script)],
        input=json.dumps(request, ensure_ascii=False).encode("utf-8"),
        capture_output=True, check=True, env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    return json.loads(out.stdout.decode("utf-8"))


def check_oracle_result(c, result):
    """The oracle must sign exactly the given parameters (no SDK default added) and,
    for published vectors, reproduce the published values."""
    sent = dict(result["params"])
    signature = sent.pop("Signature")
    if sent != c["params"]:
        raise SystemExit(f"{c['name']}: the SDK sent other parameters than given: {sent}")
    if signature != result["signature"]:
        raise SystemExit(f"{c['name']}: body signature differs from the signed one")
    expect = c["expect"]
    if expect is not None:
        for key in ("canonical_query", "signature"):
            if result[key] != expect[key]:
                raise SystemExit(f"{c['name']}: oracle {key} {result[key]!r} != published {expect[key]!r}")


# --- Writing ---------------------------------------------------------------------


def write_text(path, text):
    path.write_bytes(text.encode("utf-8"))


def write_json(path, value):
    write_text(path, json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def write_v1(root, c, result):
    folder = root / "v1" / c["name"]
    folder.mkdir(parents=True)
    write_json(folder / "context.json", c["context"])
    write_json(folder / "params.json", c["params"])
    write_text(folder / "canonical_query.txt", result["canonical_query"])
    write_text(folder / "string_to_sign.txt", result["string_to_sign"])
    write_text(folder / "signature.txt", result["signature"])
    write_text(folder / "body.txt", result["query"])


def write_hmac(root, h):
    # An independent check (Python's standard library) that the published value is a
    # plain HMAC-SHA256 of these bytes.
    digest = hmac.new(h["key"].encode("utf-8"), h["message"].encode("utf-8"), hashlib.sha256).digest()
    if base64.b64encode(digest).decode("ascii") != h["signature"]:
        raise SystemExit(f"hmac/{h['name']}: published value does not verify")
    folder = root / "hmac" / h["name"]
    folder.mkdir(parents=True)
    write_json(folder / "context.json", {"pitfall": h["pitfall"], "source": h["source"]})
    write_text(folder / "key.txt", h["key"])
    write_text(folder / "message.txt", h["message"])
    write_text(folder / "signature.txt", h["signature"])


def generate(root):
    cases = JAVA_CASES + PITFALL_CASES
    names = [c["name"] for c in cases] + [h["name"] for h in HMAC_CASES]
    if len(set(names)) != len(names):
        raise SystemExit("duplicate case name")
    for c in cases:
        result = oracle_sign(c["context"], c["params"])
        check_oracle_result(c, result)
        write_v1(root, c, result)
    for h in HMAC_CASES:
        write_hmac(root, h)
    return len(cases), len(HMAC_CASES)


def trees_equal(a, b):
    cmp = filecmp.dircmp(a, b)
    if cmp.left_only or cmp.right_only or cmp.funny_files:
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, cmp.common_files, shallow=False)
    if mismatch or errors:
        return False
    return all(trees_equal(a / d, b / d) for d in cmp.common_dirs)


def main():
    check = "--check" in sys.argv[1:]
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp)
        v1_count, hmac_count = generate(fresh)
        if check:
            same = all((HERE / kind).is_dir() and trees_equal(fresh / kind, HERE / kind) for kind in ("v1", "hmac"))
            print(f"{v1_count} v1 cases, {hmac_count} hmac cases: {'up to date' if same else 'OUT OF DATE'}")
            sys.exit(0 if same else 1)
        for kind in ("v1", "hmac"):
            shutil.rmtree(HERE / kind, ignore_errors=True)
            shutil.copytree(fresh / kind, HERE / kind)
    print(f"wrote {v1_count} v1 cases and {hmac_count} hmac cases under {HERE}")


if __name__ == "__main__":
    main()
