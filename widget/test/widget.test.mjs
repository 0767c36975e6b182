// Browser tests of the widget: Debian chromium driven by playwright-core
// against `lotse serve`. Run: node --test widget/test/
// Needs build/ with engine.wasm, wasm_exec.js, widget.js and demo.lotse
// (make wasm), or LOTSE_ASSETS=dir. Screenshots go to widget/test/artifacts/.

import { describe, it, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, resolve } from 'node:path';
import { repo, startServer, launch, openPage, openPage as openPageOn, W, ask, consoleAPI, screenshotDir, sleep } from './harness.mjs';

const shadowCount = (page, sel) => page.evaluate((s) => document.querySelector('lotse-chat').shadowRoot.querySelectorAll(s).length, sel);
const isWasmOrModel = (u) => /\/engine\.wasm$|\.lotse$|\/wasm_exec\.js$/.test(new URL(u).pathname);
const chatRequests = (reqs, since = 0) => reqs.filter((r) => r.t >= since && r.method === 'POST' && new URL(r.url).pathname === '/v1/chat');
const healthRequests = (reqs) => reqs.filter((r) => new URL(r.url).pathname === '/v1/health');
const handoffRequests = (reqs) => reqs.filter((r) => r.method === 'POST' && new URL(r.url).pathname === '/v1/handoff');
const waitEngine = (page) => page.waitForFunction(() => window.Lotse.state.engine === 'browser', null, { timeout: 30_000 });
// The privacy note: a status note, not the one saying who answers.
const privacyNote = 'lotse-chat .note[role=status]:not(.state)';
const storage = (page) => page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length, cookie: document.cookie }));

describe('widget.js size', () => {
  it('is under 25 KB gzip', () => {
    const src = readFileSync(join(repo, 'widget', 'widget.js'));
    const gz = gzipSync(src, { level: 9 }).length;
    console.log(`# widget.js: ${src.length} bytes, ${gz} bytes gzip (limit 25600)`);
    assert.ok(gz < 25 * 1024, `widget.js is ${gz} bytes gzip`);
  });
});

describe('widget on the demo bot', () => {
  let server, browser, page, requests, errors, convID, engineAt;
  const shots = screenshotDir();
  before(async () => {
    server = await startServer();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('embeds on a hostile-CSS page without fetching the engine or storing anything', async () => {
    ({ page, requests, errors } = await openPage(browser.context, server.url, 'test/hostile.html'));
    const box = await page.locator(W.launcher).boundingBox();
    assert.ok(box && box.width >= 44 && box.height >= 44, `launcher box ${JSON.stringify(box)}`);
    assert.equal(await page.locator(W.panel).isVisible(), false);
    await sleep(300);
    assert.deepEqual(requests.filter((r) => isWasmOrModel(r.url)).map((r) => r.url), [], 'engine fetched before the first open');
    assert.deepEqual(await storage(page), { local: 0, session: 0, cookie: '' });
    await page.screenshot({ path: join(shots, 'closed.png') });
  });

  it('opens as an accessible dialog and loads the engine in the background', async () => {
    await page.click(W.launcher);
    assert.equal(await page.locator(W.panel).isVisible(), true);
    assert.equal(await page.locator(W.panel).getAttribute('role'), 'dialog');
    assert.equal(await page.locator(W.log).getAttribute('aria-live'), 'polite');
    assert.equal(await page.locator(W.launcher).getAttribute('aria-expanded'), 'true');
    const focused = await page.evaluate(() => document.querySelector('lotse-chat').shadowRoot.activeElement?.tagName);
    assert.equal(focused, 'TEXTAREA');
    await waitEngine(page);
    engineAt = Date.now();
    // By the immutable paths the health answer lists, asked for once.
    assert.deepEqual(requests.filter((r) => isWasmOrModel(r.url)).map((r) => new URL(r.url).pathname.replace(/[0-9a-f]{16}/, 'H')).sort(),
      ['/v/H/engine.wasm', '/v/H/model.lotse', '/v/H/wasm_exec.js'], 'engine not fetched by its versioned paths on open');
    assert.equal(healthRequests(requests).length, 1);
    assert.deepEqual(await storage(page), { local: 0, session: 0, cookie: '' }, 'storage used before the first message');
  });

  it('answers a German and an English FAQ locally, without /v1/chat', async () => {
    const de = await ask(page, 'wann muss ich meine rechnung bezahlen');
    assert.match(de, /30 Tage/);
    const en = await ask(page, 'how do I return an item');
    assert.match(en, /return/i);
    assert.deepEqual(chatRequests(requests, engineAt), [], 'a /v1/chat request after the engine loaded');
    assert.ok(await shadowCount(page, '.m.bot strong') >= 2, 'markdown bold not rendered');
    const saved = await page.evaluate(() => JSON.parse(localStorage.getItem('lotse:demo')));
    assert.equal(saved.msgs.length, 4, 'conversation persisted after the first message');
    convID = saved.id;
    await page.screenshot({ path: join(shots, 'open.png') });
  });

  it('keeps focus in the dialog, sends on Enter and closes on Escape', async () => {
    for (let i = 0; i < 6; i++) await page.keyboard.press('Tab');
    const inside = await page.evaluate(() => {
      const r = document.querySelector('lotse-chat').shadowRoot;
      return r.querySelector('.panel').contains(r.activeElement);
    });
    assert.ok(inside, 'Tab left the dialog');
    await page.keyboard.press('Escape');
    assert.equal(await page.locator(W.panel).isVisible(), false);
    const focused = await page.evaluate(() => document.querySelector('lotse-chat').shadowRoot.activeElement?.className);
    assert.equal(focused, 'launch', 'focus did not return to the launcher');
    await page.keyboard.press('Enter');
    assert.equal(await page.locator(W.panel).isVisible(), true);
  });

  it('has no serious or critical axe-core violations', async () => {
    await page.addScriptTag({ path: join(repo, 'node_modules', 'axe-core', 'axe.min.js') });
    // The hostile CSS (* { all: unset }) would show the inline script's 500 KB as page text.
    await page.evaluate(() => document.querySelectorAll('script:not([src])').forEach((s) => s.remove()));
    const result = await page.evaluate(async () => {
      const r = await window.axe.run({ include: [['lotse-chat']] }, { resultTypes: ['violations'] });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help }));
    });
    console.log(`# axe: ${result.length} violations ${JSON.stringify(result)}`);
    const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(bad, []);
  });

  it('hands an out-of-scope question to a person', async () => {
    // A slow handoff: the widget must not listen before the backend holds
    // the conversation, which answers 404 until then.
    const slow = async (route) => { await sleep(500); await route.continue(); };
    await page.route('**/v1/handoff', slow);
    await ask(page, 'what will the weather be like in Berlin tomorrow', { expect: 'handoff' });
    await page.waitForFunction(() => window.Lotse.state.outbox === 0, null, { timeout: 20_000 });
    await page.unroute('**/v1/handoff', slow);
    const status = await page.locator(W.status).textContent();
    assert.match(status, /person/i);
    assert.equal(handoffRequests(requests).length, 1);
    assert.deepEqual(chatRequests(requests, engineAt), [], 'the out-of-scope question went to /v1/chat');
    // A refused stream falls back to long-poll for good.
    const events = requests.filter((r) => /\/events\?/.test(r.url));
    assert.ok(events.length > 0, 'no events requested');
    assert.deepEqual(events.filter((r) => /state=/.test(r.url)).map((r) => r.url), [], 'long-polled instead of streaming');
    const t = await consoleAPI(server.url, `/conversations/${convID}`);
    assert.equal(t.conversation.state, 'pending');
    assert.equal(t.conversation.reason, 'out_of_scope');
    assert.deepEqual(t.messages.map((m) => m.role), ['visitor', 'bot', 'visitor', 'bot', 'visitor']);
    await page.screenshot({ path: join(shots, 'handoff.png') });
  });

  it('shows the agent reply live', async () => {
    const queue = await consoleAPI(server.url, '/conversations?state=pending');
    assert.ok(queue.conversations.some((c) => c.id === convID), 'conversation not in the pending queue');
    await consoleAPI(server.url, `/conversations/${convID}/reply`, { text: 'Hi, this is **Anna** from the service team.' });
    await page.waitForFunction(() => document.querySelector('lotse-chat').shadowRoot.querySelector('.m.agent'), null, { timeout: 20_000 });
    assert.match(await page.locator('lotse-chat .m.agent').textContent(), /Anna/);
    await page.waitForFunction(() => window.Lotse.state.state === 'open', null, { timeout: 20_000 });
    assert.match(await page.locator(W.status).textContent(), /joined/);
    await page.screenshot({ path: join(shots, 'agent.png') });
  });

  it('restores the conversation after a reload', async () => {
    const before = await page.$$eval('lotse-chat .m', (ns) => ns.map((n) => n.textContent));
    await page.reload();
    await page.waitForFunction(() => window.Lotse && document.querySelector('lotse-chat'));
    await page.click(W.launcher);
    const after = await page.$$eval('lotse-chat .m', (ns) => ns.map((n) => n.textContent));
    assert.deepEqual(after, before);
    assert.equal(await page.evaluate(() => window.Lotse.state.conversation), convID);
  });

  it('queues a message while offline and delivers it exactly once', async () => {
    const text = 'sent while offline ' + Date.now();
    await browser.context.setOffline(true);
    await page.fill(W.input, text);
    await page.press(W.input, 'Enter');
    await page.waitForFunction(() => window.Lotse.state.outbox === 1);
    // The first attempt fails offline and marks the message; waited for, as
    // a fixed pause was a guess at how long that takes on a loaded machine.
    await page.locator('lotse-chat .m.visitor >> nth=-1').filter({ hasText: /Waiting to be sent/ }).waitFor({ timeout: 10_000 });
    assert.equal(await page.locator('lotse-chat .note[role=alert]').isVisible(), true, 'offline note hidden');
    await browser.context.setOffline(false);
    await page.waitForFunction(() => window.Lotse.state.outbox === 0, null, { timeout: 30_000 });
    const t = await consoleAPI(server.url, `/conversations/${convID}`);
    assert.equal(t.messages.filter((m) => m.text === text).length, 1, 'queued message not stored exactly once');
    // The visitor's own message comes back on the event stream; it must not appear twice.
    await sleep(1000);
    assert.equal(await page.locator('lotse-chat .m.visitor', { hasText: text }).count(), 1);
  });

  it('raised no page errors', () => assert.deepEqual(errors, []));
});

describe('personal data, CSP and long conversations', () => {
  let server, browser;
  before(async () => { server = await startServer(); browser = await launch(); });
  after(async () => { await browser?.close(); await server?.stop(); });

  it('is detected in the browser and goes to a person, never to /v1/chat', async () => {
    // data-no-sse: agent replies by long-poll, the fallback when SSE is refused.
    const { page, requests } = await openPage(browser.context, server.url, 'test/hostile.html', { 'data-lang': 'de', 'data-no-sse': '1' });
    await page.click(W.launcher);
    await waitEngine(page);
    await ask(page, 'Meine IBAN ist DE89 3704 0044 0532 0130 00, bitte Lastschrift ändern', { expect: 'handoff' });
    await page.waitForFunction(() => window.Lotse.state.outbox === 0, null, { timeout: 20_000 });
    assert.deepEqual(chatRequests(requests), []);
    assert.equal(handoffRequests(requests).length, 1);
    assert.match(await page.locator('lotse-chat .note', { hasText: 'persönliche Daten' }).textContent(), /Serviceteam/);
    assert.doesNotMatch(await page.locator(privacyNote).textContent(), /Kartennummern/, 'an IBAN is no card number');
    const id = await page.evaluate(() => window.Lotse.state.conversation);
    const t = await consoleAPI(server.url, `/conversations/${id}`);
    assert.equal(t.conversation.reason, 'personal_data');
    assert.match(t.messages[0].text, /DE89/);
    await consoleAPI(server.url, `/conversations/${id}/reply`, { text: 'Danke, ich ändere das für dich.' });
    await page.waitForFunction(() => document.querySelector('lotse-chat').shadowRoot.querySelector('.m.agent'), null, { timeout: 20_000 });
    assert.ok(requests.some((r) => /\/events\?after=\d+&state=/.test(r.url)), 'no long-poll request');
    await consoleAPI(server.url, `/conversations/${id}/resolve`, {});
    await page.waitForFunction(() => window.Lotse.state.state === 'resolved', null, { timeout: 30_000 });
    assert.match(await page.locator(W.status).textContent(), /abgeschlossen/);
    assert.equal(await page.locator('lotse-chat .again').isVisible(), true);
  });

  it('answers through the edge and fetches no engine until the chat is opened', async () => {
    const { page, requests } = await openPage(browser.context, server.url, 'test/hostile.html');
    const reply = page.evaluate(() => new Promise((ok) => window.Lotse.on('reply', ok)));
    await page.evaluate(() => window.Lotse.send('how do I return an item'));
    assert.equal((await reply).local, false);
    assert.equal(chatRequests(requests).length, 1);
    assert.deepEqual(requests.filter((r) => isWasmOrModel(r.url)).map((r) => r.url), []);
    await page.click(W.launcher);
    await waitEngine(page);
    await ask(page, 'how do I return an item');
    assert.equal(chatRequests(requests).length, 1, 'a /v1/chat request after the engine loaded');
  });

  it('loads the engine under a Trusted Types CSP that allows its policy', async () => {
    const csp = "script-src 'self' 'wasm-unsafe-eval'; require-trusted-types-for 'script'; trusted-types lotse-widget";
    const { page, requests, errors } = await openPage(browser.context, server.url, 'test/hostile.html', {}, { csp });
    await page.click(W.launcher);
    await waitEngine(page);
    assert.match(await ask(page, 'how do I return an item'), /return/i);
    assert.deepEqual(chatRequests(requests), []);
    assert.deepEqual(errors, []);
  });

  it('hands off a long conversation whole', async () => {
    const { page } = await openPage(browser.context, server.url, 'test/hostile.html');
    await page.click(W.launcher);
    await waitEngine(page);
    for (let i = 0; i < 30; i++) await ask(page, i % 2 ? 'how do I return an item' : 'wann muss ich meine rechnung bezahlen');
    await ask(page, 'what will the weather be like in Berlin tomorrow', { expect: 'handoff' });
    await page.waitForFunction(() => window.Lotse.state.outbox === 0, null, { timeout: 20_000 });
    assert.equal(await page.locator('lotse-chat .m.x').count(), 0, 'handoff failed');
    const t = await consoleAPI(server.url, `/conversations/${await page.evaluate(() => window.Lotse.state.conversation)}`);
    assert.equal(t.messages.length, 61, 'the agent got only part of the conversation');
    assert.match(t.messages[t.messages.length - 1].text, /weather/);
  });

  it('stays on the edge when the page CSP forbids WebAssembly', async () => {
    const csp = "default-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self'; style-src 'unsafe-inline'";
    const { page, requests, errors } = await openPage(browser.context, server.url, 'test/hostile.html', {}, { csp });
    const engine = page.evaluate(() => new Promise((ok) => window.Lotse.on('engine', ok)));
    await page.click(W.launcher);
    const e = await engine;
    assert.equal(e.engine, 'edge', 'engine loaded although CSP forbids wasm');
    const answer = await ask(page, 'how do I return an item');
    assert.match(answer, /return/i);
    assert.equal(chatRequests(requests).length, 1);
    assert.equal(await page.locator('lotse-chat .m.x').count(), 0);
    assert.deepEqual(errors, []);
  });

  it('loads the engine under the documented CSP', async () => {
    const csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; img-src 'self'; style-src 'unsafe-inline'";
    const { page, requests } = await openPage(browser.context, server.url, 'test/hostile.html', {}, { csp });
    await page.click(W.launcher);
    await waitEngine(page);
    await ask(page, 'how do I return an item');
    assert.deepEqual(chatRequests(requests), []);
  });
});

// watch collects what a visitor's console shows: messages of type error or
// warning (a 404 is one: "Failed to load resource") and failed responses.
function watch(page) {
  const w = { logs: [], failed: [] };
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') w.logs.push(m.text()); });
  page.on('response', (r) => { if (r.status() >= 400) w.failed.push(r.status() + ' ' + r.url()); });
  return w;
}

describe('an endpoint that serves no engine.wasm (as the Worker)', () => {
  let server, browser;
  before(async () => { server = await startServer({ noEngine: true }); browser = await launch(); });
  after(async () => { await browser?.close(); await server?.stop(); });

  it('stays on the edge in auto mode without asking for the engine or logging anything', async () => {
    const { page, requests, errors } = await openPage(browser.context, server.url, 'test/hostile.html');
    const w = watch(page);
    const engine = page.evaluate(() => new Promise((ok) => window.Lotse.on('engine', ok)));
    await page.click(W.launcher);
    const e = await engine;
    assert.equal(e.engine, 'edge');
    assert.match(e.error, /serves no engine\.wasm/);
    assert.match(await ask(page, 'how do I return an item'), /return/i);
    await page.keyboard.press('Escape');
    await page.click(W.launcher); // a second open asks nothing again
    assert.match(await ask(page, 'wann muss ich meine rechnung bezahlen'), /30 Tage/);
    assert.equal(chatRequests(requests).length, 2);
    assert.deepEqual(requests.filter((r) => isWasmOrModel(r.url)).map((r) => r.url), [], 'engine files requested');
    assert.equal(healthRequests(requests).length, 1);
    assert.equal(await page.evaluate(() => window.Lotse.state.engine), 'edge');
    assert.deepEqual(w.failed, []);
    assert.deepEqual(w.logs, []);
    assert.deepEqual(errors, []);
  });

  it('says once on the console why data-mode="browser" answers through the edge', async () => {
    const { page, requests, errors } = await openPage(browser.context, server.url, 'test/hostile.html', { 'data-mode': 'browser' });
    const w = watch(page);
    await page.click(W.launcher);
    assert.match(await ask(page, 'how do I return an item'), /return/i);
    assert.match(await ask(page, 'wann muss ich meine rechnung bezahlen'), /30 Tage/);
    assert.equal(chatRequests(requests).length, 2);
    assert.deepEqual(requests.filter((r) => isWasmOrModel(r.url)).map((r) => r.url), [], 'engine files requested');
    assert.deepEqual(w.failed, []);
    assert.equal(w.logs.length, 1, 'console: ' + JSON.stringify(w.logs));
    assert.match(w.logs[0], /data-mode="browser".*serves no engine\.wasm.*data-wasm/);
    assert.deepEqual(errors, []);
  });

  it('loads the engine from data-wasm without asking /v1/health', async () => {
    // engine.wasm and wasm_exec.js from "elsewhere": the page's own origin here.
    const build = resolve(repo, process.env.LOTSE_ASSETS || 'build');
    const { page, requests, errors } = await openPage(browser.context, server.url, 'test/hostile.html',
      { 'data-wasm': '/__test/cdn/engine.wasm', 'data-wasm-exec': '/__test/cdn/wasm_exec.js' });
    await page.route(server.url + '/__test/cdn/engine.wasm', (r) => r.fulfill({ status: 200, contentType: 'application/wasm', body: readFileSync(join(build, 'engine.wasm')) }));
    await page.route(server.url + '/__test/cdn/wasm_exec.js', (r) => r.fulfill({ status: 200, contentType: 'text/javascript', body: readFileSync(join(build, 'wasm_exec.js')) }));
    const w = watch(page);
    await page.click(W.launcher);
    await waitEngine(page);
    assert.match(await ask(page, 'how do I return an item'), /return/i);
    assert.deepEqual(chatRequests(requests), [], 'answered through the edge');
    assert.deepEqual(healthRequests(requests), []);
    assert.deepEqual(requests.filter((r) => isWasmOrModel(r.url)).map((r) => new URL(r.url).pathname).sort(),
      ['/__test/cdn/engine.wasm', '/__test/cdn/wasm_exec.js', '/model.lotse']);
    assert.deepEqual(w.failed, []);
    assert.deepEqual(errors, []);
  });
});

describe('answers that try to run code', () => {
  let server, browser;
  before(async () => {
    server = await startServer({ bot: 'widget/test/hostile-bot/bot.yaml' });
    browser = await launch();
  });
  after(async () => { await browser?.close(); await server?.stop(); });

  for (const mode of ['browser', 'edge']) {
    it(`stay inert (mode ${mode})`, async () => {
      const { page, errors, requests } = await openPage(browser.context, server.url, 'test/hostile.html', { 'data-bot': 'hostile', 'data-mode': mode });
      await page.click(W.launcher);
      const img = await ask(page, 'show me a picture');
      assert.match(img, /<img src=x onerror=/, 'the markup should show as text');
      assert.match(await page.locator('lotse-chat .m.bot strong >> nth=-1').textContent(), /bold/);
      await ask(page, 'give me a link');
      const links = await page.$$eval('lotse-chat .m a', (as) => as.map((a) => ({ href: a.getAttribute('href'), rel: a.rel, target: a.target })));
      assert.deepEqual(links, [{ href: 'https://zahlfix.example/help', rel: 'noopener noreferrer', target: '_blank' }]);
      assert.equal(await page.evaluate(() => document.querySelector('lotse-chat').shadowRoot.querySelectorAll('img,script,iframe,[onerror]').length), 0);
      await page.locator('lotse-chat .m.bot >> nth=-1').getByText('here').click();
      await sleep(300);
      assert.equal(await page.evaluate(() => window.__pwned), undefined);
      assert.equal(page.url().startsWith(server.url), true);
      assert.equal(chatRequests(requests).length, mode === 'edge' ? 2 : 0, 'answered by the wrong engine');
      assert.deepEqual(errors, []);
    });
  }
});

describe('demo page on a small screen', () => {
  let server, browser;
  before(async () => { server = await startServer(); browser = await launch({ viewport: { width: 320, height: 640 } }); });
  after(async () => { await browser?.close(); await server?.stop(); });

  it('fills a 320 px screen without horizontal overflow', async () => {
    const page = await browser.context.newPage();
    const missing = [];
    page.on('response', (r) => { if (r.status() >= 400) missing.push(r.status() + ' ' + r.url()); });
    await page.goto(server.url + '/');
    await page.waitForFunction(() => window.Lotse && document.querySelector('lotse-chat'));
    await page.click(W.launcher);
    assert.match(await page.locator('lotse-chat .log > .m.bot >> nth=0').textContent(), /Frag mich alles zu Zahlungen/, "the demo's own greeting");
    const box = await page.locator(W.panel).boundingBox();
    assert.deepEqual([box.x, box.width], [0, 320]);
    const overflow = await page.evaluate(() => {
      const r = document.querySelector('lotse-chat').shadowRoot;
      return [...r.querySelectorAll('.panel *')].filter((n) => n.getBoundingClientRect().right > 320.5).map((n) => n.className);
    });
    assert.deepEqual(overflow, []);
    assert.equal(await page.locator(W.input).isVisible(), true);
    assert.equal(await page.locator(W.launcher).isVisible(), false, 'the launcher would cover the send button');
    await ask(page, 'wie kann ich einen artikel zurückgeben');
    await page.screenshot({ path: join(screenshotDir(), 'mobile-320.png') });
    await page.addScriptTag({ path: join(repo, 'node_modules', 'axe-core', 'axe.min.js') });
    const bad = await page.evaluate(async () => (await window.axe.run({ include: [['lotse-chat']] }, { resultTypes: ['violations'] }))
      .violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id));
    assert.deepEqual(bad, []);
    assert.deepEqual(missing, [], 'the demo page requested something missing');
    // Headless Chromium fetches no favicon, a desktop one asks for /favicon.ico (a 404)
    // unless the page declares an icon.
    assert.equal(await page.evaluate(() => document.querySelector('link[rel=icon]')?.getAttribute('href')), 'data:,');
  });
});

describe('audit fixes: handoff answers, history, masked storage, language, waiting', () => {
  let server, browser;
  before(async () => { server = await startServer(); browser = await launch(); });
  after(async () => { await browser?.close(); await server?.stop(); });
  const texts = (page, sel = '.m') => page.$$eval('lotse-chat ' + sel, (ns) => ns.map((n) => n.textContent));
  const stored = (page) => page.evaluate(() => localStorage.getItem('lotse:demo'));
  const settled = (page) => page.waitForFunction(() => window.Lotse.state.outbox === 0, null, { timeout: 20_000 });
  // handedOff opens the chat in edge mode, asks what the bot cannot answer
  // and waits until the handoff is delivered; it returns the page and the
  // conversation's id.
  const handedOff = async (question) => {
    const { page } = await openPage(browser.context, server.url, 'test/hostile.html', { 'data-mode': 'edge' });
    await page.click(W.launcher);
    await ask(page, question, { expect: 'handoff' });
    await settled(page);
    return { page, id: await page.evaluate(() => window.Lotse.state.conversation) };
  };
  // Each pending conversation's page holds an event stream, one of Chromium's
  // 6 connections per host: close the pages of finished tests.
  const opened = [];
  const openPage = async (...args) => { const r = await openPageOn(...args); opened.push(r.page); return r; };
  afterEach(async () => { for (const p of opened.splice(0)) await p.close(); });

  for (const mode of ['edge', 'browser']) {
    it(`shows a handoff intent's answer before handing off (mode ${mode})`, async () => {
      const { page, requests } = await openPage(browser.context, server.url, 'test/hostile.html', { 'data-lang': 'de', 'data-mode': mode });
      await page.click(W.launcher);
      if (mode === 'browser') await waitEngine(page);
      await ask(page, 'ich habe diesen kauf nicht gemacht', { expect: 'handoff' });
      await settled(page);
      const log = await page.$$eval('lotse-chat .m', (ns) => ns.map((n) => n.className + ' ' + n.textContent));
      assert.match(log[log.length - 2], /^m visitor .*ich habe diesen kauf nicht gemacht/);
      assert.match(log[log.length - 1], /^m bot Assistent:Bitte sperre zuerst deine Karte/);
      assert.equal(await page.locator('lotse-chat .m.bot >> nth=-1').locator('strong').textContent(), 'Karte > Sperren');
      assert.match(await page.locator(W.status).textContent(), /verbinden/);
      assert.equal(chatRequests(requests).length, mode === 'edge' ? 1 : 0);
      const t = await consoleAPI(server.url, `/conversations/${await page.evaluate(() => window.Lotse.state.conversation)}`);
      assert.equal(t.conversation.reason, 'handoff_intent');
      assert.deepEqual(t.messages.map((m) => m.role), ['visitor', 'bot'], 'the agent should see what the visitor was told');
      assert.match(t.messages[1].text, /Karte > Sperren/);
    });
  }

  it('shows no typing dots while waiting for a person, and says the visitor may come back', async () => {
    const { page } = await openPage(browser.context, server.url, 'test/hostile.html', { 'data-mode': 'edge' });
    await page.click(W.launcher);
    await ask(page, 'what will the weather be like in Berlin tomorrow', { expect: 'handoff' });
    await settled(page);
    await sleep(1500);
    assert.equal(await page.evaluate(() => window.Lotse.state.state), 'pending');
    assert.equal(await page.locator('lotse-chat .typing').isVisible(), false, 'typing dots while no one writes');
    assert.match(await page.locator(W.status).textContent(), /Connecting you.*close this page and come back later/);
  });

  it("follows the language of the visitor's last reply for its own texts", async () => {
    const { page } = await openPage(browser.context, server.url, 'demo.html', { 'data-mode': 'browser' });
    await page.click(W.launcher);
    assert.equal(await page.locator(W.input).getAttribute('placeholder'), 'Deine Nachricht');
    await waitEngine(page);
    await ask(page, 'how do I return an item');
    assert.equal(await page.locator(W.input).getAttribute('placeholder'), 'Your message');
    assert.deepEqual([...new Set(await texts(page, '.m.bot .who'))], ['Assistant:']);
    assert.equal(await page.locator('lotse-chat h2').textContent(), 'Customer service chat');
    assert.equal(await page.locator(W.launcher).getAttribute('aria-label'), 'Close chat');
    await ask(page, 'what will the weather be like in Berlin tomorrow', { expect: 'handoff' });
    assert.match(await page.locator(W.status).textContent(), /^Connecting you.*come back later/);
    await page.reload();
    await page.waitForFunction(() => window.Lotse && document.querySelector('lotse-chat'));
    assert.equal(await page.locator(W.input).getAttribute('placeholder'), 'Your message', 'language lost on reload');
  });

  it('stores and restores messages with personal data masked, sending them unchanged', async () => {
    const { page } = await openPage(browser.context, server.url, 'test/hostile.html', { 'data-mode': 'browser' });
    await page.click(W.launcher);
    await waitEngine(page);
    const iban = 'My IBAN is DE89 3704 0044 0532 0130 00, please change my direct debit';
    const phone = 'Jürgen here, please call me back at 0171 2345678'; // the engine's byte offsets differ from JS indices here
    await ask(page, iban, { expect: 'handoff' });
    await settled(page);
    await page.fill(W.input, phone);
    await page.press(W.input, 'Enter');
    await settled(page);
    const t = await consoleAPI(server.url, `/conversations/${await page.evaluate(() => window.Lotse.state.conversation)}`);
    assert.deepEqual(t.messages.map((m) => m.text), [iban, phone], 'the edge must get the text as typed');
    assert.deepEqual(await texts(page, '.m.visitor'), ['You:' + iban, 'You:' + phone], 'live session shows what was typed');
    const s = await stored(page);
    assert.ok(!/DE89|2345678/.test(s), 'personal data in localStorage: ' + s);
    assert.ok(s.includes('My IBAN is [IBAN], please change my direct debit'), s);
    assert.ok(s.includes('Jürgen here, please call me back at [PHONE]'), s);
    await page.reload();
    await page.waitForFunction(() => window.Lotse && document.querySelector('lotse-chat'));
    assert.deepEqual(await texts(page, '.m.visitor'), ['You:My IBAN is [IBAN], please change my direct debit', 'You:Jürgen here, please call me back at [PHONE]']);
  });

  it('keeps the resolved conversation visible above a divider when the visitor writes again', async () => {
    const { page, id } = await handedOff('what will the weather be like in Berlin tomorrow');
    await consoleAPI(server.url, `/conversations/${id}/reply`, { text: 'Sunny, I am told.' });
    await page.waitForFunction(() => document.querySelector('lotse-chat').shadowRoot.querySelector('.m.agent'), null, { timeout: 20_000 });
    await consoleAPI(server.url, `/conversations/${id}/resolve`, {});
    await page.waitForFunction(() => window.Lotse.state.state === 'resolved', null, { timeout: 30_000 });
    const shown = () => page.$$eval('lotse-chat .log > *', (ns) => ns.filter((n) => !n.hidden).map((n) => n.className + '|' + n.textContent));
    const old = (await shown()).filter((x) => x.startsWith('m '));
    assert.equal(old.length, 3, 'greeting, question, agent reply');
    await page.fill(W.input, 'how do I return an item');
    await page.press(W.input, 'Enter');
    await page.waitForFunction(() => window.Lotse.state.messages === 2); // the question and its answer
    const now = await shown();
    assert.deepEqual(now.slice(0, 4), [...old, 'sep|New conversation'], 'old transcript lost');
    assert.equal(now.length, 6);
    assert.match(now[4], /^m visitor\|You:how do I return an item/);
    assert.match(now[5], /^m bot\|Assistant:.*return/i);
    assert.notEqual(await page.evaluate(() => window.Lotse.state.conversation), id);
    const s = JSON.parse(await stored(page));
    assert.deepEqual(s.hist.map((m) => m.role), ['visitor', 'agent']);
    assert.equal(s.msgs.length, 2);
    await page.reload();
    await page.waitForFunction(() => window.Lotse && document.querySelector('lotse-chat'));
    assert.deepEqual(await shown(), now, 'history lost on reload');
  });

  it('counts agent replies that came while closed, also across a reload', async () => {
    const { page, id } = await handedOff('will it snow in Munich next week');
    await page.evaluate(() => window.Lotse.close());
    await consoleAPI(server.url, `/conversations/${id}/reply`, { text: 'I will check.' });
    await consoleAPI(server.url, `/conversations/${id}/reply`, { text: 'Snow is likely.' });
    const badge = page.locator('lotse-chat .badge');
    await page.waitForFunction(() => document.querySelector('lotse-chat').shadowRoot.querySelector('.badge').textContent === '2', null, { timeout: 20_000 });
    assert.match(await page.locator(W.launcher).getAttribute('aria-label'), /2 new message/);
    await page.reload();
    await page.waitForFunction(() => window.Lotse && document.querySelector('lotse-chat'));
    assert.equal(await badge.isVisible(), true, 'badge lost on reload');
    assert.equal(await badge.textContent(), '2');
    await page.click(W.launcher);
    assert.equal(await badge.isVisible(), false);
    await page.reload();
    await page.waitForFunction(() => window.Lotse && document.querySelector('lotse-chat'));
    assert.equal(await badge.isVisible(), false, 'read replies counted again after a reload');
  });

  it('delivers a message that waited while the agent resolved, and reopens the conversation', async () => {
    const { page, id } = await handedOff('what will the weather be like in Hamburg tomorrow');
    await consoleAPI(server.url, `/conversations/${id}/reply`, { text: 'Let me look.' });
    await page.waitForFunction(() => document.querySelector('lotse-chat').shadowRoot.querySelector('.m.agent'), null, { timeout: 20_000 });
    // The network fails for handoffs only: the event stream still brings the resolve.
    await page.route('**/v1/handoff', (r) => r.abort());
    const first = 'are you still there ' + Date.now(), second = 'hello? ' + Date.now();
    await page.evaluate((t) => window.Lotse.send(t), first);
    await page.waitForFunction(() => window.Lotse.state.outbox === 1);
    await consoleAPI(server.url, `/conversations/${id}/resolve`, {});
    await page.waitForFunction(() => window.Lotse.state.state === 'resolved', null, { timeout: 30_000 });
    assert.equal(await page.locator('lotse-chat .again').isVisible(), false, 'offers a new conversation while a message waits');
    await page.evaluate((t) => window.Lotse.send(t), second); // written after the resolve, before the first went out
    await page.unroute('**/v1/handoff');
    await page.waitForFunction(() => window.Lotse.state.outbox === 0, null, { timeout: 40_000 });
    await page.waitForFunction(() => window.Lotse.state.state === 'pending', null, { timeout: 10_000 });
    assert.equal(await page.evaluate(() => window.Lotse.state.conversation), id);
    const t = await consoleAPI(server.url, `/conversations/${id}`);
    assert.equal(t.conversation.state, 'pending');
    assert.deepEqual(t.messages.filter((m) => m.role === 'visitor').slice(-2).map((m) => m.text), [first, second]);
    await consoleAPI(server.url, `/conversations/${id}/reply`, { text: 'Still here.' });
    await page.waitForFunction(() => [...document.querySelector('lotse-chat').shadowRoot.querySelectorAll('.m.agent')].some((n) => /Still here/.test(n.textContent)), null, { timeout: 20_000 });
  });

  it('keeps one conversation across two tabs, losing neither tab\'s messages', async () => {
    const a = await openPage(browser.context, server.url, 'test/hostile.html', { 'data-mode': 'edge' });
    const b = await openPage(browser.context, server.url, 'test/hostile.html', { 'data-mode': 'edge' }, { keep: true });
    for (const { page } of [a, b]) await page.click(W.launcher);
    await ask(a.page, 'how do I return an item');
    await b.page.waitForFunction(() => window.Lotse.state.messages === 2, null, { timeout: 10_000 }); // B took A's conversation
    assert.equal(await b.page.evaluate(() => window.Lotse.state.conversation), await a.page.evaluate(() => window.Lotse.state.conversation));
    await ask(b.page, 'when is my payment due');
    await ask(a.page, 'can I pay early');
    await settled(a.page);
    await settled(b.page);
    for (const { page } of [a, b]) await page.waitForFunction(() => window.Lotse.state.messages === 6, null, { timeout: 10_000 });
    const s = JSON.parse(await stored(a.page));
    assert.deepEqual(s.msgs.filter((m) => m.role === 'visitor').map((m) => m.text), ['how do I return an item', 'when is my payment due', 'can I pay early']);
    assert.deepEqual(s.msgs.map((m) => m.role), ['visitor', 'bot', 'visitor', 'bot', 'visitor', 'bot'], 'answers not under their questions');
    // A handoff in one tab: the other follows, so its next message goes to the person too.
    await ask(a.page, 'what will the weather be like in Berlin tomorrow', { expect: 'handoff' });
    await b.page.waitForFunction(() => window.Lotse.state.state === 'pending', null, { timeout: 10_000 });
    await b.page.reload();
    await b.page.waitForFunction(() => window.Lotse && window.Lotse.state.messages === 7);
    // Logout in one tab (Lotse.reset) forgets the conversation in both.
    await a.page.evaluate(() => window.Lotse.reset());
    await b.page.waitForFunction(() => window.Lotse.state.messages === 0, null, { timeout: 10_000 });
    await b.page.evaluate(() => window.Lotse.open());
    assert.equal(await stored(a.page), null, 'the other tab wrote the forgotten conversation back');
  });

  it('stays on screen when the page moves its body, and says what it is doing to screen readers', async () => {
    const { page } = await openPage(browser.context, server.url, 'test/hostile.html', { 'data-mode': 'edge' });
    await page.addStyleTag({ content: 'body{transform:translateZ(0);min-height:3000px}' });
    const box = await page.locator(W.launcher).boundingBox();
    const vp = page.viewportSize();
    assert.ok(box && box.y + box.height <= vp.height && box.y >= 0, `launcher at ${JSON.stringify(box)}, viewport ${JSON.stringify(vp)}`);
    await page.click(W.launcher);
    const panel = await page.locator(W.panel).boundingBox();
    assert.ok(panel.y >= 0 && panel.y + panel.height <= vp.height, `panel at ${JSON.stringify(panel)}`);
    assert.equal(await page.evaluate(() => scrollY), 0, 'opening scrolled the page');
    assert.equal(await page.locator('lotse-chat .note[role=alert]').count(), 1, 'offline note not announced');
    assert.equal(await page.locator('lotse-chat .note[role=status]').count(), 2, 'state and privacy notes not announced');
  });

  it('is ready for page scripts that ran before it, and splits a long Lotse.send', async () => {
    // A page script that runs before the async tag: it counts the event.
    await browser.context.addInitScript(() => addEventListener('lotse:ready', () => { window.readyEvents = (window.readyEvents || 0) + 1; }));
    const { page } = await openPage(browser.context, server.url, 'test/hostile.html', { 'data-mode': 'edge' });
    assert.equal(await page.evaluate(() => window.readyEvents), 1, 'lotse:ready not fired once');
    const long = Array.from({ length: 300 }, (_, i) => 'word' + i).join(' '); // 2,289 characters
    await page.evaluate((t) => window.Lotse.send(t), long);
    await settled(page);
    const sent = JSON.parse(await stored(page)).msgs.filter((m) => m.role === 'visitor').map((m) => m.text);
    assert.ok(sent.length === 3 && sent.every((t) => t.length <= 1000), `split into ${sent.map((t) => t.length)}`);
    assert.equal(sent.join(' ').replace(/\s+/g, ' ').trim(), long, 'text lost in the split');
    // A card number across the 1,000th character stays in one message,
    // so the checks find it (and storage masks it).
    await page.evaluate((t) => window.Lotse.send(t), 'x'.repeat(985) + ' card 4111 1111 1111 1111 please');
    await settled(page);
    const texts = JSON.parse(await stored(page)).msgs.filter((m) => m.role === 'visitor').map((m) => m.text).slice(3);
    assert.equal(texts.length, 2);
    assert.match(texts[1], /^\[CARD\] please$/, 'card number split or unmasked');
  });

  it('puts each answer under its question when queued messages go out together', async () => {
    const { page } = await openPage(browser.context, server.url, 'test/hostile.html', { 'data-mode': 'edge' });
    await page.click(W.launcher);
    await browser.context.setOffline(true);
    for (const q of ['how do I return an item', 'when is my payment due']) await page.evaluate((t) => window.Lotse.send(t), q);
    await page.waitForFunction(() => window.Lotse.state.outbox === 2);
    const waiting = () => page.locator('lotse-chat .m.visitor', { hasText: /Waiting to be sent/ }).count();
    for (let i = 0; i < 100 && (await waiting()) < 2; i++) await sleep(100); // until the first attempt fails
    assert.equal(await waiting(), 2, 'only the first message marked as waiting');
    await browser.context.setOffline(false);
    await settled(page);
    const roles = await page.$$eval('lotse-chat .log > .m', (ns) => ns.slice(1).map((n) => n.className.replace('m ', '')));
    assert.deepEqual(roles, ['visitor', 'bot', 'visitor', 'bot']);
  });

  it('stores a message to a person masked by what the edge found, without an engine', async () => {
    const { page } = await handedOff('what will the weather be like in Kiel tomorrow');
    await page.evaluate(() => window.Lotse.send('meine Nummer ist 0151 2345678'));
    await settled(page);
    const s = JSON.parse(await stored(page));
    assert.equal(s.msgs[s.msgs.length - 1].text, 'meine Nummer ist [PHONE]');
  });

  // The default greeting fits any bot; a page's own may differ per language.
  for (const { attrs, first, then } of [
    { attrs: { 'data-lang': 'en' }, first: 'Assistant:Hi! How can I help?', then: 'Assistent:Hallo! Wie kann ich helfen?' },
    { attrs: { 'data-lang': 'en', 'data-greeting-de': 'Moin! Was kann ich tun?', 'data-greeting-en': 'Ahoy! What can I do?' },
      first: 'Assistant:Ahoy! What can I do?', then: 'Assistent:Moin! Was kann ich tun?' },
    { attrs: { 'data-lang': 'en', 'data-greeting': 'Welcome to **Shop**' }, first: 'Assistant:Welcome to Shop', then: 'Assistent:Welcome to Shop' },
  ]) {
    it(`greets in the language the widget speaks (${Object.keys(attrs).filter((k) => k !== 'data-lang').join(' ') || 'default'})`, async () => {
      const { page } = await openPage(browser.context, server.url, 'test/hostile.html', { 'data-mode': 'edge', ...attrs });
      await page.click(W.launcher);
      const greeting = () => page.locator('lotse-chat .log > .m.bot >> nth=0').textContent();
      assert.equal(await greeting(), first);
      await ask(page, 'wann ist meine Zahlung fällig');
      assert.equal(await greeting(), then);
    });
  }
});

describe('German shops: Sie form and privacy notes that fit what was found', () => {
  let server, browser;
  before(async () => { server = await startServer(); browser = await launch(); });
  after(async () => { await browser?.close(); await server?.stop(); });
  const settled = (page) => page.waitForFunction(() => window.Lotse.state.outbox === 0, null, { timeout: 20_000 });
  // Every text of the widget's own, shown or not: text nodes and labels.
  const uiTexts = (page) => page.evaluate(() => {
    const r = document.querySelector('lotse-chat').shadowRoot;
    return [r.textContent, ...[...r.querySelectorAll('*')].flatMap((n) => ['aria-label', 'placeholder', 'title'].map((a) => n.getAttribute(a) || ''))].join('\n');
  });

  const du = { input: 'Deine Nachricht', you: 'Du:', offline: /^Du bist offline/,
    connecting: /^Wir verbinden dich .*Du kannst die Seite schließen .*dein Gespräch/,
    privacy: 'Deine Nachricht enthält persönliche Daten, deshalb antwortet dir eine Person aus unserem Serviceteam, nicht der Assistent. Bitte sende nie Kartennummern, PINs oder Passwörter in einem Chat.' };
  for (const c of [
    { name: 'du by default', attrs: {}, ...du },
    { name: 'du with data-formal="false"', attrs: { 'data-formal': 'false' }, ...du },
    { name: 'Sie with data-formal', attrs: { 'data-formal': '' }, formal: true, input: 'Ihre Nachricht', you: 'Sie:', offline: /^Sie sind offline/,
      connecting: /^Wir verbinden Sie .*Sie können die Seite schließen .*Ihr Gespräch/,
      privacy: 'Ihre Nachricht enthält persönliche Daten, deshalb antwortet Ihnen eine Person aus unserem Serviceteam, nicht der Assistent. Bitte senden Sie nie Kartennummern, PINs oder Passwörter in einem Chat.' },
  ]) {
    it(`addresses the visitor in German as ${c.name}`, async () => {
      const { page } = await openPage(browser.context, server.url, 'test/hostile.html', { 'data-lang': 'de', 'data-mode': 'edge', ...c.attrs });
      await page.click(W.launcher);
      assert.equal(await page.locator(W.input).getAttribute('placeholder'), c.input);
      await browser.context.setOffline(true);
      await page.waitForFunction(() => !document.querySelector('lotse-chat').shadowRoot.querySelector('.note[role=alert]').hidden);
      assert.match(await page.locator('lotse-chat .note[role=alert]').textContent(), c.offline);
      await browser.context.setOffline(false);
      await ask(page, 'Meine Karte 4111 1111 1111 1111 wurde gestohlen', { expect: 'handoff' });
      await settled(page);
      assert.equal(await page.locator('lotse-chat .m.visitor .sr').textContent(), c.you);
      assert.match(await page.locator(W.status).textContent(), c.connecting);
      assert.equal(await page.locator(privacyNote).textContent(), c.privacy);
      assert.equal(await page.locator(privacyNote).isVisible(), true);
      if (c.formal) {
        const du = (await uiTexts(page)).match(/\b(du|dich|dir|dein\w*)\b/gi);
        assert.equal(du, null, 'du forms in the Sie form: ' + du);
      }
    });
  }

  // A name alone: a person answers, but a card warning would be odd. The
  // kinds come from the reply (the edge's /v1/chat, or the engine), a card
  // number sent to the person later from the handoff answer's pii (edge:
  // the quick check here misses the dotted form) or the engine.
  for (const mode of ['edge', 'browser']) {
    it(`words the privacy note after what was found: a name, then a card number (mode ${mode})`, async () => {
      const { page, requests } = await openPage(browser.context, server.url, 'test/hostile.html', { 'data-lang': 'de', 'data-mode': mode });
      const replies = page.evaluate(() => new Promise((ok) => window.Lotse.on('reply', (e) => ok(e.reply))));
      await page.click(W.launcher);
      if (mode === 'browser') await waitEngine(page);
      await ask(page, 'hallo, ich bin Anna Schmidt', { expect: 'handoff' });
      await settled(page);
      const r = await replies;
      assert.equal(r.reason, 'personal_data');
      assert.deepEqual(r.pii.map((p) => p.kind), ['name'], 'the premise: a name is all the detector found');
      assert.equal(chatRequests(requests).length, mode === 'edge' ? 1 : 0);
      assert.equal(await page.locator(privacyNote).textContent(),
        'Deine Nachricht enthält persönliche Daten, deshalb antwortet dir eine Person aus unserem Serviceteam, nicht der Assistent.');
      await page.evaluate(() => window.Lotse.send('meine Karte 4111.1111.1111.1111 wurde gestohlen'));
      await settled(page);
      await page.waitForFunction(() => /Kartennummern/.test(document.querySelector('lotse-chat').shadowRoot.querySelector('.note[role=status]:not(.state)').textContent), null, { timeout: 10_000 });
      assert.match(await page.locator(privacyNote).textContent(), /^Deine Nachricht enthält .* Bitte sende nie Kartennummern, PINs oder Passwörter in einem Chat\.$/);
      await page.reload();
      await page.waitForFunction(() => window.Lotse && document.querySelector('lotse-chat'));
      assert.match(await page.locator(privacyNote).textContent(), /Kartennummern/, 'card warning lost on reload');
    });
  }

  it('warns about card numbers sent to a person after a handoff for another reason, without claiming personal data caused it', async () => {
    const { page } = await openPage(browser.context, server.url, 'test/hostile.html', { 'data-lang': 'en', 'data-mode': 'edge' });
    await page.click(W.launcher);
    await ask(page, 'what will the weather be like in Berlin tomorrow', { expect: 'handoff' });
    await settled(page);
    assert.equal(await page.locator(privacyNote).isVisible(), false, 'a privacy note on an out-of-scope handoff');
    await page.evaluate(() => window.Lotse.send('my card is 4111 1111 1111 1111'));
    await settled(page);
    assert.equal(await page.locator(privacyNote).textContent(), 'Please never send card numbers, PINs or passwords in a chat.');
    assert.equal(await page.locator(privacyNote).isVisible(), true);
  });
});

describe('an agent reopens a resolved conversation', () => {
  let server, browser;
  before(async () => {
    server = await startServer();
    browser = await launch();
    // Counts the widget's event streams that are not closed: each holds one
    // of the backend's readers.
    await browser.context.addInitScript(() => {
      const ES = window.EventSource;
      window.streams = [];
      window.EventSource = class extends ES { constructor(...a) { super(...a); window.streams.push(this); } };
    });
  });
  after(async () => { await browser?.close(); await server?.stop(); });
  const opened = [];
  afterEach(async () => { for (const p of opened.splice(0)) await p.close(); });
  const shadow = (page, fn, arg) => page.waitForFunction(fn, arg, { timeout: 20_000 });
  const streams = (page) => page.evaluate(() => window.streams.filter((s) => s.readyState !== 2).length);
  // liveStreams asserts that n streams are open, allowing the widget time
  // to open or close one.
  const liveStreams = async (page, n, why) => {
    await page.waitForFunction((n) => window.streams.filter((s) => s.readyState !== 2).length === n, n, { timeout: 10_000 })
      .catch(() => {});
    assert.equal(await streams(page), n, why);
  };
  const state = (page, s) => shadow(page, (s) => window.Lotse.state.state === s, s);
  const shown = (page, text) => shadow(page, (t) => [...document.querySelector('lotse-chat').shadowRoot.querySelectorAll('.m.agent')].some((n) => n.textContent.includes(t)), text);
  const badge = (page, n) => shadow(page, (n) => document.querySelector('lotse-chat').shadowRoot.querySelector('.badge').textContent === n, n);
  const reopen = (id) => consoleAPI(server.url, `/conversations/${id}/reopen`, {});
  const reply = (id, text) => consoleAPI(server.url, `/conversations/${id}/reply`, { text });
  // The page can be neither hidden nor shown again in headless Chromium:
  // document.hidden is set as a browser sets it, with its event.
  const setHidden = (page, h) => page.evaluate((h) => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (h ? 'hidden' : 'visible') });
    document.dispatchEvent(new Event('visibilitychange'));
  }, h);
  // resolved opens the chat, hands off, lets the agent answer and resolve,
  // and waits until the widget shows it resolved.
  const resolved = async (attrs = {}) => {
    const r = await openPage(browser.context, server.url, 'test/hostile.html', { 'data-mode': 'edge', ...attrs });
    opened.push(r.page);
    await r.page.click(W.launcher);
    await ask(r.page, 'what will the weather be like in Bremen tomorrow', { expect: 'handoff' });
    await r.page.waitForFunction(() => window.Lotse.state.outbox === 0, null, { timeout: 20_000 });
    const id = await r.page.evaluate(() => window.Lotse.state.conversation);
    await reply(id, 'Rain, I am afraid.');
    await shown(r.page, 'Rain');
    await consoleAPI(server.url, `/conversations/${id}/resolve`, {});
    await state(r.page, 'resolved');
    return { ...r, id };
  };

  it('follows a reopen while the panel is open, and the visitor answers in the same conversation', async () => {
    const { page, id } = await resolved();
    await liveStreams(page, 1, 'the open panel of a resolved conversation should keep its stream');
    assert.equal(await page.locator('lotse-chat .again').isVisible(), true);
    await reopen(id);
    await state(page, 'open');
    assert.match(await page.locator(W.status).textContent(), /has joined/);
    assert.equal(await page.locator('lotse-chat .again').isVisible(), false, 'offers a new conversation in a reopened one');
    await reply(id, 'Reopened: your refund is through.');
    await shown(page, 'refund is through');
    await page.evaluate(() => window.Lotse.send('thank you'));
    await page.waitForFunction(() => window.Lotse.state.outbox === 0, null, { timeout: 20_000 });
    assert.equal(await page.evaluate(() => window.Lotse.state.conversation), id, 'a new conversation after the reopen');
    const t = await consoleAPI(server.url, `/conversations/${id}`);
    assert.deepEqual(t.messages.slice(-2).map((m) => [m.role, m.text]), [['agent', 'Reopened: your refund is through.'], ['visitor', 'thank you']]);
  });

  it('follows a reopen by long-poll while the panel is open', async () => {
    const { page, id, requests } = await resolved({ 'data-no-sse': '1' });
    const polled = () => requests.some((r) => /\/events\?after=\d+&state=resolved$/.test(r.url));
    for (let i = 0; i < 100 && !polled(); i++) await sleep(100); // the poll after the resolve
    assert.ok(polled(), 'no long-poll on the resolved conversation');
    await reopen(id);
    await reply(id, 'Long-poll follow-up.');
    await shown(page, 'Long-poll follow-up');
    assert.equal(await page.evaluate(() => window.Lotse.state.state), 'open');
    assert.equal(await streams(page), 0, 'an event stream with data-no-sse');
  });

  it('holds no stream while the panel is closed or the page hidden, and catches up on opening or showing it', async () => {
    const { page, id, requests } = await resolved();
    await page.evaluate(() => window.Lotse.close());
    assert.equal(await streams(page), 0, 'a closed panel on a resolved conversation holds a reader');
    await reopen(id);
    await reply(id, 'Back to your question.');
    await page.evaluate(() => window.Lotse.open());
    await shown(page, 'Back to your question');
    assert.equal(await page.evaluate(() => window.Lotse.state.state), 'open');
    // Open again: listening with the panel closed, as any active chat.
    await page.evaluate(() => window.Lotse.close());
    assert.equal(await streams(page), 1);
    await reply(id, 'One more thing.');
    await badge(page, '1');
    // Resolved again, panel closed: no stream; hidden and shown, the page asks once.
    await consoleAPI(server.url, `/conversations/${id}/resolve`, {});
    await state(page, 'resolved');
    assert.equal(await streams(page), 0);
    await reopen(id);
    await reply(id, 'And a last one.');
    await setHidden(page, true);
    assert.equal(requests.filter((r) => /wait=0/.test(r.url)).length, 0, 'asked while hidden');
    await setHidden(page, false);
    await badge(page, '2');
    assert.equal(await page.evaluate(() => window.Lotse.state.state), 'open');
    assert.equal(requests.filter((r) => /&state=resolved&wait=0$/.test(r.url)).length, 1);
    await page.evaluate(() => window.Lotse.open());
    await shown(page, 'And a last one');
  });

  it('stops the stream while the page is hidden with the panel open, and resumes when shown', async () => {
    const { page, id } = await resolved();
    await liveStreams(page, 1);
    await setHidden(page, true);
    assert.equal(await streams(page), 0, 'a hidden page holds a reader for a resolved conversation');
    await reopen(id);
    await reply(id, 'While you were away.');
    await setHidden(page, false);
    await shown(page, 'While you were away');
    assert.equal(await page.evaluate(() => window.Lotse.state.state), 'open');
  });

  it('asks once after a reload and shows a reply that came meanwhile', async () => {
    const { page, id, requests } = await resolved();
    await page.evaluate(() => window.Lotse.close());
    const reload = async () => {
      await page.reload();
      await page.waitForFunction(() => window.Lotse && document.querySelector('lotse-chat'));
    };
    await reload();
    await shadow(page, () => performance.getEntriesByType('resource').some((e) => /wait=0/.test(e.name)));
    assert.equal(await page.evaluate(() => window.Lotse.state.state), 'resolved');
    assert.equal(await streams(page), 0, 'a resolved conversation holds a reader after a reload');
    await reopen(id);
    await reply(id, 'After your reload.');
    await reload();
    await state(page, 'open');
    await badge(page, '1');
    assert.equal(requests.filter((r) => /&state=resolved&wait=0$/.test(r.url)).length, 2, 'one check per page load');
    await page.click(W.launcher);
    await shown(page, 'After your reload');
    assert.equal(await page.evaluate(() => window.Lotse.state.conversation), id);
  });
});
