package main

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// dataset is one benchmark under the shared directory: its folder name and
// how to read it.
type dataset struct {
	name string
	read func(dir string) (*benchmark, error)
}

var datasets = []dataset{
	{"clinc150", readCLINC150},
	{"banking77", readBanking77},
	{"hwu64", readHWU64},
}

// readCLINC150 reads the "full" variant (data_full.json): train and
// oos_train make the bot, test + oos_test the test file, val + oos_val the
// validation file.
func readCLINC150(dir string) (*benchmark, error) {
	path := filepath.Join(dir, "data_full.json")
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var raw map[string][][]string
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("%s: %w (want an object of [text, label] pair lists)", path, err)
	}
	part := func(key string) ([]labeled, error) {
		pairs, ok := raw[key]
		if !ok {
			return nil, fmt.Errorf("%s: no %q list; is this CLINC150's data_full.json?", path, key)
		}
		out := make([]labeled, len(pairs))
		for i, p := range pairs {
			where := fmt.Sprintf("%s: %s[%d]", path, key, i)
			if len(p) != 2 {
				return nil, fmt.Errorf("%s: want [text, label], got %d strings", where, len(p))
			}
			out[i] = labeled{text: p[0], label: p[1], where: where}
		}
		return out, nil
	}
	parts := map[string][]labeled{}
	for _, key := range []string{"train", "oos_train", "test", "oos_test", "val", "oos_val"} {
		if parts[key], err = part(key); err != nil {
			return nil, err
		}
	}
	b, err := build("clinc150", parts["train"], parts["oos_train"],
		map[string][]labeled{"test": parts["test"], "val": parts["val"]},
		map[string][]labeled{"test": parts["oos_test"], "val": parts["oos_val"]})
	if err != nil {
		return nil, err
	}
	b.How = "data_full.json: train -> bot.yaml intents, oos_train -> bot.yaml out_of_scope, " +
		"test + oos_test -> test.jsonl, val + oos_val -> val.jsonl (oos lines expect out_of_scope)"
	return b, nil
}

// readBanking77 reads train.csv (the bot) and test.csv (the test file), both
// comma-separated with the header "text,category".
func readBanking77(dir string) (*benchmark, error) {
	train, err := readCSV(filepath.Join(dir, "train.csv"), ',', []string{"text", "category"}, func(rec []string, where string) (labeled, error) {
		return labeled{text: rec[0], label: rec[1], where: where}, nil
	})
	if err != nil {
		return nil, err
	}
	test, err := readCSV(filepath.Join(dir, "test.csv"), ',', []string{"text", "category"}, func(rec []string, where string) (labeled, error) {
		return labeled{text: rec[0], label: rec[1], where: where}, nil
	})
	if err != nil {
		return nil, err
	}
	b, err := build("banking77", train, nil, map[string][]labeled{"test": test}, nil)
	if err != nil {
		return nil, err
	}
	b.How = "train.csv -> bot.yaml, test.csv -> test.jsonl (columns text, category)"
	return b, nil
}

// hwuHeader is the header of every HWU64 fold file (semicolon-separated).
var hwuHeader = []string{"answerid", "scenario", "intent", "answer_annotation", "answer_from_anno", "answer_from_user"}

// hwuText is the column used as the message text: the annotated utterance
// with the entity brackets removed. answer_from_user is the raw typed text,
// but it carries mis-decoded characters (mojibake) in the snapshot.
const hwuText = 4

// readHWU64 reads the ten cross-validation test folds (foldK_test/<intent>.csv),
// which partition the data set: folds 1-9 make the bot, fold 10 the test file.
func readHWU64(dir string) (*benchmark, error) {
	var train, test []labeled
	for k := 1; k <= 10; k++ {
		fold, err := readHWUFold(filepath.Join(dir, fmt.Sprintf("fold%d_test", k)))
		if err != nil {
			return nil, err
		}
		if k == 10 {
			test = fold
		} else {
			train = append(train, fold...)
		}
	}
	b, err := build("hwu64", train, nil, map[string][]labeled{"test": test}, nil)
	if err != nil {
		return nil, err
	}
	b.How = "fold1_test .. fold9_test -> bot.yaml, fold10_test -> test.jsonl; intent = file name without .csv, " +
		"text = column answer_from_anno"
	return b, nil
}

// readHWUFold reads one fold directory, its files sorted by name. The intent
// is the file name without ".csv"; every row's scenario_intent must match it.
func readHWUFold(dir string) ([]labeled, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.csv"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no .csv files; want one file per intent", dir)
	}
	slices.Sort(files)
	var out []labeled
	for _, f := range files {
		stem := strings.TrimSuffix(filepath.Base(f), ".csv")
		rows, err := readCSV(f, ';', hwuHeader, func(rec []string, where string) (labeled, error) {
			if got := rec[1] + "_" + rec[2]; got != stem {
				return labeled{}, fmt.Errorf("%s: scenario_intent is %q but the file is for %q", where, got, stem)
			}
			return labeled{text: rec[hwuText], label: stem, where: where}, nil
		})
		if err != nil {
			return nil, err
		}
		out = append(out, rows...)
	}
	return out, nil
}

// readCSV reads a CSV file whose first record must equal header, converting
// each further record with row. where names the file and line.
func readCSV(path string, comma rune, header []string, row func(rec []string, where string) (labeled, error)) ([]labeled, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = comma
	r.FieldsPerRecord = len(header)
	first, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: reading the header: %w", path, err)
	}
	if !slices.Equal(first, header) {
		return nil, fmt.Errorf("%s:1: header is %q, want %q", path, first, header)
	}
	var out []labeled
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		line, _ := r.FieldPos(0)
		l, err := row(rec, fmt.Sprintf("%s:%d", path, line))
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
}
