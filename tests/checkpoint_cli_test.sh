#!/usr/bin/env bash
# tandem run --checkpoint/--resume on the command line: the resumed run's JSON equals the
# uninterrupted run's (apart from seconds); a checkpoint of another device or build, or a
# damaged one, is exit 2 with one line naming the file.
# Usage: checkpoint_cli_test.sh TANDEM
set -u
tandem=$(realpath "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
strip() { sed -E 's/"seconds": [0-9.e+-]+/"seconds": 0/' "$1"; }

for dev in seldev timer dma uart16550 uart16550_w32; do
  "$tandem" run --device "$dev" --steps 6000 --seed 5 --json >whole.json || fail "$dev: uninterrupted run"
  "$tandem" run --device "$dev" --steps 6000 --seed 5 --json --checkpoint c.ckpt --checkpoint-every 3000 >first.json ||
    fail "$dev: checkpointed run"
  "$tandem" run --resume c.ckpt --steps 6000 --json >resumed.json || fail "$dev: resumed run"
  if [ "$(strip whole.json)" != "$(strip resumed.json)" ]; then
    fail "$dev: resumed JSON differs"; diff <(strip whole.json) <(strip resumed.json) | head -5
  else
    echo "ok:   $dev: resumed at step 3000 of 6000, same JSON"
  fi
done

"$tandem" run --device seldev --steps 100 --checkpoint c.ckpt --checkpoint-every 50 >/dev/null
check_refused() {  # DESCRIPTION PATTERN -- COMMAND...
  local what=$1 pattern=$2
  shift 3
  "$@" >out 2>err
  local got=$?
  if [ "$got" -ne 2 ] || [ "$(wc -l <err)" -ne 1 ] || ! grep -q -- "$pattern" err; then
    fail "$what: exit $got"; sed 's/^/  | /' err | head -3
  else
    echo "ok:   $what: $(cat err)"
  fi
}
# Options that contradict the checkpoint: one line naming the file, the option and both values.
check_refused "resume as another device" "c.ckpt: --device timer contradicts the checkpoint, a run of device seldev" -- \
  "$tandem" run --resume c.ckpt --device timer
check_refused "resume with another seed" "c.ckpt: --seed 7 contradicts the checkpoint, a run of seed 1" -- \
  "$tandem" run --resume c.ckpt --seed 7
check_refused "resume with another strategy" "c.ckpt: --strategy hostile contradicts the checkpoint, a run of strategy all" -- \
  "$tandem" run --resume c.ckpt --strategy hostile
check_refused "resume with fewer steps than done" "c.ckpt: --steps 20 contradicts the checkpoint, which stands at step 50" -- \
  "$tandem" run --resume c.ckpt --steps 20
check_refused "resume with two seeds" "one --device" -- "$tandem" run --resume c.ckpt --seed 1 --seed 2

# Options that agree with it, or are absent, proceed; the text summary says what was resumed.
"$tandem" run --device seldev --steps 100 --seed 1 --strategy all >whole.txt || fail "seldev 100 steps"
resumed_ok() {  # DESCRIPTION -- COMMAND...
  local what=$1
  shift 2
  if ! "$@" >out 2>err; then
    fail "$what: exit $?"; sed 's/^/  | /' err | head -3; return
  fi
  if ! grep -q "^resumed c.ckpt: device seldev, strategy all, seed 1, up to step 100$" out; then
    fail "$what: no 'resumed' line"; sed 's/^/  | /' out | head -3; return
  fi
  # The run's row (without seconds) is the uninterrupted run's.
  if [ "$(grep '^seldev ' out | awk '{$9=""; print}')" != "$(grep '^seldev ' whole.txt | awk '{$9=""; print}')" ]; then
    fail "$what: summary differs from the uninterrupted run"; grep '^seldev ' out whole.txt; return
  fi
  echo "ok:   $what: $(head -1 out)"
}
resumed_ok "resume with no options (the saved budget)" -- "$tandem" run --resume c.ckpt
resumed_ok "resume with matching options" -- \
  "$tandem" run --resume c.ckpt --device seldev --seed 1 --strategy all --steps 100
"$tandem" run --resume c.ckpt --steps 60 --json >resumed.json || fail "resume to step 60: exit $?"
grep -q '"strategy": *"all"' resumed.json && grep -q '"seed": *1' resumed.json && grep -q '"steps": *60' resumed.json ||
  fail "resume to step 60: JSON lacks strategy all, seed 1, 60 steps"
python3 - <<'PY'
import struct
b = bytearray(open("c.ckpt", "rb").read())
# The build id is the second string after magic (8) and version (4): u64 length + bytes.
n = struct.unpack_from("<Q", b, 12)[0]
at = 12 + 8 + n + 8
b[at] ^= 1
h = 0xcbf29ce484222325
for x in b[:-8]:
    h = ((h ^ x) * 0x100000001b3) & 0xffffffffffffffff
b[-8:] = struct.pack("<Q", h)
open("other-build.ckpt", "wb").write(b)
d = bytearray(open("c.ckpt", "rb").read())
d[len(d) // 2] ^= 0x10
open("damaged.ckpt", "wb").write(d)
PY
check_refused "resume a checkpoint of another build" "other-build.ckpt: checkpoint from another build of 'seldev'" -- \
  "$tandem" run --resume other-build.ckpt
check_refused "resume a damaged checkpoint" "damaged.ckpt: checksum mismatch" -- "$tandem" run --resume damaged.ckpt
check_refused "resume a file that is not there" "nosuch.ckpt: cannot read: No such file or directory" -- "$tandem" run --resume nosuch.ckpt
check_refused "checkpoint of several runs" "one --device" -- "$tandem" run --checkpoint x.ckpt --steps 10

[ "$failures" -eq 0 ] && echo "all checkpoint CLI checks passed"
exit $((failures > 0))
