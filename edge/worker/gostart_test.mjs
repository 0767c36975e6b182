// Tests of gostart.mjs with a real Go program (testdata/startup) under
// workerd's global-scope rules, simulated: crypto.getRandomValues and
// setTimeout throw until handOver. Run from the repository root:
//
//	node --test edge/worker/gostart_test.mjs
//
// It builds the program with GOOS=js GOARCH=wasm (needs go on PATH).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const root = new URL("../../", import.meta.url).pathname;
const goroot = execFileSync("go", ["env", "GOROOT"], { encoding: "utf8" }).trim();
await import(join(goroot, "lib/wasm/wasm_exec.js"));
const { startGo } = await import("./gostart.mjs");

const dir = mkdtempSync(join(tmpdir(), "gostart-"));
const wasm = join(dir, "startup.wasm");
execFileSync("go", ["build", "-o", wasm, "./edge/worker/testdata/startup"], {
  cwd: root,
  env: { ...process.env, GOOS: "js", GOARCH: "wasm" },
  stdio: "inherit",
});
const mod = new WebAssembly.Module(readFileSync(wasm));
rmSync(dir, { recursive: true, force: true }); // compiled: the file is done with
globalThis.tryCatch = (fn) => { try { return { result: fn() }; } catch (e) { return { error: e }; } };

// inGlobalScope runs fn with workerd's global-scope restrictions.
function inGlobalScope(fn) {
  const saved = { getRandomValues: crypto.getRandomValues, setTimeout: globalThis.setTimeout };
  const forbidden = () => { throw new Error("Disallowed operation called within global scope (simulated)"); };
  crypto.getRandomValues = forbidden;
  globalThis.setTimeout = forbidden;
  try {
    return fn();
  } finally {
    crypto.getRandomValues = saved.getRandomValues;
    globalThis.setTimeout = saved.setTimeout;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test("starts in the global scope, defers timers until handOver", async () => {
  const go = inGlobalScope(() => startGo(mod, {}, new TextEncoder().encode("whsec_test")));
  assert.equal(go.error, undefined);
  assert.equal(go.isReady, true, "workers.Ready was called during start-up");
  assert.equal(go.seed, "Math.random+secret");
  assert.ok(go.deferredTimers >= 1, `deferred timers: ${go.deferredTimers}`);
  await sleep(30);
  assert.equal(globalThis.shortFired, undefined, "a timer fired before handOver");
  go.handOver();
  await sleep(30);
  assert.equal(globalThis.shortFired, true, "the deferred timer did not fire after handOver");
  // An event resumes Go, which clears and re-sets its pending timeout
  // (the deferred long timer's); randomness now comes from crypto.
  assert.equal(globalThis.goEvent(), 16);
  await sleep(10);
  assert.equal(go.error, undefined);
  assert.equal(globalThis.longFired, undefined);
});

test("refuses crypto/rand during start-up with an error that says so", async () => {
  const go = inGlobalScope(() => startGoWithEnv({ CRYPTO_AT_START: "1" }));
  await assert.rejects(go.ready, /crypto\/rand\) during start-up/);
  assert.match(String(go.error), /global scope/);
  assert.equal(go.isReady, false);
});

test("uses crypto.getRandomValues where the platform allows it", async () => {
  const go = startGo(mod, {});
  assert.equal(go.error, undefined);
  assert.equal(go.seed, "crypto.getRandomValues");
  go.handOver();
  assert.equal(globalThis.goEvent(), 16);
});

// startGoWithEnv starts the test program with environment variables (the
// Worker passes none; its configuration is the Worker env).
function startGoWithEnv(vars) {
  const Go = globalThis.Go;
  globalThis.Go = class extends Go {
    constructor() {
      super();
      this.env = vars;
    }
  };
  try {
    return startGo(mod, {});
  } finally {
    globalThis.Go = Go;
  }
}
