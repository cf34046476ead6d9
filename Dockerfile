# Container image of mlops-lint (ghcr.io/mlops-lint/mlops-lint:VERSION, built by the release
# workflow). The builder stage installs only what building needs; the runtime stage is
# debian:12-slim with the portable tree (the binary and its non-glibc libraries, found through
# its $ORIGIN rpath) and no compiler.
#   docker run --rm -u "$(id -u):$(id -g)" -v "$PWD:/src" ghcr.io/mlops-lint/mlops-lint:0.2.0 check .
FROM debian:12 AS build
WORKDIR /src
COPY scripts/setup.sh scripts/setup.sh
RUN scripts/setup.sh --build && rm -rf /var/lib/apt/lists/*
COPY . .
RUN scripts/package.sh --stage /opt/mlops-lint && /opt/mlops-lint/bin/mlops-lint --version

FROM debian:12-slim
COPY --from=build /opt/mlops-lint /opt/mlops-lint
RUN ln -s /opt/mlops-lint/bin/mlops-lint /usr/local/bin/mlops-lint
# Any user may run the image (-u UID:GID, so the mounted repository's owner matches); the facts
# cache goes where every user can write.
ENV XDG_CACHE_HOME=/tmp/mlops-lint-cache
WORKDIR /src
ENTRYPOINT ["mlops-lint"]
CMD ["check", "."]
