// Command wordvec builds internal/wordvec/english, the English word
// vectors the trainer embeds: static vectors distilled from a sentence
// encoder, so that the mean of a message's word vectors comes close to
// what the encoder would say about the whole message. See README.md in this
// folder for the steps, and RATIONALE.md for why.
//
//	go run ./scripts/wordvec corpus > corpus.txt
//	go run ./scripts/wordvec distill -words words.txt -word-vecs words.f32 \
//	    -corpus corpus.txt -corpus-vecs corpus.f32 -o internal/wordvec/english/english.bin.gz
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/lotse-chat/lotse/bot"
	"github.com/lotse-chat/lotse/internal/tokenize"
)

// corpusBots are the bots whose training texts form the distillation
// corpus. Banking77 is left out on purpose: its 10-shot benchmark must not
// see the other examples of its own intents, not even unlabeled.
var corpusBots = []string{"testdata/clinc150/bot.yaml", "testdata/hwu64/bot.yaml"}

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "corpus":
		err = writeCorpus()
	case "distill":
		err = distillCmd(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "wordvec:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: wordvec corpus > corpus.txt\n       wordvec distill -words ... (see -h)")
	os.Exit(2)
}

// writeCorpus prints the corpus bots' examples and out-of-scope examples,
// one a line.
func writeCorpus() error {
	for _, path := range corpusBots {
		b, err := bot.Load(path)
		if err != nil {
			return err
		}
		for _, in := range b.Intents {
			for _, e := range in.Examples {
				fmt.Println(oneLine(e))
			}
		}
		for _, e := range b.OutOfScope {
			fmt.Println(oneLine(e))
		}
	}
	return nil
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func distillCmd(args []string) error {
	fs := flag.NewFlagSet("distill", flag.ExitOnError)
	wordsPath := fs.String("words", "", "word list, one a line (scripts/wordvec/words.js)")
	wordVecs := fs.String("word-vecs", "", "encoder vectors of the words (embed.js)")
	corpusPath := fs.String("corpus", "", "corpus sentences, one a line (wordvec corpus)")
	corpusVecs := fs.String("corpus-vecs", "", "encoder vectors of the sentences (embed.js)")
	out := fs.String("o", "", "table to write (.bin.gz)")
	lambda := fs.Float64("lambda", defaultLambda, "pull of each word towards its own encoder vector")
	fs.Parse(args)
	if *wordsPath == "" || *wordVecs == "" || *corpusPath == "" || *corpusVecs == "" || *out == "" {
		fs.Usage()
		os.Exit(2)
	}
	words, err := readLines(*wordsPath)
	if err != nil {
		return err
	}
	sentences, err := readLines(*corpusPath)
	if err != nil {
		return err
	}
	wv, err := readVectors(*wordVecs, len(words))
	if err != nil {
		return err
	}
	sv, err := readVectors(*corpusVecs, len(sentences))
	if err != nil {
		return err
	}
	tok := tokenize.Record()
	split := func(s string) []string { return tok.Words(nil, s) }
	table := distill(words, wv, sentences, sv, split, *lambda)
	return writeTable(*out, words, table)
}

func readLines(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n"), nil
}
