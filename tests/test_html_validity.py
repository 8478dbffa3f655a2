"""The Nu HTML Checker finds no errors on any page type, nor on the 404 and 500 pages."""

import json
import subprocess
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

from tests.browser.archive import build_archive, page_types, variants
from tests.browser.tools import VNU, java, require


@pytest.mark.django_db
def test_every_page_type_is_valid_html(client, tmp_path, settings):
    require(VNU, "run `npm ci` to install vnu-jar")
    java_binary = java()
    files = {}
    archive = build_archive()
    pages = {name: (url, 200) for name, url in page_types(archive).items()}
    pages.update(variants(archive))
    for name, (url, status) in pages.items():
        response = client.get(url)
        assert response.status_code == status, f"{url} answered {response.status_code}"
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files[path.name] = url
    # The error pages, as production serves them.
    settings.DEBUG = False
    not_found = "/politicians/jeremy-corbin/"
    response = client.get(not_found)
    assert response.status_code == 404 and b"error-suggestions" in response.content
    (tmp_path / "404.html").write_bytes(response.content)
    files["404.html"] = not_found
    bad_compare = "/compare/?politician=jeremy-corbyn&party=nope&add=%3Cb%3E"
    response = client.get(bad_compare)
    assert response.status_code == 400
    (tmp_path / "compare-400.html").write_bytes(response.content)
    files["compare-400.html"] = bad_compare
    (tmp_path / "500.html").write_text(server_error(RequestFactory().get("/")).content.decode())
    files["500.html"] = "500.html"

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
