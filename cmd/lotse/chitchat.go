package main

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/lotse-chat/lotse/bot"
)

// Greetings and thanks are among the messages visitors write most. A bot
// without an intent for them hands them to a person as out of scope or
// answers them with the nearest question (an audit's bot of 8 intents
// without them: "hi" and "thanks" went to agents), so lotse train warns.
// The check reads the bot's examples, not the model's replies: a model
// that answers "hello" with its refund intent fails it as well.

// chitchat lists the phrases that mark an example as a greeting or as
// thanks, in the languages that have background examples.
var chitchat = []struct {
	what    string // as the warning names it
	example string
	intent  string // the demo bot's intent for them
	phrases []string
}{
	{"greetings", `"hello"`, "greeting", []string{"hi", "hello", "hey", "howdy", "good morning", "good afternoon", "good evening",
		"hallo", "moin", "servus", "guten morgen", "guten tag", "guten abend", "grüß gott", "grüezi"}},
	{"thanks", `"thanks"`, "thanks", []string{"thanks", "thank you", "thx", "ty", "cheers",
		"danke", "dankeschön", "vielen dank", "merci"}},
}

// chitchatMaxWords is the longest example that counts: "hi, my card is
// lost" belongs to the card intent, not to greetings.
const chitchatMaxWords = 4

// chitchatWarning names the kinds of small talk (greetings, thanks) that
// no intent has an example of, and how to add them; "" when the bot has
// both or serves neither English nor German.
func chitchatWarning(b *bot.Bot) string {
	if !slices.Contains(b.Languages, "en") && !slices.Contains(b.Languages, "de") {
		return ""
	}
	var missing, examples, intents []string
	for _, c := range chitchat {
		if !hasChitchat(b, c.phrases) {
			missing = append(missing, c.what)
			examples = append(examples, c.example)
			intents = append(intents, c.intent)
		}
	}
	if len(missing) == 0 {
		return ""
	}
	each := "each"
	if len(missing) == 1 {
		each = "them"
	}
	fix := "add an intent for " + each + " with a short answer, as the demo bot's " + joinAnd(intents) +
		" (testdata/bots/demo/bot.yaml)"
	if b.Source == bot.SourceCSV {
		fix = "add a row for each, its question such as " + strings.Join(examples, " or ") + " and a short answer"
	}
	return fmt.Sprintf("no intent has %s (%s) among its examples: visitors write them often, and they go to a person "+
		"as out of scope or get the answer of the nearest question. To answer them, %s",
		strings.Join(missing, " or "), strings.Join(examples, ", "), fix)
}

// hasChitchat reports whether an intent has a short example that holds
// one of phrases as whole words.
func hasChitchat(b *bot.Bot, phrases []string) bool {
	for _, in := range b.Intents {
		for _, ex := range in.Examples {
			words := strings.FieldsFunc(strings.ToLower(ex), func(r rune) bool { return !unicode.IsLetter(r) })
			if len(words) == 0 || len(words) > chitchatMaxWords {
				continue
			}
			text := " " + strings.Join(words, " ") + " "
			for _, p := range phrases {
				if strings.Contains(text, " "+p+" ") {
					return true
				}
			}
		}
	}
	return false
}
