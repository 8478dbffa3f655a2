"""The Nu HTML Checker finds no errors on any page type."""

import json
import subprocess
from pathlib import Path

import pytest

from tests.browser.archive import build_archive, page_types
from tests.browser.tools import VNU, java, require


@pytest.mark.django_db
def test_every_page_type_is_valid_html(client, tmp_path):
    require(VNU, "run `npm ci` to install vnu-jar")
    java_binary = java()
    files = {}
    for name, url in page_types(build_archive()).items():
        response = client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files[path.name] = url

    # One run over every page: the checker's start-up costs more than the checking. The quick
    # JIT tier halves that start-up; it needs the larger thread stack the checker asks for.
    run = subprocess.run(
        [
            java_binary,
            "-Xss8m",
            "-XX:TieredStopAtLevel=1",
            "-jar",
            str(VNU),
            "--format",
            "json",
            "--stdout",
            *sorted(map(str, tmp_path.iterdir())),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.stdout.strip(), f"the Nu HTML Checker printed nothing: {run.stderr}"
    report = json.loads(run.stdout)
    errors = [
        f"{files.get(Path(m.get('url', '')).name, m.get('url'))} line {m.get('lastLine', '?')}: "
        f"{m['message']}"
        for m in report["messages"]
        if m["type"] in {"error", "non-document-error"}
    ]
    assert not errors, "\n".join(errors)
