#!/usr/bin/env bash
# Bring the publishers' complete national tables into data/, one `cchc import` per file (data/README.md).
# Usage: tools/import-publishers.sh SOURCES_DIR [cchc import options, e.g. --dry-run or --into DIR]
# SOURCES_DIR (searched recursively) holds VCCI's PCI workbooks PCI_<year>.xls / .xlsx, the PAPI data
# workbook PAPI_2011-2016.xlsx and the fact tables pci_totals_2016_2022.csv, pci_subindices_2023.csv,
# papi_2011_2024.csv and dti_2022_ranks.csv, and the press facts par_sipas_2022_2025.csv and
# pci_dti_recent.csv. Where a publisher's table and data/ disagree, the table is used (--prefer publisher);
# the press facts follow the written rule (--prefer rule); the other rows stay, with their sources. Running it
# again changes nothing.
set -euo pipefail
dir=${1:?usage: tools/import-publishers.sh SOURCES_DIR [cchc import options]}
shift
cchc=${CCHC:-$(dirname "$0")/../.venv/bin/cchc}
one() {  # the one file called $1 under $dir
    find "$dir" -name "$1" -type f | sort | head -n 1
}
# VCCI's workbooks hide parts that the reader reads or knows to leave out: 2006 its English header row (a label
# of each column), 2015 and 2016 a column of English tier names beside the Vietnamese ones; hence --include-hidden
# (the import names the hidden parts it included).
while IFS= read -r workbook; do
    "$cchc" import "$workbook" --prefer publisher --include-hidden "$@"
done < <(find "$dir" -regextype posix-extended -regex '.*/PCI_20[0-9]{2}\.xlsx?' -type f | sort)
"$cchc" import "$(one pci_totals_2016_2022.csv)" --prefer publisher "$@"
"$cchc" import "$(one pci_subindices_2023.csv)" --year 2023 --prefer publisher "$@"
"$cchc" import "$(one PAPI_2011-2016.xlsx)" --prefer publisher "$@"
"$cchc" import "$(one papi_2011_2024.csv)" --prefer publisher "$@"
"$cchc" import "$(one dti_2022_ranks.csv)" --prefer publisher "$@"
# Press facts (one figure a row with the page that printed it): PAR INDEX and SIPAS 2022-2024, PCI 2023-2024,
# DTI 2020-2024. Each cites the publisher with the page as the route; rows are only added beside the data,
# never preferred over a figure already used; where no figure is used yet, the written rule of data/README.md
# decides (--prefer rule).
"$cchc" import "$(one par_sipas_2022_2025.csv)" --prefer rule "$@"
"$cchc" import "$(one pci_dti_recent.csv)" --prefer rule "$@"
