#!/usr/bin/env bash
# Register-map coverage on the command line: `run --coverage FILE` writes the JSON and the
# summary shows it; the run's report and replay files are the same with and without it;
# `tandem merge` and `tandem coverage merge` add shards up; bad paths and files are exit 2,
# one line naming the file.
# Usage: coverage_cli_test.sh TANDEM TANDEM_MUTANTS
set -u
tandem=$(realpath "$1")
mutants=$(realpath "$2")
source "$(dirname "$0")/cli_lib.sh"
cd "$tmp" || exit 1
unset TANDEM_SHARD TANDEM_SHARD_COUNT JOB_COMPLETION_INDEX SLURM_ARRAY_TASK_ID SGE_TASK_ID \
  AWS_BATCH_JOB_ARRAY_INDEX CI_NODE_INDEX CIRCLE_NODE_INDEX BUILDKITE_PARALLEL_JOB
strip() { sed -E 's/"seconds": [0-9.e+-]+/"seconds": 0/' "$1"; }
field() {  # FILE PYTHON-EXPRESSION-OVER-j: print it
  python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}
check_eq() {  # GOT WANT DESCRIPTION
  if [ "$1" != "$2" ]; then echo "FAIL: $3: got '$1', wanted '$2'"; failures=$((failures + 1)); else echo "ok:   $3"; fi
}

expect 0 "run --coverage writes the file" -- "$tandem" run -d seldev -d timer --steps 1500 --coverage cov.json -q
contains "$tmp/out" "coverage (register map" "the text summary has the coverage section"
contains "$tmp/out" "never:" "the summary names bins never hit"
check_eq "$(field cov.json '[d["device"] for d in j["coverage"]]')" "['seldev', 'timer']" "one entry per device"
check_eq "$(field cov.json 'j["coverage"][0]["steps"]')" "1500" "steps observed"
check_eq "$(field cov.json 'sum(1 for g in j["coverage"][0]["groups"] for b in g["bins"] if b["hits"]>0) == j["coverage"][0]["bins_hit"]')" \
  "True" "bins_hit counts the bins with hits"

# The run's own results do not change: the same JSON (apart from timing) and the same replay file.
expect 1 "a mutant without coverage" -- "$mutants" run -d seldev.trust_select --steps 3000 --json --out plain
strip "$tmp/out" >plain.json
expect 1 "the mutant with coverage" -- "$mutants" run -d seldev.trust_select --steps 3000 --json --out covered \
  --coverage mut.json
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); del j["coverage"]; print(json.dumps(j, indent=2))' \
  "$tmp/out" | sed -E 's/"seconds": [0-9.e+-]+/"seconds": 0/; s#covered/#plain/#' >covered.json
python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1])), indent=2))' plain.json >plain2.json
if cmp -s plain2.json covered.json; then echo "ok:   same report with --coverage"; else
  echo "FAIL: the report differs with --coverage"; diff plain2.json covered.json | head; failures=$((failures + 1)); fi
if cmp -s plain/*.replay covered/*.replay; then echo "ok:   same replay file with --coverage"; else
  echo "FAIL: the replay file differs with --coverage"; failures=$((failures + 1)); fi
check_eq "$(field "$tmp/out" '"coverage" in j')" "True" "--json carries \"coverage\""

# Shards: coverage merge adds them up; tandem merge of the JSON reports does the same.
expect 0 "shard 1/2" -- "$tandem" run -d seldev --seed 1 --seed 2 --steps 800 --shard 1/2 --coverage s1.json --json
cp "$tmp/out" r1.json
expect 0 "shard 2/2" -- "$tandem" run -d seldev --seed 1 --seed 2 --steps 800 --shard 2/2 --coverage s2.json --json
cp "$tmp/out" r2.json
expect 0 "coverage merge" -- "$tandem" coverage merge s1.json s2.json -o all.json
contains "$tmp/out" "seldev:" "the merge prints the summary"
check_eq "$(field all.json 'j["coverage"][0]["steps"]')" "1600" "merged steps add up"
check_eq "$(field all.json 'j["coverage"][0]["runs"]')" "2" "merged runs add up"
expect 0 "the unsharded campaign" -- "$tandem" run -d seldev --seed 1 --seed 2 --steps 800 --coverage whole.json -q
check_eq "$(field all.json 'j["coverage"]')" "$(field whole.json 'j["coverage"]')" "shards merged equal the whole"
expect 0 "tandem merge of reports with coverage" -- "$tandem" merge r1.json r2.json --json
check_eq "$(field "$tmp/out" 'j["coverage"]')" "$(field whole.json 'j["coverage"]')" "tandem merge adds coverage up"

expect 0 "run --coverage --html" -- "$tandem" run -d timer --steps 300 --coverage h.json --html h.html -q
contains h.html '<section class="coverage">' "the HTML report has the coverage section"
contains h.html '<tr><td>T0_CTRL</td>' "the HTML report shows coverage per register"

# fuzz --coverage replays the corpus and seed inputs (here a fuzzer that adds nothing: the seeds).
expect 0 "fuzz --coverage" -- "$tandem" fuzz --device uart16550 --fuzzer /bin/true --out fz --coverage fz.json --json
check_eq "$(field fz.json 'j["coverage"][0]["runs"]')" "$(ls fz/seeds-uart16550 | wc -l)" "one run per seed input"
check_eq "$(field "$tmp/out" 'j["coverage"][0]["bins_hit"] > 0')" "True" "fuzz --json carries the coverage"

# --until-plateau adds seeds until no new bin for N steps, and says so.
expect 0 "run --until-plateau" -- "$tandem" run -d seldev --steps 300 --coverage plateau.json --until-plateau 600 --json
contains "$tmp/err" "plateau: no new bin in the last" "the plateau is announced"
contains "$tmp/err" "steered toward" "the added rounds are steered toward the bins not yet hit"
runs=$(field "$tmp/out" 'len(j["runs"])')
if [ "$runs" -gt 2 ]; then echo "ok:   seeds were added ($runs runs)"; else
  echo "FAIL: --until-plateau added no seeds ($runs runs)"; failures=$((failures + 1)); fi
check_eq "$(field plateau.json 'j["coverage"][0]["runs"]')" "$runs" "the coverage file counts every added run"
expect 2 "--until-plateau without --coverage" -- "$tandem" run -d seldev --steps 300 --until-plateau 600
one_line "--until-plateau without --coverage"
expect 0 "run --until-plateau --no-steer" -- "$tandem" run -d seldev --steps 300 --coverage plain.json --until-plateau 600 \
  --no-steer -q
if grep -q "steered toward" "$tmp/err"; then echo "FAIL: --no-steer rounds were steered"; failures=$((failures + 1)); else
  echo "ok:   --no-steer rounds are not steered"; fi
expect 2 "--no-steer without --until-plateau" -- "$tandem" run -d seldev --steps 300 --no-steer
one_line "--no-steer without --until-plateau"

# --steer FILE: the same seed steered by an earlier run's coverage reaches bins it did not.
expect 0 "run --steer" -- "$tandem" run -d seldev -s 2 --steps 300 --coverage steered.json --steer cov.json -q
expect 0 "the same run unsteered" -- "$tandem" run -d seldev -s 2 --steps 300 --coverage unsteered.json -q
check_eq "$(python3 -c 'import json,sys
def hit(f, d="seldev"):
    c=[x for x in json.load(open(f))["coverage"] if x["device"]==d][0]
    return {(g["group"],b["bin"]) for g in c["groups"] for b in g["bins"] if b["hits"]>0}
earlier=hit("cov.json")
print(len(hit("steered.json")-earlier) > len(hit("unsteered.json")-earlier))')" "True" "steered, a run reaches more of the bins an earlier run missed"
expect 2 "--steer with a device the file lacks" -- "$tandem" run -d dma --steps 100 --steer cov.json
one_line "--steer, device missing"
contains "$tmp/err" "cov.json" "the message names the file"
expect 2 "--steer with a missing file" -- "$tandem" run -d seldev --steps 100 --steer nosuch.json
one_line "--steer, missing file"

# Bad input: exit 2, one line naming the file.
echo '{"coverage": [ {"device": "seldev"} ]}' >broken.json
expect 2 "a malformed coverage file" -- "$tandem" coverage merge s1.json broken.json -o x.json
one_line "malformed coverage file"
contains "$tmp/err" "broken.json" "the message names the file"
echo 'not json' >text.json
expect 2 "a file that is not JSON" -- "$tandem" coverage merge text.json -o x.json
one_line "not JSON"
python3 -c 'import json; j=json.load(open("s1.json")); j["coverage"][0]["groups"][0]["bins"].pop(); j["coverage"][0]["bins_total"]-=1; json.dump(j, open("other.json","w"))'
expect 2 "a file of another build of the map" -- "$tandem" coverage merge s1.json other.json -o x.json
one_line "mismatched bins"
contains "$tmp/err" "other.json" "the mismatch names the file"
expect 2 "an unwritable coverage path, before any run" -- "$tandem" run -d seldev --steps 100 --coverage /nonexistent/c.json
one_line "unwritable path"
expect 2 "coverage merge without -o" -- "$tandem" coverage merge s1.json

echo "$failures failed"
[ "$failures" -eq 0 ]
