#!/usr/bin/env bash
# Virtual time at the cost of what changes: a world of 50 CMK PostgreSQL servers and
# 50 CMK Service Bus namespaces on one key, moved by 10 minutes and by a year (nothing changing),
# and a year with the key disabled on day 100 and enabled on day 101. Each clock move runs on a
# fresh copy of the built world; times are medians of 3, with peak RSS and state size.
# Writes bench-results/time.json. Usage: tools/bench-time.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/bench-common.sh
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
N=50
{
  echo "az group create -n rg -l westus -o none"
  echo "az keyvault create -g rg -n kvtime --enable-purge-protection true --enable-rbac-authorization false -o none"
  echo 'KID=$(az keyvault key create --vault-name kvtime -n k --query key.kid -o tsv)'
  for i in $(seq 1 $N); do
    echo "P=\$(az postgres server create -g rg -n pgtime$i -u cloudsa -p Passw0rd!x --assign-identity --query identity.principalId -o tsv --only-show-errors)"
    echo "az keyvault set-policy -n kvtime --key-permissions get wrapKey unwrapKey --object-id \$P -o none"
    echo "az postgres server key create -g rg --name pgtime$i --kid \$KID -o none --only-show-errors"
    echo "P=\$(az servicebus namespace create -g rg -n sbtime$i --sku Premium --mi-system-assigned --query identity.principalId -o tsv)"
    echo "az keyvault set-policy -n kvtime --key-permissions get wrapKey unwrapKey --object-id \$P -o none"
    echo "az servicebus namespace encryption add -g rg --namespace-name sbtime$i --encryption-config key-name=k key-vault-uri=https://kvtime.vault.azure.net -o none"
  done
  # Every consumer has made its first (real) check: what follows is the steady state.
  echo "clock advance 10m"
} > "$TMP/world"
"$BIN" --state "$TMP/world.state" < "$TMP/world" > /dev/null

echo "clock advance 10m" > "$TMP/ten"
echo "clock advance 365d" > "$TMP/year"
{
  echo "clock advance 100d"
  echo "az keyvault key set-attributes --vault-name kvtime -n k --enabled false -o none"
  echo "clock advance 1d"
  echo "az keyvault key set-attributes --vault-name kvtime -n k --enabled true -o none"
  # Single Server stays Inaccessible until its key is revalidated; Service Bus recovers by itself.
  echo 'KID=$(az keyvault key show --vault-name kvtime -n k --query key.kid -o tsv)'
  for i in $(seq 1 $N); do echo "az postgres server key create -g rg --name pgtime$i --kid \$KID -o none --only-show-errors"; done
  echo "clock advance 264d"
} > "$TMP/fault"
{
  echo "settings set coalesceKeyChecks false"
  echo "clock advance 1d"
} > "$TMP/dayoff"
{
  echo "clock advance 1d"
} > "$TMP/dayon"

WORLD_KIB=$(kib "$TMP/world.state")
WORLD_RECORDS=$(records "$TMP/world.state")
TEN=$(move ten "$TMP/ten"); TEN_RSS=$(cat "$TMP/ten.rss")
YEAR=$(move year "$TMP/year"); YEAR_RSS=$(cat "$TMP/year.rss"); YEAR_KIB=$(kib "$TMP/year.state")
YEAR_RECORDS=$(records "$TMP/year.state")
FAULT=$(move fault "$TMP/fault"); FAULT_RSS=$(cat "$TMP/fault.rss"); FAULT_KIB=$(kib "$TMP/fault.state")
FAULT_RECORDS=$(records "$TMP/fault.state")
FAULT_READY=$("$BIN" --state "$TMP/fault.state" -c 'az postgres server list --query "length([?userVisibleState=='"'Ready'"'])" -o tsv --only-show-errors')
DAYON=$(move dayon "$TMP/dayon")
DAYOFF=$(move dayoff "$TMP/dayoff"); DAYOFF_KIB=$(kib "$TMP/dayoff.state")
RATIO=$(awk -v a="$YEAR" -v b="$TEN" 'BEGIN { printf "%.2f", a / b }')
DAYRATIO=$(awk -v a="$DAYOFF" -v b="$DAYON" 'BEGIN { printf "%.1f", a / b }')

printf '%-62s %10s %s\n' "benchmark ($N CMK servers + $N CMK namespaces)" "result" "goal"
printf '%-62s %7s ms  %s KiB RSS\n' "clock advance 10m" "$TEN" "$TEN_RSS"
printf '%-62s %7s ms  %s KiB RSS, goal < 1000 ms\n' "clock advance 365d, nothing changing" "$YEAR" "$YEAR_RSS"
printf '%-62s %7s x   goal <= 3x\n' "  year / 10 minutes" "$RATIO"
printf '%-62s %7s KiB -> %s KiB, %s -> %s audit records\n' "  state size" "$WORLD_KIB" "$YEAR_KIB" "$WORLD_RECORDS" "$YEAR_RECORDS"
printf '%-62s %7s ms  %s KiB RSS\n' "a year, key disabled day 100, enabled day 101 (+ revalidate)" "$FAULT" "$FAULT_RSS"
printf '%-62s %7s KiB, %s audit records, %s/%s servers Ready\n' "  state size after" "$FAULT_KIB" "$FAULT_RECORDS" "$FAULT_READY" "$N"
printf '%-62s %7s ms\n' "clock advance 1d, coalescing on" "$DAYON"
printf '%-62s %7s ms  (%s x on), state %s KiB\n' "clock advance 1d, coalescing off (every check made)" "$DAYOFF" "$DAYRATIO" "$DAYOFF_KIB"
mkdir -p bench-results
cat > bench-results/time.json <<JSON
{"consumers": $((2 * N)), "advance_10m_ms": $TEN, "advance_10m_rss_kib": $TEN_RSS, "advance_365d_ms": $YEAR, "advance_365d_rss_kib": $YEAR_RSS, "year_over_10m": $RATIO, "world_kib": $WORLD_KIB, "world_audit_records": $WORLD_RECORDS, "year_kib": $YEAR_KIB, "year_audit_records": $YEAR_RECORDS, "fault_year_ms": $FAULT, "fault_year_rss_kib": $FAULT_RSS, "fault_year_kib": $FAULT_KIB, "fault_year_audit_records": $FAULT_RECORDS, "fault_year_servers_ready": $FAULT_READY, "advance_1d_on_ms": $DAYON, "advance_1d_off_ms": $DAYOFF, "advance_1d_off_kib": $DAYOFF_KIB}
JSON
