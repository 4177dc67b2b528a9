"""The only package that talks to the Docker engine (through the docker SDK)."""
