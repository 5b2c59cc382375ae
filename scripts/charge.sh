#!/usr/bin/env bash
# Load on a demonstration server with wrk, 16 connections: the logged-in dossier list, a dossier
# page, the dashboard, the API list of dossiers, the subsidy API, and the public directory (a
# search, a service page, a page of the open-data API), then the checks that the
# server still answers after rounds of load with clients that give up (the `/healthz` and API
# answers must be 200). Every request goes to 127.0.0.1 only.
#
#   scripts/charge.sh [BINARY] [SECONDS]     (default: target/release/parentalite, 20 s a measure)
#
# PORT=8123 chooses the port (default: one the system chooses).
#
# Needs wrk and curl (`apt-get install -y wrk curl`). Prints wrk's figures for each measure.
set -euo pipefail
cd "$(dirname "$0")/.."
binaire=${1:-target/release/parentalite}
duree=${2:-20}
dossier=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$dossier"' EXIT

# The demonstration, on a port the system chooses, quiet log (warnings only).
PARENTALITE_LOG=warn "$binaire" demo --addr "127.0.0.1:${PORT:-0}" --fichier "$dossier/demo.sqlite" \
  --comptes "$dossier/comptes.json" > "$dossier/sortie.txt" 2> "$dossier/journal.txt" &
pid=$!
for _ in $(seq 1 600); do
  grep -q "Parentalité sur http" "$dossier/sortie.txt" 2>/dev/null && break
  sleep 0.2
done
racine=$(grep -o "http://[0-9.:]*" "$dossier/sortie.txt" | head -1)
[ -n "$racine" ] || { echo "le serveur ne démarre pas"; cat "$dossier/sortie.txt"; exit 1; }
echo "== serveur: $racine ($(nproc) cœurs, $(lscpu | sed -n 's/^Model name: *//p'))"

# The Caf agent the demonstration prints first, its password, a session cookie and an API token.
ligne=$(grep -m1 "^  caf " "$dossier/sortie.txt")
email=$(echo "$ligne" | awk '{print $2}')
mdp=$(echo "$ligne" | sed -n 's/.*mot de passe: \([^ ]*\).*/\1/p')
curl -s -m 20 -c "$dossier/cookies" "$racine/connexion" -o "$dossier/connexion.html"
csrf=$(grep -o 'name="_csrf" value="[^"]*"' "$dossier/connexion.html" | head -1 | sed 's/.*value="//;s/"$//' || true)
curl -s -b "$dossier/cookies" -c "$dossier/cookies" -o /dev/null \
  --data-urlencode "email=$email" --data-urlencode "mot_de_passe=$mdp" --data-urlencode "_csrf=$csrf" \
  "$racine/connexion"
session=$(awk '$6 == "parentalite_session" {print $7}' "$dossier/cookies")
[ -n "$session" ] || { echo "connexion de $email impossible"; exit 1; }
# SQLite in WAL mode: the token is written beside the running server.
jeton=$("$binaire" --base "$dossier/demo.sqlite" token create --email "$email" --libelle charge)
dossier_id=$(curl -s -b "parentalite_session=$session" "$racine/dossiers" | grep -o 'href="/dossiers/[0-9]*"' | head -1 | grep -o "[0-9]*")
export PARENTALITE_JETON=$jeton

mesurer() {
  echo "== $1"
  shift
  wrk -t2 -c16 -d"${duree}s" --latency "$@" | grep -E "Requests/sec|Latency|50%|99%|Non-2xx|Socket errors|requests in"
}
mesurer "liste des dossiers (/dossiers, connecté)" -H "Cookie: parentalite_session=$session" "$racine/dossiers"
mesurer "fiche d'un dossier (/dossiers/$dossier_id)" -H "Cookie: parentalite_session=$session" "$racine/dossiers/$dossier_id"
mesurer "tableau de bord (/tableau-de-bord)" -H "Cookie: parentalite_session=$session" "$racine/tableau-de-bord"
mesurer "API, liste des dossiers (/api/v1/dossiers)" -H "Authorization: Bearer $jeton" "$racine/api/v1/dossiers"
mesurer "API, calcul AIP (POST /api/v1/calculs/aip)" -s scripts/charge/calcul-aip.lua "$racine/api/v1/calculs/aip"
mesurer "annuaire public, recherche à 10 km de Grenoble (/annuaire, sans compte)" "$racine/annuaire?commune=38185&rayon=10"
service_id=$(curl -s "$racine/annuaire?commune=38185&rayon=10" | grep -o 'href="/annuaire/services/[0-9]*"' | head -1 | grep -o "[0-9]*")
mesurer "annuaire public, page d'un service (/annuaire/services/$service_id)" "$racine/annuaire/services/$service_id"
mesurer "données ouvertes, une page de l'API (/api/donnees-ouvertes/v1/services)" "$racine/api/donnees-ouvertes/v1/services"

# 16 clients that give up on each request after 20 ms, for 3 s (wrk's timeout counts in seconds).
impatients() {
  local fin=$((SECONDS + 3)) clients=()
  for _ in $(seq 1 16); do
    (while [ "$SECONDS" -lt "$fin" ]; do
      curl -s -o /dev/null -m 0.02 -H "Cookie: parentalite_session=$session" "$racine/dossiers" || true
    done) &
    clients+=($!)
  done
  wait "${clients[@]}"
}

echo "== trois tours: 8 s d'API à 16 connexions, puis 3 s de liste par des clients qui abandonnent après 20 ms"
for tour in 1 2 3; do
  wrk -t2 -c16 -d8s -H "Authorization: Bearer $jeton" "$racine/api/v1/dossiers" > /dev/null
  impatients
  sante=$(curl -s -m 20 -o /dev/null -w "%{http_code}" "$racine/healthz" || true)
  api=$(curl -s -m 20 -o /dev/null -w "%{http_code}" -H "Authorization: Bearer $jeton" "$racine/api/v1/dossiers" || true)
  echo "tour $tour: /healthz $sante, /api/v1/dossiers $api"
  [ "$sante" = 200 ] && [ "$api" = 200 ] || { echo "ÉCHEC: le serveur ne répond plus"; tail -5 "$dossier/journal.txt"; exit 1; }
done
echo "lignes d'erreur au journal: $(grep -c ERROR "$dossier/journal.txt" || true)"
