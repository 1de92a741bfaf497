"""Pipeline and workflow parameters: a secret-named parameter with a literal default or value.

Tekton declares `params: [{name, type, description, default}]` on Tasks, Pipelines, StepActions
and TriggerTemplates and passes `params: [{name, value}]` in TaskRuns, PipelineRuns, Pipeline
tasks and TriggerBindings; Argo Workflows declares `parameters: [{name, value|default}]` under
`arguments`, `inputs` and `outputs`. Such a parameter named like a credential, with a literal,
puts the credential in the manifest (and in every run's recorded spec).
"""

from __future__ import annotations

from scanner.policy.context import Checker
from scanner.policy.values import literal_secret, url_password
from scanner.policy.yamlnodes import Map, Scalar, lists_under

RULE_ID = "workflow-param-literal-secret"
_LISTS = ("params", "parameters")
_VALUES = ("default", "value")


def _secret(name: str, value: Scalar) -> str | None:
    if not value.is_str:
        return None
    return url_password(value.value) or (
        value.value if literal_secret(name, value.value) else None)


def check_params(res: Map, c: Checker, label: str) -> None:
    """Every `{name, default|value}` entry of a params/parameters list in the resource."""
    for params in lists_under(res.get("spec") or res, _LISTS):
        for entry in params.maps():
            _check_entry(entry, c, label)


def _check_entry(entry: Map, c: Checker, label: str) -> None:
    name = entry.text("name")
    if not name:
        return
    for key in _VALUES:
        value = entry.get(key)
        secret = _secret(name, value) if isinstance(value, Scalar) else None
        if secret and isinstance(value, Scalar):
            c.report(RULE_ID, value, secret,
                     f"{label} parameter '{name}' has a literal {key}: pass it from a Secret "
                     "(a SealedSecret or ExternalSecret) through a workspace, env "
                     "valueFrom.secretKeyRef or a parameter filled at run time.")
