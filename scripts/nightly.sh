#!/usr/bin/env bash
# Nightly regression check: runs the suites of the committed reference run (the manifests listed
# in results/reference/meta.yaml, so that both runs have the same jobs) with the current build,
# reports on the run and compares it with the reference. Exit status: vlift compare's — 1 on a
# regression (a worse status, any WRONG, a slower operator, a missing one), 0 without, 2 on bad
# input. Arguments go to vlift bench (e.g. -j 8).
#   VLIFT      the binary (default build/vlift, built with make when missing)
#   REFERENCE  the reference run (default results/reference)
#   NIGHTLY_DIR                 where the run goes (default results/nightly-<UTC time>)
#   COMPARE_ARGS                options of vlift compare (default: --time-threshold 2 --min-time 1)
#   NIGHTLY_UPDATE_REFERENCE=1  after a run without regressions (or once the regressions are
#                               understood), make it the new reference (commit results/reference)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
VLIFT=${VLIFT:-build/vlift}
[ -x "$VLIFT" ] || make --no-print-directory "$VLIFT"
ref=${REFERENCE:-results/reference}
[ -s "$ref/results.csv" ] && [ -s "$ref/meta.yaml" ] || { echo "nightly: no reference run in $ref" >&2; exit 2; }
mapfile -t suites < <(sed -n 's/^  - {path: "\([^"]*\)", suite: .*/\1/p' "$ref/meta.yaml")
[ ${#suites[@]} -gt 0 ] || { echo "nightly: $ref/meta.yaml names no manifests" >&2; exit 2; }
out=${NIGHTLY_DIR:-results/nightly-$(date -u +%Y%m%dT%H%M%SZ)}
echo "nightly: ${suites[*]} -> $out, compared with $ref" >&2
# the tools (and configurations) of the reference, not every tool the manifests list
tools=$(python3 - "$ref/results.csv" <<'PY'
import csv, sys
seen = []
for row in csv.DictReader(open(sys.argv[1], newline="")):
    key = "%s/%s" % (row["tool"], row["config"]) if row["config"] else row["tool"]
    if key not in seen:
        seen.append(key)
print(",".join(seen))
PY
)
"$VLIFT" bench "${suites[@]}" -o "$out" --quiet ${tools:+--tools "$tools"} "$@"
"$VLIFT" report "$out" --plots-dir "$out/figures" >/dev/null
set +e
# Single-repetition timings of sub-second jobs vary by 1.5x on a loaded 2-core machine: the
# nightly default flags a time regression only at 2x and above 1 s (COMPARE_ARGS overrides).
read -r -a compare_args <<<"${COMPARE_ARGS:---time-threshold 2 --min-time 1}"
"$VLIFT" compare "${compare_args[@]}" "$ref" "$out"
rc=$?
set -e
if [ "${NIGHTLY_UPDATE_REFERENCE:-0}" = 1 ] && [ $rc -ne 2 ]; then
    cp "$out/results.csv" "$out/meta.yaml" "$ref/"
    echo "nightly: $ref now holds this run; commit it" >&2
fi
exit $rc
