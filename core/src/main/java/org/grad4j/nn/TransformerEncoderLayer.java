package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/**
 * {@code nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=2048, dropout=0.1, activation="relu",
 * layer_norm_eps=1e-05, batch_first=False, norm_first=False)}: self-attention and a feed-forward
 * block, each with a residual connection and layer norm (post-norm unless normFirst).
 */
public class TransformerEncoderLayer extends Module {
    public final int dModel, nhead, dimFeedforward;
    public final double dropoutP, layerNormEps;
    public final String activation;
    public final boolean batchFirst, normFirst;
    public final MultiheadAttention selfAttn;
    public final Linear linear1, linear2;
    public final Dropout dropout, dropout1, dropout2;
    public final LayerNorm norm1, norm2;

    public TransformerEncoderLayer(int dModel, int nhead) { this(dModel, nhead, 2048, 0.1, "relu", 1e-5, false, false); }

    public TransformerEncoderLayer(int dModel, int nhead, int dimFeedforward, double dropout, String activation, double layerNormEps,
                                   boolean batchFirst, boolean normFirst) {
        this.dModel = dModel;
        this.nhead = nhead;
        this.dimFeedforward = dimFeedforward;
        this.dropoutP = dropout;
        this.activation = Transformer.checkActivation(activation);
        this.layerNormEps = layerNormEps;
        this.batchFirst = batchFirst;
        this.normFirst = normFirst;
        selfAttn = registerModule("self_attn", new MultiheadAttention(dModel, nhead, dropout, true, dModel, dModel, batchFirst));
        linear1 = registerModule("linear1", new Linear(dModel, dimFeedforward));
        this.dropout = registerModule("dropout", new Dropout(dropout));
        linear2 = registerModule("linear2", new Linear(dimFeedforward, dModel));
        norm1 = registerModule("norm1", new LayerNorm(new int[]{dModel}, layerNormEps, true, true));
        norm2 = registerModule("norm2", new LayerNorm(new int[]{dModel}, layerNormEps, true, true));
        dropout1 = registerModule("dropout1", new Dropout(dropout));
        dropout2 = registerModule("dropout2", new Dropout(dropout));
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
        return dropout1.call(selfAttn.forward(x, x, x, kpm, false, mask, true, causal).output());
    }

    private Tensor ff(Tensor x) {
        return dropout2.call(linear2.call(dropout.call(Transformer.activate(linear1.call(x), activation))));
    }
}
