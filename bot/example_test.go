package bot_test

import (
	"fmt"

	"github.com/lotse-chat/lotse/bot"
)

func ExampleParse() {
	b, err := bot.Parse("bots/acme/bot.yaml", []byte(`
name: acme-help
languages: [de, en]
intents:
  - name: payment_due_date
    answer:
      de: Die Fälligkeit steht in der App.
      en: You find the due date in the app.
    examples:
      - wann muss ich zahlen
      - when is my payment due
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(b.Name, b.Languages, b.Intents[0].Name, len(b.Intents[0].Examples))
	// Output: acme-help [de en] payment_due_date 2
}

func ExampleParse_errors() {
	_, err := bot.Parse("bots/acme/bot.yaml", []byte(`
languages: [en]
intents:
  - name: refund_status
    answer: {en: It is on its way.}
    exmples: [where is my refund]
`))
	fmt.Println(err)
	// Output:
	// bots/acme/bot.yaml:6: intents[0].exmples: unknown key; did you mean examples?
}

func ExampleParse_csv() {
	b, err := bot.Parse("faq.csv", []byte("question,answer\n\"Where is my parcel?\",Track it in the app.\n"))
	if err != nil {
		fmt.Println(err)
		return
	}
	in := b.Intents[0]
	fmt.Println(in.Name, in.Examples, in.Answer["en"])
	// Output: where_is_my_parcel [Where is my parcel?] Track it in the app.
}
