#!/bin/sh
# Start-up and memory of the layer's extension next to a hello-world on the same bundled runtime, all in one
# run (see StartupBenchmark.java for what is measured). Prints a Markdown table.
#
#   extension/src/build/startup-benchmark.sh LAYER_ZIP [RUNS] [VARIANT ...]
#
# VARIANT: NAME='JVM ARGS' replacing the launcher, e.g. 'no AOT cache=@OPTIONS -Xshare:auto', or
# NAME=@LAYER:/unpacked/layer (see StartupBenchmark.java). CASES (default 3,3+100,50+100: secrets[+ms of
# added latency per call], or N:tls for calls over TLS) and IDLE_MS (default 6000) narrow the run.
# Needs python3 with moto (started here on a free port) and a JDK 25 (TEMURIN_HOME, default
# /usr/lib/jvm/temurin-25-jdk-amd64) to run the benchmark itself.
set -eu
zip=$1
runs=${2:-11}
shift $(($# < 2 ? $# : 2))
jdk=${TEMURIN_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
work=$(mktemp -d)
moto=
trap '[ -n "$moto" ] && kill "$moto" 2>/dev/null; rm -rf "$work"' EXIT
unzip -q "$zip" -d "$work/layer"
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
"$jdk/bin/java" -Dcases="${CASES:-3,3+100,50+100}" -Didle="${IDLE_MS:-6000}" "$(dirname "$0")/StartupBenchmark.java" "$work/layer" "http://127.0.0.1:$port" "$runs" "$@"
