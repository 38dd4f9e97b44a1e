"""Stage 5, the batch: a year's reports from ``params/batch.yaml`` (``params``), planned, rendered
incrementally on local worker processes or a Dask cluster (``runner``, ``dask_executor``), with the index
page (``index_page``), the inputs' stamp for the no-op check (``stamp``) and ``make bench`` (``bench``)."""
