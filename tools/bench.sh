#!/usr/bin/env bash
# Reproducible timings for keydrill (release build). Prints a table and writes bench-results/bench.json.
# Usage: tools/bench.sh [runs]   (default 50 one-shot runs)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.build/release/keydrill
[ -x "$BIN" ] || swift build -c release --static-swift-stdlib >/dev/null
RUNS=${1:-50}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
STATE="$TMP/state"
"$BIN" --state "$STATE" -c 'az group create -n rg -l westus -o none' -c 'az group create -n rg2 -l eastus -o none'

median_ms() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
time_ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000 )) | awk '{printf "%.2f\n", $1/1000}'; }

for i in $(seq 1 "$RUNS"); do time_ms "$BIN" --state "$STATE" -c 'az group list'; done > "$TMP/oneshot"
ONESHOT=$(median_ms < "$TMP/oneshot")
for i in $(seq 1 "$RUNS"); do time_ms "$BIN" --ephemeral -c 'az group list'; done > "$TMP/oneshot-eph"
ONESHOT_EPH=$(median_ms < "$TMP/oneshot-eph")

# 1,000 and 10,000 script lines on stdin: a realistic mix of reads, writes, queries and builtins.
make_script() {
  local n=$1 i=0
  while [ $i -lt "$n" ]; do
    g=g$(( (i / 5) % 50 ))
    echo "az group create -n $g -l westus -o none"
    echo "az group show -n $g --query location -o tsv"
    echo "X=\$(az group list --query \"length(@)\" -o tsv)"
    echo "echo \$X"
    echo "clock advance 1m"
    i=$((i+5))
  done
}
make_script 1000 > "$TMP/s1k"
make_script 10000 > "$TMP/s10k"
S1K=$( { s=$(date +%s%N); "$BIN" --state "$TMP/s1" < "$TMP/s1k" >/dev/null || echo "script failed" >&2; e=$(date +%s%N); echo $(( (e-s)/1000000 )); } )
S10K=$( { s=$(date +%s%N); "$BIN" --state "$TMP/s10" < "$TMP/s10k" >/dev/null || echo "script failed" >&2; e=$(date +%s%N); echo $(( (e-s)/1000000 )); } )
# RSA-2048 key creation: 20 creates in one keydrill process (ephemeral, so no fsync) against 20
# `openssl genrsa 2048` runs; both per key.
{
  echo "az group create -n rg -l westus -o none"
  echo "az keyvault create -n kvbench -g rg -o none"
  for i in $(seq 1 20); do echo "az keyvault key create --vault-name kvbench -n k$i -o none"; done
} > "$TMP/keys"
{ echo "az group create -n rg -l westus -o none"; echo "az keyvault create -n kvbench -g rg -o none"; } > "$TMP/keys0"
K0=$( { s=$(date +%s%N); "$BIN" --ephemeral < "$TMP/keys0" >/dev/null; e=$(date +%s%N); echo $(( (e-s)/1000 )); } )
K20=$( { s=$(date +%s%N); "$BIN" --ephemeral < "$TMP/keys" >/dev/null; e=$(date +%s%N); echo $(( (e-s)/1000 )); } )
KEYGEN=$(awk -v a="$K20" -v b="$K0" 'BEGIN { printf "%.1f", (a - b) / 20 / 1000 }')
if command -v openssl >/dev/null; then
  O20=$( { s=$(date +%s%N); for i in $(seq 1 20); do openssl genrsa 2048 >/dev/null 2>&1; done; e=$(date +%s%N); echo $(( (e-s)/1000 )); } )
  OPENSSL=$(awk -v a="$O20" 'BEGIN { printf "%.1f", a / 20 / 1000 }')
else
  OPENSSL=null
fi

RSS=$( { /usr/bin/time -f %M "$BIN" --state "$STATE" -c 'az group list' >/dev/null; } 2>&1 | tail -1 )

printf '%-52s %12s %s\n' "benchmark" "result" "goal"
printf '%-52s %9s ms %s\n' "one-shot 'az group list' (state dir), median of $RUNS" "$ONESHOT" "< 20 ms"
printf '%-52s %9s ms %s\n' "one-shot 'az group list' (--ephemeral), median" "$ONESHOT_EPH" ""
printf '%-52s %9s ms %s\n' "1,000 script lines on stdin (state dir)" "$S1K" "< 1000 ms"
printf '%-52s %9s ms %s\n' "10,000 script lines on stdin (state dir)" "$S10K" "< 1000 ms (issue 8)"
printf '%-52s %9s ms %s\n' "RSA-2048 az keyvault key create, mean of 20" "$KEYGEN" "within 2x of openssl"
printf '%-52s %9s ms\n' "openssl genrsa 2048 (process included), mean of 20" "$OPENSSL"
printf '%-52s %9s KiB\n' "peak RSS, one-shot" "$RSS"
mkdir -p bench-results
cat > bench-results/bench.json <<JSON
{"oneshot_median_ms": $ONESHOT, "oneshot_ephemeral_median_ms": $ONESHOT_EPH, "script_1000_lines_ms": $S1K, "script_10000_lines_ms": $S10K, "oneshot_peak_rss_kib": $RSS, "rsa2048_key_create_ms": $KEYGEN, "openssl_genrsa_2048_ms": $OPENSSL, "runs": $RUNS}
JSON
