package io.lakeann.iceberg;

import java.util.Locale;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * A way to name a snapshot: the table's current one, an id, a tag or a branch. Resolved against
 * the table's metadata as it is when {@link #resolve} is called. Immutable.
 */
public final class SnapshotRef {
  private enum Kind { CURRENT, ID, TAG, BRANCH }

  private final Kind kind;
  private final long id;
  private final String name;

  private SnapshotRef(Kind kind, long id, String name) {
    this.kind = kind;
    this.id = id;
    this.name = name;
  }

  public static SnapshotRef current() {
    return new SnapshotRef(Kind.CURRENT, 0, null);
  }

  public static SnapshotRef id(long snapshotId) {
    return new SnapshotRef(Kind.ID, snapshotId, null);
  }

  public static SnapshotRef tag(String tag) {
    return new SnapshotRef(Kind.TAG, 0, requireName(tag, "tag"));
  }

  public static SnapshotRef branch(String branch) {
    return new SnapshotRef(Kind.BRANCH, 0, requireName(branch, "branch"));
  }

  /**
   * Parses {@code current}, a snapshot id, {@code tag:NAME} or {@code branch:NAME}.
   *
   * @throws io.lakeann.core.InvalidRequestException for anything else
   */
  public static SnapshotRef parse(String text) {
    String t = text == null ? "" : text.trim();
    if (t.equalsIgnoreCase("current")) {
      return current();
    }
    if (t.startsWith("tag:")) {
      return tag(t.substring(4));
    }
    if (t.startsWith("branch:")) {
      return branch(t.substring(7));
    }
    try {
      return id(Long.parseLong(t));
    } catch (NumberFormatException e) {
      throw new io.lakeann.core.InvalidRequestException(String.format(Locale.ROOT,
          "Invalid snapshot '%s': use current, a snapshot id, tag:NAME or branch:NAME", text));
    }
  }

  private static String requireName(String name, String what) {
    io.lakeann.core.InvalidRequestException.check(name != null && !name.isBlank(),
        "Invalid %s name: '%s' (must not be empty)", what, name);
    return name;
  }

  /**
   * The snapshot this names in {@code table}, or null when the table is empty (current only).
   *
   * @throws UnknownSnapshotException if the id, tag or branch does not exist (or was expired)
   */
  public Snapshot resolve(Table table) {
    switch (kind) {
      case CURRENT:
        return table.currentSnapshot();
      case ID: {
        Snapshot s = table.snapshot(id);
        if (s == null) {
          throw new UnknownSnapshotException(String.format(Locale.ROOT,
              "Table %s has no snapshot %d (never existed, or expired); its current snapshot "
                  + "is %s", table.name(), id, currentId(table)));
        }
        return s;
      }
      default: {
        org.apache.iceberg.SnapshotRef ref = table.refs().get(name);
        boolean matches = ref != null && (kind == Kind.TAG ? ref.isTag() : ref.isBranch());
        if (!matches) {
          throw new UnknownSnapshotException(String.format(Locale.ROOT,
              "Table %s has no %s '%s'; its refs are %s", table.name(),
              kind.name().toLowerCase(Locale.ROOT), name, table.refs().keySet()));
        }
        return table.snapshot(ref.snapshotId());
      }
    }
  }

  private static String currentId(Table table) {
    Snapshot s = table.currentSnapshot();
    return s == null ? "none" : Long.toString(s.snapshotId());
  }

  @Override
  public String toString() {
    switch (kind) {
      case CURRENT:
        return "current";
      case ID:
        return Long.toString(id);
      default:
        return kind.name().toLowerCase(Locale.ROOT) + ":" + name;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SnapshotRef r && r.kind == kind && r.id == id
        && java.util.Objects.equals(r.name, name);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(kind, id, name);
  }
}
