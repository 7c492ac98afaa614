"""cctns-warehouse: quality package."""
