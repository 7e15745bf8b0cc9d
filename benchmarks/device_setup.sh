# Sourced by the one-call GPU scripts: where outputs go ($out), which Python ($py), the
# pure-Python wheels the bare device machines lack (.device/wheels, no network there), and
# the repository on PYTHONPATH. Run from the repository root.
out=${OUT:-gpu-results}
mkdir -p "$out"
py=${PYTHON:-python3}
if [ -d .device/wheels ]; then
    "$py" -m pip install --quiet --no-index --no-deps .device/wheels/*.whl 2>&1 | tail -2
fi
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}" PYTHONUNBUFFERED=1
