#!/usr/bin/env bash
# masqd --check: the shipped example is valid (exit 0); a broken file exits
# 1 with every problem named by file, line and key; nothing is opened.
#   tests/masqd/check_config.sh MASQD SOURCE_DIR
set -u
masqd=$1
src=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failed=0
fail() {
  echo "FAIL - $*"
  failed=1
}

if out=$("$masqd" --check --config "$src/examples/masq.toml" 2>&1); then
  echo "ok - the example is valid: $out"
else
  fail "the example is valid (exit $?): $out"
fi

cat >"$dir/bad.toml" <<'TOML'
[lan]
name = "lan0"
address = "192.168.77.1/24"
[wan]
name = "wan0"
address = "203.0.113.1/24"
[nat]
max_sessions = "many"
[control]
mode = "0999"
TOML
out=$("$masqd" --check --config "$dir/bad.toml" 2>&1)
rc=$?
[ "$rc" -eq 1 ] && echo "ok - a broken file exits 1" || fail "a broken file exits 1 (got $rc)"
for want in "bad.toml:8: nat.max_sessions:" "bad.toml:10: control.mode: bad mode '0999'"; do
  if grep -qF "$want" <<<"$out"; then
    echo "ok - names '$want'"
  else
    fail "names '$want' in: $out"
  fi
done
out=$("$masqd" --check --config "$dir/missing.toml" 2>&1)
rc=$?
[ "$rc" -eq 1 ] && grep -qF "missing.toml: cannot open" <<<"$out" &&
  echo "ok - a missing file exits 1 and says so" || fail "a missing file: $rc $out"
exit "$failed"
