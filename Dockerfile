# syntax=docker/dockerfile:1
# Lifeboat: the Slack bot for Kubernetes disaster recovery.
#   docker build -t lifeboat:0.1.0 --build-arg VERSION=0.1.0 --build-arg REVISION=$(git rev-parse HEAD) .
# Runs as uid 10001 with a read-only root filesystem: it writes only to /tmp (LIFEBOAT_WORKDIR).

# Debian trixie: its packages bring etcd 3.5 tools with etcdutl (bookworm has only etcd 3.4).
ARG NODE_IMAGE=node:24-trixie-slim

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
      org.opencontainers.image.base.name="docker.io/library/node:24-trixie-slim" \
      org.opencontainers.image.source="https://github.com/example/lifeboat" \
      org.opencontainers.image.documentation="https://github.com/example/lifeboat/blob/main/deploy/README.md"

# What the shipped runbooks run on PATH, from Debian trixie's packages only (our builds reach no other site):
#   etcdctl  <- etcd-client (3.5.16): etcd.* actions and control-plane-recovery / etcd-snapshot-restore.
#   etcdutl  <- etcd-server (3.5.16): `snapshot status` and `snapshot restore --bump-revision
#               --mark-compacted` (3.5.10+), so a restore moves revisions forward. The package also
#               brings the etcd server binary, which nothing here starts.
#   kubectl  <- kubectl (1.32.3): control-plane-recovery runs `kubectl get --raw /readyz?verbose`;
#               1.32 is within kubectl's version-skew policy (one minor) of 1.31 to 1.33 API servers.
# Missing, and why:
#   velero   - no Debian or npm package exists; Lifeboat drives Velero through its API (velero.*
#              actions), the CLI appears only in hints for people (`velero restore describe …`).
# Need another kubectl or the velero CLI? Build FROM this image and COPY them in from your own mirror.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates etcd-client etcd-server kubectl \
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
# The shipped runbooks, which LIFEBOAT_RUNBOOKS names; deploy/overlays/team-runbooks shows how a
# team points it at its own (a ConfigMap from the overlay's folder).
COPY runbooks ./runbooks

USER 10001:10001
EXPOSE 3000

# No curl in the image: Node's own fetch asks /healthz (liveness only; /readyz also needs Redis).
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# One thread collects garbage, between the bot's own work: V8's helper threads would compete with the
# thread that acks Slack for the pod's few cores, and the acks waited (bench/README.md, Slack ack latency).
# dist/cli/bin.js checks the Node version before it loads the app (package.json's bin).
ENTRYPOINT ["node", "--single-threaded-gc", "dist/cli/bin.js"]
CMD ["serve"]
