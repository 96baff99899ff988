# Sourced by bin/rockpool: the start archive of the CLI (docs/CLI.md "Start archive").
#
# start_archive DIR JAVA CLASSPATH TTY
#   Sets the array `archive` to the JVM options that map the start archive kept in DIR for this JDK and class path: a
#   dynamic class-data-sharing archive (-XX:ArchiveClassesAtExit, JDK 13 and later). When there is none yet, or it
#   is stale (the jars or the JDK changed since it was made), it is made first: a training run of the short commands
#   (dev.rockpool.cli.StartTraining), a check that the JVM takes the result, then a rename into place, so the archive
#   appears whole or not at all. (JDK 25's AOT cache was measured too, and is slower for these commands: it loads
#   every class it holds at start; docs/BENCHMARKS.md "CLI start".) Leaves `archive` empty, and the command runs
#   without, whenever that cannot be done: DIR not writable, another process making it right now (it does not wait),
#   the JDK not able to, an archive changed after it was made (truncated, rewritten), unreadable, or not the JDK's.
#   A failed attempt is remembered until the jars or the JDK change.
#
# What it knows about an archive is in NAME.key beside it (NAME from the java command), one value per line: the kind
# (jsa or failed), the JDK's java binary and its JAVA_RUNTIME_VERSION, and the class path. The checks on every run are
# shell builtins only (no process started): a short command's whole budget is a few tens of milliseconds.

# shellcheck disable=SC2034 # archive is the caller's array
start_archive() {
  local dir=$1 java=$2 cp=$3 tty=$4
  local file="$dir/${java//[^A-Za-z0-9]/_}" javabin
  start_archive_which "$java" || return 0
  javabin=$START_ARCHIVE_JAVA
  if ! start_archive_current "$file" "$javabin" "$cp"; then
    start_archive_make "$dir" "$file" "$javabin" "$cp" "$tty" || return 0
    start_archive_current "$file" "$javabin" "$cp" || return 0
  fi
  [[ $START_ARCHIVE_KIND == jsa ]] && archive=(-XX:SharedArchiveFile="$file.jsa")
  return 0
}

# Sets START_ARCHIVE_JAVA to where the command JAVA is (as `command -v` says), found by the shell alone.
start_archive_which() {
  local IFS=: d
  START_ARCHIVE_JAVA=$1
  [[ $1 == */* ]] && return 0
  for d in $PATH; do
    [[ -x ${d:-.}/$1 && ! -d ${d:-.}/$1 ]] && { START_ARCHIVE_JAVA=${d:-.}/$1; return 0; }
  done
  return 1
}

# True if FILE.key describes an attempt for this JDK binary and class path that nothing changed since; sets
# START_ARCHIVE_KIND to its outcome (jsa or failed). An archive that is missing, unreadable or newer than its key
# (changed after it was made and checked) makes it false.
start_archive_current() {
  local file=$1 javabin=$2 cp=$3 key="$1.key" kind made_java made_version made_cp
  START_ARCHIVE_KIND=""
  [[ -f $key ]] || return 1
  { read -r kind && read -r made_java && read -r made_version && read -r made_cp; } < "$key" 2>/dev/null || return 1
  [[ $javabin -ef $made_java && $key -nt $made_java ]] || return 1
  start_archive_jdk_version "$made_java"
  [[ $START_ARCHIVE_JDK == "$made_version" ]] || return 1
  # The same jars in the same order, however the path to them is spelled (so does the JVM compare them), none
  # changed since.
  local -a jars made_jars
  local i
  IFS=: read -ra jars <<< "$cp"
  IFS=: read -ra made_jars <<< "$made_cp"
  [[ ${#jars[@]} == "${#made_jars[@]}" ]] || return 1
  for i in "${!jars[@]}"; do
    [[ ${jars[i]} -ef ${made_jars[i]} && $key -nt ${jars[i]} ]] || return 1
  done
  case "$kind" in
    jsa) [[ -r $file.jsa && ! $file.jsa -nt $key ]] || return 1 ;;
    failed) ;;
    *) return 1 ;;
  esac
  START_ARCHIVE_KIND=$kind
}

# Sets START_ARCHIVE_JDK to the JAVA_RUNTIME_VERSION line of the release file of the JDK whose java binary (resolved)
# is JAVA_BIN: a JDK updated in place keeps its path, not its version.
start_archive_jdk_version() {
  local line
  START_ARCHIVE_JDK=""
  [[ -r ${1%/bin/java}/release ]] || return 0
  while read -r line; do
    [[ $line == JAVA_RUNTIME_VERSION=* ]] && { START_ARCHIVE_JDK=$line; return 0; }
  done < "${1%/bin/java}/release"
  return 0
}

# Makes the archive: false when it cannot try now (DIR not writable, another process at it).
start_archive_make() {
  local dir=$1 file=$2 javabin=$3 cp=$4 tty=$5
  mkdir -p "$dir" 2>/dev/null && [[ -w $dir ]] || return 1
  # One maker at a time; the others run without the archive rather than wait.
  { exec 8>>"$dir/.lock"; } 2>/dev/null || return 1
  if command -v flock >/dev/null 2>&1 && ! flock -n 8; then
    exec 8>&-
    return 1
  fi
  if ! start_archive_current "$file" "$javabin" "$cp"; then
    [[ $tty == *2* ]] && echo "rockpool: preparing a faster start for this build and JDK (once) ..." >&2
    start_archive_train "$file" "$javabin" "$cp"
  fi
  exec 8>&-
}

# The training run, the check, the rename; always leaves a key, saying failed when no archive came of it.
start_archive_train() {
  local file=$1 javabin=$2 cp=$3
  local tmp="$file.$$" log="$file.log" kind=failed made_java
  made_java=$(readlink -f "$javabin" 2>/dev/null) || made_java=$javabin
  rm -f "$tmp".*
  # -Xshare:on: the check fails unless the JVM maps the new archive.
  if "$javabin" -XX:ArchiveClassesAtExit="$tmp.jsa" -cp "$cp" dev.rockpool.cli.StartTraining >"$log" 2>&1 &&
     "$javabin" -Xshare:on -XX:SharedArchiveFile="$tmp.jsa" -cp "$cp" dev.rockpool.cli.Rockpool version \
       >>"$log" 2>&1; then
    kind=jsa
  fi
  start_archive_jdk_version "$made_java"
  {
    printf '%s\n%s\n%s\n%s\n' "$kind" "$made_java" "$START_ARCHIVE_JDK" "$cp" > "$tmp.key" &&
      { [[ $kind == failed ]] || mv -f "$tmp.$kind" "$file.$kind"; } &&
      mv -f "$tmp.key" "$file.key"
  } 2>/dev/null
  rm -f "$tmp".*
  [[ $kind == jsa ]] || rm -f "$file.jsa"
  return 0
}
