#!/usr/bin/env bash
# Seed snapshots for the restore fuzzers: real states of each bundled device after random
# traffic of several lengths and seeds (`tandem snapshot save`), one directory per device.
# Usage: fuzz/make_restore_corpus.sh build/tandem [fuzz/corpus]
set -eu
tandem=$1
out=${2:-$(dirname "$0")/corpus}
for dev in $("$tandem" list | awk '{print $1}'); do
  mkdir -p "$out/restore_$dev"
  for run in "1 0" "2 40" "3 300" "4 2000" "5 9000"; do
    set -- $run
    "$tandem" snapshot save --device "$dev" --seed "$1" --steps "$2" "$out/restore_$dev/seed$1-steps$2.snap" >/dev/null
  done
done
