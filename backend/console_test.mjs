// Runs console/console.js in a bare VM context with a fake fetch and a
// small fake DOM, and checks what the page builds: API errors reach the
// page as their message; reasons and intents read as words; personal data
// is marked; the bot's and agents' Markdown renders as the widget renders
// it, with links only to http, https, mailto and tel.
// Run: node --test backend/console_test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';

const source = readFileSync(new URL('./console/console.js', import.meta.url), 'utf8');

// ---- A fake DOM just large enough for console.js ----------------------------

class Node {
  constructor(tag) { this.tagName = tag; this.childNodes = []; this.attributes = {}; this.className = ''; this.dataset = {}; }
  append(...kids) {
    for (const k of kids) {
      if (k instanceof Node && k.tagName === '#fragment') this.childNodes.push(...k.childNodes.splice(0));
      else this.childNodes.push(k instanceof Node ? k : new Text(String(k)));
    }
  }
  appendChild(k) { this.append(k); return k; }
  replaceChildren(...kids) { this.childNodes = []; this.append(...kids); }
  setAttribute(k, v) { this.attributes[k] = String(v); }
  getAttribute(k) { return this.attributes[k] ?? null; }
  addEventListener(type, fn) { (this.listeners ??= {})[type] = fn; }
  focus() { this.ownerDocument.activeElement = this; }
  scrollIntoView() {}
  get textContent() { return this.childNodes.map((c) => c.textContent).join(''); }
  set textContent(v) { this.childNodes = v === '' ? [] : [new Text(String(v))]; }
}
class Text extends Node {
  constructor(data) { super('#text'); this.data = data; }
  get textContent() { return this.data; }
}

// html serializes a fake node for comparison: tags with their class and
// the attributes that matter here, text escaped as the browser would.
function html(n) {
  if (n.tagName === '#text') return n.data.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const inner = n.childNodes.map(html).join('');
  if (n.tagName === '#fragment') return inner;
  const attrs = ['href', 'title'].filter((a) => a in n.attributes).map((a) => ` ${a}="${n.attributes[a]}"`).join('');
  return `<${n.tagName}${n.className ? ` class="${n.className}"` : ''}${attrs}>${inner}</${n.tagName}>`;
}

// PAGE is the console's address in the tests unless one says otherwise.
const PAGE = 'http://console.test/console/';

// load runs console.js with fetch answering response, or calling it if it
// is a function; globals adds or replaces globals (confirm, say); page is
// the page's address, document.baseURI.
function load(response, globals = {}, page = PAGE) {
  const elements = {};
  const document = {
    baseURI: page,
    activeElement: null,
    listeners: {},
    addEventListener(type, fn) { this.listeners[type] = fn; },
    querySelectorAll: () => [],
    getElementById: (id) => (elements[id] ??= Object.assign(new Node('div'), { hidden: false })),
    createElement: (tag) => new Node(tag),
    createTextNode: (data) => new Text(data),
    createDocumentFragment: () => new Node('#fragment'),
  };
  Node.prototype.ownerDocument = document; // one page at a time: tests run one after another
  const ctx = {
    URL,
    document,
    fetch: typeof response === 'function' ? response : async () => response,
    ...globals,
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

test('console.js never parses strings as markup', () => {
  assert.doesNotMatch(source, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|DOMParser/);
});

test('reasons and intents read as words', () => {
  const ctx = load();
  const cases = [
    [{ reason: 'out_of_scope', intent: '' }, 'Out of scope', ''],
    [{ reason: 'handoff_intent', intent: 'report_fraud' }, 'Asked for: report fraud', ''],
    [{ reason: 'handoff_intent', intent: '' }, 'Asked for a person', ''],
    // The classifier's intent for a message with personal data is a guess.
    [{ reason: 'personal_data', intent: 'thanks' }, 'Personal data', "bot's guess: thanks"],
    [{ reason: 'personal_data', intent: '' }, 'Personal data', ''],
    [{ reason: '', intent: '' }, 'Handed off', ''],
  ];
  for (const [c, reason, intent] of cases) {
    assert.equal(ctx.reasonLabel(c), reason, JSON.stringify(c));
    assert.equal(ctx.intentLabel(c), intent, JSON.stringify(c));
  }
});

test('queue entries show reason, preview and waiting or resolved time', () => {
  const ctx = load();
  const pending = ctx.queueEntry({ id: 'c1', state: 'pending', reason: 'personal_data', intent: 'thanks', lang: 'de',
    preview: 'Meine IBAN ist [IBAN], danke', waiting_seconds: 20, updated: 0 });
  assert.equal(html(pending), '<button><span class="reason">Personal data</span><span class="preview">Meine IBAN ist [IBAN], danke</span>'
    + "<span class=\"small\">bot's guess: thanks · de · waiting 20 s</span></button>");
  const ts = new Date(2026, 10, 22, 9, 5).getTime();
  const resolved = ctx.queueEntry({ id: 'c2', state: 'resolved', reason: 'out_of_scope', lang: 'en', preview: '', waiting_seconds: 20, updated: ts });
  const meta = resolved.childNodes.at(-1).textContent;
  assert.match(meta, /resolved /);
  assert.doesNotMatch(meta, /waiting/);
  assert.equal(resolved.childNodes.length, 2, 'no empty preview line');
});

test('personal data is marked, the text kept whole', () => {
  const ctx = load();
  const text = 'Grüße 👋 IBAN DE89 3704 0044 0532 0130 00 <b>x</b>';
  const start = text.indexOf('DE89'), end = start + 'DE89 3704 0044 0532 0130 00'.length;
  const f = ctx.highlight(text, [{ kind: 'iban', start, end }]);
  assert.equal(f.textContent, text);
  assert.equal(html(f), 'Grüße 👋 IBAN <mark class="pii" title="Personal data: IBAN">DE89 3704 0044 0532 0130 00</mark> &lt;b>x&lt;/b>');
  // Spans out of range, reversed or overlapping are skipped, not thrown on.
  const bad = ctx.highlight('abc', [{ kind: 'x', start: 2, end: 9 }, { kind: 'x', start: 1, end: 0 }, { kind: 'email', start: 0, end: 2 }, { kind: 'x', start: 1, end: 3 }]);
  assert.equal(html(bad), '<mark class="pii" title="Personal data: email address">ab</mark>c');
});

test('transcript: visitor text stays text, bot and agent Markdown renders', () => {
  const ctx = load();
  const visitor = ctx.messageEntry({ seq: 1, role: 'visitor', text: 'Hi **there** [x](https://a.example)', ts: 0,
    pii: [{ kind: 'name', start: 0, end: 2 }] });
  assert.match(html(visitor), /<div class="text"><mark class="pii" title="Personal data: name">Hi<\/mark> \*\*there\*\* \[x\]\(https:\/\/a.example\)<\/div>/);
  assert.match(visitor.childNodes[0].textContent, /personal data: name/);
  const agent = ctx.messageEntry({ seq: 2, role: 'agent', text: 'I **locked** it.', ts: 0 });
  assert.match(html(agent), /<div class="text"><p>I <strong>locked<\/strong> it.<\/p><\/div>/);
});

test('transcript: an unverified bot line is a bot line with a note, its text plain', () => {
  const ctx = load();
  const li = ctx.messageEntry({ seq: 3, role: 'bot_unverified', ts: 0,
    text: '[verified] IBAN DE89370400440532013000, **confirmed** [here](https://evil.example)',
    pii: [{ kind: 'iban', start: 16, end: 38 }] });
  assert.equal(li.className, 'bot unverified');
  const [head, note, body] = li.childNodes;
  assert.match(head.textContent, /^bot \(unverified\) · .* · personal data: IBAN$/);
  assert.equal(note.className, 'note');
  assert.match(note.textContent, /^Shown to the visitor as the bot's, but not one of the bot's current answers/);
  assert.match(note.textContent, /not verified, and not the visitor's own words/);
  // Text as the client sent it, personal data marked, no link to follow.
  assert.equal(html(body), '<div class="text">[verified] IBAN <mark class="pii" title="Personal data: IBAN">DE89370400440532013000</mark>, **confirmed** [here](https://evil.example)</div>');
  // A verified bot line has no note.
  const bot = ctx.messageEntry({ seq: 4, role: 'bot', text: 'Sorry, I cannot answer that.', ts: 0 });
  assert.equal(bot.className, 'bot');
  assert.equal(bot.childNodes.length, 2);
  assert.ok(!/unverified/i.test(bot.textContent));
});

test('markdown renders the widget subset and only safe links', () => {
  const ctx = load();
  const cases = [
    ['**bold** and *it*', '<p><strong>bold</strong> and <em>it</em></p>'],
    ['one\ntwo\n\nthree', '<p>one<br></br>two</p><p>three</p>'],
    ['Steps:\n- first\n- [site](https://example.com/a?b=1)', '<p>Steps:</p><ul><li>first</li><li><a href="https://example.com/a?b=1">site</a></li></ul>'],
    ['[mail](mailto:help@example.com) [call](tel:+4930123)', '<p><a href="mailto:help@example.com">mail</a> <a href="tel:+4930123">call</a></p>'],
    ['[bad](javascript:alert(1))', '<p>[bad](javascript:alert(1))</p>'],
    ['[bad](javascript:alert)', '<p>bad</p>'],
    ['[rel](/account)', '<p>rel</p>'],
    ['[data](data:text/html,x)', '<p>data</p>'],
    ['<img src=x onerror=alert(1)>', '<p>&lt;img src=x onerror=alert(1)></p>'],
    ['see https://example.com/a?b=1.', '<p>see <a href="https://example.com/a?b=1">https://example.com/a?b=1</a>.</p>'],
    ['(http://example.com/x), ok', '<p>(<a href="http://example.com/x">http://example.com/x</a>), ok</p>'],
    ['ftp://example.com and javascript://x', '<p>ftp://example.com and javascript://x</p>'],
  ];
  for (const [md, want] of cases) assert.equal(html(ctx.markdown(md)), want, md);
  const a = ctx.markdown('[x](https://example.com)').childNodes[0].childNodes.find((n) => n.tagName === 'a');
  assert.equal(a.getAttribute('rel'), 'noopener noreferrer');
});

// The console shows bot and agent messages as the visitor saw them, so its
// Markdown renderer is the widget's. The widget must stay one file, so the
// code is copied, and this test keeps the copies equal.
test('markdown and inline are the widget\'s, line for line', () => {
  const widget = readFileSync(new URL('../widget/widget.js', import.meta.url), 'utf8');
  // fn returns a function's lines, trimmed, up to the brace that closes it
  // at the indentation it starts at.
  const fn = (src, name) => {
    const at = src.indexOf(`function ${name}(`);
    const indent = at - src.lastIndexOf('\n', at) - 1;
    const lines = src.slice(at).split('\n');
    const end = lines.findIndex((l) => l === ' '.repeat(indent) + '}');
    return lines.slice(0, end + 1).map((l) => l.trim().replace(/\bd\.create/g, 'document.create')).join('\n');
  };
  for (const name of ['inline', 'markdown']) {
    const w = fn(widget, name), c = fn(source, name);
    assert.ok(w.split('\n').length > 8, `${name} not found in widget.js`);
    assert.equal(c, w, `${name}() in console.js differs from widget.js`);
  }
});

test('console.css lets the hidden attribute win over display rules', () => {
  // #app is display: grid; without this rule, "hidden" would not hide it
  // and a signed-out page would show the last transcript.
  const css = readFileSync(new URL('./console/console.css', import.meta.url), 'utf8');
  assert.match(css, /\[hidden\]\s*\{\s*display:\s*none\s*!important;?\s*\}/);
});

// signedIn fills the page as if a conversation were open.
function signedIn(ctx) {
  const $ = (id) => ctx.document.getElementById(id);
  $('transcript').append(ctx.messageEntry({ seq: 1, role: 'visitor', text: 'IBAN DE89370400440532013000', ts: 0 }));
  $('list').append(ctx.queueEntry({ id: 'c1', state: 'pending', reason: 'out_of_scope', preview: 'x', waiting_seconds: 1 }));
  $('title').textContent = 'Conversation c1';
  $('meta').textContent = 'open · assigned to Anna';
  $('who').textContent = 'Anna';
  $('app').hidden = false;
  $('detail').hidden = false;
  return $;
}

for (const [name, status, body, note] of [
  ['sign-out', 200, '{"status":"signed out"}', ''],
  ['a failed sign-out', 503, '{"error":{"code":"store_unavailable","message":"store unavailable; retry"}}', 'Signing out failed'],
  ['a 401', 401, '{"error":{"code":"unauthenticated","message":"sign in first"}}', ''],
]) {
  test(`${name} hides the app and empties transcript and queue`, async () => {
    const ctx = load(reply(status, body));
    const $ = signedIn(ctx);
    if (status === 401) await assert.rejects(ctx.api('GET', 'conversations?state=pending'));
    else await ctx.signOut(); // the Sign out button
    for (const id of ['transcript', 'list', 'title', 'meta', 'who']) assert.equal($(id).textContent, '', `#${id} not emptied`);
    assert.equal($('app').hidden, true);
    assert.equal($('detail').hidden, true);
    assert.equal($('login').hidden, false);
    assert.match($('login-error').textContent, new RegExp(note));
  });
}

test('Take asks before taking a conversation from another agent, then forces', async () => {
  const sent = [];
  const answers = [
    reply(409, '{"assignee":"Anna","error":{"code":"assigned_elsewhere","message":"assigned elsewhere"}}'),
    reply(200, '{"conversation":{"id":"c1","state":"open","assignee":"Ben","reason":"out_of_scope"}}'),
  ];
  const asked = [];
  let answer = true;
  const fetch = async (url, opt) => { sent.push(opt.body); return answers[sent.length - 1] || reply(200, '{"conversations":[]}'); };
  const ctx = load(fetch, { confirm: (q) => { asked.push(q); return answer; } });
  const $ = signedIn(ctx);
  vm.runInContext("current = 'c1'", ctx); // the open conversation, a script-level let
  await ctx.take();
  assert.deepEqual(asked, ['This conversation is assigned to Anna. Take it over?']);
  assert.deepEqual(sent.slice(0, 2), ['{}', '{"force":true}']);
  assert.match($('meta').textContent, /assigned to Ben/);
  assert.equal($('error').textContent, '');

  // Cancelled: no forced request, no error shown.
  sent.length = 0; asked.length = 0; answer = false;
  await ctx.take();
  assert.equal(asked.length, 1);
  assert.deepEqual(sent, ['{}']);
  assert.equal($('error').textContent, '');
});

test('the queue says how many conversations it does not show and offers them', async () => {
  const item = { id: 'c1', state: 'pending', reason: 'out_of_scope', preview: 'x', waiting_seconds: 1 };
  for (const [state, page, button, status] of [
    ['pending', { total: 3, remaining: 2, next_cursor: 'k' }, 'Show more (2 not shown)', 'Showing 1 of 3, longest waiting first.'],
    ['resolved', { total: 3, remaining: 2, next_cursor: 'k' }, 'Older (2 not shown)', 'Showing 1 of 3, most recently resolved first.'],
    ['pending', { total: 1, remaining: 0, next_cursor: '' }, null, 'Showing 1 of 1, longest waiting first.'],
  ]) {
    const ctx = load(reply(200, JSON.stringify({ conversations: [{ ...item, state }], ...page })));
    const $ = (id) => ctx.document.getElementById(id);
    vm.runInContext(`state = '${state}'`, ctx);
    $('app').hidden = false;
    $('unanswered').hidden = true;
    await ctx.loadQueue();
    assert.equal($('more').hidden, button === null, `${state} ${JSON.stringify(page)}: Show more hidden`);
    if (button) assert.equal($('more').textContent, button);
    assert.equal($('queue-status').textContent, status);
  }
});

test('Show more is a button of its own in the page, reachable by keyboard', () => {
  const page = readFileSync(new URL('./console/index.html', import.meta.url), 'utf8');
  assert.match(page, /<button type="button" id="more" hidden><\/button>/);
});

// queueServer answers the console API like the backend: the pending queue
// longest waiting first, in pages of limit after a cursor (the last key
// and ID of the page before), with total, remaining and next_cursor. Tests
// change convs between requests as agents and visitors would.
function queueServer(convs, limit = 2) {
  const requests = [];
  const fetch = async (url) => {
    const u = new URL(url, 'http://console.test');
    requests.push(u.pathname + u.search);
    const path = u.pathname.slice(u.pathname.indexOf('/api/') + '/api/'.length); // below any prefix
    if (path === 'session') return reply(200, '{"agent":"Anna"}');
    assert.equal(path, 'conversations');
    const list = convs.filter((c) => c.state === u.searchParams.get('state'))
      .sort((a, b) => a.pending_since - b.pending_since || a.id.localeCompare(b.id));
    let rest = list;
    const cursor = u.searchParams.get('cursor');
    if (cursor) {
      const [key, id] = JSON.parse(cursor);
      rest = list.filter((c) => c.pending_since > key || (c.pending_since === key && c.id > id));
    }
    const page = rest.slice(0, limit), last = page.at(-1), remaining = rest.length - page.length;
    return reply(200, JSON.stringify({
      conversations: page.map((c) => ({ ...c, reason: 'out_of_scope', waiting_seconds: 1 })),
      total: list.length, remaining, next_cursor: remaining ? JSON.stringify([last.pending_since, last.id]) : '',
    }));
  };
  return { fetch, requests };
}

const pending = (id, since) => ({ id, state: 'pending', pending_since: since });

// signIn runs the page's start as the browser would (DOMContentLoaded, then
// GET me and the queue) and returns the helpers the tests look through.
async function signIn(server) {
  const ctx = load(server.fetch, { setInterval: () => 0 });
  const $ = (id) => ctx.document.getElementById(id);
  $('unanswered').hidden = true;
  ctx.document.listeners.DOMContentLoaded();
  await new Promise((resolve) => setTimeout(resolve, 0)); // GET session
  await vm.runInContext('queuing', ctx);
  const ids = () => $('list').childNodes.map((li) => li.childNodes[0].getAttribute?.('data-id') ?? li.textContent);
  const click = async () => { $('more').listeners.click(); await vm.runInContext('queuing', ctx); };
  return { ctx, $, ids, click };
}

test('Show more appends the next page; the refresh keeps every page, each conversation once', async () => {
  const convs = [1, 2, 3, 4, 5].map((i) => pending('c' + i, i));
  const server = queueServer(convs);
  const { ctx, $, ids, click } = await signIn(server);
  assert.deepEqual(ids(), ['c1', 'c2']);
  assert.equal($('more').hidden, false);
  assert.equal($('more').textContent, 'Show more (3 not shown)');

  await click();
  assert.deepEqual(ids(), ['c1', 'c2', 'c3', 'c4']);
  assert.equal($('more').textContent, 'Show more (1 not shown)');
  assert.equal($('queue-status').textContent, 'Showing 4 of 5, longest waiting first.');
  // The focus moves to the first conversation loaded, where the agent reads on.
  assert.equal(ctx.document.activeElement.getAttribute('data-id'), 'c3');

  // Meanwhile another agent takes c2 and c6 arrives: the refresh reloads
  // both pages on screen, so c2 leaves the list and c5 moves up.
  convs[1].state = 'open';
  convs.push(pending('c6', 6));
  server.requests.length = 0;
  await ctx.loadQueue();
  assert.deepEqual(ids(), ['c1', 'c3', 'c4', 'c5']);
  assert.deepEqual(server.requests, ['/console/api/conversations?state=pending',
    '/console/api/conversations?state=pending&cursor=' + encodeURIComponent('[3,"c3"]')], 'two pages, as many as on screen');
  assert.equal($('more').textContent, 'Show more (1 not shown)');

  await click();
  assert.deepEqual(ids(), ['c1', 'c3', 'c4', 'c5', 'c6']);
  assert.equal($('more').hidden, true, 'nothing more to show');
  await ctx.loadQueue();
  assert.deepEqual(ids(), ['c1', 'c3', 'c4', 'c5', 'c6']);
});

test('a conversation that moves to a later page between two loads shows once', async () => {
  const convs = [1, 2, 3, 4].map((i) => pending('c' + i, i));
  const server = queueServer(convs);
  const { ids, click } = await signIn(server);
  assert.deepEqual(ids(), ['c1', 'c2']);
  convs[0].pending_since = 10; // resolved and handed off again: waits least now
  await click();
  assert.deepEqual(ids(), ['c1', 'c2', 'c3', 'c4']);
  await click();
  assert.deepEqual(ids(), ['c1', 'c2', 'c3', 'c4'], 'c1 again on the last page');
});

test('a refresh and Show more at once neither duplicate nor drop entries', async () => {
  const server = queueServer([1, 2, 3, 4, 5, 6, 7].map((i) => pending('c' + i, i)));
  const { ctx, ids } = await signIn(server);
  ctx.loadQueue(); // the timer fires as the agent presses the button
  ctx.document.getElementById('more').listeners.click();
  ctx.loadQueue();
  await vm.runInContext('queuing', ctx);
  assert.deepEqual(ids(), ['c1', 'c2', 'c3', 'c4']);
});

test('the refresh keeps the focus on the entry the agent is on', async () => {
  const convs = [1, 2, 3, 4, 5].map((i) => pending('c' + i, i));
  const { ctx, $, click } = await signIn(queueServer(convs));
  await click();
  const c4 = $('list').childNodes[3].childNodes[0];
  c4.focus();
  convs[1].state = 'open'; // another agent takes c2: the list shifts under the agent
  await ctx.loadQueue();
  const focused = ctx.document.activeElement;
  assert.notEqual(focused, c4, 'the list was rebuilt');
  assert.equal(focused.getAttribute('data-id'), 'c4');
});

test('another list starts at its first page; a failed Show more says so', async () => {
  const convs = [1, 2, 3, 4, 5].map((i) => pending('c' + i, i));
  const server = queueServer(convs);
  const { ctx, $, ids, click } = await signIn(server);
  await click();
  assert.equal(ids().length, 4);
  for (const c of convs) c.state = 'open';
  vm.runInContext("state = 'open'", ctx);
  await ctx.loadQueue();
  assert.deepEqual(ids(), ['c1', 'c2'], 'one page of the open list');
  vm.runInContext("fetch = async () => ({ status: 503, ok: false, statusText: 'x', json: async () => ({ error: { message: 'store unavailable; retry' } }) })", ctx);
  await click();
  assert.deepEqual(ids(), ['c1', 'c2']);
  assert.equal($('queue-status').textContent, 'Loading more failed: store unavailable; retry');
});

// ---- The reply form follows the conversation's state and assignee ------------

test('controlsFor: resolved turns the form off and offers Reopen, Take follows the assignee', () => {
  const ctx = load();
  const cases = [
    // conversation, agent, disabled, Take hidden, Reopen hidden, Take's label, note
    [{ state: 'resolved', assignee: 'Anna' }, 'Anna', true, true, false, 'Take', /^Resolved: it takes no more replies until you reopen it\./],
    [{ state: 'resolved', assignee: '' }, 'Anna', true, true, false, 'Take', /^Resolved/],
    [{ state: 'open', assignee: 'Anna' }, 'Anna', false, true, true, 'Take', /^You have this conversation\.$/],
    [{ state: 'open', assignee: 'Ben' }, 'Anna', false, false, true, 'Take over from Ben', /^Assigned to Ben\. You can reply; Take over makes it yours\.$/],
    [{ state: 'pending', assignee: '' }, 'Anna', false, false, true, 'Take', /^Nobody has it yet/],
    // Signed out (no name), an unassigned conversation is nobody's, not "mine".
    [{ state: 'pending', assignee: '' }, '', false, false, true, 'Take', /^Nobody has it yet/],
    [null, 'Anna', true, false, true, 'Take', /^$/], // loading
  ];
  for (const [c, agent, disabled, takeHidden, reopenHidden, take, note] of cases) {
    const got = ctx.controlsFor(c, agent);
    const what = JSON.stringify(c) + ' for ' + agent;
    assert.equal(got.disabled, disabled, what + ': disabled');
    assert.equal(got.takeHidden, takeHidden, what + ': Take hidden');
    assert.equal(got.reopenHidden, reopenHidden, what + ': Reopen hidden');
    assert.equal(got.take, take, what + ': Take label');
    assert.match(got.note, note, what + ': note');
  }
});

// convServer answers the console API for one conversation c1 as the
// backend's store does: resolved refuses reply and assign with 409
// conversation_resolved, reopen refuses what is not resolved with 409
// conversation_not_resolved and makes a resolved one open and the
// agent's, assign refuses another agent's conversation
// with 409 assigned_elsewhere unless force, reply assigns an unassigned
// conversation. It records the requests; act changes the conversation
// as another agent would.
function convServer(conv, agent = 'Anna') {
  const requests = [];
  const c = { id: 'c1', reason: 'out_of_scope', lang: 'en', ...conv };
  const resolved = () => reply(409, '{"error":{"code":"conversation_resolved","message":"conversation is resolved; it cannot be assigned or answered"}}');
  const header = () => reply(200, JSON.stringify({ conversation: c, messages: [] }));
  const fetch = async (url, opt) => {
    const u = new URL(url, 'http://console.test');
    const path = u.pathname.slice(u.pathname.indexOf('/api/') + '/api/'.length); // below any prefix
    const body = opt.body ? JSON.parse(opt.body) : undefined;
    requests.push(opt.method + ' ' + path + (opt.body ? ' ' + opt.body : ''));
    if (path === 'session') return reply(200, JSON.stringify({ agent }));
    if (path === 'conversations') return reply(200, '{"conversations":[],"total":0,"remaining":0,"next_cursor":""}');
    if (path === 'conversations/c1') return header();
    if (path === 'conversations/c1/resolve') { c.state = 'resolved'; return header(); }
    if (path === 'conversations/c1/reopen') {
      if (c.state !== 'resolved') {
        return reply(409, JSON.stringify({ state: c.state, error: { code: 'conversation_not_resolved',
          message: 'conversation is ' + c.state + ', not resolved; only a resolved conversation can be reopened' } }));
      }
      Object.assign(c, { state: 'open', assignee: agent });
      return header();
    }
    if (c.state === 'resolved') return resolved();
    if (path === 'conversations/c1/assign') {
      if (c.assignee && c.assignee !== agent && !body.force) {
        return reply(409, JSON.stringify({ assignee: c.assignee, error: { code: 'assigned_elsewhere', message: 'assigned to ' + c.assignee } }));
      }
      Object.assign(c, { state: 'open', assignee: agent });
      return header();
    }
    if (path === 'conversations/c1/reply') {
      Object.assign(c, { state: 'open', assignee: c.assignee || agent });
      return reply(200, JSON.stringify({ id: body.id, seq: 1, conversation: c }));
    }
    throw new Error('unexpected request ' + path);
  };
  return { fetch, requests, conv: c };
}

// openAs signs agent in, opens c1 as the page does when the agent clicks
// it in the queue, and returns the page's helpers.
async function openAs(server, globals = {}) {
  const ctx = load(server.fetch, { setInterval: () => 0, EventSource: class { addEventListener() {} close() {} }, ...globals });
  const $ = (id) => ctx.document.getElementById(id);
  $('unanswered').hidden = true;
  ctx.document.listeners.DOMContentLoaded();
  await new Promise((resolve) => setTimeout(resolve, 0)); // GET session
  await ctx.openConversation('c1');
  await vm.runInContext('queuing', ctx);
  const form = () => ({ text: $('text').disabled, send: $('send').disabled, take: $('assign').disabled, resolve: $('resolve').disabled });
  return { ctx, $, form };
}

const allOff = { text: true, send: true, take: true, resolve: true };
const allOn = { text: false, send: false, take: false, resolve: false };

test('a resolved conversation disables reply box, Send, Take and Resolve and says why', async () => {
  const server = convServer({ state: 'resolved', assignee: 'Anna' });
  const { $, form } = await openAs(server);
  assert.deepEqual(form(), allOff);
  assert.match($('state-note').textContent, /^Resolved: .*until you reopen it/);
  assert.equal($('reopen').hidden, false, 'Reopen is offered');
  assert.equal($('reopen').disabled, undefined, 'Reopen is never disabled');
  // Submitting anyway (Enter in a stale page) sends nothing.
  $('text').value = 'hello';
  await $('reply').listeners.submit({ preventDefault() {} });
  assert.ok(!server.requests.some((r) => r.startsWith('POST')), server.requests.join('\n'));
  assert.equal($('text').value, 'hello', 'the draft is kept');
  // The description is the note, for every control.
  const page = readFileSync(new URL('./console/index.html', import.meta.url), 'utf8');
  for (const id of ['text', 'send', 'assign', 'resolve']) {
    assert.match(page, new RegExp(`id="${id}"[^>]*aria-describedby="[^"]*state-note`), `#${id} described by the note`);
  }
  assert.match(page, /<p id="state-note" role="status" tabindex="-1">/);
});

test('Resolve turns the form off and moves the focus to the note, not into a disabled button', async () => {
  const server = convServer({ state: 'open', assignee: 'Anna' });
  const { ctx, $, form } = await openAs(server);
  assert.deepEqual(form(), { ...allOn });
  $('resolve').focus();
  await $('resolve').listeners.click();
  assert.deepEqual(form(), allOff);
  assert.equal(ctx.document.activeElement, $('state-note'));
  assert.match($('state-note').textContent, /^Resolved/);
});

test('Take hides itself once the conversation is the agent\'s and moves the focus to the reply box', async () => {
  const server = convServer({ state: 'pending', assignee: '' });
  const { ctx, $, form } = await openAs(server);
  assert.equal($('assign').hidden, false);
  assert.equal($('assign').textContent, 'Take');
  $('assign').focus();
  await $('assign').listeners.click();
  assert.deepEqual(server.requests.filter((r) => r.startsWith('POST')), ['POST conversations/c1/assign {}']);
  assert.equal($('assign').hidden, true);
  assert.deepEqual(form(), allOn);
  assert.equal(ctx.document.activeElement, $('text'));
  assert.equal($('state-note').textContent, 'You have this conversation.');
});

test('a reply to an unassigned conversation makes it the agent\'s: Take goes', async () => {
  const server = convServer({ state: 'pending', assignee: '' });
  const { ctx, $ } = await openAs(server, { crypto: { randomUUID: () => 'u1' } });
  $('text').value = 'Hello!';
  await $('reply').listeners.submit({ preventDefault() {} });
  assert.equal($('text').value, '');
  assert.equal($('assign').hidden, true);
  assert.equal(ctx.document.activeElement, null, 'the focus stays where it was');
});

test('Take over from another agent forces without asking again; asks if someone else has it by now', async () => {
  for (const [assignee, now, asked] of [['Ben', 'Ben', []], ['Ben', 'Cleo', ['This conversation is assigned to Cleo. Take it over?']]]) {
    const server = convServer({ state: 'open', assignee });
    const questions = [];
    const { $, form } = await openAs(server, { confirm: (q) => { questions.push(q); return true; } });
    assert.equal($('assign').textContent, 'Take over from ' + assignee);
    assert.equal($('state-note').textContent, 'Assigned to ' + assignee + '. You can reply; Take over makes it yours.');
    assert.deepEqual(form(), allOn, 'replying to another agent\'s conversation is allowed');
    server.conv.assignee = now; // meanwhile, maybe another agent took it
    await $('assign').listeners.click();
    assert.deepEqual(questions, asked, `shown ${assignee}, assigned to ${now}`);
    assert.deepEqual(server.requests.filter((r) => r.startsWith('POST')),
      ['POST conversations/c1/assign {}', 'POST conversations/c1/assign {"force":true}']);
    assert.equal($('assign').hidden, true);
    assert.equal($('error').textContent, '');
  }
});

test('a reply refused as resolved (resolved by someone else) turns the form off', async () => {
  const server = convServer({ state: 'open', assignee: 'Anna' });
  const { ctx, $, form } = await openAs(server, { crypto: { randomUUID: () => 'u1' } });
  server.conv.state = 'resolved'; // another agent resolved it; no event came yet
  $('text').value = 'Hello!';
  $('send').focus();
  await $('reply').listeners.submit({ preventDefault() {} });
  await new Promise((resolve) => setTimeout(resolve, 0)); // the header read again
  assert.equal($('error').textContent, 'conversation is resolved; it cannot be assigned or answered');
  assert.deepEqual(form(), allOff);
  assert.equal(ctx.document.activeElement, $('state-note'));
  assert.equal($('text').value, 'Hello!', 'the unsent reply is kept');
});

test('Reopen makes a resolved conversation open and the agent\'s, and moves the focus to the reply box', async () => {
  const server = convServer({ state: 'resolved', assignee: 'Ben' });
  const { ctx, $, form } = await openAs(server);
  assert.deepEqual(form(), allOff);
  $('reopen').focus(); // a keyboard user: Tab to the button, Enter
  await $('reopen').listeners.click();
  assert.deepEqual(server.requests.filter((r) => r.startsWith('POST')), ['POST conversations/c1/reopen {}']);
  assert.deepEqual(form(), allOn, 'the reply box, Send and Resolve are on again');
  assert.equal($('reopen').hidden, true);
  assert.equal($('assign').hidden, true, 'it is the agent\'s now: no Take');
  assert.equal(ctx.document.activeElement, $('text'), 'the focus is in the reply box, not lost with the hidden button');
  assert.equal($('state-note').textContent, 'You have this conversation.');
  assert.equal($('error').textContent, '');
});

test('Reopen refused because someone reopened it meanwhile says so and shows it as it is', async () => {
  const server = convServer({ state: 'resolved', assignee: 'Anna' });
  const { $, form } = await openAs(server);
  Object.assign(server.conv, { state: 'open', assignee: 'Ben' }); // Ben reopened it; no event came yet
  await $('reopen').listeners.click();
  await new Promise((resolve) => setTimeout(resolve, 0)); // the header read again
  assert.equal($('error').textContent, 'conversation is open, not resolved; only a resolved conversation can be reopened');
  assert.equal($('reopen').hidden, true);
  assert.equal($('assign').textContent, 'Take over from Ben');
  assert.deepEqual(form(), allOn);
});

test('Reopen is a button of the reply form, described by the note, hidden until a conversation is resolved', () => {
  const page = readFileSync(new URL('./console/index.html', import.meta.url), 'utf8');
  assert.match(page, /<form id="reply">[^]*<button type="button" id="reopen" aria-describedby="state-note" hidden>Reopen<\/button>[^]*<\/form>/);
});

test('opening a conversation turns the form off until its state is known', async () => {
  const server = convServer({ state: 'open', assignee: 'Anna' });
  const { ctx, $, form } = await openAs(server);
  assert.deepEqual(form(), allOn);
  let release;
  const gate = new Promise((r) => { release = r; });
  const fetch = server.fetch;
  ctx.fetch = async (url, opt) => { await gate; return fetch(url, opt); };
  server.conv.state = 'resolved';
  const opening = ctx.openConversation('c1');
  assert.deepEqual(form(), allOff, 'the last conversation\'s controls do not act on this one');
  release();
  await opening;
  assert.deepEqual(form(), allOff);
  assert.match($('state-note').textContent, /^Resolved/);
});

// ---- Start: no 401 before sign-in; an icon that loads --------------------------

test('the start asks GET session, not GET me, and shows the sign-in or the app', async () => {
  for (const [agent, login] of [['', false], ['Anna', true]]) {
    const requests = [];
    const ctx = load(async (url) => {
      requests.push(url);
      if (url.endsWith('/session')) return reply(200, JSON.stringify({ agent }));
      return reply(200, '{"conversations":[],"total":0,"remaining":0,"next_cursor":""}');
    }, { setInterval: () => 0 });
    const $ = (id) => ctx.document.getElementById(id);
    $('login').hidden = true;
    $('app').hidden = true;
    ctx.document.listeners.DOMContentLoaded();
    await new Promise((resolve) => setTimeout(resolve, 0));
    assert.equal(requests[0], PAGE + 'api/session');
    assert.ok(!requests.includes(PAGE + 'api/me'), requests.join(' '));
    assert.equal($('login').hidden, login, `agent ${JSON.stringify(agent)}: sign-in hidden`);
    assert.equal($('app').hidden, !login);
    if (agent) assert.equal($('who').textContent, agent);
  }
});

test('the page names its icon, an SVG file the console has', () => {
  const page = readFileSync(new URL('./console/index.html', import.meta.url), 'utf8');
  assert.match(page, /<link rel="icon" href="favicon\.svg" type="image\/svg\+xml">/);
  const svg = readFileSync(new URL('./console/favicon.svg', import.meta.url), 'utf8');
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*viewBox=/);
  assert.doesNotMatch(svg, /<script|href=/i, 'the icon loads nothing and runs nothing');
  // Every address the page loads is a file of the console (served by
  // console.go: TestConsolePageLoadsOnlyWhatIsServed checks the routes).
  for (const [, file] of page.matchAll(/(?:href|src)="([^"]+)"/g)) {
    assert.ok(readFileSync(new URL('./console/' + file, import.meta.url)).length > 0, file);
  }
});

test('sign-out clears the page at once and ends the session only after the loads under way', async () => {
  const requests = [];
  let release;
  const gate = new Promise((r) => { release = r; });
  const ctx = load(async (url, opt) => {
    const path = url.replace(PAGE + 'api/', '');
    requests.push(opt.method + ' ' + path);
    if (path === 'session') return reply(200, '{"agent":"Anna"}');
    if (path === 'logout') return reply(200, '{"status":"signed out"}');
    await gate; // the queue load is slow
    return reply(200, JSON.stringify({ conversations: [{ id: 'c9', state: 'pending', reason: 'out_of_scope', preview: 'x', waiting_seconds: 1 }], total: 1, remaining: 0, next_cursor: '' }));
  }, { setInterval: () => 0 });
  const $ = (id) => ctx.document.getElementById(id);
  $('unanswered').hidden = true;
  ctx.document.listeners.DOMContentLoaded();
  await new Promise((resolve) => setTimeout(resolve, 0)); // GET session, the queue load starts
  assert.deepEqual(requests, ['GET session', 'GET conversations?state=pending']);
  const out = ctx.signOut();
  assert.equal($('app').hidden, true, 'the page is cleared before the session ends');
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.ok(!requests.includes('POST logout'), 'logout waits for the load under way');
  release();
  await out;
  assert.deepEqual(requests, ['GET session', 'GET conversations?state=pending', 'POST logout']);
  assert.equal($('list').textContent, '', 'the late answer does not refill the hidden list');
});

// ---- Addresses: the page works below any prefix a proxy strips -----------------

test('the page loads its script, style and icon relative to its own address', () => {
  const page = readFileSync(new URL('./console/index.html', import.meta.url), 'utf8');
  const refs = [...page.matchAll(/(?:href|src)="([^"]*)"/g)].map((m) => m[1]);
  assert.deepEqual(refs.sort(), ['console.css', 'console.js', 'favicon.svg']);
  // Resolved as the browser does at the page's address (console.go
  // redirects .../console to .../console/), they stay below the prefix.
  for (const ref of refs) assert.equal(new URL(ref, 'https://shop.example/lotse/console/').pathname, '/lotse/console/' + ref);
});

// Every request of a session in the console, from the start to a reply in
// an open conversation and the sign-out, goes to the page's own api/ and
// the live stream too, whatever the prefix, query or fragment of the page.
for (const [page, api] of [
  ['http://console.test/console/', 'http://console.test/console/api/'],
  ['https://shop.example/lotse/console/', 'https://shop.example/lotse/console/api/'],
  ['https://shop.example/lotse/console/?lang=de#c1', 'https://shop.example/lotse/console/api/'],
  ['https://shop.example/support/console/console/', 'https://shop.example/support/console/console/api/'],
]) {
  test(`requests and the live stream go below the page's address: ${page}`, async () => {
    const server = convServer({ state: 'pending' });
    const urls = [];
    const fetch = (url, opt) => { urls.push(url); return server.fetch(url, opt); };
    const streams = [];
    const EventSource = class { constructor(url) { streams.push(url); } addEventListener() {} close() {} };
    const ctx = load(fetch, { setInterval: () => 0, EventSource, crypto: { randomUUID: () => 'u1' } }, page);
    const $ = (id) => ctx.document.getElementById(id);
    $('unanswered').hidden = true;
    ctx.document.listeners.DOMContentLoaded();
    await new Promise((resolve) => setTimeout(resolve, 0)); // GET session
    await ctx.openConversation('c1');
    $('text').value = 'Hello';
    await $('reply').listeners.submit({ preventDefault() {} });
    await ctx.signOut();
    const paths = urls.map((u) => u.slice(api.length));
    for (const want of ['session', 'conversations?state=pending', 'conversations/c1', 'conversations/c1/reply', 'logout']) {
      assert.ok(paths.includes(want), `${want} not requested: ${urls.join(' ')}`);
    }
    for (const u of urls) assert.ok(u.startsWith(api), `${u} is not below ${api}`);
    assert.deepEqual(streams, [api + 'conversations/c1/events?after=0']);
  });
}

test('a conversation ID stays one path segment of the API address', async () => {
  const urls = [];
  const streams = [];
  const ctx = load(async (url) => {
    urls.push(url);
    return reply(200, '{"conversation":{"id":"a/../b?c#d","state":"pending","reason":"out_of_scope"},"messages":[]}');
  }, { setInterval: () => 0, EventSource: class { constructor(url) { streams.push(url); } addEventListener() {} close() {} } },
  'https://shop.example/lotse/console/');
  await ctx.openConversation('a/../b?c#d');
  const api = 'https://shop.example/lotse/console/api/conversations/a%2F..%2Fb%3Fc%23d';
  assert.equal(urls[0], api);
  assert.equal(streams[0], api + '/events?after=0');
});
