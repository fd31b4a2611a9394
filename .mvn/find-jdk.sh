# Sourced by ./mvnw and ./docpipe (POSIX sh). Chooses a JDK >= 21 so that the build and the
# CLI work on a machine whose default `java` is older, with no exported variables.
# Order: $JAVA_HOME if it is new enough, then `java` on PATH, then the newest JDK found in
# the usual install locations. Fails with a clear message when there is none.

docpipe_min_jdk=21

# Prints the feature version (e.g. 25) of the JDK at $1, or nothing.
docpipe_jdk_feature() {
  [ -x "$1/bin/javac" ] || return 0
  if [ -f "$1/release" ]; then
    sed -n 's/^JAVA_VERSION="\{0,1\}\([0-9][0-9]*\).*/\1/p' "$1/release" | head -n 1
  fi
}

docpipe_select_jdk() {
  if [ -n "${JAVA_HOME-}" ]; then
    v=$(docpipe_jdk_feature "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge "$docpipe_min_jdk" ]; then return 0; fi
  fi
  if command -v javac >/dev/null 2>&1; then
    home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    v=$(docpipe_jdk_feature "$home")
    if [ -n "$v" ] && [ "$v" -ge "$docpipe_min_jdk" ]; then JAVA_HOME=$home; export JAVA_HOME; return 0; fi
  fi
  best=""; bestv=0
  case $- in *f*) docpipe_noglob=1; set +f ;; *) docpipe_noglob=0 ;; esac
  for home in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* /opt/*/jdk* \
      "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* "$HOME"/.asdf/installs/java/* \
      /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$home" ] || continue
    v=$(docpipe_jdk_feature "$home")
    if [ -n "$v" ] && [ "$v" -ge "$docpipe_min_jdk" ] && [ "$v" -gt "$bestv" ]; then best=$home; bestv=$v; fi
  done
  [ "$docpipe_noglob" = 1 ] && set -f
  if [ -n "$best" ]; then JAVA_HOME=$best; export JAVA_HOME; return 0; fi
  echo "docpipe needs a JDK $docpipe_min_jdk or newer. None was found in JAVA_HOME, on PATH or in" >&2
  echo "/usr/lib/jvm, /usr/java, /opt, ~/.sdkman, ~/.jdks. Install one (e.g. Temurin 21+) or set JAVA_HOME." >&2
  exit 1
}

docpipe_select_jdk
