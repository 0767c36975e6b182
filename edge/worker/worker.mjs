// Glue between workerd and the Go program (edge/worker/main.go).
//
// syumai/workers' own glue instantiates a fresh Go instance for every
// request; for Lotse that would re-run the Go runtime's start-up and parse
// the model on each request. This glue starts the Go program once per
// isolate, in the module's global scope, so that its start-up counts
// against the Worker's start-up limit instead of the first request's CPU
// time, and hands every request to the same instance. gostart.mjs explains
// how Go runs where workerd forbids timers and random numbers.
import "./wasm_exec.js";
import mod from "./app.wasm";
import { env } from "cloudflare:workers";
import { startGo } from "./gostart.mjs";
import { serve } from "./serve.mjs";

// syumai/workers' Go side calls globalThis.tryCatch.
globalThis.tryCatch = (fn) => {
  try {
    return { result: fn() };
  } catch (e) {
    return { error: e };
  }
};

// The webhook secret is unknown outside the deployment: mixed into the Go
// runtime's seed in case Math.random at global scope is predictable.
const secret = (env) => new TextEncoder().encode(String(env.WEBHOOK_SECRET ?? ""));

let go = startGo(mod, env, secret(env)); // here, at module evaluation
let startedIn = "module"; // where the current instance started
logStart(go, startedIn);

export default {
  async fetch(req, env) {
    if (go.error) {
      // The instance failed at start-up or exited (a panic): start a new
      // one in this request, which pays the start-up in its CPU time.
      console.error(JSON.stringify({ level: "ERROR", msg: "edge worker: Go instance failed, starting a new one in this request", err: String(go.error) }));
      go = startGo(mod, env, secret(env));
      startedIn = "request";
      logStart(go, startedIn);
    }
    go.handOver();
    let binding;
    try {
      binding = await go.ready;
    } catch (err) {
      return Response.json(
        { error: { code: "startup_failed", message: `edge worker could not start: ${err}` } },
        { status: 500, headers: { "Server-Timing": `start;desc=${startedIn}` } },
      );
    }
    const t0 = performance.now();
    const { res, path } = await serve(binding, req);
    if ((res.headers.get("content-type") || "").startsWith("text/event-stream")) {
      return res;
    }
    const headers = new Headers(res.headers);
    // go: the handler's time; start: where this isolate's Go instance
    // started ("module": at module evaluation, as intended; "request": in a
    // request, which then paid the whole start-up); bridge: which path the
    // request took to Go (serve.mjs).
    headers.set("Server-Timing", `go;dur=${(performance.now() - t0).toFixed(3)}, start;desc=${startedIn}, bridge;desc=${path}`);
    return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
  },
};

function logStart(go, where) {
  console.log(JSON.stringify({
    level: go.error ? "ERROR" : "INFO",
    msg: "edge worker: Go started",
    scope: where,
    ready: go.isReady,
    seed: go.seed,
    deferred_timers: go.deferredTimers,
    ...(go.error && { err: String(go.error) }),
  }));
}
