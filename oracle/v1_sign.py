#!/usr/bin/env python3
"""What the official Python SDK (PyPI amazon-pay 2.7.1) signs and sends for a v1 request.

Reads JSON on stdin: one request, or an array of requests (answered in one process, in the
same order). A request:
  {"method": "POST", "host": "mws.amazonservices.jp",
   "path": "/OffAmazonPayments_Sandbox/2013-01-01", "secret_key": "...",
   "params": {"Action": "...", ...},          every parameter you set (strings)
   "now": "2024-01-02T03:04:05Z",             optional: the clock, when params has no Timestamp
   "access_key": "...", "merchant_id": "..."} optional: AWSAccessKeyId / SellerId when absent
Prints for each: {"string_to_sign", "signature", "canonical_query" (the last line of the
string to sign), "query" (the form body the SDK posts, Signature last), "params" (every
parameter in that body, Signature included)}. Output is ASCII JSON.

The SDK's ``PaymentRequest._querystring`` does the work: it adds AWSAccessKeyId,
SignatureMethod, SignatureVersion, Version, Timestamp and (when absent) SellerId, lets the
given parameters override them, signs and encodes. The SDK only ever POSTs.
"""
import json
import sys
from urllib.parse import parse_qsl

from amazon_pay.payment_request import PaymentRequest
from amazon_pay.version import versions

import v1_edges


def sign(request):
    if request.get("method", "POST") != "POST":
        raise SystemExit("the SDK signs only POST requests, not %r" % request["method"])
    params = dict(request.get("params", {}))
    v1_edges.freeze_clock(request.get("now"))
    signed = v1_edges.watch_signing()
    config = {
        "mws_access_key": request.get("access_key", params.get("AWSAccessKeyId", "")),
        "mws_secret_key": request["secret_key"],
        "merchant_id": request.get("merchant_id", params.get("SellerId", "")),
        "api_version": params.get("Version", versions["api_version"]),
        "mws_endpoint": "https://" + request["host"] + request.get("path", ""),
        "headers": {},
        "handle_throttle": False,
    }
    body = PaymentRequest(params=params, config=config)._querystring(params).decode("utf-8")
    string_to_sign, signature = signed[-1]
    return {
        "string_to_sign": string_to_sign,
        "signature": signature,
        "canonical_query": string_to_sign.split("\n", 3)[3],
        "query": body,
        "params": dict(parse_qsl(body, keep_blank_values=True)),
    }


def main():
    given = json.load(sys.stdin)
    answer = [sign(r) for r in given] if isinstance(given, list) else sign(given)
    json.dump(answer, sys.stdout, ensure_ascii=True, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
