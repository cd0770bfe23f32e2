package org.grad4j.data;

/**
 * A stream-style dataset, like {@code torch.utils.data.IterableDataset}: samples come from an
 * iterator, in the dataset's own order. A {@link DataLoader} batches it without a sampler
 * (shuffle and samplers don't apply) and reads it in the calling thread.
 *
 * <pre>{@code
 * IterableDataset<Tensor> ds = () -> IntStream.range(0, 10).mapToObj(i -> Grad4j.tensor((double) i)).iterator();
 * }</pre>
 */
@FunctionalInterface
public interface IterableDataset<T> extends Iterable<T> {}
