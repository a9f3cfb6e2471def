#!/usr/bin/env bash
# The main job on the bundled samples: size the clause of every sample operation and write
# its tender-file clause (CCAP article, RC mention, manifests) into out/<sample>/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

OUT="${OUT:-out}"
for operation in samples/*/operation.yaml; do
  name="$(basename "$(dirname "$operation")")"
  echo "=== clausegen calibrate $operation"
  clausegen calibrate "$operation"
  echo
  echo "=== clausegen tender $operation -o $OUT/$name"
  clausegen tender "$operation" -o "$OUT/$name"
  echo
done
