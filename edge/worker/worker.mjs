// Glue between workerd and the Go program (edge/worker/main.go).
//
// syumai/workers' own glue instantiates a fresh Go instance for every
// request; for Lotse that would re-run the Go runtime's start-up and parse
// the 1 MB model on each request. This glue starts the Go program once per
// isolate and hands every request to the same instance, so a request costs
// only the engine's reply.
import "./wasm_exec.js";
import mod from "./app.wasm";

// syumai/workers' Go side calls globalThis.tryCatch.
globalThis.tryCatch = (fn) => {
  try {
    return { result: fn() };
  } catch (e) {
    return { error: e };
  }
};

let started; // Promise of the binding object Go filled in (handleRequest)

function start(env, ctx) {
  const binding = {};
  // The Go side reads the Worker's env (and ctx) from globalThis.context,
  // once, at start-up: env holds the same vars and secrets for the whole
  // isolate.
  globalThis.context = { env, ctx, binding };
  const go = new Go();
  let ready;
  const isReady = new Promise((resolve) => (ready = resolve));
  const instance = new WebAssembly.Instance(mod, {
    ...go.importObject,
    workers: { ready: () => ready() },
  });
  // run's promise settles only if the Go program exits (a panic): then
  // the next request starts a new instance.
  go.run(instance).finally(() => {
    started = undefined;
  });
  return isReady.then(() => binding);
}

export default {
  async fetch(req, env, ctx) {
    started ??= start(env, ctx);
    const binding = await started;
    const t0 = performance.now();
    const res = await binding.handleRequest(req);
    if ((res.headers.get("content-type") || "").startsWith("text/event-stream")) {
      return res; // an agent-reply stream: pass it through as it comes
    }
    // Read the whole body while still in this request: the Go instance is
    // shared, so nothing of this response may be left for it to produce
    // during another request.
    const body = res.body === null ? null : await res.arrayBuffer();
    const headers = new Headers(res.headers);
    headers.set("Server-Timing", `go;dur=${(performance.now() - t0).toFixed(3)}`);
    return new Response(body, { status: res.status, statusText: res.statusText, headers });
  },
};
