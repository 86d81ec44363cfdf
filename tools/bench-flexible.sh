#!/usr/bin/env bash
# Flexible Server's hourly key revalidation on the virtual clock: 50 CMK flexible servers on one
# key, moved by a day and by a year with nothing changing, and a year with the key disabled on
# day 100 and enabled on day 101 (they recover by themselves). Medians of 3 on fresh copies of
# the built world, with peak RSS, state size and audit records. Usage: tools/bench-flexible.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/bench-common.sh
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
N=50
{
  echo "az group create -n rg -l eastus -o none"
  echo "az keyvault create -g rg -n kvflex -l eastus --enable-purge-protection true --enable-rbac-authorization false -o none"
  echo 'KID=$(az keyvault key create --vault-name kvflex -n k --query key.kid -o tsv)'
  echo 'P=$(az identity create -g rg -n uai --query principalId -o tsv)'
  echo 'az keyvault set-policy -n kvflex --key-permissions get list wrapKey unwrapKey --object-id $P -o none'
  for i in $(seq 1 $N); do
    echo "az postgres flexible-server create -g rg -n pgflex$i --key \$KID --identity uai --public-access None -o none --only-show-errors"
  done
  echo "clock advance 1h"
} > "$TMP/world"
"$BIN" --state "$TMP/world.state" < "$TMP/world" > /dev/null

ready() { "$BIN" --state "$1" -c "az postgres flexible-server list --query \"length([?state=='Ready'])\" -o tsv"; }

echo "clock advance 1d" > "$TMP/day"
echo "clock advance 365d" > "$TMP/year"
{
  echo "clock advance 100d"
  echo "az keyvault key set-attributes --vault-name kvflex -n k --enabled false -o none"
  echo "clock advance 1d"
  echo "az keyvault key set-attributes --vault-name kvflex -n k --enabled true -o none"
  echo "clock advance 264d"
} > "$TMP/fault"

DAY=$(move day "$TMP/day")
YEAR=$(move year "$TMP/year"); YEAR_RSS=$(cat "$TMP/year.rss")
FAULT=$(move fault "$TMP/fault"); FAULT_RSS=$(cat "$TMP/fault.rss")
printf '%-58s %9s\n' "benchmark ($N CMK flexible servers)" "result"
printf '%-58s %6s ms  state %s KiB, %s audit records\n' "built world" "-" "$(kib "$TMP/world.state")" \
  "$(records "$TMP/world.state")"
printf '%-58s %6s ms\n' "clock advance 1d" "$DAY"
printf '%-58s %6s ms  %s KiB RSS, state %s KiB, %s records\n' "clock advance 365d, nothing changing" "$YEAR" \
  "$YEAR_RSS" "$(kib "$TMP/year.state")" "$(records "$TMP/year.state")"
printf '%-58s %6s ms  %s KiB RSS, %s records, %s/%s Ready\n' "365d, key disabled day 100, enabled day 101" \
  "$FAULT" "$FAULT_RSS" "$(records "$TMP/fault.state")" "$(ready "$TMP/fault.state")" "$N"
