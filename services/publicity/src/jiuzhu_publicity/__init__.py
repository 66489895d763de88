"""jiuzhu publicity service (公示 Publicity)."""
