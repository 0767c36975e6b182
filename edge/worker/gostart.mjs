// Starting the Go program (edge/worker/main.go) where Workers forbid
// timers and randomness: in the module's global scope.
//
// Cloudflare counts the global scope against the Worker's start-up limit
// (1 s), not against a request's CPU time (10 ms on the free plan), so the
// Go runtime's start-up and the model load belong there. But workerd throws
// "Disallowed operation called within global scope" for setTimeout and
// crypto.getRandomValues there, and Go's wasm_exec.js calls both: the
// runtime reads a 32-byte seed at start-up, and sets a timeout whenever it
// goes idle with a timer pending. startGo runs the program with shims for
// exactly these two calls until handOver, which the first request calls:
//
//   - Timers Go sets before handOver are queued and started by handOver
//     (they fire late, never early; Go's timers only promise "not before").
//   - The runtime's seed (the first getRandomData call) comes from
//     crypto.getRandomValues if the platform allows it, else from
//     Math.random (V8's per-isolate PRNG, seeded from the OS; not a CSPRNG)
//     mixed with the seedSecret bytes. Any later getRandomData call before
//     handOver is crypto/rand asking for key material: it is refused with an
//     error (the program fails to start) instead of being given weak bytes.
//     After handOver every call goes to crypto.getRandomValues.
//
// The shims wrap Go's imports (go.importObject.gojs) only; the platform's
// globals are swapped for the duration of one wasm_exec call at most.
// wasm_exec.js must have been imported before (it defines globalThis.Go).

/**
 * Starts the Go program compiled into mod (a WebAssembly.Module).
 *
 * @param {WebAssembly.Module} mod
 * @param {object} env the Worker's env: read by cloudflare.Getenv
 * @param {Uint8Array} [seedSecret] bytes unknown outside the deployment,
 *   mixed into the runtime's seed when crypto.getRandomValues is refused
 * @returns {GoStart}
 */
export function startGo(mod, env, seedSecret) {
  return new GoStart(mod, env, seedSecret);
}

/** One Go instance: its start, its binding, and its failure if any. */
export class GoStart {
  constructor(mod, env, seedSecret = new Uint8Array(0)) {
    this.binding = {}; // filled in by the Go side: handleRequest
    this.error = undefined; // set when the program failed or exited
    this.seed = ""; // where the runtime's seed came from
    this.deferredTimers = 0; // timers Go set before handOver
    this.isReady = false; // the program called workers.Ready
    this.early = true;
    this._queue = new Set(); // deferred timers not yet started
    // syumai/workers reads globalThis.context.env (cloudflare.Getenv) and
    // puts handleRequest into .binding. There is no ctx: an instance
    // outlives requests, so a request's ExecutionContext must not be kept.
    globalThis.context = { env, binding: this.binding };
    const go = (this.go = new Go());
    const gojs = go.importObject.gojs;
    wrapTimers(this, gojs);
    wrapRandom(this, gojs, seedSecret);
    let ready;
    this.ready = new Promise((resolve, reject) => {
      ready = resolve;
      this._fail = reject;
    });
    this.ready.catch(() => {}); // observed by whoever awaits it
    try {
      const instance = new WebAssembly.Instance(mod, {
        ...go.importObject,
        workers: {
          ready: () => {
            this.isReady = true;
            ready(this.binding);
          },
        },
      });
      this._memory = instance.exports.mem;
      // run's promise settles only if the program exits (a panic) or its
      // start throws (a refused shim call).
      go.run(instance).then(
        () => this.fail(new Error("the Go program exited")),
        (err) => this.fail(err),
      );
    } catch (err) {
      this.fail(err);
    }
  }

  fail(err) {
    this.error ??= err;
    this._fail(err);
  }

  /**
   * Ends the start-up phase: called in a request handler, where timers and
   * randomness are allowed. Starts the queued timers. Idempotent.
   */
  handOver() {
    if (!this.early) return;
    this.early = false;
    for (const t of this._queue) t.start();
    this._queue.clear();
  }
}

// A timer set before handOver: started (with its full delay) by handOver.
class DeferredTimer {
  constructor(queue, fn, delay) {
    this.queue = queue;
    this.fn = fn;
    this.delay = delay;
    this.real = undefined;
  }
  start() {
    this.real = setTimeout(this.fn, this.delay);
  }
  cancel(clearTimeout) {
    if (this.real !== undefined) clearTimeout(this.real);
    this.queue.delete(this);
  }
}

function wrapTimers(s, gojs) {
  const schedule = gojs["runtime.scheduleTimeoutEvent"];
  const clear = gojs["runtime.clearTimeoutEvent"];
  const defer = (fn, delay) => {
    const t = new DeferredTimer(s._queue, fn, delay);
    s._queue.add(t);
    s.deferredTimers++;
    return t;
  };
  gojs["runtime.scheduleTimeoutEvent"] = (sp) => (s.early ? withGlobal("setTimeout", defer, () => schedule(sp)) : schedule(sp));
  // Go may clear a deferred timer after handOver too, so clear always
  // recognises them. (The platform's clearTimeout is looked up per call:
  // inside withGlobal the global name is the wrapper.)
  gojs["runtime.clearTimeoutEvent"] = (sp) => {
    const real = globalThis.clearTimeout;
    const clearAny = (t) => (t instanceof DeferredTimer ? t.cancel(real) : real(t));
    return withGlobal("clearTimeout", clearAny, () => clear(sp));
  };
}

function wrapRandom(s, gojs, secret) {
  const getRandomData = gojs["runtime.getRandomData"];
  gojs["runtime.getRandomData"] = (sp) => {
    if (!s.early) return getRandomData(sp);
    const first = s.seed === "";
    try {
      getRandomData(sp);
      if (first) s.seed = "crypto.getRandomValues";
      return;
    } catch (err) {
      if (!first) {
        throw new Error(
          "Go asked for random bytes (crypto/rand) during start-up, in the Worker's global scope, " +
            "where crypto.getRandomValues is not allowed; move that call into request handling " +
            `(${err && err.message})`,
        );
      }
    }
    // The runtime's seed: map hash seeds, math/rand's global source,
    // select order. Not crypto/rand, which asks again per call.
    const buf = slice(s._memory, sp + 8);
    for (let i = 0; i < buf.length; i++) buf[i] = (Math.random() * 256) & 0xff;
    for (let i = 0; i < secret.length; i++) buf[i % buf.length] ^= secret[i];
    s.seed = secret.length > 0 ? "Math.random+secret" : "Math.random";
  };
}

// slice returns the Go []byte whose header (pointer, length) is at addr.
function slice(memory, addr) {
  const view = new DataView(memory.buffer);
  const int64 = (a) => view.getUint32(a, true) + view.getInt32(a + 4, true) * 4294967296;
  addr >>>= 0;
  return new Uint8Array(memory.buffer, int64(addr), int64(addr + 8));
}

// withGlobal runs fn with globalThis[name] set to value, then restores it.
function withGlobal(name, value, fn) {
  const saved = globalThis[name];
  globalThis[name] = value;
  try {
    return fn();
  } finally {
    globalThis[name] = saved;
  }
}
