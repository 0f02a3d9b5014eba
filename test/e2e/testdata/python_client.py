"""
The official Python client (Debian's python3-kubernetes) against tinykube, as a new user would
use it: list, create, watch, the scale subresource, a stale replace, logs and exec. Each step's
result (or error) goes into one JSON object printed at the end, so one failing step does not
hide the others.

usage: python3 python_client.py KUBECONFIG NAMESPACE
"""
import json
import sys
import time
import traceback

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException
from kubernetes.stream import stream

KUBECONFIG, NS = sys.argv[1], sys.argv[2]
config.load_kube_config(config_file=KUBECONFIG)
core = client.CoreV1Api()
apps = client.AppsV1Api()
out = {}


def step(name):
    def run(fn):
        try:
            out[name] = fn()
        except Exception as e:  # report, keep going
            out[name] = {"error": "%s: %s" % (type(e).__name__, e), "trace": traceback.format_exc()[-1500:]}
        return fn
    return run


def wait_for(what, check, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.25)
    raise TimeoutError("timed out waiting for %s; pods: %s" % (what, pods_now()))


@step("list")
def _():
    pods = core.list_namespaced_pod(NS)
    return {"kind": type(pods).__name__, "names": sorted(p.metadata.name for p in pods.items)}


@step("create")
def _():
    dep = client.V1Deployment(
        metadata=client.V1ObjectMeta(name="py-dep"),
        spec=client.V1DeploymentSpec(
            replicas=1,
            selector=client.V1LabelSelector(match_labels={"app": "py-dep"}),
            template=client.V1PodTemplateSpec(
                metadata=client.V1ObjectMeta(labels={"app": "py-dep"}),
                spec=client.V1PodSpec(containers=[client.V1Container(
                    name="main", image="tinykube/busybox:1", command=["sh", "-c", "echo hello from py-dep; sleep 3600"])]),
            ),
        ),
    )
    created = apps.create_namespaced_deployment(NS, dep)
    return {"name": created.metadata.name, "uid": bool(created.metadata.uid), "resourceVersion": bool(created.metadata.resource_version)}


@step("watch")
def _():
    w = watch.Watch()
    seen = []
    start = time.time()
    for ev in w.stream(core.list_namespaced_pod, NS, label_selector="app=py-dep", timeout_seconds=3):
        seen.append([ev["type"], ev["object"].metadata.name])
    return {"types": sorted(set(t for t, _ in seen)), "seconds": round(time.time() - start, 1)}


@step("scale")
def _():
    apps.patch_namespaced_deployment_scale("py-dep", NS, {"spec": {"replicas": 2}})
    scale = apps.read_namespaced_deployment_scale("py-dep", NS)
    return {"kind": type(scale).__name__, "spec": scale.spec.replicas, "selector": scale.status.selector}


@step("stale_replace")
def _():
    first = apps.read_namespaced_deployment("py-dep", NS)
    stale = apps.read_namespaced_deployment("py-dep", NS)
    first.metadata.labels = {"changed": "yes"}
    apps.replace_namespaced_deployment("py-dep", NS, first)
    stale.metadata.labels = {"changed": "again"}
    try:
        apps.replace_namespaced_deployment("py-dep", NS, stale)
        return {"status": 200}
    except ApiException as e:
        body = json.loads(e.body)
        return {"status": e.status, "reason": body.get("reason"), "message": body.get("message")}


def running_pod():
    pods = core.list_namespaced_pod(NS, label_selector="app=py-dep").items
    running = [p for p in pods if p.status.phase == "Running"]
    return running[0].metadata.name if running else None


def pods_now():
    """What the pods look like, for a step that timed out waiting for them."""
    return [[p.metadata.name, p.spec.node_name, p.status.phase, str(p.status.conditions), str(p.status.container_statuses)]
            for p in core.list_namespaced_pod(NS).items]


@step("logs")
def _():
    name = wait_for("a running py-dep pod", running_pod)
    return {"text": wait_for("its log line", lambda: core.read_namespaced_pod_log(name, NS))}


@step("exec")
def _():
    name = wait_for("a running py-dep pod", running_pod)
    text = stream(core.connect_get_namespaced_pod_exec, name, NS, command=["sh", "-c", "echo out; echo err >&2"],
                  stderr=True, stdin=False, stdout=True, tty=False)
    resp = stream(core.connect_get_namespaced_pod_exec, name, NS, command=["sh", "-c", "exit 3"],
                  stderr=True, stdin=False, stdout=True, tty=False, _preload_content=False)
    resp.run_forever(timeout=20)
    return {"output": text, "exit": resp.returncode}


print(json.dumps(out))
