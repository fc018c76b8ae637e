#!/usr/bin/env bash
# Runs every libFuzzer target of a MASQ_FUZZ=ON build for SECONDS each, over
# a scratch copy of its seed corpus (tests/fuzz/corpus/<target>), so the
# committed corpus is never modified. Exits non-zero when a target finds a
# crash (or is missing); crash inputs are kept in BUILD_DIR/fuzz-artifacts.
#
#   scripts/run-fuzzers.sh build/fuzz 60
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 BUILD_DIR SECONDS" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
seconds=$2
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
targets=(fuzz_parse fuzz_engine fuzz_reassembler fuzz_pcp)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
artifacts="$build/fuzz-artifacts"
mkdir -p "$artifacts"

passed=0
failed=0
for target in "${targets[@]}"; do
  bin="$build/tests/fuzz/$target"
  if [[ ! -x "$bin" ]]; then
    echo "$target: missing $bin (configure with MASQ_FUZZ=ON and build it)" >&2
    failed=$((failed + 1))
    continue
  fi
  corpus="$work/$target"
  mkdir -p "$corpus"
  cp "$root/tests/fuzz/corpus/$target/." "$corpus/" -r
  log="$work/$target.log"
  echo "== $target: ${seconds}s over $(ls "$corpus" | wc -l) seeds"
  if "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$artifacts/$target-" "$corpus" >"$log" 2>&1; then
    grep -E '^stat::(number_of_executed_units|peak_rss_mb|new_units_added)' "$log" || true
    passed=$((passed + 1))
  else
    echo "$target: FAILED; last lines of its log:"
    tail -n 40 "$log"
    echo "crash inputs: $(ls "$artifacts"/"$target"-* 2>/dev/null | tr '\n' ' ')"
    failed=$((failed + 1))
  fi
done

echo "fuzz: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
