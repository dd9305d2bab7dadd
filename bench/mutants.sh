#!/usr/bin/env bash
# Mutation testing of the modules that hold the README's promises, with
# cargo-mutants (`cargo install --locked cargo-mutants`): each mutant is a
# small deliberate bug (an operator swapped, a function returning a default);
# the tests must fail on it ("caught"). Prints caught / missed / timeout /
# unviable per module and the share of viable mutants caught.
#
#   bench/mutants.sh                 # every module below, one after another
#   bench/mutants.sh day parser      # only these (names of the table below)
#   bench/mutants.sh --list          # the modules and their mutant counts
#   bench/mutants.sh --report [...]  # the table of the last runs, running nothing
#   MUTANTS_SHARD=0/2 bench/mutants.sh parser   # every second mutant only
#                                  (K/N counts K from 0: 0/2 and 1/2 are the whole)
#
# Each mutant is an incremental rebuild plus the module's tests, so a module
# of 40 mutants takes tens of minutes on a busy 2-core machine: run it in the
# background, one module at a time (with cargo-nextest installed, `cargo
# install --locked cargo-nextest`, a caught mutant stops at its first failing
# test). The work happens in a scratch copy of
# the committed tree (with a copy of target/ to start from), never in the
# working tree; results stay in $MUTANTS_DIR (default target/mutants) per
# module: missed.txt lists the mutants no test caught.
set -euo pipefail
cd "$(dirname "$0")/.."

# name | source file | tests run for each mutant (cargo test arguments)
MODULES=(
    "day|src/day.rs|--lib --test cli -- day:: facet:: tally:: stats:: dates:: power:: counting::"
    "parser|src/query/parser.rs|--lib --test cli -- query:: searching:: promises:: robustness:: typing:: suggestions::"
    "build|src/search/build.rs|--lib --test cli -- search:: searching:: power:: promises:: entities:: typing:: dates:: short_forms::"
    "search|src/search/mod.rs|--lib --test cli -- search:: searching:: power:: promises:: typing:: suggestions:: related:: short_forms:: deadlines:: timeline:: export::"
    "fold|src/search/fold.rs|--lib --test cli -- fold:: searching:: promises::"
    "fingerprint|src/extract/fingerprint.rs|--lib --test cli -- fingerprint:: searching:: promises:: related::"
    "facet|src/facet.rs|--lib --test cli -- facet:: counting:: searching:: timeline:: related::"
    "tally|src/tally.rs|--lib --test cli -- tally:: counting:: searching:: short_forms:: timeline::"
    "table|src/indexer/table.rs|--lib --test cli -- indexer:: indexing:: ingestion:: archives:: links:: many_records:: model:: promises:: crash:: watching::"
    "params|src/serve/params.rs|--lib --test cli -- serve:: promises::"
    "extract-date|src/extract/date.rs|--lib --test cli -- extract::date format:: dates:: ingestion:: page_metadata::"
    "html-date|src/format/html/date.rs|--lib --test cli -- format::html dates:: webpages:: page_metadata::"
    "request|src/request.rs|--lib --test cli -- request:: searching:: power:: promises:: serve::"
)

out_root="${MUTANTS_DIR:-$PWD/target/mutants}"
mkdir -p "$out_root"

if [ "${1:-}" = "--list" ]; then
    for row in "${MODULES[@]}"; do
        IFS='|' read -r name file _ <<<"$row"
        printf '%-12s %-28s %s mutants\n' "$name" "$file" \
            "$(cargo mutants --list -f "$file" 2>/dev/null | wc -l)"
    done
    exit 0
fi

report_only=false
if [ "${1:-}" = "--report" ]; then
    report_only=true
    shift
fi
wanted=("$@")
selected() {
    [ ${#wanted[@]} -eq 0 ] && return 0
    local w
    for w in "${wanted[@]}"; do [ "$w" = "$1" ] && return 0; done
    return 1
}

if ! $report_only; then
    # A scratch copy of the committed tree: mutants are written into it.
    scratch="$(mktemp -d "${TMPDIR:-/tmp}/news-mutants.XXXXXX")"
    # Some tests run the binary as an unprivileged user (a file of mode 000
    # must be unreadable to it): that user must reach the binary inside.
    chmod 755 "$scratch"
    trap 'rm -rf "$scratch"' EXIT
    git archive HEAD | tar -x -C "$scratch"
    if [ -d target ]; then cp -a target "$scratch/target"; fi
fi

# Lines of a result file (none when the file is absent).
count() {
    if [ -f "$1" ]; then grep -c . "$1" || true; else echo 0; fi
}

# cargo-nextest, when installed, stops a mutant's tests at the first
# failure and runs them on every core: a caught mutant costs seconds, not
# the whole suite.
tool=()
if cargo nextest --version >/dev/null 2>&1; then tool=(--test-tool nextest); fi

# mold, when installed (`apt install mold`), links each mutant's three
# binaries in a fraction of the time: builds of 7-18 s instead of 20-30 s
# here. The wrapper keeps one path, so that the artifacts built with it
# last from run to run.
linker_var=CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_LINKER
if ! $report_only && [ -z "${!linker_var:-}" ] && [ "$(uname -m)" = x86_64 ] \
    && command -v mold >/dev/null 2>&1; then
    printf '#!/bin/sh\nexec cc -fuse-ld=mold "$@"\n' >"$out_root/cc-mold"
    chmod +x "$out_root/cc-mold"
    export "$linker_var=$out_root/cc-mold"
fi

rows=()
for row in "${MODULES[@]}"; do
    IFS='|' read -r name file tests <<<"$row"
    selected "$name" || continue
    # A shard (cargo-mutants' `--shard K/N`, K from 0 to N-1: every N-th
    # mutant) is kept and reported apart from a whole run.
    shard=()
    if [ -n "${MUTANTS_SHARD:-}" ]; then
        shard=(--shard "$MUTANTS_SHARD")
        name="$name shard $MUTANTS_SHARD"
    fi
    safe="${name// /-}"
    out="$out_root/${safe//\//of}"
    dir="$out/mutants.out"
    if $report_only; then
        [ -d "$dir" ] || continue
    else
        echo "== $name ($file): cargo test $tests" >&2
        # shellcheck disable=SC2086 # the test arguments are words on purpose
        (cd "$scratch" && nice -n 15 cargo mutants --in-place --no-shuffle -f "$file" \
            "${tool[@]}" "${shard[@]}" --output "$out" -- $tests) >&2 || true
    fi
    caught=$(count "$dir/caught.txt")
    missed=$(count "$dir/missed.txt")
    timeout=$(count "$dir/timeout.txt")
    unviable=$(count "$dir/unviable.txt")
    viable=$((caught + missed + timeout))
    share="-"
    if [ "$viable" -gt 0 ]; then
        share="$(awk -v c="$caught" -v t="$timeout" -v v="$viable" \
            'BEGIN { printf "%.0f%%", 100 * (c + t) / v }')"
    fi
    rows+=("$(printf '| %s | `%s` | %s | %s | %s | %s | %s |' \
        "$name" "$file" "$caught" "$missed" "$timeout" "$unviable" "$share")")
done

echo
echo "| module | file | caught | missed | timeout | unviable | caught of viable (timeouts count as caught) |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo
echo "missed mutants: $out_root/NAME/mutants.out/missed.txt"
