"""Local infrastructure and process supervision for jiuzhu (development, demo, tests)."""
