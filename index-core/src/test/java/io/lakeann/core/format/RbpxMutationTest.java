package io.lakeann.core.format;

import static io.lakeann.core.format.RbpxFixtures.allocatedBy;
import static io.lakeann.core.format.RbpxFixtures.put;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lakeann.core.witness.Witness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 2 under random damage: 10,000 seeded mutations of a real file (byte flips,
 * truncation, extension, sections swapped or overwritten, and section swaps whose directory an
 * attacker rewrote with a valid self-hash). Every mutation that changes the file is refused with
 * an {@link InvalidRbpxException}, never accepted and never with another exception, and no
 * read allocates more than a small multiple of the file size.
 */
class RbpxMutationTest {
  private static final int MUTATIONS = 10_000;
  private static final long SEED = 0x5EED_2B9FL;
  /** Every so often a read runs on a worker pool, to check refusals cross threads intact. */
  private static final int PARALLEL_EVERY = 50;

  @TempDir
  Path dir;

  private enum Kind {
    FLIP_BYTES, TRUNCATE, EXTEND, SWAP_SECTIONS, SWAP_SECTIONS_AND_DIRECTORY, OVERWRITE_SECTION
  }

  @Test
  void randomMutationsAreAllRefusedWithBoundedAllocation() {
    RbpxFixtures.requireAllocationCounter();
    Path original = RbpxFixtures.writeFull(dir, "good.rbpx", 300);
    byte[] good = RbpxFixtures.bytes(original);
    RbpxHeader header = RbpxReader.readHeader(original);
    List<byte[]> bodies = RbpxFixtures.sections(header, good);
    RbpxReader.read(original, 1); // loads and initialises the classes a read uses
    long acceptedCost = allocatedBy(() -> RbpxReader.read(original, 1));
    long budget = 4L * good.length + (1 << 20);
    assertTrue(good.length > 20_000 && good.length < 100_000, "a few tens of KB: " + good.length);
    assertTrue(acceptedCost < budget, "a good read allocates " + acceptedCost);

    SplittableRandom random = new SplittableRandom(SEED);
    Map<Kind, Integer> refused = new TreeMap<>();
    int unchanged = 0;
    long worst = 0;
    List<String> wrong = new ArrayList<>();
    for (int m = 0; m < MUTATIONS; m++) {
      Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
      byte[] mutant = mutate(kind, good, header, bodies, random);
      if (Arrays.equals(mutant, good)) {
        unchanged++;
        continue;
      }
      // A fresh name each time: truncating a file that earlier reads still map is slow.
      Path file = put(dir.resolve("mutant-" + m + ".rbpx"), mutant);
      int threads = m % PARALLEL_EVERY == 0 ? 4 : 1;
      Throwable[] outcome = new Throwable[1];
      long cost = allocatedBy(() -> outcome[0] = attempt(() -> RbpxReader.read(file, threads)));
      Throwable headerOutcome = attempt(() -> RbpxReader.readHeader(file));
      delete(file);
      if (threads == 1) {
        worst = Math.max(worst, cost);
      }
      if (!(outcome[0] instanceof InvalidRbpxException)
          || headerOutcome != null && !(headerOutcome instanceof InvalidRbpxException)) {
        wrong.add("mutation " + m + " (" + kind + "): read gave " + outcome[0]
            + ", readHeader gave " + headerOutcome);
      } else {
        refused.merge(kind, 1, Integer::sum);
      }
    }

    assertEquals(List.of(), wrong.subList(0, Math.min(20, wrong.size())), wrong.size()
        + " mutations were accepted or refused with the wrong type");
    assertEquals(MUTATIONS, unchanged + refused.values().stream().mapToInt(i -> i).sum());
    assertTrue(unchanged < MUTATIONS / 100, unchanged + " mutations left the file unchanged");
    for (Kind k : Kind.values()) {
      assertTrue(refused.getOrDefault(k, 0) > MUTATIONS / 10, "kind " + k + ": " + refused);
    }
    assertTrue(worst < budget, "a refused read allocated " + worst + " bytes for a "
        + good.length + "-byte file");
  }

  private static void delete(Path file) {
    try {
      Files.delete(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Null when {@code read} accepted the file, else what it threw. */
  private static Throwable attempt(Runnable read) {
    try {
      read.run();
      return null;
    } catch (RuntimeException | Error e) {
      return e;
    }
  }

  /** A uniformly chosen index in {@code [0, count)} other than {@code a}. */
  private static int other(int a, int count, SplittableRandom random) {
    return (a + 1 + random.nextInt(count - 1)) % count;
  }

  private static byte[] mutate(Kind kind, byte[] good, RbpxHeader header, List<byte[]> bodies,
      SplittableRandom random) {
    int count = bodies.size();
    switch (kind) {
      case FLIP_BYTES: {
        byte[] out = good.clone();
        for (int i = 1 + random.nextInt(8); i > 0; i--) {
          out[random.nextInt(out.length)] ^= (byte) (1 + random.nextInt(255));
        }
        return out;
      }
      case TRUNCATE:
        return Arrays.copyOf(good, random.nextInt(good.length));
      case EXTEND: {
        byte[] out = Arrays.copyOf(good, good.length + 1 + random.nextInt(4096));
        for (int i = good.length; i < out.length; i++) {
          out[i] = (byte) random.nextInt(256);
        }
        return out;
      }
      case SWAP_SECTIONS: {
        // The bodies trade places; the directory still describes the old layout.
        int a = random.nextInt(count);
        List<byte[]> swapped = new ArrayList<>(bodies);
        Collections.swap(swapped, a, other(a, count, random));
        byte[] out = Arrays.copyOf(good, good.length);
        int at = (int) header.length();
        for (byte[] b : swapped) {
          System.arraycopy(b, 0, out, at, b.length);
          at += b.length;
        }
        return out;
      }
      case SWAP_SECTIONS_AND_DIRECTORY: {
        // An attacker moves two sections and their directory entries, re-lays the offsets and
        // recomputes the self-hash: every hash holds, only the section order is wrong.
        int a = random.nextInt(count);
        int b = other(a, count, random);
        List<byte[]> swapped = new ArrayList<>(bodies);
        List<Integer> codes = new ArrayList<>();
        List<Witness> hashes = new ArrayList<>();
        for (SectionEntry e : header.sections()) {
          codes.add(e.code());
          hashes.add(e.hash());
        }
        Collections.swap(swapped, a, b);
        Collections.swap(codes, a, b);
        Collections.swap(hashes, a, b);
        return RbpxFixtures.assemble(header, codes, hashes, swapped);
      }
      case OVERWRITE_SECTION: {
        // Section `into` gets the first bytes of section `from`, lengths unchanged.
        int into = random.nextInt(count);
        int from = other(into, count, random);
        byte[] out = good.clone();
        SectionEntry target = header.sections().get(into);
        byte[] source = bodies.get(from);
        System.arraycopy(source, 0, out, (int) target.offset(),
            (int) Math.min(source.length, target.length()));
        return out;
      }
      default:
        throw new AssertionError(kind);
    }
  }
}
