#!/usr/bin/env bash
# `tandem regmap diff` on the command line: exit 0 for no or compatible changes, 1 for an
# incompatible one, 2 with one "FILE:LINE:COL: problem" line for bad input; --json shape.
# Usage: regmap_cli_test.sh TANDEM DATA_DIR
set -u
tandem=$(realpath "$1")
data=$(realpath "$2")
FIXED=1
source "$(dirname "$0")/cli_lib.sh"

d=$data/diff
expect 0 "same map" -- "$tandem" regmap diff "$d/base.rdl" "$d/base.rdl"
contains "$tmp/out" "no changes" "same map says so"
expect 0 "compatible addition" -- "$tandem" regmap diff "$d/base.rdl" "$d/register_added.rdl"
contains "$tmp/out" "register added at 0x10" "addition named"
expect 0 "documentation only" -- "$tandem" regmap diff "$d/base.rdl" "$d/doc_changed.rdl"
expect 1 "incompatible move" -- "$tandem" regmap diff "$d/base.rdl" "$d/field_moved.rdl"
contains "$tmp/out" "INCOMPATIBLE  CTRL.EN  field moved: [4] -> [5]" "move named"
expect 1 "removal" -- "$tandem" regmap diff "$d/base.rdl" "$d/register_removed.rdl"
expect 1 "--json incompatible" -- "$tandem" regmap diff --json "$d/base.rdl" "$d/reset_changed.rdl"
contains "$tmp/out" '"kind": "reset_changed"' "json kind"
contains "$tmp/out" '"compatible": false' "json verdict"
expect 0 "rdl against svd" -- "$tandem" regmap diff "$data/../../../devices/seldev/seldev.rdl" "$data/seldev.svd"

printf 'addrmap m {\n  reg { field {} a[3:0]; field {} b[4:2]; } R;\n};\n' >"$tmp/bad.rdl"
expect 2 "bad rdl" -- "$tandem" regmap diff "$d/base.rdl" "$tmp/bad.rdl"
one_line "bad rdl"
contains "$tmp/err" "$tmp/bad.rdl:2:35: field 'b' [4:2] overlaps field 'a' [3:0]" "bad rdl message"
printf '<device>\n<peripherals>\n</device>\n' >"$tmp/bad.svd"
expect 2 "bad svd" -- "$tandem" regmap diff "$tmp/bad.svd" "$d/base.rdl"
one_line "bad svd"
contains "$tmp/err" "$tmp/bad.svd:3: XML: Start-end tags mismatch" "bad svd message"
expect 2 "missing file" -- "$tandem" regmap diff "$tmp/none.rdl" "$d/base.rdl"
one_line "missing file"
mkdir "$tmp/dir.rdl"
expect 2 "a directory" -- "$tandem" regmap diff "$tmp/dir.rdl" "$d/base.rdl"
one_line "a directory"
contains "$tmp/err" "$tmp/dir.rdl: cannot read: is a directory" "directory message"
expect 2 "unknown format" -- "$tandem" regmap diff "$tmp/map.json" "$d/base.rdl"
one_line "unknown format"
expect 2 "missing argument" -- "$tandem" regmap diff "$d/base.rdl"
expect 2 "regmap without a subcommand" -- "$tandem" regmap

if [ "$failures" -ne 0 ]; then echo "$failures failure(s)"; exit 1; fi
echo "all regmap CLI checks passed"
