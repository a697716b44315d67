#!/usr/bin/env bash
# Workers figures (issue 18), whole processes, one run each (a benchmark, not a timed test):
#   1. IMAP -> IMAP over a WAN-like link: MAILBOXES (40) mailboxes x MESSAGES (200) between two Dovecot users each, every
#      connection through a delay proxy adding DELAY_MS (10) each way (about 20 ms round trip), applied by 1, 2 and 4
#      workers at the same per-worker concurrency (concurrency.mailboxes PER_WORKER_MAILBOXES (4), connectionsPerMailbox 1),
#      state in PostgreSQL. With PER_WORKER_MAILBOXES=1 one worker is bound by the link alone, which shows the scaling on a
#      machine whose cores one worker at 4 already fills.
#   2. Scheduling overhead: SMALL_MAILBOXES (2,000) Maildir mailboxes x 20 small messages into a Maildir, with each of
#      SMALL_WORKER_COUNTS ("1 4") workers (bench/files/make-many-mailboxes.py, as bench/files/many-mailboxes.sh).
# SKIP_IMAP=1 runs only part 2, SKIP_SMALL=1 only part 1.
# Needs root (a private Dovecot and PostgreSQL, started here and stopped by their own pids), dovecot-imapd, postgresql.
set -euo pipefail
source "$(dirname "$0")/../common.sh"
HERE="$(cd "$(dirname "$0")" && pwd)"
# MIGRATE_BIN=path/to/migrate runs a given build directly (e.g. the self-contained composite build that
# deploy/kubernetes/Dockerfile ships: `bash bench/build.sh`); otherwise the framework-dependent ReadyToRun build.
if [ -n "${MIGRATE_BIN:-}" ]; then MIGRATE=("$MIGRATE_BIN"); else build_cli; MIGRATE=(dotnet "$MIGRATE_DLL"); fi
MAILBOXES=${MAILBOXES:-40}
MESSAGES=${MESSAGES:-200}
DELAY_MS=${DELAY_MS:-10}
SMALL_MAILBOXES=${SMALL_MAILBOXES:-2000}
WORKER_COUNTS=${WORKER_COUNTS:-"1 2 4"}
PER_WORKER_MAILBOXES=${PER_WORKER_MAILBOXES:-4}
SKIP_SMALL=${SKIP_SMALL:-}
SKIP_IMAP=${SKIP_IMAP:-}
SMALL_WORKER_COUNTS=${SMALL_WORKER_COUNTS:-"1 4"}
W=$(mktemp -d /tmp/bench-workers.XXXXXX)
chmod 755 "$W"
PW=bench-pw
PIDS=()
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)

finish() {
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  [ -f "$W/run/master.pid" ] && kill "$(cat "$W/run/master.pid")" 2>/dev/null || true
  [ -d "$W/pg" ] && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$W/pg" stop -m immediate -w >/dev/null 2>&1 || true
  rm -rf "$W"
}
trap finish EXIT

# ---- Dovecot: users src<i> and dst<workers>_<i>, maildirs written directly (seeding over IMAP would take longer than the runs)
id benchvmail >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin benchvmail
mkdir -p "$W/mail" "$W/home" "$W/run" "$W/state"
: >"$W/users"
for i in $(seq 1 "$MAILBOXES"); do
  echo "src$i:{PLAIN}$PW::::::" >>"$W/users"
  for n in $WORKER_COUNTS; do echo "dst${n}_$i:{PLAIN}$PW::::::" >>"$W/users"; done
done
chmod 640 "$W/users"; chgrp dovecot "$W/users"
python3 - "$W/mail" "$MAILBOXES" "$MESSAGES" <<'PY'
import os, random, sys
root, boxes, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(18)
for b in range(1, boxes + 1):
    for folder in ("", ".Archive"):
        for sub in ("cur", "new", "tmp"):
            os.makedirs(os.path.join(root, f"src{b}", folder, sub), exist_ok=True)
    for i in range(per):
        body = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz \r\n") for _ in range(rng.randint(2000, 12000)))
        text = (f"From: a{i}@example.com\r\nTo: src{b}@example.com\r\nSubject: bench {b}.{i}\r\n"
                f"Date: Mon, 1 Jan 2024 10:{i % 60:02d}:00 +0000\r\nMessage-ID: <w{b}.{i}@bench>\r\n\r\n{body}\r\n")
        folder = ".Archive" if i % 4 == 0 else ""
        with open(os.path.join(root, f"src{b}", folder, "cur", f"{1700000000 + i}.M{i}P{b}.bench:2,S"), "w", newline="") as out:
            out.write(text)
PY
chown -R benchvmail: "$W/mail" "$W/home"
VUID=$(id -u benchvmail)
PORT=$(free_port)
cat >"$W/dovecot.conf" <<CONF
base_dir = $W/run
state_dir = $W/state
instance_name = benchworkers
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
log_path = $W/dovecot.log
mail_location = maildir:$W/mail/%u
mail_uid = benchvmail
mail_gid = benchvmail
first_valid_uid = $VUID
first_valid_gid = 1
mail_fsync = never
default_internal_user = dovecot
default_login_user = dovenull
namespace inbox {
  inbox = yes
  separator = /
  prefix =
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $W/users
}
userdb {
  driver = static
  args = uid=benchvmail gid=benchvmail home=$W/home/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $PORT
  }
  inet_listener imaps {
    port = 0
  }
}
protocol imap {
  mail_max_userip_connections = 200
}
# Dovecot's documented performance settings, as a server that serves many logins runs them (doc.dovecot.org, service
# configuration: service_count "for better performance this can be set higher ... 100..1000 can be good values";
# login processes in "high-performance mode" with service_count = 0). With the default of a new imap and login process
# per connection, each login cost this Dovecot about 16 ms of CPU, on the two cores the workers are measured on; a
# real server's CPU is not the workers' machine's.
service imap-login {
  service_count = 0
  process_min_avail = 2
}
service imap {
  service_count = 100
  process_min_avail = 10
}
CONF
dovecot -c "$W/dovecot.conf"
for _ in $(seq 1 100); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 0.2).close()" 2>/dev/null && break; sleep 0.1; done

# ---- two delay proxies: the source side and the target side each about 2 x DELAY_MS per round trip (delayproxy.c: the
# network costs the workers' cores nothing, so the proxies must cost them next to nothing too)
SRC_PORT=$(free_port); DST_PORT=$(free_port)
cc -O2 -o "$W/delayproxy" "$HERE/delayproxy.c"
"$W/delayproxy" "$SRC_PORT" "$PORT" "$DELAY_MS" >/dev/null & PIDS+=($!)
"$W/delayproxy" "$DST_PORT" "$PORT" "$DELAY_MS" >/dev/null & PIDS+=($!)
sleep 1

# ---- PostgreSQL for the state
mkdir -p "$W/pg"; chown postgres: "$W/pg"
PGPORT=$(free_port)
runuser -u postgres -- "$PGBIN/initdb" -D "$W/pg" -U postgres --auth=trust -E UTF8 --no-sync >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$W/pg" -o "-p $PGPORT -k $W/pg -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" -l "$W/pg/log" -w start >/dev/null
createdb_() { runuser -u postgres -- "$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -qc "CREATE DATABASE $1" >/dev/null; }

# cpu_seconds PID...: CPU seconds the processes, their waited-for children and their live children used so far
# (utime+stime+cutime+cstime, plus utime+stime of each live child: Dovecot keeps its imap processes between logins).
cpu_seconds() {
  python3 - "$@" <<'PY'
import os, sys
tick = os.sysconf("SC_CLK_TCK")
def fields(pid):
    try:
        text = open(f"/proc/{pid}/stat").read()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()
parents, total = set(sys.argv[1:]), 0
for pid in parents:
    f = fields(pid)
    total += sum(int(x) for x in f[11:15]) if f else 0
for pid in filter(str.isdigit, os.listdir("/proc")):
    f = fields(pid)
    if f and f[1] in parents:
        total += int(f[11]) + int(f[12])
print(f"{total / tick:.2f}")
PY
}

# run_workers N PLAN STATE_DB: starts N workers at once, prints the wall time until the last one exits; fails on a non-zero
# exit. Also writes $W/$db.cpu: the CPU seconds of the workers, Dovecot, the delay proxies and PostgreSQL during the run
# (whether the run waited on the link or on this machine's two cores).
run_workers() {
  local n=$1 plan=$2 db=$3 start end pids=() rc=0 dovecot0 proxies0 pg0
  createdb_ "$db"
  dovecot0=$(cpu_seconds "$(cat "$W/run/master.pid")"); proxies0=$(cpu_seconds "${PIDS[@]}"); pg0=$(cpu_seconds "$(head -1 "$W/pg/postmaster.pid")")
  start=$(date +%s.%N)
  for w in $(seq 1 "$n"); do
    (cd "$(dirname "$plan")" && CI=true BENCH_PW=$PW /usr/bin/time -f '%U %S' -o "$W/$db.worker$w.time" "${MIGRATE[@]}" apply "$(basename "$plan")" \
      --state "postgres://postgres@127.0.0.1:$PGPORT/$db" --workers-expected "$n" --verbosity quiet >"$W/$db.worker$w.log" 2>&1) & pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || rc=$?; done
  end=$(date +%s.%N)
  [ "$rc" -eq 0 ] || { echo "a worker failed (exit $rc): see $W/$db.worker*.log" >&2; tail -20 "$W/$db".worker*.log >&2; exit 1; }
  local workers dovecot proxies pg
  workers=$(cat "$W/$db".worker*.time | awk '{ s += $1 + $2 } END { printf "%.1f", s }')
  dovecot=$(echo "$(cpu_seconds "$(cat "$W/run/master.pid")") - $dovecot0" | bc)
  proxies=$(echo "$(cpu_seconds "${PIDS[@]}") - $proxies0" | bc)
  pg=$(echo "$(cpu_seconds "$(head -1 "$W/pg/postmaster.pid")") - $pg0" | bc)
  printf 'CPU s: workers %s, dovecot %s, delay proxies %s, postgresql %s; %.2f cores busy on average\n' "$workers" "$dovecot" "$proxies" "$pg" \
    "$(echo "($workers + $dovecot + $proxies + $pg) / ($end - $start)" | bc -l)" >"$W/$db.cpu"
  echo "$end - $start" | bc
}

[ -z "$SKIP_IMAP" ] && echo "== IMAP -> IMAP, $MAILBOXES mailboxes x $MESSAGES messages, about $((2 * DELAY_MS)) ms round trip each side, $PER_WORKER_MAILBOXES mailboxes at a time per worker"
for n in $([ -z "$SKIP_IMAP" ] && echo "$WORKER_COUNTS"); do
  plan="$W/imap$n/plan.yaml"; mkdir -p "$W/imap$n"
  {
    printf 'apiVersion: migration-engine/v1\nkind: MigrationPlan\nmetadata:\n  name: bench-workers-imap\nspec:\n'
    printf '  sources:\n    old:\n      type: imap\n      host: 127.0.0.1\n      port: %s\n      tls: none\n      allowInsecure: true\n      auth:\n        username: "{mailbox}"\n        password: env:BENCH_PW\n' "$SRC_PORT"
    printf '  targets:\n    new:\n      type: imap\n      host: 127.0.0.1\n      port: %s\n      tls: none\n      allowInsecure: true\n      auth:\n        username: "{mailbox}"\n        password: env:BENCH_PW\n' "$DST_PORT"
    printf '  mailboxSets:\n    all:\n      mailboxes:\n'
    for i in $(seq 1 "$MAILBOXES"); do printf '        - source: src%s\n          target: dst%s_%s\n' "$i" "$n" "$i"; done
    printf '  migrations:\n    - name: copy\n      type: imap\n      from: old\n      to: new\n      mailboxSets: [all]\n      concurrency:\n        mailboxes: %s\n        connectionsPerMailbox: 1\n' "$PER_WORKER_MAILBOXES"
  } >"$plan"
  seconds=$(run_workers "$n" "$plan" "imap$n")
  copied=$(find "$W/mail" -path "*/dst${n}_*" -type f \( -path '*/cur/*' -o -path '*/new/*' \) | wc -l)
  printf '%s workers: %6.1f s  (%s messages in the targets, %.0f msg/s); %s\n' "$n" "$seconds" "$copied" "$(echo "$copied / $seconds" | bc -l)" "$(cat "$W/imap$n.cpu")"
  [ "$copied" -eq $((MAILBOXES * MESSAGES)) ] || { echo "expected $((MAILBOXES * MESSAGES)) messages in the targets" >&2; exit 1; }
done

[ -n "$SKIP_SMALL" ] && exit 0
echo "== Maildir -> Maildir, $SMALL_MAILBOXES mailboxes x 20 small messages (scheduling overhead)"
python3 "$HERE/../files/make-many-mailboxes.py" "$W/small" "$SMALL_MAILBOXES"
for n in $SMALL_WORKER_COUNTS; do
  # A target folder of its own per run, nothing deleted before it: on an ext4 without a journal, creating files right
  # after an rm -rf of 40,000 is several times slower (see bench/files/many-mailboxes.sh).
  sed -e "s|path: out|path: out$n|" "$W/small/plan.yaml" >"$W/small/plan$n.yaml"
  seconds=$(run_workers "$n" "$W/small/plan$n.yaml" "small$n")
  printf '%s workers: %6.1f s  (%.1f ms per mailbox); %s\n' "$n" "$seconds" "$(echo "$seconds * 1000 / $SMALL_MAILBOXES" | bc -l)" "$(cat "$W/small$n.cpu")"
done
