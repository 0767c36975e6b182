package pii

import (
	"strconv"
	"strings"
	"testing"
)

// Typical visitor messages of about 80 bytes.
const (
	msgClean = "Hallo, meine Bestellung RE-2024-000123 über 129,99 € ist noch nicht angekommen??"
	msgPII   = "hallo, bitte erstattung auf DE89 3704 0044 0532 0130 00, tel 0151 2345678, danke"
)

func BenchmarkDetect(b *testing.B) {
	for _, bm := range []struct{ name, text string }{{"clean", msgClean}, {"pii", msgPII}} {
		b.Run(bm.name, func(b *testing.B) {
			b.SetBytes(int64(len(bm.text)))
			b.ReportAllocs()
			for b.Loop() {
				Detect(bm.text)
			}
		})
	}
}

// BenchmarkDetectLength shows that detection time grows linearly with the
// message: ns/byte stays flat from 1 KB to 100 KB.
func BenchmarkDetectLength(b *testing.B) {
	unit := msgClean + " " + msgPII + " geboren am 12.03.1985, Hauptstraße 12. "
	for _, size := range []int{1 << 10, 10 << 10, 100 << 10} {
		text := strings.Repeat(unit, size/len(unit)+1)[:size]
		b.Run(strconv.Itoa(size>>10)+"KB", func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				Detect(text)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(text)), "ns/byte")
		})
	}
}

// BenchmarkDetectAdversarial feeds inputs that make recognisers look ahead
// at every byte (digit groups, local parts, street words).
func BenchmarkDetectAdversarial(b *testing.B) {
	for _, bm := range []struct{ name, unit string }{
		{"digits", "0-1 "}, {"dots", "a.b."}, {"streets", "Straße Str. "}, {"at", "a@b."},
	} {
		text := strings.Repeat(bm.unit, (100<<10)/len(bm.unit))
		b.Run(bm.name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				Detect(text)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(text)), "ns/byte")
		})
	}
}
