"""Runtime kit shared by every jiuzhu service (the ServiceDefaults of this project)."""
