#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an EMPTY database (the one DATABASE_URL names;
# default: db.sqlite3). A database that already holds tables is refused, so a restore never
# mixes two archives: restore into a new database, check it, then point the site at it.
#
#   scripts/restore.sh FILE
#
# PostgreSQL: the database is created if it does not exist, then pg_restore loads the dump in
# one transaction (all or nothing) and ANALYZE refreshes the planner's statistics.
# SQLite: the backup is checked (PRAGMA integrity_check) and copied into a new file.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
[ -x "$PY" ] || PY=python3

backup=${1:-}
if [ -z "$backup" ] || [ ! -f "$backup" ]; then
    echo "Usage: scripts/restore.sh FILE   (a backup made by scripts/backup.sh)" >&2
    exit 2
fi

eval "$("$PY" scripts/database_env.py)"

if [ "$DB_ENGINE" = postgresql ]; then
    if ! pg_restore --list "$backup" >/dev/null 2>&1; then
        echo "$backup is not a PostgreSQL backup (pg_dump -Fc)." >&2
        exit 1
    fi
    "$PY" scripts/ensure_database.py
    tables=$(psql -XAtc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
    if [ "$tables" != 0 ]; then
        echo "Database $PGDATABASE is not empty ($tables tables): restore into a new one." >&2
        exit 1
    fi
    pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
        --dbname="$PGDATABASE" "$backup"
    psql -XqAtc "ANALYZE"
    target="PostgreSQL database $PGDATABASE"
else
    "$PY" - "$backup" "$DB_PATH" <<'PYTHON'
import os
import sqlite3
import sys

backup, path = sys.argv[1], sys.argv[2]
try:
    source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    (result,) = source.execute("PRAGMA integrity_check").fetchone()
except sqlite3.DatabaseError as error:
    sys.exit(f"{backup} is not an SQLite backup: {error}")
if result != "ok":
    sys.exit(f"{backup} failed its integrity check: {result}")
if os.path.exists(path):
    with sqlite3.connect(path) as existing:
        (tables,) = existing.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
        ).fetchone()
    if tables:
        sys.exit(f"{path} is not empty ({tables} tables): restore into a new file.")
target = sqlite3.connect(path)
source.backup(target)
target.close()
source.close()
PYTHON
    target="SQLite database $DB_PATH"
fi
# Pages cached from the database the site used before must not be served from this one.
"$PY" manage.py clear_page_cache
echo "Restored $backup into the $target."
