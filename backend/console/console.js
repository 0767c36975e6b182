// Lotse agent console. No framework. Every piece of message text goes into
// the page through textContent, never as markup, and the page's CSP forbids
// inline script: a visitor's "<script>" stays text.
'use strict';

const $ = (id) => document.getElementById(id);
let state = 'pending';
let current = null; // id of the open conversation
let lastSeq = 0;
let source = null;  // EventSource of the open conversation

async function api(method, path, body) {
  const opt = { method, headers: {}, credentials: 'same-origin' };
  if (body !== undefined) {
    opt.headers['Content-Type'] = 'application/json';
    opt.body = JSON.stringify(body);
  }
  const res = await fetch('/console/api/' + path, opt);
  const data = await res.json().catch(() => ({}));
  if (res.status === 401 && path !== 'login') showLogin();
  // Errors are {"error": {"code": "...", "message": "..."}}.
  if (!res.ok) throw new Error((data.error && data.error.message) || res.statusText);
  return data;
}

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function showLogin() {
  $('app').hidden = true;
  $('logout').hidden = true;
  $('login').hidden = false;
  $('who').textContent = '';
}

function showApp(agent) {
  $('login').hidden = true;
  $('app').hidden = false;
  $('logout').hidden = false;
  $('who').textContent = agent;
  loadQueue();
}

function waiting(sec) {
  if (sec < 60) return sec + ' s';
  if (sec < 3600) return Math.floor(sec / 60) + ' min';
  return Math.floor(sec / 3600) + ' h';
}

async function loadQueue() {
  if ($('app').hidden || !$('unanswered').hidden) return;
  let data;
  try { data = await api('GET', 'conversations?state=' + state); } catch (e) { return; }
  const list = $('list');
  list.replaceChildren();
  for (const c of data.conversations) {
    const b = el('button');
    b.append(el('span', c.reason || 'handoff'), el('span', [c.intent, c.lang, c.assignee].filter(Boolean).join(' · '), 'small'),
      el('span', 'waiting ' + waiting(c.waiting_seconds), 'small'));
    b.setAttribute('aria-current', String(c.id === current));
    b.addEventListener('click', () => openConversation(c.id));
    const li = el('li');
    li.append(b);
    list.append(li);
  }
  if (!data.conversations.length) list.append(el('li', 'Nothing here.'));
}

function addMessage(m) {
  if (m.seq <= lastSeq) return;
  lastSeq = m.seq;
  const li = el('li', undefined, m.role);
  li.append(el('span', m.role + ' · ' + new Date(m.ts).toLocaleTimeString(), 'small'), el('span', m.text));
  $('transcript').append(li);
  li.scrollIntoView({ block: 'nearest' });
}

function showMeta(c) {
  $('title').textContent = 'Conversation ' + c.id.slice(0, 8);
  $('meta').textContent = [c.state, c.reason, c.intent, c.lang, c.assignee && 'assigned to ' + c.assignee].filter(Boolean).join(' · ');
}

async function openConversation(id) {
  if (source) source.close();
  current = id;
  lastSeq = 0;
  $('transcript').replaceChildren();
  $('error').textContent = '';
  $('detail').hidden = false;
  const data = await api('GET', 'conversations/' + encodeURIComponent(id));
  showMeta(data.conversation);
  data.messages.forEach(addMessage);
  // Live: the same stream the visitor's widget reads.
  source = new EventSource('/v1/conversations/' + encodeURIComponent(id) + '/events?after=' + lastSeq);
  source.addEventListener('message', (e) => addMessage(JSON.parse(e.data)));
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
    $('error').textContent = e.message;
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
  $('logout').addEventListener('click', async () => { await api('POST', 'logout', {}); showLogin(); });
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
    if (!text.trim()) return;
    const id = 'agent-' + crypto.randomUUID(); // retry-safe
    if (await act('reply', { id, text })) $('text').value = '';
  });
  $('assign').addEventListener('click', () => act('assign', {}));
  $('resolve').addEventListener('click', () => act('resolve', {}));
  setInterval(loadQueue, 5000);
  api('GET', 'me').then((d) => showApp(d.agent), () => showLogin());
});
