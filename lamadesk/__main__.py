"""`python -m lamadesk` starts the desktop app, like the `lamadesk` command."""

from lamadesk.app import main

raise SystemExit(main())
