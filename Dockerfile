# One image for every service; the command picks the service and the process (web or worker).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 OCHOTNICY_ENV=production
WORKDIR /app
COPY pyproject.toml README.md ./
COPY contracts ./contracts
COPY infra ./infra
COPY services ./services
COPY ochotnicy ./ochotnicy
COPY Procfile ./
RUN pip install --no-cache-dir . && useradd --system --uid 10001 ochotnicy
USER ochotnicy
EXPOSE 8001 8002 8003 8004
CMD ["ochotnicy", "--help"]
