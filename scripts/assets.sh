#!/usr/bin/env bash
# The SDK's bundled infrastructure assets: scripts/assets.sh list | export DIR
set -euo pipefail
. "$(dirname "$0")/lib/sdk-java.sh"
sdk_java io.spaghetti.sdk.core.assets.AssetsCommand "$@"
