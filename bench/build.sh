#!/usr/bin/env bash
# Builds the release CLI for the benchmarks when its sources changed and prints the binary's path.
# The artifacts folder is keyed by the git tree of the working copy's build inputs (engine, the embedded plan schema,
# the build props; committed or not, new files included), written through a private index so the real one is
# untouched: the same sources give the same folder, any edit or branch switch gives another, so no figure is ever
# measured on a stale build. The build compiles a snapshot of exactly that tree (git archive), so an edit made while it
# runs cannot slip into a binary filed under the key from before the edit.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="${MIGRATE_ARTIFACTS:-/tmp/art-imap-bench-v3}"
index="$(mktemp -u)"
trap 'rm -f "$index"' EXIT
GIT_INDEX_FILE="$index" git -C "$repo" add -A -- engine schemas Directory.Build.props Directory.Packages.props .editorconfig >/dev/null
key="$(GIT_INDEX_FILE="$index" git -C "$repo" write-tree)"
# BUILD_FLAVOR=r2r: framework-dependent ReadyToRun of the engine's own assemblies only, minutes faster to build than the
# composite image (slower start-up): for before/after pairs while iterating, never mixed with composite figures.
flavor="${BUILD_FLAVOR:-composite}"
artifacts="$root/$key"
[[ "$flavor" == composite ]] || artifacts+="-$flavor"
migrate="$artifacts/publish/migrate"
if [[ ! -x "$migrate" ]]; then
  mkdir -p "$root"
  # One build at a time: two harness runs started together build once.
  exec 8>"$root/build.lock"
  flock 8
  if [[ ! -x "$migrate" ]]; then
    rm -rf "$artifacts"
    mkdir -p "$artifacts/src"
    git -C "$repo" archive "$key" | tar -x -C "$artifacts/src"
    cli="$artifacts/src/engine/MigrationEngine.Cli/MigrationEngine.Cli.csproj"
    # The build's artifacts path is a sibling of the sources, never their parent: the SDK leaves every file under the
    # artifacts path out of compilation, which left the CLI without its Program.cs (CS5001).
    # Self-contained with the runtime and the engine compiled ahead of time into one composite image. Measured against a
    # framework-dependent ReadyToRun build: about 0.8x the time of a no-op pass (start-up without JIT of the generic code
    # shared with the runtime) and 0.9x the time of the full copy. Compiled for x86-64-v3 (AVX2), the runtime's
    # vectorised code is precompiled too instead of compiled at start: 0.94x the time of a no-op pass.
    if [[ "$flavor" == r2r ]]; then
      dotnet publish "$cli" -c Release -r linux-x64 --self-contained false \
        -p:PublishReadyToRun=true --artifacts-path "$artifacts/build" -o "$artifacts/publish" -nologo -v quiet >&2
    else
      dotnet publish "$cli" -c Release -r linux-x64 --self-contained true \
        -p:PublishReadyToRun=true -p:PublishReadyToRunComposite=true -p:PublishReadyToRunCrossgen2ExtraArgs=--instruction-set:x86-64-v3 \
        --artifacts-path "$artifacts/build" -o "$artifacts/publish" -nologo -v quiet >&2
    fi
  fi
fi
echo "$migrate"
