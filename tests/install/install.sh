#!/usr/bin/env bash
# cmake --install into a DESTDIR, then checks what it put there
# (tests/install/CMakeLists.txt passes the expected directories).
set -euo pipefail

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

DESTDIR=$stage cmake --install "$BUILD_DIR" >"$stage.log" 2>&1 || { cat "$stage.log"; fail "cmake --install"; }
rm -f "$stage.log"

for f in "$SBINDIR/masqd" "$BINDIR/masqctl" "$BINDIR/masq-replay"; do
  [ -x "$stage$f" ] || fail "$f not installed (or not executable)"
done
unit=$stage$UNITDIR/masqd.service
for f in "$UNITDIR/masqd.service" "$SYSCONFDIR/masq/masq.toml" "$DOCDIR/examples/masq.toml" \
  "$MANDIR/man8/masqd.8" "$MANDIR/man8/masqctl.8" "$MANDIR/man1/masq-replay.1"; do
  [ -f "$stage$f" ] || fail "$f not installed"
done

# The unit: what it must say, then systemd's own check of it, with the
# programs it names where the stage has them.
grep -qx 'Type=notify' "$unit" || fail "unit: no Type=notify"
grep -q '^WatchdogSec=' "$unit" || fail "unit: no WatchdogSec"
# shellcheck disable=SC2016 # $MAINPID is systemd's, not ours
grep -qx 'ExecReload=/bin/kill -HUP $MAINPID' "$unit" || fail "unit: ExecReload does not send SIGHUP"
grep -qx "ExecStart=$SBINDIR/masqd --config $SYSCONFDIR/masq/masq.toml --log journal" "$unit" ||
  fail "unit: ExecStart does not run the installed masqd"
# The installed masqd accepts the installed config's syntax (the example's
# interfaces need not exist for --check).
"$stage$SBINDIR/masqd" --check --config "$stage$SYSCONFDIR/masq/masq.toml" >/dev/null ||
  fail "masqd --check rejects the installed example config"
if command -v systemd-analyze >/dev/null; then
  staged=$stage/verify/masqd.service
  mkdir -p "$(dirname "$staged")"
  sed "s|$SBINDIR/masqd|$stage$SBINDIR/masqd|g" "$unit" >"$staged"
  # Documentation=man: entries are looked up with man, in the stage.
  if ! out=$(MANPATH="$stage$MANDIR:" systemd-analyze verify "$staged" 2>&1); then
    echo "$out" >&2
    fail "systemd-analyze verify"
  fi
  [ -z "$out" ] || { echo "$out" >&2; fail "systemd-analyze verify warned"; }
else
  echo "systemd-analyze not here: unit not verified"
fi

# Each page renders without a warning.
for page in "$MANDIR/man8/masqd.8" "$MANDIR/man8/masqctl.8" "$MANDIR/man1/masq-replay.1"; do
  warnings=$(groff -man -ww -z -Tutf8 "$stage$page" 2>&1)
  [ -z "$warnings" ] || { echo "$warnings" >&2; fail "groff warns about $page"; }
  warnings=$(man --warnings -l "$stage$page" 2>&1 >/dev/null)
  [ -z "$warnings" ] || { echo "$warnings" >&2; fail "man warns about $page"; }
  rendered=$(man -l "$stage$page" 2>/dev/null)
  for section in NAME OPTIONS; do
    grep -q "^$section" <<<"$rendered" || fail "$page lacks $section"
  done
done

# The version: git describe of the tree (without -dirty: the tree may have
# changed since the build), or the project version outside a git checkout.
if describe=$(git -C "$SOURCE_DIR" describe --tags --always 2>/dev/null); then
  expected=$describe
else
  expected=$PROJECT_VERSION
fi
for program in "$SBINDIR/masqd" "$BINDIR/masqctl" "$BINDIR/masq-replay"; do
  version=$("$stage$program" --version)
  name=$(basename "$program")
  [[ $version == "$name "*"$expected"* ]] || fail "$name --version: '$version', expected '$expected' in it"
done
echo "install: ok"
