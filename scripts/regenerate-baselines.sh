#!/usr/bin/env bash
# Rewrites tests/MigrationEngine.Core.Tests/Baselines/*/expected.txt from the current loader's output.
# Review the diff (git diff tests/MigrationEngine.Core.Tests/Baselines) before committing.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
artifacts="${ARTIFACTS:-/tmp/art-baselines}"
REGENERATE_BASELINES=1 dotnet test "$repo/tests/MigrationEngine.Core.Tests/MigrationEngine.Core.Tests.csproj" \
  --artifacts-path "$artifacts" --filter "FullyQualifiedName~BaselineTests" -nologo
git -C "$repo" status --short -- tests/MigrationEngine.Core.Tests/Baselines
