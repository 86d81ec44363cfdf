#!/usr/bin/env bash
# Fuzz the line language, the az parser and JMESPath with libFuzzer (and AddressSanitizer).
# Usage: tools/fuzz.sh [seconds]   (default 600). Starts from Tests/FuzzCorpus and merges what it
# finds back into it, minimised. Leak checks are off: the Swift runtime's one-time metadata
# allocations read as leaks.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_RUN=${1:-600}
(cd Fuzz && swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp Tests/FuzzCorpus/* "$WORK"/
export ASAN_OPTIONS=detect_leaks=0
Fuzz/.build/release/keydrill-fuzz "$WORK" -max_total_time="$SECONDS_TO_RUN" -max_len=512 -print_final_stats=1 -artifact_prefix=Fuzz/
Fuzz/.build/release/keydrill-fuzz -merge=1 Tests/FuzzCorpus "$WORK" -max_len=512
