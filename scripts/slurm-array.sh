#!/bin/bash
# One benchmark run spread over a Slurm job array: task i of n runs shard i/n of the job list
# (vlift bench --shard, job k goes to shard k mod n) into results/<run>.shards/<i>; merge the
# shards when every task is done. Run from the repository root on a file system the nodes share,
# with build/vlift built for the nodes.
#
#   sbatch --array=0-15 scripts/slurm-array.sh suites/flaggems.yaml [more manifests]
#   # afterwards (or as a dependent job: sbatch --dependency=afterok:<jobid> --wrap "...")
#   build/vlift merge results/slurm-<jobid>.shards/* -o results/slurm-<jobid>
#   build/vlift report results/slurm-<jobid>
#
# The array must start at 0 and be contiguous; its size is the shard count. A task that Slurm
# requeues (node failure, preemption) resumes its shard instead of starting it over. Set RUN_ID
# to name the run; extra vlift bench options go in VLIFT_BENCH_OPTS (e.g. "--reps 3").
#SBATCH --job-name=vlift-bench
#SBATCH --cpus-per-task=8
#SBATCH --mem=32G
#SBATCH --time=04:00:00
#SBATCH --requeue
#SBATCH --output=slurm-%A_%a.out
set -euo pipefail
: "${SLURM_ARRAY_TASK_ID:?submit with sbatch --array=0-(N-1)}"
n=${SLURM_ARRAY_TASK_COUNT:?}
i=$((SLURM_ARRAY_TASK_ID - ${SLURM_ARRAY_TASK_MIN:-0}))
run_id=${RUN_ID:-slurm-${SLURM_ARRAY_JOB_ID}}
out="results/$run_id.shards/$i"
resume=()
[ -s "$out/results.csv" ] && resume=(--resume)   # a requeued task completes its shard
read -r -a extra <<<"${VLIFT_BENCH_OPTS:-}"
# -j: the CPUs Slurm gave this task; memory limits per job come from the manifests / --limit
exec build/vlift bench "$@" --shard "$i/$n" -o "$out" --run-id "$run_id" -j "${SLURM_CPUS_PER_TASK:-1}" --quiet \
    ${resume[@]+"${resume[@]}"} ${extra[@]+"${extra[@]}"}
