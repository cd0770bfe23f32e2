package org.grad4j.nn;

import org.grad4j.Tensor;

/**
 * What {@link TransformerEncoderLayer} and {@link TransformerDecoderLayer} share: their configuration,
 * the builders of their submodules (each subclass registers them in PyTorch's order, so the state dict
 * keys and the printout are PyTorch's) and the self-attention and feed-forward blocks.
 */
abstract class TransformerLayerBase extends Module {
    public final int dModel, nhead, dimFeedforward;
    public final double dropoutP, layerNormEps;
    public final String activation;
    public final boolean batchFirst, normFirst;

    TransformerLayerBase(int dModel, int nhead, int dimFeedforward, double dropout, String activation, double layerNormEps,
                         boolean batchFirst, boolean normFirst) {
        this.dModel = dModel;
        this.nhead = nhead;
        this.dimFeedforward = dimFeedforward;
        this.dropoutP = dropout;
        this.activation = Transformer.checkActivation(activation);
        this.layerNormEps = layerNormEps;
        this.batchFirst = batchFirst;
        this.normFirst = normFirst;
    }

    MultiheadAttention attention(String name) {
        return registerModule(name, new MultiheadAttention(dModel, nhead, dropoutP, true, dModel, dModel, batchFirst));
    }

    Linear linear(String name, int in, int out) { return registerModule(name, new Linear(in, out)); }

    Dropout dropout(String name) { return registerModule(name, new Dropout(dropoutP)); }

    LayerNorm norm(String name) { return registerModule(name, new LayerNorm(new int[]{dModel}, layerNormEps, true, true)); }

    /** The self-attention block: attention of x over itself, then dropout. */
    static Tensor selfAttentionBlock(MultiheadAttention attn, Dropout drop, Tensor x, Tensor mask, Tensor kpm, boolean causal) {
        return drop.call(attn.forward(x, x, x, kpm, false, mask, true, causal).output());
    }

    /** The feed-forward block: linear2(dropout(activation(linear1(x)))), then dropout. */
    Tensor feedForwardBlock(Linear linear1, Dropout dropout, Linear linear2, Dropout drop, Tensor x) {
        return drop.call(linear2.call(dropout.call(Transformer.activate(linear1.call(x), activation))));
    }
}
