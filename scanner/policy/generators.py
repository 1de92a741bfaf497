"""Which kustomization turns a file into a ConfigMap or a Secret.

A file named under a kustomize `configMapGenerator` / `secretGenerator` (`files:`, `envs:`)
is deployed configuration: kustomize copies it into the cluster as written, so its literals
are judged as a ConfigMap's or a Secret's data, not as an arbitrary file's. kustomize loads
such files only from the kustomization's own folder or below it, so the kustomizations that
can generate from a file sit in the file's folder or one of its parents.

Where the kustomizations are read depends on the source: the working tree for `scan`
(DiskGenerators, beside the file on disk), the index for `scan --staged`, and the
kustomizations a history or a range holds for `history` / `diff` (PathGenerators).
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from scanner.blob import Blob

NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
GENERATORS = ("configMapGenerator", "secretGenerator")
_SOURCE_FIELDS = ("files", "envs", "env")
MAX_BYTES = 1 << 20  # a kustomization larger than this is not read for this purpose
_MAX_UP = 16  # folders walked up from a file on disk


@dataclass(frozen=True)
class Generated:
    """`generator` ('configMapGenerator' or 'secretGenerator') named `name` in the
    kustomization at `kustomization` reads the file."""

    generator: str
    name: str
    kustomization: str

    @property
    def secret(self) -> bool:
        return self.generator == "secretGenerator"


class Generators(Protocol):
    def lookup(self, blob: Blob) -> Generated | None: ...


def is_kustomization(path: str) -> bool:
    return path.rsplit("/", 1)[-1] in NAMES


def sources(data: bytes) -> Iterator[tuple[str, str, str]]:
    """(generator, name, path as written) of every file a kustomization generates from."""
    from scanner.policy.yamlnodes import Map, Scalar, Seq, read_documents

    text = data.decode("utf-8", "replace")
    if not any(g in text for g in GENERATORS):
        return
    for doc in read_documents(text):
        if not isinstance(doc.root, Map):
            continue
        for generator in GENERATORS:
            entries = doc.root.seq(generator)
            for entry in entries.maps() if entries is not None else ():
                name = entry.text("name") or "?"
                for field in _SOURCE_FIELDS:
                    node = entry.get(field)
                    items = [node] if isinstance(node, Scalar) else (
                        node.items if isinstance(node, Seq) else [])
                    for item in items:
                        if isinstance(item, Scalar) and item.value.strip():
                            yield generator, name, _source_path(item.value)


def _source_path(entry: str) -> str:
    """`key=path` or `path` (kustomize's `files:` forms)."""
    key, sep, path = entry.strip().partition("=")
    return (path if sep else key).strip()


def resolve(folder: str, written: str) -> str | None:
    """The path a kustomization in `folder` means by `written`, or None (a URL, an absolute
    path, or a path that leaves the folder: kustomize refuses to load those)."""
    if not written or "://" in written or written.startswith("/"):
        return None
    joined = posixpath.normpath(posixpath.join(folder, written)) if folder else \
        posixpath.normpath(written)
    inside = joined if not folder else (joined[len(folder) + 1:]
                                       if joined.startswith(folder + "/") else None)
    return joined if inside and not inside.startswith("..") else None


def index(kustomizations: Iterable[tuple[str, bytes]]) -> dict[str, Generated]:
    """Generated files by path, from (path, content) of kustomizations (later ones do not
    replace an earlier answer)."""
    found: dict[str, Generated] = {}
    for path, data in kustomizations:
        if len(data) > MAX_BYTES:
            continue
        folder = posixpath.dirname(path)
        for generator, name, written in _safe_sources(data):
            target = resolve(folder, written)
            if target is not None:
                found.setdefault(target, Generated(generator, name, path))
    return found


def _safe_sources(data: bytes) -> list[tuple[str, str, str]]:
    try:
        return list(sources(data))
    except (ValueError, RecursionError):  # unreadable YAML generates nothing we can know
        return []


@dataclass
class PathGenerators:
    """Generated files known by repository path (the index, or every kustomization of a
    history or range): a blob is generated when any of its paths is."""

    by_path: dict[str, Generated]

    def lookup(self, blob: Blob) -> Generated | None:
        paths = [blob.path, *(o.path for o in blob.origins)]
        return next((self.by_path[p] for p in paths if p in self.by_path), None)


class DiskGenerators:
    """Kustomizations on disk, in the folders above a working-tree file (up to the
    repository's root): each folder is read once per scan."""

    def __init__(self) -> None:
        self._targets: dict[str, dict[str, Generated]] = {}

    def lookup(self, blob: Blob) -> Generated | None:
        if blob.disk is None:
            return None
        target = os.path.abspath(blob.disk)
        found = self._generated_in(os.path.dirname(target), _MAX_UP).get(target)
        if found is None:
            return None
        rel = os.path.relpath(found.kustomization, os.path.dirname(target)).replace(os.sep, "/")
        return replace(found, kustomization=posixpath.normpath(
            posixpath.join(posixpath.dirname(blob.path), rel)))

    def _generated_in(self, folder: str, depth: int) -> dict[str, Generated]:
        """Files generated by the kustomizations of `folder` and its parents (absolute
        paths; the kustomization's path absolute too). The nearest kustomization wins."""
        known = self._targets.get(folder)
        if known is not None:
            return known
        parent = os.path.dirname(folder)
        top = depth <= 0 or parent == folder or os.path.isdir(os.path.join(folder, ".git"))
        merged = dict(self._generated_in(parent, depth - 1)) if not top else {}
        for path, generated in index(_read_kustomizations(folder)).items():
            merged[os.path.join(folder, *path.split("/"))] = replace(
                generated, kustomization=os.path.join(folder, generated.kustomization))
        self._targets[folder] = merged
        return merged


def _read_kustomizations(folder: str) -> list[tuple[str, bytes]]:
    found = []
    for name in NAMES:
        path = os.path.join(folder, name)
        try:
            if os.path.isfile(path) and not os.path.islink(path) \
                    and os.path.getsize(path) <= MAX_BYTES:
                with open(path, "rb") as handle:
                    found.append((name, handle.read(MAX_BYTES + 1)))
        except OSError:
            continue
    return found
