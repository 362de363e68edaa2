# The signaux service image (API, loader, scoring share it; the command differs).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock

COPY pyproject.toml README.md ./
COPY signaux ./signaux
COPY graphstore ./graphstore
COPY loaders ./loaders
COPY synth ./synth
COPY gnn ./gnn
COPY scoring ./scoring
COPY graph_api ./graph_api
RUN pip install --no-cache-dir --no-deps . && useradd --system --uid 10001 signaux \
    && mkdir -p /var/lib/signaux && chown signaux /var/lib/signaux

USER signaux
ENV SIGNAUX_DATA_DIR=/var/lib/signaux
EXPOSE 8000
CMD ["signaux", "serve", "--host", "0.0.0.0", "--port", "8000"]
