#!/usr/bin/env python3
"""What one public method of the official Python SDK's client (PyPI amazon-pay 2.7.1) sends,
and how it retries and reads the answers you script. Nothing goes to the network.

Reads JSON on stdin:
  {"client": {...},        keyword arguments of amazon_pay.client.AmazonPayClient, e.g.
                           mws_access_key, mws_secret_key, merchant_id, region, currency_code,
                           sandbox, handle_throttle
   "operation": "authorize_on_billing_agreement",   the client method
   "kwargs": {...},        its keyword arguments
   "now": "2024-01-02T03:04:05Z",                   optional: the SDK's clock
   "responses": [{"status": 503, "body": ""}, ...]} optional: the answers, in order
                           (default: 200 with a minimal GetServiceStatusResponse)
Prints: {"requests": [{"url", "headers", "body", "params", "string_to_sign"}, ...] (one per
HTTP attempt), "sleeps": [seconds waited before each retry], "result": {"success",
"dict" (the SDK's parsed answer)}}. Output is ASCII JSON.

Replaced in amazon_pay.payment_request: requests.post (records the request, returns the next
scripted answer), time.sleep (records the delay) and, with "now", the clock.
"""
import json
import sys
from urllib.parse import parse_qsl

from amazon_pay import payment_request
from amazon_pay.client import AmazonPayClient

import v1_edges

SERVICE_STATUS = (
    '<GetServiceStatusResponse xmlns="http://mws.amazonservices.com/schema/OffAmazonPayments/'
    '2013-01-01"><GetServiceStatusResult><Status>GREEN</Status></GetServiceStatusResult>'
    "<ResponseMetadata><RequestId>oracle</RequestId></ResponseMetadata>"
    "</GetServiceStatusResponse>"
)


class Answer:
    """The part of a ``requests`` response the SDK reads."""

    def __init__(self, status, text):
        self.status_code = status
        self.text = text
        self.encoding = None


def call(spec):
    answers = list(spec.get("responses") or [])
    sent, sleeps = [], []

    class Requests:
        @staticmethod
        def post(url, data=None, headers=None, **_):
            body = data.decode("utf-8")
            sent.append({
                "url": url,
                "headers": dict(headers or {}),
                "body": body,
                "params": dict(parse_qsl(body, keep_blank_values=True)),
            })
            answer = answers.pop(0) if answers else {"status": 200, "body": SERVICE_STATUS}
            return Answer(answer["status"], answer.get("body", ""))

    class Time:
        @staticmethod
        def sleep(seconds):
            if seconds:
                sleeps.append(seconds)

    payment_request.requests = Requests
    payment_request.time = Time
    v1_edges.freeze_clock(spec.get("now"))
    signed = v1_edges.watch_signing()

    client = AmazonPayClient(**spec["client"])
    response = getattr(client, spec["operation"])(**spec.get("kwargs", {}))
    for request, (string_to_sign, _) in zip(sent, signed):
        request["string_to_sign"] = string_to_sign
    return {
        "requests": sent,
        "sleeps": sleeps,
        "result": {"success": response.success, "dict": response.to_dict()},
    }


def main():
    json.dump(call(json.load(sys.stdin)), sys.stdout, ensure_ascii=True, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
