"""gunicorn's settings for this site (`gunicorn config.wsgi` picks this file up from the working directory).

The access log leaves out query strings: the links to a booking or an application carry their secret token there.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
accesslog = "-"
# %(U)s is the path without its query string; no token, no personal data, reaches the log.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(D)sμs'
