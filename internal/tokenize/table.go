package tokenize

// pieceTable maps WordPiece pieces to vocabulary ids: word-initial pieces
// by their text, continuation pieces by their text without "##". It is one
// flat open-addressing array of ids, built without an allocation per entry:
// building Go maps of a 30,000-entry vocabulary was most of a model's load
// time in WebAssembly, which is the browser's cold start.
type pieceTable struct {
	vocab Vocab
	slots []int32 // vocabulary ids; -1 is empty
	cont  []bool  // whether the slot's key is a continuation piece
	mask  uint32
}

func newPieceTable(vocab Vocab) *pieceTable {
	size := 1
	for size < 2*vocab.Len()+2 { // both kinds of key, at most half full
		size <<= 1
	}
	t := &pieceTable{vocab: vocab, slots: make([]int32, size), cont: make([]bool, size), mask: uint32(size - 1)}
	for i := range t.slots {
		t.slots[i] = -1
	}
	for i := range vocab.Len() {
		tok := vocab.At(int32(i))
		t.insert(tok, false, int32(i))
		if len(tok) > len(continuingPrefix) && tok[:len(continuingPrefix)] == continuingPrefix {
			t.insert(tok[len(continuingPrefix):], true, int32(i))
		}
	}
	return t
}

// key returns the text a slot's id stands for.
func (t *pieceTable) key(id int32, cont bool) string {
	if cont {
		return t.vocab.At(id)[len(continuingPrefix):]
	}
	return t.vocab.At(id)
}

// insert adds piece; a piece already present gets the later id, as a JSON
// object's repeated key does.
func (t *pieceTable) insert(piece string, cont bool, id int32) {
	for i := hashPiece(piece, cont) & t.mask; ; i = (i + 1) & t.mask {
		if t.slots[i] < 0 || t.cont[i] == cont && t.key(t.slots[i], cont) == piece {
			t.slots[i], t.cont[i] = id, cont
			return
		}
	}
}

// lookup returns the id of piece, or -1.
func (t *pieceTable) lookup(piece []byte, cont bool) int32 {
	for i := hashBytes(piece, cont) & t.mask; ; i = (i + 1) & t.mask {
		id := t.slots[i]
		if id < 0 {
			return -1
		}
		if t.cont[i] == cont && t.key(id, cont) == string(piece) {
			return id
		}
	}
}

// hashPiece and hashBytes are FNV-1a over the piece, seeded by its kind.
func hashPiece(s string, cont bool) uint32 {
	h := seed(cont)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * 16777619
	}
	return h ^ h>>15
}

func hashBytes(b []byte, cont bool) uint32 {
	h := seed(cont)
	for _, c := range b {
		h = (h ^ uint32(c)) * 16777619
	}
	return h ^ h>>15
}

func seed(cont bool) uint32 {
	if cont {
		return 2166136261 ^ 0x9e3779b9
	}
	return 2166136261
}
