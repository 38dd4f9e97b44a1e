"""`python -m cchc` runs the `cchc` command."""

from .cli import main

raise SystemExit(main())
