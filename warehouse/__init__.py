"""cctns-warehouse: warehouse package."""
