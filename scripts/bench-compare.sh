#!/usr/bin/env bash
# Compares electro's params building with the reference, electrodb@3.9.3, on the
# workloads of benches/electrodb_params.js (the reference's script, unchanged), in
# one run on one machine: the machines are noisy, so only figures taken side by side
# mean anything.
#
#   scripts/bench-compare.sh [seconds-per-workload] [rounds]
#
# Each round runs the reference (Node.js) and then electro (`cargo bench --bench
# params`, release); rounds interleave, and each workload's figure is the median over
# the rounds. Prints, per workload, both ns/op, electro's allocations per op and the
# ratio reference-ns / electro-ns (higher is better for electro). Raw JSON lines go to
# .cache/bench-compare/.
#
# electrodb and its peer dependencies (the versions of the conformance oracle) are
# installed with npm into .cache/bench-node/ when missing.
#
# Environment:
#   ELECTRO_BENCH_NODE_DIR  where to install electrodb (default: <repo>/.cache/bench-node)
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-1}"
rounds="${2:-3}"
node_dir="${ELECTRO_BENCH_NODE_DIR:-$repo_root/.cache/bench-node}"
out_dir="$repo_root/.cache/bench-compare"

say() { echo "bench-compare: $*" >&2; }
die() {
    say "error: $*"
    exit 1
}

command -v node >/dev/null || die "node is needed to run the reference"
command -v cargo >/dev/null || die "cargo is needed"

if [[ ! -f "$node_dir/node_modules/electrodb/package.json" ]]; then
    command -v npm >/dev/null || die "npm is needed to install electrodb"
    say "installing electrodb@3.9.3 into $node_dir"
    mkdir -p "$node_dir"
    # The same versions as the conformance oracle, so the reference is the one the
    # conformance corpus was generated with.
    npm install --prefix "$node_dir" --no-save --no-audit --no-fund --no-package-lock \
        --loglevel=error electrodb@3.9.3 @aws-sdk/client-dynamodb@3.1162.0 \
        @aws-sdk/lib-dynamodb@3.1162.0 >&2 || die "npm install failed"
fi
installed="$(node -p "require('$node_dir/node_modules/electrodb/package.json').version")"
[[ "$installed" == "3.9.3" ]] || die "$node_dir has electrodb $installed, not 3.9.3"

say "building the params bench (release)"
(cd "$repo_root" && cargo bench --bench params --no-run >&2)

mkdir -p "$out_dir"

# First, that both build the same params: a ratio of different work means nothing.
# The reference's workloads are taken from its script (everything before its timing
# loop) and printed once each; electro prints its own with ELECTRO_BENCH_SHOW=1.
say "checking that both build the same params"
ELECTRODB_NODE_MODULES="$node_dir/node_modules" ELECTRO_MODELS_DIR="$repo_root/benches/models" \
    node - "$repo_root/benches/electrodb_params.js" >"$out_dir/reference-params.txt" <<'JS'
const src = require("fs").readFileSync(process.argv[2], "utf8");
const body = src.slice(src.indexOf("\n"), src.indexOf("const seconds"));
const workloads = new Function("require", "__dirname", "process", body + "\nreturn workloads;")(
  require, require("path").dirname(process.argv[2]), process);
// DocumentClient sets as electro's canonical JSON: {"$set": [sorted values]}.
const canon = (v) =>
  v && v.wrapperName === "Set" ? { $set: [...v.values].sort() }
  : Array.isArray(v) ? v.map(canon)
  : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, canon(x)]))
  : v;
for (const [name, fn] of Object.entries(workloads)) console.log(name + ": " + JSON.stringify(canon(fn())));
JS
(cd "$repo_root" && ELECTRO_BENCH_SHOW=1 cargo bench --quiet --bench params -- 0.01 2>&1 >/dev/null) |
    sed -n 's/^params: \([a-z_0-9]*: \)/\1/p' >"$out_dir/electro-params.txt"
node - "$out_dir/reference-params.txt" "$out_dir/electro-params.txt" <<'JS'
const fs = require("fs");
const read = (f) => new Map(fs.readFileSync(f, "utf8").split("\n").filter(Boolean).map((l) => {
  const i = l.indexOf(": ");
  return [l.slice(0, i), JSON.parse(l.slice(i + 2))];
}));
// Key order is not part of the params' meaning.
const sorted = (v) => Array.isArray(v) ? v.map(sorted)
  : v && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])])) : v;
const [ref, ours] = [read(process.argv[2]), read(process.argv[3])];
let bad = 0;
for (const [w, p] of ref) {
  if (!ours.has(w)) { console.error(`bench-compare: ${w}: not in electro's bench`); continue; }
  const same = JSON.stringify(sorted(p)) === JSON.stringify(sorted(ours.get(w)));
  console.error(`bench-compare: ${w}: params ${same ? "identical" : "DIFFER"}`);
  if (!same) bad++;
}
process.exit(bad ? 1 : 0);
JS

rm -f "$out_dir"/reference-*.jsonl "$out_dir"/electro-*.jsonl
for ((r = 1; r <= rounds; r++)); do
    say "round $r/$rounds: reference"
    ELECTRODB_NODE_MODULES="$node_dir/node_modules" ELECTRO_MODELS_DIR="$repo_root/benches/models" \
        node "$repo_root/benches/electrodb_params.js" "$seconds" >"$out_dir/reference-$r.jsonl"
    say "round $r/$rounds: electro"
    (cd "$repo_root" && cargo bench --quiet --bench params -- "$seconds") >"$out_dir/electro-$r.jsonl"
done

# Medians per workload, in the reference's order.
node - "$out_dir" "$rounds" <<'JS'
const fs = require("fs");
const [dir, rounds] = [process.argv[2], Number(process.argv[3])];
const read = (who) => {
  const by = new Map();
  for (let r = 1; r <= rounds; r++) {
    for (const line of fs.readFileSync(`${dir}/${who}-${r}.jsonl`, "utf8").split("\n")) {
      if (!line.trim()) continue;
      const o = JSON.parse(line);
      if (!by.has(o.workload)) by.set(o.workload, []);
      by.get(o.workload).push(o);
    }
  }
  return by;
};
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ref = read("reference");
const ours = read("electro");
const rows = [["workload", "reference ns/op", "electro ns/op", "electro allocs/op", "ratio"]];
for (const [w, runs] of ref) {
  const refNs = median(runs.map((o) => o.ns_per_op));
  const mine = ours.get(w);
  if (!mine) {
    rows.push([w, String(Math.round(refNs)), "-", "-", "(not in electro's bench)"]);
    continue;
  }
  const ns = median(mine.map((o) => o.ns_per_op));
  const allocs = median(mine.map((o) => o.allocs_per_op));
  rows.push([w, String(Math.round(refNs)), String(Math.round(ns)), String(allocs), (refNs / ns).toFixed(1) + "x"]);
}
const width = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
for (const r of rows) console.log(r.map((c, i) => (i ? c.padStart(width[i]) : c.padEnd(width[i]))).join("  "));
JS
