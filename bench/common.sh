# Shared helpers for the benchmarks: build the CLI once in Release and time whole processes.
BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_ARTIFACTS="${BENCH_ARTIFACTS:-/tmp/art-bench}"
MIGRATE_DLL="$BENCH_ARTIFACTS/publish/migrate.dll"

# A ReadyToRun Release build of the CLI (what a packaged tool would ship), outside the work tree.
build_cli() {
  if [ ! -f "$MIGRATE_DLL" ] || [ -n "${REBUILD:-}" ]; then
    dotnet publish "$BENCH_ROOT/engine/MigrationEngine.Cli" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
      --artifacts-path "$BENCH_ARTIFACTS" -o "$BENCH_ARTIFACTS/publish" -v quiet -nologo >/dev/null || { echo "build failed" >&2; exit 1; }
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
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.3f\n", (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'
}

# peak_rss_mb command...: peak resident memory of the whole process in MB (GNU time).
peak_rss_mb() {
  /usr/bin/time -f '%M' -o /tmp/bench-rss.$$ "$@" >/dev/null 2>&1
  echo "scale=1; $(tail -1 /tmp/bench-rss.$$) / 1024" | bc
  rm -f /tmp/bench-rss.$$
}
