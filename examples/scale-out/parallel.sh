#!/usr/bin/env bash
# One machine, N shards with GNU parallel, merged into the report of the unsharded campaign.
# Usage: parallel.sh [SHARDS] [tandem run options...]
#   examples/scale-out/parallel.sh 4 --seed 1 --seed 2 --seed 3 --seed 4 --steps 200000
# Writes shard-K.json per shard, then merged.json and junit.xml; exit status as `tandem run`.
set -euo pipefail
tandem=${TANDEM:-build/tandem}
shards=${1:-4}
shift || true
parallel --will-cite --halt never -j "$shards" \
  "$tandem" run "$@" --quiet --json --shard {}/"$shards" '>' shard-{}.json ::: $(seq 1 "$shards") || true
"$tandem" merge shard-*.json --out merged.json --junit junit.xml
