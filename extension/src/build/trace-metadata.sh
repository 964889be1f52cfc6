#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Records the extension's reachability metadata with GraalVM's tracing agent (docs/layers.md, "Reachability
# metadata"): the black-box tests run against the extension on a JVM under the agent instead of the native
# executable, so every reflective access, resource and proxy on every path they cover is written down; the runs
# are merged and written to
#   extension/src/main/resources/META-INF/native-image/dev.secretsprefetch/secrets-prefetch-extension/
# for review and commit, without what trace-filter.json excludes after review: the JDK's own internal accesses
# that native-image's JDK support provides itself (an Unsafe field offset in AbstractQueuedSynchronizer$Node,
# libnet's JNI use of Boolean), and the ciphers and signatures JSSE only probes when it lists its cipher suites
# (RC4, DES, 3DES, DSA: disabled by jdk.tls.disabledAlgorithms or unused by AWS certificates), which registered
# would only add code. Needs GRAALVM_HOME with the agent (lib/libnative-image-agent.so: the shared kit's
# `install DIR --with-agent`, or any GraalVM). Run from anywhere:
#
#   GRAALVM_HOME=/opt/graal/native extension/src/build/trace-metadata.sh
set -eu
repo=$(cd "$(dirname "$0")/../../.." && pwd)
graal=${GRAALVM_HOME:?set GRAALVM_HOME to a GraalVM 25 with the tracing agent}
[ -f "$graal/lib/libnative-image-agent.so" ] || { echo "no tracing agent in $graal (lib/libnative-image-agent.so): ../shared/native-toolchain/install DIR --with-agent" >&2; exit 1; }
work="$repo/extension/target/trace"
metadata="$repo/extension/src/main/resources/META-INF/native-image/dev.secretsprefetch/secrets-prefetch-extension"
rm -rf "$work"
mkdir -p "$work/extensions" "$work/runs"

# The extension as the JVM layer runs it (its jars, its name from the file name), under the agent: one output
# directory per process.
cat > "$work/extensions/secrets-prefetch" <<SH
#!/bin/sh
exec "$graal/bin/java" -agentlib:native-image-agent=config-output-dir=$work/runs/{pid},access-filter-file=$repo/extension/src/build/trace-filter.json \\
  -Dsecretsprefetch.extension.name="\$(basename "\$0")" \\
  -cp "$repo/extension/target/layer-al2/secrets-prefetch/lib/secrets-prefetch-extension.jar" dev.secretsprefetch.extension.Main "\$@"
SH
chmod +x "$work/extensions/secrets-prefetch"

cd "$repo"
mvn -B -pl extension -am verify -DskipNativeBuild -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test='SecretsManagerFaultsIT,ParametersIT,DiskFaultsIT,CredentialsIT,TlsAndProxiesIT' \
  -Dsecretsprefetch.extension.executable="$work/extensions/secrets-prefetch"

# Merge the runs with GraalVM's configuration tool (native-image-configure).
# A process killed before it could write leaves a lock file and no output: its run is skipped, and said so.
set --
for run in "$work"/runs/*/; do
  if [ -e "$run/.lock" ]; then
    echo "trace-metadata: skipping $run, a process that was killed before it wrote its trace" >&2
  else
    set -- "$@" "--input-dir=$run"
  fi
done
[ $# -gt 0 ] || { echo "the tests ran no extension under the agent" >&2; exit 1; }
"$graal/bin/java" -XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI \
  --upgrade-module-path "$graal/lib/jvmci/graal.jar" \
  --module-path "$graal/lib/svm/builder/svm-configure.jar:$graal/lib/svm/builder/native-image-base.jar:$graal/lib/jvmci/nativeimage.jar:$graal/lib/jvmci/nativeimage-libgraal.jar:$graal/lib/jvmci/word.jar:$graal/lib/jvmci/collections.jar:$graal/lib/truffle/truffle-compiler.jar" \
  -m org.graalvm.nativeimage.configure/com.oracle.svm.configure.ConfigurationTool generate "$@" \
  --output-dir="$work/merged"
mkdir -p "$metadata"
cp "$work/merged/reachability-metadata.json" "$metadata/reachability-metadata.json"
echo "trace-metadata: $# runs merged into $metadata/reachability-metadata.json; review the diff (git diff) and commit"
