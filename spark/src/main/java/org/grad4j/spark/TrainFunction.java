package org.grad4j.spark;

import java.io.Serializable;
import org.grad4j.distributed.ProcessGroup;

/**
 * One rank's training, run by {@link Grad4jDistributor#run} in every task of a Spark barrier stage.
 * Spark serializes it to the executors, so it (and what it captures) must be serializable; its
 * result must be serializable too (only rank 0's comes back to the driver).
 *
 * <pre>{@code
 * TrainFunction<Double> fn = pg -> DataParallelDemo.train(pg, cfg, System.out).testAccuracy();
 * }</pre>
 *
 * @param <R> the result type
 */
@FunctionalInterface
public interface TrainFunction<R extends Serializable> extends Serializable {
    /** Trains with {@code group} (already connected; closed by the caller afterwards). */
    R train(ProcessGroup group) throws Exception;
}
