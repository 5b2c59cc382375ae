#!/usr/bin/env bash
# The whole test suite: formatting, lints, and every test of every crate, on SQLite and on
# PostgreSQL. Installs and starts what the tests need on a fresh machine (nothing to do by hand).
set -euo pipefail
cd "$(dirname "$0")/.."
# Debug information limited to line tables: backtraces keep their files and lines, while the
# target directory stays a fraction of its size (dozens of test binaries) and links faster.
export CARGO_PROFILE_DEV_DEBUG="${CARGO_PROFILE_DEV_DEBUG:-line-tables-only}"

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo clippy --all-targets -- -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

echo "== PostgreSQL for the tests"
if [ -z "${PARENTALITE_TEST_POSTGRES:-}" ]; then
  eval "$(scripts/postgres-local.sh)"
fi
export PARENTALITE_TEST_POSTGRES
# The scenarios that run on both backends must not skip PostgreSQL here.
export PARENTALITE_EXIGER_POSTGRES=1

echo "== pg_dump and pg_restore (the backup tests drive them against the test PostgreSQL)"
if ! command -v pg_dump >/dev/null 2>&1 || ! command -v pg_restore >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql-client >/dev/null
fi

echo "== pdftotext (the PDF tests read the documents' text back with it)"
if ! command -v pdftotext >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq poppler-utils >/dev/null
fi
# Here the PDF tests must not skip the reading back.
export PARENTALITE_EXIGER_PDFTOTEXT=1

echo "== aiosmtpd (the mail tests send to a real local SMTP server and read its Maildir)"
if ! /usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-aiosmtpd >/dev/null
fi

echo "== data-inclusion-schema (the open-data tests validate every record with the schema's own package)"
schema_di="${CARGO_TARGET_DIR:-target}/data-inclusion-schema"
case "$schema_di" in /*) ;; *) schema_di="$PWD/$schema_di" ;; esac
if ! "$schema_di/bin/python" -c 'import data_inclusion.schema' >/dev/null 2>&1; then
  # A virtual environment, or where python3-venv is missing, a plain target directory.
  if python3 -m venv "$schema_di" >/dev/null 2>&1; then
    "$schema_di/bin/pip" install --quiet 'data-inclusion-schema==1.0.10'
  else
    rm -rf "$schema_di"
    python3 -m pip install --quiet --target "$schema_di/site" 'data-inclusion-schema==1.0.10'
    mkdir -p "$schema_di/bin"
    printf '#!/bin/sh\nPYTHONPATH="%s/site" exec python3 "$@"\n' "$schema_di" >"$schema_di/bin/python"
    chmod +x "$schema_di/bin/python"
  fi
fi
export PARENTALITE_DATA_INCLUSION_PYTHON="$schema_di/bin/python"
# Here the open-data tests must not skip the validation.
export PARENTALITE_EXIGER_DATA_INCLUSION=1

echo "== The local OpenID Connect provider (ProConnect's stand-in in the login tests: npm oidc-provider)"
(cd tests/oidc && npm ci --no-audit --no-fund --loglevel=error)
# Here the ProConnect tests must not skip the provider.
export PARENTALITE_EXIGER_OIDC=1

echo "== cargo test"
cargo test --workspace

echo "== API conformance (schemathesis against the demonstration)"
cargo build -p parentalite
scripts/api-conformite.sh

echo "== Browser tests (headless Chromium, axe-core on every page)"
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
fi
cargo build -p parentalite
# The binary is where cargo builds it (CARGO_TARGET_DIR, relative to the repository root when
# relative), unless PARENTALITE_BIN names another.
cible=${CARGO_TARGET_DIR:-target}
case "$cible" in /*) ;; *) cible="$PWD/$cible" ;; esac
export PARENTALITE_BIN="${PARENTALITE_BIN:-$cible/debug/parentalite}"
(cd tests/oidc && npm ci --no-audit --no-fund --loglevel=error)
(cd tests/navigateur && npm ci --no-audit --no-fund --loglevel=error && node --test parcours.mjs activite.mjs pieces.mjs engagements.mjs dispositifs.mjs atelier.mjs campagne.mjs declaration.mjs courriels.mjs coordination.mjs diagnostic.mjs comite.mjs rapport.mjs services.mjs demandes.mjs donnees.mjs annuaire.mjs territoires.mjs questionnaires.mjs evaluation.mjs national.mjs proconnect.mjs exploitation.mjs)
