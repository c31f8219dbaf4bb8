#!/bin/bash -eu
# OSS-Fuzz / ClusterFuzz build script: builds tandem's libFuzzer targets and lays them out the
# way ClusterFuzz expects in $OUT:
#   $OUT/<target>                  each fuzzer binary (plain libFuzzer: LLVMFuzzerTestOneInput)
#   $OUT/<target>_seed_corpus.zip  its seed corpus
#   $OUT/<target>.dict             its dictionary, where it has one (the lockstep fuzzers)
# Targets: rdl_fuzz and svd_fuzz (register-map readers), replay_parser_fuzz, restore_<device>_fuzz
# (saved state is untrusted input) and fuzz_<device> (model against RTL in lockstep; a
# divergence aborts, so it is a crash to ClusterFuzz) for every bundled device. The seeded-bug
# mutants are left out: they diverge by design.
#
# In OSS-Fuzz (projects/tandem/build.sh calls this) $SRC, $OUT, $WORK, $CC and $CXX are set;
# the build uses tandem's own -DTANDEM_FUZZ=ON flags (libFuzzer, ASan, UBSan: OSS-Fuzz's
# "address" and "undefined" configurations). Locally or in CI:
#   OUT=/tmp/oss-fuzz-out fuzz/oss-fuzz/build.sh            # configures build-oss-fuzz/
#   OUT=... BUILD_DIR=build-fuzz-ci fuzz/oss-fuzz/build.sh   # reuses a TANDEM_FUZZ=ON tree
# See docs/scale-out.md.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${OUT:?set OUT to the directory the fuzzers go to}
BUILD_DIR=${BUILD_DIR:-${WORK:-$ROOT}/build-oss-fuzz}
JOBS=${JOBS:-$(nproc)}

if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
  CC=${CC:-clang} CXX=${CXX:-clang++} cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DTANDEM_FUZZ=ON -DTANDEM_CHECKPOINT=OFF
fi
cmake --build "$BUILD_DIR" -j"$JOBS" --target oss_fuzz_targets
mkdir -p "$OUT"

# zip FILE.zip FILES...: with python3, which every build image has (zip may be missing).
zip_into() {
  local zip=$1
  shift
  rm -f "$zip"
  python3 -c 'import sys, zipfile, os
with zipfile.ZipFile(sys.argv[1], "w") as z:
    for f in sys.argv[2:]: z.write(f, os.path.basename(f))' "$zip" "$@"
}

for r in rdl svd; do
  cp "$BUILD_DIR/fuzz/${r}_fuzz" "$OUT/"
  mapfile -t seeds < <(find "$ROOT/tests/data/regmaps" "$ROOT/fuzz/corpus" "$ROOT/devices" -maxdepth 2 -name "*.$r")
  zip_into "$OUT/${r}_fuzz_seed_corpus.zip" "${seeds[@]}"
done

cp "$BUILD_DIR/replay_parser_fuzz" "$OUT/"
replays=$(mktemp -d)
trap 'rm -rf "$replays"' EXIT
printf '# tandem replay v1 device=seldev\nwritel 0xc 0x4\nreadl 0x8 expect 0x3\nclock_step 12\n' >"$replays/steps"
printf '# tandem replay v1 device=dma\nwrite 0x1000 4 0x78563412\nreset\nreadb 0x0\n' >"$replays/memory"
zip_into "$OUT/replay_parser_fuzz_seed_corpus.zip" "$replays"/*

for f in "$BUILD_DIR"/fuzz/restore_*_fuzz; do
  dev=$(basename "$f" _fuzz)
  dev=${dev#restore_}
  cp "$f" "$OUT/"
  if [ -d "$ROOT/fuzz/corpus/restore_$dev" ]; then
    zip_into "$OUT/restore_${dev}_fuzz_seed_corpus.zip" "$ROOT/fuzz/corpus/restore_$dev"/*
  fi
done

# The lockstep fuzzers: seeds (driver-manual sequences) and dictionary from each binding.
for f in "$BUILD_DIR"/fuzz_*; do
  target=$(basename "$f")
  dev=${target#fuzz_}
  case "$dev" in *.*) continue ;; esac  # a seeded-bug mutant
  cp "$f" "$OUT/"
  "$BUILD_DIR/tandem" fuzz --device "$dev" --prepare-only --out "$replays/$dev" >/dev/null
  cp "$replays/$dev/$dev.dict" "$OUT/$target.dict"
  if compgen -G "$replays/$dev/seeds-$dev/*" >/dev/null; then
    zip_into "$OUT/${target}_seed_corpus.zip" "$replays/$dev/seeds-$dev"/*
  fi
done
echo "fuzzers, seed corpora and dictionaries in $OUT:"
ls "$OUT"
