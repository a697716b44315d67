#!/usr/bin/env bash
# OURS hook for /work/shared/bench/peers/run.sh: copies PEER_SRC_USER to PEER_DST_USER on the peer's Dovecot with
# `migrate apply`. The password stays in PEER_PASSWORD and reaches the plan only as env:PEER_PASSWORD.
# The binary comes from bench/build.sh (artifacts keyed by the exact sources, so no figure is measured on a stale
# build); bench/imap/run.sh runs the harness with and without delay and prints the sequential round trips.
set -euo pipefail

: "${PEER_HOST:?}" "${PEER_PORT:?}" "${PEER_SRC_USER:?}" "${PEER_DST_USER:?}" "${PEER_PASSWORD:?}" "${PEER_WORK:?}"
# The target side: a delay proxy of its own when the harness runs with DELAY_MS (the source's port otherwise).
dst_port="${PEER_DST_PORT:-$PEER_PORT}"

# bench/imap/run.sh builds once and passes the binary in MIGRATE_BIN, so the timed runs do not pay for the check below.
# Every timed run goes through this script, so it starts no process of its own before the copier (no dirname, mkdir or
# cat: bash builtins only); a no-op pass takes about a quarter of a second, and each fork and exec costs a millisecond or two.
if [[ -n "${MIGRATE_BIN:-}" ]]; then
  migrate="$MIGRATE_BIN"
else
  repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  migrate="$(bash "$repo/bench/build.sh")"
fi

[[ -d "$PEER_WORK" ]] || mkdir -p "$PEER_WORK"
plan="$PEER_WORK/peer-bench.yaml"
# read -d '' ends with status 1 at the end of its input; the text is complete.
IFS= read -r -d '' text <<YAML || true
apiVersion: migration-engine/v1
kind: MigrationPlan
metadata:
  name: peer-bench
spec:
  sources:
    src:
      type: imap
      host: ${PEER_HOST}
      port: ${PEER_PORT}
      tls: none
      allowInsecure: true
      auth:
        username: ${PEER_SRC_USER}
        password: env:PEER_PASSWORD
  targets:
    dst:
      type: imap
      host: ${PEER_HOST}
      port: ${dst_port}
      tls: none
      allowInsecure: true
      auth:
        username: ${PEER_DST_USER}
        password: env:PEER_PASSWORD
  mailboxSets:
    all:
      mailboxes:
        - source: ${PEER_SRC_USER}
          target: ${PEER_DST_USER}
  migrations:
    - name: copy
      type: imap
      from: src
      to: dst
      mailboxSets: [all]
      concurrency:
        mailboxes: 1
        connectionsPerMailbox: 4
YAML
printf '%s' "$text" > "$plan"

# A plain apply converges: on a finished plan every run is the sync pass that asks the server what arrived since the
# last one (as mbsync does). (--delta is kept as an alias.)
exec "$migrate" apply "$plan" --state "$PEER_WORK/state.db" --verbosity quiet
