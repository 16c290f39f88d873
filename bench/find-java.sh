# Sourced by the bench scripts: sets JAVA to the first JDK >= 21 found ($JAVA_HOME, then /usr/lib/jvm/*, then
# `java` on PATH), or exits with a clear message.
java_major() {
  # "21.0.2", "25", "25-ea" -> 21 / 25; legacy "1.8.0_392" -> 8; prints nothing if not runnable.
  local v
  v=$("$1" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1) || return 0
  [[ $v == 1.* ]] && v=${v#1.}
  printf '%s\n' "${v%%[.+-]*}"
}

JAVA=""
candidates=()
[[ -n ${JAVA_HOME:-} ]] && candidates+=("$JAVA_HOME/bin/java")
for home in /usr/lib/jvm/*; do candidates+=("$home/bin/java"); done
command -v java >/dev/null 2>&1 && candidates+=("$(command -v java)")

for candidate in "${candidates[@]}"; do
  [[ -x $candidate ]] || continue
  major=$(java_major "$candidate")
  if [[ $major =~ ^[0-9]+$ ]] && (( major >= 21 )); then
    JAVA=$candidate
    break
  fi
done

if [[ -z $JAVA ]]; then
  echo "error: no JDK >= 21 found (looked at \$JAVA_HOME, /usr/lib/jvm/*, and java on PATH)." >&2
  echo "Install a JDK 21+ or set JAVA_HOME to one." >&2
  exit 1
fi

