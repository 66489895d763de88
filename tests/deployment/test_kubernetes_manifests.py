"""The Kubernetes manifests are generated from the district configuration, valid against the
Kubernetes schemas (offline), and never carry a secret."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
import yaml

from jiuzhu_console.settings import ConsoleSettings
from jiuzhu_devstack import kubernetes
from jiuzhu_devstack.credentials import ensure, instance_name, instances_of
from jiuzhu_kernel.district_config import load_district_config
from jiuzhu_runtime.settings import ServiceSettings

ROOT = kubernetes.KUBERNETES
CONFIG = load_district_config(kubernetes.CONFIG)
KUBERNETES_VERSION = "1.32"  # the oldest minor the manifests are checked against; kubernetes-validate ships it


def committed() -> dict[str, str]:
    return {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8") for p in sorted(ROOT.rglob("*"))
            if p.is_file()}


def documents(paths=None) -> list[tuple[str, dict]]:
    """Every Kubernetes object in the committed resources (not the kustomizations, not patches)."""
    paths = resource_files() if paths is None else paths
    out = []
    for path, text in committed().items():
        if path not in paths:
            continue
        out.extend((path, doc) for doc in yaml.safe_load_all(text) if doc)
    return out


def resources_of(directory: str) -> list[str]:
    kustomization = yaml.safe_load((ROOT / directory / "kustomization.yaml").read_text(encoding="utf-8"))
    return [f"{directory}/{r}" for r in kustomization.get("resources", []) if not r.startswith("..")]


def resource_files() -> list[str]:
    return resources_of("base") + resources_of(f"overlays/{kubernetes.OVERLAY}")


# --- (1) generated, in step with the configuration ------------------------------------------------
def test_manifests_are_generated_from_the_current_configuration():
    expected = kubernetes.render()
    assert committed() == expected, (
        "deploy/kubernetes is stale: uv run python -m jiuzhu_devstack.kubernetes --write")


def test_a_changed_configuration_changes_the_manifests(tmp_path):
    """A fourth jurisdiction gets its four Deployments; the stale files would then fail the test above."""
    config_dir = tmp_path / "config"
    shutil.copytree(kubernetes.CONFIG.parent, config_dir)
    toml = config_dir / "urho.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("# Authority registry", (
        '[[jurisdictions]]\ncode = "650205200"\nslug = "new_town"\nname = "新镇"\nkind = "township"\n'
        'committees = ["新村村民委员会"]\n\n# Authority registry'), 1), encoding="utf-8")
    files = kubernetes.render(toml)
    added = set(files) - set(kubernetes.render())
    assert added == {f"base/services/{s}-new-town.yaml" for s in ("intake", "verification", "publicity", "decision")}
    assert "650205200" in files["base/console.yaml"] and "650205200" in files["base/district-config.yaml"]
    assert files["base/services/oversight.yaml"] != kubernetes.render()["base/services/oversight.yaml"], (
        "a changed configuration must roll the pods that read it (the digest annotation)")


# --- (2) valid Kubernetes objects, checked offline ------------------------------------------------
def test_every_manifest_validates_against_the_kubernetes_schemas():
    kubernetes_validate = pytest.importorskip("kubernetes_validate")
    files = resource_files()
    docs = documents(files)
    assert docs and {p for p, _ in docs} == set(files)
    for path, doc in docs:
        try:
            kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as exc:
            pytest.fail(f"{path}: {doc['kind']} {doc['metadata']['name']}: {str(exc).splitlines()[0]}")


def test_the_overlay_patches_are_valid_objects_too():
    """The strategic-merge patch of the overlay is itself a (partial) Deployment; kustomize's
    rendering is checked below when kubectl is installed."""
    overlay = yaml.safe_load((ROOT / "overlays" / kubernetes.OVERLAY / "kustomization.yaml").read_text())
    for patch in overlay["patches"]:
        if "path" in patch:
            doc = yaml.safe_load((ROOT / "overlays" / kubernetes.OVERLAY / patch["path"]).read_text())
            assert doc["kind"] == "Deployment" and doc["metadata"]["name"] == "console"
        else:
            ops = yaml.safe_load(patch["patch"])
            assert all(op["op"] == "replace" for op in ops), patch


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl (for `kubectl kustomize`) not installed")
def test_the_rendered_overlay_validates_and_sets_every_address():
    kubernetes_validate = pytest.importorskip("kubernetes_validate")
    out = subprocess.run(["kubectl", "kustomize", str(ROOT / "overlays" / kubernetes.OVERLAY)], check=True,
                         capture_output=True, text=True, timeout=60).stdout
    docs = [d for d in yaml.safe_load_all(out) if d]
    for doc in docs:
        kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
        if doc["kind"] != "Namespace":
            assert doc["metadata"]["namespace"] == kubernetes.OVERLAY_NAMESPACE
    text = json.dumps(docs)
    for unset in (kubernetes.NOWHERE, "postgres.invalid", "idp.example.invalid"):
        assert unset not in text, f"the overlay leaves {unset} of the base in place"
    for value in kubernetes.PLACEHOLDERS.values():
        assert value in text
    images = {c["image"] for d in docs if d["kind"] == "Deployment" for c in d["spec"]["template"]["spec"]["containers"]}
    assert all(i.startswith(kubernetes.PLACEHOLDERS["registry"]) for i in images), images


# --- (3) no secrets; settings that exist; every instance; every file listed -----------------------
SEED = re.compile(r"\bS[UOA][A-Z2-7]{50,}\b")  # an NKey seed
SECRETISH = re.compile(r"(PASSWORD|SECRET|KEY|NKEY|TOKEN)", re.I)


def test_no_secret_value_is_written_in_any_manifest():
    text = "\n".join(committed().values())
    assert "PRIVATE KEY" not in text and not SEED.search(text)
    overlay_patch = f"overlays/{kubernetes.OVERLAY}/console-oidc.yaml"
    for path, doc in [*documents(), *documents([overlay_patch])]:
        assert doc["kind"] != "Secret", f"{path}: a Secret is created from ./jz credentials, never committed"
        for container in _containers(doc):
            for env in container.get("env", []):
                if SECRETISH.search(env["name"]):
                    assert env["name"].endswith("_FILE") and env["value"].startswith(
                        (kubernetes.SECRETS_DIR + "/", kubernetes.CREDENTIALS_DIR + "/")), (
                        f"{path}: {env['name']} must name a mounted file")
                assert "valueFrom" not in env or "secretKeyRef" not in env["valueFrom"], (
                    f"{path}: {env['name']}: secrets are mounted files, not environment variables")


def test_every_credential_file_is_a_mounted_secret_and_exists_in_the_secrets_made_from_credentials(tmp_path):
    """Each *_FILE under /run/secrets/jiuzhu is a key of the Secret mounted there, and
    ``--secrets DIR`` makes exactly those Secrets from ``./jz credentials`` output."""
    creds = ensure(tmp_path, CONFIG)
    (tmp_path / "oidc-client-secret").write_text("from the identity provider\n")
    made = {m["metadata"]["name"]: m for m in kubernetes.secret_manifests(tmp_path, CONFIG)}
    for path, doc in documents():
        spec = _pod(doc)
        if spec is None:
            continue
        for container in spec["containers"]:
            mounts = {m["mountPath"]: m["name"] for m in container.get("volumeMounts", [])}
            volumes = {v["name"]: v for v in spec.get("volumes", [])}
            for env in container.get("env", []):
                if not env["name"].endswith("_FILE"):
                    continue
                directory, _, key = env["value"].rpartition("/")
                volume = volumes[mounts[directory]]
                source = volume.get("secret") or volume.get("configMap")
                assert key in {i["path"] for i in source["items"]}, f"{path}: {env['name']} is not mounted"
                name = source.get("secretName") or source["name"]
                assert name in made and key in made[name]["data"], f"{path}: {name}/{key} is never created"
                if directory == kubernetes.SECRETS_DIR:
                    assert "secretName" in source, f"{path}: {env['name']} must come from a Secret"
    assert creds.trust_file.read_text() == made["jz-trust"]["data"]["trust.json"]
    kubernetes_validate = pytest.importorskip("kubernetes_validate")
    for manifest in made.values():
        kubernetes_validate.validate(manifest, KUBERNETES_VERSION, strict=True)
    assert made["jz-trust"]["kind"] == "ConfigMap"  # public: the trust file and the IdP's public key


def test_every_jz_variable_is_a_setting_that_exists():
    service = {f"JZ_{n.upper()}" for n in ServiceSettings.model_fields}
    console = {f"JZ_{n.upper()}" for n in ConsoleSettings.model_fields}
    overlay_patch = yaml.safe_load((ROOT / "overlays" / kubernetes.OVERLAY / "console-oidc.yaml").read_text())
    for path, doc in [*documents(), ("overlay console-oidc.yaml", overlay_patch)]:
        for container in _containers(doc):
            names = {e["name"] for e in container.get("env", []) if e["name"].startswith("JZ_")}
            known = console if container["name"] == "console" else service
            assert not names - known, f"{path}: {names - known} is read by no setting"


def test_every_service_instance_of_the_configuration_has_a_deployment_and_the_console_knows_it():
    deployments = {doc["metadata"]["name"]: doc for _, doc in documents() if doc["kind"] == "Deployment"}
    services = {doc["metadata"]["name"] for _, doc in documents() if doc["kind"] == "Service"}
    found = set()
    for name, doc in deployments.items():
        env = {e["name"]: e["value"] for e in _containers(doc)[0]["env"]}
        if "JZ_SERVICE" in env:
            found.add(instance_name(env["JZ_SERVICE"], env.get("JZ_JURISDICTION")))
            assert name in services
            spec = doc["spec"]["template"]["spec"]
            for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
                assert spec["containers"][0][probe]["httpGet"]["path"] == "/health"
            assert spec["containers"][0]["resources"]["requests"]["memory"]
    assert found == {instance_name(s, j) for s, j in instances_of(CONFIG)}
    assert "console" in deployments and "console" in services
    urls = json.loads({e["name"]: e["value"] for e in _containers(deployments["console"])[0]["env"]}["JZ_SERVICES"])
    assert {u.split("//")[1].split(":")[0] for u in urls.values()} == set(deployments) - {"console"}


def test_nats_is_a_three_server_jetstream_cluster_that_fsyncs():
    docs = {(d["kind"], d["metadata"]["name"]): d for _, d in documents(["base/nats.yaml"])}
    sts = docs[("StatefulSet", "nats")]
    assert sts["spec"]["replicas"] == 3 and sts["spec"]["serviceName"] == "nats-cluster"
    assert docs[("Service", "nats-cluster")]["spec"]["clusterIP"] == "None"
    assert sts["spec"]["volumeClaimTemplates"][0]["metadata"]["name"] == "data"
    conf = docs[("ConfigMap", "nats-config")]["data"]["nats.conf"]
    assert "sync_interval: always" in conf and 'store_dir: "/data/jetstream"' in conf
    assert all(f"nats://nats-{i}.nats-cluster:6222" in conf for i in range(3))
    sources = sts["spec"]["template"]["spec"]["volumes"][0]["projected"]["sources"]
    assert {"name": "jz-nats-auth", "items": [{"key": "auth.conf", "path": "auth.conf"}]} in [
        s.get("secret") for s in sources]


def test_nats_server_accepts_the_configuration_with_the_generated_auth_file(tmp_path):
    """``nats-server -t``: the cluster configuration parses, $POD_NAME resolves, the include is found."""
    from jiuzhu_devstack.embedded_nats import nats_server_binary

    docs = {(d["kind"], d["metadata"]["name"]): d for _, d in documents(["base/nats.yaml"])}
    conf = docs[("ConfigMap", "nats-config")]["data"]["nats.conf"]
    etc = tmp_path / "etc"
    etc.mkdir()
    (etc / "nats.conf").write_text(conf.replace("/data/jetstream", str(tmp_path / "jetstream")))
    (etc / "auth.conf").write_text(ensure(tmp_path / "credentials", CONFIG).nats_auth_file.read_text())
    result = subprocess.run([nats_server_binary(), "-t", "-c", str(etc / "nats.conf")], capture_output=True,
                            text=True, timeout=60, env={"POD_NAME": "nats-0"})
    assert result.returncode == 0, result.stdout + result.stderr


def test_network_policies_let_a_service_reach_only_nats_and_postgres_and_the_console_only_the_services():
    policies = {d["metadata"]["name"]: d["spec"] for _, d in documents(["base/network-policies.yaml"])}
    assert policies["default-deny"] == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"],
                                        "ingress": [], "egress": []}

    def egress_of(labels: dict) -> list:
        return [rule for spec in policies.values() if "Egress" in spec["policyTypes"]
                and all(labels.get(k) == v for k, v in spec["podSelector"].get("matchLabels", {}).items())
                for rule in spec.get("egress", [])]

    service = {"jiuzhu/tier": "service", "jiuzhu/service": "verification", "jiuzhu/check-centre-peer": "true"}
    allowed = {(json.dumps(to, sort_keys=True), p["port"]) for r in egress_of(service) for to in r["to"]
               for p in r["ports"]}
    assert allowed == {
        (json.dumps({"podSelector": {"matchLabels": {"jiuzhu/tier": "nats"}}}, sort_keys=True), 4222),
        (json.dumps({"ipBlock": {"cidr": kubernetes.NOWHERE}}, sort_keys=True), 5432),
        (json.dumps(policies["dns"]["egress"][0]["to"][0], sort_keys=True), 53)}
    console = {(json.dumps(to, sort_keys=True), p["port"]) for r in egress_of({"jiuzhu/tier": "console"})
               for to in r["to"] for p in r["ports"]}
    assert {port for _, port in console} == {8000, 443, 53}
    assert (json.dumps({"podSelector": {"matchLabels": {"jiuzhu/tier": "service"}}}, sort_keys=True), 8000) in console


def test_the_kustomizations_list_every_file():
    for directory in ("base", f"overlays/{kubernetes.OVERLAY}"):
        on_disk = {p for p in committed() if p.startswith(directory + "/") and not p.endswith("/kustomization.yaml")}
        kustomization = yaml.safe_load((ROOT / directory / "kustomization.yaml").read_text())
        listed = set(resources_of(directory)) | {f"{directory}/{p['path']}" for p in kustomization.get("patches", [])
                                                if "path" in p}
        assert on_disk == listed, f"{directory}: not listed {on_disk - listed}, missing {listed - on_disk}"


# --- helpers ---------------------------------------------------------------------------------------
def _pod(doc: dict) -> dict | None:
    if doc.get("kind") in ("Deployment", "StatefulSet"):
        return doc["spec"]["template"]["spec"]
    return None


def _containers(doc: dict) -> list[dict]:
    spec = _pod(doc)
    return spec["containers"] if spec else []
