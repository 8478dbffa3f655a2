"""Print the database named by DATABASE_URL as shell variables, for the backup scripts.

DB_ENGINE is "postgresql" or "sqlite"; for SQLite DB_PATH is the file; for PostgreSQL the PG*
variables that pg_dump, pg_restore and psql read. The default is the project's SQLite file, as in
newsroom/settings.py.
"""

import os
import shlex
import sys
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def main() -> int:
    config = dj_database_url.config(
        env="DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    )
    engine = config["ENGINE"].rsplit(".", 1)[-1]
    if engine == "sqlite3":
        values = {"DB_ENGINE": "sqlite", "DB_PATH": os.path.abspath(config["NAME"])}
    elif engine == "postgresql":
        values = {
            "DB_ENGINE": "postgresql",
            "PGDATABASE": config["NAME"],
            "PGUSER": config.get("USER") or "",
            "PGPASSWORD": config.get("PASSWORD") or "",
            "PGHOST": config.get("HOST") or "",
            "PGPORT": str(config.get("PORT") or ""),
        }
        values = {k: v for k, v in values.items() if v}
    else:
        print(f"Backups support SQLite and PostgreSQL, not {config['ENGINE']}.", file=sys.stderr)
        return 1
    for name, value in values.items():
        print(f"export {name}={shlex.quote(value)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
