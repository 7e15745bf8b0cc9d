"""Write random big-lama weights for speed tests: ``python -m tools.make_test_model PATH``.

Run from the repository root. The file has the real architecture and format, so
``lamadesk-cli bench --model PATH`` times it like the published model (and labels it), but it
cannot clean real photos.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tools.lama_test_model import make_test_model


def main() -> None:
    """Write the file named on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, help="file to write (overwritten)")
    args = parser.parse_args()
    make_test_model(args.path)
    print(
        f"wrote {args.path}: RANDOM weights of the real big-lama architecture, for speed "
        "tests only (lamadesk-cli bench --model PATH); it cannot clean real photos"
    )


if __name__ == "__main__":
    main()
