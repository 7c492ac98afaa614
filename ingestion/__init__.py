"""cctns-warehouse: ingestion package."""
