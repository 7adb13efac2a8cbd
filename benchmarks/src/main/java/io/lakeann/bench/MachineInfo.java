package io.lakeann.bench;

import io.lakeann.core.kernel.Kernels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Where and when a run happened, for the report: CPU, cores, JVM, heap limit, kernels, date. */
record MachineInfo(String cpu, int cores, String jvm, long maxHeapBytes, String kernels,
    String os, String date) {

  static MachineInfo detect() {
    return new MachineInfo(cpuModel(), Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.name") + " " + Runtime.version() + " ("
            + System.getProperty("java.vendor") + ")",
        Runtime.getRuntime().maxMemory(), Kernels.get().name(),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"),
        ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")));
  }

  /** One line for the log: CPU, cores, JVM, heap limit and kernels. */
  String summary() {
    return String.format(Locale.ROOT, "%s, %d cores, %s, max heap %s, kernels %s", cpu, cores,
        jvm, Fmt.gib(maxHeapBytes), kernels);
  }

  /**
   * The load averages over 1, 5 and 15 minutes from /proc/loadavg (e.g. {@code 1.93 2.10 2.47}),
   * or {@code unknown}: on a shared machine they say how noisy the timings were.
   */
  static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return fields.length >= 3 ? fields[0] + " " + fields[1] + " " + fields[2] : "unknown";
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** The first {@code model name} of /proc/cpuinfo, or a note saying it is unknown. */
  private static String cpuModel() {
    Path cpuinfo = Path.of("/proc/cpuinfo");
    try {
      for (String line : Files.readAllLines(cpuinfo)) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
      return "unknown (no model name in /proc/cpuinfo)";
    } catch (IOException e) {
      return "unknown (cannot read /proc/cpuinfo: " + e.getMessage() + ")";
    }
  }
}
