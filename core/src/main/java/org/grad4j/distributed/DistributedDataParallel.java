package org.grad4j.distributed;

import org.grad4j.Tensor;
import org.grad4j.autograd.AccumulateGrad;
import org.grad4j.autograd.Autograd;
import org.grad4j.autograd.Edge;
import org.grad4j.autograd.GradMode;
import org.grad4j.autograd.Node;
import org.grad4j.autograd.RemovableHandle;
import org.grad4j.internal.Graph;
import org.grad4j.nn.Module;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Data-parallel training ({@code torch.nn.parallel.DistributedDataParallel}): each rank runs the
 * same model on its own part of the batch; during {@code backward()} the gradients are averaged
 * over the ranks so every optimizer step sees the same gradients.
 *
 * <p>As PyTorch's: the parameters and buffers are broadcast from rank 0 at construction (and the
 * buffers again before each forward); gradients are grouped into buckets in reverse parameter
 * order (the first bucket about 1 MB, the others about 25 MB), and a bucket's all-reduce starts on
 * the communication thread as soon as all its gradients were accumulated, while backward goes on
 * computing earlier layers; {@code backward()} returns once every bucket is reduced and copied back
 * into {@code .grad}. Under {@link #noSync()} gradients only accumulate locally (gradient
 * accumulation); the next synced backward reduces the sum. {@code findUnusedParameters} lets a
 * forward leave parameters out of the graph; a parameter unused on every rank keeps its
 * {@code .grad}. {@link #registerCommHook} swaps the reduction (fp16/bf16 compression, PowerSGD).
 *
 * <pre>{@code
 * try (ProcessGroup pg = ProcessGroup.fromEnvironment()) {
 *     var ddp = new DistributedDataParallel(model, pg, new DistributedDataParallel.Options());
 *     var opt = new SGD(ddp.parameters(), new SGD.Options().lr(0.01));
 *     for (Tensor[] b : loader) {                  // a DistributedSampler gives each rank its part
 *         opt.zeroGrad();
 *         F.crossEntropy(ddp.call(b[0]), b[1]).backward();   // gradients averaged over the ranks
 *         opt.step();
 *     }
 * }
 * }</pre>
 */
public final class DistributedDataParallel extends Module {

    /** DDP's constructor arguments. */
    public static final class Options {
        private long bucketCapBytes = 25L << 20, firstBucketCapBytes = 1L << 20;
        private boolean findUnusedParameters, broadcastBuffers = true;

        /** {@code bucket_cap_mb} (default 25). */
        public Options bucketCapMb(double mb) {
            if (!(mb > 0)) throw new IllegalArgumentException("bucket_cap_mb must be positive, got " + mb);
            bucketCapBytes = (long) (mb * (1 << 20));
            return this;
        }

        /** The first bucket's cap (PyTorch's {@code _DEFAULT_FIRST_BUCKET_BYTES}, 1 MB): reduction starts early. */
        public Options firstBucketCapMb(double mb) {
            if (!(mb > 0)) throw new IllegalArgumentException("first bucket cap must be positive, got " + mb);
            firstBucketCapBytes = (long) (mb * (1 << 20));
            return this;
        }

        /** {@code find_unused_parameters}: traverse the graph after each forward for parameters it leaves out. */
        public Options findUnusedParameters(boolean f) { findUnusedParameters = f; return this; }

        /** {@code broadcast_buffers}: rank 0's buffers (BatchNorm's running stats) overwrite the others' before each forward. */
        public Options broadcastBuffers(boolean b) { broadcastBuffers = b; return this; }
    }

    private final Module module;
    private final ProcessGroup group;
    private final Options options;
    private final List<Tensor> params = new ArrayList<>();
    private final List<Bucket> buckets = new ArrayList<>();
    private final int[] bucketOf, slotOf;
    private final List<RemovableHandle> handles = new ArrayList<>();
    private CommHook hook;

    // per-iteration state, touched by the thread running forward/backward
    private boolean requireSync = true, expectHooks, hooksFired;
    private boolean[] ready, used;
    private int nextBucket;
    private Set<Tensor> unused = Collections.emptySet();
    private CompletableFuture<Void> usedMapWork;
    private Tensor usedMap;

    /** One bucket: a flat buffer and where each of its parameters' gradients lives in it. */
    private static final class Bucket {
        final List<Integer> members = new ArrayList<>();
        final List<Integer> offsets = new ArrayList<>();
        int numel, pending;
        Tensor buffer;
        GradBucket view;
        CompletableFuture<Tensor> future;
    }

    public DistributedDataParallel(Module module, ProcessGroup group, Options options) {
        this.module = registerModule("module", module);
        this.group = group;
        this.options = options;
        for (Tensor p : module.parameters()) if (p.requiresGrad()) params.add(p);
        if (params.isEmpty()) {
            throw new IllegalArgumentException("DistributedDataParallel is not needed when a module doesn't have any parameter "
                    + "that requires a gradient. Fix: wrap a module with trainable parameters");
        }
        // SyncBatchNorm layers converted without a group share statistics over this one (PyTorch's default group)
        for (Module m : module.modules()) {
            if (m instanceof org.grad4j.nn.SyncBatchNorm sbn && sbn.processGroup() == null) sbn.setProcessGroup(group);
        }
        syncModuleStates();
        bucketOf = new int[params.size()];
        slotOf = new int[params.size()];
        assignBuckets();
        ready = new boolean[params.size()];
        used = new boolean[params.size()];
        for (int i = 0; i < params.size(); i++) {
            int index = i;
            handles.add(params.get(i).registerPostAccumulateGradHook(p -> onGradReady(index)));
        }
    }

    /** The wrapped module ({@code ddp.module}). */
    public Module module() { return module; }

    public ProcessGroup processGroup() { return group; }

    /** The bucket assignment, as parameter indices per bucket in reduction order (for tests and tuning). */
    public List<List<Integer>> bucketIndices() {
        List<List<Integer>> out = new ArrayList<>();
        for (Bucket b : buckets) out.add(List.copyOf(b.members));
        return out;
    }

    /** Replaces the default reduction (pre-divided sum) with a hook; call before the first backward. */
    public void registerCommHook(CommHook hook) {
        if (this.hook != null) {
            throw new IllegalStateException("register_comm_hook or register_builtin_comm_hook can only be called once. "
                    + "Fix: register one hook per DistributedDataParallel");
        }
        this.hook = hook;
    }

    /**
     * Turns gradient synchronisation off until closed ({@code with ddp.no_sync():}): backward
     * passes of forwards run inside only accumulate {@code .grad} locally.
     *
     * <pre>{@code
     * try (var s = ddp.noSync()) { loss(ddp.call(x1)).backward(); }   // local accumulation
     * loss(ddp.call(x2)).backward();                                    // reduces the sum
     * }</pre>
     */
    public AutoCloseable noSync() {
        boolean old = requireSync;
        requireSync = false;
        return new AutoCloseable() {
            @Override
            public void close() { requireSync = old; }
        };
    }

    @Override
    public Tensor forward(Tensor input) { return forward(new Tensor[]{input}); }

    @Override
    public Tensor forward(Tensor... inputs) {
        if (hooksFired && expectHooks) {
            throw new IllegalStateException("Expected to have finished reduction in the prior iteration before starting a new one. "
                    + "This error indicates that your module has parameters that were not used in producing loss (parameters "
                    + unreadyNames() + " got no gradient). Fix: pass new DistributedDataParallel.Options().findUnusedParameters(true), "
                    + "and make sure all forward outputs participate in calculating the loss");
        }
        boolean sync = GradMode.isEnabled() && requireSync;
        if (options.broadcastBuffers && group.worldSize() > 1) syncBuffers();
        Tensor out = inputs.length == 1 ? module.call(inputs[0]) : module.call(inputs);
        expectHooks = sync;
        hooksFired = false;
        if (sync) prepareForBackward(out);
        return out;
    }

    // ------------------------------------------------------------------ construction helpers

    private void syncModuleStates() {
        if (group.worldSize() == 1) return;
        List<Work> works = new ArrayList<>();
        for (Tensor t : module.stateDict().values()) if (t != null) works.add(group.broadcastAsync(t.detach(), 0));
        for (Work w : works) w.await();
    }

    private void syncBuffers() {
        List<Work> works = new ArrayList<>();
        for (Tensor b : module.buffers()) if (b != null) works.add(group.broadcastAsync(b, 0));
        for (Work w : works) w.await();
    }

    /**
     * PyTorch's {@code compute_bucket_assignment_by_size} over the parameters in reverse order: per
     * dtype, a bucket closes once it reaches its cap (1 MB for the first, then 25 MB).
     */
    private void assignBuckets() {
        Map<Object, Bucket> open = new LinkedHashMap<>();
        Map<Object, Integer> closedPerDtype = new LinkedHashMap<>();
        List<Bucket> order = new ArrayList<>();
        for (int i = params.size() - 1; i >= 0; i--) {
            Tensor p = params.get(i);
            Bucket b = open.get(p.dtype());
            if (b == null) {
                b = new Bucket();
                open.put(p.dtype(), b);
                order.add(b);
            }
            b.members.add(i);
            b.offsets.add(b.numel);
            b.numel += p.numel();
            long cap = closedPerDtype.getOrDefault(p.dtype(), 0) == 0 ? options.firstBucketCapBytes : options.bucketCapBytes;
            if ((long) b.numel * p.dtype().itemSize() >= cap) {
                open.remove(p.dtype());
                closedPerDtype.merge(p.dtype(), 1, Integer::sum);
            }
        }
        for (int bi = 0; bi < order.size(); bi++) {
            Bucket b = order.get(bi);
            Tensor p0 = params.get(b.members.get(0));
            b.buffer = org.grad4j.Grad4j.zeros(new int[]{b.numel}, p0.dtype(), p0.device());
            List<Tensor> views = new ArrayList<>(), ps = new ArrayList<>();
            for (int k = 0; k < b.members.size(); k++) {
                Tensor p = params.get(b.members.get(k));
                views.add(b.buffer.narrow(0, b.offsets.get(k), p.numel()).view(p.shape()));
                ps.add(p);
                bucketOf[b.members.get(k)] = bi;
                slotOf[b.members.get(k)] = k;
            }
            b.view = new GradBucket(bi, b.buffer, Collections.unmodifiableList(views), Collections.unmodifiableList(ps), bi == order.size() - 1);
            buckets.add(b);
        }
    }

    // ------------------------------------------------------------------ the reducer

    private void prepareForBackward(Tensor out) {
        java.util.Arrays.fill(ready, false);
        java.util.Arrays.fill(used, false);
        nextBucket = 0;
        usedMapWork = null;
        for (Bucket b : buckets) {
            b.pending = b.members.size();
            b.future = null;
        }
        unused = Collections.emptySet();
        if (options.findUnusedParameters) unused = unusedParameters(out);
    }

    /** Parameters whose AccumulateGrad the output's graph does not reach (PyTorch's search in prepare_for_backward). */
    private Set<Tensor> unusedParameters(Tensor out) {
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Tensor> reached = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Node> todo = new ArrayDeque<>();
        if (out.gradFn() != null) todo.add(out.gradFn());
        else if (out.requiresGrad()) reached.add(out);
        while (!todo.isEmpty()) {
            Node n = todo.poll();
            if (!seen.add(n)) continue;
            if (n instanceof AccumulateGrad ag) reached.add(ag.variable());
            for (Edge e : n.nextFunctions()) if (e.node() != null) todo.add(e.node());
        }
        Set<Tensor> result = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Tensor p : params) if (!reached.contains(p)) result.add(p);
        return result;
    }

    private void onGradReady(int index) {
        if (!expectHooks) return;
        if (!hooksFired) {
            hooksFired = true;
            // unused parameters count as ready (with zero gradients) as soon as backward starts
            for (int i = 0; i < params.size(); i++) if (unused.contains(params.get(i))) markReady(i, false);
        }
        if (ready[index]) {
            throw new IllegalStateException("Expected to mark a variable ready only once (parameter #" + index + ", shape "
                    + java.util.Arrays.toString(params.get(index).shape()) + "). This error is caused by a parameter used in "
                    + "several reentrant backward passes or in two models sharing it. Fix: use each parameter once per "
                    + "backward, or run backward under ddp.noSync()");
        }
        markReady(index, true);
    }

    private void markReady(int index, boolean hasGrad) {
        ready[index] = true;
        Bucket b = buckets.get(bucketOf[index]);
        Tensor view = b.view.gradients().get(slotOf[index]);
        Tensor g = params.get(index).gradNoWarn();
        if (hasGrad && g != null) {
            used[index] = true;
            view.copy_(g.detach());
            // the default reduction divides while copying (PyTorch's Reducer: grad * (1 / world_size))
            if (hook == null && group.worldSize() > 1) view.mul_(1.0 / group.worldSize());
        } else {
            view.zero_();
        }
        if (--b.pending == 0) launchReadyBuckets();
    }

    /** Launches buckets in order (every rank issues the same collectives in the same order). */
    private void launchReadyBuckets() {
        while (nextBucket < buckets.size() && buckets.get(nextBucket).pending == 0) {
            Bucket b = buckets.get(nextBucket++);
            b.future = hook == null ? defaultReduce(b.buffer) : hook.apply(group, b.view);
        }
        if (nextBucket == buckets.size()) {
            if (options.findUnusedParameters) {
                long[] u = new long[params.size()];
                for (int i = 0; i < u.length; i++) u[i] = used[i] ? 1 : 0;
                usedMap = org.grad4j.Grad4j.tensor(u).to(org.grad4j.storage.DType.INT32);
                usedMapWork = group.allReduceAsync(usedMap, ReduceOp.MAX).future();
            }
            Autograd.queueCallback(this::finalizeBackward);
        }
    }

    private CompletableFuture<Tensor> defaultReduce(Tensor buffer) {
        return group.allReduceAsync(buffer, ReduceOp.SUM).future().thenApply(v -> buffer);
    }

    /** Waits for every bucket and writes the averaged gradients into .grad (the engine's final callback). */
    private void finalizeBackward() {
        expectHooks = false;
        hooksFired = false;
        try {
            int[] globallyUsed = null;
            if (usedMapWork != null) {
                usedMapWork.join();
                globallyUsed = java.util.Arrays.stream(usedMap.toLongArray()).mapToInt(v -> (int) v).toArray();
            }
            for (Bucket b : buckets) {
                Tensor result = b.future.join();
                for (int k = 0; k < b.members.size(); k++) {
                    int i = b.members.get(k);
                    if (globallyUsed != null && globallyUsed[i] == 0) continue;   // unused everywhere: .grad untouched
                    Tensor p = params.get(i);
                    Tensor reduced = result.narrow(0, b.offsets.get(k), p.numel()).view(p.shape());
                    Tensor g = p.gradNoWarn();
                    if (g == null) Graph.setGrad(p, reduced.clone());
                    else g.copy_(reduced);
                }
            }
        } catch (CompletionException e) {
            throw Work.rethrow(e.getCause());
        }
    }

    private List<Integer> unreadyNames() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < ready.length; i++) if (!ready[i]) out.add(i);
        return out;
    }

    @Override
    protected String extraRepr() { return "rank=" + group.rank() + ", world_size=" + group.worldSize() + ", buckets=" + buckets.size(); }
}
