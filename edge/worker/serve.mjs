// Hands one request to the Go instance (edge/worker/main.go), used by
// worker.mjs and by edge/e2e/cpu.mjs, which measures this same path.
//
// Most requests go to binding.serveBuffered with the whole body read here,
// and come back with the whole response body: syumai/workers'
// handleRequest leaks a little Go memory on every request it streams
// (edge/worker/bridge.go says why and how much). Event streams, which must
// flow as they come, and bodies too long to read into memory (the edge
// refuses them with 413 after reading the first bytes) still take
// handleRequest.

// maxBuffered is the largest body read whole here: the edge accepts 8 KB,
// handoffs 32 KB.
const maxBuffered = 32 << 10;

/**
 * @param {object} binding the Go side's functions
 * @param {Request} req
 * @returns {Promise<{res: Response, path: string}>} a response whose body is
 *   complete, except for event streams, and which path it took: "buffered"
 *   or "streamed"
 */
export async function serve(binding, req) {
  if (streamed(req)) {
    return { res: await serveStreamed(binding, req), path: "streamed" };
  }
  const body = req.body === null ? null : new Uint8Array(await req.arrayBuffer());
  const r = await binding.serveBuffered(req.method, req.url, [...req.headers], body);
  const empty = req.method === "HEAD" || r.status === 204 || r.status === 304;
  return { res: new Response(empty ? null : r.body, { status: r.status, headers: r.headers }), path: "buffered" };
}

async function serveStreamed(binding, req) {
  const res = await binding.handleRequest(req);
  if ((res.headers.get("content-type") || "").startsWith("text/event-stream")) {
    return res; // an agent-reply stream: pass it through as it comes
  }
  // Read the whole body while still in this request: the Go instance is
  // shared, so nothing of this response may be left for it to produce
  // during another request.
  const body = res.body === null ? null : await res.arrayBuffer();
  return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
}

function streamed(req) {
  if (new URL(req.url).pathname.endsWith("/events")) return true;
  if (req.body === null) return false;
  const n = Number(req.headers.get("content-length") ?? NaN);
  return !(n <= maxBuffered); // unknown or too long
}
