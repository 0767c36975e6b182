// Widget benchmark in Chromium against `lotse serve`, local engine beside
// the edge, measured in the same run:
//   - first answer: from the click on the launcher to the first answer shown
//     (cold: empty browser cache; warm: engine and model cached),
//   - per message: median over 200 messages of send -> reply rendered.
// Run: node widget/test/bench.mjs [--messages 200] [--cold 3] [--warm 5]
// (same environment as the tests: LOTSE_BIN, LOTSE_ASSETS). Prints a
// Markdown table and writes widget/test/artifacts/bench.json.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repo, startServer, launch, openPage, screenshotDir } from './harness.mjs';

if (process.env.NODE_TEST_CONTEXT) process.exit(0); // `node --test widget/test/` loads every file here

const arg = (name, def) => { const i = process.argv.indexOf('--' + name); return i > 0 ? +process.argv[i + 1] : def; };
const N = arg('messages', 200), COLD = arg('cold', 3), WARM = arg('warm', 5);
const QUESTION = 'wann muss ich meine rechnung bezahlen';

// Messages of the demo test set that the bot answers (not handoffs), cycled to N.
const lines = readFileSync(join(repo, 'testdata/bots/demo/test.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const texts = lines.filter((l) => l.expect !== 'out_of_scope' && (!l.pii || l.pii.length === 0)).map((l) => l.text);

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };

// firstAnswer clicks the launcher and sends QUESTION at once; in mode
// "browser" the widget waits for the engine, so this is open -> first local answer.
async function firstAnswer(context, base, mode) {
  const { page } = await openPage(context, base, 'test/hostile.html', { 'data-mode': mode });
  const r = await page.evaluate((q) => new Promise((ok) => {
    const t0 = performance.now();
    window.Lotse.on('reply', (e) => ok({ ms: performance.now() - t0, local: e.local }));
    document.querySelector('lotse-chat').shadowRoot.querySelector('.launch').click();
    window.Lotse.send(q);
  }), QUESTION);
  await page.close();
  return r;
}

async function perMessage(context, base, mode) {
  const { page } = await openPage(context, base, 'test/hostile.html', { 'data-mode': mode });
  await page.evaluate(() => document.querySelector('lotse-chat').shadowRoot.querySelector('.launch').click());
  if (mode === 'browser') await page.waitForFunction(() => window.Lotse.state.engine === 'browser', null, { timeout: 60_000 });
  const msgs = Array.from({ length: N }, (_, i) => texts[i % texts.length]);
  const r = await page.evaluate(async (msgs) => {
    const times = []; let local = 0;
    for (const text of msgs) {
      if (window.Lotse.state.state !== 'bot') window.Lotse.reset();
      const t0 = performance.now();
      const e = await new Promise((ok) => { const off = window.Lotse.on('reply', (e) => { off(); ok(e); }); window.Lotse.send(text); });
      times.push(performance.now() - t0);
      if (e.local) local++;
      // Let the answer render and a handoff's POST finish before the next message.
      do await new Promise((ok) => setTimeout(ok, 0)); while (window.Lotse.state.outbox > 0);
    }
    return { times, local };
  }, msgs);
  await page.close();
  return r;
}

const server = await startServer();
const result = { messages: N, cold: {}, warm: {}, per_message: {} };
try {
  for (const mode of ['browser', 'edge']) {
    const cold = [];
    for (let i = 0; i < COLD; i++) { // a fresh profile each: empty HTTP cache
      const b = await launch();
      try { cold.push(await firstAnswer(b.context, server.url, mode)); } finally { await b.close(); }
    }
    const b = await launch();
    try {
      await firstAnswer(b.context, server.url, mode); // fill the cache
      const warm = [];
      for (let i = 0; i < WARM; i++) warm.push(await firstAnswer(b.context, server.url, mode));
      const per = await perMessage(b.context, server.url, mode);
      result.cold[mode] = { median_ms: median(cold.map((x) => x.ms)), local: cold.every((x) => x.local) };
      result.warm[mode] = { median_ms: median(warm.map((x) => x.ms)), local: warm.every((x) => x.local) };
      result.per_message[mode] = { median_ms: median(per.times), p90_ms: pct(per.times, 0.9), p99_ms: pct(per.times, 0.99), local: per.local, n: per.times.length };
    } finally { await b.close(); }
  }
} finally { await server.stop(); }

const f = (x) => x.toFixed(2);
const pm = result.per_message;
console.log(`| widget in Chromium (loopback, ${N} messages) | local engine (wasm) | edge (/v1/chat) | edge / local |
| --- | ---: | ---: | ---: |
| open launcher -> first answer, cold cache (median of ${COLD}) | ${f(result.cold.browser.median_ms)} ms | ${f(result.cold.edge.median_ms)} ms | ${f(result.cold.edge.median_ms / result.cold.browser.median_ms)} |
| open launcher -> first answer, warm cache (median of ${WARM}) | ${f(result.warm.browser.median_ms)} ms | ${f(result.warm.edge.median_ms)} ms | ${f(result.warm.edge.median_ms / result.warm.browser.median_ms)} |
| per message, median | ${f(pm.browser.median_ms)} ms | ${f(pm.edge.median_ms)} ms | ${f(pm.edge.median_ms / pm.browser.median_ms)} |
| per message, p90 | ${f(pm.browser.p90_ms)} ms | ${f(pm.edge.p90_ms)} ms | ${f(pm.edge.p90_ms / pm.browser.p90_ms)} |
| per message, p99 | ${f(pm.browser.p99_ms)} ms | ${f(pm.edge.p99_ms)} ms | ${f(pm.edge.p99_ms / pm.browser.p99_ms)} |
| messages answered in the browser | ${pm.browser.local}/${pm.browser.n} | ${pm.edge.local}/${pm.edge.n} | |`);
writeFileSync(join(screenshotDir(), 'bench.json'), JSON.stringify(result, null, 2) + '\n');
