// Package widget holds the chat widget's files for lotse serve, which
// serves them when no widget directory is at hand: a lotse binary run
// outside the repository still shows the widget on its demo page.
package widget

import "embed"

// Files holds widget.js and demo.html.
//
//go:embed widget.js demo.html
var Files embed.FS
