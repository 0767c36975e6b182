package pii

import "testing"

// cuedCases are old account numbers with their bank codes and
// Steuernummern, each after the word that names it, and the look-alikes
// that must stay clean: the same shapes without the cue, the cue without
// the number, and half of a pair. FuzzDetect starts from them too.
var cuedCases = []detectCase{
	// account number and bank code, either order, reported as IBAN
	{"Kontonummer 532013000 BLZ 37040044", []want{{IBAN, "532013000 BLZ 37040044"}}},
	{"Konto 0532013000, BLZ 370 400 44", []want{{IBAN, "0532013000, BLZ 370 400 44"}}},
	{"Kto.-Nr.: 532013000\nBLZ: 37040044\nBank: Commerzbank", []want{{IBAN, "532013000\nBLZ: 37040044"}}},
	{"bitte auf mein altes konto 532013000 bei der commerzbank, blz 37040044", []want{{IBAN, "532013000 bei der commerzbank, blz 37040044"}}},
	{"BLZ 37040044 Kto 532013000, danke", []want{{IBAN, "37040044 Kto 532013000"}}},
	{"Bankleitzahl: 3704 0044, Kontonummer lautet 0532 0130 00.", []want{{IBAN, "3704 0044, Kontonummer lautet 0532 0130 00"}}},
	{"Girokonto Nr. 1234567 (BLZ 10010010)", []want{{IBAN, "1234567 (BLZ 10010010"}}},
	{"account no 532013000, BLZ 37040044", []want{{IBAN, "532013000, BLZ 37040044"}}},
	{"Konto (alt): 53201, BLZ 370 400 44", []want{{IBAN, "53201, BLZ 370 400 44"}}},
	// half a pair, or no number: not reported
	{"Kontonummer 532013000", nil},
	{"die BLZ 37040044 gehört zu welcher Bank?", nil},
	{"BLZ", nil},
	{"was ist eine BLZ? ich hab nur die IBAN", nil},
	{"Konto gesperrt seit 12/05/2024", nil},
	{"mein Konto ist gesperrt, BLZ 37040044", nil},
	{"Kontonummer 532013000 - wo finde ich die BLZ?", nil},
	{"my account 532013000 is locked", nil},
	// numbers that are not what the cue names
	{"Konto 532013000 BLZ 97040044", nil},                                                          // no clearing area 9
	{"Konto 532013000 BLZ 3704004", nil},                                                           // 7 digits
	{"Konto 532013000 BLZ 370400441", nil},                                                         // 9 digits
	{"Konto 53201300012 BLZ 37040044", nil},                                                        // 11 digits
	{"Konto 5320 BLZ 37040044", nil},                                                               // 4 digits
	{"Konto 532013000 BLZ 37 040 044", nil},                                                        // not split 3-3-2
	{"Konto 532013000, Bestellung 123, BLZ 37040044", nil},                                         // a number between
	{"Konto 532013000, und dann irgendwann viel später am Telefon noch mal die BLZ 37040044", nil}, // too far
	{"Bestellnummer 532013000 BLZ 37040044", nil},
	{"Kundennummer 0532013000, Tel 0151 2345678", []want{{Phone, "0151 2345678"}}},
	// Steuernummer in the states' shapes, after its cue
	{"steuernummer 12/345/67890", []want{{TaxID, "12/345/67890"}}},
	{"Steuernummer: 123/456/78901", []want{{TaxID, "123/456/78901"}}},
	{"meine StNr ist 1234/567/89012.", []want{{TaxID, "1234/567/89012"}}},
	{"St.-Nr. 12 345 67890", []want{{TaxID, "12 345 67890"}}},
	{"St. Nr. 93815/08152", []want{{TaxID, "93815/08152"}}},
	{"Steuer-Nr.: 133/8150/8159", []want{{TaxID, "133/8150/8159"}}},
	{"Steuernummer lautet 22/815/0815/4", []want{{TaxID, "22/815/0815/4"}}},
	{"Steuernummer 013 815 08153 (Finanzamt)", []want{{TaxID, "013 815 08153"}}},
	{"Steuernummer 2181508150", []want{{TaxID, "2181508150"}}},
	{"Steuernummer 9181081508155", []want{{TaxID, "9181081508155"}}},
	{"my tax number is 21/815/08150", []want{{TaxID, "21/815/08150"}}},
	{"Die Steuernummer meiner Firma ist 21/815/08150", []want{{TaxID, "21/815/08150"}}},
	{"12/345/67890 ist meine Steuernummer", []want{{TaxID, "12/345/67890"}}},
	{"123/456/78901 (StNr.)", []want{{TaxID, "123/456/78901"}}},
	// the shapes without a cue, the cue without a shape
	{"12/345/67890", nil},
	{"Aktenzeichen 123/456/78901", nil},
	{"Paket 12 345 67890 kam nicht an", nil},
	{"Steuernummer fehlt auf der Rechnung", nil},
	{"Steuernummer 12/05/2024", nil},       // a date
	{"steuernummer 3/4 der rechnung", nil}, // a fraction
	{"Steuernummer 12/345/6789", nil},      // no state writes 2/3/4
	{"Steuernummer 123456789", nil},        // 9 digits
	{"Steuernummer 12345678901234", nil},   // 14 digits
	{"Steuernummer 12/345/67890/1", nil},   // runs on
	{"Steuernummer 12/345 67890", nil},     // mixed separators
	{"Steuer 12/345/67890", nil},           // "Steuer" alone
	{"St. 12/345/67890", nil},              // "St." alone is a street
	{"12/345/67890 ist meine Bestellnummer", nil},
	{"1/12345/67890 ist meine Steuernummer", nil}, // the tail of a longer number
	{"Lieferung 12/05/2024, 3/4 der Ware fehlt", nil},
	// the Steuer-ID keeps its rules; after "Steuernummer" it is a TaxID too
	{"Steuernummer 65 929 970 489", []want{{TaxID, "65 929 970 489"}}},
	{"Steuer-ID 65/929/970/489", []want{{TaxID, "65/929/970/489"}}},
}

func TestDetectCued(t *testing.T) {
	for _, c := range cuedCases {
		got := Detect(c.text)
		if len(got) != len(c.want) {
			t.Errorf("Detect(%q) = %v, want %d spans %v", c.text, got, len(c.want), c.want)
			continue
		}
		for i, w := range c.want {
			g := got[i]
			if g.Kind != w.kind || c.text[g.Start:g.End] != w.text {
				t.Errorf("Detect(%q)[%d] = %s %q, want %s %q", c.text, i, g.Kind, c.text[g.Start:g.End], w.kind, w.text)
			}
		}
	}
}

// TestRedactCued checks that both numbers of a pair are hidden, and the
// words between them with them, so that no digit of either stays.
func TestRedactCued(t *testing.T) {
	for text, want := range map[string]string{
		"Kontonummer 532013000 BLZ 37040044":     "Kontonummer [IBAN]",
		"Konto 0532013000, BLZ 370 400 44 bitte": "Konto [IBAN] bitte",
		"StNr 123/456/78901, danke":              "StNr [TAX_ID], danke",
	} {
		if got := Redact(text, Detect(text)); got != want {
			t.Errorf("Redact(%q) = %q, want %q", text, got, want)
		}
	}
}

// TestDetectCleanAllocs holds Detect to no allocation on a message with
// cue words and numbers but no personal data: the cue words are read
// into stack buffers and classified by switch statements.
func TestDetectCleanAllocs(t *testing.T) {
	text := "Konto gesperrt, Bestellung 532013000, die BLZ fehlt, Steuernummer folgt 12/05/2024"
	if n := testing.AllocsPerRun(100, func() { Detect(text) }); n != 0 {
		t.Errorf("Detect(%q): %v allocations, want 0", text, n)
	}
}
