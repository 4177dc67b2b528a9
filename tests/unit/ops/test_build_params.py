"""A service's `build:` section as the engine's build parameters, and image names."""

from __future__ import annotations

import pytest

from compose_core.errors import UserError
from compose_core.model.project import Project, ServiceConfig
from compose_core.ops.build import BuildOptions, build_params, parse_build_args
from compose_core.ops.images import rmi_images
from compose_core.ops.resources import service_image


def _project(**services: dict) -> Project:
    return Project(
        name="shop",
        working_dir="/tmp/shop",
        config_files=("/tmp/shop/compose.yaml",),
        services={name: ServiceConfig(name, options) for name, options in services.items()},
    )


def test_every_classic_build_key_becomes_a_parameter() -> None:
    service = ServiceConfig(
        "web",
        {
            "build": {
                "context": "/tmp/shop",
                "dockerfile": "Dockerfile",
                "args": {"A": "1", "B": None},
                "target": "prod",
                "labels": {"x": "y"},
                "cache_from": ["shop-web:cache"],
                "network": "host",
                "shm_size": "67108864",
                "extra_hosts": ["db=10.0.0.2"],
                "no_cache": True,
            },
            "platform": "linux/amd64",
        },
    )
    options = BuildOptions(pull=True, build_args={"B": None, "C": "3"}, environ={"B": "2"})
    assert build_params(service, "shop-web", options, "Dockerfile") == {
        "tag": "shop-web",
        "dockerfile": "Dockerfile",
        "nocache": True,
        "pull": True,
        "buildargs": {"A": "1", "B": "2", "C": "3"},
        "rm": True,
        "forcerm": False,
        "target": "prod",
        "labels": {"x": "y"},
        "cache_from": ["shop-web:cache"],
        "network_mode": "host",
        "shmsize": 67108864,
        "extra_hosts": {"db": "10.0.0.2"},
        "platform": "linux/amd64",
    }


@pytest.mark.parametrize("key", ["ssh", "secrets", "cache_to", "additional_contexts"])
def test_buildkit_only_keys_are_refused_by_name(key: str) -> None:
    service = ServiceConfig("web", {"build": {"context": ".", key: ["x"]}})
    with pytest.raises(UserError, match=f"service web: build.{key} needs BuildKit"):
        build_params(service, "img", BuildOptions(), "Dockerfile")


def test_build_arg_flags() -> None:
    assert parse_build_args(["A=1", "B", "C="]) == {"A": "1", "B": None, "C": ""}
    with pytest.raises(UserError):
        parse_build_args(["=x"])


def test_image_names_today_and_in_compatibility_mode() -> None:
    project = _project(web={"build": {"context": "."}}, db={"image": "postgres:16"})
    assert service_image(project, "web", compatibility=False) == "shop-web"
    assert service_image(project, "web", compatibility=True) == "shop_web"
    assert service_image(project, "db", compatibility=True) == "postgres:16"


def test_rmi_local_takes_only_images_without_a_name() -> None:
    project = _project(
        web={"build": {"context": ".", "tags": ["shop/web:1"]}},
        api={"build": {"context": "."}, "image": "shop/api:2"},
        db={"image": "postgres:16"},
    )
    assert rmi_images(project, "local", False) == ["shop-web"]
    assert rmi_images(project, "all", False) == [
        "shop-web",
        "shop/web:1",
        "shop/api:2",
        "postgres:16",
    ]


def test_classic_build_flags() -> None:
    service = ServiceConfig("web", {"build": {"context": "."}})
    options = BuildOptions(memory=512 << 20, compress=True, force_rm=True, keep_intermediate=True)
    params = build_params(service, "img", options, "Dockerfile")
    assert params["container_limits"] == {"memory": 512 << 20}
    assert (params["gzip"], params["forcerm"], params["rm"]) == (True, True, False)
