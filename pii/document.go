package pii

import "strings"

// Identity documents. A passport or ID card number has no checksum in its
// printed form (the check digits are in the machine-readable zone only),
// and its shape (8 to 11 letters and digits) is that of an order or
// tracking number. So it is reported only after a word that names the
// document: "meine Ausweisnummer ist T22000129", "passport no. C01X00T47".

// idDocCues name identity documents and their numbers.
var idDocCues = []string{"reisepass", "reisepassnummer", "reisepassnr", "passnummer", "passnr",
	"pass-nr", "passport", "ausweis", "ausweisnummer", "ausweisnr", "ausweis-nr", "personalausweis",
	"personalausweisnummer", "perso", "persos", "id card", "id-card", "id-karte", "identity card",
	"id number", "id-nummer", "id no", "dokumentennummer", "document number", "führerschein",
	"fuehrerschein", "führerscheinnummer", "driving licence", "driver's license", "drivers license",
	"license number", "licence number", "aufenthaltstitel", "residence permit"}

// idDocAt matches a document number at i: 8 to 11 ASCII letters and
// digits, two or more of them digits, ending a word, after a cue within
// the 40 bytes before (and after floor). Passports and ID cards have 9 or
// 10 characters in Germany and 9 digits in the US and UK; a German driving
// licence has 11.
func idDocAt(t string, i, floor int) (int, bool) {
	e, nd := i, 0
	for e < len(t) && e-i <= 11 && (isDigit(t[e]) || isAlpha(t[e])) {
		if isDigit(t[e]) {
			nd++
		}
		e++
	}
	n := e - i
	switch {
	case n < 8 || n > 11 || nd < 2:
		return 0, false
	case e < len(t) && (isLetter(t[e]) || isDigit(t[e]) || t[e] == '-' || t[e] == '/'):
		return 0, false // part of a longer token
	}
	if nd == n && t[i] == '0' {
		return 0, false // a telephone number: no document number starts so
	}
	// The cue nearest the number decides: "Für die Buchung brauche ich den
	// Reisepass C01X00T47" names a passport, "Reisepass bestellt,
	// Bestellnummer AB12345678" an order.
	from := max(i-40, floor)
	cue := lastCue(t, from, i, idDocCues)
	// "Pass" alone names a German passport, but also a boarding or bus
	// pass: it counts only before a number of the German document's shape.
	if germanDocNumber(t[i:e]) {
		cue = max(cue, lastCue(t, from, i, passCues))
	}
	return e, cue >= 0 && cue > lastCue(t, from, i, idDocNegativeCues)
}

// lastCue returns where the last of the cues (lower case) starts at a word
// start in t[from:to], or -1.
func lastCue(t string, from, to int, cues []string) int {
	for k := to - 1; k >= max(from, 0); k-- {
		if k > 0 && isLetter(t[k-1]) {
			continue
		}
		for _, c := range cues {
			if k+len(c) <= to && hasWordFold(t, k, c) {
				return k
			}
		}
	}
	return -1
}

// passCues are the short words for a passport.
var passCues = []string{"pass", "passes", "passport"}

// germanDocNumber reports whether s has the shape of the serial number of
// a German passport or ID card: nine characters, a letter first, drawn
// from the digits and the 17 letters the issuer uses (no vowels, no B, D,
// Q or S, which read like digits).
func germanDocNumber(s string) bool {
	const letters = "CFGHJKLMNPRTVWXYZ"
	if len(s) != 9 || !strings.ContainsRune(letters, rune(s[0]&^0x20)) {
		return false
	}
	for k := 1; k < len(s); k++ {
		if !isDigit(s[k]) && !strings.ContainsRune(letters, rune(s[k]&^0x20)) {
			return false
		}
	}
	return true
}

// idDocNegativeCues name the numbers a document number looks like. The
// generic words of negativeCues ("nr", "no.", "code") are left out: they
// follow the document's name as often ("Reisepass Nr. C01X00T47").
var idDocNegativeCues = []string{"bestellnummer", "bestellnr", "bestellung", "auftragsnummer", "auftrag",
	"rechnungsnummer", "rechnung", "kundennummer", "kundennr", "sendungsnummer", "sendung", "tracking",
	"order", "invoice", "customer", "artikel", "article", "item", "ticket", "paket", "parcel", "shipment",
	"vertragsnummer", "vertrag", "contract", "seriennummer", "serial", "gutschein", "voucher", "boarding",
	"bordkarte", "buchung", "booking", "tel", "telefon", "telefonnummer", "handy", "handynummer", "ruf",
	"rückruf", "anrufen", "call", "phone", "mobile"}
