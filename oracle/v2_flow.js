#!/usr/bin/env node
// The Saved Wallet setup-only flow through the official Node SDK for Amazon Pay API v2
// (npm @amazonpay/amazon-pay-api-sdk-nodejs 2.3.4), unmodified, pointed at a simulator with
// its own `overrideServiceUrl` (host:port; the SDK always speaks https).
//
// Reads on stdin: {"host": "127.0.0.1:PORT", "public_key_id", "private_key_pem", "region",
//   "store_id", "ca_pem"}. The buyer's step (choosing a payment method on Amazon's page) goes
// to the simulator's test endpoint over https, trusting the given CA.
// Prints the documents each call answered, by step name, with the HTTP status.
'use strict';
const https = require('https');
const { WebStoreClient } = require('@amazonpay/amazon-pay-api-sdk-nodejs');

function readStdin() {
  return new Promise((resolve) => {
    let text = '';
    process.stdin.on('data', (chunk) => { text += chunk; });
    process.stdin.on('end', () => resolve(JSON.parse(text)));
  });
}

function buyerChecksOut(input, redirectUrl) {
  const body = JSON.stringify({ region: input.region.toUpperCase(), redirectUrl });
  const [hostname, port] = input.host.split(':');
  return new Promise((resolve, reject) => {
    const request = https.request({
      hostname, port, path: '/__sandbox/v2/buyer/checkout', method: 'POST', ca: input.ca_pem,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    }, (response) => {
      let text = '';
      response.on('data', (chunk) => { text += chunk; });
      response.on('end', () => resolve({ status: response.statusCode, data: JSON.parse(text) }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

async function main() {
  const input = await readStdin();
  const client = new WebStoreClient({
    publicKeyId: input.public_key_id,
    privateKey: input.private_key_pem,
    region: input.region,
    sandbox: true,
    overrideServiceUrl: input.host,
  });
  const out = {};
  const step = async (name, call) => {
    const response = await call();
    out[name] = { status: response.status, data: response.data };
    return response.data;
  };
  const key = () => require('crypto').randomUUID().replace(/-/g, '');
  const session = await step('create_checkout_session', () => client.createCheckoutSession({
    storeId: input.store_id,
    chargePermissionType: 'PaymentMethodOnFile',
    paymentMethodOnFileMetadata: { setupOnly: true },
    paymentDetails: { paymentIntent: 'Confirm' },
    webCheckoutDetails: { checkoutResultReturnUrl: 'https://shop.example/return' },
  }, { 'x-amz-pay-idempotency-key': key() }));
  const id = session.checkoutSessionId;
  out.buyer = await buyerChecksOut(input, session.webCheckoutDetails.amazonPayRedirectUrl);
  await step('get_checkout_session', () => client.getCheckoutSession(id));
  const completed = await step('complete_checkout_session', () => client.completeCheckoutSession(id, {}));
  const permissionId = completed.chargePermissionId;
  await step('get_charge_permission', () => client.getChargePermission(permissionId));
  const amount = input.region === 'jp' ? '3980' : '39.80';
  const currency = { jp: 'JPY', eu: 'EUR', na: 'USD' }[input.region];
  const charge = await step('create_charge', () => client.createCharge({
    chargePermissionId: permissionId,
    chargeAmount: { amount, currencyCode: currency },
    captureNow: true,
    chargeInitiator: 'MITU',
    channel: 'Web',
  }, { 'x-amz-pay-idempotency-key': key() }));
  await step('get_charge', () => client.getCharge(charge.chargeId));
  const refund = await step('create_refund', () => client.createRefund({
    chargeId: charge.chargeId,
    refundAmount: { amount, currencyCode: currency },
  }, { 'x-amz-pay-idempotency-key': key() }));
  await step('get_refund', () => client.getRefund(refund.refundId));
  process.stdout.write(JSON.stringify(out));
}

main().catch((e) => {
  const detail = e.response ? `HTTP ${e.response.status}: ${JSON.stringify(e.response.data)}` : String(e);
  process.stderr.write(detail + '\n');
  process.exit(1);
});
