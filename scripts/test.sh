#!/usr/bin/env bash
# `make test`: static checks, then pytest on SQLite, then again on PostgreSQL when it answers.
set -uo pipefail
bin=.venv/bin
failed=()
run() {
  local name=$1; shift
  echo "==> $name"
  if ! "$@"; then failed+=("$name"); fi
}

run "ruff check" $bin/ruff check .
run "ruff format" $bin/ruff format --check --quiet .
run "mypy" $bin/mypy kefu config
run "import contracts" $bin/lint-imports --no-cache
run "migrations up to date" $bin/python manage.py makemigrations --check --dry-run -v 0

databases=()
unset KEFU_DATABASE_URL
run "pytest on SQLite" $bin/pytest -n 2 -p no:randomly
databases+=("SQLite")

pg_url=${KEFU_TEST_PG_URL:-postgresql://postgres@127.0.0.1:5432/test}
if $bin/python - "$pg_url" <<'PY'
import sys, psycopg
try:
    psycopg.connect(sys.argv[1], connect_timeout=3).close()
except Exception as exc:  # noqa: BLE001 - any failure means "not available"
    print(f"PostgreSQL does not answer at {sys.argv[1]}: {exc}".splitlines()[0])
    sys.exit(1)
PY
then
  # The browser tests look at pages, not at the database: they run once, on SQLite.
  KEFU_DATABASE_URL=$pg_url run "pytest on PostgreSQL" $bin/pytest -n 2 -m "not browser"
  databases+=("PostgreSQL")
else
  echo "==> PostgreSQL skipped: it does not answer at $pg_url"
fi

echo
echo "Databases tested: ${databases[*]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
echo "All checks passed."
