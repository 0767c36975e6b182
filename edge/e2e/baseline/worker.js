// The baseline of the edge benchmark: the smallest useful JS Worker,
// answering a fixed JSON of about the size of a Lotse reply's head.
const body = JSON.stringify({ action: "answer", intent: "baseline", confidence: 1, lang: "en", answer: "ok" });

export default {
  async fetch() {
    return new Response(body, { headers: { "content-type": "application/json; charset=utf-8" } });
  },
};
