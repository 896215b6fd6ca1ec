# syntax=docker/dockerfile:1
# alsrec's dashboard and REST API (`alsrec serve`) on port 7860: a Hugging Face Docker Space,
# or anywhere that runs containers.
#
#   docker build -t alsrec .
#   docker run --rm -p 7860:7860 alsrec        # then open http://127.0.0.1:7860/
#
# Three stages: `build` compiles the package (native addon prebuilds + TypeScript + the demo
# bundle) and packs it as npm would publish it; `model` downloads MovieLens 100K from GroupLens
# and trains and evaluates a model with the packed CLI (the image then holds that model, which
# includes its training ratings: read MovieLens' terms before publishing it); `runtime` is a
# slim image with the installed package and the model, run as the unprivileged `node` user.
# To serve a model of your own instead, build with `--build-arg MODEL=path/in/context.alsrec`.

ARG NODE_IMAGE=node:20-bookworm
ARG RUNTIME_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
# cmake for the native addon (g++ and make are in the full node image). Versions are Debian
# bookworm's, fixed by the base image tag.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends cmake \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
COPY CMakeLists.txt binding.gyp LICENSE README.md tsconfig.json tsconfig.build.json ./
COPY native ./native
COPY scripts ./scripts
COPY src ./src
# npm ci builds the addon's three x86-64 levels and the TypeScript (prepare); npm pack makes the
# prebuilds (prepack) and the tarball a registry install would get.
RUN mkdir -p /pkg \
 && npm ci --no-audit --no-fund \
 && npm pack --pack-destination /pkg
# The package as a registry install gets it: runtime dependencies only, the prebuilt addon (no
# install script runs), the shipped dashboard, Chart.js and the demo's browser bundle.
WORKDIR /app
RUN npm init -y >/dev/null \
 && npm install --omit=dev --ignore-scripts --no-audit --no-fund /pkg/alsrec-*.tgz

FROM build AS model
ARG MODEL=
WORKDIR /model
# Either the model given as a build argument (copied from the build context by the COPY below)
# or MovieLens 100K, downloaded and sha256-checked by `alsrec download`, trained with the loss
# recorded and evaluated against the baselines (the dashboard's charts).
COPY ${MODEL:-package.json} /model/given
RUN if [ -n "${MODEL}" ]; then mv /model/given /model/model.alsrec; \
    else rm /model/given \
      && node /app/node_modules/alsrec/dist/cli/main.js download ml-100k --dir /model/ml-100k \
      && node /app/node_modules/alsrec/dist/cli/main.js evaluate --data /model/ml-100k --seeds 0 \
           --baselines popular,random,itemknn,ease --save /model/model.alsrec \
      && rm -rf /model/ml-100k; fi

FROM ${RUNTIME_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=root:root /app /app
COPY --from=model --chown=node:node /model/model.alsrec /data/model.alsrec
USER node
EXPOSE 7860
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:7860/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "/app/node_modules/alsrec/dist/cli/main.js", "serve", "--model", "/data/model.alsrec", "--host", "0.0.0.0", "--port", "7860"]
