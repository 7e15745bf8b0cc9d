"""Entry script of the frozen ``lamadesk`` (windowed) executable."""

from lamadesk.app import main

raise SystemExit(main())
