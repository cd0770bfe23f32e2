package org.grad4j.examples.transformer;

import org.grad4j.Tensor;
import org.grad4j.nn.LayerNorm;
import org.grad4j.nn.Linear;
import org.grad4j.nn.Module;

/**
 * A post-norm Transformer encoder layer as {@code nn.TransformerEncoderLayer(d, heads,
 * dim_feedforward, dropout=0.0, batch_first=True)} computes it (ReLU feed-forward, norm_first
 * false), with its submodule names:
 * {@code x = norm1(x + self_attn(x)); x = norm2(x + linear2(relu(linear1(x))))}.
 *
 * <pre>{@code
 * var layer = new EncoderLayer(64, 4, 128);
 * Tensor y = layer.call(x);   // [N, L, 64] -> [N, L, 64]
 * }</pre>
 */
public final class EncoderLayer extends Module {
    private final SelfAttention selfAttn;
    private final Linear linear1, linear2;
    private final LayerNorm norm1, norm2;

    public EncoderLayer(int dModel, int heads, int dimFeedforward) {
        selfAttn = registerModule("self_attn", new SelfAttention(dModel, heads));
        linear1 = registerModule("linear1", new Linear(dModel, dimFeedforward));
        linear2 = registerModule("linear2", new Linear(dimFeedforward, dModel));
        norm1 = registerModule("norm1", new LayerNorm(dModel));
        norm2 = registerModule("norm2", new LayerNorm(dModel));
    }

    @Override
    public Tensor forward(Tensor x) {
        x = norm1.call(x.add(selfAttn.call(x)));
        return norm2.call(x.add(linear2.call(linear1.call(x).relu())));
    }
}
