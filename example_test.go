package lotse_test

import (
	"fmt"
	"log"

	lotse "github.com/lotse-chat/lotse"
	"github.com/lotse-chat/lotse/bot"
	"github.com/lotse-chat/lotse/train"
)

// A bot trained in memory answers what it knows and hands off the rest.
func ExampleModel_Reply() {
	b, err := bot.Parse("shop.yaml", []byte(`name: shop
languages: [en]
intents:
  - name: opening_hours
    answer: {en: "We are open 9 to 5."}
    examples: [when are you open, opening hours, are you open on saturday, what time do you close]
  - name: shipping_cost
    answer: {en: "Shipping is free from 30 euros."}
    examples: [how much is shipping, shipping costs, do you charge for delivery, is delivery free]
  - name: order_status
    handoff: true
    answer: {en: "A person will look up your order."}
    examples: [where is my order, my order has not arrived, track my parcel, status of my order]
out_of_scope: [what is the weather tomorrow, tell me a joke, who won the football match]
`))
	if err != nil {
		log.Fatal(err)
	}
	data, _, err := train.Train(b, train.Options{})
	if err != nil {
		log.Fatal(err)
	}
	m, err := lotse.Load(data)
	if err != nil {
		log.Fatal(err)
	}
	for _, text := range []string{"how much does shipping cost", "where is my parcel",
		"is shipping free? mail me at max@example.com", "what will the weather be tomorrow"} {
		r := m.Reply(text)
		fmt.Printf("%-7s %-13s %-14s %q\n", r.Action, r.Intent, r.Reason, r.Answer)
	}
	// Output:
	// answer  shipping_cost                "Shipping is free from 30 euros."
	// handoff order_status  handoff_intent "A person will look up your order."
	// handoff shipping_cost personal_data  ""
	// handoff               out_of_scope   ""
}
