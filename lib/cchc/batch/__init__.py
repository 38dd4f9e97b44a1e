"""Stage 5, the batch: a year's reports from ``params/batch.yaml`` (``params``), planned (``plan``), each
``jobs.render_job`` run by an ``executor`` (local worker processes, ``local_pool``, or a Dask cluster,
``dask_executor``), kept in ``state`` and written by the batch process alone (``write``), in that order by
``runner``; with the index page (``index_page``), the inputs' stamp for the no-op check (``stamp``) and
``make bench`` (``bench``)."""
