//go:build !js

package edge

import "net/http"

// defaultClient is the Client used when Config.Client is nil.
func defaultClient() Doer { return &http.Client{} }
