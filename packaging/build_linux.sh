#!/usr/bin/env bash
# Build the one-folder lamadesk bundle on Linux with packaging/lamadesk.spec: the same spec as
# the Windows build, with a CPU PyTorch, so the frozen app can be built and tested here.
#
# Usage: packaging/build_linux.sh [OUT_DIR]       (default: build/frozen)
#   OUT_DIR/venv          a fresh virtual environment (deleted and made anew on every run)
#   OUT_DIR/work          PyInstaller's work folder
#   OUT_DIR/dist/lamadesk the bundle: lamadesk (app), lamadesk-cli, _internal/
#
# Environment:
#   PYTHON           interpreter for the venv (default: python3.11)
#   TORCH_SPEC       the torch requirement (default: torch==2.13.0; this machine has the CPU
#                    wheel in its local wheel folder)
#   TORCH_INDEX_URL  an index for torch, e.g. https://download.pytorch.org/whl/cpu on a machine
#                    where PyPI's torch would be the much larger CUDA build (default: pip's own)
#   PIP_CACHE_DIR    as for pip; a warm cache makes a rebuild much faster
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mkdir -p "${1:-$root/build/frozen}" && cd "${1:-$root/build/frozen}" && pwd)
python=${PYTHON:-python3.11}
torch_spec=${TORCH_SPEC:-torch==2.13.0}
venv=$out/venv
started=$(date +%s)

step() { printf '\n== %s (%ss)\n' "$1" "$(($(date +%s) - started))"; }

step "fresh virtual environment in $venv"
rm -rf "$venv" "$out/work" "$out/dist" "$out/src"
"$python" -m venv "$venv"
vpython=$venv/bin/python
"$vpython" -m pip install --quiet --upgrade pip

step "install $torch_spec"
torch_args=()
if [ -n "${TORCH_INDEX_URL:-}" ]; then
    torch_args=(--index-url "$TORCH_INDEX_URL")
fi
"$vpython" -m pip install --quiet "${torch_args[@]}" "$torch_spec"

step "install lamadesk (not editable) and PyInstaller"
# A wheel install, as users get it: the bundle must work from the package data alone. It is
# built from a copy of the sources, so setuptools' build/ and egg-info never touch the checkout
# and no stale file of an earlier build can slip into the wheel.
rm -rf "$out/src" && mkdir -p "$out/src"
cp -R "$root/pyproject.toml" "$root/README.md" "$root/lamadesk" "$root/resources" "$out/src/"
"$vpython" -m pip install --quiet "$out/src" "$torch_spec" "pyinstaller>=6.11"
"$vpython" -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda)'

step "PyInstaller"
(
    # Leave the checkout out of sys.path: the analysis must import the installed lamadesk.
    cd "$out"
    "$vpython" -m PyInstaller --noconfirm --clean --log-level WARN \
        --distpath "$out/dist" --workpath "$out/work" "$root/packaging/lamadesk.spec"
)

bundle=$out/dist/lamadesk
step "smoke test"
"$bundle/lamadesk-cli" --version
"$bundle/lamadesk-cli" doctor | head -n 1

elapsed=$(($(date +%s) - started))
size=$(du -sb "$bundle" | cut -f1)
files=$(find "$bundle" -type f | wc -l)
printf '\nbuilt %s in %ss: %s MiB in %s files\n' "$bundle" "$elapsed" "$((size / 1048576))" "$files"
printf 'BUILD_SECONDS=%s\nBUNDLE_BYTES=%s\n' "$elapsed" "$size" >"$out/build-info.txt"
