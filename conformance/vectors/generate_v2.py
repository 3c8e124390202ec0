#!/usr/bin/env python3
"""Writes the v2 signing vectors (`v2/` and `v2-test-key/`, format in README.md).

Where the expected values come from, per group of folders:

* `java-*`: the Java SDK's published file `fixtures/v2/amazon-pay-api-sdk-java/testdata.js`
  (read from the repository, values copied as published);
* `dotnet-*`, `php-*`, `docs-*`, `button-*`: the published values of those SDKs' tests and of
  the documentation, as listed in this file (reference v2-api.md §2.4.2–2.4.4, §2.5);
* `node-*`: the official Node SDK (npm `@amazonpay/amazon-pay-api-sdk-nodejs` 2.3.4), run
  through the oracle script `oracle/v2_canonical.js` with the folder's test key; the folder
  keeps what the SDK signed, its canonical request and string to sign, and its signature.

Nothing here canonicalises a request itself, except one line: where this repository follows
the documented rule and a source does not (Java's `get-slashes`), the expected value is the
source's with the canonical URI line replaced, rehashed with hashlib, and the source's value is
kept beside it in `context.json`.

Usage:
    python3 conformance/vectors/generate_v2.py           # rewrite v2/ (and the key if absent)
    python3 conformance/vectors/generate_v2.py --check   # exit 1 if a file would change
"""
import filecmp
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
ORACLE_DIR = Path(os.environ.get("AMAZON_PAY_ORACLE_DIR", REPO / "oracle"))
KEY_DIR = HERE / "v2-test-key"
JAVA_FILE = REPO / "fixtures/v2/amazon-pay-api-sdk-java/testdata.js"

PSS = "AMZN-PAY-RSASSA-PSS"
PSS_V2 = "AMZN-PAY-RSASSA-PSS-V2"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
UNRESERVED = "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
NONUNRESERVED = "@#$%^&+=/,?><`\";:\\|][{} "


def fixed_headers(region):
    """The pre-signed headers of the Java (`EU`) and .NET (`eu`) test harnesses."""
    return [
        ["accept", "application/json"],
        ["content-type", "application/json"],
        ["x-amz-pay-date", "20180524T223710Z"],
        ["x-amz-pay-host", "pay-api.amazon.eu"],
        ["x-amz-pay-region", region],
    ]


def request(method="GET", path="/", query=(), headers=(), algorithm=PSS):
    return {
        "method": method,
        "path": path,
        "query": [list(pair) for pair in query],
        "headers": [list(pair) for pair in headers],
        "algorithm": algorithm,
    }


# --- Java: testdata.js ---------------------------------------------------------

JAVA_SLASHES_REASON = (
    "Java parses `//foo//` with java.net.URI, which reads `foo` as an authority and leaves the "
    "path `/`; the documented rule (collapse runs of `/`, keep the rest) gives `/foo/`, as the "
    ".NET SDK's GetWithTooManySlashesInUri expects. We follow the documented rule."
)


def java_cases():
    text = JAVA_FILE.read_text(encoding="utf-8").rstrip()
    # The published file has a trailing comma before the final `]` (org.json accepts it).
    body = text[: text.rindex("]")].rstrip().rstrip(",")
    entries = json.loads(body + "]")
    cases = {}
    for entry in entries:
        algorithm = entry["stringToSign"].split("\n")[0]
        name = "java-" + entry["name"] + ("-v2" if algorithm == PSS_V2 else "")
        query = [(k, v) for k, values in entry["parameters"].items() for v in values]
        canonical_request = entry["canonicalRequest"]
        string_to_sign = entry["stringToSign"]
        context = {
            "source": "Java SDK amzn/amazon-pay-api-sdk-java 2.6.7 tst/com/amazon/pay/api/testdata.js, "
            "case " + entry["name"] + " (harness CreateStringToSignTest.java: fixed pre-signed headers)",
            "pitfall": "published Java vector " + entry["name"] + " with " + algorithm,
        }
        if entry["name"] == "get-slashes":
            lines = canonical_request.split("\n")
            lines[1] = "/foo/"
            ours = "\n".join(lines)
            context["source_expected"] = {
                "canonical_request.txt": canonical_request,
                "string_to_sign.txt": string_to_sign,
            }
            context["deviation"] = JAVA_SLASHES_REASON
            canonical_request = ours
            string_to_sign = algorithm + "\n" + hashlib.sha256(ours.encode()).hexdigest()
        cases[name] = {
            "context": context,
            "request": request(entry["method"], entry["uri"], query, fixed_headers("EU"), algorithm),
            "body": entry["payload"].encode(),
            "expected": {
                "canonical_uri.txt": canonical_request.split("\n")[1],
                "canonical_request.txt": canonical_request,
                "string_to_sign.txt": string_to_sign,
            },
        }
    return cases


# --- .NET: CreateStringToSignTest.cs (hashes of the canonical request) ----------

DOTNET = [
    ("simple-get", "GET", "/", [], "/", "13fdf6db844bdfb9e9c0e27a4251ca04e60c29ca2132249c5dd1cb09c26e22f5"),
    ("get-with-too-many-slashes-in-uri", "GET", "///foo//", [], "/foo/",
     "d8e13e1857bc9b5056cc8ccb2699812faa2c68960e00483b1390fdaf4a991cc4"),
    ("get-with-unreserved-characters", "GET", "/" + UNRESERVED, [], "/" + UNRESERVED,
     "585e034d38ed3d64c0cd77a9f357a4b4a0fc093eebe06f4b06f66845e3543038"),
    ("get-with-high-ascii-character-in-parameter-string", "GET", "/", [("\u1234", "bar")], "/",
     "f0597d2fdcf97baf28002461796e916a74e35073b44042296d2ed45bacf6ecf0"),
    ("simple-post", "POST", "/", [], "/", "322307b5dae22c3d59350c3de9202a488f337f674c8f430b186282008264bd2b"),
    ("post-with-query-parameter", "POST", "/", [("foo", "bar")], "/",
     "9d61b5abddbfdcaf7810a8e83dfffe0a5d5f272d2676c0550d974d5383e94cd5"),
    ("get-with-multiple-query-values-in-single-parameter", "GET", "/", [("foo", "b"), ("foo", "a")], "/",
     "937de37fb8aed8af4214c373580c72f40c525202d1975df6836ba6ed0062b902"),
    ("get-with-multiple-query-parameters", "GET", "/", [("a", "foo"), ("b", "foo")], "/",
     "457de2535eedbd6ef25f5c8ec4653ee885b99838d722189928f4fdf8d3c3ef4f"),
    ("get-with-multiple-query-parameters-sorted", "GET", "/", [("A.1", "foo"), ("A.10", "foo"), ("A.2", "foo")],
     "/", "43ae5290e6742d30e3822b62b6d759afedafbe01534f778175c336b455d632e7"),
    ("get-with-multiple-query-values-in-single-parameter-sorted", "GET", "/", [("foo", "Zoo"), ("foo", "aha")],
     "/", "7a4d89bd832cb93f2102f66bc8d3a0bc5f224c0bb758eab261dcd34a8ed2f117"),
    ("get-with-reserved-characters-in-query-parameter", "GET", "/", [(UNRESERVED, UNRESERVED)], "/",
     "aa69ca06d93d9220f9aa16314d8556e18e1b0ae39802cd169bd3af6c08cd7164"),
    ("post-with-special-characters-in-query-parameter", "POST", "/", [(NONUNRESERVED, NONUNRESERVED)], "/",
     "50709f5220d06911feee2d6aa8bf8453c8517f44527c0912e62b905d26c7e08f"),
    ("post-with-spaces-in-query-parameter", "POST", "/", [("f oo", "b ar")], "/",
     "79481e4e38a053f7be8bda701c0d302d39df18bf468578b133c3be8e93fea86a"),
]


def dotnet_cases():
    cases = {}
    for name, method, path, query, uri, digest in DOTNET:
        # Each .NET test runs with both algorithm names; the hash does not depend on it.
        for algorithm, suffix in ((PSS, ""), (PSS_V2, "-v2")):
            cases["dotnet-" + name + suffix] = {
                "context": {
                    "source": "Amazon.Pay.API.SDK.Tests/CreateStringToSignTest.cs (amzn/amazon-pay-api-sdk-dotnet "
                    "2.7.3.0): fixed date 20180524T223710Z, host pay-api.amazon.eu, region eu, empty body; the "
                    "test publishes the SHA-256 of the canonical request",
                    "pitfall": ".NET vector " + name + " with " + algorithm,
                },
                "request": request(method, path, query, fixed_headers("eu"), algorithm),
                "body": b"",
                "expected": {
                    "canonical_uri.txt": uri,
                    "canonical_request_sha256.txt": digest,
                    "string_to_sign.txt": algorithm + "\n" + digest,
                },
            }
    return cases


# --- PHP: ClientTest.php (canonical URI, query, headers) ---------------------------

PHP_SOURCE = "tests/unit/ClientTest.php (amzn/amazon-pay-api-sdk-php 2.7.2)"
PHP_QUERY = [
    ("amount", "100.50"),
    ("chargePermissionId", "P03-0772540-6944847"),
    ("chargeReferenceId", "chargeReferenceId-1"),
    ("chargeTotal", "100.50"),
    ("currencyCode", "JPY"),
    ("customInformation", "Information about order"),
    ("merchantOrderId", "Order 123"),
    ("merchantStoreName", "Name of Store"),
    ("metadata.1", "shoe sale"),
    ("metadata.2", "Information about order"),
    ("softDescriptor", "chargeTest-1"),
]


def php_cases():
    return {
        "php-canonical-uri-of-a-url": {
            "context": {
                "source": PHP_SOURCE + " getCanonicalURI",
                "pitfall": "the canonical URI is the path only: no host, no query",
                "preprocessing": "PHP's getCanonicalURI takes the whole URL "
                "`http://pay-api.amazon.jp/sandbox/in-store/v999/charge?extradata` and keeps what parse_url "
                "gives as the path; `path` below is that path",
            },
            "request": request("POST", "/sandbox/in-store/v999/charge"),
            "body": b"",
            "expected": {"canonical_uri.txt": "/sandbox/in-store/v999/charge"},
        },
        "php-canonical-query-flattened-arrays": {
            "context": {
                "source": PHP_SOURCE + " createCanonicalQuery",
                "pitfall": "query pairs sorted by key, spaces as %20, `.` keys of flattened arrays in byte order",
                "preprocessing": "PHP-specific, before the documented rule: the test's parameters are a PHP "
                "array {chargePermissionId, chargeReferenceId, chargeTotal, currencyCode, amount, "
                "softDescriptor, metadata: [shoe sale, Information about order], merchantNote: '', "
                "customInformation, communicationContext: [], merchantStoreName, merchantOrderId}; PHP "
                "flattens array values to key.1, key.2 and drops empty strings and empty arrays. `query` "
                "below is the result of that step",
            },
            "request": request("GET", "/", PHP_QUERY),
            "body": b"",
            "expected": {
                "canonical_query.txt": "amount=100.50&chargePermissionId=P03-0772540-6944847&chargeReferenceId="
                "chargeReferenceId-1&chargeTotal=100.50&currencyCode=JPY&customInformation=Information%20about"
                "%20order&merchantOrderId=Order%20123&merchantStoreName=Name%20of%20Store&metadata.1=shoe%20sale"
                "&metadata.2=Information%20about%20order&softDescriptor=chargeTest-1",
            },
        },
        "php-canonical-headers": {
            "context": {
                "source": PHP_SOURCE + " getHeaderString / getPostSignedHeaders",
                "pitfall": "header names lower-cased and sorted; signed header list joined by `;`",
                "preprocessing": "PHP-specific, before the documented rule: the test also passes "
                "`User-Agent: ''`, and PHP drops headers whose value is empty; `headers` below are the rest",
            },
            "request": request(
                "POST",
                "/",
                headers=[["Accept", "application/json"], ["Content-Type", "application/json"],
                         ["X-Amz-Pay-Host", "pay-api.amazon.jp"]],
            ),
            "body": b"",
            "expected": {
                "canonical_headers.txt": "accept:application/json\ncontent-type:application/json\n"
                "x-amz-pay-host:pay-api.amazon.jp\n",
                "signed_headers.txt": "accept;content-type;x-amz-pay-host",
            },
        },
    }


# --- The documentation's example, and the button payload --------------------------

DOCS_HEADERS = [
    ["accept", "application/json"],
    ["content-type", "application/json"],
    ["x-amz-pay-date", "20190923T231908Z"],
    ["x-amz-pay-host", "pay-api.amazon.com"],
    ["x-amz-pay-idempotency-key", "cllHyiNvS8cJ8Zas"],
    ["x-amz-pay-region", "na"],
]
BUTTON_PAYLOAD = (
    '{"storeId":"amzn1.application-oa2-client.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx","webCheckoutDetails":'
    '{"checkoutReviewReturnUrl":"https://localhost/test/CheckoutReview.php","checkoutResultReturnUrl":'
    '"https://localhost/test/CheckoutResult.php"}}'
)
BUTTON_SHA256 = "8dec52d799607be40f82d5c8e7ecb6c171e6591c41b1111a576b16076c89381c"


def docs_and_button_cases():
    cases = {
        "docs-signing-requests-example": {
            "context": {
                "source": "developer.amazon.com/docs/amazon-pay-api-v2/signing-requests.html (canonical request "
                "example)",
                "pitfall": "the layout of a POST with an idempotency key: headers, the empty line, the signed "
                "list. The page does not show the body behind its payload hash, so only the URI, query and "
                "header lines are expected",
            },
            "request": request("POST", "/live/v2/checkoutSessions", headers=DOCS_HEADERS),
            "body": b"",
            "expected": {
                "canonical_uri.txt": "/live/v2/checkoutSessions",
                "canonical_query.txt": "",
                "canonical_headers.txt": "".join(n + ":" + v + "\n" for n, v in DOCS_HEADERS),
                "signed_headers.txt": ";".join(n for n, _ in DOCS_HEADERS),
            },
        }
    }
    for algorithm, suffix in ((PSS, ""), (PSS_V2, "-v2")):
        cases["button-payload" + suffix] = {
            "context": {
                "source": "generateButtonSignature tests of the PHP, Java, .NET and Node SDKs (the same payload)",
                "pitfall": "a button signature: the string to sign hashes the payload text itself, no canonical "
                "request, with " + algorithm,
                "kind": "button",
            },
            "request": request("POST", "/", algorithm=algorithm),
            "body": BUTTON_PAYLOAD.encode(),
            "expected": {"string_to_sign.txt": algorithm + "\n" + BUTTON_SHA256},
        }
    return cases


# --- Our pitfalls, signed by the Node SDK ---------------------------------------------

NOW = "2024-01-02T03:04:05Z"


def node(name, pitfall, method, url_fragment, region="jp", sandbox=True,
         public_key_id="SANDBOX-AEXAMPLEKEY000000000", query=None, headers=None, body=None,
         algorithm=PSS):
    given = {
        "method": method,
        "url_fragment": url_fragment,
        "region": region,
        "sandbox": sandbox,
        "public_key_id": public_key_id,
        "algorithm": algorithm,
        "now": NOW,
    }
    if query is not None:
        given["query"] = query
    if headers is not None:
        given["headers"] = headers
    if body is not None:
        given["body_raw"] = body
    return "node-" + name, pitfall, given


NODE_CASES = [
    node("body-japanese", "Japanese text in the body: the hash is over its UTF-8 bytes", "POST",
         "checkoutSessions", headers={"x-amz-pay-idempotency-key": "idem-jp-0001"},
         body='{"merchantMetadata":{"merchantStoreName":"テストストア","noteToBuyer":"ご注文ありがとうございます"}}'),
    node("body-emoji", "emoji (4-byte UTF-8) in the body", "POST", "charges", region="eu",
         public_key_id="AEXAMPLELEGACYKEY00000000",
         headers={"x-amz-pay-idempotency-key": "idem-emoji-1"},
         body='{"softDescriptor":"🎉 thanks 👍🏽","chargePermissionId":"S02-1234567-1234567"}'),
    node("body-escaped-slash-and-umlauts", "a body with `\\/` escapes and umlauts is hashed as sent, never "
         "re-serialised", "PATCH", "checkoutSessions/3fa85f64-5717-4562-b3fc-2c963f66afa6", region="eu",
         body='{"webCheckoutDetails":{"checkoutResultReturnUrl":"https:\\/\\/example.com\\/r\\u00fcck"},'
              '"merchantMetadata":{"merchantStoreName":"Müller & Söhne"}}'),
    node("query-reserved-values", "reserved characters in query values: `/ ? # [ ] @ $ & + , ; = %` and "
         "space are percent-encoded", "GET", "reports",
         query={"createdSince": "2024-01-01T00:00:00Z", "note": "a b&c=d/e?f#g[h]@$+,;%"}),
    node("query-unicode", "Japanese, umlaut and emoji in a query value", "GET", "reports",
         query={"reportTypes": "日本語 ü 🎉"}),
    node("trailing-slash", "a trailing `/` is kept and signed (the .NET SDK sends one)", "GET",
         "chargePermissions/S02-1234567-1234567/"),
    node("delete-with-body", "DELETE with a JSON body: the body is hashed", "DELETE",
         "charges/S02-1234567-1234567-C000001/cancel", region="na",
         body='{"cancellationReason":"Buyer canceled the order"}'),
    node("key-live-prefix", "a `LIVE-` key id: the unified path /v2, no environment segment", "GET",
         "charges/S02-1234567-1234567-C000001", sandbox=False, public_key_id="LIVE-AEXAMPLEKEY000000000"),
    node("key-sandbox-prefix", "a `SANDBOX-` key id: the unified path /v2 even with sandbox false", "GET",
         "charges/S02-1234567-1234567-C000001", sandbox=False,
         public_key_id="SANDBOX-AEXAMPLEKEY000000000"),
    node("key-lowercase-prefix", "the key prefix is compared ignoring case", "GET",
         "charges/S02-1234567-1234567-C000001", public_key_id="sandbox-AEXAMPLEKEY000000000"),
    node("key-legacy-sandbox", "a legacy key id in sandbox: /sandbox/v2", "GET",
         "charges/S02-1234567-1234567-C000001", public_key_id="AEXAMPLELEGACYKEY00000000"),
    node("key-legacy-live", "a legacy key id in live: /live/v2", "GET", "charges/S02-1234567-1234567-C000001",
         sandbox=False, public_key_id="AEXAMPLELEGACYKEY00000000"),
    node("region-na", "region na: host pay-api.amazon.com, region header na", "GET", "buyers/BUYER-TOKEN-1",
         region="na"),
    node("region-eu", "region eu: host pay-api.amazon.eu", "GET", "buyers/BUYER-TOKEN-1", region="eu"),
    node("region-jp", "region jp: host pay-api.amazon.jp", "GET", "buyers/BUYER-TOKEN-1", region="jp"),
    node("caller-headers-signed", "caller headers (delegation token, simulation code) are signed, sorted "
         "among the service's", "GET", "authorizationTokens/amzn.mws.0123-4567", region="na",
         query={"merchantId": "A1EXAMPLE"},
         headers={"x-amz-pay-authtoken": "Atza|token", "x-amz-pay-simulation-code": "DeclinedTransaction"}),
    node("algorithm-v2", "AMZN-PAY-RSASSA-PSS-V2: salt 32 bytes", "POST", "refunds",
         headers={"x-amz-pay-idempotency-key": "idem-refund-1"},
         body='{"chargeId":"S02-1234567-1234567-C000001","refundAmount":{"amount":"1000","currencyCode":"JPY"}}',
         algorithm=PSS_V2),
]


def run_oracle(inputs):
    script = ORACLE_DIR / "v2_canonical.js"
    if not (ORACLE_DIR / ".installed").is_file():
        sys.exit(f"no oracle at {ORACLE_DIR}: run `bash oracle/setup.sh` first")
    done = subprocess.run(["node", str(script)], cwd=ORACLE_DIR, input=json.dumps(inputs).encode(),
                          capture_output=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{script} failed: {done.stderr.decode()}")
    return json.loads(done.stdout)


def test_key():
    """The committed test-only key pair; made with Node's crypto the first time."""
    private = KEY_DIR / "private_key.pem"
    if not private.is_file():
        KEY_DIR.mkdir(parents=True, exist_ok=True)
        js = ("const k=require('crypto').generateKeyPairSync('rsa',{modulusLength:2048});"
              "process.stdout.write(JSON.stringify([k.privateKey.export({type:'pkcs8',format:'pem'}),"
              "k.publicKey.export({type:'spki',format:'pem'})]))")
        pem, public = json.loads(subprocess.run(["node", "-e", js], capture_output=True, check=True).stdout)
        private.write_text(pem)
        (KEY_DIR / "public_key.pem").write_text(public)
    return private.read_text()


def node_cases():
    key = test_key()
    inputs = [dict(given, private_key_pem=key) for _, _, given in NODE_CASES]
    cases = {}
    for (name, pitfall, given), sdk in zip(NODE_CASES, run_oracle(inputs)):
        if not sdk["sdk_signature_verifies"]:
            sys.exit(f"{name}: the SDK's own signature does not verify")
        headers = [[n, v] for n, v in sorted(sdk["headers"].items()) if n != "authorization"]
        cases[name] = {
            "context": {
                "source": "official Node SDK npm @amazonpay/amazon-pay-api-sdk-nodejs 2.3.4 "
                "(AmazonPayClient#getSignedHeaders through oracle/v2_canonical.js), test key v2-test-key/",
                "pitfall": pitfall,
                "endpoint": {
                    "public_key_id": given["public_key_id"],
                    "region": given["region"],
                    "sandbox": given["sandbox"],
                    "url_fragment": given["url_fragment"],
                },
            },
            "request": request(given["method"], sdk["canonical_uri"], sorted(given.get("query", {}).items()),
                               headers, given["algorithm"]),
            "body": given.get("body_raw", "").encode(),
            "expected": {
                "canonical_uri.txt": sdk["canonical_uri"],
                "canonical_request.txt": sdk["canonical_request"],
                "signed_headers.txt": sdk["signed_headers"],
                "string_to_sign.txt": sdk["string_to_sign"],
                "sdk_signature.txt": sdk["sdk_signature"],
            },
        }
    return cases


def write_case(root, name, case):
    folder = root / name
    folder.mkdir(parents=True)
    dump = lambda value: json.dumps(value, ensure_ascii=False, indent=1) + "\n"  # noqa: E731
    (folder / "context.json").write_text(dump(case["context"]), encoding="utf-8")
    (folder / "request.json").write_text(dump(case["request"]), encoding="utf-8")
    (folder / "body.bin").write_bytes(case["body"])
    for file, text in case["expected"].items():
        (folder / file).write_bytes(text.encode("utf-8"))


def same_tree(a, b):
    compared = filecmp.dircmp(a, b)
    if compared.left_only or compared.right_only or compared.funny_files:
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, compared.common_files, shallow=False)
    return not mismatch and not errors and all(same_tree(a / d, b / d) for d in compared.common_dirs)


def main():
    check = "--check" in sys.argv[1:]
    cases = {}
    for group in (java_cases, dotnet_cases, php_cases, docs_and_button_cases, node_cases):
        cases.update(group())
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "v2"
        for name, case in sorted(cases.items()):
            write_case(fresh, name, case)
        target = HERE / "v2"
        if check:
            # Node signatures are randomised: compare everything else.
            for sig in list(fresh.glob("*/sdk_signature.txt")):
                ours = target / sig.parent.name / sig.name
                if ours.is_file():
                    shutil.copyfile(ours, sig)
            if not target.is_dir() or not same_tree(fresh, target):
                sys.exit("v2 vectors are stale: run conformance/vectors/generate_v2.py")
            print(f"{len(cases)} v2 vectors up to date")
            return
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(fresh, target)
    print(f"wrote {len(cases)} v2 vectors")


if __name__ == "__main__":
    main()
