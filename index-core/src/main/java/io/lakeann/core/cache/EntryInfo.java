package io.lakeann.core.cache;

import io.lakeann.core.witness.Witness;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A snapshot of one cache entry's metadata, for {@link IndexCache#invalidateIf}: the witness, the
 * sources that requested it (first loader first), its size, and whether it is still loading (then
 * its size is not known yet and is 0). Immutable.
 */
public record EntryInfo(Witness witness, Set<String> sources, long bytes, boolean loading) {

  public EntryInfo {
    sources = Collections.unmodifiableSet(new LinkedHashSet<>(sources));
  }
}
