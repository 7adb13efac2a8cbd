package io.lakeann.iceberg;

import io.lakeann.core.util.Json;
import io.lakeann.core.util.JsonFields;
import io.lakeann.core.witness.Witness;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Manifests kept as JSON that carry their own witness (a bundle's in its Puffin blob, a path
 * bundle's in its manifest.json): the one place that lays out their first two fields and refuses
 * one of another format version, one that does not parse, and one whose content does not match
 * its witness, each as a {@link ManifestMismatchException} naming the file. Stateless.
 */
public final class ManifestJson {
  private ManifestJson() {}

  /** The first fields of a manifest: {@code format-version}, then {@code witness}. */
  public static Map<String, Object> start(int formatVersion, Witness witness) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("format-version", formatVersion);
    m.put("witness", witness.toString());
    return m;
  }

  /**
   * The manifest in {@code json}.
   *
   * @param where the file it came from, for messages
   * @param formatVersion the only format version this reader takes
   * @param fix what to do about a refused manifest, e.g. "rebuild the index"
   * @param parse builds the manifest from the parsed fields (may throw on any bad field)
   * @param witness the witness of a parsed manifest, computed from its content
   * @throws ManifestMismatchException if it is malformed, of another version, or altered
   */
  public static <T> T read(String json, String where, int formatVersion, String fix,
      Function<JsonFields, T> parse, Function<T, Witness> witness) {
    T manifest;
    String claimed;
    try {
      JsonFields node = new JsonFields(Json.parse(json));
      long version = node.number("format-version");
      if (version != formatVersion) {
        throw new ManifestMismatchException(String.format(Locale.ROOT,
            "%s: lakeann manifest format version %d is not supported by this reader (version "
                + "%d); upgrade lakeann or %s", where, version, formatVersion, fix));
      }
      claimed = node.text("witness");
      manifest = parse.apply(node);
    } catch (ManifestMismatchException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ManifestMismatchException(where + ": unreadable lakeann manifest ("
          + e.getMessage() + "); " + fix, e);
    }
    if (!witness.apply(manifest).toString().equals(claimed)) {
      throw new ManifestMismatchException(where + ": lakeann manifest content does not match "
          + "its witness " + claimed + "; it was altered; " + fix);
    }
    return manifest;
  }
}
