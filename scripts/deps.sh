#!/bin/sh
# deps.sh installs what the tests need beyond Go and Node: Debian packages
# (Chromium for the widget tests, the German-English dictionary for the
# lexicon tests, PostgreSQL via scripts/backend/postgres.sh) and the npm
# packages of package-lock.json (wrangler, playwright-core, axe-core).
# It installs only what is missing, so a second run does nothing; apt needs
# root, as on CI.
set -eu
cd "$(dirname "$0")/.."

missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
[ -f /usr/share/trans/de-en ] || missing="$missing trans-de-en"
if [ -n "$missing" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "deps.sh: missing Debian packages:$missing; run: sudo apt-get install -y$missing" >&2
		exit 1
	fi
	echo "deps.sh: installing$missing" >&2
	apt-get update -qq >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >&2
fi

# npm ci when node_modules is missing or older than the lock file.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	npm ci --no-audit --no-fund
fi
