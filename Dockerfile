# The one image for web, worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 WNH_VAR_DIR=/app/var
RUN apt-get update && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# Build-time only: collectstatic and compilemessages need settings, not a database or secrets.
RUN DJANGO_DEBUG=true python manage.py compilemessages --ignore=.venv -v0 \
    && DJANGO_DEBUG=false DJANGO_ALLOWED_HOSTS=build.invalid \
       DJANGO_SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-0123456789 \
       python manage.py collectstatic --noinput -v0
RUN useradd --create-home wnh && mkdir -p /app/var && chown wnh /app/var
USER wnh
EXPOSE 8000
CMD ["gunicorn", "wnh.wsgi:application", "--bind", "0.0.0.0:8000", "--logger-class", "wnh.logs.RedactingGunicornLogger"]
