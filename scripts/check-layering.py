#!/usr/bin/env python3
"""The map holds (docs/architecture.md, "Components"): checks the include
graph of the components against their CMake targets.

  scripts/check-layering.py [REPO_ROOT]

1. A component includes public headers (masq/<other>/...) only of itself and
   of the components its target depends on, directly or through others
   (masq_library(... DEPS masq::x) in src/<component>/CMakeLists.txt).
2. A public header (include/masq/<c>/x.hpp) is needed outside its own
   component: included from outside it (src/<c>, include/masq/<c>) and its
   tests (tests/<c>), or by a public header of its own that is. One that
   only its own component uses belongs in src/<c>.
Prints each violation and exits 1 when there is any."""
import pathlib
import re
import sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).parent.parent)
INCLUDE = re.compile(r'^\s*#\s*include\s+"masq/([a-z_]+)/([^"]+)"', re.M)
components = sorted(p.name for p in (root / "src").iterdir() if (p / "CMakeLists.txt").exists())

deps = {}
for c in components:
    text = (root / "src" / c / "CMakeLists.txt").read_text()
    call = re.search(r"masq_library\(\s*" + c + r"\b(.*?)\)", text, re.S)
    deps[c] = set(re.findall(r"masq::([a-z_]+)", call.group(1))) if call else set()


def reachable(c, seen=None):
    seen = set() if seen is None else seen
    for d in deps.get(c, ()):
        if d not in seen:
            seen.add(d)
            reachable(d, seen)
    return seen


def sources(*dirs):
    for d in dirs:
        if d.exists():
            yield from (p for p in d.rglob("*") if p.suffix in (".cpp", ".hpp", ".h", ".cc"))


problems = []
for c in components:
    allowed = {c} | reachable(c)
    for f in sources(root / "src" / c, root / "include" / "masq" / c):
        for other, header in INCLUDE.findall(f.read_text(errors="replace")):
            if other not in allowed:
                problems.append(f"{f.relative_to(root)} includes masq/{other}/{header}, "
                                f"but {c} does not depend on {other}")

users = {}  # "c/x.hpp" -> the files outside c that include it
outside = list(sources(root / "src", root / "include", root / "apps", root / "tests", root / "bench"))
for f in outside:
    rel = f.relative_to(root).parts
    for other, header in INCLUDE.findall(f.read_text(errors="replace")):
        own = (rel[0] in ("src", "tests") and len(rel) > 1 and rel[1] == other) or \
              (rel[:3] == ("include", "masq", other))
        if not own:
            users.setdefault(f"{other}/{header}", []).append(f)
# A public header that a needed public header includes is needed too.
needed = set(users)
changed = True
while changed:
    changed = False
    for c in components:
        for h in (root / "include" / "masq" / c).glob("*.hpp"):
            if f"{c}/{h.name}" not in needed:
                continue
            for other, header in INCLUDE.findall(h.read_text(errors="replace")):
                if other == c and f"{c}/{header}" not in needed:
                    needed.add(f"{c}/{header}")
                    changed = True
for c in components:
    for h in sorted((root / "include" / "masq" / c).glob("*.hpp")):
        if f"{c}/{h.name}" not in needed:
            problems.append(f"include/masq/{c}/{h.name} is used only inside {c}: "
                            f"it belongs in src/{c}/")

for p in problems:
    print(p)
print(f"layering: {len(components)} components, {len(problems)} problems")
sys.exit(1 if problems else 0)
