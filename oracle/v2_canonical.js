#!/usr/bin/env node
// What the official Node SDK for Amazon Pay API v2 (npm @amazonpay/amazon-pay-api-sdk-nodejs
// 2.3.4) hashes and signs for a request, and whether a given RSA-PSS signature verifies.
//
// Reads one JSON object on stdin, or an array of them (answered with an array, in order, by
// one process, so a differential test of a thousand requests starts Node once):
//   {"method": "POST", "url_fragment": "charges",     the path after /v2/
//    "query": {"k": "v"}, "headers": {"x-amz-pay-idempotency-key": "..."},   optional
//    "body": {...} or "body_raw": "exact text",        optional (JSON.stringify'd / as is)
//    "region": "jp", "sandbox": true, "public_key_id": "SANDBOX-...",
//    "algorithm": "AMZN-PAY-RSASSA-PSS" or "AMZN-PAY-RSASSA-PSS-V2",        optional
//    "private_key_pem": "...",                         optional: a fresh RSA-2048 key if absent
//    "now": "2024-01-02T03:04:05Z",                    optional: the SDK's clock
//    "verify": {"signature": "base64", "string_to_sign": "...", "public_key_pem": "..."}}
//                        optional; string_to_sign and public_key_pem default to the SDK's
//                        string to sign and the public half of the key
// Prints: {"canonical_uri", "canonical_request", "string_to_sign", "signed_headers",
//   "headers" (every header the SDK sends, authorization included), "sdk_signature",
//   "sdk_signature_verifies", "public_key_pem", and with "verify": "verifies"}.
//
// The SDK's public AmazonPayClient#getSignedHeaders does the work. To see what it hashes and
// signs, crypto.createHash and crypto.createSign are wrapped: each update() is recorded and
// passed on unchanged. PSS signatures are randomised, so they are verified, never compared.
'use strict';
const crypto = require('crypto');

// Salt lengths of the two algorithms (the SDK's constants.js).
const SALT_LENGTH = { 'AMZN-PAY-RSASSA-PSS': 20, 'AMZN-PAY-RSASSA-PSS-V2': 32 };

// What the SDK hashed and signed during the current request; emptied before each one. The
// wrappers are installed once (installing them per request would nest them).
const hashed = [];
const signed = [];

function recordUpdates(factory, into) {
  return function (...args) {
    const object = factory.apply(crypto, args);
    const update = object.update.bind(object);
    object.update = (data, encoding) => {
      into.push(String(data));
      return update(data, encoding);
    };
    return object;
  };
}
crypto.createHash = recordUpdates(crypto.createHash, hashed);
crypto.createSign = recordUpdates(crypto.createSign, signed);
const { AmazonPayClient } = require('@amazonpay/amazon-pay-api-sdk-nodejs');

// The machine's clock, or one frozen at an instant: always derived from the real Date, so
// freezing again for the next request of a batch replaces the previous freeze.
const RealDate = Date;
function setClock(iso) {
  if (!iso) {
    global.Date = RealDate;
    return;
  }
  const instant = new RealDate(iso).getTime();
  global.Date = class extends RealDate {
    constructor(...args) {
      super(...(args.length ? args : [instant]));
    }
    static now() {
      return instant;
    }
  };
}

function verifies(stringToSign, signature, publicKeyPem, algorithm) {
  const options = {
    key: publicKeyPem,
    padding: crypto.constants.RSA_PKCS1_PSS_PADDING,
    saltLength: SALT_LENGTH[algorithm],
  };
  return crypto.verify('sha256', Buffer.from(stringToSign, 'utf8'), options,
    Buffer.from(signature, 'base64'));
}

function canonical(input) {
  setClock(input.now);
  hashed.length = 0;
  signed.length = 0;
  const privateKeyPem = input.private_key_pem ||
    crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' });
  const publicKeyPem = crypto.createPublicKey(privateKeyPem)
    .export({ type: 'spki', format: 'pem' });
  const config = {
    publicKeyId: input.public_key_id,
    privateKey: privateKeyPem,
    region: input.region,
    sandbox: input.sandbox,
  };
  if (input.algorithm) config.algorithm = input.algorithm;
  const headers = new AmazonPayClient(config).getSignedHeaders({
    method: input.method,
    urlFragment: input.url_fragment,
    queryParams: input.query,
    headers: input.headers,
    payload: 'body_raw' in input ? input.body_raw : input.body,
  });

  // The SDK hashes the payload, then the canonical request, and signs the string to sign.
  const canonicalRequest = hashed[1];
  const stringToSign = signed[0];
  const algorithm = stringToSign.split('\n')[0];
  const [, signedHeaders, signature] =
    /SignedHeaders=(.*), Signature=(.*)$/.exec(headers.authorization);
  const output = {
    canonical_uri: canonicalRequest.split('\n')[1],
    canonical_request: canonicalRequest,
    string_to_sign: stringToSign,
    signed_headers: signedHeaders,
    headers,
    sdk_signature: signature,
    sdk_signature_verifies: verifies(stringToSign, signature, publicKeyPem, algorithm),
    public_key_pem: publicKeyPem,
  };
  if (input.verify) {
    const given = input.verify;
    output.verifies = verifies(given.string_to_sign || stringToSign, given.signature,
      given.public_key_pem || publicKeyPem, algorithm);
  }
  return output;
}

let text = '';
process.stdin.on('data', (chunk) => { text += chunk; });
process.stdin.on('end', () => {
  const input = JSON.parse(text);
  const output = Array.isArray(input) ? input.map(canonical) : canonical(input);
  process.stdout.write(JSON.stringify(output, null, 1) + '\n');
});
