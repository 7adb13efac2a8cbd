package io.lakeann.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.Dependency;
import org.apache.spark.NarrowDependency;
import org.apache.spark.Partition;
import org.apache.spark.TaskContext;
import org.apache.spark.rdd.RDD;
import scala.Tuple2;
import scala.collection.Iterator;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;
import scala.reflect.ClassTag$;

/**
 * Every (query block, piece of the index) pair as one partition: partition {@code b * W + w}
 * pairs block partition {@code b} with piece {@code w}. Unlike a cartesian product, a pair's
 * preferred location is only its piece's: the executor that already holds that shard in its
 * cache, so the block travels to the shard and the shard is not loaded again elsewhere.
 */
final class ShardAffinePairs extends RDD<Tuple2<QueryBlock, Work>> {
  private static final long serialVersionUID = 1L;

  private final RDD<QueryBlock> blocks;
  private final List<Work> works;
  private final List<List<String>> locations;

  /** One pair partition: which block partition and which piece. */
  private record Pair(int index, Partition block, int work) implements Partition {
    @Override
    public int index() {
      return index;
    }
  }

  /**
   * @param locations per piece, the executors to prefer (e.g. {@code executor_host_3}); may be
   *     empty
   */
  ShardAffinePairs(RDD<QueryBlock> blocks, List<Work> works, List<List<String>> locations) {
    super(blocks.context(), dependencies(blocks, works.size()),
        ClassTag$.MODULE$.apply(Tuple2.class));
    this.blocks = blocks;
    this.works = List.copyOf(works);
    this.locations = List.copyOf(locations);
  }

  private static Seq<Dependency<?>> dependencies(RDD<QueryBlock> blocks, int pieces) {
    Dependency<?> dep = new NarrowDependency<QueryBlock>(blocks) {
      private static final long serialVersionUID = 1L;

      @Override
      public scala.collection.immutable.Seq<Object> getParents(int partitionId) {
        return CollectionConverters.asScala(List.<Object>of(partitionId / pieces)).toList();
      }
    };
    return CollectionConverters.asScala(List.<Dependency<?>>of(dep)).toList();
  }

  @Override
  public Partition[] getPartitions() {
    Partition[] parents = blocks.partitions();
    Partition[] out = new Partition[parents.length * works.size()];
    for (int b = 0; b < parents.length; b++) {
      for (int w = 0; w < works.size(); w++) {
        int index = b * works.size() + w;
        out[index] = new Pair(index, parents[b], w);
      }
    }
    return out;
  }

  @Override
  public Iterator<Tuple2<QueryBlock, Work>> compute(Partition split, TaskContext context) {
    Pair pair = (Pair) split;
    Work work = works.get(pair.work());
    return blocks.iterator(pair.block(), context).map(block -> new Tuple2<>(block, work));
  }

  @Override
  public Seq<String> getPreferredLocations(Partition split) {
    List<String> prefs = new ArrayList<>(locations.get(((Pair) split).work()));
    return CollectionConverters.asScala(prefs).toList();
  }
}
