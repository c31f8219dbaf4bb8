#!/usr/bin/env bash
# Waivers and --keep-going on the command line, on the vendor-variant timer (tests/rtl/timer_vendor.sv):
# its known differences in one keep-going run, none with its waiver file (exit 0), a model bug
# still found with the waivers on, `tandem waive`, and every bad waiver file an exit 2 in one
# line naming file and line.
# Usage: waiver_cli_test.sh TANDEM_TESTDEVICES VENDOR_WAIVERS
set -u
tandem=$(realpath "$1")
vendor_waivers=$(realpath "$2")
source "$(dirname "$0")/cli_lib.sh"
cd "$tmp"

expect 1 "vendor timer: a plain run stops at the first difference" -- "$tandem" run --device timer_vendor --steps 3000
contains "$tmp/out" "DIVERGED read_data at step 12 (ID)" "first difference is the ID revision byte"

expect 1 "vendor timer --keep-going" -- "$tandem" run --device timer_vendor --keep-going --json
distinct=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["runs"][0]
print(" ".join("%s:%s:%s:%s" % (d["kind"], d["register"], d["field"], d["bits"]) for d in r["distinct"]))' "$tmp/out")
if [ "$distinct" != "read_data:ID:None:512 read_data:INT_ENABLE:IE:None irq:irq:None:None read_data:INT_STATUS:MATCH:None" ]; then
  echo "FAIL: keep-going distinct set: $distinct"; failures=$((failures + 1))
else
  echo "ok:   keep-going finds exactly the four known differences"
fi
for n in 1 2 3 4; do
  [ -f "tandem-out/timer_vendor-all-1-$n.replay" ] || { echo "FAIL: no replay file #$n"; failures=$((failures + 1)); }
done
expect 1 "keep-going text lists the distinct divergences" -- "$tandem" run --device timer_vendor --keep-going
contains "$tmp/out" "DIVERGED 4 distinct" "summary row"
contains "$tmp/out" "4 distinct differences (by register and field)" "triage header"
contains "$tmp/out" "timer_vendor INT_ENABLE.IE (read_data, [0-9]* times in 1 run): INT_ENABLE.IE: RTL 0x0, model 0x4, after 5 idle edges" "triage line decodes the field"

expect 0 "vendor timer with its waiver file" -- "$tandem" run --device timer_vendor --waivers "$vendor_waivers"
contains "$tmp/out" "1 runs, 0 diverged" "nothing diverged"
contains "$tmp/out" "waived: timer_vendor all seed 1: .* x read_data at INT_ENABLE" "waived divergences listed"
expect 0 "waived divergences in the HTML and JUnit reports" -- "$tandem" run --device timer_vendor \
  --waivers "$vendor_waivers" --html r.html --junit r.xml
contains r.html "<h3>Waived (known differences)</h3>" "HTML waived table"
contains r.xml '<skipped message="[0-9]* divergences waived by .*timer_vendor.waivers.toml:[0-9]*: INT_ENABLE read-back' \
  "JUnit skipped case"
expect 1 "keep-going HTML shows the triage and every distinct divergence" -- "$tandem" run --device timer_vendor \
  --keep-going --html k.html
contains k.html "<h3>4 distinct differences</h3>" "HTML triage table"
n=$(grep -c '<section class="case">' k.html)
[ "$n" -eq 4 ] || { echo "FAIL: $n divergence sections in k.html, wanted 4"; failures=$((failures + 1)); }
expect 1 "regtest --waivers --json" -- "$tandem" regtest --device timer_vendor --test rw --waivers "$vendor_waivers" --json
contains "$tmp/out" '"waived":\[' "regtest JSON waived key"
contains "$tmp/out" '"unused_waivers":\[' "regtest JSON unused_waivers key"
expect 0 "vendor timer --keep-going with its waiver file" -- "$tandem" run --device timer_vendor --keep-going \
  --waivers "$vendor_waivers" --json
contains "$tmp/out" '"distinct": \[\]' "no distinct divergence"
contains "$tmp/out" '"waived": \[' "JSON waived key"
contains "$tmp/out" '"unused_waivers": \[\]' "every waiver used"
expect 1 "a model bug over the vendor RTL is found with the waivers on" -- "$tandem" run \
  --device timer_vendor.prescale_late --waivers "$vendor_waivers"
contains "$tmp/out" "DIVERGED read_data at step [0-9]* (T0_COUNT)" "the mutant's divergence"

expect 0 "replay --waivers" -- "$tandem" replay tandem-out/timer_vendor-all-1-2.replay --waivers "$vendor_waivers"
contains "$tmp/out" "no divergence" "the replay is waived"
expect 1 "replay without waivers" -- "$tandem" replay tandem-out/timer_vendor-all-1-2.replay

expect 1 "waive prints a stub" -- "$tandem" waive tandem-out/timer_vendor-all-1-2.replay --reason "no read-back"
contains "$tmp/out" 'register = "INT_ENABLE"' "stub names the register"
contains "$tmp/out" 'field = "IE"' "stub names the field"
cp "$tmp/out" stub.toml
expect 0 "the stub waives its own divergence" -- "$tandem" replay tandem-out/timer_vendor-all-1-2.replay --waivers stub.toml
expect 0 "waive on a replay that does not diverge" -- "$tandem" waive tandem-out/timer_vendor-all-1-2.replay \
  --waivers "$vendor_waivers"
expect 2 "waive --expires not a date" -- "$tandem" waive tandem-out/timer_vendor-all-1-2.replay --expires tomorrow
one_line "waive --expires not a date"

expect 1 "regtest --waivers counts the read-back difference" -- "$tandem" regtest --device timer_vendor --test rw \
  --waivers "$vendor_waivers"
contains "$tmp/out" "waived: timer_vendor regtest" "regtest lists waived divergences"

# Bad waiver files: exit 2, one line, FILE:LINE.
bad() {  # bad DESCRIPTION EXPECTED-TEXT  (file content on stdin)
  cat >bad.toml
  expect 2 "$1" -- "$tandem" run --device timer_vendor --steps 100 --waivers bad.toml
  one_line "$1"
  contains "$tmp/err" "$2" "$1 message"
}
printf '[[waiver]]\ndevice = "timer_vendor\n' | bad "TOML syntax error" "bad.toml:2: "
printf '[[waiver]]\ndevice = "timer_vendor"\nkind = "irq"\n' | bad "no reason" 'bad.toml:1: waiver without `reason`'
printf '[[waiver]]\ndevice = "timer_vendor"\nkind = "irq"\nreason = "r"\nexpires = 2020-01-01\n' |
  bad "expired waiver" "bad.toml:5: waiver expired on 2020-01-01"
printf '\n[[waiver]]\ndevice = "nosuch"\nkind = "irq"\nreason = "r"\n' | bad "unknown device" "bad.toml:2: unknown device 'nosuch'"
printf '[[waiver]]\ndevice = "timer_vendor"\nkind = "read_data"\nregister = "NOPE"\nreason = "r"\n' |
  bad "unknown register" "bad.toml:1: device 'timer_vendor' has no register 'NOPE'"
expect 2 "missing waiver file" -- "$tandem" run --device timer_vendor --waivers nosuch.toml
one_line "missing waiver file"
contains "$tmp/err" "nosuch.toml: cannot read" "missing waiver file message"
expect 2 "--keep-going with --checkpoint" -- "$tandem" run --device timer_vendor --keep-going --checkpoint c.ckpt
one_line "--keep-going with --checkpoint"

[ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "all passed"
