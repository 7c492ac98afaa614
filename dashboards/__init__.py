"""cctns-warehouse: dashboards package."""
