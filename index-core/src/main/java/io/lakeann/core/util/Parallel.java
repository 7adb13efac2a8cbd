package io.lakeann.core.util;

import io.lakeann.core.LakeAnnException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Runs a loop over fixed-size chunks on a bounded number of threads. Chunk boundaries depend only on
 * the range and the chunk size, never on the thread count, and each chunk writes only its own
 * outputs, so results are identical whatever the parallelism.
 */
public final class Parallel implements AutoCloseable {

  /** Body of a parallel loop over {@code [from, to)}. */
  @FunctionalInterface
  public interface RangeTask {
    void run(int from, int to);
  }

  private final int threads;
  private final ExecutorService pool;

  public Parallel(int threads) {
    this.threads = threads;
    this.pool = threads > 1 ? Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "lakeann-build");
      t.setDaemon(true);
      return t;
    }) : null;
  }

  public int threads() {
    return threads;
  }

  /** Calls {@code task} on consecutive chunks of {@code [0, n)} of {@code chunk} items each. */
  public void forEachChunk(int n, int chunk, RangeTask task) {
    int chunks = (int) (((long) n + chunk - 1) / chunk);
    runWorkers(chunks, () -> c -> runChunk(task, c, chunk, n));
  }

  /** Body of a loop whose workers each keep one reusable state, e.g. a scratch buffer. */
  @FunctionalInterface
  public interface ItemTask<S> {
    void run(S state, int item);
  }

  /**
   * Calls {@code task} for every item of {@code [0, n)}, one item at a time; each worker makes
   * its state once with {@code newState}, so at most {@link #threads()} states ever exist.
   */
  public <S> void forEachItem(int n, Supplier<S> newState, ItemTask<S> task) {
    runWorkers(n, () -> {
      S state = newState.get();
      return item -> task.run(state, item);
    });
  }

  /**
   * Runs units {@code 0..units-1}: each worker (or the caller alone, without a pool) makes its
   * body once with {@code newWorker}, then takes the next unit until none is left.
   */
  private void runWorkers(int units, Supplier<IntConsumer> newWorker) {
    if (pool == null || units <= 1) {
      IntConsumer worker = newWorker.get();
      for (int u = 0; u < units; u++) {
        worker.accept(u);
      }
      return;
    }
    AtomicInteger next = new AtomicInteger();
    List<Future<?>> futures = new ArrayList<>(threads);
    for (int t = 0; t < Math.min(threads, units); t++) {
      futures.add(pool.submit(() -> {
        IntConsumer worker = newWorker.get();
        for (int u = next.getAndIncrement(); u < units; u = next.getAndIncrement()) {
          worker.accept(u);
        }
      }));
    }
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        futures.forEach(x -> x.cancel(true));
        throw new LakeAnnException("Interrupted while running parallel work", e);
      } catch (ExecutionException e) {
        futures.forEach(x -> x.cancel(true));
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException) {
          throw (RuntimeException) cause;
        }
        if (cause instanceof Error) {
          throw (Error) cause;
        }
        throw new IllegalStateException(cause);
      }
    }
  }

  private static void runChunk(RangeTask task, int c, int chunk, int n) {
    long from = (long) c * chunk;
    task.run((int) from, (int) Math.min(n, from + chunk));
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
