# Nastavnik bot image. Install and start go through the same Makefile targets as on a
# server without Docker (`make install`, `make webhook` / `make run`), so the tests of
# those targets cover the image too.
FROM python:3.11-slim

RUN apt-get update \
    && apt-get install -y --no-install-recommends make \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md Makefile alembic.ini ./
COPY bot ./bot
COPY storage ./storage
COPY locales ./locales
COPY emulator ./emulator
COPY benchmarks ./benchmarks
RUN make install

ENV WEBHOOK_HOST=0.0.0.0 WEBHOOK_PORT=8080
EXPOSE 8080
CMD ["make", "webhook"]
