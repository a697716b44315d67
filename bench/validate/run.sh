#!/usr/bin/env bash
# Times `migrate validate` on a generated plan with 10,000 mailboxes (5,000 inline, 5,000 in a CSV).
# Target: the whole process under 1 s. Usage: bench/validate/run.sh [runs]
# Uses the CLI's validate command when it builds, otherwise (or with USE_CLI=0) bench/validate/ValidatePlan, a
# minimal host for PlanLoader.Load that shows the loader's own cost without the CLI's start-up.
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
runs="${1:-5}"
work="$(mktemp -d)"
artifacts="${ARTIFACTS:-/tmp/art-bench-validate}"
trap 'rm -rf "$work"' EXIT

# --- generate the plan ---
plan="$work/plan.yaml"
{
  cat <<'YAML'
apiVersion: migration-engine/v1
kind: MigrationPlan
metadata:
  name: bench-10000
spec:
  sources:
    old:
      type: imap
      host: imap.example.org
      port: 993
      tls: implicit
  targets:
    exo:
      type: graph
      tenantId: 00000000-0000-0000-0000-000000000001
      clientId: 00000000-0000-0000-0000-000000000002
      clientSecret: env:EXO_CLIENT_SECRET
  mailboxSets:
    inline:
      mailboxes:
YAML
  awk 'BEGIN { for (i = 1; i <= 5000; i++) {
    printf "        - source: user%05d@example.org\n          target: user%05d@contoso.com\n          password: env:PW_%05d\n", i, i, i } }'
  cat <<'YAML'
    from-csv:
      csv: mailboxes.csv
  migrations:
    - name: everyone
      type: imap
      from: old
      to: exo
      mailboxSets:
        - inline
        - from-csv
YAML
} > "$plan"
{
  echo "EmailAddress,UserName,Password"
  awk 'BEGIN { for (i = 5001; i <= 10000; i++) printf "user%05d@contoso.com,user%05d@example.org,env:PW_%05d\n", i, i, i }'
} > "$work/mailboxes.csv"
echo "plan: $(wc -c < "$plan") bytes, csv: $(wc -c < "$work/mailboxes.csv") bytes"

# --- pick the tool ---
cli_project="$repo/engine/MigrationEngine.Cli/MigrationEngine.Cli.csproj"
tool=()
if [ "${USE_CLI:-1}" = "1" ] && dotnet build "$cli_project" -c Release --artifacts-path "$artifacts" -v quiet -nologo >/dev/null 2>&1; then
  # The CLI's apphost (assembly name "migrate"); exit code 0 = valid, so warnings are fine.
  cli="$(find "$artifacts/bin/MigrationEngine.Cli" -maxdepth 2 -type f \( -name migrate -o -name MigrationEngine.Cli \) -perm -u+x | head -n 1)"
  if [ -n "$cli" ] && "$cli" validate "$plan" >/dev/null 2>&1; then
    tool=("$cli" validate "$plan")
  fi
fi
if [ ${#tool[@]} -eq 0 ]; then
  dotnet build "$repo/bench/validate/ValidatePlan/ValidatePlan.csproj" -c Release --artifacts-path "$artifacts" -v quiet -nologo >/dev/null
  tool=("$artifacts/bin/ValidatePlan/release/ValidatePlan" "$plan")
  echo "CLI validate command not available; timing bench/validate/ValidatePlan (PlanLoader.Load)"
fi
echo "command: ${tool[*]}"

# --- time it (wall clock of the whole process; user+sys CPU is printed too, as it is steadier on a busy machine) ---
"${tool[@]}" >/dev/null 2>&1 || { echo "validation reported errors:"; "${tool[@]}" | head -n 20; exit 1; }
best=""
for _ in $(seq 1 "$runs"); do
  start=$(date +%s%N)
  cpu=$( { TIMEFORMAT='%U+%S'; time "${tool[@]}" >/dev/null 2>&1 || true; } 2>&1 )
  end=$(date +%s%N)
  ms=$(( (end - start) / 1000000 ))
  echo "run: ${ms} ms wall, cpu ${cpu} s"
  if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
done
echo "best of $runs: ${best} ms (whole process, target < 1000 ms)"
