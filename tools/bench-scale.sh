#!/usr/bin/env bash
# How cost grows with the world: load plus one command on worlds of 100 to 30,000 resource groups
# (a snapshot plus journal built by the CLI itself). Prints a table; appends to bench-results.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.build/release/keydrill
[ -x "$BIN" ] || swift build -c release --static-swift-stdlib >/dev/null
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
median_ms() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
time_ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000 )) | awk '{printf "%.2f\n", $1/1000}'; }
printf '%-10s %14s %14s %14s %10s\n' "groups" "build (s)" "show (ms)" "create (ms)" "state (KiB)"
JSON="["
for n in 100 1000 10000 30000; do
  seq 1 "$n" | awk '{print "az group create -n g" $1 " -l westus -o none"}' > "$TMP/build"
  s=$(date +%s%N); "$BIN" --state "$TMP/w$n" < "$TMP/build" >/dev/null; e=$(date +%s%N)
  BUILD=$(awk -v d=$(( (e - s) / 1000000 )) 'BEGIN { printf "%.1f", d / 1000 }')
  for i in 1 2 3 4 5; do time_ms "$BIN" --state "$TMP/w$n" -c "az group show -n g1 -o none"; done > "$TMP/show"
  for i in 1 2 3 4 5; do time_ms "$BIN" --state "$TMP/w$n" -c "az group create -n extra$i -l westus -o none"; done > "$TMP/create"
  SHOW=$(median_ms < "$TMP/show"); CREATE=$(median_ms < "$TMP/create")
  SIZE=$(du -sk "$TMP/w$n" | cut -f1)
  printf '%-10s %14s %14s %14s %10s\n' "$n" "$BUILD" "$SHOW" "$CREATE" "$SIZE"
  JSON="$JSON{\"groups\": $n, \"build_s\": $BUILD, \"show_ms\": $SHOW, \"create_ms\": $CREATE, \"state_kib\": $SIZE},"
done
mkdir -p bench-results
echo "${JSON%,}]" > bench-results/scale.json
