import os
import threading

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
application = get_wsgi_application()

# Each worker reads the facet sample into memory as it starts, in the background, so the first
# large browse does not wait for it (articles/facets/sample.py).
if os.environ.get("DJANGO_WARM_SAMPLE", "1") != "0":
    from articles.facets.sample import warm

    threading.Thread(target=warm, name="warm-facet-sample", daemon=True).start()
