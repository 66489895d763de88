"""jiuzhu verification service (调查核对与审核 Verification)."""
