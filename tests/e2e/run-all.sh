#!/usr/bin/env bash
# Runs every end-to-end test against one or more gateways, one after the
# other, and prints one line per test and a total:
#
#   tests/e2e/run-all.sh BUILD_DIR [GATEWAY...]   (default: all three)
#
# The same tests run under ctest as e2e.<test>.<gateway> (label netns).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export BUILD_DIR=${1:?usage: $0 BUILD_DIR [GATEWAY...]}
shift
gateways=("$@")
[ ${#gateways[@]} -gt 0 ] || gateways=(kernel-nft masqd-af_packet masqd-af_xdp)
tests=(ping http iperf3 same_port inbound_scan forward static pool hairpin icmp_errors pmtu fragments addressing
  malformed_lan)

passed=0 failed=0 skipped=0
failures=()
for gw in "${gateways[@]}"; do
  for t in "${tests[@]}"; do
    log=$(mktemp)
    start=$SECONDS
    bash "$here/$t.sh" "$gw" >"$log" 2>&1
    rc=$?
    case $rc in
    0) verdict=PASS passed=$((passed + 1)) ;;
    77) verdict=SKIP skipped=$((skipped + 1)) ;;
    *) verdict=FAIL failed=$((failed + 1)) failures+=("e2e.$t.$gw") ;;
    esac
    printf '%-4s e2e.%s.%s (%d s)\n' "$verdict" "$t" "$gw" $((SECONDS - start))
    if [ "$verdict" = FAIL ] || [ -n "${VERBOSE:-}" ]; then sed 's/^/     /' "$log"; fi
    [ "$verdict" = SKIP ] && grep -m1 '^SKIP' "$log" | sed 's/^/     /'
    rm -f "$log"
  done
done
[ ${#failures[@]} -eq 0 ] || echo "failed: ${failures[*]}"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
