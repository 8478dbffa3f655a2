#!/usr/bin/env bash
# Load test: gunicorn with production settings on a loopback port, and wrk (Debian package
# "wrk") as a second process sending the benchmark's page mix over many connections.
#
#   scripts/loadtest.sh [off|on]...      (default: off on; make loadtest)
#
#   off  page cache off: every request renders its page (the load test of the performance issue)
#   on   page cache on: the same URLs over and over, answered from the cache
#
# The database is the one DATABASE_URL names; it must be migrated and hold an archive
# (generate_archive). Nothing is written to it. Settings, from the environment:
#   LOADTEST_DURATION (s, 60)  LOADTEST_CONNECTIONS (50)  LOADTEST_THREADS (2)
#   LOADTEST_TIMEOUT (s, 30)   LOADTEST_PORT (8099)       WORKERS (gunicorn workers, 2)
# Exits non-zero if any response was not 2xx/3xx or any socket error happened.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
GUNICORN=${GUNICORN:-.venv/bin/gunicorn}
DURATION=${LOADTEST_DURATION:-60}
CONNECTIONS=${LOADTEST_CONNECTIONS:-50}
THREADS=${LOADTEST_THREADS:-2}
TIMEOUT=${LOADTEST_TIMEOUT:-30}
PORT=${LOADTEST_PORT:-8099}
WORKERS=${WORKERS:-2}
if [ $# -gt 0 ]; then MODES=("$@"); else MODES=(off on); fi

if ! command -v wrk >/dev/null; then
    echo "wrk is not installed: apt-get install wrk" >&2
    exit 2
fi
for mode in "${MODES[@]}"; do
    case $mode in off | on) ;; *)
        echo "Unknown mode '$mode': use off and/or on." >&2
        exit 2
        ;;
    esac
done

# Production settings, as behind the reverse proxy (wrk sends X-Forwarded-Proto: https).
export DJANGO_ENV=production
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-$("$PY" -c "import secrets; print(secrets.token_urlsafe(50))")}
export DJANGO_ALLOWED_HOSTS=127.0.0.1
export DJANGO_TRUSTED_PROXY_COUNT=0

work=$(mktemp -d)
server=
stop_server() {
    if [ -n "$server" ]; then
        kill "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
        server=
    fi
}
trap 'stop_server; rm -rf "$work"' EXIT

if ! "$PY" manage.py migrate --check >/dev/null; then
    echo "The database has unapplied migrations: run manage.py migrate first." >&2
    exit 2
fi
"$PY" manage.py collectstatic --noinput --verbosity 0
"$PY" manage.py loadtest_urls >"$work/urls.txt"
echo "Page mix: $(wc -l <"$work/urls.txt") URLs (the benchmark's), $CONNECTIONS connections," \
    "${DURATION}s per mode, gunicorn with $WORKERS workers on 127.0.0.1:$PORT."

base=http://127.0.0.1:$PORT
results=()
for mode in "${MODES[@]}"; do
    [ "$mode" = on ] && cache=1 || cache=0
    echo
    echo "== page cache $mode =="
    DJANGO_PAGE_CACHE=$cache "$GUNICORN" newsroom.wsgi --bind "127.0.0.1:$PORT" \
        --workers "$WORKERS" --timeout "$((TIMEOUT + 30))" >"$work/gunicorn-$mode.log" 2>&1 &
    server=$!
    for _ in $(seq 120); do
        curl -fsS -o /dev/null "$base/healthz" 2>/dev/null && break
        if ! kill -0 "$server" 2>/dev/null; then
            cat "$work/gunicorn-$mode.log" >&2
            exit 1
        fi
        sleep 0.5
    done
    curl -fsS -o /dev/null "$base/healthz"
    # One pass over the mix first, so both modes start with the database's buffers warm.
    while read -r path; do
        curl -sS -o /dev/null -H "X-Forwarded-Proto: https" "$base$path"
    done <"$work/urls.txt"
    wrk --threads "$THREADS" --connections "$CONNECTIONS" --duration "${DURATION}s" \
        --timeout "${TIMEOUT}s" --script scripts/loadtest.lua "$base" -- \
        "$work/urls.txt" "cache-$mode" | tee "$work/wrk-$mode.txt"
    results+=("$(grep '^RESULT ' "$work/wrk-$mode.txt")")
    stop_server
    if grep -q -E '"status": 5[0-9][0-9]' "$work/gunicorn-$mode.log"; then
        echo "Server errors, from the application log:" >&2
        grep -E '"status": 5[0-9][0-9]|Traceback|Error' "$work/gunicorn-$mode.log" | head -20 >&2
    fi
done

echo
printf '%s\n' "${results[@]}"
! printf '%s\n' "${results[@]}" | grep -q -v ' errors=0$'
