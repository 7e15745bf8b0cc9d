#!/usr/bin/env bash
# The whole GPU measurement in one call, for the device tool (or any CUDA machine):
#   doctor (text and JSON), the CUDA tests, then `lamadesk-cli bench` at 512/1024/2048.
# Output files land in $OUT (the device tool brings them back) or ./gpu-results.
# Run from the repository root. Wheels for pure-Python dependencies the machine lacks can be
# put in .device/wheels (the device machines have no network). BENCH_FLAGS=--compile adds
# the torch.compile path (~45 s of compiling per size and step on a cold cache).
set -uo pipefail
. benchmarks/device_setup.sh
export LAMADESK_DATA_DIR="$out/data"
sizes=${SIZES:-512,1024,2048}
runs=${RUNS:-10}

{
    echo "== nvidia-smi"; nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv
    echo "== doctor"; "$py" -m lamadesk.cli doctor
} 2>&1 | tee "$out/doctor.txt"
"$py" -m lamadesk.cli doctor --json > "$out/doctor.json"
"$py" -m pytest -q -rf --tb=short -p no:cacheprovider -c /dev/null --rootdir . tests/gpu \
    > "$out/gpu-tests-full.txt" 2>&1
grep -v DEBUG "$out/gpu-tests-full.txt" | tail -40 | tee "$out/gpu-tests.txt"
"$py" -m tools.make_test_model "$out/random-big-lama.pt"
"$py" -m lamadesk.cli bench --device cuda --sizes "$sizes" --runs "$runs" \
    --model "$out/random-big-lama.pt" ${BENCH_FLAGS:-} 2>&1 | tee "$out/bench-cuda.txt"
rm -f "$out/random-big-lama.pt"
rm -rf "$out/data"
