package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/**
 * {@code nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=2048, dropout=0.1, activation="relu",
 * layer_norm_eps=1e-05, batch_first=False, norm_first=False)}: self-attention and a feed-forward
 * block, each with a residual connection and layer norm (post-norm unless normFirst).
 */
public class TransformerEncoderLayer extends TransformerLayerBase {
    public final MultiheadAttention selfAttn;
    public final Linear linear1, linear2;
    public final Dropout dropout, dropout1, dropout2;
    public final LayerNorm norm1, norm2;

    public TransformerEncoderLayer(int dModel, int nhead) { this(dModel, nhead, 2048, 0.1, "relu", 1e-5, false, false); }

    public TransformerEncoderLayer(int dModel, int nhead, int dimFeedforward, double dropout, String activation, double layerNormEps,
                                   boolean batchFirst, boolean normFirst) {
        super(dModel, nhead, dimFeedforward, dropout, activation, layerNormEps, batchFirst, normFirst);
        selfAttn = attention("self_attn");
        linear1 = linear("linear1", dModel, dimFeedforward);
        this.dropout = dropout("dropout");
        linear2 = linear("linear2", dimFeedforward, dModel);
        norm1 = norm("norm1");
        norm2 = norm("norm2");
        dropout1 = dropout("dropout1");
        dropout2 = dropout("dropout2");
    }

    /** A new layer with the same configuration and a copy of this one's weights (PyTorch deep-copies layers). */
    public TransformerEncoderLayer copy() {
        TransformerEncoderLayer c = new TransformerEncoderLayer(dModel, nhead, dimFeedforward, dropoutP, activation, layerNormEps,
                batchFirst, normFirst);
        Transformer.copyState(this, c);
        return c;
    }

    @Override
    public Tensor forward(Tensor src) { return forward(src, null, null, false); }

    /** {@code forward(src, src_mask, src_key_padding_mask, is_causal)}. */
    public Tensor forward(Tensor src, Tensor srcMask, Tensor srcKeyPaddingMask, boolean isCausal) {
        Tensor x = src;
        if (normFirst) {
            x = x.add(sa(norm1.call(x), srcMask, srcKeyPaddingMask, isCausal));
            x = x.add(ff(norm2.call(x)));
        } else {
            x = norm1.call(x.add(sa(x, srcMask, srcKeyPaddingMask, isCausal)));
            x = norm2.call(x.add(ff(x)));
        }
        return x;
    }

    private Tensor sa(Tensor x, Tensor mask, Tensor kpm, boolean causal) {
        return selfAttentionBlock(selfAttn, dropout1, x, mask, kpm, causal);
    }

    private Tensor ff(Tensor x) {
        return feedForwardBlock(linear1, dropout, linear2, dropout2, x);
    }
}
