package org.grad4j.distributed;

import org.grad4j.Tensor;

import java.util.concurrent.CompletableFuture;

/**
 * A DDP communication hook ({@code register_comm_hook(state, hook)}): given a bucket whose
 * gradients are ready, starts reducing them and returns a future of the averaged buffer. Every rank
 * must issue the same collectives in the same order. Built-in hooks: {@link CommHooks}.
 *
 * <pre>{@code ddp.registerCommHook(CommHooks.fp16Compress());}</pre>
 */
@FunctionalInterface
public interface CommHook {
    CompletableFuture<Tensor> apply(ProcessGroup group, GradBucket bucket);
}
