#!/usr/bin/env bash
# Times `parentalite calcul --batch` end to end on 1 000 000 random cases (read, parsed, computed
# exactly and written), as JSON lines and as CSV. Usage: scripts/bench-calcul.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
mkdir -p bench-data
cargo build --release -q -p parentalite
bin=target/release/parentalite
[ -f "bench-data/cas-$n.jsonl" ] || python3 scripts/generer-cas.py "$n" > "bench-data/cas-$n.jsonl"
[ -f "bench-data/cas-$n.csv" ] || python3 scripts/generer-cas.py "$n" csv > "bench-data/cas-$n.csv"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "input: $(du -h "bench-data/cas-$n.jsonl" | cut -f1) of JSON lines, $(du -h "bench-data/cas-$n.csv" | cut -f1) of CSV"
"$bin" calcul --batch "bench-data/cas-$n.jsonl" > /dev/null # warm the page cache
for format in jsonl csv; do
  best=""
  for run in 1 2 3 4 5; do
    start=$(date +%s%N)
    "$bin" calcul --batch "bench-data/cas-$n.$format" > "bench-data/out.$format"
    end=$(date +%s%N)
    ms=$(( (end - start) / 1000000 ))
    echo "$format run $run: ${ms} ms"
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
  done
  lines=$(wc -l < "bench-data/out.$format")
  echo "$format: best of 5 = ${best} ms for $n cases ($lines output lines)"
done
