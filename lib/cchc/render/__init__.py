"""Stage 4, rendering one report: check its parameters, execute the notebook with papermill (``notebook``),
export HTML with nbconvert (``exporters``) and PDF printed by Chromium (``pdf``), write the files atomically."""
