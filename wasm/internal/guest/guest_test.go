package guest

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/lotse-chat/lotse"
	"github.com/lotse-chat/lotse/bot"
	"github.com/lotse-chat/lotse/train"
)

func TestAppendInfoDecodes(t *testing.T) {
	tests := []lotse.Info{
		{},
		{Name: "acme-help", Languages: []string{"de", "en"}, FormatVersion: 3, Engine: "0.1.0", Threshold: 0.0794,
			Intents: []lotse.IntentInfo{{Name: "payment_due_date"}, {Name: "balance", Handoff: true}}},
		{Name: `we"ird<>`, Languages: []string{"x"}, Threshold: 1e-9},
		{Threshold: 0.00001},
		{Threshold: 1e22},
	}
	for _, want := range tests {
		b := AppendInfo(nil, want)
		// Byte for byte as encoding/json, except that nil lists are [].
		norm := want
		norm.Languages = append([]string{}, want.Languages...)
		norm.Intents = append([]lotse.IntentInfo{}, want.Intents...)
		if ref, _ := json.Marshal(norm); string(b) != string(ref) {
			t.Errorf("AppendInfo = %s\nencoding/json: %s", b, ref)
		}
		var got lotse.Info
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("AppendInfo(%+v) = %s: not JSON: %v", want, b, err)
		}
		// encoding/json decodes an empty list as empty, not nil.
		if len(want.Languages) == 0 {
			want.Languages = got.Languages
		}
		if len(want.Intents) == 0 {
			want.Intents = got.Intents
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("AppendInfo then json.Unmarshal:\n got %+v\nwant %+v", got, want)
		}
	}
}

func TestEngine(t *testing.T) {
	var e Engine
	if e.Loaded() {
		t.Fatal("zero Engine reports a model loaded")
	}
	wantErr := func(call, got, want string) {
		t.Helper()
		var v struct{ Error string }
		if err := json.Unmarshal([]byte(got), &v); err != nil || !strings.Contains(v.Error, want) {
			t.Errorf("%s = %s, want an error JSON containing %q", call, got, want)
		}
	}
	wantErr("AppendReply before Load", string(e.AppendReply(nil, "hallo")), "no model loaded")
	wantErr("AppendInfo before Load", string(e.AppendInfo(nil)), "no model loaded")
	if got, want := string(e.AppendVersion(nil)), `{"engine":"`+lotse.Version+`","model":null}`; got != want {
		t.Errorf("AppendVersion before Load = %s, want %s", got, want)
	}
	if err := e.Load([]byte("not a model")); err == nil {
		t.Fatal("Load of garbage succeeded")
	}
	wantErr("AppendReply after a failed Load", string(e.AppendReply(nil, "hallo")), "the last load failed")

	b, err := bot.Load("../../../testdata/bots/demo/bot.yaml")
	if err != nil {
		t.Fatal(err)
	}
	data, _, err := train.Train(b, train.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Load(data); err != nil {
		t.Fatal(err)
	}
	m, err := lotse.Load(data)
	if err != nil {
		t.Fatal(err)
	}
	const text = "wann muss ich zahlen"
	if got, want := string(e.AppendReply(nil, text)), string(m.Reply(text).AppendJSON(nil)); got != want {
		t.Errorf("AppendReply = %s\nwant %s", got, want)
	}
	if got, want := string(e.AppendInfo(nil)), string(AppendInfo(nil, m.Info())); got != want {
		t.Errorf("AppendInfo = %s\nwant %s", got, want)
	}
	var v struct {
		Engine string
		Model  *struct {
			Name          string
			FormatVersion int `json:"format_version"`
			Engine        string
		}
	}
	if err := json.Unmarshal(e.AppendVersion(nil), &v); err != nil || v.Model == nil ||
		v.Model.Name != m.Info().Name || v.Model.FormatVersion != m.Info().FormatVersion || v.Engine != lotse.Version {
		t.Errorf("AppendVersion after Load = %s (err %v), want the engine and model versions", e.AppendVersion(nil), err)
	}
	// A failed Load keeps the loaded model.
	if err := e.Load(nil); err == nil || !e.Loaded() {
		t.Errorf("Load(nil) = %v, Loaded = %v; want an error and the old model kept", err, e.Loaded())
	}
}
