"""Safe YAML reading with the C loader when available.

Configuration files and rule packs are data someone else may have written: before a document
is built, one pass over the parser's events (no tree, no recursion) bounds its nesting depth
and the number of nodes it would have once every alias is expanded, so a billion-laughs file
or a 100,000-deep list is a clear error, never a hang or a crash.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scanner.errors import ConfigError

MAX_DEPTH = 64
MAX_NODES = 200_000  # after alias expansion


def safe_loader() -> Any:
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _shape_error(where: str, event: Any, problem: str) -> ConfigError:
    mark = getattr(event, "start_mark", None)
    line = f":{mark.line + 1}" if mark is not None else ""
    return ConfigError(f"{where}{line}: {problem}")


def check_shape(text: str, where: str, max_depth: int = MAX_DEPTH,
                max_nodes: int = MAX_NODES) -> None:
    """Raise ConfigError when `text` nests deeper than `max_depth` or expands (aliases
    included) to more than `max_nodes` nodes. YAML syntax errors are left to the loader."""
    import yaml

    sizes: dict[str, int] = {}
    frames: list[list[Any]] = [[None, 0]]  # [anchor, nodes so far]
    for event in yaml.parse(text, Loader=safe_loader()):
        if isinstance(event, yaml.CollectionStartEvent):
            frames.append([event.anchor, 0])
            if len(frames) - 1 > max_depth:
                raise _shape_error(where, event, f"nested deeper than {max_depth} levels")
            continue
        if isinstance(event, yaml.CollectionEndEvent):
            anchor, count = frames.pop()
            size = count + 1
        elif isinstance(event, yaml.AliasEvent):
            anchor, size = None, sizes.get(event.anchor or "", 1)
        elif isinstance(event, yaml.ScalarEvent):
            anchor, size = event.anchor, 1
        else:
            continue
        if anchor:
            sizes[anchor] = size
        frames[-1][1] += size
        if frames[-1][1] > max_nodes:
            raise _shape_error(where, event, f"expands to more than {max_nodes} nodes "
                               "(aliases are counted as often as they are used)")


def load_yaml_text(text: str, where: str) -> Any:
    import yaml

    try:
        check_shape(text, where)
        return yaml.load(text, Loader=safe_loader())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ConfigError(f"{where}:{line}: invalid YAML: {problem}") from None
    except RecursionError:
        raise ConfigError(f"{where}: nested too deeply to read") from None


def load_yaml_file(path: Path) -> Any:
    from scanner.errors import SealguardError
    from scanner.safeio import read_text

    try:
        text = read_text(path, "YAML file")
    except SealguardError as exc:
        raise ConfigError(str(exc)) from None
    return load_yaml_text(text, str(path.name))
