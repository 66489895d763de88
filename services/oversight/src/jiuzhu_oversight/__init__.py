"""jiuzhu oversight service (区民政局监督 Oversight)."""
