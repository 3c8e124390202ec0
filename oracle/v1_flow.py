#!/usr/bin/env python3
"""A merchant's flow run by the official Python SDK's client (PyPI amazon-pay 2.7.1) against a
running simulator over real HTTP, with nothing replaced but the endpoint URL. The SDK signs
with the machine's clock, as it would against Amazon.

Reads JSON on stdin:
  {"client": {...},     keyword arguments of amazon_pay.client.AmazonPayClient
   "endpoint": "http://127.0.0.1:PORT/OffAmazonPayments_Sandbox/2013-01-01",
   "steps": [           run in order:
     {"operation": "confirm_billing_agreement", "kwargs": {...}},   a client method
     {"control": "/__sandbox/clock", "json": {...}}]}   a POST to the simulator's control side
Prints: {"results": [...]}, one per step: for an operation {"success", "dict" (the
SDK's parsed answer)}, for a control step {"status", "json"}. Output is ASCII JSON.
"""
import json
import sys
from urllib.parse import urlsplit

import requests
from amazon_pay.client import AmazonPayClient


def run(spec):
    client = AmazonPayClient(**spec["client"])
    # The one change a merchant makes to reach the simulator.
    client._mws_endpoint = spec["endpoint"]
    parts = urlsplit(spec["endpoint"])
    base = "{}://{}".format(parts.scheme, parts.netloc)
    results = []
    for step in spec["steps"]:
        if "control" in step:
            answer = requests.post(base + step["control"], json=step.get("json", {}), timeout=30)
            results.append({"status": answer.status_code, "json": answer.json()})
            continue
        response = getattr(client, step["operation"])(**step.get("kwargs", {}))
        results.append({
            "success": response.success,
            "dict": response.to_dict(),
        })
    return {"results": results}


def main():
    json.dump(run(json.load(sys.stdin)), sys.stdout, ensure_ascii=True, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
