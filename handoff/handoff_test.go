package handoff

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestVerify(t *testing.T) {
	key := SecretKey("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	now := time.Unix(1_800_000_000, 0)
	body := []byte(`{"conversation_id":"c1"}`)
	sig := Sign(key, "msg_1", now, body)
	tests := []struct {
		name              string
		id, ts, sig, body string
		at                time.Time
		want              error
	}{
		{"valid", "msg_1", "1800000000", sig, string(body), now, nil},
		{"valid among rotated", "msg_1", "1800000000", "v1,AAAA " + sig, string(body), now, nil},
		{"missing header", "", "1800000000", sig, string(body), now, ErrMissingHeaders},
		{"bad timestamp", "msg_1", "yesterday", sig, string(body), now, ErrBadTimestamp},
		{"stale", "msg_1", "1800000000", sig, string(body), now.Add(6 * time.Minute), ErrStale},
		{"from the future", "msg_1", "1800000000", sig, string(body), now.Add(-6 * time.Minute), ErrStale},
		{"changed body", "msg_1", "1800000000", sig, `{"conversation_id":"c2"}`, now, ErrBadSignature},
		{"changed id", "msg_2", "1800000000", sig, string(body), now, ErrBadSignature},
		{"wrong scheme", "msg_1", "1800000000", "v1a," + sig[3:], string(body), now, ErrBadSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Verify(key, tt.id, tt.ts, tt.sig, []byte(tt.body), tt.at)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Verify = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestSecretKey(t *testing.T) {
	if got := string(SecretKey("plain")); got != "plain" {
		t.Errorf("SecretKey(plain) = %q", got)
	}
	if got := SecretKey("whsec_AAEC"); len(got) != 3 || got[2] != 2 {
		t.Errorf("SecretKey(whsec_AAEC) = %v, want [0 1 2]", got)
	}
}

func TestValidID(t *testing.T) {
	tests := map[string]bool{
		"c0ffee00-1234": true, "msg_1.a:b": true, strings.Repeat("a", MaxIDLen): true,
		"": false, strings.Repeat("a", MaxIDLen+1): false, "a b": false, "a/b": false,
		"<script>": false, "ä": false, "id'; DROP TABLE": false,
	}
	for id, want := range tests {
		if got := ValidID(id); got != want {
			t.Errorf("ValidID(%q) = %v, want %v", id, got, want)
		}
	}
}

func TestLogIDHidesID(t *testing.T) {
	id := "c0ffee00c0ffee00c0ffee00c0ffee00"
	got := LogID(id)
	if len(got) != 12 || strings.Contains(id, got) || got != LogID(id) || got == LogID(id+"x") {
		t.Fatalf("LogID(%q) = %q: want a stable 12-hex-digit hash prefix, not the ID", id, got)
	}
}

func TestCheckSecret(t *testing.T) {
	tests := []struct {
		name, secret string
		ok           bool
		msg          string
	}{
		{"32 bytes", "whsec_" + strings.Repeat("A", 44), true, ""},
		{"24 bytes", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", true, ""},
		{"empty", "", false, "no webhook secret"},
		{"no prefix", "notasecret", false, "does not start with whsec_"},
		{"not base64", "whsec_not base64!", false, "not whsec_ followed by base64"},
		{"too short", "whsec_AAEC", false, "holds 3 bytes, fewer than 24"},
		{"23 bytes", "whsec_" + strings.Repeat("A", 31) + "=", false, "holds 23 bytes"},
	}
	for _, tt := range tests {
		err := CheckSecret(tt.secret)
		if (err == nil) != tt.ok {
			t.Errorf("%s: CheckSecret = %v, want ok %v", tt.name, err, tt.ok)
			continue
		}
		if err == nil {
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, tt.msg) || !strings.Contains(msg, "head -c 32 /dev/urandom") ||
			(tt.secret != "" && strings.Contains(msg, tt.secret)) {
			t.Errorf("%s: message %q; want it to contain %q, say how to make a secret and not repeat the secret", tt.name, msg, tt.msg)
		}
	}
}

func TestBotLine(t *testing.T) {
	tests := []struct {
		role string
		want bool
	}{
		{RoleBot, true},
		{RoleUnverifiedBot, true},
		{RoleVisitor, false},
		{RoleAgent, false},
		{"", false},
		{"BOT", false},
		{"bot ", false},
	}
	for _, tt := range tests {
		if got := BotLine(tt.role); got != tt.want {
			t.Errorf("BotLine(%q) = %v, want %v", tt.role, got, tt.want)
		}
	}
}

// TestVerifyAny checks the rotation of the secret: the receiver accepts a
// signature by any of its keys, and only by those.
func TestVerifyAny(t *testing.T) {
	a := SecretKey("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	b := SecretKey("whsec_" + strings.Repeat("B", 44))
	c := SecretKey("whsec_" + strings.Repeat("C", 44))
	now := time.Unix(1_800_000_000, 0)
	body := []byte(`{"conversation_id":"c1"}`)
	tests := []struct {
		name   string
		keys   [][]byte
		signer []byte
		want   error
	}{
		{"old key of two", [][]byte{a, b}, a, nil},
		{"new key of two", [][]byte{a, b}, b, nil},
		{"one key", [][]byte{b}, b, nil},
		{"key not among them", [][]byte{a, b}, c, ErrBadSignature},
		{"old key removed", [][]byte{b}, a, ErrBadSignature},
		{"no keys", nil, a, ErrBadSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := VerifyAny(tt.keys, "msg_1", "1800000000", Sign(tt.signer, "msg_1", now, body), body, now)
			if !errors.Is(err, tt.want) {
				t.Fatalf("VerifyAny = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestCheckSecrets(t *testing.T) {
	good := "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	other := "whsec_" + strings.Repeat("B", 44)
	tests := []struct {
		name, secrets string
		keys          int    // len(SecretKeys) when valid
		msg           string // in the error, when not
	}{
		{"one", good, 1, ""},
		{"two", good + " " + other, 2, ""},
		{"extra spaces", "  " + good + "   " + other + " ", 2, ""},
		{"empty", "", 0, "no webhook secret"},
		{"blank", "   ", 0, "no webhook secret"},
		{"second bad", good + " whsec_AAEC", 0, "secret 2 of 2: the webhook secret holds 3 bytes"},
		{"first bad", "nope " + good, 0, "secret 1 of 2: the webhook secret does not start with whsec_"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckSecrets(tt.secrets)
			if tt.msg == "" {
				if err != nil {
					t.Fatalf("CheckSecrets = %v, want nil", err)
				}
				if n := len(SecretKeys(tt.secrets)); n != tt.keys {
					t.Fatalf("SecretKeys gave %d keys, want %d", n, tt.keys)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.msg) || strings.Contains(err.Error(), good) {
				t.Fatalf("CheckSecrets = %v, want an error containing %q and no secret", err, tt.msg)
			}
		})
	}
}
