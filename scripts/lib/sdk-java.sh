# shellcheck shell=bash
# Sourced by the ops scripts: sdk_java MAIN_CLASS ARGS... runs one of the SDK's commands with the example
# service's jar (it holds every module), building the jar first when missing.
sdk_java() {
  local root jar
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  jar="$(ls "$root"/examples/example-service/target/example-service-*-all.jar 2>/dev/null | head -1)"
  if [ -z "$jar" ]; then
    (cd "$root" && ./mvnw -B -q -DskipTests install -pl examples/example-service -am) >&2
    jar="$(ls "$root"/examples/example-service/target/example-service-*-all.jar | head -1)"
  fi
  java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$jar" "$@"
}
