"""jiuzhu disbursement service (资金发放 Disbursement)."""
