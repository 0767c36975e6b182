// Runs console/console.js in a bare VM context with a fake fetch and checks
// that API errors ({"error": {"code", "message"}}) reach the page as their
// message. Run: node --test backend/console_test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';

const source = readFileSync(new URL('./console/console.js', import.meta.url), 'utf8');

function load(response) {
  const ctx = {
    document: { addEventListener() {}, getElementById: () => ({ hidden: false, textContent: '' }) },
    fetch: async () => response,
  };
  vm.createContext(ctx);
  vm.runInContext(source, ctx);
  return ctx;
}

function reply(status, body) {
  return { status, ok: status < 300, statusText: 'Status ' + status, json: async () => JSON.parse(body) };
}

test('api throws the error message of the JSON error body', async () => {
  const ctx = load(reply(405, '{"error":{"code":"method_not_allowed","message":"use POST"}}'));
  await assert.rejects(ctx.api('GET', 'conversations/c1/reply'), { message: 'use POST' });
});

test('api falls back to the status text without a JSON body', async () => {
  const ctx = load({ status: 502, ok: false, statusText: 'Bad Gateway', json: async () => { throw new Error('not JSON'); } });
  await assert.rejects(ctx.api('GET', 'me'), { message: 'Bad Gateway' });
});
