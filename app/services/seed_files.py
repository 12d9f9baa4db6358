"""Where the seed files are and how one is read: the loaders (services.seed) and the modules that
read their fixed definitions at run time (service types, registers) share this, so neither has to
import the other.
"""

import os

import yaml

SEED_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(__file__))), "seed")


class SeedError(ValueError):
    """A seed file is wrong; the message names the file and the field."""


def read(name, seed_dir=SEED_DIR):
    """The YAML in seed file `name` ({} when empty); a SeedError naming it if unreadable."""
    path = os.path.join(seed_dir, name)
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.safe_load(handle) or {}
    except yaml.YAMLError as error:
        raise SeedError(f"{name}: not valid YAML: {error}") from error
