# Shared by the repository's launch scripts (bin/lakeann, benchmarks/run); source it, do not run
# it. Builds a module with Maven when its jar is missing or a source or pom changed since the last
# build, and finds Java and the JVM flags the build's tests use. Expects LAKEANN_REPO (the
# repository root) to be set by the caller.

# The module's main jar in TARGET (not -tests, -sources or a shaded classifier), or nothing.
lakeann_module_jar() { # TARGET ARTIFACT
  find "$1" -maxdepth 1 -name "$2-*.jar" ! -name '*-tests.jar' ! -name '*-sources.jar' \
    ! -name '*-spark.jar' -print -quit 2>/dev/null
}

# Succeeds when TARGET lacks the module jar or lib/, STAMP is missing, or a pom or a main source
# of the repository is newer than STAMP (touched after each build by lakeann_build).
lakeann_needs_build() { # TARGET ARTIFACT STAMP
  if [[ -z "$(lakeann_module_jar "$1" "$2")" || ! -d "$1/lib" || ! -f "$3" ]]; then
    return 0
  fi
  shopt -s nullglob
  local sources=("$LAKEANN_REPO/pom.xml" "$LAKEANN_REPO"/*/pom.xml "$LAKEANN_REPO"/*/src/main)
  shopt -u nullglob
  [[ -n "$(find "${sources[@]}" -newer "$3" -print -quit)" ]]
}

# Builds MODULE and what it depends on (mvn -DskipTests install), Maven's output on stderr, then
# touches STAMP. Exits with status 3 when Maven fails. TOOL names the caller in messages.
lakeann_build() { # TOOL MODULE STAMP
  echo "$1: building the project (mvn -B -q -DskipTests install -pl $2 -am)" >&2
  # copy-dependencies only adds jars: start from an empty lib/ so no stale jar stays on the path.
  rm -rf "$LAKEANN_REPO/$2/target/lib"
  if ! (cd "$LAKEANN_REPO" && mvn -B -q -Dstyle.color=never -DskipTests install -pl "$2" -am) \
      >&2; then
    echo "$1: the build failed; run 'mvn -B -DskipTests install -pl $2 -am' in $LAKEANN_REPO" \
      "and read its errors" >&2
    exit 3
  fi
  touch "$3"
}

# The java command: $JAVA_HOME/bin/java when JAVA_HOME is set, else java on the PATH.
lakeann_java() {
  if [[ -n "${JAVA_HOME:-}" ]]; then
    echo "$JAVA_HOME/bin/java"
  else
    echo java
  fi
}

# The JVM flags of the lakeann.jvm.flags property in the parent pom (the SIMD module and the
# opens Spark 4 needs on JDK 17+), one per line, so there is one place for them.
lakeann_jvm_flags() {
  sed -n '/<lakeann.jvm.flags>/,/<\/lakeann.jvm.flags>/p' "$LAKEANN_REPO/pom.xml" \
    | sed -e 's/<[^>]*>//g' | tr -s ' \t' '\n' | sed '/^$/d'
}
