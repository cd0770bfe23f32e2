package org.grad4j.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.SparkSession;
import org.grad4j.distributed.DistributedException;
import org.grad4j.distributed.ProcessGroup;
import scala.collection.Iterator;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * PyTorch's {@code TorchDistributor} for grad4j: runs a training function on {@code numProcesses}
 * Spark tasks launched together (a barrier stage). Spark only starts the ranks and exchanges their
 * addresses once ({@code BarrierTaskContext.allGather}, which polls about once a second: fine for a
 * rendezvous, far too slow per step); the gradients then move over grad4j's own TCP
 * {@link ProcessGroup} (deterministic mode by default, see {@link #run(SparkSession, int, ProcessGroup.Options, TrainFunction)}).
 *
 * <pre>{@code
 * SparkSession spark = SparkSession.builder().master("local[2]").getOrCreate();
 * double acc = Grad4jDistributor.run(spark, 2, pg -> DataParallelDemo.train(pg, cfg, System.out).testAccuracy());
 * }</pre>
 *
 * A rank whose function throws fails its task and with it the whole stage (Spark kills the other
 * tasks; their collectives fail at once because that rank's sockets close); the driver's
 * {@code run} throws a {@link org.apache.spark.SparkException} naming the rank's error.
 */
public final class Grad4jDistributor {
    private Grad4jDistributor() {}

    /** {@link #run(SparkSession, int, ProcessGroup.Options, TrainFunction)} in deterministic mode with the default timeout. */
    public static <R extends Serializable> R run(SparkSession spark, int numProcesses, TrainFunction<R> fn) {
        return run(spark, numProcesses, new ProcessGroup.Options().deterministic(true), fn);
    }

    /**
     * Runs {@code fn} on {@code numProcesses} ranks (one barrier task each; the cluster needs that many
     * free task slots at once) with a group built from {@code options}; returns rank 0's result.
     */
    public static <R extends Serializable> R run(SparkSession spark, int numProcesses, ProcessGroup.Options options,
                                                 TrainFunction<R> fn) {
        if (numProcesses < 1) {
            throw new IllegalArgumentException("Grad4jDistributor.run: numProcesses must be positive, got " + numProcesses
                    + ". Fix: pass the number of ranks, at most the cluster's task slots (executors x cores)");
        }
        var jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Integer> ranks = IntStream.range(0, numProcesses).boxed().toList();
        RDD<Integer> rdd = jsc.parallelize(ranks, numProcesses).rdd();
        ClassTag<Object> tag = ClassTag$.MODULE$.apply(Object.class);
        // setJobDescription: what the Spark UI shows for this stage
        jsc.setJobDescription("grad4j data-parallel training on " + numProcesses + " ranks");
        var task = new RankTask(options.timeout().toMillis(), options.deterministic(), fn);
        Object[] results = (Object[]) rdd.barrier().mapPartitions(task, false, tag).collect();
        if (results.length != 1) {
            throw new IllegalStateException("Grad4jDistributor.run: expected rank 0's result, got " + results.length);
        }
        @SuppressWarnings("unchecked")
        R r = (R) ((Holder) results[0]).value;
        return r;
    }

    /** Boxes rank 0's result (null allowed: Spark's collect needs an element). */
    private record Holder(Serializable value) implements Serializable {}

    /** The body of each barrier task: listen, one allGather of host:port, connect, train, close. */
    private static final class RankTask extends AbstractFunction1<Iterator<Integer>, Iterator<Object>> implements Serializable {
        // ProcessGroup.Options is not serializable: its two settings travel instead
        private final long timeoutMillis;
        private final boolean deterministic;
        private final TrainFunction<?> fn;

        RankTask(long timeoutMillis, boolean deterministic, TrainFunction<?> fn) {
            this.timeoutMillis = timeoutMillis;
            this.deterministic = deterministic;
            this.fn = fn;
        }

        @Override public Iterator<Object> apply(Iterator<Integer> partition) {
            BarrierTaskContext ctx = BarrierTaskContext.get();
            int rank = ctx.partitionId();
            var options = new ProcessGroup.Options().timeout(java.time.Duration.ofMillis(timeoutMillis)).deterministic(deterministic);
            Serializable result;
            // the executor's host as Spark knows it (reachable from the other executors), the port our own
            String host = ctx.getTaskInfos()[rank].address();
            int colon = host.lastIndexOf(':');
            if (colon > 0) host = host.substring(0, colon);
            try {
                ProcessGroup.Listener listener = ProcessGroup.listen(host);
                ProcessGroup pg;
                try {
                    List<String> peers = Arrays.asList(ctx.allGather(listener.address()));
                    pg = ProcessGroup.fromPeers(rank, peers, listener, options);
                } catch (RuntimeException e) {
                    listener.close();
                    throw e;
                }
                try (pg) {
                    result = fn.train(pg);
                }
            } catch (DistributedException e) {
                // Usually the echo of another rank's failure (its sockets closed). Spark reports the first
                // failed task of the stage, so give the rank that failed first a moment to be that one.
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();        // Spark is killing the stage: fine
                }
                throw e;
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new RuntimeException("grad4j rank " + rank + " of " + ctx.getTaskInfos().length + " failed: " + e, e);
            }
            List<Object> out = rank == 0 ? List.of(new Holder(result)) : Collections.emptyList();
            return JavaConverters.asScalaIterator(out.iterator());
        }
    }
}
