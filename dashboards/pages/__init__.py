"""Dashboard pages: one module per page, each with a ``main()``."""
