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
# internal: one shard, `parallel-shards.sh --one-shard I N DIR COMMAND...` runs COMMAND with
# --shard I/N -o DIR/I (called through GNU parallel or xargs, which pass the words unchanged)
if [ "${1:-}" = "--one-shard" ]; then
    i=$2 n=$3 dir=$4
    shift 4
    exec "$@" --shard "$i/$n" -o "$dir/$i"
fi
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
cmd=("$VLIFT" bench "${suites[@]}" --run-id "$run_id" --quiet ${jobs[@]+"${jobs[@]}"} ${extra[@]+"${extra[@]}"})
self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
if [ "${VLIFT_NO_GNU_PARALLEL:-0}" != 1 ] && parallel --version 2>/dev/null | grep -q 'GNU parallel'; then
    echo "parallel-shards: $n shards with GNU parallel" >&2
    parallel --will-cite -q --halt now,fail=1 -j "$n" "$self" --one-shard {} "$n" "$shards" "${cmd[@]}" ::: $(seq 0 $((n - 1)))
else
    echo "parallel-shards: $n shards with xargs -P" >&2
    seq 0 $((n - 1)) | xargs -P "$n" -I{} "$self" --one-shard {} "$n" "$shards" "${cmd[@]}"
fi
"$VLIFT" merge "$shards"/* -o "$out"
