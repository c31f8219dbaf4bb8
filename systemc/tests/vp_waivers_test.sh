#!/usr/bin/env bash
# tandem-vp --waivers: the seeded bug seldev.trust_select in lockstep, its three divergences
# waived (the bad write and the two reads it leads to). The platform boots to the end (exit 0),
# lists each waiver with its count and place, and the firmware sees exactly what it sees on the
# RTL alone. A waiver the catalog cannot place is bad input: exit 2, one line naming FILE:LINE.
set -uo pipefail
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1  # the banner is not part of what is checked
vp=$1 waivers=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fail() { echo "FAIL: $*"; exit 1; }

"$vp" --mode lockstep --device seldev.trust_select --waivers "$waivers" > lockstep.txt 2> lockstep.err
st=$?; [ $st -eq 0 ] || { cat lockstep.txt lockstep.err; fail "lockstep with waivers: exit $st, want 0"; }
for line in 3 9 15; do
  grep -q "seldev (seldev.trust_select): 1 waived by $waivers:$line " lockstep.txt || fail "no count for the waiver at line $line"
done
grep -q "divergence(s)" lockstep.txt && fail "a divergence was reported although every one is waived"
"$vp" --mode rtl --device seldev.trust_select > rtl.txt 2> /dev/null || fail "rtl mode failed"
diff <(grep -E '^[a-z0-9_.]+ +0' rtl.txt) <(grep -E '^[a-z0-9_.]+ +0' lockstep.txt) || fail "firmware results differ from the RTL's"

"$vp" --mode lockstep --device seldev.trust_select > plain.txt 2>&1
[ $? -eq 1 ] || fail "without the waivers the seeded bug must be reported (exit 1)"

printf '[[waiver]]\ndevice = "seldev"\nkind = "read_data"\nregister = "NO_SUCH_REG"\nreason = "x"\n' > bad.toml
"$vp" --mode lockstep --waivers bad.toml > bad.txt 2> bad.err
st=$?; [ $st -eq 2 ] || fail "a waiver naming an unknown register: exit $st, want 2"
[ "$(wc -l < bad.err)" -eq 1 ] && grep -q "bad.toml:1" bad.err && grep -q NO_SUCH_REG bad.err || { cat bad.err; fail "the message must be one line naming bad.toml:1 and the register"; }
echo "ok: 3 waivers counted, exit 0, firmware results as on the RTL; unwaived exit 1; bad file exit 2"
