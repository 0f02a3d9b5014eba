# Shared by scripts/tinykube and scripts/test: root, host packages, node modules, build.
# Idempotent: every step skips what is already there.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

as_root() {
  # Re-run the calling script as root through sudo when not root (these machines are root already).
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then exec sudo -E "$0" "$@"; fi
    echo "$(basename "$0"): must run as root (and sudo is not available)" >&2
    exit 1
  fi
}

progress() { printf '%s\n' "$*" >&2; }

# Debian packages tinykube needs on a host. Later stages (agent, netproxy, clusters) add to the list.
HOST_PACKAGES=(iproute2 iptables curl ca-certificates openssl
  docker.io containerd runc conntrack containernetworking-plugins busybox-static docker-registry
  etcd-server etcd-client python3-kubernetes)

ensure_host_packages() {
  local missing=()
  for p in "${HOST_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    progress "Installing ${missing[*]} (apt)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

ensure_node_modules() {
  cd "$ROOT" || exit 1
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    progress "Installing node modules (npm ci; better-sqlite3 may build from source)"
    npm ci --no-audit --no-fund --loglevel=error >&2
  fi
}

ensure_build() {
  cd "$ROOT" || exit 1
  local stamp=dist/.build-stamp
  if [ ! -f "$stamp" ] || [ -n "$(find lib cli control agent cri netproxy test tsconfig.json package.json -newer "$stamp" -name '*.ts' -o -newer "$stamp" -name '*.json' 2>/dev/null | head -1)" ]; then
    progress "Building (tsc)"
    npx tsc -p tsconfig.json
    touch "$stamp"
  fi
}

TK_RUN_DIR=/run/tinykube
TK_LOG_DIR=/var/log/tinykube

# ensure_daemon NAME READY_FN CMD...: unless READY_FN succeeds, start CMD detached (setsid; log in
# $TK_LOG_DIR/NAME.log, pid in $TK_RUN_DIR/NAME.pid) and wait up to 30 s for READY_FN. A process still
# alive under the pid file is given the time to get ready (or to finish exiting) before a new one starts.
ensure_daemon() {
  local name=$1 ready=$2; shift 2
  "$ready" && return 0
  local pidfile=$TK_RUN_DIR/$name.pid log=$TK_LOG_DIR/$name.log pid started=0 deadline=$((SECONDS + 30))
  mkdir -p "$TK_RUN_DIR" "$TK_LOG_DIR"
  until "$ready"; do
    pid=$(cat "$pidfile" 2>/dev/null || true)
    # a pid file left by an earlier boot may name an unrelated process now: check what it runs
    if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null || ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$(basename "$1")"; then
      if [ "$started" = 1 ]; then
        echo "$name exited during start; last lines of $log:" >&2; tail -n 20 "$log" >&2; return 1
      fi
      progress "Starting $name (log $log)"
      setsid "$@" >>"$log" 2>&1 </dev/null &
      echo $! >"$pidfile"
      started=1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "$name did not get ready within 30 s; last lines of $log:" >&2; tail -n 20 "$log" >&2; return 1
    fi
    sleep 0.5
  done
}

docker_ready() { docker version >/dev/null 2>&1; }

# dockerd, started by hand when no daemon answers (these machines have no systemd). dockerd 20.10
# adopts any containerd listening on /run/containerd/containerd.sock instead of starting its own
# (under /run/docker/containerd): when tinykube's CRI containerd is already there, dockerd gets a
# containerd of its own, with the paths and config it would give the one it supervises, so stopping
# either daemon never takes the other's containers along.
ensure_dockerd() {
  if ! docker_ready && [ -S "$CONTAINERD_SOCK" ]; then
    ensure_docker_containerd || return 1
    ensure_daemon dockerd docker_ready dockerd --containerd "$DOCKER_CONTAINERD_SOCK"
    return
  fi
  ensure_daemon dockerd docker_ready dockerd
}

DOCKER_CONTAINERD_SOCK=/var/run/docker/containerd/containerd.sock
docker_containerd_ready() { ctr --address "$DOCKER_CONTAINERD_SOCK" version >/dev/null 2>&1; }

ensure_docker_containerd() {
  local conf=/var/run/docker/containerd/tinykube-containerd.toml
  mkdir -p /var/run/docker/containerd
  printf '%s\n' 'version = 2' 'root = "/var/lib/docker/containerd/daemon"' 'state = "/var/run/docker/containerd/daemon"' \
    'disabled_plugins = ["io.containerd.grpc.v1.cri"]' '[grpc]' "  address = \"$DOCKER_CONTAINERD_SOCK\"" \
    '[plugins."io.containerd.runtime.v1.linux"]' '  runtime_root = "/var/lib/docker/runc"' >"$conf"
  ensure_daemon docker-containerd docker_containerd_ready containerd --config "$conf"
}

TEST_IMAGE_DIR=/var/lib/tinykube/images
TEST_IMAGES=(tinykube/pause:1 tinykube/busybox:1 tinykube/web:1 tinykube/web:2 tinykube/web:3)

# The test images (tinykube image build-test), rebuilt when one is missing from Docker or when
# their build inputs (busybox-static, the built image code) changed. Needs ensure_build and ensure_dockerd.
ensure_test_images() {
  local stamp=$TEST_IMAGE_DIR/.inputs.sha256 inputs
  inputs=$(cat /usr/bin/busybox "$ROOT"/dist/cri/images/*.js 2>/dev/null | sha256sum | cut -d ' ' -f 1 || true)
  if [ "$(cat "$stamp" 2>/dev/null)" = "$inputs" ] && docker image inspect "${TEST_IMAGES[@]}" >/dev/null 2>&1; then
    return 0
  fi
  progress "Building test images (tinykube image build-test)"
  node "$ROOT/dist/cli/main.js" image build-test --out "$TEST_IMAGE_DIR" >&2 || return 1
  echo "$inputs" >"$stamp"
}

CONTAINERD_SOCK=/run/containerd/containerd.sock
CONTAINERD_CONFIG_DIR=/etc/tinykube/containerd

# The CRI plugin loaded and answering (a config it refuses leaves containerd serving the rest).
containerd_ready() {
  ctr --address "$CONTAINERD_SOCK" plugins ls 2>/dev/null | grep -Eq '^io\.containerd\.grpc\.v1 +cri .* ok *$'
}

# The host's containerd for tinykube (--runtime containerd, endpoint containerd://$CONTAINERD_SOCK),
# configured by the one renderer (`tinykube containerd config`: cri/containerd/config.ts) in
# $CONTAINERD_CONFIG_DIR: standard root /var/lib/containerd and state /run/containerd (dockerd's own
# containerd uses /var/lib/docker/containerd and /run/docker/containerd, runc roots apart too), the
# pod network `tinykube up` gives Docker pods (bridge tk0, host-local under /var/lib/tinykube), and
# the test images in namespace k8s.io. dockerd is started first when installed, so that it keeps a
# containerd of its own (see ensure_dockerd). A config change restarts our containerd (pods'
# shims survive that). Needs ensure_build and ensure_test_images.
ensure_containerd() {
  if command -v dockerd >/dev/null 2>&1; then ensure_dockerd || return 1; fi
  local conf=$CONTAINERD_CONFIG_DIR/config.toml before after pid
  before=$(sha256sum <"$conf" 2>/dev/null)
  node "$ROOT/dist/cli/main.js" containerd config --dir "$CONTAINERD_CONFIG_DIR" >/dev/null || return 1
  after=$(sha256sum <"$conf")
  pid=$(cat "$TK_RUN_DIR/containerd.pid" 2>/dev/null || true)
  if [ "$before" != "$after" ] && [ -n "$pid" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "containerd --config $conf"; then
    progress "Restarting containerd (pid $pid): its config changed"
    kill "$pid" && while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  fi
  if ! containerd_ready && ctr --address "$CONTAINERD_SOCK" version >/dev/null 2>&1 && ! kill -0 "$pid" 2>/dev/null; then
    echo "a containerd that is not tinykube's answers on $CONTAINERD_SOCK without its CRI plugin; stop it or load $conf" >&2
    return 1
  fi
  ensure_daemon containerd containerd_ready containerd --config "$conf" || return 1
  # the test images, imported again when they were rebuilt
  local stamp=$CONTAINERD_CONFIG_DIR/.images.sha256 want have img
  want=$(cat "$TEST_IMAGE_DIR/.inputs.sha256" 2>/dev/null || true)
  have=$(ctr --address "$CONTAINERD_SOCK" -n k8s.io images ls -q 2>/dev/null || true)
  for img in "${TEST_IMAGES[@]}"; do
    grep -qx "docker.io/$img" <<<"$have" || want=missing
  done
  [ "$want" != missing ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && return 0
  progress "Importing the test images into containerd (k8s.io)"
  for img in "${TEST_IMAGES[@]}"; do
    node "$ROOT/dist/cli/main.js" image import --runtime-endpoint "containerd://$CONTAINERD_SOCK" \
      "$TEST_IMAGE_DIR/$(tr '/:' '--' <<<"$img").tar" >/dev/null || return 1
  done
  cat "$TEST_IMAGE_DIR/.inputs.sha256" >"$stamp"
}

REGISTRY_ADDR=127.0.0.1:5000
REGISTRY_DIR=/var/lib/tinykube-test

# Debian's docker-registry on 127.0.0.1:5000 with its own config, holding tinykube/pulltest:1 (a copy
# of tinykube/busybox:1) for the pull tests. Docker treats 127.0.0.0/8 registries as insecure (plain HTTP).
registry_ready() { curl -sf -m 2 -o /dev/null "http://$REGISTRY_ADDR/v2/"; }

ensure_registry() {
  local code
  code=$(curl -s -m 2 -o /dev/null -w '%{http_code}' "http://$REGISTRY_ADDR/v2/" || true)
  if [ "$code" != 200 ] && [ "$code" != 000 ]; then
    echo "something else answers on $REGISTRY_ADDR (HTTP $code); stop it or free the port" >&2
    return 1
  fi
  if [ "$code" != 200 ]; then
    mkdir -p "$REGISTRY_DIR/registry"
    printf '%s\n' 'version: 0.1' 'log: { level: warn, accesslog: { disabled: true } }' \
      "storage: { filesystem: { rootdirectory: $REGISTRY_DIR/registry }, delete: { enabled: true } }" \
      "http: { addr: $REGISTRY_ADDR }" >"$REGISTRY_DIR/registry.yml"
    ensure_daemon registry registry_ready docker-registry serve "$REGISTRY_DIR/registry.yml" || return 1
  fi
  # Push once; again only when tinykube/busybox:1 changed (compare the config digests).
  local ref=$REGISTRY_ADDR/tinykube/pulltest:1 want have
  want=$(docker image inspect -f '{{.Id}}' tinykube/busybox:1) || return 1
  have=$(curl -sf -m 5 -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' \
    "http://$REGISTRY_ADDR/v2/tinykube/pulltest/manifests/1" | tr -d ' \n\t' | grep -o '"config":{[^}]*}' | grep -o 'sha256:[0-9a-f]*' || true)
  if [ "$have" != "$want" ]; then
    progress "Pushing $ref"
    docker tag tinykube/busybox:1 "$ref" || return 1
    docker push "$ref" >/dev/null || return 1
  fi
}

ETCD_ADDR=${TK_TEST_ETCD_ADDR:-127.0.0.1:2379}
ETCD_PEER_ADDR=${TK_TEST_ETCD_PEER_ADDR:-127.0.0.1:2380}
ETCD_DIR=${TK_TEST_ETCD_DIR:-/var/lib/tinykube/test-etcd}
# The test etcd's CA, serving and client certificates (test/helpers/test-etcd.ts reads them here).
ETCD_PKI=${TK_TEST_ETCD_PKI:-/var/lib/tinykube/test-etcd-pki}
ETCD_DAEMON=${TK_TEST_ETCD_DAEMON:-etcd} # the name of its pid file and log

# A single-member etcd (Debian's etcd-server) on 127.0.0.1:2379 for the etcd store's integration and
# e2e tests; its data persists in $ETCD_DIR. Tests isolate themselves by key prefix. Clients speak
# TLS and must present a certificate from $ETCD_PKI/ca.crt (--client-cert-auth), as a production
# etcd behind kube-apiserver's --etcd-cafile/--etcd-certfile/--etcd-keyfile does.
etcd_curl() { curl -s -m 2 --cacert "$ETCD_PKI/ca.crt" --cert "$ETCD_PKI/client.crt" --key "$ETCD_PKI/client.key" "$@"; }
etcd_ready() { etcd_curl -f "https://$ETCD_ADDR/health" 2>/dev/null | grep -q '"health":"true"'; }

# A CA, etcd's serving certificate (127.0.0.1, localhost) and a client certificate, made once;
# keys 0600 in a 0700 directory.
ensure_etcd_pki() {
  [ -s "$ETCD_PKI/ca.crt" ] && [ -s "$ETCD_PKI/server.crt" ] && [ -s "$ETCD_PKI/client.crt" ] && return 0
  progress "Creating the test etcd's certificates in $ETCD_PKI"
  mkdir -p "$ETCD_PKI" && chmod 700 "$ETCD_PKI" || return 1
  (
    set -e
    umask 077
    cd "$ETCD_PKI"
    ec='-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes'
    # shellcheck disable=SC2086 # $ec is several words on purpose
    openssl req -x509 $ec -keyout ca.key -out ca.crt -days 3650 -subj /CN=tinykube-test-etcd-ca 2>/dev/null
    for who in server client; do
      # shellcheck disable=SC2086
      openssl req -new $ec -keyout "$who.key" -out "$who.csr" -subj "/CN=tinykube-test-etcd-$who" 2>/dev/null
    done
    printf '%s\n' 'subjectAltName=IP:127.0.0.1,DNS:localhost' 'extendedKeyUsage=serverAuth,clientAuth' >server.ext
    printf '%s\n' 'extendedKeyUsage=clientAuth' >client.ext
    for who in server client; do
      openssl x509 -req -in "$who.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -extfile "$who.ext" -out "$who.crt" 2>/dev/null
    done
    rm -f ./*.csr ./*.ext ca.srl
    chmod 600 ./*.key
    chmod 644 ./*.crt
  ) || { echo "could not create the test etcd's certificates in $ETCD_PKI" >&2; return 1; }
}

ensure_etcd() {
  ensure_etcd_pki || return 1
  etcd_ready && return 0
  local code pid
  code=$(curl -s -m 2 -o /dev/null -w '%{http_code}' "http://$ETCD_ADDR/health" || true)
  pid=$(cat "$TK_RUN_DIR/$ETCD_DAEMON.pid" 2>/dev/null || true)
  if [ "$code" = 200 ] && [ -n "$pid" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "--data-dir $ETCD_DIR "; then
    # the plain-TCP test etcd of an earlier version (ours, from the pid file): restart it with TLS
    progress "Restarting the test etcd (pid $pid) with TLS and client certificates"
    kill "$pid" && while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
    code=000
  fi
  # 000 and a TLS answer: an etcd (ours, from the pid file) still starting up; ensure_daemon waits for it
  if [ "$code" != 000 ] && [ "$code" != 400 ]; then
    echo "something else answers on $ETCD_ADDR (HTTP $code); stop it or free the port" >&2
    return 1
  fi
  mkdir -p "$ETCD_DIR" && chmod 700 "$ETCD_DIR"
  ensure_daemon "$ETCD_DAEMON" etcd_ready etcd --name tinykube-test --data-dir "$ETCD_DIR" \
    --listen-client-urls "https://$ETCD_ADDR" --advertise-client-urls "https://$ETCD_ADDR" \
    --cert-file "$ETCD_PKI/server.crt" --key-file "$ETCD_PKI/server.key" \
    --trusted-ca-file "$ETCD_PKI/ca.crt" --client-cert-auth \
    --listen-peer-urls "http://$ETCD_PEER_ADDR" --initial-advertise-peer-urls "http://$ETCD_PEER_ADDR" \
    --initial-cluster "tinykube-test=http://$ETCD_PEER_ADDR"
}
