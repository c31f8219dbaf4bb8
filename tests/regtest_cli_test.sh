#!/usr/bin/env bash
# `tandem regtest` on the command line: exit 0 when every test passes, 1 on a failure (naming
# register, field and side), 2 with one line for bad input; --json shape; and the regression
# flow's map diff (seldev.rdl against seldev_v2.rdl, a moved field: exit 1).
# Usage: regtest_cli_test.sh TANDEM TANDEM_MUTANTS TANDEM_TESTDEVICES SELDEV_RDL SELDEV_V2_RDL
set -u
tandem=$(realpath "$1")
mutants=$(realpath "$2")
testdevices=$(realpath "$3")
old_rdl=$(realpath "$4")
new_rdl=$(realpath "$5")
FIXED=1
source "$(dirname "$0")/cli_lib.sh"

expect 0 "seldev passes" -- "$tandem" regtest --device seldev
contains "$tmp/out" "seldev: regtest passed" "pass line"
contains "$tmp/out" "bit_bash" "per-test lines"
expect 0 "timer --json" -- "$tandem" regtest --device timer --json
contains "$tmp/out" '{"regtest":[{"checks":' "json shape"
contains "$tmp/out" '"passed":true' "json verdict"
expect 0 "one test" -- "$tandem" regtest --device dma --test hw_reset
expect 1 "wrong reset mutant" -- "$mutants" regtest --device seldev.wrong_reset --test hw_reset
contains "$tmp/out" "FAIL [model] hw_reset: IRQ_ENABLE.DONE_IE after reset" "names register, field, side"
contains "$tmp/out" "the model disagrees with the map (the RTL agrees)" "verdict"
expect 1 "W1C-as-RW mutant" -- "$mutants" regtest --device timer.status_rw --json
contains "$tmp/out" '"field":"MATCH"' "names the W1C field"
contains "$tmp/out" '"register":"INT_STATUS"' "names the W1C register"
expect 2 "unknown device" -- "$tandem" regtest --device nosuch
one_line "unknown device"
expect 2 "unknown test" -- "$tandem" regtest --device seldev --test bitbash
one_line "unknown test"
contains "$tmp/err" "unknown register test 'bitbash'" "unknown test named"

expect 0 "policy block passes" -- "$testdevices" regtest --device policyblock
expect 1 "policy block W1C as RW" -- "$testdevices" regtest --device policyblock.w1c_as_rw
contains "$tmp/out" "FAIL [model] rw: W1C.P after write 0xffffffff to W1C" "W1C named"
expect 1 "policy block wrong reset" -- "$testdevices" regtest --device policyblock.wrong_reset
contains "$tmp/out" "FAIL [model] hw_reset: RW.P after reset: map 0x5a, RTL 0x5a, model 0x0" "reset named"

expect 1 "regression flow: regtest names the field the model did not follow" -- "$testdevices" regtest --device seldev_v2
contains "$tmp/out" "FAIL [model] rw: IRQ_ENABLE.ERR_IE" "moved field named"
expect 1 "regression flow: the map diff" -- "$tandem" regmap diff "$old_rdl" "$new_rdl"
contains "$tmp/out" "INCOMPATIBLE  IRQ_ENABLE.ERR_IE  field moved: [8] -> [12]" "moved field named"

if [ "$failures" -ne 0 ]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "all regtest command-line checks passed"
