#!/usr/bin/env bash
# Game days: `gameday start` of each bundled plan (build the world, check the probes, draw), then
# on a generated estate of 100 consumers (50 Flexible Servers with rows, 50 Service Bus Premium
# namespaces, one vault) `gameday status` (every probe run once) and a day of virtual time
# (`clock advance 1d`: 288 probe samples and the consumers' key checks), each against its peer
# without a game: the same estate built by the same lines, and the same `clock advance 1d` with no
# probes to sample. Prints a table; writes bench-results/gameday.json.
# Usage: tools/bench-gameday.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/bench-common.sh
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
JSON="{\"start\": {"
printf '%-36s %10s\n' "gameday start (bundled plan)" "ms"
for plan in runbooks/gamedays/*.md; do
  name=$(basename "$plan" .md)
  for i in 1 2 3 4 5; do
    rm -rf "$TMP/s"
    time_ms "$BIN" gameday start "$plan" --state "$TMP/s"
  done > "$TMP/t"
  MS=$(median_ms < "$TMP/t")
  printf '%-36s %10s\n' "$name" "$MS"
  JSON="$JSON\"$name\": $MS,"
done
JSON="${JSON%,}},"

# The 100-consumer estate, as a plan and as the same lines without a game.
{
  echo "az group create -n rg -l eastus -o none"
  echo "az keyvault create -g rg -n estate-kv -l eastus --enable-purge-protection true" \
    "--enable-rbac-authorization false -o none"
  echo "KID=\$(az keyvault key create --vault-name estate-kv -n estate-key --query key.kid -o tsv)"
  echo "PID=\$(az identity create -g rg -n estate-id --query principalId -o tsv)"
  echo "az keyvault set-policy -n estate-kv --object-id \$PID --key-permissions get list wrapKey unwrapKey" \
    "-o none"
  for i in $(seq 1 50); do
    echo "az postgres flexible-server create -g rg -n pg$i --key \$KID --identity estate-id" \
      "--public-access None -o none"
    echo "workload postgres write -g rg -s pg$i --rows 100"
    echo "SB=\$(az servicebus namespace create -g rg -n estate-sb$i --sku Premium --mi-system-assigned" \
      "--query identity.principalId -o tsv)"
    echo "az keyvault set-policy -n estate-kv --object-id \$SB --key-permissions get list wrapKey unwrapKey" \
      "-o none"
    echo "az servicebus namespace encryption add -g rg --namespace-name estate-sb$i --encryption-config" \
      "key-name=estate-key key-vault-uri=https://estate-kv.vault.azure.net -o none"
  done
} > "$TMP/world"
{
  printf -- '---\nkind: gameday\nbudget: 2d\n---\n# A hundred consumers\n\n## World\n\n```keydrill\n'
  cat "$TMP/world"
  printf '```\n\n## Probe: every server Ready\n\n```keydrill\n'
  printf "az postgres flexible-server list -g rg --query \"[?state!='Ready'] | length(@)\"\nassert @ == \`0\`\n"
  printf '```\n\n## Probe: every namespace Active\n\n```keydrill\n'
  printf "az servicebus namespace list -g rg --query \"[?status!='Active'] | length(@)\"\nassert @ == \`0\`\n"
  printf '```\n\n## Faults\n\n- key-disabled key estate-kv/estate-key between 1d and 2d\n'
} > "$TMP/plan.md"
"$BIN" gameday lint "$TMP/plan.md" >/dev/null || { "$BIN" gameday lint "$TMP/plan.md"; exit 1; }
s=$(date +%s%N); "$BIN" gameday start "$TMP/plan.md" --state "$TMP/game" >/dev/null; e=$(date +%s%N)
START=$(( (e - s) / 1000000 ))
s=$(date +%s%N); "$BIN" --state "$TMP/plain" < "$TMP/world" >/dev/null; e=$(date +%s%N)
PLAIN=$(( (e - s) / 1000000 ))
for i in $(seq 1 11); do time_ms "$BIN" gameday status --state "$TMP/game"; done > "$TMP/status"
STATUS=$(median_ms < "$TMP/status")
for i in $(seq 1 11); do time_ms "$BIN" --state "$TMP/plain" -c "status"; done > "$TMP/plainstatus"
PLAINSTATUS=$(median_ms < "$TMP/plainstatus")
# A day of virtual time, on copies so each run starts from the same world.
day() {
  for i in 1 2 3; do
    rm -rf "$TMP/day"; cp -r "$TMP/$1" "$TMP/day"
    time_ms "$BIN" --state "$TMP/day" -c "clock advance 1d"
  done | median_ms
}
DAYGAME=$(day game)
DAYPLAIN=$(day plain)
printf '\n%-44s %10s %10s %8s\n' "100 consumers" "game (ms)" "peer (ms)" "ratio"
row() { printf '%-44s %10s %10s %8s\n' "$1" "$2" "$3" "$(awk -v a="$2" -v b="$3" 'BEGIN { printf "%.2f", a / b }')"; }
row "start (build, probes, draw) / the lines" "$START" "$PLAIN"
row "gameday status / status" "$STATUS" "$PLAINSTATUS"
row "clock advance 1d (288 samples) / no game" "$DAYGAME" "$DAYPLAIN"
JSON="$JSON\"estate100\": {\"start_ms\": $START, \"lines_ms\": $PLAIN, \"gameday_status_ms\": $STATUS,"
JSON="$JSON \"status_ms\": $PLAINSTATUS, \"day_game_ms\": $DAYGAME, \"day_plain_ms\": $DAYPLAIN}}"
mkdir -p bench-results
echo "$JSON" > bench-results/gameday.json
