#!/usr/bin/env bash
# The main job on the bundled samples: size the clause of every sample operation and write
# its tender-file clause (CCAP article, RC mention, manifests, their PDFs and the combined
# tender annex) into out/<sample>/; for each sample with execution data, also the commitment
# forms, the buyer compliance statements and the participants' end-of-mission balances, each
# with its PDF; then the evaluation across those operations (report with PDF, workbook).
# LibreOffice is installed when missing, for the PDFs.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
ensure_libreoffice

OUT="${OUT:-out}"
followed=()
for operation in samples/*/operation.yaml; do
  sample="$(dirname "$operation")"
  name="$(basename "$sample")"
  echo "=== clausegen calibrate $operation"
  clausegen calibrate "$operation"
  echo
  echo "=== clausegen tender $operation -o $OUT/$name --pdf"
  clausegen tender "$operation" -o "$OUT/$name" --pdf
  echo
  if [ -d "$sample/engagements" ]; then
    followed+=("$sample")
    blank="$(sed -n 's/^lot: *//p' "$sample"/engagements/*.yaml | sort -n | tail -1)"
    echo "=== clausegen commitment $operation --lot $blank -o $OUT/$name/execution --pdf"
    clausegen commitment "$operation" --lot "$blank" -o "$OUT/$name/execution" --pdf
    for company in "$sample"/engagements/*.yaml; do
      lot="$(sed -n 's/^lot: *//p' "$company")"
      echo "=== clausegen commitment $operation --lot $lot --company $company --pdf"
      clausegen commitment "$operation" --lot "$lot" --company "$company" \
        -o "$OUT/$name/execution" --pdf
    done
    ledger="$sample/heures.xlsx"
    [ -f "$ledger" ] || ledger="$sample/heures.csv"
    reporting=()
    [ -f "$sample/comptes-rendus.csv" ] && reporting=(--reporting "$sample/comptes-rendus.csv")
    echo "=== clausegen compliance $operation --commitments $sample/engagements --ledger $ledger ... --pdf"
    clausegen compliance "$operation" --commitments "$sample/engagements" \
      --ledger "$ledger" --participants "$sample/participants.yaml" \
      "${reporting[@]}" -o "$OUT/$name/execution" --pdf
    echo "=== clausegen balance $operation --ledger $sample/heures.csv ... --pdf"
    clausegen balance "$operation" --ledger "$sample/heures.csv" \
      --participants "$sample/participants.yaml" --commitments "$sample/engagements" \
      -o "$OUT/$name/bilans" --pdf
    echo
  fi
done
echo "=== clausegen evaluate ${followed[*]} --from 2027-01-01 --to 2028-06-30 -o $OUT/evaluation --pdf"
clausegen evaluate "${followed[@]}" --from 2027-01-01 --to 2028-06-30 -o "$OUT/evaluation" --pdf
