"""Entry script of the frozen ``lamadesk-cli`` (console) executable."""

from lamadesk.cli import main

raise SystemExit(main())
