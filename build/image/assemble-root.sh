#!/usr/bin/env bash
# Assembles the root filesystem that every docpipe image is built on, without a Docker engine and
# without pulling a base image: a jlink'd Java runtime, the glibc files it (and onnxruntime, and the
# Lambda runtime interface client) link against, a non-root user and a /tmp.
#
#   assemble-root.sh <jdk home> <comma-separated JDK modules> <output dir>
#
# Jib layers the output onto `scratch` (see the root pom's jib-maven-plugin configuration).
# Everything here is derived from the build JDK and the build machine's glibc, so the same machine
# produces the same bytes; Jib fixes timestamps and ownership, which makes the image reproducible.
set -euo pipefail

jdk=$1
modules=$2
out=$3

libdir=/lib/x86_64-linux-gnu
# What the JRE, libonnxruntime.so (C++) and the Lambda RIC's native client need; nothing else.
libs=(ld-linux-x86-64.so.2 libc.so.6 libdl.so.2 libm.so.6 libpthread.so.0 librt.so.1
      libgcc_s.so.1 libstdc++.so.6 libz.so.1)

if [ "$(uname -m)" != x86_64 ]; then
  echo "assemble-root.sh: images are built for linux/amd64 only (this machine is $(uname -m))" >&2
  exit 1
fi
if [ ! -x "$jdk/bin/jlink" ]; then
  echo "assemble-root.sh: no jlink in $jdk; build with a full JDK (./mvnw finds one)" >&2
  exit 1
fi

rm -rf "$out"
mkdir -p "$out/opt" "$out/lib64" "$out$libdir" "$out/etc" "$out/tmp"

"$jdk/bin/jlink" \
  --add-modules "$modules" \
  --strip-debug --no-man-pages --no-header-files \
  --compress zip-6 \
  --output "$out/opt/java"

for lib in "${libs[@]}"; do
  src=$(readlink -f "$libdir/$lib")
  cp "$src" "$out$libdir/$lib"
done
# The dynamic loader's canonical path, which every ELF binary names as its interpreter.
cp "$(readlink -f /lib64/ld-linux-x86-64.so.2)" "$out/lib64/ld-linux-x86-64.so.2"

# The CA bundle: native code looks for it (onnxruntime 1.29 crashes in its telemetry set-up when no
# bundle is readable), and TLS clients outside the JVM's own trust store need it.
mkdir -p "$out/etc/ssl/certs"
cp /etc/ssl/certs/ca-certificates.crt "$out/etc/ssl/certs/ca-certificates.crt"

# uid/gid 65532 ("nonroot", as in distroless): a named user, so user.home resolves.
printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' > "$out/etc/passwd"
printf 'root:x:0:\nnonroot:x:65532:\n' > "$out/etc/group"
mkdir -p "$out/home/nonroot"
