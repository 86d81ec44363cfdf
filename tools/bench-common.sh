# Shared by tools/bench.sh and tools/bench-scale.sh (sourced): the release binary, built if
# missing, and the timing helpers.
BIN=.build/release/keydrill
[ -x "$BIN" ] || swift build -c release --static-swift-stdlib >/dev/null
# The median of numbers on stdin, one per line.
median_ms() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
# Wall milliseconds of one run of a command, output discarded.
time_ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000 )) | awk '{printf "%.2f\n", $1/1000}'; }
