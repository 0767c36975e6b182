//go:build js

package edge

// defaultClient is nil under GOOS=js: Go's HTTP client does not work in
// workerd and would double the Worker's size, so the host must pass one
// (edge/worker passes a fetch based client).
func defaultClient() Doer { return nil }
