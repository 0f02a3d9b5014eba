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
HOST_PACKAGES=(iproute2 iptables curl ca-certificates openssl)

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
  if [ ! -f "$stamp" ] || [ -n "$(find control agent cri netproxy test tsconfig.json package.json -newer "$stamp" -name '*.ts' -o -newer "$stamp" -name '*.json' 2>/dev/null | head -1)" ]; then
    progress "Building (tsc)"
    npx tsc -p tsconfig.json
    touch "$stamp"
  fi
}
