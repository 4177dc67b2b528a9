# The docker-compose image: the static binary alone, FROM scratch.
#
# `make image` builds it. No registry is needed: the build stage starts from a base
# image made here (`make base-image`, release/base-image.sh), and pip installs the
# build tools from the wheelhouse `make image` fills (build/wheelhouse), offline.
ARG BASE_IMAGE=compose-core-build-base:bookworm-py311-1

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
RUN sh release/build-binary.sh \
    && mkdir -p /rootfs/usr/local/bin /rootfs/etc/ssl/certs /rootfs/tmp /rootfs/var/tmp \
    && chmod 1777 /rootfs/tmp /rootfs/var/tmp \
    && cp dist/docker-compose-Linux-x86_64 /rootfs/usr/local/bin/docker-compose \
    && cp /etc/ssl/certs/ca-certificates.crt /rootfs/etc/ssl/certs/

FROM scratch
COPY --from=build /rootfs/ /
# The binary unpacks itself at every start: into /var/tmp, so that a /tmp mounted
# noexec (`--tmpfs /tmp:noexec`) does not stop it.
ENV TMPDIR=/var/tmp SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
ENTRYPOINT ["/usr/local/bin/docker-compose"]
