# syntax=docker/dockerfile:1
# Dockerfile: one image for every xborder role. The entrypoint is `xborder`; the command picks the role
# (gateway, workers, receiver, or a one-off such as `certs init` or `demo`). Two stages: the build stage
# compiles with the dev dependencies and prunes them; the runtime stage gets only dist/, the production
# node_modules, the policy files and the console's static files, and runs as the unprivileged `node` user.
# test/integration/image-build.test.ts performs these steps on a copy of the repository (no Docker needed).

ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# Dependencies first, so a source change reuses the cached `npm ci` layer.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    XBORDER_BIND_HOST=0.0.0.0 \
    XBORDER_DATA_DIR=/var/lib/xborder \
    XBORDER_POLICY_DIR=/app/policies
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/policies/*.yaml ./policies/
COPY --from=build /app/gateway/console ./gateway/console
COPY --from=build /app/ledger/lua ./ledger/lua
COPY --from=build /app/examples ./examples
# The data dirs belong to `node`, so fresh named volumes mounted there are writable by it.
RUN chmod 0755 /app/dist/cli/main.js \
    && ln -s /app/dist/cli/main.js /usr/local/bin/xborder \
    && mkdir -p /var/lib/xborder /var/lib/xborder-receiver \
    && chown node:node /var/lib/xborder /var/lib/xborder-receiver
USER node
VOLUME ["/var/lib/xborder"]
# gateway HTTP, workers' /metrics, reference receiver (mutual TLS)
EXPOSE 8080 9464 8443
ENTRYPOINT ["xborder"]
CMD ["--help"]
