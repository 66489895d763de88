"""jiuzhu decision service (审核确认 Decision)."""
