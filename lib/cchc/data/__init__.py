"""Stage 1, the data: the tables' schema, reading and checking ``data/`` (CSV files, workbooks, the
province registry), importing users' and publishers' files, and the figures computed from complete
national tables. Depends only on the base modules (config, errors, files)."""
