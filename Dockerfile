# syntax=docker/dockerfile:1
# Lifeboat: the Slack bot for Kubernetes disaster recovery.
#   docker build -t lifeboat:0.1.0 --build-arg VERSION=0.1.0 --build-arg REVISION=$(git rev-parse HEAD) .
# Runs as uid 10001 with a read-only root filesystem: it writes only to /tmp (LIFEBOAT_WORKDIR).

ARG NODE_IMAGE=node:24-bookworm-slim

# ---- build: compile TypeScript to dist/ ---------------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: the `prepare` script compiles, and the sources are not here yet (layer caching);
# the one dev package with an install script (@parcel/watcher) ships prebuilt binaries.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# ---- runtime ------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime

ARG VERSION=0.1.0
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="lifeboat" \
      org.opencontainers.image.description="Slack bot that runs Kubernetes disaster recovery runbooks with approvals, verification and drills" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.base.name="docker.io/library/node:24-bookworm-slim" \
      org.opencontainers.image.source="https://github.com/example/lifeboat" \
      org.opencontainers.image.documentation="https://github.com/example/lifeboat/blob/main/deploy/README.md"

# What the shipped runbooks run on PATH, from Debian's packages only (our builds reach no other site):
#   etcdctl  <- etcd-client (3.4.23): etcd.* actions and control-plane-recovery / etcd-snapshot-restore.
#   kubectl  <- kubernetes-client (1.20.2): control-plane-recovery runs `kubectl get --raw /readyz?verbose`,
#               which works against any API server version; 1.20 is outside kubectl's version-skew
#               policy for anything more, and knows exec credential plugins only as v1beta1.
# Missing, and why:
#   etcdutl  - etcd 3.4 (Debian's) predates it; the etcd.* actions detect that and use
#              `etcdctl snapshot status/restore`, which 3.4 still has.
#   velero   - no Debian or npm package exists; Lifeboat drives Velero through its API (velero.*
#              actions), the CLI appears only in hints for people (`velero restore describe …`).
# Need a newer kubectl or the velero CLI? Build FROM this image and COPY them in from your own mirror.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates etcd-client kubernetes-client \
 && rm -rf /var/lib/apt/lists/*

# A fixed numeric uid, so that runAsNonRoot can check it and file ownership is predictable.
RUN groupadd --gid 10001 lifeboat \
 && useradd --uid 10001 --gid 10001 --home-dir /home/lifeboat --create-home --shell /usr/sbin/nologin lifeboat

WORKDIR /app
ENV NODE_ENV=production \
    HOME=/home/lifeboat \
    PORT=3000 \
    LIFEBOAT_RUNBOOKS=/app/runbooks \
    LIFEBOAT_WORKDIR=/tmp/lifeboat

COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` needs the TypeScript compiler, a dev dependency; no runtime package
# has an install script. npm itself is removed afterwards: nothing runs it, and it is attack surface.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force \
 && rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
           /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack
COPY --from=build /src/dist ./dist
# The shipped runbooks; a ConfigMap mounted here replaces them (deploy/base).
COPY runbooks ./runbooks

USER 10001:10001
EXPOSE 3000

# No curl in the image: Node's own fetch asks /healthz (liveness only; /readyz also needs Redis).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# One thread collects garbage, between the bot's own work: V8's helper threads would compete with the
# thread that acks Slack for the pod's few cores, and the acks waited (bench/README.md, Slack ack latency).
ENTRYPOINT ["node", "--single-threaded-gc", "dist/cli/main.js"]
CMD ["serve"]
