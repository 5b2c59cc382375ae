#!/usr/bin/env bash
# API conformance: starts the demonstration on a free local port, creates a personal token for a
# gestionnaire, and runs schemathesis against /api/openapi.json with every check (no server
# error, no undocumented status or content type, every response matching its schema, schema
# violations refused), a bounded number of examples per operation, then stops the server.
# Left out: the check that every schema-valid request is accepted, since some rules cannot be
# said in JSON Schema (a date that exists, a year with parameters, a convention of one's own, a
# CSV file's columns): those answers are the documented 422 with the field and the reason.
# Installs schemathesis (from PyPI, in a virtual environment under the cache directory) when it
# is missing. PARENTALITE_CONFORMITE_EXEMPLES sets the examples per operation (default 25).
set -euo pipefail
cd "$(dirname "$0")/.."

exemples=${PARENTALITE_CONFORMITE_EXEMPLES:-25}
cible=${CARGO_TARGET_DIR:-target}
case "$cible" in /*) ;; *) cible="$PWD/$cible" ;; esac
binaire=${PARENTALITE_BIN:-$cible/debug/parentalite}
if [ ! -x "$binaire" ]; then
  cargo build -p parentalite
fi

if command -v schemathesis >/dev/null 2>&1; then
  schemathesis=$(command -v schemathesis)
else
  env_python="${XDG_CACHE_HOME:-$HOME/.cache}/parentalite/schemathesis"
  schemathesis="$env_python/bin/schemathesis"
  if [ ! -x "$schemathesis" ]; then
    echo "== installation de schemathesis dans $env_python"
    python3 -m venv "$env_python"
    "$env_python/bin/pip" install --quiet 'schemathesis>=4,<5'
  fi
fi

dossier=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$binaire" demo --addr "127.0.0.1:$port" --fichier "$dossier/demo.sqlite" >"$dossier/demo.log" 2>&1 &
serveur=$!
arreter() {
  kill "$serveur" 2>/dev/null || true
  wait "$serveur" 2>/dev/null || true
  rm -rf "$dossier"
}
trap arreter EXIT

for _ in $(seq 1 120); do
  if python3 -c "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:$port/healthz', timeout=2).status == 200 else 1)" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$serveur" 2>/dev/null; then cat "$dossier/demo.log"; exit 1; fi
  sleep 0.5
done

jeton=$("$binaire" --base "$dossier/demo.sqlite" token create \
  --email gestionnaire.38.1@demo.parentalite.fr --libelle conformite --jours 1)

echo "== schemathesis ($exemples exemples par opération) sur http://127.0.0.1:$port"
# From the temporary folder, so that schemathesis keeps its cache there, not in the repository.
cd "$dossier"
"$schemathesis" run "http://127.0.0.1:$port/api/openapi.json" \
  --header "Authorization: Bearer $jeton" \
  --checks all \
  --exclude-checks positive_data_acceptance \
  --max-examples "$exemples" \
  --seed 20241205 \
  --no-color \
  "$@"
