#!/usr/bin/env python3
"""Signs many v1 requests in one process with the official Python SDK.

Each request goes through `sign` of the oracle's `v1_sign.py` (shared/oracle), the same
function that script's command line uses, so the results are the SDK's
(`amazon_pay.payment_request.PaymentRequest._querystring`). Batching only saves the
interpreter start-up per request.

Usage: <oracle>/.venv/bin/python batch_sign.py <oracle dir> < requests.json > results.json
Input: a JSON array of v1_sign.py inputs. Output: a JSON array of v1_sign.py outputs, same
order. Both are UTF-8; the output is ASCII-escaped so no locale can alter it.
"""
import json
import sys

sys.dont_write_bytecode = True  # leave the read-only oracle folder untouched
sys.path.insert(0, sys.argv[1])

import v1_sign  # noqa: E402  (found only after the path insert above)

requests = json.loads(sys.stdin.buffer.read().decode("utf-8"))
results = [v1_sign.sign(request) for request in requests]
sys.stdout.buffer.write(json.dumps(results, ensure_ascii=True).encode("ascii"))
