#!/usr/bin/env bash
# THE project test command: every test, including the live ones against a real
# DynamoDB Local, which this script starts (and stops on exit). CI runs it through
# .ci/run. Extra arguments go to both cargo test runs (e.g. `-- --nocapture`).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
ddb="$repo_root/scripts/dynamodb-local.sh"

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

# Leave alone a server that someone started before us; stop the one we start.
if "$ddb" status >/dev/null 2>&1; then
    echo "test.sh: reusing the running DynamoDB Local"
else
    trap '"$ddb" stop || true' EXIT
fi

t0="$(now)"
ELECTRO_DYNAMODB_ENDPOINT="$("$ddb" start)"
export ELECTRO_DYNAMODB_ENDPOINT
# Live tests skip when no endpoint is set (plain `cargo test`); here they must run,
# so a missing endpoint is a failure, never a silent skip.
export ELECTRO_REQUIRE_DYNAMODB=1
echo "test.sh: DynamoDB Local at $ELECTRO_DYNAMODB_ENDPOINT (startup $(since "$t0"))"

t1="$(now)"
# Every target kind but benches: those run on demand (see BENCHMARKS.md), never as tests.
cargo test --workspace --lib --bins --tests --examples "$@"
echo "test.sh: cargo test (lib, bins, tests, examples) took $(since "$t1")"

t2="$(now)"
cargo test --workspace --doc "$@"
echo "test.sh: cargo test --doc took $(since "$t2")"
echo "test.sh: all tests passed in $(since "$t0")"
