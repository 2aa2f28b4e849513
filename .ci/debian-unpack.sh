#!/usr/bin/env bash
# Unpacks Debian packages from another suite into PREFIX, leaving the system's packages as they are.
#   bash .ci/debian-unpack.sh SUITE PREFIX PKG[=VERSION]...
#   e.g. bash .ci/debian-unpack.sh sid "$HOME/.local/lifeboat-kube-tools" kubectl=1.36.4+ds-1 kustomize
# How (REFERENCE.md, etcd): a private sources list, package lists and cache, passed to `apt-get update`
# and `apt-get download`, then `dpkg -x`; nothing is installed, dpkg's database is not touched.
# Fits static binaries (Go tools: etcd, kubectl, kustomize), which need nothing else the suite has.
# LIFEBOAT_DEBIAN_MIRROR replaces deb.debian.org. The suite's Release file is checked with the
# system's debian-archive-keyring, as apt checks its own.
set -euo pipefail

if [ $# -lt 3 ]; then
  echo "usage: $0 SUITE PREFIX PKG[=VERSION]..." >&2
  exit 2
fi
suite=$1
prefix=$2
shift 2
mirror=${LIFEBOAT_DEBIAN_MIRROR:-http://deb.debian.org/debian}

# One state folder per suite, kept between runs so a second run only refreshes the lists.
state="${XDG_CACHE_HOME:-$HOME/.cache}/lifeboat-apt/$suite"
mkdir -p "$state/lists/partial" "$state/cache/archives/partial"
printf 'deb %s %s main\n' "$mirror" "$suite" >"$state/sources.list"
apt_options=(
  -o "Dir::Etc::sourcelist=$state/sources.list"
  -o Dir::Etc::sourceparts=-
  -o "Dir::State::Lists=$state/lists"
  # A private cache too: the system's pkgcache.bin must keep describing the system's own lists.
  -o "Dir::Cache=$state/cache"
  # Downloads land in a folder root owns; apt's `_apt` sandbox user could not write there.
  -o APT::Sandbox::User=root
)

echo "debian-unpack: apt-get update ($suite)"
apt-get "${apt_options[@]}" update -qq

resolved=()
# Only the suite's versions count (madison lists no dpkg-installed one, e.g. another vendor's kubectl).
for spec in "$@"; do
  name=${spec%%=*}
  versions=$(apt-cache "${apt_options[@]}" madison "$name" | awk -F'|' '{ gsub(/ /, "", $2); print $2 }')
  if [ -z "$versions" ]; then
    echo "debian-unpack: $suite has no package $name" >&2
    exit 1
  fi
  if [ "$spec" != "$name" ] && ! grep -qxF -- "${spec#*=}" <<<"$versions"; then
    echo "debian-unpack: $suite has $name $(tr '\n' ' ' <<<"$versions")but not ${spec#*=}; name one of those in .ci/run" >&2
    exit 1
  fi
  if [ "$spec" = "$name" ]; then spec="$name=$(head -n 1 <<<"$versions")"; fi
  echo "debian-unpack: $spec"
  resolved+=("$spec")
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get "${apt_options[@]}" download -qq "${resolved[@]}")
mkdir -p "$prefix"
for deb in "$work"/*.deb; do
  dpkg -x "$deb" "$prefix"
done
# What was unpacked, for the log and for .ci/run's "already there" check.
printf '%s\n' "${resolved[@]}" >"$prefix/debian-packages-$suite.txt"
echo "debian-unpack: unpacked $(cd "$work" && ls -- *.deb | tr '\n' ' ')into $prefix"
