FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=gongyi.settings

RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

COPY requirements.lock .
RUN pip install --no-cache-dir --require-hashes -r requirements.lock

COPY . .

# Build-only secret: settings.py refuses to start without DJANGO_SECRET_KEY when DEBUG is off.
RUN DJANGO_SECRET_KEY=build-only DJANGO_DEBUG=0 python manage.py compilemessages --ignore=.venv \
    && DJANGO_SECRET_KEY=build-only DJANGO_DEBUG=0 python manage.py collectstatic --noinput

# The media and backup folders exist in the image, owned by the app's user: an empty named
# volume mounted there (docker-compose.yml) starts with this owner.
RUN useradd --system --create-home --uid 10001 gongyi \
    && mkdir -p /var/lib/gongyi/media /var/lib/gongyi/backups \
    && chown -R gongyi:gongyi /app /var/lib/gongyi
USER gongyi

EXPOSE 8000

# SECURE_SSL_REDIRECT is on in production: send X-Forwarded-Proto (trusted via SECURE_PROXY_SSL_HEADER).
# Host must be in ALLOWED_HOSTS, so use the first entry of DJANGO_ALLOWED_HOSTS (default localhost).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import os,sys,urllib.request as u; h=(os.environ.get('DJANGO_ALLOWED_HOSTS') or 'localhost').split(',')[0].strip().lstrip('.'); h='localhost' if h in ('','*') else h; r=u.urlopen(u.Request('http://127.0.0.1:8000/healthz', headers={'X-Forwarded-Proto': 'https', 'Host': h}), timeout=4); sys.exit(0 if r.status == 200 and r.read().strip() == b'ok' else 1)"

CMD ["gunicorn", "gongyi.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
