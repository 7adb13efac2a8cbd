package io.lakeann.core.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.IndexConfig;
import io.lakeann.core.RabitqIndex;
import io.lakeann.core.data.SyntheticVectors;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rbpx command line, run in-process: its JSON lines, its messages and its exit codes. */
class RbpxToolTest {
  @TempDir
  static Path dir;

  private static Path file;
  private static RbpxHeader header;

  @BeforeAll
  static void writeFile() {
    file = RbpxFixtures.writeFull(dir, "shard.rbpx", 300);
    header = RbpxReader.readHeader(file);
  }

  /** Exit code, stdout and stderr of one run. */
  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = RbpxTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void inspectPrintsTheHeaderAsOneJsonObject() {
    Run r = run("inspect", file.toString());

    assertEquals(0, r.code(), r.err());
    assertEquals("", r.err());
    String json = r.out().strip();
    assertFalse(json.contains("\n"), "one line");
    assertTrue(json.startsWith("{\"file\":" + RbpxTool.quote(file.toString())
        + ",\"format_version\":" + RbpxHeader.VERSION
        + ",\"flags\":{\"value\":7,\"originals\":true,\"extended\":true,"
        + "\"deletion_mask\":true},\"dim\":16,\"padded_dim\":64,\"metric\":\"L2\",\"ex_bits\":2,"
        + "\"nlist\":" + header.nlist() + ",\"rows\":300,\"config_hash\":\""
        + header.configHash() + "\",\"content_fingerprint\":\"" + header.contentFingerprint()
        + "\",\"source_identity_hex\":\""
        + HexFormat.of().formatHex(RbpxFixtures.SOURCE)
        + "\",\"source_identity_text\":\"table-uuid/snapshot-42/shard-3\",\"header_length\":"
        + header.length() + ",\"sections\":[{\"type\":\"config\",\"code\":1,\"offset\":"
        + header.length() + ",\"length\":40,\"hash\":\"" + header.sections().get(0).hash()
        + "\"},"), json);
    assertTrue(json.contains("{\"type\":\"unknown(9000)\",\"code\":9000,"), json);
    assertEquals(header.sections().size(), json.split("\"type\":").length - 1);
    assertTrue(json.endsWith("],\"witness\":\"" + header.witness() + "\",\"file_size\":"
        + file.toFile().length() + "}"), json);
  }

  @Test
  void inspectShowsBinarySourceIdentityAsHexOnly() {
    RabitqIndex index = RabitqIndex.build(new SyntheticVectors(8, 2, 0.5f, 1)
        .vectorSet("bin", 20, 1), IndexConfig.defaults());
    Path binary = dir.resolve("binary.rbpx");
    RbpxWriter.write(binary, index, new byte[] {0, (byte) 0xFF, 10}, null, List.of());

    Run r = run("inspect", binary.toString());

    assertEquals(0, r.code());
    assertTrue(r.out().contains("\"source_identity_hex\":\"00ff0a\","), r.out());
    assertFalse(r.out().contains("source_identity_text"), r.out());
  }

  @Test
  void verifyPrintsTheWitnessOfAGoodFile() {
    Run r = run("verify", file.toString());

    assertEquals(0, r.code(), r.err());
    assertEquals("{\"file\":" + RbpxTool.quote(file.toString()) + ",\"ok\":true,\"witness\":\""
        + header.witness() + "\",\"rows\":300}\n", r.out().replace(System.lineSeparator(), "\n"));
    assertEquals("", r.err());
  }

  @Test
  void verifyRefusesACorruptFileWithTheReason() {
    byte[] bytes = RbpxFixtures.bytes(file);
    SectionEntry factors = header.sections().get(8);
    assertEquals(SectionType.FACTORS, factors.type());
    bytes[(int) factors.offset() + 3] ^= 1;
    Path bad = RbpxFixtures.put(dir.resolve("bad \"one\".rbpx"), bytes);

    Run r = run("verify", bad.toString());

    assertEquals(1, r.code());
    assertEquals("{\"file\":" + RbpxTool.quote(bad.toString()) + ",\"ok\":false,"
        + "\"error\":\"CorruptRbpxException\",\"reason\":\"section factors: hash mismatch\"}",
        r.out().strip());
    assertTrue(r.out().contains("bad \\\"one\\\".rbpx"), "quotes in the path are escaped");
    assertTrue(r.err().contains(bad + ": section factors: hash mismatch"), r.err());
  }

  @Test
  void verifyReportsEveryFileAndFailsIfAnyIsRefused() {
    Path missing = dir.resolve("missing.rbpx");

    Run r = run("verify", file.toString(), missing.toString());

    assertEquals(1, r.code());
    List<String> lines = r.out().lines().toList();
    assertEquals(2, lines.size(), r.out());
    assertTrue(lines.get(0).contains("\"ok\":true"));
    assertTrue(lines.get(1).endsWith("\"ok\":false,\"error\":\"InvalidRbpxException\","
        + "\"reason\":\"no such file\"}"), lines.get(1));
  }

  @Test
  void inspectRefusesAForeignFile() {
    Path foreign = RbpxFixtures.put(dir.resolve("notes.txt"),
        "just text\n".getBytes(StandardCharsets.UTF_8));

    Run r = run("inspect", foreign.toString());

    assertEquals(1, r.code());
    assertTrue(r.out().contains(
        "\"error\":\"NotAnRbpxFileException\",\"reason\":\"not an rbpx file"), r.out());
  }

  @Test
  void usageErrorsExitTwo() {
    for (String[] args : List.of(new String[0], new String[] {"verify"},
        new String[] {"inspect"}, new String[] {"check", file.toString()})) {
      Run r = run(args);
      assertEquals(2, r.code(), String.join(" ", args));
      assertEquals("", r.out());
      assertTrue(r.err().contains("Usage: rbpx inspect FILE"), r.err());
    }
    Run help = run("--help");
    assertEquals(0, help.code());
    assertTrue(help.out().startsWith("Usage: rbpx"));
  }

  @Test
  void jsonStringsAreEscaped() {
    assertEquals("\"a\\\"b\\\\c\\n\\t\\r\\u0001\\u001f\\u2028é\"",
        RbpxTool.quote("a\"b\\c\n\t\r\u0001\u001f\u2028é"));
    assertEquals("snapshot/7", RbpxTool.printableUtf8("snapshot/7".getBytes(
        StandardCharsets.UTF_8)));
    assertNull(RbpxTool.printableUtf8(new byte[] {'a', 0}));
    assertNull(RbpxTool.printableUtf8(new byte[] {(byte) 0xC3}));
  }
}
