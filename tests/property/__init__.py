"""Property-based tests (Hypothesis): random valid and broken uploads through ingest and build."""
