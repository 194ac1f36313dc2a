"""Reads the two-level params.yaml of this example without PyYAML (standard library only)."""


def load(path):
    out, section = {}, None
    with open(path) as f:
        for line in f:
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            key, _, value = line.strip().partition(":")
            if not line.startswith(" "):
                section = out.setdefault(key, {})
            else:
                section[key] = value.strip()
    return out
