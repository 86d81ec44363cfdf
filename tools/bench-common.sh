# Shared by the tools/bench*.sh scripts (sourced): the release binary, built if missing, and the
# timing helpers.
# BIN=another build compares two builds with the same script (an A/B run).
BIN=${BIN:-.build/release/keydrill}
[ -x "$BIN" ] || swift build -c release --static-swift-stdlib >/dev/null
# The median of numbers on stdin, one per line.
median_ms() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
# Wall milliseconds of one run of a command, output discarded.
time_ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000 )) | awk '{printf "%.2f\n", $1/1000}'; }
# Wall milliseconds per run of a command, over $1 runs in one loop: the two `date` processes that
# time_ms starts cost about 2 ms here, as much as half a one-shot keydrill, so a start-up ratio
# against another program is measured this way.
loop_ms() { local n=$1 s e i; shift; s=$(date +%s%N); for ((i = 0; i < n; i++)); do "$@" >/dev/null 2>&1; done; e=$(date +%s%N); echo $(( (e - s) / n / 1000 )) | awk '{printf "%.2f\n", $1/1000}'; }
# Runs the lines of file $2 on a fresh copy of $TMP/world.state (median of 3 wall ms); leaves the
# last copy in $TMP/$1.state and its peak RSS in $TMP/$1.rss.
move() {
  for i in 1 2 3; do
    rm -rf "$TMP/$1.state"; cp -r "$TMP/world.state" "$TMP/$1.state"
    local s e
    s=$(date +%s%N)
    /usr/bin/time -f %M -o "$TMP/$1.rss" "$BIN" --state "$TMP/$1.state" < "$2" > /dev/null
    e=$(date +%s%N)
    echo $(( (e - s) / 1000 )) | awk '{printf "%.2f\n", $1/1000}'
  done | median_ms
}
kib() { du -sk "$1" | cut -f1; }
records() { "$BIN" --state "$1" -c 'audit --query "length(@)" -o tsv'; }
