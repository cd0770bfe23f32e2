package org.grad4j.distributed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/** Runs one function per rank of a loopback group, each rank in its own thread, as separate processes would. */
final class LocalRanks {
    private LocalRanks() {}

    static ProcessGroup.Options opts(boolean deterministic) {
        return new ProcessGroup.Options().timeout(Duration.ofSeconds(20)).deterministic(deterministic);
    }

    static <T> List<T> run(int world, boolean deterministic, Function<ProcessGroup, T> body) {
        return run(ProcessGroup.loopback(world, opts(deterministic)), body);
    }

    /** Runs body on every group (closing them after) and returns the results in rank order; rethrows a rank's failure. */
    static <T> List<T> run(List<ProcessGroup> groups, Function<ProcessGroup, T> body) {
        ExecutorService ex = Executors.newFixedThreadPool(groups.size());
        try {
            List<Future<T>> fs = new ArrayList<>();
            for (ProcessGroup g : groups) fs.add(ex.submit(() -> {
                try (g) {
                    return body.apply(g);
                }
            }));
            List<T> out = new ArrayList<>();
            RuntimeException first = null;
            for (Future<T> f : fs) {
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    RuntimeException r = e.getCause() instanceof RuntimeException re ? re : new RuntimeException(e.getCause());
                    if (first == null) first = r;
                    else first.addSuppressed(r);     // every rank's failure stays visible in the report
                }
            }
            if (first != null) throw first;
            return out;
        } catch (InterruptedException e) {
            throw new RuntimeException(e);
        } finally {
            ex.shutdownNow();
        }
    }
}
