package io.lakeann.core.cache;

import java.io.Serializable;
import java.util.Objects;

/**
 * Whose an {@link IndexCache} entry is, for counting: the {@code owner} (e.g. a table's name, or
 * a bundle's path) and the {@code kind} of value (e.g. {@code "shard"}). The cache keeps every
 * counter per group as well as in total, so a user can see what each table costs it. Immutable.
 */
public record CacheGroup(String owner, String kind) implements Serializable {
  /** The group of requests that name none. */
  public static final CacheGroup NONE = new CacheGroup("", "");

  public CacheGroup {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(kind, "kind");
  }
}
