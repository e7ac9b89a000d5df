from openres_check.cli import main

raise SystemExit(main())
