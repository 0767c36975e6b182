// Package lotse is the engine of the Lotse chatbot: it loads a trained model
// and replies to a visitor's message with an FAQ answer or a handoff.
//
// The package is pure Go with no network, file system or syscall/js use, so
// that the same code runs natively, in the browser (GOOS=js) and in any WASI
// host (GOOS=wasip1). Training lives in package train, so that the
// WebAssembly builds link neither the YAML parser nor the tokenizer of record.
//
//	m, err := lotse.Load(modelBytes) // from lotse train, or train.Train
//	if err != nil { ... }             // truncated, corrupted or newer: says which
//	r := m.Reply("wann muss ich zahlen?")
//	if r.Action == lotse.Answer { show(r.Answer) } else { handOff(r.Reason) }
package lotse

// Version is the engine version, reported by the hosts.
const Version = "0.1.0"

// Info describes a loaded model.
type Info struct {
	// Name is the bot's name.
	Name string `json:"name"`
	// Languages are the bot's languages; the first is the fallback.
	Languages []string `json:"languages"`
	// Intents are the bot's intents in model order.
	Intents []IntentInfo `json:"intents"`
	// FormatVersion is the model file's format version.
	FormatVersion int `json:"format_version"`
	// Engine is the engine Version that wrote the model.
	Engine string `json:"engine"`
	// Threshold is the calibrated confidence below which a message is out
	// of scope, chosen at training time by cross-validation.
	Threshold float64 `json:"threshold"`
}

// IntentInfo describes one intent of a model.
type IntentInfo struct {
	// Name is the intent's name in the bot file.
	Name string `json:"name"`
	// Handoff is the bot file's handoff flag: the intent is recognized,
	// then handed to a person (reason handoff_intent).
	Handoff bool `json:"handoff"`
}
