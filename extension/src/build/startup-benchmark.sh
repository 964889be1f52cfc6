#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Start-up and memory of the layers' extension side by side, all in one run (see StartupBenchmark.java for what
# is measured). Prints a Markdown table.
#
#   extension/src/build/startup-benchmark.sh LAYER_ZIP [RUNS] [VARIANT ...]
#
# VARIANT: NAME=@ZIP:/path/to/another-layer.zip (e.g. the JVM layer next to the native one), NAME=@LAYER:/unpacked,
# or NAME='JVM ARGS' replacing the JVM layer's launcher, e.g. 'no AOT cache=@OPTIONS -Xshare:auto' (see
# StartupBenchmark.java). CASES (default 3,3+100,50+100: secrets[+ms of added latency per call], or N:tls for calls
# over TLS) and IDLE_MS (default 6000) narrow the run. Needs python3 with moto (started here on a free port) and a
# JDK 25 (TEMURIN_HOME, default /usr/lib/jvm/temurin-25-jdk-amd64) to run the benchmark itself. Example, the two
# zips of a build:
#
#   CASES=3,3+100,50+100,3:tls extension/src/build/startup-benchmark.sh extension/target/secrets-prefetch-layer.zip 11 \
#       'JVM layer (al2)=@ZIP:extension/target/secrets-prefetch-layer-al2.zip'
set -euo pipefail
zip=$1
runs=${2:-11}
shift $(($# < 2 ? $# : 2))
jdk=${TEMURIN_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
work=$(mktemp -d)
moto=
trap '[ -n "$moto" ] && kill "$moto" 2>/dev/null; rm -rf "$work"' EXIT
unzip -q "$zip" -d "$work/layer"
variants=()
n=0
for variant in "$@"; do
  case "$variant" in
    *=@ZIP:*)
      n=$((n + 1))
      unzip -q "${variant#*=@ZIP:}" -d "$work/variant-$n"
      variants+=("${variant%%=@ZIP:*}=@LAYER:$work/variant-$n") ;;
    *) variants+=("$variant") ;;
  esac
done
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m moto.server -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto=$!
i=0
until python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/moto-api/')" 2>/dev/null; do
  i=$((i + 1))
  [ "$i" -lt 200 ] || { echo "moto did not start; see $work/moto.log" >&2; exit 1; }
  sleep 0.1
done
echo "layer: $(basename "$zip") $(stat -c %s "$zip") bytes; $(uname -m), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
"$jdk/bin/java" -Dcases="${CASES:-3,3+100,50+100}" -Didle="${IDLE_MS:-6000}" "$(dirname "$0")/StartupBenchmark.java" \
  "$work/layer" "http://127.0.0.1:$port" "$runs" ${variants[@]+"${variants[@]}"}
