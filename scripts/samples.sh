#!/usr/bin/env bash
# The main job on the bundled samples: size the clause of every sample operation and write
# its tender-file clause (CCAP article, RC mention, manifests, their PDFs and the combined
# tender annex) into out/<sample>/; for the sample with execution data, also the commitment
# forms, the buyer compliance statements (with PDFs) and the participants' end-of-mission
# balances. LibreOffice is installed when missing, for the PDFs.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
ensure_libreoffice

OUT="${OUT:-out}"
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
    echo "=== clausegen commitment $operation --lot 4 -o $OUT/$name/execution"
    clausegen commitment "$operation" --lot 4 -o "$OUT/$name/execution"
    for company in "$sample"/engagements/*.yaml; do
      lot="$(sed -n 's/^lot: *//p' "$company")"
      echo "=== clausegen commitment $operation --lot $lot --company $company"
      clausegen commitment "$operation" --lot "$lot" --company "$company" -o "$OUT/$name/execution"
    done
    echo "=== clausegen compliance $operation --commitments $sample/engagements --ledger $sample/heures.xlsx ... --pdf"
    clausegen compliance "$operation" --commitments "$sample/engagements" \
      --ledger "$sample/heures.xlsx" --participants "$sample/participants.yaml" \
      --reporting "$sample/comptes-rendus.csv" -o "$OUT/$name/execution" --pdf
    echo "=== clausegen balance $operation --ledger $sample/heures.csv ..."
    clausegen balance "$operation" --ledger "$sample/heures.csv" \
      --participants "$sample/participants.yaml" --commitments "$sample/engagements" \
      -o "$OUT/$name/bilans"
    echo
  fi
done
