# The docker-compose image: the static binary alone, FROM scratch.
#
# `make image` builds it. No registry is needed: the build stage starts from a base
# image made here (`make base-image`, release/base-image.sh), and pip installs the
# build tools from the wheelhouse `make image` fills (build/wheelhouse), offline.
ARG BASE_IMAGE=compose-core-build-base:bookworm-py311-2

FROM ${BASE_IMAGE} AS build
WORKDIR /src
ENV PIP_NO_INDEX=1 PIP_FIND_LINKS=/wheelhouse PIP_DISABLE_PIP_VERSION_CHECK=1 \
    BUILD_VENV=/opt/build-venv PYTHON=python3
COPY build/wheelhouse/ /wheelhouse/
# The tools first, so that a change to the code alone reuses this layer.
COPY setup.py pyproject.toml README.md ./
COPY compose_core/__init__.py compose_core/
COPY release/requirements-build.txt release/build-binary.sh release/
RUN TOOLS_ONLY=1 sh release/build-binary.sh
COPY compose_core/ compose_core/
COPY release/ release/
# The image holds the binary's files already unpacked (where COMPOSE_CORE_CACHE points)
# and its launcher without the payload: no unpacking in each new container, nothing
# written at start, so it runs with a read-only root and a noexec /tmp, HOME or not.
RUN sh release/build-binary.sh \
    && mkdir -p /rootfs/usr/local/bin /rootfs/usr/local/lib/compose-core /rootfs/etc/ssl/certs \
        /rootfs/tmp /rootfs/var/tmp \
    && chmod 1777 /rootfs/tmp /rootfs/var/tmp \
    && COMPOSE_CORE_CACHE=/rootfs/usr/local/lib/compose-core \
        dist/docker-compose-Linux-x86_64 version \
    && python3 release/pack.py --without-payload dist/docker-compose-Linux-x86_64 \
        /rootfs/usr/local/bin/docker-compose \
    && cp /etc/ssl/certs/ca-certificates.crt /rootfs/etc/ssl/certs/

FROM scratch
COPY --from=build /rootfs/ /
ENV COMPOSE_CORE_CACHE=/usr/local/lib/compose-core \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
ENTRYPOINT ["/usr/local/bin/docker-compose"]
