# Sourced by bin/rockpool, bin/rockpool-stack and bin/rockpool-bench: the one way they build this checkout with Maven.
#
# maven_build PROG DIR LOG MVN_ARGS...
#   Runs `mvn -B MVN_ARGS` in DIR (the checkout) with its whole output in LOG, and shows on stderr what a person needs
#   to see a long build move: each module as it starts ("PROG: [2/3] rockpool pool engine"), what it compiles, that
#   dependencies are being downloaded (the first build only), and Maven's [ERROR] lines. No escape codes: -B turns
#   colours off, and .mvn/jvm.config's -Djansi.noreset=true stops the colour resets Maven 3.8's jansi writes when it
#   exits, even in batch mode into a pipe. Returns Maven's exit status.

maven_build() {
  local prog=$1 dir=$2 log=$3 status
  shift 3
  mkdir -p "$(dirname "$log")"
  {
    (cd "$dir" && exec mvn -B "$@" </dev/null 2>&1) |
      tee "$log" | maven_progress "$prog" >&2
    status=${PIPESTATUS[0]}
  } || true
  return "$status"
}

# Maven's batch output (stdin) as progress lines for a person.
maven_progress() {
  local prog=$1 line kind downloading=0
  local module='^\[INFO\] Building (.+) [^ ]+ +\[([0-9]+/[0-9]+)\]$'
  local compiling='^\[INFO\] Compiling ([0-9]+) (source files?)'
  while IFS= read -r line; do
    if [[ $line =~ $module ]]; then
      printf '%s: [%s] %s\n' "$prog" "${BASH_REMATCH[2]}" "${BASH_REMATCH[1]}"
    elif [[ $line =~ $compiling ]]; then
      if [[ $line == *test-classes ]]; then kind='test '; else kind=''; fi
      printf '%s:       compiling %s %s%s\n' "$prog" "${BASH_REMATCH[1]}" "$kind" "${BASH_REMATCH[2]}"
    elif [[ $line == Download*' from '* ]]; then
      ((downloading)) || printf '%s:       downloading dependencies from Maven Central (first build only) ...\n' "$prog"
      downloading=1
    elif [[ $line == '[ERROR]'* ]]; then
      printf '%s\n' "$line"
    fi
  done
}
