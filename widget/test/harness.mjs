// Shared helpers of the widget's browser tests and benchmark: Chromium via
// playwright-core, a `lotse serve` process, the console API, and pages.
// Importing this file does nothing; the test runner may load it as a test.

import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, mkdirSync, copyFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, '..', '..');
export const artifacts = join(here, 'artifacts');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const TOKEN = 'widget-test-agent-token';

// ensureChromium installs Debian's chromium when it is missing (CI runs as root).
export function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  console.log('# chromium missing: apt-get install -y chromium');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'chromium']]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (status ${r.status}); install chromium or set CHROMIUM=/path/to/chromium`);
  }
}

// lotseBinary builds cmd/lotse once per test process unless LOTSE_BIN names one.
let built = null;
export function lotseBinary() {
  if (process.env.LOTSE_BIN) return process.env.LOTSE_BIN;
  if (built) return built;
  const out = join(mkdtempSync(join(tmpdir(), 'lotse-bin-')), 'lotse');
  execFileSync('go', ['build', '-o', out, './cmd/lotse'], { cwd: repo, stdio: 'inherit' });
  built = out;
  return out;
}

// startServer runs `lotse serve` on a free loopback port and resolves once
// /v1/health answers. opts.bot: a bot file to serve instead of the demo bot.
// opts.noEngine: serve no engine.wasm, as the deployed Worker, and no
// wasm_exec.js: an empty --assets directory, and a copy of the binary in a directory
// of its own (lotse serve also serves the engine found beside its binary).
export async function startServer(opts = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'lotse-widget-'));
  const port = await freePort();
  const addr = `127.0.0.1:${port}`;
  let cmd = lotseBinary(), assets = process.env.LOTSE_ASSETS || 'build';
  if (opts.noEngine) {
    assets = join(dir, 'assets');
    mkdirSync(assets);
    mkdirSync(join(dir, 'bin'));
    copyFileSync(resolve(repo, cmd), join(dir, 'bin', 'lotse'));
    chmodSync(join(dir, 'bin', 'lotse'), 0o755);
    cmd = join(dir, 'bin', 'lotse');
  }
  const args = ['serve', '--addr', addr, '--db', join(dir, 'lotse.db'), '--agent-token', TOKEN,
    '--assets', assets, ...(opts.bot ? ['--bot', opts.bot] : [])];
  const proc = spawn(cmd, args, { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout.on('data', (b) => { output += b; });
  proc.stderr.on('data', (b) => { output += b; });
  const url = `http://${addr}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`${cmd} ${args.join(' ')} exited with ${proc.exitCode}:\n${output}`);
    try {
      const r = await fetch(url + '/v1/health');
      if (r.ok) break;
    } catch { /* not yet */ }
    if (Date.now() > deadline) { proc.kill(); throw new Error(`server did not answer /v1/health within 120 s:\n${output}`); }
    await sleep(200);
  }
  return {
    url,
    output: () => output,
    async stop() {
      if (proc.exitCode === null) {
        proc.kill('SIGTERM');
        await Promise.race([new Promise((ok) => proc.once('exit', ok)), sleep(5000)]);
        if (proc.exitCode === null) proc.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

async function freePort() {
  const { createServer } = await import('node:net');
  return new Promise((ok, fail) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
    s.on('error', fail);
  });
}

// launch starts headless Chromium with a fresh profile; close() removes it.
export async function launch(options = {}) {
  ensureChromium();
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'lotse-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
    viewport: { width: 1280, height: 860 },
    ...options,
  });
  return {
    context,
    async close() { await context.close(); rmSync(profile, { recursive: true, force: true }); },
  };
}

// page opens a test page: a file of widget/test (served through page.route on
// the server's origin, so it is same-origin with the widget) with the
// script tag's attributes replaced by attrs. Other pages of the context are
// closed first, unless opts.keep.
export async function openPage(context, base, file, attrs = {}, opts = {}) {
  // The pages of earlier tests would take this one's conversation as a
  // second tab's (the widget shares one conversation between the tabs of
  // a site) and answer it too: close them, unless the test wants them.
  if (!opts.keep) await Promise.all(context.pages().map((p) => p.close()));
  const page = await context.newPage();
  const requests = [];
  page.on('request', (r) => requests.push({ url: r.url(), method: r.method(), t: Date.now(), body: r.postData() }));
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  let html = readFileSync(join(here, '..', file), 'utf8');
  const tag = '<script src="/widget.js"' + Object.entries({ 'data-bot': 'demo', ...attrs })
    .map(([k, v]) => ` ${k}="${v}"`).join('') + ' async></script>';
  html = html.replace(/<script src="\/widget.js"[^>]*><\/script>/, tag);
  if (opts.csp) html = html.replace('<head>', `<head>\n<meta http-equiv="Content-Security-Policy" content="${opts.csp}">`);
  // Start from empty storage on the server's origin: each page is a new visitor.
  await page.route(base + '/__test/clear.html', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<script>localStorage.clear()</script>' }));
  await page.goto(base + '/__test/clear.html');
  requests.length = 0;
  const path = '/__test/' + file.replace(/\W/g, '_') + '.html';
  await page.route(base + path, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
  await page.goto(base + path);
  await page.waitForFunction(() => window.Lotse && document.querySelector('lotse-chat'));
  return { page, requests, errors };
}

// Shadow-root helpers: Playwright's CSS engine pierces open shadow roots.
export const W = {
  launcher: 'lotse-chat .launch',
  panel: 'lotse-chat .panel',
  input: 'lotse-chat textarea',
  log: 'lotse-chat .log',
  status: 'lotse-chat .note.state',
};

// ask types text into the open widget, presses Enter and waits for the
// number of bot/agent messages to grow (or for the handoff state).
export async function ask(page, text, { expect = 'answer' } = {}) {
  const before = await botMessages(page);
  await page.fill(W.input, text);
  await page.press(W.input, 'Enter');
  if (expect === 'answer') {
    await page.waitForFunction((n) => document.querySelector('lotse-chat').shadowRoot.querySelectorAll('.m.bot:not(:first-child), .m.agent').length > n, before);
    const all = await page.$$eval('lotse-chat .m.bot', (ns) => ns.map((n) => n.textContent));
    return all[all.length - 1];
  }
  await page.waitForFunction(() => window.Lotse.state.state !== 'bot');
  return null;
}

export const botMessages = (page) => page.evaluate(() => document.querySelector('lotse-chat').shadowRoot.querySelectorAll('.m.bot:not(:first-child), .m.agent').length);

// consoleAPI calls the backend's console API with the agent token.
export async function consoleAPI(base, path, body) {
  const r = await fetch(base + '/console/api' + path, {
    method: body ? 'POST' : 'GET',
    headers: { Authorization: 'Bearer ' + TOKEN, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const j = await r.json();
  if (!r.ok) throw new Error(`console API ${path}: ${r.status} ${JSON.stringify(j)}`);
  return j;
}

export function screenshotDir() {
  mkdirSync(artifacts, { recursive: true });
  return artifacts;
}
