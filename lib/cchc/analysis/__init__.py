"""Stage 2, the analysis: a province's figures over time, its position, targets and TTHC rates, as
DataFrames (``metrics``); the years a user may ask for (``years``); ``cchc export``. Uses ``cchc.data``."""
