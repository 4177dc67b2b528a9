"""Packaging for compose_core: `pip install .` gives the `docker-compose` command."""

import re
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent
VERSION = re.search(
    r'^__version__ = "([^"]+)"', (HERE / "compose_core" / "__init__.py").read_text(), re.M
).group(1)

setup(
    name="compose-core",
    version=VERSION,
    description="Define and run multi-container applications with Docker",
    long_description=(HERE / "README.md").read_text() if (HERE / "README.md").exists() else "",
    long_description_content_type="text/markdown",
    license="Apache-2.0",
    python_requires=">=3.9",
    packages=find_packages(include=["compose_core", "compose_core.*"]),
    package_data={"compose_core": ["data/*.json", "data/LICENSE*", "data/README.md"]},
    install_requires=[
        "docker>=7.0",
        "PyYAML>=6.0",
        "docopt-ng>=0.9",
        "fastjsonschema>=2.19",
    ],
    extras_require={
        "test": ["pytest>=7", "ruff>=0.5"],
    },
    entry_points={"console_scripts": ["docker-compose=compose_core.cli.main:run"]},
    classifiers=[
        "Programming Language :: Python :: 3",
        "License :: OSI Approved :: Apache Software License",
        "Operating System :: POSIX :: Linux",
    ],
)
