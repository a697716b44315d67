#!/usr/bin/env bash
# OURS hook that records the protocol: runs bench/imap/ours.sh with a recording proxy (traceproxy.py) in front of
# the source and the target side, one log per run in $TRACE_DIR (default /tmp/imap-trace): trace.N.src, trace.N.dst.
# To read the round trips of a full copy:
#   DELAY_MS=50 COUNT=2000 RUNS=1 OURS=bench/imap/trace-ours.sh MIGRATE_BIN=... bash ../shared/bench/peers/run.sh
#   python3 bench/imap/trace-read.py /tmp/imap-trace/trace.1 100    # 100 = the round trip in ms
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="${TRACE_DIR:-/tmp/imap-trace}"
mkdir -p "$dir"
n=$(( $(ls "$dir" | grep -c '\.src$' || true) + 1 ))
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# The same ports on every run of one harness: the plan names them, and a plan that changed is not a no-op pass.
if [[ -f "$dir/ports" && "$(head -1 "$dir/ports")" == "$PEER_PORT ${PEER_DST_PORT:-$PEER_PORT}" ]]; then
  read -r src dst < <(tail -1 "$dir/ports")
else
  src=$(free_port); dst=$(free_port)
  printf '%s\n%s\n' "$PEER_PORT ${PEER_DST_PORT:-$PEER_PORT}" "$src $dst" > "$dir/ports"
fi
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
python3 "$here/traceproxy.py" "$src" "$PEER_PORT" "$dir/trace.$n.src" >/dev/null & pids+=($!)
python3 "$here/traceproxy.py" "$dst" "${PEER_DST_PORT:-$PEER_PORT}" "$dir/trace.$n.dst" >/dev/null & pids+=($!)
for p in $src $dst; do
  for _ in $(seq 1 100); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $p), 0.2).close()" 2>/dev/null && break; sleep 0.05; done
done
start=$(date +%s.%N)
PEER_PORT=$src PEER_DST_PORT=$dst bash "$here/ours.sh"
echo "$(echo "$(date +%s.%N) - $start" | bc)" > "$dir/trace.$n.wall"
