#!/bin/sh
# Creates the namespace the booking worker uses, once; the API registers its search attributes at start.
set -eu
NS="${DEFAULT_NAMESPACE:-default}"
until temporal operator cluster health >/dev/null 2>&1; do echo "waiting for Temporal"; sleep 1; done
temporal operator namespace describe --namespace "$NS" >/dev/null 2>&1 ||
  temporal operator namespace create --namespace "$NS" --retention 30d
echo "namespace $NS ready"
