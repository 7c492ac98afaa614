"""cctns-warehouse: sample_data package."""
