// Package bot reads bot definitions: Lotse's bot.yaml, Rasa's nlu.yml and
// FAQ CSV files (question,answer[,lang]), into one Bot.
//
// Reading is checking: Load and Parse either return a Bot that satisfies the
// invariants documented on Bot and Intent, or an error that lists every
// problem found (up to 20), each as an *Error naming file, line and field
// and saying what to do.
package bot

// Source formats, the values of Bot.Source.
const (
	SourceBotYAML = "bot.yaml" // Lotse's own format (README.md, "For bot authors")
	SourceRasa    = "rasa"     // Rasa 2+ NLU training data (nlu.yml)
	SourceCSV     = "csv"      // FAQ CSV: question,answer[,lang]
)

// Bot is a bot definition: what the bot author wrote, checked.
type Bot struct {
	// Name identifies the bot (bot.yaml "name"; the file name otherwise).
	Name string
	// Languages are ISO 639-1 codes; the first is the fallback language.
	Languages []string
	// LanguageDetected is set when the file named no language (a FAQ CSV
	// without a lang column, Rasa data without language: in the file or
	// its project's config.yml) and Languages holds the language the
	// examples read as: the trainer tells the author so.
	LanguageDetected bool
	Intents          []Intent
	// OutOfScope are examples of messages the bot must not answer.
	OutOfScope []string
	// Source is the format the bot was read from: SourceBotYAML, SourceRasa
	// or SourceCSV. Rasa files carry no answers, so their intents have an
	// empty Answer map; hosts show the intent name when there is no answer.
	Source string
}

// Intent is one thing a visitor may want, with its answer.
type Intent struct {
	// Name is snake_case and unique within the bot.
	Name string
	// Handoff marks an intent that needs the customer's account: the engine
	// recognizes it, then hands the conversation to a human.
	Handoff bool
	// Answer maps a language code to the answer text (a Markdown subset).
	// From bot.yaml and CSV it holds a non-empty text for every language of
	// the bot (a handoff intent may have none at all); from Rasa it is empty.
	Answer map[string]string
	// Examples are messages a visitor might write for this intent: at least
	// one, each trimmed, non-empty and unique within the intent.
	Examples []string
}
