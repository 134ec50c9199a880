#!/usr/bin/env bash
# Counts, per params workload, the zero-length memcmp/bcmp calls made on dangling
# pointers (what comparing two empty &strs compiles to) in each operation.
#
#   scripts/empty-compare-audit.sh [WORKLOAD...]
#
# On some machines each such call costs ~75 ns per dangling pointer (measured on the
# benchmark machine: AMD EPYC under a hypervisor, glibc 2.36), while callgrind
# counts it as a handful of instructions, so instruction counts cannot find it.
# BENCHMARKS.md tells how it once took most of a get's time. This script preloads a
# tiny counting shim (built with cc into .cache/) and runs the params bench for
# 1,000 and then 2,000 operations per workload; the difference over 1,000 is the
# per-operation count, setup excluded. Every workload should print 0.
#
# Needs a C compiler and glibc (LD_PRELOAD). Not part of the tests: run on demand.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="$repo_root/.cache/empty-compare"
mkdir -p "$cache"
say() { echo "empty-compare-audit: $*" >&2; }

cat > "$cache/shim.c" <<'EOF'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
static long count;
static void note(const void *a, const void *b, size_t n) {
    if (n == 0 && ((uintptr_t)a < 4096 || (uintptr_t)b < 4096)) count++;
}
int memcmp(const void *a, const void *b, size_t n) {
    static int (*real)(const void *, const void *, size_t);
    note(a, b, n);
    if (!real) real = (int (*)(const void *, const void *, size_t))dlsym(RTLD_NEXT, "memcmp");
    return real(a, b, n);
}
int bcmp(const void *a, const void *b, size_t n) {
    static int (*real)(const void *, const void *, size_t);
    note(a, b, n);
    if (!real) real = (int (*)(const void *, const void *, size_t))dlsym(RTLD_NEXT, "bcmp");
    return real(a, b, n);
}
__attribute__((destructor)) static void report(void) {
    const char *out = getenv("EMPTY_COMPARE_OUT");
    FILE *f = out ? fopen(out, "w") : NULL;
    if (f) { fprintf(f, "%ld\n", count); fclose(f); }
}
EOF
cc -O2 -shared -fPIC -o "$cache/shim.so" "$cache/shim.c" -ldl

cd "$repo_root"
say "building the params bench"
bin="$(cargo bench --bench params --no-run --message-format=json 2>/dev/null |
    sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -1)"
[[ -x "$bin" ]] || { say "error: no params bench binary"; exit 1; }

workloads=("$@")
if [[ ${#workloads[@]} -eq 0 ]]; then
    workloads=(get put query_between_where patch_mixed collection batch_get_100)
fi
count_for() {
    EMPTY_COMPARE_OUT="$cache/count" ELECTRO_BENCH_OPS="$2" ELECTRO_BENCH_WARMUP=0 \
        LD_PRELOAD="$cache/shim.so" "$bin" 1 "$1" >/dev/null 2>&1
    cat "$cache/count"
}
printf '%-22s %s\n' workload "dangling empty compares per op"
for w in "${workloads[@]}"; do
    a="$(count_for "$w" 1000)"
    b="$(count_for "$w" 2000)"
    awk -v w="$w" -v a="$a" -v b="$b" 'BEGIN { printf "%-22s %.2f\n", w, (b - a) / 1000 }'
done
