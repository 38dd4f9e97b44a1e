#!/usr/bin/env bash
# Strip notebook outputs on commit: nbstripout as a git filter in this repository's config (.gitattributes
# names it for *.ipynb). The command is relative to the top of the working tree, where git runs filters,
# so every checkout and worktree uses its own .venv. Outside a git checkout there is nothing to do.
set -eu
git rev-parse --is-inside-work-tree >/dev/null 2>&1 || exit 0
strip=".venv/bin/python -m nbstripout --keep-id"
git config filter.nbstripout.clean "$strip"
git config filter.nbstripout.smudge cat
git config filter.nbstripout.required true
# Lab and papermill also write what changes from machine to machine: the Python version, papermill's timings.
git config filter.nbstripout.extrakeys "metadata.language_info.version metadata.language_info.codemirror_mode \
metadata.language_info.file_extension metadata.language_info.mimetype metadata.language_info.nbconvert_exporter \
metadata.language_info.pygments_lexer metadata.papermill cell.metadata.papermill cell.metadata.execution"
git config diff.ipynb.textconv "$strip -t"
