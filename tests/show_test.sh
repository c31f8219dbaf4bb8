#!/usr/bin/env bash
# --waves, --html and --junit on the command line: the files are written where asked, the
# gtkwave command is printed, plain runs write no waves, unwritable paths are exit 2 with one
# line naming them. When GTKWave's converters are installed, they must read both wave files.
# Usage: show_test.sh TANDEM TANDEM_MUTANTS
set -u
tandem=$(realpath "$1")
mutants=$(realpath "$2")
source "$(dirname "$0")/cli_lib.sh"
cd "$tmp"

exists() {  # exists FILE...
  for f in "$@"; do
    if [ ! -s "$f" ]; then echo "FAIL: $f missing or empty"; failures=$((failures + 1)); fi
  done
}

# run: each shrunk reproducer gets its waves; the HTML and JUnit cover every job.
expect 1 "run --waves --html --junit" -- "$mutants" run --device seldev.trust_select --device seldev \
  --steps 2000 --out rs --waves --html run.html --junit run.xml
w=waves/seldev.trust_select-all-1
exists "$w.fst" "$w.vcd" "$w.gtkw" run.html run.xml
contains "$tmp/out" "gtkwave $w.vcd $w.gtkw" "run prints the gtkwave command"
contains "$w.gtkw" "\[dumpfile\] \".*/$w.vcd\"" "save file loads the view"
contains "$w.vcd" '\$var wire 1 .* diverged \$end' "view has the marker"
contains run.html "seldev.trust_select" "run report names the mutant"
contains run.html 'class="diverging"' "run report highlights the step"
contains run.html "writel 0xc 0x4" "run report shows the minimal program"
contains run.xml '<testsuite name="seldev.trust_select" tests="1" failures="1"' "junit suite of the mutant"
contains run.xml '<testsuite name="seldev" tests="1" failures="0"' "junit suite of the correct device"
contains run.xml "rs/seldev.trust_select-all-1.replay" "junit failure names the replay"
contains run.xml '<testsuites name="tandem-mutants"' "junit named after the program that ran (tandem-mutants)"
if [ "$(head -c 1 "$w.fst" | od -An -tx1 | tr -d ' ')" != "00" ]; then
  echo "FAIL: $w.fst does not start with an FST header block"; failures=$((failures + 1))
fi
for ext in http:// https:// 'src=' '<script'; do lacks run.html "$ext" "run report is self-contained"; done

# replay: --waves DIR, and the --json output stays JSON (notes go to stderr).
expect 1 "replay --waves DIR --html --junit --json" -- "$mutants" replay rs/seldev.trust_select-all-1.replay \
  --waves mywaves --html replay.html --junit replay.xml --json
exists mywaves/seldev.trust_select-all-1.fst mywaves/seldev.trust_select-all-1.vcd \
  mywaves/seldev.trust_select-all-1.gtkw replay.html replay.xml
contains "$tmp/err" "gtkwave mywaves/seldev.trust_select-all-1.vcd" "replay --json prints the command on stderr"
contains replay.xml '<testsuites name="tandem-mutants"' "replay junit named after the program (tandem-mutants)"
contains replay.html "tandem-mutants replay rs/seldev.trust_select-all-1.replay" "replay report titled after the program"
if ! python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/out" 2>/dev/null; then
  command -v python3 >/dev/null && { echo "FAIL: replay --json output is not JSON"; failures=$((failures + 1)); }
fi
expect 0 "replay on the fixed model with --html" -- "$mutants" replay rs/seldev.trust_select-all-1.replay \
  --device seldev --html clean.html --junit clean.xml
contains clean.html "no divergence" "clean report"
contains clean.xml 'failures="0"' "clean junit"
contains clean.xml '<testsuites name="tandem-mutants"' "replay junit named after the program"
expect 0 "tandem replay --junit" -- "$tandem" replay rs/seldev.trust_select-all-1.replay --device seldev --junit plain.xml
contains plain.xml '<testsuites name="tandem"' "junit of tandem named tandem"
lacks plain.xml 'tandem-mutants' "junit of tandem does not say tandem-mutants"

# Plain runs write no waves.
mkdir plain && (cd plain && "$mutants" run --device seldev.trust_select --steps 500 >/dev/null 2>&1)
if [ -e plain/waves ]; then echo "FAIL: a plain run wrote waves"; failures=$((failures + 1)); fi

# Unwritable outputs: exit 2, one line naming the path, before any work.
expect 2 "--html into a missing directory" -- "$mutants" run --device seldev --steps 100 --html no/such/r.html
one_line "--html unwritable"
contains "$tmp/err" "no/such/r.html" "--html unwritable names the path"
expect 2 "--junit into a missing directory" -- "$tandem" replay rs/seldev.trust_select-all-1.replay --device seldev \
  --junit no/such/r.xml
one_line "--junit unwritable"
contains "$tmp/err" "no/such/r.xml" "--junit unwritable names the path"
touch plainfile
expect 2 "--waves through a file" -- "$mutants" replay rs/seldev.trust_select-all-1.replay --waves plainfile/w
one_line "--waves unusable"
contains "$tmp/err" "plainfile/w" "--waves unusable names the path"
expect 2 "--html onto a directory" -- "$mutants" run --device seldev --steps 100 --html rs
one_line "--html directory"

# GTKWave's own readers, when installed: the view converts to FST and the trace back to VCD.
if command -v vcd2fst >/dev/null && command -v fst2vcd >/dev/null; then
  expect 0 "vcd2fst reads the cosim view" -- vcd2fst "$w.vcd" view.fst
  expect 0 "fst2vcd reads the RTL trace" -- fst2vcd "$w.fst"
  contains "$tmp/out" "pclk" "the RTL trace has the clock"
else
  echo "skip: GTKWave's vcd2fst/fst2vcd not installed"
fi

echo "$failures failed"
[ "$failures" -eq 0 ]
