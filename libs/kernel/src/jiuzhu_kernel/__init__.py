"""The pure kernel every service's domain may import: rules and values, no infrastructure."""
