#!/usr/bin/env bash
# Runs one benchmark as N shards at once on this machine and merges them into one results
# directory — the local counterpart of scripts/slurm-array.sh:
#
#   scripts/parallel-shards.sh N OUT_DIR SUITE.yaml... [-- more vlift bench options]
#
# Shard i (0 <= i < N) runs `vlift bench SUITE... --shard i/N -o OUT_DIR.shards/i` with the same
# run id (OUT_DIR's name, or $RUN_ID), then `vlift merge` combines the shards into OUT_DIR. Each
# shard gets -j cores/N (at least 1) unless the options give -j. GNU parallel runs the shards
# when it is installed (scripts/install-deps.sh installs it); otherwise, or with
# VLIFT_NO_GNU_PARALLEL=1, `xargs -P` does. $VLIFT is the binary (default build/vlift).
# Exit status: that of the first failing shard or of the merge, else 0.
set -euo pipefail
if [ $# -lt 3 ]; then
    echo "usage: $0 N OUT_DIR SUITE.yaml... [-- vlift bench options]" >&2
    exit 2
fi
n=$1
out=$2
shift 2
case "$n" in '' | *[!0-9]* | 0) echo "$0: N must be a positive number, not '$n'" >&2; exit 2 ;; esac
suites=()
extra=()
while [ $# -gt 0 ]; do
    if [ "$1" = "--" ]; then shift; extra=("$@"); break; fi
    suites+=("$1")
    shift
done
VLIFT=${VLIFT:-build/vlift}
run_id=${RUN_ID:-$(basename "$out")}
shards="$out.shards"
if [ -e "$shards" ]; then echo "$0: $shards exists; remove it or choose another OUT_DIR" >&2; exit 2; fi
mkdir -p "$shards"

jobs=()
case " ${extra[*]-} " in *" -j "* | *" --jobs "*) ;; *)
    cores=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
    per=$((cores / n)); [ "$per" -ge 1 ] || per=1
    jobs=(-j "$per") ;;
esac
# one shard: vlift bench with everything but the shard index, which comes last
cmd=("$VLIFT" bench "${suites[@]}" -o "$shards/SHARD" --run-id "$run_id" --quiet ${jobs[@]+"${jobs[@]}"} ${extra[@]+"${extra[@]}"})
run_shard() {   # run_shard I: cmd with SHARD replaced by I, plus --shard I/N
    local i=$1 args=() a
    for a in "${cmd[@]}"; do args+=("${a//SHARD/$i}"); done
    "${args[@]}" --shard "$i/$n"
}
export -f run_shard
export n
if [ "${VLIFT_NO_GNU_PARALLEL:-0}" != 1 ] && parallel --version 2>/dev/null | grep -q 'GNU parallel'; then
    echo "parallel-shards: $n shards with GNU parallel" >&2
    # the command array travels through the environment as a NUL-free, newline-separated list
    CMD=$(printf '%s\n' "${cmd[@]}") parallel --will-cite --halt now,fail=1 -j "$n" \
        'mapfile -t cmd <<<"$CMD"; run_shard {}' ::: $(seq 0 $((n - 1)))
else
    echo "parallel-shards: $n shards with xargs -P" >&2
    CMD=$(printf '%s\n' "${cmd[@]}") bash -c 'seq 0 $(('"$n"' - 1)) | xargs -P '"$n"' -I{} bash -c '"'"'mapfile -t cmd <<<"$CMD"; run_shard {}'"'"''
fi
"$VLIFT" merge "$shards"/* -o "$out"
