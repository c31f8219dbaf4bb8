#!/usr/bin/env bash
# tandem snapshot attack and the restore attacks of the default campaign on the command line:
# exit 1 naming the device and field for a model whose restore accepts what its reference
# refuses, exit 0 on a correct device, exit 2 for an unknown device, and the JSON keys.
# Usage: attack_cli_test.sh TANDEM TANDEM_MUTANTS
set -u
tandem=$(realpath "$1")
mutants=$(realpath "$2")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
expect() {  # DESCRIPTION STATUS PATTERN -- COMMAND...
  local what=$1 status=$2 pattern=$3
  shift 4
  "$@" >out 2>err
  local got=$?
  if [ "$got" -ne "$status" ] || ! grep -q -- "$pattern" out err; then
    fail "$what: exit $got"; sed 's/^/  | /' out err | head -4
  else
    echo "ok:   $what: $(grep -h -- "$pattern" out err | head -1 | cut -c1-120)"
  fi
}

expect "a restore mutant is caught naming the field" 1 \
  "restore attack seldev.restore_trusts_select: DIVERGENCE in field unit_select" -- \
  "$mutants" snapshot attack --device seldev.restore_trusts_select
expect "the uart16550 restore mutant names its FIFO" 1 \
  "restore attack uart16550.restore_trusts_fifo_count: DIVERGENCE in field [rt]x fifo" -- \
  "$mutants" snapshot attack --device uart16550.restore_trusts_fifo_count --seed 3
expect "a correct device is clean" 0 "restore attack dma: clean (4 saved states" -- \
  "$tandem" snapshot attack --device dma
expect "an unknown device is bad usage" 2 "unknown device 'nosuch'" -- \
  "$tandem" snapshot attack --device nosuch
if [ "$(wc -l <err)" -ne 1 ]; then fail "unknown device: not one line"; fi
expect "the JSON names field and mutation" 1 '"register": "phase"' -- \
  "$mutants" snapshot attack --device dma.restore_unknown_phase --json
grep -q '"mutation": "' out || fail "attack JSON lacks mutation"
grep -q '"reference": "dma"' out || fail "attack JSON lacks the reference"

# The default campaign attacks every device: the correct ones stay clean...
expect "default campaign attacks each device" 0 "restore attack uart16550_w32: clean" -- \
  "$tandem" run -q --steps 200
[ "$(grep -c '^restore attack .*: clean' out)" -eq "$("$tandem" list | wc -l)" ] ||
  fail "not one clean attack line per device"
"$tandem" run -q --steps 200 --json >run.json || fail "default campaign JSON: exit $?"
python3 -c 'import json,sys; r=json.load(open("run.json")); a=r["restore_attacks"]; assert len(a)==len(r["runs"]) and all(x["divergence"] is None for x in a), a' ||
  fail "restore_attacks key"
# ...a run of named devices does not attack (it is not the default campaign): the key is empty
"$tandem" run -q --device seldev --steps 200 --json >one.json
python3 -c 'import json; assert json.load(open("one.json"))["restore_attacks"] == []' ||
  fail "a named-device run attacks restore"
# ...and the mutants' default campaign reports every restore mutant.
"$mutants" run -q --steps 200 >mut.txt
[ $? -eq 1 ] || fail "tandem-mutants run: not exit 1"
for m in seldev.restore_trusts_select dma.restore_unknown_phase uart16550.restore_trusts_fifo_count; do
  grep -q "^restore attack $m: DIVERGENCE in field" mut.txt && echo "ok:   tandem-mutants run catches $m" ||
    fail "tandem-mutants run misses $m"
done

[ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
