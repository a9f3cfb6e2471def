#!/usr/bin/env bash
# The main job on the bundled samples: size the clause of every sample operation.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

for operation in samples/*/operation.yaml; do
  echo "=== clausegen calibrate $operation"
  clausegen calibrate "$operation"
  echo
done
