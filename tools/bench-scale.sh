#!/usr/bin/env bash
# How cost grows with the world: worlds of 100, 1,000, 10,000 and 100,000 keys in one vault (one
# RSA-2048 key, the rest EC P-256 so the build takes a minute, not hours; entries are read one by
# one, so the others' size does not matter to a command), built by the CLI itself into a state
# directory. For each: one-shot `key show` of the RSA key (load + command), one-shot `key create`
# (load + command + a durable journal record), the cost of one command inside a loaded session,
# peak memory and the state's size. Prints a table; writes bench-results/scale.json.
# Usage: tools/bench-scale.sh [largest]   (default 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/bench-common.sh
LARGEST=${1:-100000}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
# Wall milliseconds and peak KiB of one run, as "ms kib".
run_ms_kib() {
  local s e kib
  s=$(date +%s%N)
  /usr/bin/time -o "$TMP/rss" -f "%M" "$@" >/dev/null 2>&1
  e=$(date +%s%N)
  kib=$(tail -1 "$TMP/rss")
  awk -v d=$(( (e - s) / 1000 )) -v k="$kib" 'BEGIN { printf "%.2f %s\n", d / 1000, k }'
}
printf '%-9s %10s %12s %12s %14s %10s %11s\n' "keys" "build (s)" "show (ms)" "create (ms)" "in-session ms" "peak MiB" "state MiB"
JSON="["
for n in 100 1000 10000 100000; do
  [ "$n" -le "$LARGEST" ] || continue
  W="$TMP/w$n"
  {
    echo "az group create -n rg -l westus -o none"
    echo "az keyvault create -n scale-kv -g rg -l westus --enable-rbac-authorization false -o none"
    echo "az keyvault key create --vault-name scale-kv -n rsa-key --kty RSA --size 2048 -o none"
    seq 2 "$n" | awk '{print "az keyvault key create --vault-name scale-kv -n k" $1 " --kty EC -o none"}'
  } > "$TMP/build"
  s=$(date +%s%N); "$BIN" --state "$W" < "$TMP/build" >/dev/null; e=$(date +%s%N)
  BUILD=$(awk -v d=$(( (e - s) / 1000000 )) 'BEGIN { printf "%.1f", d / 1000 }')
  for i in $(seq 1 11); do run_ms_kib "$BIN" --state "$W" -c "az keyvault key show --vault-name scale-kv -n rsa-key -o none"; done > "$TMP/show"
  SHOW=$(cut -d' ' -f1 < "$TMP/show" | median_ms); PEAK=$(cut -d' ' -f2 < "$TMP/show" | sort -n | tail -1)
  for i in $(seq 1 11); do run_ms_kib "$BIN" --state "$W" -c "az keyvault key create --vault-name scale-kv -n extra$i --kty EC -o none"; done > "$TMP/create"
  CREATE=$(cut -d' ' -f1 < "$TMP/create" | median_ms)
  # One command inside a session: 201 lines minus 1 line, over 200 (key shows and creates alternate).
  echo "az keyvault key show --vault-name scale-kv -n rsa-key -o none" > "$TMP/one"
  for i in $(seq 1 100); do
    echo "az keyvault key show --vault-name scale-kv -n k$(( (i * 7919) % (n - 1) + 2 )) -o none"
    echo "az keyvault key create --vault-name scale-kv -n session$i --kty EC -o none"
  done | cat "$TMP/one" - > "$TMP/many"
  for i in 1 2 3; do
    T1=$(run_ms_kib "$BIN" --state "$W" < "$TMP/one" | cut -d' ' -f1)
    T201=$(run_ms_kib "$BIN" --state "$W" < "$TMP/many" | cut -d' ' -f1)
    awk -v a="$T201" -v b="$T1" 'BEGIN { printf "%.3f\n", (a - b) / 200 }'
  done > "$TMP/session"
  SESSION=$(median_ms < "$TMP/session")
  SIZE=$(du -sk "$W" | awk '{ printf "%.1f", $1 / 1024 }')
  PEAKM=$(awk -v k="$PEAK" 'BEGIN { printf "%.1f", k / 1024 }')
  printf '%-9s %10s %12s %12s %14s %10s %11s\n' "$n" "$BUILD" "$SHOW" "$CREATE" "$SESSION" "$PEAKM" "$SIZE"
  JSON="$JSON{\"keys\": $n, \"build_s\": $BUILD, \"show_ms\": $SHOW, \"create_ms\": $CREATE, \"in_session_command_ms\": $SESSION, \"peak_mib\": $PEAKM, \"state_mib\": $SIZE},"
done
mkdir -p bench-results
echo "${JSON%,}]" > bench-results/scale.json
