#!/bin/sh
# Start-up of the layer's one-shot command (JVM start, config, SDK client, one BatchGetSecretValue for 3
# secrets, manifest written, exit) with the shipped flags, the AOT cache removed, and interpreter only.
# Runs alternate so a noisy machine affects all variants alike; prints the median wall time and max RSS.
#
#   extension/src/build/startup-benchmark.sh LAYER_ZIP [RUNS]
#
# Needs python3 with moto (started here on a free port) and GNU time.
set -eu
zip=$1
runs=${2:-11}
work=$(mktemp -d)
trap 'kill "$moto" 2>/dev/null; rm -rf "$work"' EXIT
unzip -q "$zip" -d "$work/layer"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m moto.server -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto=$!
export AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
export AWS_ENDPOINT_URL_SECRETS_MANAGER="http://127.0.0.1:$port"
python3 - "$port" <<'PY'
import sys, time, boto3
for attempt in range(100):
    try:
        c = boto3.client("secretsmanager", endpoint_url=f"http://127.0.0.1:{sys.argv[1]}", region_name="us-east-1")
        for n in ("a", "b", "c"):
            c.create_secret(Name=f"bench/{n}", SecretString=f"fake-bench-{n}")
        break
    except Exception:
        time.sleep(0.1)
PY
printf '{"secrets":[{"name":"a","secretId":"bench/a"},{"name":"b","secretId":"bench/b"},{"name":"c","secretId":"bench/c"}]}' \
  >"$work/config.json"
home="$work/layer/secrets-prefetch"
run() { # variant, java flags...
  variant=$1; shift
  /usr/bin/time -a -o "$work/$variant.times" -f "%e %M" "$home/runtime/bin/java" "@$home/jvm.options" "$@" \
    -cp "$home/lib/secrets-prefetch-extension.jar" dev.secretsprefetch.extension.Main \
    prefetch --config "$work/config.json" --dir "$work/secrets" >/dev/null
}
i=0
while [ "$i" -lt "$runs" ]; do
  run shipped "-XX:AOTCache=$home/secrets-prefetch.aot"
  run no-aot-cache -Xshare:auto
  run interpreter-only "-XX:AOTCache=$home/secrets-prefetch.aot" -Xint
  i=$((i + 1))
done
for variant in shipped no-aot-cache interpreter-only; do
  sort -n "$work/$variant.times" | awk -v v="$variant" '{t[NR]=$1; if ($2 > m) m = $2}
    END {printf "%-17s median %.2f s  (min %.2f, max %.2f)  max RSS %d MB  runs %d\n", v, t[int((NR+1)/2)], t[1], t[NR], m/1024, NR}'
done
