#!/usr/bin/env bash
# Pushes docpipe's three runtime images and the doc-builder sidecar to an OCI registry and prints their digests in the forms
# the deploy files take (Terraform variables, kustomize `images:`). No Docker engine: the images are
# the archives Jib wrote at `./mvnw package` (adapters/{lambda,fargate,gke,tika}/target/image/*.tar),
# copied with skopeo (or, without skopeo, podman load + push).
#
#   build/release-images.sh REGISTRY [TAG]
#     REGISTRY  host[:port][/path]: 123456789012.dkr.ecr.eu-central-1.amazonaws.com,
#               europe-west1-docker.pkg.dev/my-project/docpipe, 127.0.0.1:5000
#     TAG       tag pushed alongside the digest (default: the project version); deploy by digest
#
# Credentials: those of `skopeo login` / `podman login` (or REGISTRY_AUTH_FILE). Plain HTTP only
# for a registry on 127.0.0.1 or localhost. Writes ${RELEASE_DIR:-target/release}/digests with one
# `<image>=<registry>/<image>@sha256:<hex>` line per image (the release workflow reads it).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: build/release-images.sh REGISTRY [TAG]" >&2
  exit 64
fi
registry=${1%/}
tag=${2:-$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -1)}
out=${RELEASE_DIR:-target/release}
mkdir -p "$out"
: >"$out/digests"

tls=true
case "$registry" in
  127.0.0.1:* | 127.0.0.1/* | 127.0.0.1 | localhost:* | localhost/* | localhost) tls=false ;;
esac

# image name = the module folder under adapters/, but for the sidecar built by adapters/tika
images=(lambda fargate gke doc-builder)
archive() { echo "adapters/$([ "$1" = doc-builder ] && echo tika || echo "$1")/target/image/docpipe-$1.tar"; }
for image in "${images[@]}"; do
  tar=$(archive "$image")
  if [ ! -f "$tar" ]; then
    echo "release-images.sh: no $tar: build the images first (./mvnw -B package -DskipTests)" >&2
    exit 66
  fi
done

for image in "${images[@]}"; do
  tar=$(archive "$image")
  ref="$registry/docpipe-$image"
  digestfile="$out/docpipe-$image.digest"
  if command -v skopeo >/dev/null; then
    skopeo copy --quiet --dest-tls-verify="$tls" --digestfile "$digestfile" \
      "docker-archive:$tar" "docker://$ref:$tag" >&2
  else
    loaded=$(podman load -q -i "$tar" | sed -n 's/^Loaded image[^:]*: *//p' | tail -1)
    podman tag "$loaded" "$ref:$tag"
    podman push --quiet --tls-verify="$tls" --digestfile "$digestfile" "$ref:$tag" >&2
  fi
  digest=$(tr -d '[:space:]' <"$digestfile")
  case "$digest" in
    sha256:????????????????????????????????????????????????????????????????) ;;
    *) echo "release-images.sh: no digest for $ref (got '$digest')" >&2; exit 70 ;;
  esac
  echo "$image=$ref@$digest" >>"$out/digests"
done

ref() { sed -n "s/^$1=//p" "$out/digests"; }
gke=$(ref gke)
builder=$(ref doc-builder)
cat <<TXT
# Pushed (deploy these by digest; the tag $tag is only a label):
$(sed 's/^/#   /' "$out/digests")

# deploy/terraform/lambda
image_uri = "$(ref lambda)"

# deploy/terraform/ecs-fargate
image = "$(ref fargate)"
doc_builder_image = "$(ref doc-builder)"

# deploy/k8s overlays, kustomization.yaml
images:
  - name: docpipe/docpipe-gke
    newName: ${gke%@*}
    digest: ${gke#*@}
  - name: docpipe/docpipe-doc-builder
    newName: ${builder%@*}
    digest: ${builder#*@}
TXT
