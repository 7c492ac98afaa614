"""cctns-warehouse: bench package."""
