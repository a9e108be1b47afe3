#!/usr/bin/env bash
# Installs, with apt-get, only the system packages vlift needs that are missing:
# a C compiler and make (build), pkg-config, libz3-dev (proofs), libyaml-dev (manifests),
# gnuplot-nox (plots), and for the tests python3 (reads CSV files independently of vlift) and GNU
# parallel (scripts/parallel-shards.sh). With --fuzz (used only by `make fuzz`) it also installs
# clang, whose libFuzzer the fuzz targets need; `make test` never needs clang. Safe to run repeatedly; does nothing when all are present.
set -euo pipefail

missing=()
have_pkgconfig() { command -v pkg-config >/dev/null 2>&1 && pkg-config --exists "$1"; }
command -v cc >/dev/null 2>&1 || missing+=(gcc)
command -v make >/dev/null 2>&1 || missing+=(make)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
have_pkgconfig z3 || [ -f /usr/include/z3.h ] || missing+=(libz3-dev)
have_pkgconfig yaml-0.1 || [ -f /usr/include/yaml.h ] || missing+=(libyaml-dev)
command -v gnuplot >/dev/null 2>&1 || missing+=(gnuplot-nox)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
parallel --version 2>/dev/null | grep -q 'GNU parallel' || missing+=(parallel)
if [ "${1:-}" = --fuzz ]; then
    command -v "${FUZZ_CC:-clang}" >/dev/null 2>&1 || missing+=(clang)
fi

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
echo "install-deps: installing ${missing[*]}" >&2
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "install-deps: need root or sudo to install ${missing[*]}" >&2; exit 1; }
    sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq >&2
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
