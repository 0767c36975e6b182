/*! Lotse chat widget. One script tag:
 *  <script src="https://HOST/widget.js" data-bot="demo" data-endpoint="https://HOST" async></script>
 * Options: data-lang (de|en), data-mode (auto|browser|edge), data-color (#rrggbb),
 * data-position (right|left), data-title, data-greeting(-de|-en), data-formal (German
 * in the Sie form), data-wasm (engine.wasm's URL; default: the endpoint's, if its
 * /v1/health lists one). JS API: Lotse.open(), close(), send(text), on(event, fn).
 * See widget/README.md (CSP, events, storage). No innerHTML: every text becomes a text node. */
(() => {
  'use strict';
  if (window.Lotse && window.Lotse.version) return; // loaded twice: keep the first

  const d = document;
  const script = d.currentScript || d.querySelector('script[src*="widget.js"][data-bot]');
  const ds = (script && script.dataset) || {};
  const base = (ds.endpoint || (script && script.src ? new URL(script.src, location.href).origin : location.origin)).replace(/\/+$/, '');
  const bot = ds.bot || 'demo';
  const mode = /^(auto|browser|edge)$/.test(ds.mode) ? ds.mode : 'auto';
  const KEY = 'lotse:' + bot;

  // ---- language and strings --------------------------------------------------
  const STR = {
    en: {
      open: 'Open chat', close: 'Close chat', title: 'Customer service chat', log: 'Chat messages',
      input: 'Your message', send: 'Send message', you: 'You', bot: 'Assistant', agent: 'Service team',
      hello: 'Hi! How can I help?',
      typing: 'Writing a reply…', connecting: 'Connecting you to a person from our service team…',
      joined: 'A person from our service team has joined.', resolved: 'This conversation is resolved.',
      privacy: 'Your message contains personal data, so a person from our service team answers it, not the assistant.',
      card: 'Please never send card numbers, PINs or passwords in a chat.',
      offline: 'You are offline. Messages will be sent when the connection is back.',
      later: 'You can close this page and come back later: your conversation is kept.',
      queued: 'Waiting to be sent', failed: 'Could not be sent', again: 'New conversation', unread: 'new message'
    },
    de: {
      open: 'Chat öffnen', close: 'Chat schließen', title: 'Kundenservice-Chat', log: 'Chatnachrichten',
      input: 'Deine Nachricht', send: 'Nachricht senden', you: 'Du', bot: 'Assistent', agent: 'Serviceteam',
      hello: 'Hallo! Wie kann ich helfen?',
      typing: 'Antwort wird geschrieben…', connecting: 'Wir verbinden dich mit einer Person aus unserem Serviceteam…',
      joined: 'Eine Person aus unserem Serviceteam ist jetzt da.', resolved: 'Dieses Gespräch ist abgeschlossen.',
      privacy: 'Deine Nachricht enthält persönliche Daten, deshalb antwortet dir eine Person aus unserem Serviceteam, nicht der Assistent.',
      card: 'Bitte sende nie Kartennummern, PINs oder Passwörter in einem Chat.',
      offline: 'Du bist offline. Nachrichten werden gesendet, sobald die Verbindung zurück ist.',
      later: 'Du kannst die Seite schließen und später wiederkommen: dein Gespräch bleibt erhalten.',
      queued: 'Wird gesendet, sobald möglich', failed: 'Konnte nicht gesendet werden', again: 'Neues Gespräch', unread: 'neue Nachricht'
    }
  };
  // data-formal: the German texts that address the visitor, in the Sie form
  // most shops use (du is the default); English has no such difference.
  if (ds.formal != null && ds.formal !== 'false') Object.assign(STR.de, {
    input: 'Ihre Nachricht', you: 'Sie', connecting: 'Wir verbinden Sie mit einer Person aus unserem Serviceteam…',
    privacy: 'Ihre Nachricht enthält persönliche Daten, deshalb antwortet Ihnen eine Person aus unserem Serviceteam, nicht der Assistent.',
    card: 'Bitte senden Sie nie Kartennummern, PINs oder Passwörter in einem Chat.',
    offline: 'Sie sind offline. Nachrichten werden gesendet, sobald die Verbindung zurück ist.',
    later: 'Sie können die Seite schließen und später wiederkommen: Ihr Gespräch bleibt erhalten.'
  });
  const pick = (v) => (v || '').toLowerCase().slice(0, 2);
  const lang = [ds.lang, d.documentElement.lang, navigator.language].map(pick).find((l) => STR[l]) || 'en';
  let T = STR[lang]; // follows the language of the last reply (conv.ul), see applyLang

  // ---- events ----------------------------------------------------------------
  const handlers = {};
  const emit = (ev, data) => (handlers[ev] || []).slice().forEach((fn) => { try { fn(data); } catch (e) { setTimeout(() => { throw e; }); } });

  // ---- conversation state and consent-first storage --------------------------
  // Nothing is written to storage until the visitor sends a first message;
  // from then on the conversation (id, messages, last seq, outbox) persists.
  const uuid = () => (crypto.randomUUID ? crypto.randomUUID()
    : ([1e7] + -1e3 + -4e3 + -8e3 + -1e11).replace(/[018]/g, (c) => (c ^ crypto.getRandomValues(new Uint8Array(1))[0] & 15 >> c / 4).toString(16)));
  // hist: earlier, resolved conversations of this visitor, read-only and masked.
  const fresh = (old) => ({ v: 1, id: uuid(), msgs: [], seq: 0, state: 'bot', reason: null, intent: null, lang: null, outbox: [], ul: old && old.ul, hist: old ? old.hist.concat(old.msgs.map((m) => ({ id: m.id, role: m.role, text: m.pm || m.text, ts: m.ts, c: old.id }))).slice(-50) : [] });
  let conv = null;
  try { conv = JSON.parse(localStorage.getItem(KEY)); } catch (e) { /* storage blocked or corrupt */ }
  let consent = !!(conv && conv.v === 1 && conv.id);
  if (!consent) conv = fresh();
  conv.hist = conv.hist || [];
  // A message with personal data is stored masked (m.pm) once delivered; only
  // the outbox keeps the real text, which a retry after a reload must send.
  const save = () => { if (consent) try { localStorage.setItem(KEY, JSON.stringify({ ...conv, msgs: conv.msgs.map((m) => (m.pm && !conv.outbox.includes(m.id) ? { ...m, text: m.pm } : m)) })); } catch (e) { /* full or blocked */ } };
  const byId = (id) => conv.msgs.find((m) => m.id === id);

  // ---- HTTP ------------------------------------------------------------------
  // Retryable: network failure, 408, 429, 5xx (with the server's Retry-After).
  class Retry extends Error { constructor(ms) { super('retry'); this.ms = ms; } }
  async function post(path, body) {
    let r;
    try {
      r = await fetch(base + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), credentials: 'omit' });
    } catch (e) { throw new Retry(0); }
    if (r.ok) return r.json();
    if (r.status === 408 || r.status === 429 || r.status >= 500) throw new Retry(1000 * (+r.headers.get('Retry-After') || 0));
    if (r.status === 409) return null; // same id, other content: already delivered once
    throw new Error('HTTP ' + r.status);
  }

  // ---- local personal-data check (before the engine is loaded) ---------------
  // The engine's pii detector is the real one; this catches the obvious kinds so
  // that even the very first messages never go to /v1/chat with them.
  const luhn = (s) => { let sum = 0; for (let i = 0; i < s.length; i++) { let n = +s[s.length - 1 - i]; if (i % 2) { n *= 2; if (n > 9) n -= 9; } sum += n; } return sum % 10 === 0; };
  const ibanOK = (s) => { const r = (s.slice(4) + s.slice(0, 4)).replace(/[A-Z]/g, (c) => c.charCodeAt(0) - 55); let m = 0; for (const c of r) m = (m * 10 + +c) % 97; return m === 1; };
  function quickPII(text) {
    const found = [];
    const scan = (re, kind, ok) => { for (const m of text.matchAll(re)) if (!ok || ok(m[0].replace(/[\s-]/g, '').toUpperCase())) found.push({ kind, start: m.index, end: m.index + m[0].length }); };
    scan(/[^\s@<>()]+@[^\s@<>()]+\.[a-z]{2,}/gi, 'email');
    scan(/\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b/gi, 'iban', ibanOK);
    scan(/\b\d(?:[ -]?\d){12,18}\b/g, 'card', luhn);
    return found;
  }
  // The Reply's pii spans count UTF-8 bytes; JS strings count UTF-16 units.
  const unit = (text, byte) => { let i = 0, n = 0; for (const ch of text) { if (n >= byte) break; const c = ch.codePointAt(0); n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4; i += ch.length; } return i; };
  // mask replaces each span (JS indices) by its kind, as pii.Redact does: "[IBAN]".
  function mask(text, spans) {
    let out = '', last = 0;
    spans.sort((a, b) => a.start - b.start).forEach((s) => {
      const a = Math.max(s.start, last), b = Math.min(s.end, text.length);
      if (a < b) { out += text.slice(last, a) + '[' + (s.kind ? s.kind.toUpperCase() : 'PII') + ']'; last = b; }
    });
    return out + text.slice(last);
  }
  // learn masks m with the local spans q and the reply's, and follows the reply's language.
  function learn(m, r, q) {
    const s = q.concat(((r && r.pii) || []).map((p) => ({ kind: p.kind, start: unit(m.text, p.start), end: unit(m.text, p.end) })));
    if (s.length) { m.pm = mask(m.text, s); renderState(); } // a card number found: the note warns
    if (r && STR[r.lang] && r.lang !== conv.ul) { conv.ul = r.lang; applyLang(); }
  }

  // ---- engine in the browser ---------------------------------------------------
  let engine = null; // the lotse API object once loaded
  let engineP = null;
  const check = (r) => { if (r instanceof Error) throw r; return JSON.parse(r); };
  // Under a Trusted Types CSP a script URL needs a policy; the page allows it
  // with "trusted-types lotse-widget" (see README). Only URLs under base pass,
  // and the page's own data-wasm-exec (relative ones too).
  let tt = null;
  const origin = (u) => new URL(u, location.href).origin;
  try { tt = window.trustedTypes && trustedTypes.createPolicy('lotse-widget', { createScriptURL: (u) => { if (u !== ds.wasmExec && origin(u) !== origin(base)) throw new Error('script URL not under the endpoint'); return u; } }); } catch (e) { /* policy not allowed: loading fails, edge stays */ }
  function loadScript(src) {
    return new Promise((ok, fail) => {
      const s = d.createElement('script');
      s.src = tt ? tt.createScriptURL(src) : src; s.async = true; s.onload = ok; s.onerror = () => fail(new Error('cannot load ' + src));
      (d.head || d.documentElement).appendChild(s);
    });
  }
  async function fetchOK(url) {
    const r = await fetch(url, { credentials: 'omit' });
    if (!r.ok) throw new Error(url + ': HTTP ' + r.status);
    return r;
  }
  // assetURLs says where wasm_exec.js, engine.wasm and the model are. An
  // explicit data-wasm wins, with the other two as given or under the
  // endpoint, and costs no extra request. Otherwise the endpoint's
  // GET /v1/health answer lists what it serves ("assets": name -> immutable
  // /v/<hash>/ path): the Worker serves no engine.wasm, and guessing
  // <endpoint>/engine.wasm there cost every visitor a 404 and a console
  // error. Health rather than HEAD /engine.wasm: a HEAD finds out only about
  // engine.wasm, its 404 is a console error too, and it gives no versioned
  // paths; the one health request (small, once per page, only on the
  // first open) is paid back by the immutable paths of engine.wasm, the
  // model and wasm_exec.js, which a returning visitor's cache then serves
  // without revalidating. Nothing listed, nothing requested.
  async function assetURLs() {
    if (ds.wasm) return { wasm: ds.wasm, exec: ds.wasmExec || base + '/wasm_exec.js', model: ds.model || base + '/model.lotse' };
    const a = (await (await fetchOK(base + '/v1/health')).json()).assets || {};
    const url = (name, own) => {
      if (own) return own;
      if (/^\/[^/]/.test(a[name])) return base + a[name];
      throw new Error(base + ' serves no ' + name + ' (not among the assets of its /v1/health); set data-wasm to the URL of an engine.wasm, or data-mode="edge"');
    };
    return { wasm: url('engine.wasm'), exec: typeof Go === 'function' ? '' : url('wasm_exec.js', ds.wasmExec), model: url('model.lotse', ds.model) };
  }
  // Starts loading wasm_exec.js, engine.wasm and the model; called on the first
  // open, never before. Any failure (no WebAssembly, no engine at the
  // endpoint, CSP without 'wasm-unsafe-eval', network) leaves the widget on
  // the edge: silently in auto mode, the visitor does not notice; in browser
  // mode, which the page asked for, with one console message saying why.
  function loadEngine() {
    if (mode === 'edge' || engineP) return engineP;
    const t0 = performance.now();
    engineP = (async () => {
      if (typeof WebAssembly !== 'object') throw new Error('no WebAssembly in this browser');
      const u = await assetURLs();
      const model = fetchOK(u.model).then((r) => r.arrayBuffer());
      model.catch(() => {});
      if (typeof Go !== 'function') await loadScript(u.exec);
      const go = new Go();
      let inst;
      try {
        inst = (await WebAssembly.instantiateStreaming(fetchOK(u.wasm), go.importObject)).instance;
      } catch (e) {
        if (!(e instanceof TypeError)) throw e; // CompileError: CSP forbids wasm, or a bad file
        inst = (await WebAssembly.instantiate(await (await fetchOK(u.wasm)).arrayBuffer(), go.importObject)).instance;
      }
      const prev = Object.getOwnPropertyDescriptor(globalThis, 'lotse');
      go.run(inst).catch(() => { engine = null; }); // never settles while the engine runs
      const api = globalThis.lotse;
      if (prev) Object.defineProperty(globalThis, 'lotse', prev); else delete globalThis.lotse;
      if (!api || typeof api.reply !== 'function') throw new Error('engine did not start');
      const info = check(api.load(new Uint8Array(await model)));
      engine = api;
      const ms = Math.round(performance.now() - t0);
      emit('engine', { engine: 'browser', ms, model: info.name });
      return api;
    })().catch((e) => {
      const error = String(e && e.message || e);
      if (mode === 'browser') console.error('Lotse widget: data-mode="browser", but the engine cannot run here, so the edge answers: ' + error);
      emit('engine', { engine: 'edge', error });
      return null;
    });
    return engineP;
  }

  // ---- delivery: the outbox ------------------------------------------------------
  // Visitor messages are appended to conv.msgs and their ids to conv.outbox,
  // which is persisted. pump() delivers them in order; a retryable failure keeps
  // the message and tries again later with the same id (the edge and backend
  // deduplicate by id), so nothing is lost and nothing is doubled.
  let pumping = false, retryTimer = 0, backoff = 1000, busy = false;
  async function pump() {
    if (pumping) return;
    pumping = true;
    clearTimeout(retryTimer);
    const c = conv;
    try {
      while (c === conv && c.outbox.length) { // reset() starts a new conv: stop
        const id = c.outbox[0], m = byId(id);
        if (m) {
          try {
            await deliver(m);
            m.st = 'ok';
          } catch (e) {
            if (e instanceof Retry) {
              c.outbox.forEach((id) => { const q = byId(id); if (q && q.st !== 'q') { q.st = 'q'; update(q); } });
              const wait = Math.max(e.ms, backoff);
              backoff = Math.min(backoff * 2, 30000);
              if (navigator.onLine !== false) retryTimer = setTimeout(pump, wait);
              return; // 'online' also restarts the pump
            }
            m.st = 'x';
          }
          update(m);
        }
        backoff = 1000;
        // By id: another tab may have delivered and dropped it meanwhile (merge).
        c.outbox = c.outbox.filter((x) => x !== id);
        c.done = (c.done || []).concat(id).slice(-200); // tells the other tabs it went out
        save();
        listen(); // a first handoff stored: its conversation now has events
        if (!c.outbox.length && c.state === 'resolved') renderState(); // offer a new conversation
      }
    } finally {
      pumping = false;
      setBusy(false);
      if (c !== conv && conv.outbox.length) setTimeout(pump);
    }
  }

  const wire = (m) => ({ id: m.id, role: m.role, text: m.text, ts: m.ts });
  async function deliver(m) {
    const c = conv, q = quickPII(m.text);
    if (m.ho) return handoff(m, true); // a first handoff being retried
    const bot = conv.state === 'bot';
    if (bot) setBusy(true); // the typing dots: only while the bot itself answers
    if (bot && mode === 'browser' && !engine) await loadEngine();
    let r = null;
    // The local engine also runs on messages for a person: never sent anywhere,
    // it finds the personal data to mask in storage and the language.
    if (engine) {
      try { r = check(engine.reply(m.text)); r.local = true; } catch (e) { engine = null; }
    }
    if (!bot) { learn(m, r, q); return handoff(m, false); }
    if (q.length && !(r && r.reason === 'personal_data')) r = { ...r, action: 'handoff', reason: 'personal_data', answer: null };
    if (!r) {
      const body = { conversation_id: conv.id, message_id: m.id, text: m.text, lang: STR[pick(ds.lang)] ? pick(ds.lang) : undefined };
      // A lang hint the bot does not speak is refused (400): ask again without it.
      r = await post('/v1/chat', body).catch((e) => { if (e instanceof Retry || !body.lang) throw e; delete body.lang; return post('/v1/chat', body); });
    }
    setBusy(false);
    if (c !== conv) return;
    learn(m, r, q);
    if (!r) return;
    emit('reply', { id: m.id, local: !!r.local, reply: r });
    // A handoff_intent reply may carry what to do until a person takes over.
    if (r.answer && (r.action === 'answer' || r.reason === 'handoff_intent') && !byId(m.id + '.a')) add({ id: m.id + '.a', role: 'bot', text: r.answer, ts: Date.now(), st: 'ok' }, m);
    if (r.action === 'answer' && r.answer) return;
    // Decided now and persisted, so a retry after a reload sends the same body.
    m.ho = 1;
    conv.reason = r.reason || 'out_of_scope'; conv.intent = r.intent || null; conv.lang = r.lang || null;
    setState('pending');
    emit('handoff', { reason: conv.reason, intent: conv.intent });
    return handoff(m, true);
  }

  // Hands the conversation to a person (first: with the transcript up to m)
  // or delivers a further message of a conversation handed off. The body is
  // a function of stored state only: retries are byte-identical.
  async function handoff(m, first) {
    const a = first && byId(m.id + '.a'); // the bot's answer to m goes along: the agent sees what the visitor was told
    let msgs = (first ? conv.msgs.slice(0, conv.msgs.indexOf(a || m) + 1) : [m]).filter((x) => x.role !== 'agent' && x.text).slice(-200).map(wire);
    const body = () => ({ conversation_id: conv.id, message_id: m.id, reason: conv.reason || undefined,
      intent: conv.intent || undefined, lang: conv.lang || undefined, messages: msgs });
    // The edge refuses handoffs over 32 KB: the oldest lines of a very long transcript give way.
    while (msgs.length > (a ? 2 : 1) && new TextEncoder().encode(JSON.stringify(body())).length > 32000) msgs = msgs.slice(1);
    const c = conv, ack = await post('/v1/handoff', body());
    // The edge's finding masks the stored copy when no engine here found it.
    if (ack && ack.pii && ack.pii.length) learn(m, { pii: ack.pii }, quickPII(m.text));
    // A message that waited while the agent resolved reopens the conversation.
    if (c === conv && conv.state === 'resolved' && ack && ack.stored > 0) setState('pending');
  }

  // ---- live agent replies: SSE, falling back to long-poll ------------------------
  // Each waiting request holds one of the backend's few event readers, and
  // resolved conversations outnumber active ones by far (they stay in the
  // visitors' storage). An agent may reopen a resolved one (console:
  // Reopen; its stream then says "open"), so:
  // - pending, open: listen always, as an active chat does;
  // - resolved: listen only while the visitor looks at it, the panel open
  //   and the page visible: one reader, what an active chat costs anyway;
  // - resolved, panel closed or page hidden: no reader; peek() asks once,
  //   without waiting, when the page loads or becomes visible (opening the
  //   panel listens, which says the state at once).
  // Tabs listen each on their own, as for an active chat; the one that
  // learns of the reopen stores it, and the others follow (storage event).
  let es = null, polling = false, ac = null, peeked = 0;
  // Not before the first handoff is stored: the backend answers 404 for a
  // conversation it does not hold yet, and a refused EventSource falls back
  // to long-poll for good.
  const held = () => !conv.outbox.some((id) => (byId(id) || {}).ho);
  const live = () => held() && (conv.state === 'pending' || conv.state === 'open' || (conv.state === 'resolved' && !conv.gone && !panel.hidden && !d.hidden));
  const evURL = (c) => base + '/v1/conversations/' + encodeURIComponent(c.id) + '/events?after=' + c.seq;
  function listen() {
    if (!live() || es || polling) return;
    if (typeof EventSource === 'function' && !ds.noSse) {
      es = new EventSource(evURL(conv));
      es.addEventListener('message', (e) => { try { onEvent(JSON.parse(e.data)); } catch (x) { /* ignore */ } });
      es.addEventListener('state', (e) => { try { setState(JSON.parse(e.data).state); } catch (x) { /* ignore */ } });
      es.onerror = () => { if (es && es.readyState === 2) { es = null; poll(); } }; // refused: long-poll
    } else poll();
  }
  // unlisten also ends a long-poll under way: it would hold its reader for up to 25 s.
  function unlisten() { if (es) es.close(); es = null; if (ac) ac.abort(); }
  // take applies an answer about c, unless another conversation came meanwhile.
  const take = (c, j) => { if (c === conv) { (j.events || []).forEach(onEvent); setState(j.state); } };
  // gone: a resolved conversation the backend no longer has (deleted after
  // its retention): nothing will come, so nothing is asked again.
  const gone = (c, r) => { if (r.status !== 404 || c.state !== 'resolved') return false; c.gone = 1; save(); return true; };
  async function poll() {
    if (polling) return;
    polling = true;
    let wait = 1000;
    while (live()) {
      const c = conv, sig = (ac = new AbortController()).signal;
      try {
        const r = await fetch(evURL(c) + '&state=' + c.state, { credentials: 'omit', signal: sig });
        if (r.ok) {
          take(c, await r.json());
          wait = 1000;
          continue;
        }
        if (gone(c, r)) break;
        wait = Math.max(wait, 1000 * (+r.headers.get('Retry-After') || 0));
      } catch (e) { if (sig.aborted) continue; /* unlisten: ask live() again; else offline */ }
      await new Promise((ok) => setTimeout(ok, wait));
      wait = Math.min(wait * 2, 30000);
    }
    polling = false;
  }
  // peek asks once with wait=0 (the reader is freed at once) whether a
  // resolved conversation was reopened, and takes its replies. At most every
  // 15 s (tab switches), and for a week after the resolve: a follow-up comes
  // within days; later, the visitor learns of one on opening the chat.
  async function peek() {
    const c = conv, now = Date.now();
    if (c.state !== 'resolved' || c.gone || d.hidden || live() || now - peeked < 15000 || now - (c.sv || 0) > 7 * 864e5) return;
    peeked = now;
    try {
      const r = await fetch(evURL(c) + '&state=resolved&wait=0', { credentials: 'omit' });
      if (r.ok) take(c, await r.json()); else gone(c, r);
    } catch (e) { /* offline: asked again on the next load or return to the page */ }
  }
  function onEvent(e) {
    if (!e || typeof e.seq !== 'number' || e.seq <= conv.seq) return;
    conv.seq = e.seq;
    const m = byId(e.id);
    if (m) { if (m.st !== 'ok') { m.st = 'ok'; update(m); } } else {
      const n = { id: e.id, role: e.role, text: e.text, ts: e.ts, st: 'ok' };
      learn(n, null, quickPII(n.text)); // an agent may write personal data back too
      add(n);
    }
    save();
  }
  function setState(s) {
    if (!s || s === conv.state) return;
    conv.state = s;
    conv.sv = Date.now(); // for the other tabs (merge)
    save();
    if (live()) listen(); else unlisten(); // resolved -> open, pending (reopened): listen again
    renderState();
    emit('state', s);
  }

  // ---- Markdown subset to DOM nodes (never innerHTML) -------------------------------
  const el = (tag, attrs, ...kids) => {
    const n = d.createElement(tag);
    for (const k in attrs || {}) {
      if (k === 'on') for (const ev in attrs.on) n.addEventListener(ev, attrs.on[ev]);
      else if (attrs[k] != null) n.setAttribute(k, attrs[k]);
    }
    n.append(...kids);
    return n;
  };
  function link(label, href) {
    let u = null;
    try { u = new URL(href); } catch (e) { /* relative or garbage */ }
    if (!u || !/^(https?|mailto|tel):$/.test(u.protocol)) return d.createTextNode(label);
    return el('a', { href: u.href, target: '_blank', rel: 'noopener noreferrer' }, label);
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
  function markdown(text) {
    const f = d.createDocumentFragment();
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

  // ---- UI ----------------------------------------------------------------------------
  // Contrast: text on the accent colour is white or near-black, whichever
  // contrasts more (WCAG relative luminance).
  const lum = (hex) => {
    const c = hex.match(/\w\w/g).map((x) => parseInt(x, 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  let accent = /^#[0-9a-f]{3}([0-9a-f]{3})?$/i.test(ds.color || '') ? ds.color : '#0b57d0';
  if (accent.length === 4) accent = '#' + [...accent.slice(1)].map((c) => c + c).join('');
  const L = lum(accent);
  const onAccent = (1.05 / (L + 0.05)) >= ((L + 0.05) / (lum('#111111') + 0.05)) ? '#ffffff' : '#111111';

  const CSS = `
:host{all:initial!important;direction:ltr!important;unicode-bidi:isolate!important;display:block!important;position:fixed!important;z-index:2147483000!important;bottom:20px!important;right:20px!important;left:auto!important;top:auto!important;width:auto!important;height:auto!important;visibility:visible!important;opacity:1!important;transform:none!important;filter:none!important;pointer-events:auto!important;contain:none!important}
:host([data-position=left]){left:20px!important;right:auto!important}
*,*::before,*::after{box-sizing:border-box}
[hidden]{display:none!important}
.w{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1b1b1f;-webkit-text-size-adjust:100%}
button,textarea{font:inherit;color:inherit;margin:0}
:focus-visible{outline:3px solid #111;outline-offset:2px;box-shadow:0 0 0 5px #fff}
.sr{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.launch{display:flex;align-items:center;justify-content:center;width:58px;height:58px;border:0;border-radius:50%;background:var(--a);color:var(--on);cursor:pointer;box-shadow:0 4px 16px rgba(0,0,0,.3);position:relative;padding:0}
.launch svg{width:28px;height:28px;fill:currentColor}
.badge{position:absolute;top:-2px;right:-2px;min-width:20px;height:20px;border-radius:10px;background:#b3261e;color:#fff;font-size:12px;line-height:20px;text-align:center;font-weight:700;padding:0 5px}
.panel{position:fixed;bottom:92px;right:20px;width:380px;max-width:calc(100vw - 24px);height:600px;max-height:calc(100vh - 112px);display:flex;flex-direction:column;background:#fff;border-radius:16px;box-shadow:0 8px 40px rgba(0,0,0,.28);overflow:hidden}
:host([data-position=left]) .panel{left:20px;right:auto}
.head{display:flex;align-items:center;gap:8px;padding:12px 12px 12px 16px;background:var(--a);color:var(--on)}
.head h2{flex:1;margin:0;font-size:16px;font-weight:650}
.icon{display:flex;align-items:center;justify-content:center;width:40px;height:40px;border:0;border-radius:10px;background:transparent;color:inherit;cursor:pointer;padding:0}
.icon svg{width:22px;height:22px;fill:currentColor}
.log{flex:1;overflow-y:auto;padding:14px;display:flex;flex-direction:column;gap:8px;background:#f6f7f9}
.m{max-width:86%;padding:9px 12px;border-radius:14px;overflow-wrap:anywhere;white-space:normal}
.m p{margin:0}.m p+p,.m ul+p,.m ul{margin:6px 0 0}.m ul{padding-left:20px}
.m.visitor{align-self:flex-end;background:var(--a);color:var(--on);white-space:pre-wrap;border-bottom-right-radius:4px}
.m.bot,.m.agent{align-self:flex-start;background:#fff;border:1px solid #d9dce1;border-bottom-left-radius:4px}
.m.agent{border-color:#1e6b38;border-width:1px 1px 1px 4px}
.m a{color:#0842a0;text-decoration:underline}
.who{display:block;font-size:12px;font-weight:650;color:#3c4043;margin-bottom:2px}
.st{display:block;font-size:12px;margin-top:3px;opacity:.9}
.m.x{outline:2px solid #b3261e}
.note{margin:0;padding:9px 14px;font-size:13px;background:#fff8e1;color:#3d2f00;border-top:1px solid #e9dca8}
.note.ok{background:#e6f4ea;color:#0d3a1b;border-color:#b7dfc2}
.typing{align-self:flex-start;display:flex;gap:4px;padding:10px 12px;background:#fff;border:1px solid #d9dce1;border-radius:14px}
.typing i{width:7px;height:7px;border-radius:50%;background:#5f6368;animation:b 1.2s infinite ease-in-out}
.typing i:nth-child(3){animation-delay:.15s}.typing i:nth-child(4){animation-delay:.3s}
@keyframes b{0%,80%,100%{opacity:.3}40%{opacity:1}}
@media (prefers-reduced-motion:reduce){.typing i{animation:none}}
form{display:flex;gap:8px;padding:10px;border-top:1px solid #d9dce1;background:#fff;margin:0}
textarea{flex:1;resize:none;min-height:42px;max-height:120px;padding:10px 12px;border:1px solid #80868b;border-radius:10px;background:#fff;line-height:1.35}
.send{width:44px;height:42px;border:0;border-radius:10px;background:var(--a);color:var(--on);cursor:pointer;display:flex;align-items:center;justify-content:center;padding:0}
.send svg{width:20px;height:20px;fill:currentColor}
.sep{display:flex;align-items:center;gap:8px;margin:4px 0;font-size:12px;color:#3c4043}.sep::before,.sep::after{content:"";flex:1;border-top:1px solid #b0b4ba}
.again{margin:6px auto 0;display:block;border:1px solid #5f6368;background:#fff;border-radius:8px;padding:6px 12px;cursor:pointer}
@media (max-width:480px){.panel{inset:0;width:100%;max-width:none;height:100%;max-height:none;border-radius:0}.open .launch{display:none}}`;

  const svg = (path) => {
    const s = d.createElementNS('http://www.w3.org/2000/svg', 'svg');
    s.setAttribute('viewBox', '0 0 24 24'); s.setAttribute('aria-hidden', 'true'); s.setAttribute('focusable', 'false');
    const p = d.createElementNS('http://www.w3.org/2000/svg', 'path');
    p.setAttribute('d', path); s.appendChild(p);
    return s;
  };
  const host = d.createElement('lotse-chat');
  host.setAttribute('data-position', ds.position === 'left' ? 'left' : 'right');
  const root = host.attachShadow({ mode: 'open' });
  if (root.adoptedStyleSheets && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet(); sheet.replaceSync(CSS); root.adoptedStyleSheets = [sheet]; // not subject to style-src
  } else root.appendChild(el('style', {}, CSS));

  // Texts are set by applyLang, in the language of the last reply.
  const badge = el('span', { class: 'badge', hidden: '' });
  const launcher = el('button', { type: 'button', class: 'launch', 'aria-expanded': 'false', 'aria-controls': 'lotse-panel' },
    svg('M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 1-2zm3 6v2h10V9zm0-3v2h10V6zm0 6v2h7v-2z'), badge);
  const log = el('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', tabindex: '0' });
  const typing = el('div', { class: 'typing', hidden: '' }, el('span', { class: 'sr' }), el('i'), el('i'), el('i'));
  const status = el('p', { class: 'note state', role: 'status', hidden: '' });
  const privacy = el('p', { class: 'note', role: 'status', hidden: '' });
  const offline = el('p', { class: 'note', role: 'alert', hidden: '' });
  const MAX = 1000; // characters a message may have: the edge takes 4 KB of UTF-8
  const input = el('textarea', { id: 'lotse-input', rows: '1', maxlength: String(MAX), autocomplete: 'off' });
  const again = el('button', { type: 'button', class: 'again', hidden: '' });
  const limit = el('p', { class: 'note limit', 'aria-live': 'polite', hidden: '' });
  const label = el('label', { class: 'sr', for: 'lotse-input' });
  const sendBtn = el('button', { type: 'submit', class: 'send' }, svg('M3 20.5V14l9-2-9-2V3.5L22 12z'));
  const form = el('form', { on: { submit: (e) => { e.preventDefault(); submit(); } } }, label, input, sendBtn);
  const closeBtn = el('button', { type: 'button', class: 'icon' },
    svg('M18.3 5.7 12 12l6.3 6.3-1.4 1.4L10.6 13.4 4.3 19.7 2.9 18.3 9.2 12 2.9 5.7l1.4-1.4 6.3 6.3 6.3-6.3z'));
  const title = el('h2', { id: 'lotse-title' });
  const panel = el('div', { class: 'panel', id: 'lotse-panel', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'lotse-title', hidden: '' },
    el('div', { class: 'head' }, title, closeBtn),
    log, status, privacy, offline, limit, form);
  const wrap = el('div', { class: 'w' }, panel, launcher);
  wrap.style.setProperty('--a', accent);
  wrap.style.setProperty('--on', onAccent);
  root.appendChild(wrap);

  const greeting = el('div'); // set by applyLang
  const nodes = new Map(); // message id -> element
  const roles = { visitor: 'you', bot: 'bot', agent: 'agent' };
  const who = (role) => el('span', { class: role === 'visitor' ? 'sr' : 'who', 'data-r': roles[role] || 'bot' }, T[roles[role] || 'bot'] + ':');
  const sep = () => el('p', { class: 'sep' }, T.again);
  function render(m) {
    const body = m.role === 'visitor' ? d.createTextNode(m.text) : markdown(m.text);
    const n = el('div', { class: 'm ' + (roles[m.role] ? m.role : 'bot'), 'data-id': m.id }, who(m.role), body);
    nodes.set(m.id, n);
    update(m);
    return n;
  }
  function update(m) {
    const n = nodes.get(m.id);
    if (!n) return;
    let s = n.querySelector('.st');
    const text = m.st === 'q' ? T.queued : m.st === 'x' ? T.failed : '';
    n.classList.toggle('x', m.st === 'x');
    if (!text) { if (s) s.remove(); return; }
    if (!s) s = n.appendChild(el('span', { class: 'st' }));
    s.textContent = text;
  }
  // conv.un counts replies that came while the panel was closed; it is
  // stored, so the badge still shows after the visitor moves to another page.
  const showUnread = () => { badge.textContent = String(conv.un || 0); badge.hidden = !conv.un; setLabel(); };
  // add appends m, or puts it right after the message after (an answer
  // below its question, even when later messages were sent meanwhile).
  function add(m, after) {
    const i = after ? conv.msgs.indexOf(after) + 1 : 0;
    if (i > 0 && i < conv.msgs.length) {
      log.insertBefore(render(m), nodes.get(conv.msgs[i].id));
      conv.msgs.splice(i, 0, m);
    } else {
      log.insertBefore(render(m), typing);
      conv.msgs.push(m);
    }
    if (panel.hidden && m.role !== 'visitor') conv.un = (conv.un || 0) + 1;
    save();
    setBusy(busy);
    log.scrollTop = log.scrollHeight;
    showUnread();
    emit('message', { id: m.id, role: m.role, text: m.text });
  }
  const setLabel = () => launcher.setAttribute('aria-label', !panel.hidden ? T.close : conv.un ? T.open + ' (' + conv.un + ' ' + T.unread + ')' : T.open);
  // The dots mean "someone is writing": only while the bot answers. The
  // backend has no agent-typing event, so never while waiting for a person.
  function setBusy(b) {
    typing.hidden = !(busy = b);
    if (b) log.scrollTop = log.scrollHeight;
  }
  function renderState() {
    const s = conv.state;
    status.hidden = s === 'bot';
    status.className = 'note state' + (s === 'open' ? ' ok' : '');
    status.replaceChildren(...(s === 'pending' ? [T.connecting, el('br'), T.later] : [s === 'open' ? T.joined : s === 'resolved' ? T.resolved : '']));
    // The privacy note fits what was found: that a person answers when the
    // handoff was for personal data, and the card warning only once the
    // visitor sent a card number (a masked copy names the kinds found, as
    // pii.Redact does: "[CARD]"), not for a name or an e-mail address.
    const card = conv.msgs.some((m) => m.role === 'visitor' && m.pm && m.pm.includes('[CARD]'));
    privacy.textContent = [conv.reason === 'personal_data' ? T.privacy : '', card ? T.card : ''].join(' ').trim();
    privacy.hidden = s === 'bot' || !privacy.textContent;
    log.scrollTop = log.scrollHeight; // the notes took room from the log: keep its end in view
    // Not while a message waits to go out: it will reopen this conversation.
    again.hidden = s !== 'resolved' || conv.outbox.length > 0;
    if (!again.hidden) log.appendChild(again);
    setBusy(busy);
  }
  // applyLang sets every text of the widget's own in language conv.ul
  // (the last reply's), else the page's.
  function applyLang() {
    T = STR[conv.ul] || STR[lang];
    wrap.lang = T === STR.de ? 'de' : 'en';
    setLabel();
    log.setAttribute('aria-label', T.log);
    typing.firstChild.textContent = T.typing;
    offline.textContent = T.offline;
    input.placeholder = label.textContent = T.input;
    sendBtn.setAttribute('aria-label', T.send);
    closeBtn.setAttribute('aria-label', T.close);
    title.textContent = ds.title || T.title;
    again.textContent = T.again;
    // The page's own greeting, in this language or any, stays as written.
    greeting.replaceChildren(markdown(ds[T === STR.de ? 'greetingDe' : 'greetingEn'] || ds.greeting || T.hello));
    root.querySelectorAll('[data-r]').forEach((n) => { n.textContent = T[n.dataset.r] + ':'; });
    root.querySelectorAll('.sep').forEach((n) => { n.textContent = T.again; });
    conv.msgs.forEach(update);
    renderState();
  }
  function restore() {
    log.textContent = '';
    nodes.clear();
    log.append(el('div', { class: 'm bot' }, who('bot'), greeting));
    // Earlier conversations, each above a "new conversation" divider.
    conv.hist.forEach((m, i) => { log.append(render(m)); if (m.c !== (conv.hist[i + 1] || {}).c) log.append(sep()); });
    log.append(typing);
    conv.msgs.forEach((m) => log.insertBefore(render(m), typing));
    applyLang();
    showUnread();
  }
  // again starts a new conversation after a resolved one; the old messages
  // stay visible above a divider (and in storage, masked: conv.hist).
  function newConv() {
    unlisten();
    conv = fresh(conv);
    log.insertBefore(sep(), typing);
    save();
    renderState();
  }

  // cut says where a text over MAX characters is split: at the last line
  // break, else sentence end, else space in its second half, but never
  // inside a number ("4111 1111 ...": each half would hide a card number
  // from the checks), nor between the two halves of an emoji.
  function cut(t) {
    for (const re of [/\n/g, /[.!?]\s/g, /\s/g]) {
      let at = -1;
      for (const m of t.slice(0, MAX).matchAll(re)) {
        const k = m.index + m[0].length - 1; // the space or line break
        if (!(/\d/.test(t[k - 1] || '') && /\d/.test(t[k + 1] || ''))) at = k + 1;
      }
      if (at > MAX / 2) return at;
    }
    return /[\ud800-\udbff]/.test(t[MAX - 1]) ? MAX - 1 : MAX;
  }
  function submit(text) {
    text = String(text == null ? input.value : text).trim();
    if (!text) return;
    // A message still waiting to go out keeps the resolved conversation: it
    // will reopen it, and this one follows it there.
    if (conv.state === 'resolved' && !conv.outbox.length) newConv();
    if (text.length > MAX) { // Lotse.send with a long text: several messages
      const at = cut(text);
      submit(text.slice(0, at));
      return submit(text.slice(at));
    }
    input.value = '';
    limit.hidden = true;
    input.style.height = '';
    consent = true; // the visitor's first interaction: from now on the conversation persists
    const m = { id: uuid(), role: 'visitor', text, ts: Date.now(), st: 'ok' };
    conv.outbox.push(m.id);
    add(m);
    learn(m, null, quickPII(text)); // after add: the privacy note looks at conv.msgs
    pump();
  }
  // reset forgets the conversation (e.g. on logout): the next message starts a new one.
  function reset() {
    unlisten();
    conv = fresh();
    try { localStorage.removeItem(KEY); } catch (e) { /* blocked */ }
    consent = false;
    restore();
  }
  again.addEventListener('click', () => { newConv(); input.focus(); });

  // ---- keyboard: Enter sends, Shift+Enter breaks the line, Esc closes, Tab stays inside ----
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); submit(); } });
  input.addEventListener('input', () => {
    input.style.height = 'auto'; input.style.height = Math.min(input.scrollHeight + 2, 120) + 'px';
    // Near the limit the visitor sees how much is left, not a paste cut short in silence.
    limit.hidden = input.value.length < MAX * 0.9;
    limit.textContent = input.value.length + ' / ' + MAX;
  });
  panel.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') { e.preventDefault(); close(); return; }
    if (e.key !== 'Tab') return;
    const f = [...panel.querySelectorAll('button,textarea,a[href],[tabindex="0"]')].filter((n) => !n.hidden && n.offsetParent !== null);
    if (!f.length) return;
    const first = f[0], last = f[f.length - 1], at = root.activeElement;
    if (e.shiftKey && (at === first || !panel.contains(at))) { e.preventDefault(); last.focus(); } else if (!e.shiftKey && at === last) { e.preventDefault(); first.focus(); }
  });
  launcher.addEventListener('click', () => (panel.hidden ? open() : close()));
  closeBtn.addEventListener('click', () => close());

  function open() {
    if (!panel.hidden) return;
    panel.hidden = false;
    wrap.classList.add('open');
    launcher.setAttribute('aria-expanded', 'true');
    // Replies that came while closed are read from their start.
    const unread = conv.un ? conv.msgs.filter((x) => x.role !== 'visitor').slice(-conv.un)[0] : null;
    const first = unread && nodes.get(unread.id);
    if (conv.un) { conv.un = 0; save(); }
    showUnread();
    log.scrollTop = first ? first.offsetTop - log.offsetTop - 8 : log.scrollHeight;
    input.focus();
    listen(); // a resolved conversation: the visitor looks at it now (see live)
    if (mode !== 'edge') loadEngine(); // first open: the wasm is fetched now, not before
    emit('open');
  }
  function close() {
    if (panel.hidden) return;
    panel.hidden = true;
    wrap.classList.remove('open');
    launcher.setAttribute('aria-expanded', 'false');
    setLabel();
    if (root.activeElement) launcher.focus(); // not when the page closed it while the visitor was elsewhere
    if (!live()) unlisten();
    emit('close');
  }

  const onNet = () => {
    offline.hidden = navigator.onLine !== false;
    if (navigator.onLine !== false) { backoff = 1000; pump(); if (live()) { if (es && es.readyState === 2) es = null; listen(); } }
  };
  addEventListener('online', onNet);
  addEventListener('offline', onNet);
  // A resolved conversation listens only while visible; back on the page, peek.
  d.addEventListener('visibilitychange', () => { if (live()) listen(); else if (conv.state === 'resolved') { unlisten(); peek(); } });

  // ---- several tabs: one conversation ----------------------------------------------
  // Tabs of a site share the stored conversation. When another tab wrote it,
  // this tab takes the other's messages into its own (by id), so that neither
  // tab's next save drops what the other wrote.
  addEventListener('storage', (e) => {
    // Another tab forgot the conversation (Lotse.reset on logout, or the
    // page cleared storage): so does this one, or its next save would
    // bring it back.
    let stored = e.key === KEY ? e.newValue : null;
    if ((e.key === KEY || e.key === null) && e.newValue === null) {
      // Forgotten there: forget here, without touching storage, which may
      // already hold the next conversation if this event came late (a
      // frozen tab); that one is then taken below.
      if (consent) { unlisten(); conv = fresh(); consent = false; restore(); }
      try { stored = localStorage.getItem(KEY); } catch (x) { /* blocked */ }
    }
    let other = null;
    try { other = stored && JSON.parse(stored); } catch (x) { /* corrupt */ }
    if (!other || other.v !== 1 || !Array.isArray(other.msgs) || !Array.isArray(other.outbox)) return;
    if (other.id !== conv.id) {
      // Another conversation: take it if this tab had none yet, or if the
      // other tab moved on from this one (ours is in its history).
      if (conv.msgs.length && !(other.hist || []).some((m) => m.c === conv.id)) return;
      unlisten();
      conv = { ...other, outbox: other.outbox.slice(), hist: other.hist || [], done: other.done || [] };
    } else if (!merge(other)) return;
    consent = true;
    restore();
    if (conv.outbox.length) pump();
    if (live()) listen(); else unlisten();
  });
  // merge adds other's messages, outbox and newer state to conv, and reports
  // whether anything shown changed; it saves only if other lacked something of
  // ours, so two tabs do not write back and forth. conv.done lists the
  // messages delivered lately, so that a message one tab delivered is not
  // brought back into the outbox by the other's older copy.
  function merge(other) {
    const theirs = new Set(other.msgs.map((m) => m.id)), done = new Set((conv.done || []).concat(other.done || []));
    const ours = conv.msgs.some((m) => !theirs.has(m.id)) || conv.outbox.some((id) => !other.outbox.includes(id)) ||
      (conv.done || []).some((id) => !(other.done || []).includes(id));
    const was = JSON.stringify([conv.msgs, conv.outbox, conv.state]);
    let at = -1; // each of theirs goes after the message it follows there
    for (const m of other.msgs) {
      const i = conv.msgs.findIndex((x) => x.id === m.id);
      if (i < 0) { conv.msgs.splice(++at, 0, m); continue; }
      at = i;
      const x = conv.msgs[i];
      if (m.ho) x.ho = 1; // the other tab decided on its handoff
      if (m.pm && !x.pm) x.pm = m.pm;
    }
    // Either tab may deliver a waiting message (the edge and backend take a
    // message id once); what either delivered leaves both outboxes.
    conv.outbox = conv.outbox.concat(other.outbox.filter((id) => !conv.outbox.includes(id))).filter((id) => !done.has(id));
    conv.msgs.forEach((m) => { if (done.has(m.id) && m.st === 'q') m.st = 'ok'; });
    conv.done = [...done].slice(-200);
    conv.seq = Math.max(conv.seq, other.seq || 0);
    // The state a tab set last wins (conv.sv: when; see setState).
    if ((other.sv || 0) > (conv.sv || 0)) Object.assign(conv, { state: other.state, sv: other.sv, reason: other.reason, intent: other.intent, lang: other.lang });
    if (ours) save();
    return JSON.stringify([conv.msgs, conv.outbox, conv.state]) !== was;
  }

  function mount() {
    restore();
    d.documentElement.appendChild(host); // not <body>: a transform there would move position:fixed with the page
    onNet();
    conv.outbox.forEach((id) => { const m = byId(id); if (m) { m.st = 'q'; update(m); } });
    if (conv.outbox.length) pump();
    listen();
    peek(); // resolved: reopened since the last page?
  }
  if (d.body) mount(); else d.addEventListener('DOMContentLoaded', mount);

  window.Lotse = {
    version: '0.1.0',
    open, close, reset,
    send: (text) => { submit(text); },
    on(ev, fn) { (handlers[ev] = handlers[ev] || []).push(fn); return () => { handlers[ev] = handlers[ev].filter((f) => f !== fn); }; },
    get state() { return { conversation: conv.id, state: conv.state, engine: engine ? 'browser' : 'edge', messages: conv.msgs.length, outbox: conv.outbox.length }; }
  };
  // The tag loads async: a page script that runs first waits for this event.
  dispatchEvent(new Event('lotse:ready'));
})();
