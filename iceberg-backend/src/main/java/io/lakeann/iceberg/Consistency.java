package io.lakeann.iceberg;

import io.lakeann.core.InvalidRequestException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How a searcher picks the snapshot it searches. {@code FRESH} checks the table's current
 * snapshot on every call; {@code EVENTUAL(ttl)} re-checks at most once per ttl (answers may lag a
 * commit by up to ttl, but are always exact for the snapshot searched); {@code FROZEN(ref)} pins
 * one snapshot, resolved once (time travel). Immutable.
 */
public final class Consistency {
  public enum Mode { FRESH, EVENTUAL, FROZEN }

  private final Mode mode;
  private final Duration ttl;
  private final SnapshotRef ref;

  private Consistency(Mode mode, Duration ttl, SnapshotRef ref) {
    this.mode = mode;
    this.ttl = ttl;
    this.ref = ref;
  }

  public static Consistency fresh() {
    return new Consistency(Mode.FRESH, Duration.ZERO, SnapshotRef.current());
  }

  public static Consistency eventual(Duration ttl) {
    InvalidRequestException.check(ttl != null && !ttl.isNegative(),
        "Invalid eventual consistency ttl: %s (must be >= 0)", ttl);
    return new Consistency(Mode.EVENTUAL, ttl, SnapshotRef.current());
  }

  public static Consistency frozen(SnapshotRef ref) {
    return new Consistency(Mode.FROZEN, Duration.ZERO, Objects.requireNonNull(ref, "ref"));
  }

  /**
   * Parses {@code fresh}, {@code eventual:SECONDS} or {@code frozen:REF} (REF as
   * {@link SnapshotRef#parse}: a snapshot id, {@code tag:NAME}, {@code branch:NAME}).
   */
  public static Consistency parse(String text) {
    String t = text == null ? "" : text.trim();
    String lower = t.toLowerCase(Locale.ROOT);
    if (lower.equals("fresh")) {
      return fresh();
    }
    if (lower.startsWith("eventual:")) {
      try {
        return eventual(Duration.ofMillis(
            Math.round(Double.parseDouble(t.substring(9)) * 1000)));
      } catch (NumberFormatException e) {
        throw invalid(text);
      }
    }
    if (lower.startsWith("frozen:")) {
      return frozen(SnapshotRef.parse(t.substring(7)));
    }
    throw invalid(text);
  }

  private static InvalidRequestException invalid(String text) {
    return new InvalidRequestException(String.format(Locale.ROOT,
        "Invalid consistency '%s': use fresh, eventual:SECONDS or frozen:SNAPSHOT (a snapshot "
            + "id, tag:NAME or branch:NAME)", text));
  }

  public Mode mode() {
    return mode;
  }

  public Duration ttl() {
    return ttl;
  }

  public SnapshotRef ref() {
    return ref;
  }

  @Override
  public String toString() {
    switch (mode) {
      case FRESH:
        return "fresh";
      case EVENTUAL:
        return "eventual:" + ttl.toMillis() / 1000.0;
      default:
        return "frozen:" + ref;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Consistency c && c.mode == mode && c.ttl.equals(ttl) && c.ref.equals(ref);
  }

  @Override
  public int hashCode() {
    return Objects.hash(mode, ttl, ref);
  }
}
