#!/usr/bin/env bash
# Lists public functions whose doc comment has no example (no "```" in it), so the
# rule "every public builder method has a doc example that compiles" can be checked.
#
#   bash scripts/check-doc-examples.sh            # the default files below
#   bash scripts/check-doc-examples.sh FILE...    # other files
#
# A simple line scan, not a parser. It checks:
# - every `pub fn` / `pub async fn` / `pub const fn` line (not `pub(crate)` and the
#   like): the `///` and `#[doc = ...]` lines directly above it (attributes may sit in
#   between) must contain "```"; `#[doc(hidden)]` items and the `pub fn $name` lines
#   of macro bodies (documented at their invocations) are skipped, and a
#   `#[doc = $example]` line counts as the example its macro's callers pass;
# - every method entry (`name => Op...`) of the doc macros `where_ops!`, `update_ops!`,
#   `update_methods!` and `upsert_methods!`, whose doc lines sit above the entry.
# Prints `path:line: name` per missing example and a final `missing examples: N`;
# exits 1 when N > 0.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$#" -gt 0 ]; then
    files=("$@")
else
    mapfile -t files < <(
        {
            printf '%s\n' \
                electro-core/src/entity/mod.rs \
                electro-core/src/entity/options.rs \
                electro-core/src/entity/go.rs \
                electro-core/src/entity/proxy.rs \
                electro-core/src/conversion.rs \
                electro-core/src/lib.rs \
                src/lib.rs
            # exec/params.rs is crate-internal (`pub(crate) struct Params`).
            find electro-core/src/exec electro-core/src/service electro-core/src/transaction \
                electro-core/src/model -name '*.rs' ! -path electro-core/src/exec/params.rs
        } | sort -u
    )
fi

awk '
    FNR == 1 { doc = ""; indoc = 0; inmacro = 0; inattr = 0 }
    # A `#[doc = concat!(...)]` spanning lines: everything up to its `)]`.
    inattr { doc = doc $0 "\n"; if ($0 ~ /\)\][[:space:]]*$/) inattr = 0; next }
    /^[[:space:]]*#\[doc *= *concat!\(/ && $0 !~ /\)\][[:space:]]*$/ { doc = doc $0 "\n"; indoc = 1; inattr = 1; next }
    # Doc lines and attributes accumulate; anything else resets the block.
    /^[[:space:]]*\/\/\// || /^[[:space:]]*#\[doc/ { doc = doc $0 "\n"; indoc = 1; next }
    /^[[:space:]]*\$\(#\[\$doc:meta\]\)\*/ { next }
    /^[[:space:]]*#\[/ && indoc { next }
    /^[[:space:]]*(where_ops|update_ops|update_methods|upsert_methods)! *\{/ { inmacro = 1; doc = ""; indoc = 0; next }
    inmacro && /^[[:space:]]*\}/ { inmacro = 0 }
    inmacro && /^[[:space:]]*[a-z_][a-z0-9_]* *=>/ {
        name = $1
        if (index(doc, "```") == 0) { printf "%s:%d: %s (macro entry)\n", FILENAME, FNR, name; missing++ }
        doc = ""; indoc = 0; next
    }
    /^[[:space:]]*pub (async |const |unsafe )*fn \$/ { doc = ""; indoc = 0; next }
    /^[[:space:]]*pub (async |const |unsafe )*fn / {
        if (index(doc, "#[doc(hidden)]") > 0) { doc = ""; indoc = 0; next }
        line = $0
        sub(/^.*fn /, "", line)
        sub(/[^a-zA-Z0-9_$].*$/, "", line)
        if (index(doc, "```") == 0 && doc !~ /#\[doc = \$[a-z_]+\]/) { printf "%s:%d: %s\n", FILENAME, FNR, line; missing++ }
    }
    { doc = ""; indoc = 0 }
    END { printf "missing examples: %d\n", missing + 0; exit (missing > 0) }
' "${files[@]}"
