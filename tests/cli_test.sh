#!/usr/bin/env bash
# The command-line contract: exit statuses (0 clean, 1 divergence, 2 bad usage or input),
# one-line error messages, JSON shape, and the live mutants demonstration.
# Usage: cli_test.sh TANDEM TANDEM_MUTANTS
set -u
tandem=$(realpath "$1")
mutants=$(realpath "$2")
source "$(dirname "$0")/cli_lib.sh"
cd "$tmp"

expect 0 "list" -- "$tandem" list
contains "$tmp/out" "seldev" "list names seldev"
expect 0 "list --json" -- "$tandem" list --json
contains "$tmp/out" '"devices"' "list --json shape"
contains "$tmp/out" '"registers"' "list --json registers"

expect 0 "run one device, clean" -- "$tandem" run --device seldev --steps 5000
contains "$tmp/out" "1 runs, 0 diverged" "summary line"
expect 0 "run --json" -- "$tandem" run --device seldev --steps 2000 --json
for key in '"runs"' '"device"' '"strategy"' '"seed"' '"steps"' '"cycles"' '"compared"' '"irq_checks"' \
           '"dma_accesses"' '"seconds"' '"divergence": null'; do
  contains "$tmp/out" "$key" "run --json has $key"
done
expect 0 "run --shard 1/2" -- "$tandem" run --seed 1 --seed 2 --shard 1/2 --steps 1000

# bench: the JSON contract (rows of every mode, the paired ratios), no timing asserted.
expect 0 "bench --json" -- "$tandem" bench --device seldev --steps 2000 --trials 2 --min-seconds 0 --json
for key in '"bench"' '"mode": "model"' '"mode": "rtl"' '"mode": "lockstep"' '"steps_per_s"' '"cycles_per_s"' \
           '"ratios"' '"model_over_rtl"' '"lockstep_over_rtl"' '"turns": 2'; do
  contains "$tmp/out" "$key" "bench --json has $key"
done
expect 0 "bench text" -- "$tandem" bench --device seldev --program registers --steps 2000 --trials 1 --min-seconds 0
contains "$tmp/out" "seldev registers: model" "bench prints the ratio line"
# --min-seconds 0: each mode runs the program exactly once (the callgrind method in
# docs/measurements.md takes the difference of two such runs).
if python3 - "$tmp/out" <<'PY'; then
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.startswith("seldev ")]
steps = {r[2]: int(r[3]) for r in rows if len(r) > 3 and r[1] == "registers"}
sys.exit(steps != {"model": 2000, "rtl": 2000, "lockstep": 2000})
PY
  echo "ok:   bench --min-seconds 0 runs each mode once"
else
  echo "FAIL: bench --min-seconds 0 runs each mode once"; failures=$((failures + 1))
fi
# The floor: the model alone with a model that does nothing, only when named.
expect 0 "bench --mode floor" -- "$tandem" bench --device dma --program registers --mode rtl --mode floor --steps 2000 \
  --trials 1 --min-seconds 0 --json
for key in '"mode": "floor"' '"mode": "rtl"' '"floor_over_rtl"'; do
  contains "$tmp/out" "$key" "bench --mode floor --json has $key"
done
lacks "$tmp/out" '"mode": "model"' "bench --mode floor runs only the modes named"
lacks "$tmp/out" '"lockstep_over_rtl"' "bench --mode floor gives no lockstep ratio without lockstep"
expect 0 "bench default modes" -- "$tandem" bench --device seldev --program registers --steps 2000 --trials 1 \
  --min-seconds 0 --json
lacks "$tmp/out" '"mode": "floor"' "bench runs the floor only when named"
for bad in nan inf -1 1e9 x; do
  expect 2 "bench --min-seconds $bad" -- "$tandem" bench --device seldev --min-seconds "$bad"
  one_line "bench --min-seconds $bad"
done
expect 2 "bench --trials 0" -- "$tandem" bench --device seldev --trials 0
one_line "bench --trials 0"
expect 2 "bench unknown device" -- "$tandem" bench --device nosuch
one_line "bench unknown device"

expect 2 "unknown device" -- "$tandem" run --device nosuch
one_line "unknown device"
contains "$tmp/err" "unknown device 'nosuch'" "unknown device message"
expect 2 "unknown strategy" -- "$tandem" run --strategy nosuch
one_line "unknown strategy"
expect 2 "bad option" -- "$tandem" run --no-such-option
one_line "bad option"
expect 0 "no subcommand prints the help" -- "$tandem"
contains "$tmp/out" "Subcommands:" "no subcommand: the help lists the subcommands"
expect 2 "zero steps" -- "$tandem" run --steps 0
one_line "zero steps"
expect 2 "steps not a number" -- "$tandem" run --steps many
one_line "steps not a number"
expect 2 "bad shard" -- "$tandem" run --shard 3/2
one_line "bad shard"
contains "$tmp/err" "--shard" "bad shard message"

expect 1 "tandem-mutants run: every mutant diverges" -- "$mutants" run
for m in seldev.trust_select seldev.start_without_enable seldev.wrong_reset seldev.irq_late; do
  if ! grep -E "^$m +.*DIVERGED" "$tmp/out" >/dev/null; then
    echo "FAIL: $m not caught"; failures=$((failures + 1))
  fi
done
if ! grep -E "^seldev +all +.* ok$" "$tmp/out" >/dev/null; then
  echo "FAIL: correct seldev not clean under tandem-mutants"; failures=$((failures + 1))
fi
expect 1 "tandem-mutants run --json" -- "$mutants" run --device seldev.trust_select --json
contains "$tmp/out" '"kind": "write_error"' "mutant JSON kind"
contains "$tmp/out" '"register": "UNIT_SELECT"' "mutant JSON register"

echo "$failures failed"
[ "$failures" -eq 0 ]

# --- replay/shrink ---
# Every divergence of `run` is shrunk into a replay file; `replay` reproduces it exactly,
# `shrink` shrinks an existing one, `--emit-test` writes a Catch2 regression test.
rs_steps() { grep -cvE '^[[:space:]]*(#|$)' "$1"; }  # step lines of a replay file

expect 1 "run writes the shrunk replay file of a divergence" -- "$mutants" run --device seldev.trust_select --out rs
trust="rs/seldev.trust_select-all-1.replay"
contains "$tmp/out" "replay: $trust" "run report names the replay file"
if [ ! -f "$trust" ]; then echo "FAIL: $trust not written"; failures=$((failures + 1)); fi
contains "$trust" "^# tandem replay v1 device=seldev.trust_select$" "replay header"
contains "$trust" "^writel 0xc 0x4$" "trust_select shrinks to the bad select"
expect 1 "run --json carries the replay path" -- "$mutants" run --device seldev.trust_select --out rs-json --json
contains "$tmp/out" "\"replay\": \"rs-json/seldev.trust_select-all-1.replay\"" "run --json replay field"

# Every mutant of the default campaign above (tandem-out/): at most 10 steps, reproduced
# exactly, clean on the correct model. (fifo_depth_15, on uart16550 on any bus, is the exception: telling a
# 15-deep FIFO from a 16-deep one takes 17 back-to-back THR writes, so its 1-minimal
# reproducer has 23 steps.)
n_replays=0
for f in tandem-out/*.replay; do
  [ -f "$f" ] || continue
  n_replays=$((n_replays + 1))
  dev=$(sed -n 's/^# tandem replay v1 device=//p' "$f")
  n=$(rs_steps "$f")
  echo "      $dev: $n steps"
  if [ "$n" -gt 10 ] && [ "${dev#*.}" != fifo_depth_15 ]; then
    echo "FAIL: $f has $n steps"; failures=$((failures + 1))
  fi
  expect 1 "replay $dev reproduces its divergence" -- "$mutants" replay "$f"
  contains "$tmp/out" "^$dev: " "replay $dev report"
  expect 0 "replay $dev on ${dev%%.*} runs clean" -- "$mutants" replay "$f" --device "${dev%%.*}"
  contains "$tmp/out" "no divergence in $n step" "replay $dev on ${dev%%.*} message"
done
if [ "$n_replays" -lt 4 ]; then echo "FAIL: tandem-mutants run wrote $n_replays replay files"; failures=$((failures + 1)); fi

expect 1 "replay --json" -- "$mutants" replay "$trust" --json
contains "$tmp/out" '"kind": "write_error"' "replay --json kind"
contains "$tmp/out" "\"replay\": \"$trust\"" "replay --json replay field"
contains "$tmp/out" '"strategy": "replay"' "replay --json strategy"
expect 1 "replay --emit-test" -- "$mutants" replay "$trust" --emit-test emitted_test.cpp
contains emitted_test.cpp "TEST_CASE(" "emitted test has a test case"
contains emitted_test.cpp "tandem::Step::write(0xc, 0x4, 4)" "emitted test embeds the program"
contains emitted_test.cpp 'TANDEM_REGRESSION_DEVICE "seldev.trust_select"' "emitted test names the device"

expect 2 "replay of a mutant's file where the mutant is unknown" -- "$tandem" replay "$trust"
one_line "replay unknown device"
contains "$tmp/err" "$trust:1: unknown device 'seldev.trust_select'" "replay unknown device message"
printf '# tandem replay v1 device=seldev\nreadl 0x8\nwritel 0x4\n' >bad.replay
expect 2 "replay of a malformed file" -- "$tandem" replay bad.replay
one_line "replay malformed"
contains "$tmp/err" "bad.replay:3: writel: missing VALUE" "replay malformed message"
printf 'readl 0x8\n' >nohdr.replay
expect 2 "replay without header or --device" -- "$tandem" replay nohdr.replay
one_line "replay no device"
contains "$tmp/err" "nohdr.replay:1: no device" "replay no device message"
expect 0 "replay without header, with --device" -- "$tandem" replay nohdr.replay --device seldev
expect 2 "replay of a missing file" -- "$tandem" replay no-such.replay
one_line "replay missing file"
contains "$tmp/err" "no-such.replay: cannot read" "replay missing file message"
printf '# tandem replay v1 device=seldev\n' >empty.replay
expect 2 "replay of a file without steps" -- "$tandem" replay empty.replay
one_line "replay no steps"
printf '# tandem replay v1 device=seldev\nreadl 0x8\nwritel 0x100000 0x1\n' >window.replay
expect 2 "replay of a step beyond the address window" -- "$tandem" replay window.replay
one_line "replay beyond the window"
contains "$tmp/err" "window.replay:3: writel 0x100000 0x1: beyond the address window" "replay beyond the window message"

{
  echo "# tandem replay v1 device=seldev.trust_select"
  for i in $(seq 1 40); do echo "readl 0x8"; echo "clock_step $i"; echo "writel 0x20 0x$i"; done
  echo "writel 0xc 0x7d"
  echo "readl 0x0"
} >long.replay
expect 1 "shrink a long replay file" -- "$mutants" shrink long.replay
contains "$tmp/out" "shrunk 122 -> 1 step in" "shrink summary"
contains long.shrunk.replay "^writel 0xc 0x4$" "shrunk file content"
if [ "$(rs_steps long.shrunk.replay)" -ne 1 ]; then echo "FAIL: long.shrunk.replay not 1 step"; failures=$((failures + 1)); fi
expect 1 "shrink --out" -- "$mutants" shrink long.replay --out mine.replay
expect 1 "the shrunk file replays" -- "$mutants" replay mine.replay
expect 0 "shrink of a file that does not diverge" -- "$mutants" shrink long.replay --device seldev
contains "$tmp/out" "nothing to shrink" "shrink clean message"
expect 2 "shrink to an unwritable path" -- "$mutants" shrink long.replay --out no/such/dir/x.replay
one_line "shrink unwritable"
contains "$tmp/err" "no/such/dir/x.replay: cannot write" "shrink unwritable message"
touch plainfile
expect 2 "run --out through a file" -- "$mutants" run --device seldev.trust_select --out plainfile/sub
one_line "run --out unusable"

echo "$failures failed (after replay/shrink)"
[ "$failures" -eq 0 ]
