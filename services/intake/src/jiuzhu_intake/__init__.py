"""jiuzhu intake service (受理 Intake)."""
