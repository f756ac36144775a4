#!/usr/bin/env bash
# Serve the demo: a Huey consumer in the background and gunicorn in the foreground; stopping
# the server stops the consumer too.
set -euo pipefail
host=${1:-127.0.0.1}
port=${2:-8000}
mkdir -p var
.venv/bin/python manage.py run_huey --workers 2 >var/huey.log 2>&1 &
huey_pid=$!
trap 'kill "$huey_pid" 2>/dev/null || true' EXIT INT TERM
exec_status=0
.venv/bin/gunicorn config.wsgi:application --bind "$host:$port" --workers 3 \
  --access-logfile - --error-logfile - --log-level warning || exec_status=$?
exit "$exec_status"
