# Shared helpers for the benchmarks: build the CLI once in Release and time whole processes.
BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MIGRATE_DLL="$BENCH_ROOT/engine/MigrationEngine.Cli/bin/Release/net10.0/migrate.dll"

build_cli() {
  if [ ! -f "$MIGRATE_DLL" ] || [ -n "${REBUILD:-}" ]; then
    dotnet build "$BENCH_ROOT/engine/MigrationEngine.Cli" -c Release -v quiet -nologo >/dev/null || { echo "build failed" >&2; exit 1; }
  fi
}

# median_seconds RUNS command...: runs the command RUNS times, prints the median wall time in seconds.
median_seconds() {
  local runs=$1; shift
  local times=()
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'
}

# peak_rss_mb command...: peak resident memory of the whole process in MB (GNU time).
peak_rss_mb() {
  /usr/bin/time -f '%M' -o /tmp/bench-rss.$$ "$@" >/dev/null 2>&1
  echo "scale=1; $(tail -1 /tmp/bench-rss.$$) / 1024" | bc
  rm -f /tmp/bench-rss.$$
}
