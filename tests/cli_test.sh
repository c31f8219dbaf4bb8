#!/usr/bin/env bash
# The command-line contract: exit statuses (0 clean, 1 divergence, 2 bad usage or input),
# one-line error messages, JSON shape, and the live mutants demonstration.
# Usage: cli_test.sh TANDEM TANDEM_MUTANTS
set -u
tandem=$(realpath "$1")
mutants=$(realpath "$2")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
failures=0

# expect STATUS DESCRIPTION -- COMMAND...: run, keep stdout/stderr in $tmp/out and $tmp/err.
expect() {
  local want=$1 what=$2
  shift 3
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" -ne "$want" ]; then
    echo "FAIL: $what: exit $got, wanted $want"; sed 's/^/  | /' "$tmp/err" | head -5
    failures=$((failures + 1))
  else
    echo "ok:   $what"
  fi
}
# one_line DESCRIPTION: the error output is exactly one line.
one_line() {
  local n
  n=$(wc -l <"$tmp/err")
  if [ "$n" -ne 1 ]; then echo "FAIL: $1: $n lines on stderr"; failures=$((failures + 1)); fi
}
contains() {  # contains FILE TEXT DESCRIPTION
  if ! grep -q -- "$2" "$1"; then echo "FAIL: $3: '$2' not in output"; failures=$((failures + 1)); fi
}

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

expect 2 "unknown device" -- "$tandem" run --device nosuch
one_line "unknown device"
contains "$tmp/err" "unknown device 'nosuch'" "unknown device message"
expect 2 "unknown strategy" -- "$tandem" run --strategy nosuch
one_line "unknown strategy"
expect 2 "bad option" -- "$tandem" run --no-such-option
one_line "bad option"
expect 2 "no subcommand" -- "$tandem"
one_line "no subcommand"
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
