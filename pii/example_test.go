package pii_test

import (
	"fmt"

	"github.com/lotse-chat/lotse/pii"
)

func ExampleDetect() {
	text := "Bitte Erstattung auf DE89 3704 0044 0532 0130 00, Rechnung RE-2024-000123"
	for _, s := range pii.Detect(text) {
		fmt.Println(s.Kind, s.Start, s.End)
	}
	// Output:
	// iban 21 48
}

func ExampleRedact() {
	text := "mein Name ist Max Mustermann, ruf mich an: 0151 2345678"
	fmt.Println(pii.Redact(text, pii.Detect(text)))
	// Output:
	// mein Name ist [NAME], ruf mich an: [PHONE]
}

func ExampleMaskCards() {
	text := "card 4111 1111 1111 1111, exp 12/27, cvc 123"
	fmt.Println(pii.MaskCards(text, pii.Detect(text)))
	// Output: card **** **** **** 1111, exp **/**, cvc ***
}

// After a weak introduction such as "ich bin" or "I am", a name is
// reported only with a name's shape: German capitalises every noun.
func ExampleDetect_introduction() {
	for _, text := range []string{
		"Hallo, ich bin Anna Schmidt, Kundennummer 0012345678",
		"Hallo, ich bin Neukunde und finde den Login nicht",
		"Hi, I'm Jane and I can't log in",
		"I'm Unable To Log In",
	} {
		fmt.Println(pii.Redact(text, pii.Detect(text)))
	}
	// Output:
	// Hallo, ich bin [NAME], Kundennummer 0012345678
	// Hallo, ich bin Neukunde und finde den Login nicht
	// Hi, I'm [NAME] and I can't log in
	// I'm Unable To Log In
}

// An old account number with its bank code, and a Steuernummer, count
// only after the words that name them; the pair is reported as an IBAN.
func ExampleDetect_bankAndTaxNumbers() {
	for _, text := range []string{
		"Kontonummer 532013000 BLZ 37040044",
		"meine Steuernummer ist 12/345/67890",
		"Bestellnummer 532013000, geliefert am 12/05/2024",
	} {
		fmt.Println(pii.Redact(text, pii.Detect(text)))
	}
	// Output:
	// Kontonummer [IBAN]
	// meine Steuernummer ist [TAX_ID]
	// Bestellnummer 532013000, geliefert am 12/05/2024
}
