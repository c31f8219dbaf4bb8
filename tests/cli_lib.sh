# Shared by the command-line test scripts (source it after `set -u`): a scratch directory in
# $tmp, a failure count in $failures, and the checks below. Set FIXED=1 before sourcing to make
# `contains`/`lacks` match fixed strings instead of regular expressions.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
grep_mode=${FIXED:+-F}

# expect STATUS DESCRIPTION -- COMMAND...: run, keep stdout/stderr in $tmp/out and $tmp/err.
expect() {
  local want=$1 what=$2
  shift 3
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" -ne "$want" ]; then
    echo "FAIL: $what: exit $got, wanted $want"; sed 's/^/  | /' "$tmp/err" "$tmp/out" | head -8
    failures=$((failures + 1))
  else
    echo "ok:   $what"
  fi
}
# one_line DESCRIPTION: the error output is exactly one line.
one_line() {
  local n
  n=$(wc -l <"$tmp/err")
  if [ "$n" -ne 1 ]; then
    echo "FAIL: $1: $n lines on stderr"; sed 's/^/  | /' "$tmp/err" | head -5
    failures=$((failures + 1))
  fi
}
contains() {  # contains FILE TEXT DESCRIPTION
  if ! grep -q $grep_mode -- "$2" "$1"; then echo "FAIL: $3: '$2' not in $1"; failures=$((failures + 1)); fi
}
lacks() {  # lacks FILE TEXT DESCRIPTION
  if grep -q $grep_mode -- "$2" "$1"; then echo "FAIL: $3: '$2' in $1"; failures=$((failures + 1)); fi
}
