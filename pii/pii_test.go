package pii

import (
	"strings"
	"testing"
)

// detectCase is a message and the personal data it holds, each given as the
// exact text of the span.
type detectCase struct {
	text string
	want []want
}

type want struct {
	kind Kind
	text string
}

// kindCases holds, per kind, positives and look-alikes that must stay clean.
var kindCases = map[string][]detectCase{
	"iban": {
		{"IBAN DE89 3704 0044 0532 0130 00 bitte", []want{{IBAN, "DE89 3704 0044 0532 0130 00"}}},
		{"iban de89370400440532013000", []want{{IBAN, "de89370400440532013000"}}},
		{"GB82WEST12345698765432", []want{{IBAN, "GB82WEST12345698765432"}}},
		{"AT61 1904 3002 3457 3201.", []want{{IBAN, "AT61 1904 3002 3457 3201"}}},
		{"NO9386011117947", []want{{IBAN, "NO9386011117947"}}},
		{"MT84MALT011000012345MTLCAST001S", []want{{IBAN, "MT84MALT011000012345MTLCAST001S"}}},
		{"FR1420041010050500013M02606", []want{{IBAN, "FR1420041010050500013M02606"}}},
		{"DE89 3704 0044 0532 0130 01", nil}, // check digits wrong
		{"DE89370400440532013000123", nil},   // too long
		{"DE8937040044053201300", nil},       // too short
		{"XX89370400440532013000", nil},      // no such country
		{"ADE89370400440532013000", nil},     // not at a word start
		// Hyphens or dots between the groups, as banking apps and letters
		// print them; the span covers the separators so Redact hides them.
		{"IBAN: DE89-3704-0044-0532-0130-00, danke", []want{{IBAN, "DE89-3704-0044-0532-0130-00"}}},
		{"DE89.3704.0044.0532.0130.00", []want{{IBAN, "DE89.3704.0044.0532.0130.00"}}},
		{"iban DE89/3704/0044/0532/0130/00", []want{{IBAN, "DE89/3704/0044/0532/0130/00"}}},
		{"see de/2024/05/12/news", nil},
		{"iban de89.3704.0044.0532.0130.00.", []want{{IBAN, "de89.3704.0044.0532.0130.00"}}},
		{"AT61-1904-3002-3457-3201", []want{{IBAN, "AT61-1904-3002-3457-3201"}}},
		{"DE89-3704-0044-0532-0130-01", nil},    // check digits wrong
		{"DE89.3704.0044.0532.0130.01", nil},    // check digits wrong
		{"DE89-3704.0044-0532.0130-00", nil},    // mixed separators
		{"DE89-3704-0044-0532-0130-00-17", nil}, // runs on: a longer code
	},
	"card": {
		// The expiry date and the security code go with the number.
		{"karte 4111 1111 1111 1111 bis 12/25", []want{{Card, "4111 1111 1111 1111 bis 12/25"}}},
		{"card 4111 1111 1111 1111 exp 12/27 cvc 123", []want{{Card, "4111 1111 1111 1111 exp 12/27 cvc 123"}}},
		{"Karte 4111111111111111, gültig bis 1/2027, Prüfnummer 0123.", []want{{Card, "4111111111111111, gültig bis 1/2027, Prüfnummer 0123"}}},
		{"4111 1111 1111 1111 CVV2: 987 danke", []want{{Card, "4111 1111 1111 1111 CVV2: 987"}}},
		// No code word: a number after the card is not its code; 13/27 is no month.
		{"4111 1111 1111 1111 und 123 Euro", []want{{Card, "4111 1111 1111 1111"}}},
		{"4111 1111 1111 1111 exp 13/27", []want{{Card, "4111 1111 1111 1111"}}},
		{"5555-5555-5555-4444", []want{{Card, "5555-5555-5555-4444"}}},
		{"mc 2221000000000009", []want{{Card, "2221000000000009"}}},
		{"amex 3782 822463 10005", []want{{Card, "3782 822463 10005"}}},
		{"diners 30569309025904", []want{{Card, "30569309025904"}}},
		{"4222222222222", []want{{Card, "4222222222222"}}},
		{"4111 1111 1111 1112", nil}, // fails Luhn
		{"1234567812345670", nil},    // passes Luhn, no issuer
		{"Sendung 00340434161094042557", nil},
		{"41111111111111111111", nil},  // 20 digits
		{"4111111111111111,50 €", nil}, // an amount
		{"2721000000000004", nil},      // just above Mastercard's 2-series
		{"4111.1111.1111.1111", []want{{Card, "4111.1111.1111.1111"}}},
		{"4.111.111.111.111", nil},     // thousands separators, not a card
		{"4111.1111.1111.1111.2", nil}, // runs on past 19 digits
		{"Bestellung 1234-5678-9012-3456", nil},
	},
	"email": {
		{"mail: max.mustermann@web.de.", []want{{Email, "max.mustermann@web.de"}}},
		{"(Jane_Doe+shop@mail.example.co.uk)", []want{{Email, "Jane_Doe+shop@mail.example.co.uk"}}},
		{"a@b.de", []want{{Email, "a@b.de"}}},
		{"email: max(at)example.org", []want{{Email, "max(at)example.org"}}},
		{"my email is anna.müller@example.com", []want{{Email, "anna.müller@example.com"}}},
		{"Grüße an alle@home", nil},
		{"schreib an Max.M [AT] web.de!", []want{{Email, "Max.M [AT] web.de"}}},
		{"max (at) example.org", []want{{Email, "max (at) example.org"}}},
		{"we met (at) noon", nil},
		{"look (at) this.", nil},
		{"@web.de", nil},
		{"max@localhost", nil},
		{"max@web.d", nil},
		{"email kommt nicht an", nil},
		{"max at example dot org", nil}, // a plain word: a shop, not an address
		{"schreib an max punkt mustermann at gmx punkt de bitte", []want{{Email, "max punkt mustermann at gmx punkt de"}}},
		{"Jane.Doe AT mail DOT example DOT com.", []want{{Email, "Jane.Doe AT mail DOT example DOT com"}}},
		{"max(at)example(dot)org", []want{{Email, "max(at)example(dot)org"}}},
		{"anna [at] web [dot] de", []want{{Email, "anna [at] web [dot] de"}}},
		{"I ordered at amazon.de last week", nil},
		{"look at this dot here", nil},
		{"we meet at home dot lunch", nil},
		{"bought it at otto dot de", nil},
		{"my email is max at example dot org", []want{{Email, "max at example dot org"}}},
		{"max2 at example dot org", []want{{Email, "max2 at example dot org"}}},
	},
	"id_document": {
		{"meine Ausweisnummer ist T22000129", []want{{IDDoc, "T22000129"}}},
		{"Reisepass Nr. C01X00T47, gültig bis 2031", []want{{IDDoc, "C01X00T47"}}},
		{"passport number: 912803456", []want{{IDDoc, "912803456"}}},
		{"my driver's license is B072RRE2I55", []want{{IDDoc, "B072RRE2I55"}}},
		{"passport no 1234567890123", nil}, // too long
		{"Führerschein B072RRE2I5 verloren", []want{{IDDoc, "B072RRE2I5"}}},
		{"perso verloren, nummer L01X00T4", []want{{IDDoc, "L01X00T4"}}},
		{"Bestellung C01X00T47 wegen Reisepass", nil}, // the number precedes the cue
		{"Reisepass bestellt, Bestellnummer AB12345678", nil},
		{"passport photo size 35x45", nil},
		{"ausweis app geht nicht, fehler 0x8004", nil},
		{"id card expired in 2024", nil},
		{"boarding pass for my passport trip AB1234", nil},
		{"mein Pass hat die Nummer C01X00T47", []want{{IDDoc, "C01X00T47"}}},
		{"Pass c01x00t47", []want{{IDDoc, "c01x00t47"}}},
		{"bus pass 123456789", nil},  // digits only: not the German shape
		{"pass code ABCD12345", nil}, // a vowel and B and D: not the German shape
		{"Für die Buchung brauche ich den Reisepass C01X00T47", []want{{IDDoc, "C01X00T47"}}},
		{"In order to verify: my passport number is 912803456", []want{{IDDoc, "912803456"}}},
		{"Ticket 4711: meine Ausweisnummer ist T22000129", []want{{IDDoc, "T22000129"}}},
		{"Ausweis verloren, bitte ruf mich an: 0301234567", []want{{Phone, "0301234567"}}},
		{"Reisepass beantragt, Rückruf unter 01512345678", []want{{Phone, "01512345678"}}},
		{"passport photo, call +49 151 2345678", []want{{Phone, "+49 151 2345678"}}},
	},
	"phone": {
		{"+49 151 2345678", []want{{Phone, "+49 151 2345678"}}},
		{"ruf an: 0151/2345678!", []want{{Phone, "0151/2345678"}}},
		{"(030) 1234567", []want{{Phone, "(030) 1234567"}}},
		{"0049 30 1234567", []want{{Phone, "0049 30 1234567"}}},
		{"+49 (0)30 12345678", []want{{Phone, "+49 (0)30 12345678"}}},
		{"call +14155552671", []want{{Phone, "+14155552671"}}},
		{"handy 01761234567", []want{{Phone, "01761234567"}}},
		{"Tel. 0301234567", []want{{Phone, "0301234567"}}},
		{"Kundennummer 0012345678", nil},
		{"artikel 0815", nil},
		{"am 01.02.2024", nil},
		{"Bestellnummer 0301234567", nil},
		{"0301234567", nil}, // a plain number: no shape, no cue
		{"+1234", nil},
		{"0151.2345678", []want{{Phone, "0151.2345678"}}},
		{"tel 030.1234567", []want{{Phone, "030.1234567"}}},
		{"+49.151.2345678", []want{{Phone, "+49.151.2345678"}}},
		{"0.1567891234", nil},       // a decimal: one digit before the dot
		{"ip 010.123.045.067", nil}, // an IP address
		{"Version 1.2.3.4", nil},
		{"Version 10.12.345.6789", nil},
		{"geliefert am 01.02.2024", nil},
		{"Lieferung 12-03-2024", nil},
	},
	"dob": {
		{"geboren am 12.03.1985", []want{{DOB, "12.03.1985"}}},
		{"Geburtsdatum: 1985-03-12", []want{{DOB, "1985-03-12"}}},
		{"geb. 3.4.85", []want{{DOB, "3.4.85"}}},
		{"DOB 03/12/1985", []want{{DOB, "03/12/1985"}}},
		{"born on March 12, 1985", []want{{DOB, "March 12, 1985"}}},
		{"date of birth: 12th of March 1985", []want{{DOB, "12th of March 1985"}}},
		{"ich bin am 12. März 1985 geboren", []want{{DOB, "12. März 1985"}}},
		{"bestellt am 12.03.2024", nil},
		{"Geburtstagsgeschenk bestellt am 02.12.2024", nil},
		{"geboren am 32.13.1985", nil}, // no such date
		{"ich bin 34 und warte seit dem 1.2.2024", nil},
	},
	"tax_id": {
		{"Steuer-ID 65 929 970 489", []want{{TaxID, "65 929 970 489"}}},
		{"steuerid 65929970489", []want{{TaxID, "65929970489"}}},
		{"65929970488", nil}, // wrong check digit
		{"11111111111", nil}, // repetition rule
		{"05929970489", nil}, // leading zero
		{"12345678901", nil}, // no digit repeated
		{"Bestellnummer 65929970489", nil},
		// 12 345 678 901, the example of the audit, repeats no digit and
		// has check digit 3, not 1: no Steuer-ID can be written so.
		{"Steuer-ID 12 345 678 901", nil},
		{"Steuer-ID: 65 929 970 489", []want{{TaxID, "65 929 970 489"}}},
		{"meine Steuer-ID ist 86095742719", []want{{TaxID, "86095742719"}}},
		{"Steuer-ID 86 095 742 719 bitte", []want{{TaxID, "86 095 742 719"}}},
		{"Steuer-ID 65-929-970-489", []want{{TaxID, "65-929-970-489"}}},
		{"steuerliche IdNr. 65/929/970/489", []want{{TaxID, "65/929/970/489"}}},
		{"65-929-970-489", nil},             // hyphens need a tax cue
		{"Auftrag 65/929/970/489", nil},     // slashes need a tax cue
		{"Steuer-ID 65-929-970-488", nil},   // wrong check digit
		{"Steuer-ID 65 929-970 489", nil},   // mixed separators
		{"Steuer-ID 65929970489-1", nil},    // runs on: a longer number
		{"Steuer-ID 65 929 970 489 0", nil}, // runs on: a longer number
	},
	"address": {
		{"Hauptstraße 12, 10115 Berlin", []want{{Address, "Hauptstraße 12, 10115 Berlin"}}},
		{"wohne Berliner Str. 5a", []want{{Address, "Berliner Str. 5a"}}},
		{"hauptstrasse 3 bitte", []want{{Address, "hauptstrasse 3"}}},
		{"Am Markt 3", []want{{Address, "Am Markt 3"}}},
		{"an am markt 65, 50667 Köln bitte", []want{{Address, "am markt 65, 50667 Köln"}}},
		{"wir sind am markt 5 min entfernt", nil},
		{"Karl-Marx-Allee 90", []want{{Address, "Karl-Marx-Allee 90"}}},
		{"221B Baker Street", []want{{Address, "221B Baker Street"}}},
		{"ship to 12 main st.", []want{{Address, "12 main st."}}},
		{"159 Queen's Road, London", []want{{Address, "159 Queen's Road"}}},
		{"liefert ihr nach 10115?", nil},
		{"mein paket ist weg 3 tage", nil},
		{"5 days drive", nil},
		{"Marktplatz 2 €", nil},
		{"die Straße ist gesperrt", nil},
	},
	"name": {
		{"mein Name ist Max Mustermann", []want{{Name, "Max Mustermann"}}},
		{"ich heisse anna", []want{{Name, "anna"}}},
		{"Viele Grüße, Max Mustermann", []want{{Name, "Max Mustermann"}}},
		{"Regards, Jane Doe", []want{{Name, "Jane Doe"}}},
		{"Thanks,\nDr. Jane Doe", []want{{Name, "Dr. Jane Doe"}}},
		{"lg max", []want{{Name, "max"}}},
		{"my name is wrong on the invoice", nil},
		{"Grüße aus Berlin", nil},
		{"thanks again for the help", nil},
		{"Danke, Bestellung kam an", nil},
		{"this is ridiculous", nil},
	},
	"mixed": {
		{"Rechnung RE-2024-000123 über 129,99 €", nil},
		{"", nil},
		{"Mein Name ist Max, IBAN DE89370400440532013000, Tel 0151 2345678",
			[]want{{Name, "Max"}, {IBAN, "DE89370400440532013000"}, {Phone, "0151 2345678"}}},
		{"geboren 1.2.1980, bestellt am 3.4.2024", []want{{DOB, "1.2.1980"}}},
	},
}

func TestDetect(t *testing.T) {
	for group, cases := range kindCases {
		for _, c := range cases {
			t.Run(group, func(t *testing.T) {
				got := Detect(c.text)
				if len(got) != len(c.want) {
					t.Fatalf("Detect(%q) = %v, want %d spans %v", c.text, got, len(c.want), c.want)
				}
				for i, w := range c.want {
					g := got[i]
					if g.Kind != w.kind || c.text[g.Start:g.End] != w.text {
						t.Errorf("Detect(%q)[%d] = %s %q, want %s %q", c.text, i, g.Kind, c.text[g.Start:g.End], w.kind, w.text)
					}
				}
			})
		}
	}
}

func TestTaxIDCheckDigit(t *testing.T) {
	// Published example of the Bundeszentralamt für Steuern.
	d := []byte{8, 6, 0, 9, 5, 7, 4, 2, 7, 1}
	if got := taxIDCheckDigit(d); got != 9 {
		t.Errorf("check digit of 8609574271 = %d, want 9", got)
	}
	valid := []byte{8, 6, 0, 9, 5, 7, 4, 2, 7, 1, 9}
	if !taxIDValid(valid) {
		t.Errorf("86095742719 reported invalid")
	}
	threeInRow := []byte{1, 1, 1, 2, 3, 4, 5, 6, 7, 8, 0}
	threeInRow[10] = taxIDCheckDigit(threeInRow[:10])
	if taxIDValid(threeInRow) {
		t.Errorf("three equal digits in a row reported valid")
	}
	threeApart := []byte{1, 2, 1, 3, 1, 4, 5, 6, 7, 8, 0}
	threeApart[10] = taxIDCheckDigit(threeApart[:10])
	if !taxIDValid(threeApart) {
		t.Errorf("a digit three times, not in a row, reported invalid")
	}
}

func TestIBANLength(t *testing.T) {
	for cc, n := range map[string]int{"DE": 22, "de": 22, "NO": 15, "MT": 31, "US": 0, "D": 0} {
		if got := IBANLength(cc); got != n {
			t.Errorf("IBANLength(%q) = %d, want %d", cc, got, n)
		}
	}
}

func TestRedact(t *testing.T) {
	text := "IBAN DE89370400440532013000 an max@web.de"
	tests := []struct {
		name  string
		spans []Span
		want  string
	}{
		{"none", nil, text},
		{"detected", Detect(text), "IBAN [IBAN] an [EMAIL]"},
		{"end out of range", []Span{{Email, 31, 1000}}, "IBAN DE89370400440532013000 an [EMAIL]"},
		{"start out of range", []Span{{Card, 500, 600}}, text},
		{"negative start", []Span{{Name, -5, 4}}, "[NAME] DE89370400440532013000 an max@web.de"},
		{"overlapping", []Span{{IBAN, 5, 27}, {Card, 10, 30}}, "IBAN [IBAN][CARD] max@web.de"},
		{"contained", []Span{{IBAN, 5, 27}, {Card, 10, 20}}, "IBAN [IBAN] an max@web.de"},
		{"empty and reversed", []Span{{IBAN, 5, 5}, {Card, 9, 3}}, text},
		{"no kind", []Span{{"", 0, 4}}, "[PII] DE89370400440532013000 an max@web.de"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Redact(text, tt.spans); got != tt.want {
				t.Errorf("Redact = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestRedactSeparated checks that an IBAN, card or tax ID written with
// hyphens, dots or slashes is hidden whole, separators and all, so no
// group of digits stays readable.
func TestRedactSeparated(t *testing.T) {
	for text, want := range map[string]string{
		"IBAN DE89-3704-0044-0532-0130-00 bitte": "IBAN [IBAN] bitte",
		"IBAN DE89.3704.0044.0532.0130.00.":      "IBAN [IBAN].",
		"Karte 4111.1111.1111.1111, danke":       "Karte [CARD], danke",
		"Steuer-ID: 65/929/970/489.":             "Steuer-ID: [TAX_ID].",
	} {
		if got := Redact(text, Detect(text)); got != want {
			t.Errorf("Redact(%q) = %q, want %q", text, got, want)
		}
	}
}

func TestMatch(t *testing.T) {
	want := []Span{{IBAN, 0, 10}, {Email, 20, 30}, {Name, 40, 45}}
	got := []Span{{IBAN, 5, 12}, {Phone, 20, 30}, {Name, 46, 50}}
	tp, fn, fp := match(want, got)
	if tp[IBAN] != 1 || fn[Email] != 1 || fn[Name] != 1 || fp[Phone] != 1 || fp[Name] != 1 || fp[IBAN] != 0 {
		t.Errorf("Match = tp %v fn %v fp %v", tp, fn, fp)
	}
}

// TestDetectLong checks that a long message keeps finding data at its end,
// so no recogniser gives up after a fixed distance.
func TestDetectLong(t *testing.T) {
	text := strings.Repeat("bestellt am 12.03.2024 für 129,99 € ", 3000) + "IBAN DE89370400440532013000"
	got := Detect(text)
	if len(got) != 1 || got[0].Kind != IBAN || got[0].End != len(text) {
		t.Errorf("Detect(long text) = %v, want one IBAN at the end", got)
	}
}

func TestMaskCards(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"no card here, 1234 5678", "no card here, 1234 5678"},
		{"4111-1111-1111-1111", "****-****-****-1111"},
		{"Amex 3782 822463 10005 exp 01/29", "Amex **** ****** *0005 exp **/**"},
		{"two: 4111111111111111 and 5500 0000 0000 0004", "two: ************1111 and **** **** **** 0004"},
		{"card 4111 1111 1111 1111 cvv 987, call 0151 2345678", "card **** **** **** 1111 cvv ***, call 0151 2345678"},
		{"IBAN DE89 3704 0044 0532 0130 00", "IBAN DE89 3704 0044 0532 0130 00"},
	} {
		spans := Detect(tc.text)
		got := MaskCards(tc.text, spans)
		if got != tc.want {
			t.Errorf("MaskCards(%q) = %q, want %q", tc.text, got, tc.want)
		}
		if len(got) != len(tc.text) {
			t.Errorf("MaskCards(%q) changed the length", tc.text)
		}
	}
	// Spans out of range are skipped, never a panic.
	if got := MaskCards("4111", []Span{{Card, 2, 99}, {Card, -1, 2}, {Card, 3, 1}}); got != "4111" {
		t.Errorf("bad spans: %q", got)
	}
}
