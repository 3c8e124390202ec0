"""The edges of the official Python SDK (PyPI ``amazon-pay`` 2.7.1) that the v1 oracle
scripts replace or watch, so that the SDK's own code computes everything else.

Only ``amazon_pay.payment_request`` is touched: its clock (``datetime``), and its signing
method (``PaymentRequest._sign``), which is wrapped to record the string to sign it is
given and the signature it returns, then called as it is.
"""
import datetime

from amazon_pay import payment_request


def freeze_clock(now):
    """Make the SDK's ``datetime.datetime.utcnow()`` return ``now`` (YYYY-MM-DDTHH:MM:SSZ),
    or restore the real clock when ``now`` is None."""
    if now is None:
        payment_request.datetime = datetime
        return
    frozen = datetime.datetime.strptime(now, "%Y-%m-%dT%H:%M:%SZ")

    class Frozen(datetime.datetime):
        @classmethod
        def utcnow(cls):
            return frozen

    class ClockModule:
        datetime = Frozen

    payment_request.datetime = ClockModule


_SDK_SIGN = payment_request.PaymentRequest._sign


def watch_signing():
    """Record every (string to sign, signature) the SDK computes, in order, into the
    returned list."""
    seen = []

    def sign(request, string_to_sign):
        signature = _SDK_SIGN(request, string_to_sign)
        seen.append((string_to_sign, signature))
        return signature

    payment_request.PaymentRequest._sign = sign
    return seen
