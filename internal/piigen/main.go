// Command piigen writes testdata/pii/test.jsonl, the labelled set of chat
// messages that measures the personal-data detector in package pii.
//
// The output is deterministic: the random source is seeded, so running the
// generator twice gives identical bytes. Run it from the module root:
//
//	go run ./internal/piigen
//
// Messages come from hand-written templates, phrased the way visitors write
// to a shop or bank help chat (lower case, typos, no umlauts, German and
// English mixed). Placeholders such as {iban} are filled with freshly
// generated, checksum-valid values, and the byte offsets of each filled
// placeholder become the message's span labels. Look-alike templates fill
// in values that must not be reported: order and invoice numbers, amounts,
// tracking numbers that fail the Luhn check, purchase dates, postcodes.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// span is a labelled piece of personal data; byte offsets into text.
type span struct {
	Kind  string `json:"kind"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// record is one line of test.jsonl.
type record struct {
	Text   string   `json:"text"`
	Expect string   `json:"expect"`
	PII    []string `json:"pii"`
	Spans  []span   `json:"spans"`
}

// fill is a placeholder: the kind it labels ("" for look-alikes, which are
// not personal data) and how to make a value.
type fill struct {
	kind string
	gen  func(*rand.Rand) string
}

var fills = map[string]fill{
	"iban":  {"iban", genIBAN},
	"card":  {"card", genCard},
	"email": {"email", genEmail},
	"phone": {"phone", genPhone},
	"dob":   {"dob", func(r *rand.Rand) string { return genDate(r, false) }},
	"tax":   {"tax_id", genTaxID},
	"addr":  {"address", genAddress},
	"name":  {"name", genName},
	// introductions: see introTemplates
	"fullname": {"name", genIntroName},
	"titled":   {"name", genTitledName},
	"first":    {"name", func(r *rand.Rand) string { return pick(r, append(firstNames, introFirst...)) }},
	"idno":     {"id_document", genIDDoc},
	"semail":   {"email", genSpelledEmail},
	// an old account number and its bank code, each labelled iban: the
	// pair is an IBAN's data in its older form (see bankTemplates)
	"kto":  {"iban", genKonto},
	"blz":  {"iban", genBLZ},
	"stnr": {"tax_id", genSteuernummer},
	// look-alikes
	"date":     {"", func(r *rand.Rand) string { return genDate(r, true) }},
	"order":    {"", genOrder},
	"amount":   {"", genAmount},
	"tracking": {"", genTracking},
	"plz":      {"", func(r *rand.Rand) string { return pick(r, citiesDE)[:5] }},
	"num":      {"", func(r *rand.Rand) string { return strconv.Itoa(1 + r.IntN(20000)) }},
	"custno":   {"", genCustomerNo},
	"shop":     {"", func(r *rand.Rand) string { return pick(r, []string{"otto", "zalando", "amazon", "mediamarkt"}) }},
	"badcard":  {"", genBadCard},
	"badtax":   {"", genBadTaxID},
	"time":     {"", func(r *rand.Rand) string { return pad2(8+r.IntN(10)) + ":" + pick(r, []string{"00", "15", "30", "45"}) }},
	"xkto":     {"", genKonto},
	"xblz":     {"", genBLZ},
	"xstnr":    {"", slashedSteuernummer},
	"sdate":    {"", genSlashDate},
	"frac":     {"", func(r *rand.Rand) string { return pick(r, []string{"1/2", "3/4", "2/3", "1/4", "1/3"}) }},
}

func genOrder(r *rand.Rand) string {
	switch r.IntN(5) {
	case 0:
		return "RE-" + strconv.Itoa(2022+r.IntN(4)) + "-" + digits(r, 6)
	case 1:
		return "#" + digits(r, 6)
	case 2:
		return "AB" + digits(r, 8)
	case 3:
		return strconv.Itoa(2022+r.IntN(4)) + "-" + digits(r, 5)
	default:
		return "10" + digits(r, 7)
	}
}

func genAmount(r *rand.Rand) string {
	e, c := strconv.Itoa(1+r.IntN(1500)), pad2(r.IntN(100))
	switch r.IntN(4) {
	case 0:
		return e + "," + c + " €"
	case 1:
		return "€" + e + "." + c
	case 2:
		return e + "," + c + " EUR"
	default:
		return e + " euro"
	}
}

// genTracking returns a parcel tracking number: DHL (20 digits starting
// 00340434), Hermes (14 digits) or a 16-digit number that fails the Luhn
// check so it cannot be a card number.
func genTracking(r *rand.Rand) string {
	switch r.IntN(3) {
	case 0:
		return "00340434" + digits(r, 12)
	case 1:
		return "H" + digits(r, 13)
	default:
		return genBadCard(r)
	}
}

// genBadCard returns 16 digits with a card-like prefix that fail Luhn.
func genBadCard(r *rand.Rand) string {
	body := pick(r, []string{"4", "5", "3"}) + digits(r, 14)
	good := luhnDigit(body)
	bad := byte('0' + (int(good-'0')+1+r.IntN(9))%10)
	return body + string(bad)
}

// genBadTaxID returns 11 digits that fail the Steuer-ID check digit.
func genBadTaxID(r *rand.Rand) string {
	for {
		d := digits(r, 10)
		if d[0] == '0' {
			continue
		}
		good := mod1110(d)
		return d + string(byte('0'+(int(good-'0')+1+r.IntN(9))%10))
	}
}

func genCustomerNo(r *rand.Rand) string {
	return pick(r, []string{"00", "0", "1", "7"}) + digits(r, 7+r.IntN(3))
}

func main() {
	out := flag.String("o", filepath.Join("testdata", "pii", "test.jsonl"), "output file")
	seed := flag.Uint64("seed", 3, "random seed")
	flag.Parse()

	r := rand.New(rand.NewPCG(*seed, 0x5eed_0003))
	var recs []record
	// Every template is used several times with fresh values; the counts
	// give at least 30 labelled spans per kind and over 100 look-alikes.
	for _, set := range []struct {
		templates []string
		times     int
	}{
		{ibanTemplates, 3}, {cardTemplates, 3}, {emailTemplates, 3}, {phoneTemplates, 3},
		{dobTemplates, 3}, {taxTemplates, 3}, {idTemplates, 3}, {addrTemplates, 3}, {nameTemplates, 3},
		{mixedTemplates, 2}, {lookalikeTemplates, 3},
	} {
		for n := 0; n < set.times; n++ {
			for _, tpl := range set.templates {
				recs = append(recs, expand(r, tpl))
			}
		}
	}
	for _, text := range lookalikeMessages {
		recs = append(recs, expand(r, text))
	}
	r.Shuffle(len(recs), func(i, j int) { recs[i], recs[j] = recs[j], recs[i] })
	// Introductions came later and draw from a random source of their own,
	// so that adding them left every earlier message as it was.
	ri := rand.New(rand.NewPCG(*seed, 0x5eed_1a7e))
	var intro []record
	for n := 0; n < 2; n++ {
		for _, tpl := range introTemplates {
			intro = append(intro, expand(ri, tpl))
		}
	}
	for _, text := range introLookalikes {
		intro = append(intro, expand(ri, text))
	}
	ri.Shuffle(len(intro), func(i, j int) { intro[i], intro[j] = intro[j], intro[i] })
	recs = append(recs, intro...)
	// Old account numbers and Steuernummern came later still, with a
	// random source of their own for the same reason.
	rb := rand.New(rand.NewPCG(*seed, 0x5eed_b12a))
	var bank []record
	for n := 0; n < 2; n++ {
		for _, set := range [][]string{bankTemplates, steuernummerTemplates, bankLookalikeTemplates} {
			for _, tpl := range set {
				bank = append(bank, expand(rb, tpl))
			}
		}
	}
	for _, text := range bankLookalikes {
		bank = append(bank, expand(rb, text))
	}
	rb.Shuffle(len(bank), func(i, j int) { bank[i], bank[j] = bank[j], bank[i] })
	recs = append(recs, bank...)

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for _, rec := range recs {
		if err := enc.Encode(rec); err != nil {
			log.Fatalf("piigen: encoding %q: %v", rec.Text, err)
		}
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		log.Fatalf("piigen: %v (run from the module root, or pass -o)", err)
	}
	log.Printf("piigen: wrote %d messages to %s", len(recs), *out)
}

// expand fills the placeholders of tpl and labels the personal data.
func expand(r *rand.Rand, tpl string) record {
	rec := record{Expect: "out_of_scope", PII: []string{}, Spans: []span{}}
	var b strings.Builder
	for {
		i := strings.IndexByte(tpl, '{')
		if i < 0 {
			b.WriteString(tpl)
			break
		}
		j := strings.IndexByte(tpl[i:], '}')
		if j < 0 {
			log.Fatalf("piigen: unclosed placeholder in template %q", tpl)
		}
		key := tpl[i+1 : i+j]
		f, ok := fills[key]
		if !ok {
			log.Fatalf("piigen: unknown placeholder {%s} in template %q", key, tpl)
		}
		b.WriteString(tpl[:i])
		v := f.gen(r)
		if f.kind != "" {
			rec.Spans = append(rec.Spans, span{f.kind, b.Len(), b.Len() + len(v)})
			if !containsStr(rec.PII, f.kind) {
				rec.PII = append(rec.PII, f.kind)
			}
		}
		b.WriteString(v)
		tpl = tpl[i+j+1:]
	}
	rec.Text = b.String()
	return rec
}

func containsStr(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
