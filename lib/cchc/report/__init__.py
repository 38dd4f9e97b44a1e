"""Stage 3, what a report shows: sections (tables, figures and sentences) for the province report and the
national overview, the charts, the words and numbers in the reader's language, and their HTML templates.
Uses ``cchc.analysis`` and ``cchc.data``; runs inside the report kernel."""
