import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bascule.settings")
application = get_wsgi_application()

# What start-up loaded (Django, the project's modules and their constants) lives as long
# as the process. Frozen, it is no longer walked by the garbage collector's full
# collections, which otherwise stopped a request for about 100 ms every hundred or so
# home pages (bench/network_pages.py imports this module to run the same way).
gc.freeze()
