package org.grad4j.nn;

import org.grad4j.Tensor;

/**
 * {@code nn.TransformerDecoderLayer(d_model, nhead, dim_feedforward=2048, dropout=0.1, activation="relu",
 * layer_norm_eps=1e-05, batch_first=False, norm_first=False)}: self-attention, attention over the
 * encoder's memory, and a feed-forward block.
 */
public class TransformerDecoderLayer extends TransformerLayerBase {
    public final MultiheadAttention selfAttn, multiheadAttn;
    public final Linear linear1, linear2;
    public final Dropout dropout, dropout1, dropout2, dropout3;
    public final LayerNorm norm1, norm2, norm3;

    public TransformerDecoderLayer(int dModel, int nhead) { this(dModel, nhead, 2048, 0.1, "relu", 1e-5, false, false); }

    public TransformerDecoderLayer(int dModel, int nhead, int dimFeedforward, double dropout, String activation, double layerNormEps,
                                   boolean batchFirst, boolean normFirst) {
        super(dModel, nhead, dimFeedforward, dropout, activation, layerNormEps, batchFirst, normFirst);
        selfAttn = attention("self_attn");
        multiheadAttn = attention("multihead_attn");
        linear1 = linear("linear1", dModel, dimFeedforward);
        this.dropout = dropout("dropout");
        linear2 = linear("linear2", dimFeedforward, dModel);
        norm1 = norm("norm1");
        norm2 = norm("norm2");
        norm3 = norm("norm3");
        dropout1 = dropout("dropout1");
        dropout2 = dropout("dropout2");
        dropout3 = dropout("dropout3");
    }

    public TransformerDecoderLayer copy() {
        TransformerDecoderLayer c = new TransformerDecoderLayer(dModel, nhead, dimFeedforward, dropoutP, activation, layerNormEps,
                batchFirst, normFirst);
        Transformer.copyState(this, c);
        return c;
    }

    @Override
    public Tensor forward(Tensor... in) {
        if (in.length != 2) throw new IllegalArgumentException("TransformerDecoderLayer expects (tgt, memory)");
        return forward(in[0], in[1], null, null, null, null, false);
    }

    /** {@code forward(tgt, memory, tgt_mask, memory_mask, tgt_key_padding_mask, memory_key_padding_mask, tgt_is_causal)}. */
    public Tensor forward(Tensor tgt, Tensor memory, Tensor tgtMask, Tensor memoryMask, Tensor tgtKeyPaddingMask,
                          Tensor memoryKeyPaddingMask, boolean tgtIsCausal) {
        Tensor x = tgt;
        if (normFirst) {
            x = x.add(sa(norm1.call(x), tgtMask, tgtKeyPaddingMask, tgtIsCausal));
            x = x.add(mha(norm2.call(x), memory, memoryMask, memoryKeyPaddingMask));
            x = x.add(ff(norm3.call(x)));
        } else {
            x = norm1.call(x.add(sa(x, tgtMask, tgtKeyPaddingMask, tgtIsCausal)));
            x = norm2.call(x.add(mha(x, memory, memoryMask, memoryKeyPaddingMask)));
            x = norm3.call(x.add(ff(x)));
        }
        return x;
    }

    private Tensor sa(Tensor x, Tensor mask, Tensor kpm, boolean causal) {
        return selfAttentionBlock(selfAttn, dropout1, x, mask, kpm, causal);
    }

    private Tensor mha(Tensor x, Tensor mem, Tensor mask, Tensor kpm) {
        return dropout2.call(multiheadAttn.forward(x, mem, mem, kpm, false, mask).output());
    }

    private Tensor ff(Tensor x) {
        return feedForwardBlock(linear1, dropout, linear2, dropout3, x);
    }
}
