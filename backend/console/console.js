// Lotse agent console. No framework. Every piece of message text goes into
// the page as text nodes (textContent, createTextNode), never as markup;
// Markdown is turned into elements built one by one; and the page's CSP
// forbids inline script: a visitor's "<script>" stays text.
'use strict';

const $ = (id) => document.getElementById(id);
let state = 'pending';
let current = null; // id of the open conversation
let lastSeq = 0;
let source = null;  // EventSource of the open conversation
let me = '';        // the signed-in agent's name, as the API names assignees

// apiURL returns the address of the console API's path, resolved against
// the page's own address (.../console/), never the host's root: a reverse
// proxy may serve the console below a prefix it strips (/lotse/console/),
// and the session cookie goes to .../console/api only (console.go).
function apiURL(path) {
  return new URL('api/' + path, document.baseURI).href;
}

async function api(method, path, body) {
  const opt = { method, headers: {}, credentials: 'same-origin' };
  if (body !== undefined) {
    opt.headers['Content-Type'] = 'application/json';
    opt.body = JSON.stringify(body);
  }
  const res = await fetch(apiURL(path), opt);
  const data = await res.json().catch(() => ({}));
  if (res.status === 401 && path !== 'login') showLogin();
  // Errors are {"error": {"code": "...", "message": "..."}}.
  if (!res.ok) {
    const err = new Error((data.error && data.error.message) || res.statusText);
    err.code = data.error && data.error.code;
    err.data = data;
    throw err;
  }
  return data;
}

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

// ---- Labels ---------------------------------------------------------------
// The API speaks in codes (out_of_scope, report_fraud); agents read words.

function humanize(code) {
  return String(code || '').replace(/[_-]+/g, ' ').trim();
}

// reasonLabel says why the bot handed a conversation off.
function reasonLabel(c) {
  switch (c.reason) {
    case 'out_of_scope': return 'Out of scope';
    case 'personal_data': return 'Personal data';
    case 'handoff_intent': return c.intent ? 'Asked for: ' + humanize(c.intent) : 'Asked for a person';
    default: return c.reason ? humanize(c.reason) : 'Handed off';
  }
}

// intentLabel is the bot's intent where it adds something to the reason.
// For personal data the classifier ran on a message it was not meant for
// ("my IBAN is ... danke" reads as "thanks"), so it is only a guess.
function intentLabel(c) {
  if (!c.intent || c.reason === 'handoff_intent') return '';
  return "bot's guess: " + humanize(c.intent);
}

function waiting(sec) {
  if (sec < 60) return sec + ' s';
  if (sec < 3600) return Math.floor(sec / 60) + ' min';
  return Math.floor(sec / 3600) + ' h';
}

// when formats a Unix millisecond time: the time of day for today, else
// date and time.
function when(ms, now) {
  const d = new Date(ms);
  const today = new Date(now === undefined ? Date.now() : now).toDateString() === d.toDateString();
  return today ? d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : d.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
}

// ---- Message text to DOM nodes, never parsed as markup -----------------------

// link makes an anchor for http, https, mailto and tel addresses only;
// anything else (javascript:, relative paths) stays text.
function link(label, href) {
  let u = null;
  try { u = new URL(href); } catch (e) { /* relative or garbage */ }
  if (!u || !/^(https?|mailto|tel):$/.test(u.protocol)) return document.createTextNode(label);
  const a = el('a', label);
  a.setAttribute('href', u.href);
  a.setAttribute('target', '_blank');
  a.setAttribute('rel', 'noopener noreferrer');
  return a;
}

function inline(s, parent) {
  const re = /\*\*(.+?)\*\*|\*([^*\s](?:[^*]*[^*\s])?)\*|\[([^\]\n]+)\]\(([^()\s]+)\)|(https?:\/\/[^\s<>()]*[^\s<>().,;:!?'"])/g;
  let last = 0;
  for (const m of s.matchAll(re)) {
    parent.append(s.slice(last, m.index));
    if (m[1] != null) inline(m[1], parent.appendChild(el('strong')));
    else if (m[2] != null) inline(m[2], parent.appendChild(el('em')));
    else if (m[3] != null) parent.append(link(m[3], m[4]));
    else parent.append(link(m[5], m[5])); // a bare address, as agents paste them
    last = m.index + m[0].length;
  }
  parent.append(s.slice(last));
}

// markdown renders the widget's Markdown subset (paragraphs, line breaks,
// "- " lists, **bold**, *italic*, [links](https://...)) exactly as the
// visitor sees it: a copy of markdown() and inline() in widget/widget.js,
// which backend/console_test.mjs keeps equal.
function markdown(text) {
  const f = document.createDocumentFragment();
  for (const block of String(text).replace(/\r\n?/g, '\n').split(/\n\s*\n/)) {
    let p = null, ul = null;
    for (const line of block.split('\n')) {
      const item = /^\s*- +(.*)$/.exec(line);
      if (item) {
        if (!ul) { ul = f.appendChild(el('ul')); p = null; }
        inline(item[1], ul.appendChild(el('li')));
      } else if (line.trim()) {
        ul = null;
        if (p) p.append(el('br')); else p = f.appendChild(el('p'));
        inline(line, p);
      }
    }
  }
  return f;
}

const KINDS = { iban: 'IBAN', card: 'card number', email: 'email address', phone: 'phone number', dob: 'date of birth',
  tax_id: 'tax ID', id_document: 'ID document', address: 'address', name: 'name' };

// highlight returns text with each span of personal data in a <mark>.
// Spans are JavaScript string offsets, ordered and not overlapping (the
// server's pii.Detect); bad ones are skipped, never thrown on.
function highlight(text, spans) {
  const f = document.createDocumentFragment();
  let last = 0;
  for (const s of spans || []) {
    if (!(s.start >= last && s.end > s.start && s.end <= text.length)) continue;
    f.append(text.slice(last, s.start));
    const m = el('mark', text.slice(s.start, s.end), 'pii');
    m.setAttribute('title', 'Personal data: ' + (KINDS[s.kind] || humanize(s.kind)));
    f.append(m);
    last = s.end;
  }
  f.append(text.slice(last));
  return f;
}

// showLogin shows the sign-in form and forgets the conversation on screen:
// after signing out, or when the session ended (401), the page must not
// keep a transcript with its personal data, hidden or not.
function showLogin() {
  if (source) source.close();
  source = null;
  current = null;
  lastSeq = 0;
  me = '';
  for (const id of ['transcript', 'list', 'groups', 'title', 'meta', 'error', 'who', 'queue-status', 'state-note']) $(id).replaceChildren();
  queue.state = null;
  queue.ids = new Set();
  queue.next = '';
  $('more').hidden = true;
  $('text').value = '';
  $('detail').hidden = true;
  $('app').hidden = true;
  $('logout').hidden = true;
  $('login').hidden = false;
}

// signOut clears the page and ends the session, also when ending the
// session fails: the agent may be walking away from the screen. The page
// goes first, so that no refresh starts meanwhile, and the session ends
// after the loads already under way: ended under them, they would come
// back 401, an error in the browser's console.
async function signOut() {
  showLogin();
  await Promise.all([queuing, catching]);
  try {
    await api('POST', 'logout', {});
  } catch (e) {
    $('login-error').textContent = 'Signing out failed (' + e.message + '); the session may still be valid until it expires.';
  }
}

function showApp(agent) {
  $('login').hidden = true;
  $('app').hidden = false;
  $('logout').hidden = false;
  $('who').textContent = agent;
  me = agent;
  loadQueue();
}

// queueEntry is the button for one conversation in the queue.
function queueEntry(c) {
  const b = el('button');
  b.append(el('span', reasonLabel(c), 'reason'));
  if (c.preview) b.append(el('span', c.preview, 'preview'));
  const time = c.state === 'resolved' ? 'resolved ' + when(c.updated) : 'waiting ' + waiting(c.waiting_seconds);
  b.append(el('span', [intentLabel(c), c.lang, c.assignee && 'assigned to ' + c.assignee, time].filter(Boolean).join(' · '), 'small'));
  b.setAttribute('aria-current', String(c.id === current));
  b.setAttribute('data-id', c.id);
  b.addEventListener('click', () => openConversation(c.id));
  return b;
}

// ---- The queue --------------------------------------------------------------
// The API gives the queue in pages (a cursor per page, never an offset, so
// that a page does not skip or repeat conversations that moved meanwhile).
// Show more appends the next page; the refresh every few seconds reloads
// as many pages as are on screen, so that conversations taken or resolved
// meanwhile leave every page, not only the first.

const queue = { state: null, pages: 1, ids: new Set(), next: '' };
let queuing = Promise.resolve(); // loads run one after another

function queuePath(s, cursor) {
  return 'conversations?state=' + s + (cursor ? '&cursor=' + encodeURIComponent(cursor) : '');
}

// serially runs fn after the queue loads before it, so that a page is
// never appended to a list being rebuilt.
function serially(fn) {
  const run = queuing.then(fn);
  queuing = run.catch(() => {}); // a failed load must not stop the ones after it
  return run;
}

// addEntries appends the conversations not on the list yet and returns the
// button of the first one added, or of the one with the ID find.
function addEntries(conversations, find) {
  let first = null;
  for (const c of conversations) {
    if (queue.ids.has(c.id)) continue; // moved between two pages
    queue.ids.add(c.id);
    const b = queueEntry(c);
    const li = el('li');
    li.append(b);
    $('list').append(li);
    if (!first || c.id === find) first = b;
  }
  return first;
}

// showCounts says how many conversations are on the list and offers the
// rest: data is the answer for the list's last page.
function showCounts(data) {
  queue.next = data.next_cursor || '';
  const left = queue.next ? data.remaining || 0 : 0;
  const more = $('more');
  more.hidden = left === 0;
  more.textContent = (state === 'resolved' ? 'Older' : 'Show more') + ' (' + left + ' not shown)';
  const order = state === 'resolved' ? 'most recently resolved first' : 'longest waiting first';
  $('queue-status').textContent = queue.ids.size ? 'Showing ' + queue.ids.size + ' of ' + (queue.ids.size + left) + ', ' + order + '.' : '';
}

// loadQueue reloads the queue on screen.
function loadQueue() {
  return serially(reloadQueue);
}

async function reloadQueue() {
  if ($('app').hidden || !$('unanswered').hidden) return;
  const s = state;
  if (queue.state !== s) queue.pages = 1;
  const pages = [];
  try {
    let cursor = '';
    do {
      const data = await api('GET', queuePath(s, cursor));
      pages.push(data);
      cursor = data.next_cursor;
    } while (cursor && pages.length < queue.pages);
  } catch (e) { return; }
  if (s !== state || $('app').hidden) return; // the agent switched lists or signed out meanwhile
  // The entry a keyboard user is on keeps the focus: rebuilt every few
  // seconds, the list must not throw the user back to the page's top.
  const focused = document.activeElement;
  const focusedId = focused && focused.getAttribute && focused.getAttribute('data-id');
  queue.state = s;
  queue.pages = pages.length; // fewer when the list shrank: a page on screen is one the agent asked for
  queue.ids = new Set();
  $('list').replaceChildren();
  let refocus = null;
  for (const data of pages) {
    const first = addEntries(data.conversations, focusedId);
    if (first && first.getAttribute('data-id') === focusedId) refocus = first;
  }
  if (!queue.ids.size) $('list').append(el('li', 'Nothing here.'));
  showCounts(pages[pages.length - 1]);
  if (refocus) refocus.focus();
}

// moreQueue appends the next page (the Show more button) and moves the
// focus to its first conversation, where a keyboard user reads on.
function moreQueue() {
  return serially(async () => {
    const s = state, cursor = queue.next;
    if (!cursor || queue.state !== s) return;
    let data;
    try {
      data = await api('GET', queuePath(s, cursor));
    } catch (e) {
      $('queue-status').textContent = 'Loading more failed: ' + e.message;
      return;
    }
    if (s !== state || $('app').hidden) return; // the agent switched lists or signed out meanwhile
    queue.pages++;
    const first = addEntries(data.conversations);
    showCounts(data);
    if (first) first.focus();
  });
}

// UNVERIFIED is the note on a bot_unverified line: one the visitor's
// client sent as the bot's that is none of the bot's current answers. It
// may be made up ("[verified] identity checked by the bot") or a real
// answer from before the bot's answers changed, so the agent must neither
// trust it as the bot's nor take it for the visitor's words.
const UNVERIFIED = 'Shown to the visitor as the bot\'s, but not one of the bot\'s current answers: ' +
  'not verified, and not the visitor\'s own words.';

// messageEntry renders one transcript message: the visitor's as plain text
// with personal data marked, the bot's and agents' as the visitor sees
// them. An unverified bot line is a bot line with a note, its text shown
// as the visitor's is: the client wrote it, so its Markdown makes no
// links for the agent to follow.
function messageEntry(m) {
  const unverified = m.role === 'bot_unverified';
  const li = el('li', undefined, unverified ? 'bot unverified' : m.role);
  const head = [unverified ? 'bot (unverified)' : m.role, new Date(m.ts).toLocaleTimeString()];
  const kinds = [...new Set((m.pii || []).map((s) => KINDS[s.kind] || humanize(s.kind)))];
  if (kinds.length) head.push('personal data: ' + kinds.join(', '));
  li.append(el('span', head.join(' · '), 'small'));
  // The note is text, before the message: a screen reader reads it first,
  // and it needs no colour to be seen.
  if (unverified) li.append(el('span', UNVERIFIED, 'note'));
  const body = el('div', undefined, 'text');
  body.append(m.role === 'visitor' || unverified ? highlight(m.text, m.pii) : markdown(m.text));
  li.append(body);
  return li;
}

function addMessage(m) {
  if (m.seq <= lastSeq) return;
  lastSeq = m.seq;
  const li = messageEntry(m);
  $('transcript').append(li);
  li.scrollIntoView({ block: 'nearest' });
}

function showMeta(c) {
  $('title').textContent = 'Conversation ' + (c.id.length > 16 ? c.id.slice(0, 8) + '…' : c.id);
  $('meta').textContent = [c.state, reasonLabel(c), intentLabel(c), c.lang, c.assignee && 'assigned to ' + c.assignee]
    .filter(Boolean).join(' · ');
  showControls(c);
}

// ---- What the agent can do with the open conversation -----------------------
// The reply form follows the conversation's state and assignee, so that
// the agent never writes a reply the API then refuses: a resolved
// conversation takes no reply, Take or Resolve (409 conversation_resolved)
// until Reopen makes it open again, and the agent's; Take is gone once the
// conversation is the agent's, and says "Take over" when it is another
// agent's. The note says why in words, which a disabled button alone does
// not; it is a status region, so a screen reader reads it out when it
// changes, and the controls name it as their description.

// RESOLVED is the note on a resolved conversation. A visitor who writes
// again gets a new conversation from the widget, which comes in as
// pending; Reopen is for the agent who follows up on this one.
const RESOLVED = 'Resolved: it takes no more replies until you reopen it. ' +
  'If the visitor writes again, that starts a new conversation under Pending.';

// controlsFor returns what the reply form offers for conversation c when
// agent is signed in: whether the reply box, Send, Take and Resolve are
// disabled, whether Take and Reopen are hidden, Take's label, and the note.
function controlsFor(c, agent) {
  if (!c) return { disabled: true, takeHidden: false, reopenHidden: true, take: 'Take', note: '' }; // loading
  if (c.state === 'resolved') return { disabled: true, takeHidden: true, reopenHidden: false, take: 'Take', note: RESOLVED };
  if (c.assignee && c.assignee === agent) {
    return { disabled: false, takeHidden: true, reopenHidden: true, take: 'Take', note: 'You have this conversation.' };
  }
  if (c.assignee) {
    return { disabled: false, takeHidden: false, reopenHidden: true, take: 'Take over from ' + c.assignee,
      note: 'Assigned to ' + c.assignee + '. You can reply; Take over makes it yours.' };
  }
  return { disabled: false, takeHidden: false, reopenHidden: true, take: 'Take', note: 'Nobody has it yet: Take it, or reply to take it.' };
}

// showControls applies controlsFor(c) to the form. The focus never stays
// on a control that was just disabled or hidden (the browser would drop it
// to the page's top): it moves to the reply box, or to the note when the
// box is off too. So Reopen, which hides itself, leaves the agent in the
// reply box.
function showControls(c) {
  const want = controlsFor(c, me);
  const text = $('text'), take = $('assign'), reopen = $('reopen');
  const controls = [text, $('send'), take, $('resolve')];
  const focused = [...controls, reopen].includes(document.activeElement) ? document.activeElement : null;
  for (const e of controls) e.disabled = want.disabled;
  take.hidden = want.takeHidden;
  reopen.hidden = want.reopenHidden;
  if (take.textContent !== want.take) take.textContent = want.take;
  take.dataset.assignee = (c && c.assignee) || '';
  // Set only when it changes: a status region may read the same text again.
  if ($('state-note').textContent !== want.note) $('state-note').textContent = want.note;
  if (focused && (focused.disabled || focused.hidden)) (text.disabled ? $('state-note') : text).focus();
}

// catchUp fetches the messages after lastSeq through the console API, which
// marks personal data (the live stream, shared with the widget, does not).
// Calls run one after another so that messages are added in order.
let catching = Promise.resolve();
function catchUp(id, fallback) {
  catching = catching.then(async () => {
    if (id !== current) return;
    try {
      const data = await api('GET', 'conversations/' + encodeURIComponent(id) + '?after=' + lastSeq);
      if (id !== current) return;
      showMeta(data.conversation);
      data.messages.forEach(addMessage);
    } catch (e) {
      if (fallback && id === current) addMessage(fallback);
    }
  });
  return catching;
}

async function openConversation(id) {
  if (source) source.close();
  source = null;
  current = id;
  lastSeq = 0;
  $('transcript').replaceChildren();
  $('error').textContent = '';
  $('detail').hidden = false;
  showControls(null); // the last conversation's controls must not act on this one
  let data;
  try {
    data = await api('GET', 'conversations/' + encodeURIComponent(id));
  } catch (e) {
    if (id === current) $('error').textContent = e.message;
    return;
  }
  if (id !== current) return; // the agent opened another one meanwhile
  showMeta(data.conversation);
  data.messages.forEach(addMessage);
  // Live: the stream the visitor's widget reads, at the console's own
  // address (the session cookie goes to the console API only; /v1 is the
  // edge's).
  source = new EventSource(apiURL('conversations/' + encodeURIComponent(id) + '/events?after=' + lastSeq));
  source.addEventListener('message', (e) => catchUp(id, JSON.parse(e.data)));
  source.addEventListener('state', () => refreshMeta());
  loadQueue();
}

async function refreshMeta() {
  if (!current) return;
  try { showMeta((await api('GET', 'conversations/' + encodeURIComponent(current) + '?after=' + lastSeq)).conversation); } catch (e) { /* shown on next action */ }
}

async function act(path, body) {
  $('error').textContent = '';
  try {
    const data = await api('POST', 'conversations/' + encodeURIComponent(current) + '/' + path, body);
    if (data.conversation) showMeta(data.conversation);
    loadQueue();
    return data;
  } catch (e) {
    failed(e);
  }
}

// failed shows an action's error. A conversation resolved meanwhile (by
// another agent) is shown as resolved at once: its controls turn off; one
// reopened meanwhile (Reopen refused as not resolved) is shown as it is now.
function failed(e) {
  $('error').textContent = e.message;
  if (e.code === 'conversation_resolved' || e.code === 'conversation_not_resolved') refreshMeta();
}

// take assigns the open conversation to the signed-in agent. If another
// agent has it, the backend answers 409 assigned_elsewhere naming them.
// The button said "Take over from" that agent: pressing it was the
// agent's choice, so take forces without asking. If someone else has it
// than the button said (it changed since), take asks first.
async function take() {
  const path = 'conversations/' + encodeURIComponent(current) + '/assign';
  const shown = $('assign').dataset.assignee;
  $('error').textContent = '';
  try {
    let data;
    try {
      data = await api('POST', path, {});
    } catch (e) {
      if (e.code !== 'assigned_elsewhere') throw e;
      const other = e.data.assignee || 'another agent';
      if (other !== shown && !confirm('This conversation is assigned to ' + other + '. Take it over?')) return;
      data = await api('POST', path, { force: true });
    }
    if (data.conversation) showMeta(data.conversation);
    loadQueue();
  } catch (e) {
    failed(e);
  }
}

async function loadUnanswered() {
  const data = await api('GET', 'unanswered');
  const body = $('groups');
  body.replaceChildren();
  for (const g of data.groups) {
    const tr = el('tr');
    tr.append(el('td', String(g.count)), el('td', g.example), el('td', (g.others || []).join(' | ')));
    body.append(tr);
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('login').addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const data = await api('POST', 'login', { name: $('name').value, password: $('password').value });
      $('password').value = '';
      $('login-error').textContent = '';
      showApp(data.agent);
    } catch (err) {
      $('login-error').textContent = err.message;
    }
  });
  $('logout').addEventListener('click', signOut);
  $('more').addEventListener('click', moreQueue);
  for (const b of document.querySelectorAll('nav button')) {
    b.addEventListener('click', () => {
      for (const o of document.querySelectorAll('nav button')) o.setAttribute('aria-pressed', String(o === b));
      const unanswered = b.dataset.view === 'unanswered';
      $('unanswered').hidden = !unanswered;
      $('queue').hidden = unanswered;
      $('detail').hidden = unanswered || !current;
      if (unanswered) { loadUnanswered(); return; }
      state = b.dataset.state;
      loadQueue();
    });
  }
  $('reply').addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = $('text').value;
    if (!text.trim() || $('text').disabled) return;
    const id = 'agent-' + crypto.randomUUID(); // retry-safe
    if (await act('reply', { id, text })) $('text').value = '';
  });
  $('assign').addEventListener('click', take);
  $('resolve').addEventListener('click', () => act('resolve', {}));
  $('reopen').addEventListener('click', () => act('reopen', {}));
  // The open conversation's header is read again with the queue: the live
  // stream says when its state changes, but not when another agent takes
  // it over, which Take must follow.
  setInterval(() => { loadQueue(); if (current) catchUp(current); }, 5000);
  // GET session, not GET me: signed out is no error there, so a first
  // visit shows the sign-in without a 401 in the browser's console.
  api('GET', 'session').then((d) => {
    if (d.agent) showApp(d.agent);
    else showLogin();
  }, (e) => {
    showLogin();
    $('login-error').textContent = 'Checking the sign-in failed (' + e.message + '); sign in again.';
  });
});
