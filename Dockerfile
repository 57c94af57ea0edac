# The application image used by web, worker and beat in docker-compose.yml.

# Front-end libraries from the npm registry, pinned by package-lock.json.
FROM node:20-bookworm-slim AS frontend
WORKDIR /frontend
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext libpango-1.0-0 libpangoft2-1.0-0 \
       libharfbuzz0b fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
# pg_dump and pg_restore for `manage.py backup` and `restore` (docs/backup.md): Debian
# bookworm's client is PostgreSQL 15, the major version of the db service (and of the
# test suite). Upgrading the db image means a client of that version here too.
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --upgrade "pip>=25.1" && pip install .
COPY . .
COPY --from=frontend /frontend/node_modules ./node_modules
# Build-time only: collectstatic needs settings, not secrets that matter.
RUN DJANGO_DEBUG=1 python manage.py compilemessages --ignore=.venv -v 0 \
    && DJANGO_DEBUG=0 SECRET_KEY=build-only-key-not-used-at-runtime-0123456789abcdefghij \
       ALLOWED_HOSTS=build python manage.py collectstatic --noinput -v 0

RUN useradd --create-home --uid 1000 app && mkdir -p /data/uploads /backups \
    && chown app /data/uploads /backups && chmod 700 /backups
USER app
EXPOSE 8000
CMD ["gunicorn", "tracker.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
