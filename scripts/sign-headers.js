#!/usr/bin/env node
// Prints curl -H arguments that sign a body the way a source system does (Standard Webhooks), with
// the source signing secret from .n8n-local/ (or WEBHOOK_SOURCE_SIGNING_SECRET). The secret itself is never printed.
//   curl ... $(node scripts/sign-headers.js "$body") -d "$body"
const { createHmac, randomBytes } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const body = process.argv[2];
if (body === undefined) {
	console.error('usage: node scripts/sign-headers.js <body>');
	process.exit(2);
}
const secret =
	process.env.WEBHOOK_SOURCE_SIGNING_SECRET ||
	JSON.parse(readFileSync(join(__dirname, '..', '.n8n-local', 'webhook-notifications.secrets.json'), 'utf8')).sourceSigningSecret;
const id = `msg_${randomBytes(12).toString('hex')}`;
const timestamp = Math.floor(Date.now() / 1000);
const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
process.stdout.write(`-H webhook-id:${id} -H webhook-timestamp:${timestamp} -H webhook-signature:v1,${signature}\n`);
