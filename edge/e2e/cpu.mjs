// CPU time per /v1/chat request of the built Worker (build/worker/app.wasm),
// measured in Node's V8 (the engine workerd embeds) with process.cpuUsage,
// which wrangler dev does not report. Run from the repository root after
// edge/worker/build.sh:  node edge/e2e/cpu.mjs [N]
import { readFileSync } from "node:fs";
import "../../build/worker/wasm_exec.js";

const n = Number(process.argv[2] ?? 1000);
const texts = readFileSync("testdata/bots/demo/test.jsonl", "utf8")
  .split("\n").filter(Boolean).map((l) => JSON.parse(l).text);
globalThis.tryCatch = (fn) => { try { return { result: fn() }; } catch (e) { return { error: e }; } };
const binding = {};
globalThis.context = { env: { ALLOWED_ORIGINS: "*", RATE_LIMIT: "1000000/1m" }, ctx: {}, binding };
const go = new Go();
let ready;
const isReady = new Promise((r) => (ready = r));
const mod = await WebAssembly.compile(readFileSync("build/worker/app.wasm"));
const inst = await WebAssembly.instantiate(mod, { ...go.importObject, workers: { ready: () => ready() } });
const t0 = process.cpuUsage();
go.run(inst);
await isReady;
const startup = process.cpuUsage(t0);

async function chat(i) {
  const body = JSON.stringify({ conversation_id: "cpu", message_id: "m" + i, text: texts[i % texts.length] });
  const res = await binding.handleRequest(new Request("http://edge/v1/chat", { method: "POST", body }));
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error("status " + res.status);
}
for (let i = 0; i < 100; i++) await chat(1e6 + i); // warm up
const per = [];
for (let i = 0; i < n; i++) {
  const c = process.cpuUsage();
  await chat(i);
  const d = process.cpuUsage(c);
  per.push((d.user + d.system) / 1000);
}
per.sort((a, b) => a - b);
const q = (p) => per[Math.min(per.length - 1, Math.floor(p * per.length))].toFixed(3);
console.log(`cpu: Worker start-up (Go runtime + model load) ${((startup.user + startup.system) / 1000).toFixed(1)} ms CPU, once per isolate`);
console.log(`cpu: ${n} POST /v1/chat: CPU per request p50 ${q(0.5)} ms, p99 ${q(0.99)} ms (free plan limit 10 ms)`);
process.exit(0);
