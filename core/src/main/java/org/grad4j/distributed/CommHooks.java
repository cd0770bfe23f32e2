package org.grad4j.distributed;

import org.grad4j.storage.DType;
import org.grad4j.Tensor;

import java.util.concurrent.CompletableFuture;

/**
 * The built-in DDP communication hooks of {@code torch.distributed.algorithms.ddp_comm_hooks}.
 *
 * <pre>{@code
 * ddp.registerCommHook(CommHooks.bf16Compress());                  // half the bytes on the wire
 * ddp.registerCommHook(CommHooks.powerSGD(new PowerSGDState().matrixApproximationRank(2).startPowerSGDIter(10)));
 * }</pre>
 */
public final class CommHooks {
    private CommHooks() {}

    /** {@code allreduce_hook}: divides the bucket by the world size, then sums it over the ranks. */
    public static CommHook allreduce() {
        return (group, bucket) -> allreduceFuture(group, bucket.buffer());
    }

    /** PyTorch's {@code _allreduce_fut}: {@code tensor.div_(world_size)}, then an asynchronous SUM. */
    static CompletableFuture<Tensor> allreduceFuture(ProcessGroup group, Tensor t) {
        t.div_(group.worldSize());
        return group.allReduceAsync(t, ReduceOp.SUM).future().thenApply(v -> t);
    }

    /**
     * {@code fp16_compress_hook}: casts the bucket to float16, divides by the world size, sums in
     * float16 over the ranks (each ring addition rounded to float16) and casts back.
     */
    public static CommHook fp16Compress() { return (group, bucket) -> compressed(group, bucket.buffer(), false); }

    /** {@code bf16_compress_hook}: as {@link #fp16Compress()} with bfloat16 (float's range, 8 bits of mantissa). */
    public static CommHook bf16Compress() { return (group, bucket) -> compressed(group, bucket.buffer(), true); }

    /** {@code powerSGD_hook} with its state (error feedback, warm start, rank; vanilla all-reduce before {@code startPowerSGDIter}). */
    public static CommHook powerSGD(PowerSGDState state) { return state::hook; }

    private static CompletableFuture<Tensor> compressed(ProcessGroup group, Tensor buffer, boolean bf16) {
        int n = buffer.numel(), ws = group.worldSize();
        short[] c = new short[n];
        // buffer.to(float16).div_(world_size): round, divide in float, round again
        float[] a = buffer.contiguous().to(DType.FLOAT32).toFloatArray();
        for (int i = 0; i < n; i++) c[i] = Flat.Half.fromFloat(Flat.Half.toFloat(Flat.Half.fromFloat(a[i], bf16), bf16) / ws, bf16);
        Flat f = new Flat.Half(c, 0, n, bf16);
        return group.allReduceAsync(f, ReduceOp.SUM, bf16 ? "bf16 allReduce" : "fp16 allReduce").future().thenApply(v -> {
            float[] back = new float[n];
            for (int i = 0; i < n; i++) back[i] = Flat.Half.toFloat(c[i], bf16);
            buffer.copy_(org.grad4j.Grad4j.fromArray(back, n).to(buffer.dtype()));
            return buffer;
        });
    }
}
