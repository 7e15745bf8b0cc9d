"""`python -m lamadesk.cli` is `lamadesk-cli`."""

from lamadesk.cli import main

raise SystemExit(main())
