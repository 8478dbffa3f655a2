#!/usr/bin/env bash
# Back up the archive's database (the one DATABASE_URL names; default: db.sqlite3).
#
#   scripts/backup.sh [FILE]      (default: backups/newsroom-<UTC time>.dump or .sqlite3)
#
# PostgreSQL: pg_dump's custom format (-Fc: compressed, one consistent snapshot, restored with
# scripts/restore.sh or pg_restore). SQLite: a consistent copy made with SQLite's online backup
# API, safe while the site is running. Either way the backup is checked before we say it is done.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
[ -x "$PY" ] || PY=python3

eval "$("$PY" scripts/database_env.py)"

stamp=$(date -u +%Y%m%dT%H%M%SZ)
if [ "$DB_ENGINE" = postgresql ]; then
    out=${1:-backups/newsroom-$stamp.dump}
    mkdir -p "$(dirname "$out")"
    pg_dump --format=custom --no-owner --no-privileges --file="$out.partial"
    pg_restore --list "$out.partial" >/dev/null
else
    out=${1:-backups/newsroom-$stamp.sqlite3}
    mkdir -p "$(dirname "$out")"
    if [ ! -f "$DB_PATH" ]; then
        echo "No database at $DB_PATH." >&2
        exit 1
    fi
    rm -f "$out.partial"
    "$PY" - "$DB_PATH" "$out.partial" <<'PYTHON'
import sqlite3
import sys

source = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
target = sqlite3.connect(sys.argv[2])
source.backup(target)
(result,) = target.execute("PRAGMA integrity_check").fetchone()
target.close()
source.close()
if result != "ok":
    sys.exit(f"The backup failed its integrity check: {result}")
PYTHON
fi
mv "$out.partial" "$out"
echo "Backed up the $DB_ENGINE database to $out ($(du -h "$out" | cut -f1))."
