#!/usr/bin/env bash
# Campaigns as teams run them, on the command line: -j N equals -j 1; GNU parallel shards
# merged equal the unsharded run; scheduler index variables pick the shard; SIGINT/SIGTERM
# leave a valid partial report and a checkpoint (exit 130/143); --max-cycles ends a huge
# clock_step at once (exit 2, one line); the progress line shows on a terminal only;
# --version and the bare program.
# Usage: campaign_cli_test.sh TANDEM TANDEM_MUTANTS
set -u
tandem=$(realpath "$1")
mutants=$(realpath "$2")
source "$(dirname "$0")/cli_lib.sh"
cd "$tmp" || exit 1
# This suite may itself run as a task of a scheduler or a parallel CI job: its index must not
# shard the runs below.
unset TANDEM_SHARD TANDEM_SHARD_COUNT JOB_COMPLETION_INDEX SLURM_ARRAY_TASK_ID SGE_TASK_ID \
  AWS_BATCH_JOB_ARRAY_INDEX CI_NODE_INDEX CIRCLE_NODE_INDEX BUILDKITE_PARALLEL_JOB
strip() { sed -E 's/"seconds": [0-9.e+-]+/"seconds": 0/' "$1"; }
same_json() {  # A B DESCRIPTION: equal apart from timing
  if [ "$(strip "$1")" != "$(strip "$2")" ]; then
    echo "FAIL: $3"; diff <(strip "$1") <(strip "$2") | head -6; failures=$((failures + 1))
  else
    echo "ok:   $3"
  fi
}
valid_json() {  # FILE DESCRIPTION
  if ! python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$1" 2>/dev/null; then
    echo "FAIL: $2: not valid JSON"; head -3 "$1"; failures=$((failures + 1))
  fi
}
campaign=(run --seed 1 --seed 2 --steps 2000 --json)

# --- -j N: the same report as one thread, in job order
"$tandem" "${campaign[@]}" -j 1 >j1.json
"$tandem" "${campaign[@]}" -j 2 >j2.json
same_json j1.json j2.json "-j 2 gives the report of -j 1"
# With divergences: the text report (divergences, shrunk replay files, summary) is the same.
no_seconds() { sed -E 's/ [0-9]+\.[0-9]{2}  / -  /' "$1"; }
found=(run --device seldev.irq_late --device seldev --device seldev.trust_select --seed 1 --seed 2 --steps 3000)
"$mutants" "${found[@]}" -j 1 --out found >found1.txt 2>&1
"$mutants" "${found[@]}" -j 2 --out found >found2.txt 2>&1
if [ "$(no_seconds found1.txt)" != "$(no_seconds found2.txt)" ]; then
  echo "FAIL: -j 2 text report with divergences differs"; diff <(no_seconds found1.txt) <(no_seconds found2.txt) | head -6
  failures=$((failures + 1))
else
  echo "ok:   -j 2 text report with divergences and replay files is -j 1's"
fi
contains found2.txt "6 runs, 4 diverged" "the divergences were found"
expect 2 "-j 0" -- "$tandem" run -j 0
one_line "-j 0"

# --- --seconds: a time budget per job; the steps reached are reported
expect 0 "--seconds 0.3" -- "$tandem" run --device seldev --seconds 0.3 --json
if ! python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["runs"][0]; sys.exit(not (r["steps"] > 0 and r["seconds"] >= 0.3))' "$tmp/out"; then
  echo "FAIL: --seconds: no steps reported, or ended before its budget"; failures=$((failures + 1))
fi

# --- GNU parallel: 4 shards, merged, equal the unsharded run
"$tandem" "${campaign[@]}" >whole.json
if ! command -v parallel >/dev/null; then
  echo "FAIL: GNU parallel is not installed (make deps)"; failures=$((failures + 1))
else
  parallel --will-cite -j 4 "$tandem" "${campaign[@]}" --shard {}/4 '>' shard-{}.json ::: 1 2 3 4
  expect 0 "merge the 4 shards" -- "$tandem" merge shard-3.json shard-1.json shard-4.json shard-2.json --json \
    --junit merged.xml
  cp "$tmp/out" merged.json
  same_json whole.json merged.json "merged GNU parallel shards equal the unsharded run"
  contains merged.xml '<testsuites name="tandem"' "merge --junit writes JUnit"
fi
# With --keep-going and waivers, the merged text summary is the unsharded one: each run's
# "DIVERGED N distinct", the waived lines and the unused waivers.
waivers="$(realpath "$(dirname "$0")/../systemc/tests/data/trust_select.waivers.toml")"
kept=(run --device seldev.trust_select --device seldev.irq_late --seed 1 --seed 2 --steps 3000 --keep-going
  --waivers "$waivers")
summary() { grep -E '^(seldev[^ ]* +all |[0-9]+ runs,|waived:|unused waiver)' "$1" | no_seconds /dev/stdin; }
"$mutants" "${kept[@]}" --out kept >kept-whole.txt 2>&1
"$mutants" "${kept[@]}" --shard 1/2 --json >kept-1.json 2>/dev/null
"$mutants" "${kept[@]}" --shard 2/2 --json >kept-2.json 2>/dev/null
"$mutants" merge kept-2.json kept-1.json >kept-merged.txt 2>&1
if [ -z "$(summary kept-whole.txt)" ] || [ "$(summary kept-whole.txt)" != "$(summary kept-merged.txt)" ]; then
  echo "FAIL: merged --keep-going/--waivers summary differs"; diff <(summary kept-whole.txt) <(summary kept-merged.txt) | head -6
  failures=$((failures + 1))
else
  echo "ok:   merged --keep-going/--waivers summary is the unsharded one"
fi
contains kept-merged.txt "DIVERGED 5 distinct" "merge keeps each run's distinct count"
contains kept-merged.txt "^waived: seldev.trust_select all seed 2: .* x write_error at UNIT_SELECT" "merge keeps the waived lines"
expect 2 "merge a shard twice" -- "$tandem" merge shard-1.json shard-1.json
one_line "merge a shard twice"
contains "$tmp/err" "shard-1.json: job 0 is also in shard-1.json" "merge names the repeated job"
printf '{"runs": [\n  {"device": "seldev",,}\n]}\n' >bad.json
expect 2 "merge a damaged report" -- "$tandem" merge bad.json
one_line "merge a damaged report"
contains "$tmp/err" "bad.json:2: not JSON" "merge names file and line"
echo '{"devices": []}' >other.json
expect 2 "merge a report of something else" -- "$tandem" merge other.json
one_line "merge a report of something else"

# Other top-level keys are combined: numbers added, objects merged, lists joined.
printf '{"runs": [{"job": 0, "device": "seldev"}], "coverage": {"bins": 3, "hit": ["a"]}}\n' >cov1.json
printf '{"runs": [{"job": 1, "device": "seldev"}], "coverage": {"bins": 4, "hit": ["a", "b"]}}\n' >cov2.json
expect 0 "merge reports with coverage" -- "$tandem" merge cov1.json cov2.json --json
if ! python3 -c 'import json,sys; c=json.load(open(sys.argv[1]))["coverage"]; sys.exit(c != {"bins": 7, "hit": ["a", "b"]})' \
  "$tmp/out"; then
  echo "FAIL: coverage not combined"; head -12 "$tmp/out"; failures=$((failures + 1))
fi
printf '{"runs": [], "build": "x"}\n' >b1.json
printf '{"runs": [], "build": "y"}\n' >b2.json
expect 2 "merge reports that disagree" -- "$tandem" merge b1.json b2.json
one_line "merge reports that disagree"
contains "$tmp/err" 'b2.json: "build" differs' "the disagreement names file and key"

# --- scheduler index variables
"$tandem" "${campaign[@]}" --shard 3/4 >shard3.json
JOB_COMPLETION_INDEX=2 TANDEM_SHARD_COUNT=4 "$tandem" "${campaign[@]}" >k8s.json 2>k8s.err
contains k8s.err "^shard 3/4 (from JOB_COMPLETION_INDEX)$" "the shard taken from the environment is said on stderr"
same_json shard3.json k8s.json "JOB_COMPLETION_INDEX=2 with 4 shards is --shard 3/4"
JOB_COMPLETION_INDEX=2 "$tandem" "${campaign[@]}" --shard-count 4 >k8s2.json 2>/dev/null
same_json shard3.json k8s2.json "JOB_COMPLETION_INDEX=2 --shard-count 4 is --shard 3/4"
SLURM_ARRAY_TASK_ID=7 SLURM_ARRAY_TASK_MIN=5 SLURM_ARRAY_TASK_COUNT=4 "$tandem" "${campaign[@]}" >slurm.json 2>/dev/null
same_json shard3.json slurm.json "SLURM_ARRAY_TASK_ID=7 of 5..8 is --shard 3/4"
SLURM_ARRAY_TASK_ID=7 "$tandem" "${campaign[@]}" --shard 1/1 >all-again.json
same_json whole.json all-again.json "--shard given wins over the environment"
CI_NODE_INDEX=3 CI_NODE_TOTAL=4 "$tandem" "${campaign[@]}" >gitlab.json 2>/dev/null
same_json shard3.json gitlab.json "GitLab's CI_NODE_INDEX=3 of CI_NODE_TOTAL=4 is --shard 3/4"
expect 2 "an index without a count" -- env JOB_COMPLETION_INDEX=1 "$tandem" run --steps 10
one_line "an index without a count"
contains "$tmp/err" "JOB_COMPLETION_INDEX=1 is set but not how many shards" "index without count message"
expect 2 "an index beyond the count" -- env JOB_COMPLETION_INDEX=4 TANDEM_SHARD_COUNT=4 "$tandem" run --steps 10
one_line "an index beyond the count"

# --- SIGINT / SIGTERM: a partial report, a checkpoint, 130 / 143
timeout --preserve-status -s INT 1 "$tandem" run --device seldev --steps 1000000000 --checkpoint int.ckpt \
  --json --junit int.xml --html int.html >int.json 2>int.err
status=$?
if [ "$status" -ne 130 ]; then echo "FAIL: SIGINT: exit $status, wanted 130"; failures=$((failures + 1)); fi
valid_json int.json "SIGINT partial report"
contains int.json '"interrupted": true' "SIGINT report marked interrupted"
contains int.err "interrupted by SIGINT" "SIGINT said on stderr"
contains int.xml "interrupted: a partial run" "SIGINT JUnit marks the run"
contains int.html "interrupted" "SIGINT HTML marks the run"
reached=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["runs"][0]["steps"])' int.json 2>/dev/null)
expect 0 "resume the SIGINT checkpoint" -- "$tandem" run --resume int.ckpt --steps $((reached + 500)) --json
if ! grep -q "\"steps\": $((reached + 500))" "$tmp/out"; then
  echo "FAIL: the checkpoint does not stand where the partial report ended (step $reached)"; failures=$((failures + 1))
fi
timeout --preserve-status -s TERM 1 "$tandem" run --seed 1 --seed 2 --seed 3 --steps 1000000000 -j 2 --json \
  >term.json 2>/dev/null
status=$?
if [ "$status" -ne 143 ]; then echo "FAIL: SIGTERM: exit $status, wanted 143"; failures=$((failures + 1)); fi
valid_json term.json "SIGTERM partial report"
contains term.json '"interrupted": true' "SIGTERM report marked interrupted"

# --- a checkpoint of a run shorter than --checkpoint-every is left at its end
expect 0 "short run with --checkpoint" -- "$tandem" run --device seldev --steps 300 --checkpoint short.ckpt
"$tandem" run --device seldev --steps 900 --json >whole900.json
"$tandem" run --resume short.ckpt --steps 900 --json >resumed900.json
same_json whole900.json resumed900.json "the end checkpoint of a short run resumes to the uninterrupted run"

# --- --max-cycles
printf '# tandem replay v1 device=seldev\nwritel 0xc 0x1\nclock_step 1000000000000\nreadl 0x0\n' >huge.replay
start=$(date +%s%N)
expect 2 "replay of clock_step 10^12" -- "$tandem" replay huge.replay
ms=$((($(date +%s%N) - start) / 1000000))
one_line "replay of clock_step 10^12"
contains "$tmp/err" "huge.replay:3: clock_step 1000000000000: .* over the budget of 1000000000 (--max-cycles)" \
  "the message names file, line and budget"
if [ "$ms" -ge 1000 ]; then echo "FAIL: the refused replay took $ms ms"; failures=$((failures + 1)); fi
expect 2 "shrink of clock_step 10^12" -- "$tandem" shrink huge.replay
one_line "shrink of clock_step 10^12"
printf '# tandem replay v1 device=seldev\nwritel 0xc 0x1\nclock_step 5000\nreadl 0x0\n' >small.replay
expect 0 "replay within --max-cycles" -- "$tandem" replay small.replay --max-cycles 6000
expect 2 "replay over --max-cycles" -- "$tandem" replay small.replay --max-cycles 4000
contains "$tmp/err" "small.replay:3:" "over budget names the line"
expect 2 "a run over --max-cycles" -- "$tandem" run --device timer --steps 20000 --max-cycles 5000
one_line "a run over --max-cycles"
contains "$tmp/err" "timer strategy all seed 1: step " "run over budget names the job"

# --- the progress line: on a terminal, not in a pipe, not with --quiet
script -qec "$tandem run --device uart16550 --seconds 1" /dev/null >pty.txt  # long enough for a 250 ms tick
if ! grep -q $'\r''run: [0-9]*/1 jobs, .* steps/s, 0 divergences' pty.txt; then
  echo "FAIL: no progress line on a terminal"; head -c 300 pty.txt | cat -A; failures=$((failures + 1))
else
  echo "ok:   progress line on a terminal"
fi
script -qec "$tandem run --device uart16550 --seconds 1 --quiet" /dev/null >pty-quiet.txt
lacks pty-quiet.txt "steps/s" "--quiet: no progress line"
"$tandem" run --device uart16550 --steps 60000 2>pipe.err | cat >/dev/null
if [ -s pipe.err ]; then echo "FAIL: progress written into a pipe"; failures=$((failures + 1)); fi

# --- --version and the bare program
expect 0 "--version" -- "$tandem" --version
contains "$tmp/out" "^tandem [0-9]" "--version: the version"
contains "$tmp/out" "^Verilator [0-9]" "--version: Verilator's"
contains "$tmp/out" "^seldev  *[0-9a-f]\{16\}" "--version: a device's build id"
expect 0 "no subcommand prints the help" -- "$tandem"
contains "$tmp/out" "merge" "the help lists merge"

echo "$failures failed"
[ "$failures" -eq 0 ]
