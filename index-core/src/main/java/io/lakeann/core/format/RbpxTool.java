package io.lakeann.core.format;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * The {@code rbpx} command line: {@code inspect} prints a file's header as one JSON object (header
 * only, self-hash checked); {@code verify} reads and checks every byte as a search would. One JSON
 * line per file on stdout; exit 0 when every file passed, 1 when one was refused (the reason also
 * on stderr), 2 on a usage error. Stateless.
 */
public final class RbpxTool {
  static final int OK = 0;
  static final int REFUSED = 1;
  static final int USAGE = 2;

  private static final String USAGE_TEXT = String.join("\n",
      "Usage: rbpx inspect FILE...   print each file's header as one JSON line (header only)",
      "       rbpx verify FILE...    read and verify every byte; exit 1 if any file is refused",
      "Output is one JSON object per file on stdout; reasons for refusal also go to stderr.");

  private RbpxTool() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command in {@code args}; returns the exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 1 && (args[0].equals("-h") || args[0].equals("--help")
        || args[0].equals("help"))) {
      out.println(USAGE_TEXT);
      return OK;
    }
    if (args.length < 2 || !(args[0].equals("inspect") || args[0].equals("verify"))) {
      err.println(args.length == 0 ? "rbpx: no command given"
          : args.length == 1 && (args[0].equals("inspect") || args[0].equals("verify"))
              ? "rbpx " + args[0] + ": no FILE given"
              : "rbpx: unknown command '" + args[0] + "' (use inspect or verify)");
      err.println(USAGE_TEXT);
      return USAGE;
    }
    boolean verify = args[0].equals("verify");
    int status = OK;
    for (int i = 1; i < args.length; i++) {
      Path file = Path.of(args[i]);
      try {
        out.println(verify ? verify(file) : inspect(file));
      } catch (RuntimeException e) {
        // InvalidRbpxException is the expected refusal; anything else is reported the same way
        // (the file was not accepted) under its own type name.
        out.println(refusal(file, e));
        err.println("rbpx " + args[0] + ": " + e.getMessage());
        status = REFUSED;
      }
    }
    return status;
  }

  private static String verify(Path file) {
    RbpxFile read = RbpxReader.read(file, Runtime.getRuntime().availableProcessors());
    return new JsonObject().field("file", file.toString()).field("ok", true)
        .field("witness", read.witness().toString()).field("rows", read.header().rows())
        .close();
  }

  private static String inspect(Path file) {
    RbpxHeader h = RbpxReader.readHeader(file);
    // The reader has checked that the file ends exactly where the last section does.
    long size = h.sections().isEmpty() ? h.length()
        : h.sections().get(h.sections().size() - 1).end();
    JsonObject o = new JsonObject().field("file", file.toString())
        .field("format_version", h.version())
        .raw("flags", new JsonObject().field("value", h.flags())
            .field("originals", (h.flags() & RbpxHeader.FLAG_ORIGINALS) != 0)
            .field("extended", (h.flags() & RbpxHeader.FLAG_EXTENDED) != 0)
            .field("deletion_mask", (h.flags() & RbpxHeader.FLAG_DELETIONS) != 0).close())
        .field("dim", h.dim()).field("padded_dim", h.paddedDim())
        .field("metric", h.metric().name()).field("ex_bits", h.exBits())
        .field("nlist", h.nlist()).field("rows", h.rows())
        .field("config_hash", h.configHash().toString())
        .field("content_fingerprint", h.contentFingerprint().toString())
        .field("source_identity_hex", HexFormat.of().formatHex(h.sourceIdentity()));
    String text = printableUtf8(h.sourceIdentity());
    if (text != null) {
      o.field("source_identity_text", text);
    }
    StringBuilder sections = new StringBuilder("[");
    for (SectionEntry s : h.sections()) {
      sections.append(sections.length() > 1 ? "," : "").append(new JsonObject()
          .field("type", s.label()).field("code", s.code()).field("offset", s.offset())
          .field("length", s.length()).field("hash", s.hash().toString()).close());
    }
    return o.field("header_length", h.length()).raw("sections", sections.append(']').toString())
        .field("witness", h.witness().toString()).field("file_size", size).close();
  }

  private static String refusal(Path file, RuntimeException e) {
    String message = String.valueOf(e.getMessage());
    String prefix = file + ": ";
    String reason = e instanceof InvalidRbpxException && message.startsWith(prefix)
        ? message.substring(prefix.length()) : message;
    return new JsonObject().field("file", file.toString()).field("ok", false)
        .field("error", e.getClass().getSimpleName()).field("reason", reason).close();
  }

  /** {@code bytes} as text when they are valid UTF-8 without control characters, else null. */
  static String printableUtf8(byte[] bytes) {
    String s;
    try {
      s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
    return s.codePoints().allMatch(c -> !Character.isISOControl(c)
        && Character.getType(c) != Character.UNASSIGNED) ? s : null;
  }

  /** {@code s} as a JSON string literal: quotes, backslashes and control characters escaped. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          b.append("\\\"");
          break;
        case '\\':
          b.append("\\\\");
          break;
        case '\n':
          b.append("\\n");
          break;
        case '\r':
          b.append("\\r");
          break;
        case '\t':
          b.append("\\t");
          break;
        default:
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            b.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
      }
    }
    return b.append('"').toString();
  }

  /** A JSON object built field by field, in order, on one line. */
  private static final class JsonObject {
    private final StringBuilder b = new StringBuilder("{");

    JsonObject raw(String key, String json) {
      b.append(b.length() > 1 ? "," : "").append(quote(key)).append(':').append(json);
      return this;
    }

    JsonObject field(String key, String value) {
      return raw(key, quote(value));
    }

    JsonObject field(String key, long value) {
      return raw(key, Long.toString(value));
    }

    JsonObject field(String key, boolean value) {
      return raw(key, Boolean.toString(value));
    }

    String close() {
      return b.append('}').toString();
    }
  }
}
