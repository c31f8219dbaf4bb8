#!/usr/bin/env bash
# `tandem fuzz` and the strategies on the command line: error paths (exit 2, one line), the
# strategy names, shards, the seed corpus and dictionary `tandem fuzz` writes. With a fuzz
# build (FUZZ_DIR holds fuzz_<device>): a short clean run on a correct device, and both
# selector-class mutants found, shrunk and written as replays; without one those checks are
# skipped, and the script says so.
# Usage: fuzz_cli_test.sh TANDEM TANDEM_MUTANTS [FUZZ_DIR]
set -u
tandem=$(realpath "$1")
mutants=$(realpath "$2")
fuzz_dir=${3:+$(realpath "$3")}
source "$(dirname "$0")/cli_lib.sh"
cd "$tmp"

# --- strategies
for s in random hostile ordering all; do
  expect 0 "run --strategy $s" -- "$tandem" run --device seldev --device timer --strategy "$s" --steps 3000
done
expect 0 "run --strategy race on dma" -- "$tandem" run --device dma --strategy race --steps 3000
expect 2 "race without DMA hints" -- "$tandem" run --device seldev --strategy race
one_line "race without DMA hints"
expect 2 "unknown strategy" -- "$tandem" run --strategy nosuch
one_line "unknown strategy"
contains "$tmp/err" "hostile" "unknown strategy lists hostile"
contains "$tmp/err" "ordering" "unknown strategy lists ordering"
expect 0 "run --shard 1/2 hostile" -- "$tandem" run --strategy hostile --seed 1 --seed 2 --shard 1/2 --steps 2000 --json
expect 0 "run --shard 2/2 ordering" -- "$tandem" run --strategy ordering --device seldev --device timer --shard 2/2 --steps 2000
contains "$tmp/out" "1 runs, 0 diverged" "shard 2/2 of two jobs is one run"
expect 1 "hostile finds trust_select" -- "$mutants" run --device seldev.trust_select --strategy hostile --steps 10000 --out "$tmp/o"
contains "$tmp/out" "UNIT_SELECT" "hostile names the selector"

# --- tandem fuzz error paths
expect 2 "fuzz: missing fuzz binary" -- "$tandem" fuzz --device seldev --seconds 1 --out "$tmp/f"
one_line "fuzz: missing fuzz binary"
contains "$tmp/err" "TANDEM_FUZZ=ON" "missing binary says how to build it"
expect 2 "fuzz: unknown device" -- "$tandem" fuzz --device nosuch --seconds 1
one_line "fuzz: unknown device"
contains "$tmp/err" "unknown device 'nosuch'" "unknown device named"
expect 2 "fuzz: bad shard" -- "$tandem" fuzz --device seldev --shard 3/2 --fuzzer /bin/true
one_line "fuzz: bad shard"
contains "$tmp/err" "--shard" "bad shard message"
expect 2 "fuzz: --device required" -- "$tandem" fuzz --seconds 1
one_line "fuzz: --device required"
expect 2 "fuzz: bad seconds" -- "$tandem" fuzz --device seldev --seconds -3
one_line "fuzz: bad seconds"
expect 2 "fuzz: --fuzzer not executable" -- "$tandem" fuzz --device seldev --fuzzer "$tmp/nothing"
one_line "fuzz: --fuzzer not executable"
expect 2 "fuzz: fuzzer fails without a finding" -- "$tandem" fuzz --device seldev --fuzzer /bin/false --out "$tmp/f"
one_line "fuzz: fuzzer fails without a finding"
expect 0 "fuzz: a fuzzer that finds nothing" -- "$tandem" fuzz --device seldev --fuzzer /bin/true --out "$tmp/f" --json
contains "$tmp/out" '"strategy": "fuzz"' "fuzz --json strategy"
contains "$tmp/out" '"divergence": null' "fuzz --json no divergence"
# The inputs the fuzzer ran, by its final statistics (a stand-in that prints libFuzzer's line).
printf '#!/bin/sh\necho "stat::number_of_executed_units: 4321" >&2\n' > "$tmp/counting-fuzzer"
chmod +x "$tmp/counting-fuzzer"
expect 0 "fuzz: the fuzzer's input count" -- "$tandem" fuzz --device seldev --fuzzer "$tmp/counting-fuzzer" --out "$tmp/f" --json
contains "$tmp/out" '"fuzz_inputs": 4321' "fuzz --json gives the inputs run"
expect 0 "fuzz: the input count in the summary" -- "$tandem" fuzz --device seldev --fuzzer "$tmp/counting-fuzzer" --out "$tmp/f" -q
contains "$tmp/out" 'ok (4321 fuzz inputs, ' "the summary gives the inputs run"

# --- what tandem fuzz hands the fuzzer: seeds from the driver-manual sequences, a dictionary
if [ -s "$tmp/f/seldev.dict" ] && [ -s "$tmp/f/seeds-seldev/seq-operation" ]; then
  echo "ok:   fuzz writes the dictionary and the seed corpus"
else
  echo "FAIL: no $tmp/f/seldev.dict or $tmp/f/seeds-seldev/seq-operation"; failures=$((failures + 1))
fi
contains "$tmp/f/seldev.dict" '^"FUZZ"$' "the dictionary holds the separator"
expect 0 "fuzz: uart seeds and dictionary" -- "$tandem" fuzz --device uart16550 --fuzzer /bin/true --out "$tmp/u"
n=$(ls "$tmp/u/seeds-uart16550" 2>/dev/null | wc -l)
if [ "$n" -ge 5 ]; then echo "ok:   one uart seed per driver sequence ($n)"; else echo "FAIL: $n uart seeds"; failures=$((failures + 1)); fi
expect 0 "fuzz --no-seeds --no-dict" -- "$tandem" fuzz --device timer --fuzzer /bin/true --out "$tmp/n" --no-seeds --no-dict
if [ -e "$tmp/n/timer.dict" ] || [ -e "$tmp/n/seeds-timer" ]; then
  echo "FAIL: --no-seeds --no-dict still wrote them"; failures=$((failures + 1))
else
  echo "ok:   --no-seeds --no-dict write neither"
fi

# --- with the libFuzzer binaries
if [ -n "$fuzz_dir" ]; then
  expect 0 "fuzz_seldev: clean for 10 s" -- "$tandem" fuzz --device seldev --seconds 10 --out "$tmp/g" --fuzzer "$fuzz_dir/fuzz_seldev"
  # Each selector-class mutant: found (with its kind), the reproducer replays on the mutant and
  # is clean on the correct model.
  finds() {  # MUTANT DEVICE [KIND] (the input libFuzzer hits first decides the kind of some)
    expect 1 "fuzz finds $1" -- "$mutants" fuzz --device "$1" --seconds 60 --out "$tmp/g" --fuzzer "$fuzz_dir/fuzz_$1" --json
    [ -z "$3" ] || contains "$tmp/out" "\"kind\": \"$3\"" "$1: finding kind"
    contains "$tmp/out" '"replay": "' "$1: finding replay path"
    local rep="$tmp/g/$1-fuzz-1.replay"
    if [ -f "$rep" ]; then
      expect 1 "$1: the reproducer replays on the mutant" -- "$mutants" replay "$rep"
      expect 0 "$1: the reproducer is clean on the correct model" -- "$tandem" replay "$rep" --device "$2"
    else
      echo "FAIL: no replay file $rep"; failures=$((failures + 1))
    fi
  }
  finds seldev.trust_select seldev write_error
  finds uart16550.dlab_ignored uart16550 ""
else
  echo "skip: no fuzz binaries (configure with clang and -DTANDEM_FUZZ=ON to run fuzz_<device> here)"
fi

if [ "$failures" -ne 0 ]; then echo "$failures failure(s)"; exit 1; fi
echo "all fuzz/strategy command-line checks passed"
