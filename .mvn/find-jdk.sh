# Sourced by ./mvnw, ./carnet, .ci/run and bench/run: make JAVA_HOME point at a JDK >= 21.
# Looks at JAVA_HOME first, then /usr/lib/jvm/*; stops with a clear message if none is found.
carnet_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}
carnet_find_jdk() {
  if [ -n "${JAVA_HOME-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    v=$(carnet_java_major "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then return 0; fi
  fi
  carnet_glob_state=$(set +o | grep noglob)
  set +f
  for d in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -x "$d/bin/javac" ] || continue
    v=$(carnet_java_major "$d")
    if [ -n "$v" ] && [ "$v" -ge 21 ]; then
      JAVA_HOME="$d"; export JAVA_HOME
      eval "$carnet_glob_state"
      return 0
    fi
  done
  eval "$carnet_glob_state"
  echo "Carnet needs a JDK 21 or newer. None found in JAVA_HOME (${JAVA_HOME:-unset}) nor in /usr/lib/jvm." >&2
  echo "Install one (e.g. apt-get install openjdk-21-jdk) or set JAVA_HOME to it." >&2
  return 1
}
carnet_find_jdk || exit 1
