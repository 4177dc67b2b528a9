"""Names shared across compose_core: file names, labels, environment variables."""

DEFAULT_FILE_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")
# 1.29.2 looked for the docker-compose names first.
LEGACY_FILE_NAMES = ("docker-compose.yml", "docker-compose.yaml", "compose.yml", "compose.yaml")
OVERRIDE_SUFFIX = ".override"

LABEL_PREFIX = "com.docker.compose"
LABEL_PROJECT = "com.docker.compose.project"
LABEL_SERVICE = "com.docker.compose.service"
LABEL_NUMBER = "com.docker.compose.container-number"
LABEL_ONEOFF = "com.docker.compose.oneoff"
LABEL_CONFIG_HASH = "com.docker.compose.config-hash"
LABEL_VERSION = "com.docker.compose.version"
LABEL_WORKING_DIR = "com.docker.compose.project.working_dir"
LABEL_CONFIG_FILES = "com.docker.compose.project.config_files"
LABEL_ENVIRONMENT_FILE = "com.docker.compose.project.environment_file"
LABEL_DEPENDS_ON = "com.docker.compose.depends_on"
LABEL_IMAGE = "com.docker.compose.image"
LABEL_NETWORK = "com.docker.compose.network"
LABEL_VOLUME = "com.docker.compose.volume"
LABEL_REPLACE = "com.docker.compose.replace"

ENV_FILE = "COMPOSE_FILE"
ENV_PROJECT_NAME = "COMPOSE_PROJECT_NAME"
ENV_PROFILES = "COMPOSE_PROFILES"
ENV_PATH_SEPARATOR = "COMPOSE_PATH_SEPARATOR"
ENV_COMPATIBILITY = "COMPOSE_COMPATIBILITY"
ENV_PARALLEL_LIMIT = "COMPOSE_PARALLEL_LIMIT"

DEFAULT_PARALLEL_LIMIT = 64
