#!/usr/bin/env bash
# Installs the oracle: the official Amazon Pay SDKs at pinned versions, from PyPI into .venv/
# and from npm into node_modules/ (both beside this script, git-ignored). Writes .installed
# last, after checking the versions, so tests never take a half-finished install for a whole.
# Needs python3 (3.8+, with venv), node (18+) and npm. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")"
rm -f .installed
PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check 'amazon-pay==2.7.1'
npm install --no-audit --no-fund --no-package-lock --loglevel=error
{
  .venv/bin/python -c 'from amazon_pay.version import versions; print("PyPI amazon-pay", versions["application_version"])'
  node -p '"npm @amazonpay/amazon-pay-api-sdk-nodejs " + require("@amazonpay/amazon-pay-api-sdk-nodejs/package.json").version'
} > .installed.tmp
mv .installed.tmp .installed
cat .installed
