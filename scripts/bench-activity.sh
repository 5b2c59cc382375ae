#!/usr/bin/env bash
# Times the activity data path (crates/activite, examples/bench_activite.rs), release build:
#  1. one structure imports 1 000 000 sessions from one CSV file (one transaction, aggregates
#     kept current), on SQLite then PostgreSQL;
#  2. 1 000 structures over the 101 départements import 10 000 000 sessions (2024 and 2025), then
#     the national dashboard of 2025 (the nation by month, each Caf over the year) is read 20
#     times, on SQLite then PostgreSQL.
# Usage: scripts/bench-activity.sh [import_sessions] [dashboard_sessions] [structures]
# PostgreSQL: $PARENTALITE_TEST_POSTGRES (started by scripts/postgres-local.sh when unset);
# PARENTALITE_BENCH_SANS_POSTGRES=1 skips it.
set -euo pipefail
cd "$(dirname "$0")/.."
import_n=${1:-1000000}
tableau_n=${2:-10000000}
structures=${3:-1000}
mkdir -p bench-data
# Cargo's target directory (CARGO_TARGET_DIR, relative to the repository root when relative):
# the binary is looked for where cargo builds it.
cible=${CARGO_TARGET_DIR:-target}
case "$cible" in /*) ;; *) cible="$PWD/$cible" ;; esac
CARGO_TARGET_DIR="$cible" cargo build --release -q -p activite --example bench_activite
bin="$cible/release/examples/bench_activite"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"

bases=("bench-data/activite.sqlite")
if [ -z "${PARENTALITE_BENCH_SANS_POSTGRES:-}" ]; then
  if [ -z "${PARENTALITE_TEST_POSTGRES:-}" ]; then
    eval "$(scripts/postgres-local.sh)"
  fi
  bases+=("${PARENTALITE_TEST_POSTGRES%/*}/parentalite_bench_activite")
fi

for base in "${bases[@]}"; do
  echo "== import of $import_n sessions: $base"
  "$bin" import --base "$base" --sessions "$import_n"
  echo "== dashboard over $tableau_n sessions, $structures structures: $base"
  "$bin" tableau --base "$base" --sessions "$tableau_n" --structures "$structures"
done
