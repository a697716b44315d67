#!/usr/bin/env bash
# Copies N generated messages (default 5000) into the local Graph emulator twice: without throttling and with
# random 429 answers (default 2% of mailbox requests, Retry-After 1 s). Prints messages/s, requests per message
# and the time waited on Retry-After.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
artifacts="${ARTIFACTS:-/tmp/art-graph-bench}"
dotnet build "$here/GraphBench.csproj" -c Release --artifacts-path "$artifacts" -v quiet -nologo >/dev/null
exec dotnet "$artifacts/bin/GraphBench/release/GraphBench.dll" "${1:-5000}" "${2:-0.02}"
