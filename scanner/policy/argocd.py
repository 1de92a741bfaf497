"""Argo CD Application/ApplicationSet: secrets in inline Helm values, parameters, plugin env."""

from __future__ import annotations

from collections.abc import Iterator

from scanner.policy.context import Checker
from scanner.policy.helmvalues import walk_values
from scanner.policy.kubernetes import resource_name
from scanner.policy.yamlnodes import Map, Scalar, parse_inline

RULE = "argocd-inline-secret"


def _sources(res: Map) -> Iterator[Map]:
    specs = [res.map("spec")]
    if res.text("kind") == "ApplicationSet":
        template = res.path("spec", "template", "spec")
        specs = [template if isinstance(template, Map) else None]
    for spec in specs:
        if spec is None:
            continue
        single = spec.map("source")
        if single is not None:
            yield single
        many = spec.seq("sources")
        if many is not None:
            yield from many.maps()


def _inline_values(text: Scalar) -> Map | None:
    offset = text.line if text.style in ("|", ">") else text.line - 1
    root = parse_inline(text.value, offset)
    return root if isinstance(root, Map) else None


def check_application(res: Map, c: Checker) -> None:
    if not c.gitops_path:
        return
    where = f"{res.text('kind')} '{resource_name(res)}'"
    for source in _sources(res):
        helm = source.map("helm")
        if helm is not None:
            values = helm.get("values")
            if isinstance(values, Scalar):
                inner = _inline_values(values)
                if inner is not None:
                    walk_values(inner, c, RULE, f"{where} helm.values")
            elif isinstance(values, Map):
                walk_values(values, c, RULE, f"{where} helm.values")
            for key in ("valuesObject", "parameters"):
                node = helm.get(key)
                if node is not None:
                    walk_values(node, c, RULE, f"{where} helm.{key}")
        plugin_env = source.path("plugin", "env")
        if plugin_env is not None:
            walk_values(plugin_env, c, RULE, f"{where} plugin.env")
