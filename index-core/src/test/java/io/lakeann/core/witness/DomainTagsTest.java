package io.lakeann.core.witness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every domain tag is defined once, in DomainTags, and no two tags are equal. */
class DomainTagsTest {
  private static List<String> tags() throws IllegalAccessException {
    List<String> tags = new ArrayList<>();
    for (Field f : DomainTags.class.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        tags.add((String) f.get(null));
      }
    }
    return tags;
  }

  @Test
  void everyTagIsDistinctAndNamesLakeann() throws IllegalAccessException {
    List<String> tags = tags();

    assertTrue(tags.size() >= 10, "tags: " + tags);
    assertEquals(tags.size(), new HashSet<>(tags).size(), "duplicate tag in " + tags);
    for (String tag : tags) {
      assertTrue(tag.startsWith("lakeann"), tag);
    }
  }
}
