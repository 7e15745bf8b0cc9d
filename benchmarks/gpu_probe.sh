#!/usr/bin/env bash
# One device call for development: the CUDA tests, the bench without compiling,
# background-compile timing cold and warm (same cache folder, two processes), then the
# bench's compiled path at the larger sizes.
set -uo pipefail
. benchmarks/device_setup.sh
export LAMADESK_DATA_DIR=/tmp/lamadesk-data
"$py" -m pytest -q -rf --tb=short -p no:cacheprovider -c /dev/null --rootdir . tests/gpu \
    > "$out/gpu-tests.txt" 2>&1
grep -v DEBUG "$out/gpu-tests.txt" | grep -E "passed|failed|Error|error" | tail -15
"$py" -m tools.make_test_model /tmp/random-big-lama.pt
"$py" -m lamadesk.cli bench --device cuda --sizes "${SIZES:-512,1024,2048}" --runs "${RUNS:-10}" \
    --model /tmp/random-big-lama.pt 2>&1 | tee "$out/bench-cuda.txt"
for label in cold warm; do
    timeout 150 "$py" benchmarks/compile_probe.py --model /tmp/random-big-lama.pt \
        --cache /tmp/compile-cache --label "$label" > "$out/compile-$label.txt" 2>&1
    grep -v DEBUG "$out/compile-$label.txt" | grep -E "compile_shape|Error" | tail -3
done
timeout 170 "$py" -m lamadesk.cli bench --device cuda --sizes 1024,2048 --runs "${RUNS:-10}" \
    --model /tmp/random-big-lama.pt --compile 2>&1 | tee "$out/bench-cuda-compiled.txt"
