"""Write a PNG of each page type to docs/screenshots/.

Loads the demo archive into a throwaway SQLite database, serves it on a free local port and
photographs the pages with Playwright and Debian's Chromium.

    python scripts/screenshots.py --out docs/screenshots
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(*args: str, env: dict) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def wait_for(url: str, *, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit(f"The server did not answer at {url}") from None
            time.sleep(0.3)


def page_urls() -> dict[str, str]:
    """One URL of every page type, chosen from the demo archive."""
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()
    from django.db.models import Count, Q

    from articles.models import Article, Party, Politician

    confirmed = Q(mentions__state="confirmed")
    article = (
        Article.objects.published()
        .annotate(people=Count("mentions", filter=confirmed))
        .order_by("-people", "-published_at")
        .first()
    )
    politician = (
        Politician.objects.annotate(n=Count("mentions", filter=confirmed)).order_by("-n").first()
    )
    party = Party.objects.annotate(n=Count("memberships")).order_by("-n").first()
    if not (article and politician and party):
        raise SystemExit("The demo archive is empty: did load_demo run?")
    year = article.published_on.year
    return {
        "home": "/",
        "browse": "/articles/",
        "browse-filtered": f"/articles/?party={party.slug}&year={year}",
        "search": "/articles/?q=referendum",
        "article": article.get_absolute_url(),
        "politicians": "/politicians/",
        "politician": politician.get_absolute_url(),
        "parties": "/parties/",
        "party": party.get_absolute_url(),
    }


def photograph(base_url: str, urls: dict[str, str], out: Path) -> None:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": 1280, "height": 960}, base_url=base_url)
        for name, url in urls.items():
            response = page.goto(url)
            if response is None or response.status != 200:
                status = response.status if response else "no answer"
                raise SystemExit(f"{url} answered {status}")
            path = out / f"{name}.png"
            page.screenshot(path=str(path))
            print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  <- {url}")
        browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    options = parser.parse_args()
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is missing: apt-get install chromium", file=sys.stderr)
        return 1
    out = options.out if options.out.is_absolute() else Path.cwd() / options.out

    with tempfile.TemporaryDirectory(prefix="newsroom-screens-") as tmp:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp}/demo.sqlite3",
            "DJANGO_ENV": "development",
            "DJANGO_ALLOW_ASYNC_UNSAFE": "true",
        }
        os.environ.update(env)
        manage("migrate", "--noinput", "--verbosity", "0", env=env)
        manage("load_demo", env=env)
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base_url = f"http://127.0.0.1:{port}"
            wait_for(base_url + "/")
            photograph(base_url, page_urls(), out)
        finally:
            server.terminate()
            server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
