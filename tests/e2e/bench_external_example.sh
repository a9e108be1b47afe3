# The external-tool example, suites/external_tool.yaml, exactly as a user would run it: with a
# fake `tenspiler-lift` (a wrapper around tests/fake_tool) on PATH its rows carry the tool's
# verdicts, formula and note through status_map and the regexes; without it they are NOT_RUN.
. "$(dirname "$0")/bench_lib.inc"
mkdir -p "$tmp/bin"
cat >"$tmp/script" <<'EOF2'
# fake relu: out "RESULT: verified" out "FORMULA: out[i] = max(x[i], 0)"
# fake silu: out "NOTE: exp outside the grammar" out "RESULT: failed"
EOF2
cat >"$tmp/bin/tenspiler-lift" <<EOF2
#!/bin/sh
# a stand-in for a lifter installed on the user's machine: checks the arguments the template
# passes, then lets the fake tool answer for the operator
op=""; src=""; wall=""
while [ \$# -gt 0 ]; do
    case "\$1" in --op) op=\$2; shift 2 ;; --source) src=\$2; shift 2 ;; --timeout) wall=\$2; shift 2 ;; *) shift ;; esac
done
[ -f "\$src" ] && [ "\$wall" = 600 ] || { echo "RESULT: bad-arguments"; exit 2; }
exec "$FAKE" --script "$tmp/script" --op "\$op"
EOF2
chmod +x "$tmp/bin/tenspiler-lift"
PATH="$tmp/bin:$PATH" expect_exit 0 "$VLIFT" bench suites/external_tool.yaml -o "$tmp/run" -q --tools tenspiler
csv=$tmp/run/results.csv
grep -q '^[^,]*,external_tool,relu,elementwise,tenspiler,original,1,VERIFIED,.*out\[i\] = max(x\[i\], 0)' "$csv" || fail "relu row: $(cat "$csv")"
grep -q '^[^,]*,external_tool,silu,elementwise,tenspiler,original,1,UNSUPPORTED,.*exp outside the grammar' "$csv" || fail "silu row: $(cat "$csv")"
# not installed: NOT_RUN rows, the run still completes
PATH="/usr/bin:/bin" expect_exit 0 "$VLIFT" bench suites/external_tool.yaml -o "$tmp/run2" -q --tools tenspiler
[ "$(grep -c ',tenspiler,original,1,NOT_RUN,' "$tmp/run2/results.csv")" = 2 ] || fail "NOT_RUN rows: $(cat "$tmp/run2/results.csv")"
finish
