"""Documentation of the GitOps policy rules, for `sealguard explain` and SARIF.

`POLICIES` maps each policy id to its human name, default severity, one-line help and remedy;
`describe_policy(id)` renders the full documentation. Pass/fail manifests for every policy live
in `rules/policies/<id>/` and are walked by the test-suite.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Policy:
    id: str
    name: str
    severity: str
    help: str
    remedy: str
    docs: str = ""


KUBESEAL = ("kubectl create secret generic NAME --dry-run=client --from-literal=KEY=VALUE -o yaml"
            " | kubeseal -o yaml > NAME-sealed.yaml")
EXTERNAL_SECRET = """\
    apiVersion: external-secrets.io/v1
    kind: ExternalSecret
    metadata: {name: NAME}
    spec:
      refreshInterval: 1h
      secretStoreRef: {name: vault-store, kind: ClusterSecretStore}
      target: {name: NAME}
      data:
        - secretKey: KEY
          remoteRef: {key: path/in/store, property: KEY}"""
SEAL_OR_REFERENCE = (
    "Rotate the value, then commit a SealedSecret (kubeseal) or an ExternalSecret that "
    "references your secret store instead."
)

_ALL = (
    Policy(
        "k8s-plaintext-secret", "Plaintext Kubernetes Secret", "high",
        "A kind: Secret with data/stringData values in a GitOps path. Base64 is not encryption.",
        SEAL_OR_REFERENCE,
        f"""A Secret manifest in Git is readable by everyone with access to the repository, and
the value stays in history forever even after the file is deleted. `data:` values are only
base64-encoded; sealguard decodes them and also reports provider keys found inside with their
own rule (e.g. aws-access-key-id) at the line of the key.

Not a finding: values that are all SOPS-encrypted (ENC[AES256_GCM,...] with a `sops:` block,
gitops.allow_sops), templated or placeholder values ({{{{ .Values.x }}}}, ${{VAR}}, <path:...>,
<placeholder>, op://..., CHANGEME markers; gitops.allow_placeholders), also when a `data:` value
decodes to such a placeholder, and a service-account-token Secret without data. A weak literal
(`admin`, `changeme`, `password`) is still a finding: it will be deployed as is.

Instead:
  Sealed Secrets (simple static secrets):
    {KUBESEAL}
  External Secrets Operator (rotation and audit: Vault, AWS Secrets Manager, Azure Key Vault):
{EXTERNAL_SECRET}""",
    ),
    Policy(
        "k8s-secret-kind-not-allowed", "Secret-carrying kind not allowed", "medium",
        "A secret-carrying kind that is not in gitops.allowed_kinds (or a SOPS-encrypted Secret "
        "when gitops.allow_sops is false).",
        "Use one of the allowed kinds, or add the kind to gitops.allowed_kinds if it only "
        "references an external store.",
        """Only the kinds listed in gitops.allowed_kinds (default: SealedSecret, ExternalSecret,
ClusterExternalSecret) may carry secret material in GitOps paths. Other kinds whose name
contains "Secret" (VaultStaticSecret, PushSecret, SopsSecret, ...) are reported so the team
decides explicitly; store configurations (SecretStore, ClusterSecretStore, SecretProviderClass)
are not.""",
    ),
    Policy(
        "k8s-configmap-secret", "Secret in a ConfigMap", "high",
        "A ConfigMap value holds a credential (provider key, or a secret-like key with a "
        "random-looking value). ConfigMaps are not meant for secrets.",
        "Move the value into a SealedSecret or ExternalSecret and mount that instead; rotate it.",
        """ConfigMaps are readable by anyone who can read the namespace and are often printed in
logs and dashboards. Each value (including embedded config files) is scanned by the secret
rules; a key named like a credential (password, token, apiKey, ...) with a random-looking value
is reported too. A ConfigMap is deployed as written, so a weak literal password there blocks
too (medium); words joined like a name (`generate-invite`) are reported low. A file that a
kustomize `configMapGenerator` reads (`files:`, `envs:`) becomes a ConfigMap: its
`key = value` / `key: value` / `'key' => 'value'` lines are judged the same way. Instead: keep
the value in a Secret that comes from a SealedSecret or ExternalSecret, and reference it with
envFrom/secretRef or a volume.""",
    ),
    Policy(
        "k8s-env-literal-secret", "Literal secret in a container env var", "high",
        "A container env var named like a secret (PASSWORD, TOKEN, API_KEY, ...) has a literal "
        "`value:` instead of `valueFrom.secretKeyRef`.",
        "Use valueFrom.secretKeyRef pointing at a Secret created by a SealedSecret or "
        "ExternalSecret; rotate the value.",
        """Checked in every pod template: Pods, Deployments, StatefulSets, DaemonSets, Jobs,
CronJobs, ReplicaSets and custom resources with containers, and env lists in Helm values.
Instead:
    env:
      - name: DB_PASSWORD
        valueFrom:
          secretKeyRef: {name: app-db, key: password}""",
    ),
    Policy(
        "workflow-param-literal-secret", "Literal secret in a pipeline or workflow parameter",
        "high",
        "A Tekton or Argo Workflows parameter named like a secret (db-password, api-token, ...) "
        "has a literal `default:` or `value:`.",
        "Pass the secret from a Secret created by a SealedSecret or ExternalSecret (a "
        "workspace, or env valueFrom.secretKeyRef in the step); rotate the value.",
        """Checked in every `params:` / `parameters:` list of {name, default|value} entries:
Tekton Tasks, Pipelines, StepActions, TaskRuns, PipelineRuns and Triggers, Argo Workflows,
WorkflowTemplates and CronWorkflows (arguments, inputs, outputs), and any other resource
with that shape. Parameter references ($(params.x), {{inputs.parameters.x}}) are fine.
Instead, in a Tekton step:
    env:
      - name: DB_PASSWORD
        valueFrom:
          secretKeyRef: {name: app-db, key: password}""",
    ),
    Policy(
        "kustomize-secret-generator-literal", "Kustomize secretGenerator with plaintext", "high",
        "A kustomize secretGenerator with `literals` (or `envs`/`files` reading a plaintext "
        "file committed next to it).",
        "Replace the generator with a SealedSecret/ExternalSecret resource, or encrypt the "
        "source with SOPS (ksops); rotate the value.",
        """secretGenerator literals put the secret value in the kustomization file itself; envs
and files generators read a plaintext file that has to be committed for Argo CD or Flux to
build it; the credentials inside such a file are reported at their own lines too (weak
ones included: the file is deployed as written). Instead list a sealed-secret.yaml or
external-secret.yaml under `resources:`.""",
    ),
    Policy(
        "argocd-inline-secret", "Secret in Argo CD inline Helm values", "high",
        "An Argo CD Application/ApplicationSet passes a secret in inline Helm `values`, "
        "`valuesObject` or `parameters`.",
        "Reference the secret from the chart (existingSecret + SealedSecret/ExternalSecret) or "
        "use argocd-vault-plugin <path:...> placeholders; rotate the value.",
        """Application manifests are stored in Git and readable through the Argo CD API and UI.
Keys named like credentials with literal values are reported at their line, also inside the
YAML text of `helm.values`. Templated ({{...}}) and <path:...> placeholders are fine.""",
    ),
    Policy(
        "helm-values-secret", "Secret in Helm values", "high",
        "A Helm values file (or a Flux HelmRelease's inline values) sets a credential-named key "
        "to a literal value. Weak values (admin, password, ...) in a values file, which may be a "
        "chart's defaults, and any value in a chart's ci/*-values.yaml are reported as low; in a "
        "HelmRelease they are deployed as written and block. A SOPS values file's credential "
        "that SOPS left unencrypted is reported whatever its strength.",
        "Set the chart's existingSecret (or similar) to a Secret from a SealedSecret or "
        "ExternalSecret and leave the value empty; rotate the value.",
        """Helm templates whose values come from .Values are not plaintext; the values.yaml that
holds the real password is. Empty values, templated values and placeholders are fine.""",
    ),
    Policy(
        "sealedsecret-not-encrypted", "SealedSecret value is not kubeseal output", "high",
        "A SealedSecret `encryptedData` value cannot be kubeseal output: not base64, too short "
        "for an RSA-wrapped session key, or readable text.",
        f"Rotate the value and re-seal it: {KUBESEAL}",
        """kubeseal output is base64 of a 2-byte length, an RSA-OAEP encrypted session key
(256 bytes or more) and the AES-GCM ciphertext, so it is at least ~370 base64 characters and
decodes to random bytes. A shorter or readable value was typed or pasted by hand: it is
plaintext (or merely base64) in Git.""",
    ),
    Policy(
        "sealedsecret-cluster-wide", "Cluster-wide SealedSecret", "low",
        "A SealedSecret uses the sealedsecrets.bitnami.com/cluster-wide scope: anyone who can "
        "create a SealedSecret in any namespace can unseal it there.",
        "Seal with the default strict scope (kubeseal --scope strict) unless the secret must "
        "move between namespaces.",
    ),
    Policy(
        "k8s-annotation-secret", "Secret in an annotation or label", "high",
        "A metadata annotation or label of a resource holds a credential (including a "
        "kubectl last-applied-configuration that embeds a plaintext Secret).",
        "Remove the value from metadata, rotate it, and keep it in a SealedSecret or "
        "ExternalSecret.",
        """Annotations and labels are visible to anyone who can list the resource, whatever its
kind. `kubectl.kubernetes.io/last-applied-configuration` often copies a whole plaintext
Secret, even on a resource that is otherwise sealed.""",
    ),
    Policy(
        "externalsecret-invalid", "Invalid ExternalSecret or inline store credentials", "medium",
        "An ExternalSecret without secretStoreRef, a data entry without remoteRef.key (low: "
        "a broken shape exposes nothing, the sync fails), or a SecretStore/ClusterSecretStore "
        "with inline credentials (high).",
        "Give every ExternalSecret a secretStoreRef and every data entry a remoteRef.key; let "
        "stores authenticate through *SecretRef or workload identity.",
        f"""An ExternalSecret only references secrets; it must say which store to read and
which key. Store credentials belong in a Secret referenced by a *SecretRef (itself sealed),
or better in workload identity (IRSA, Azure workload identity, Vault Kubernetes auth).
Skeleton:
{EXTERNAL_SECRET}""",
    ),
    Policy(
        "sealed-secrets-controller-key", "Sealed Secrets controller private key", "critical",
        "A Secret carrying the Sealed Secrets controller's private key: it decrypts every "
        "SealedSecret sealed for that cluster, including those already in Git history.",
        "Remove it, rotate the controller key (and re-seal every secret), and store key "
        "backups outside Git.",
        """Found by the label sealedsecrets.bitnami.com/sealed-secrets-key or a tls.key private
key in a sealed-secrets-key Secret, also inside `kind: List` (the output of
`kubectl get secret -l sealedsecrets.bitnami.com/sealed-secrets-key -o yaml`), whatever the
file is named. Everyone who can read this repository can decrypt every SealedSecret.""",
    ),
    Policy(
        "dotenv-file", "Committed .env file with real values", "high",
        "A .env file (.env, .env.*, *.env) with real values: one finding per value line that "
        "holds a credential or a random-looking value.",
        "Remove the file from Git (add .env to .gitignore), rotate the values, and deploy them "
        "through a SealedSecret or ExternalSecret.",
        """.env.example, .env.sample and .env.template are meant to be committed with
placeholders and are not reported by this policy (a real key in them is still found by the
secret rules). SOPS-encrypted dotenv files (ENC[...] values, sops_* lines) are fine.""",
    ),
    Policy(
        "manifest-parse-error", "Manifest could not be checked", "medium",
        "A file that looks like a Kubernetes/GitOps manifest is not valid YAML/JSON, or is too "
        "large or too complex (alias expansion, nesting) to check safely.",
        "Fix the syntax (kubectl would reject it too), or split the document.",
        """YAML is read as Go's decoder reads it (go-yaml, which Kubernetes, Flux, Argo CD and
kustomize use): an anchor defined again, an alias as a key, merge keys, a repeated key (every
reading is checked and the findings say so) and UTF-16/UTF-32 text with a byte-order mark are
all accepted. What is reported is text that decoder refuses too (a tab in indentation, an alias
before its anchor, an unknown escape), or a document beyond the safety bounds (250,000 nodes,
10,000 nodes reached through aliases, nesting deeper than 100, 32 MB).

Severity: medium (blocking at the default --fail-on) only for a manifest (apiVersion and kind,
or a kustomization) in a GitOps path; low for anything else (Helm values, other YAML, paths
outside gitops.paths), low in a history audit for a blob that is no longer at HEAD, and low
in a range scan for a version the range's last commit has replaced. A Secret's values in an
unreadable document are still read line by line and reported (k8s-plaintext-secret), and the
secret rules scan the whole file whatever its syntax. Helm and Jinja templates that are not
YAML until rendered are read line by line only; a Flux `${VAR}` that breaks a flow collection
is read as substituted.""",
    ),
)

POLICIES: dict[str, Policy] = {p.id: p for p in _ALL}
PARSE_ERROR = "manifest-parse-error"


def describe_policy(rule_id: str) -> str | None:
    policy = POLICIES.get(rule_id)
    if policy is None:
        return None
    lines = [f"{policy.id}: {policy.name}", f"  severity: {policy.severity}   category: "
             f"{'parse-error' if policy.id == PARSE_ERROR else 'policy'}",
             f"  {policy.help}", f"  remedy:   {policy.remedy}"]
    if policy.docs:
        lines += ["", *policy.docs.splitlines()]
    lines += ["", f"  pass/fail manifests: rules/policies/{policy.id}/"]
    return "\n".join(lines)
