package org.grad4j.nn;

import org.grad4j.Tensor;

/**
 * {@code nn.TransformerDecoderLayer(d_model, nhead, dim_feedforward=2048, dropout=0.1, activation="relu",
 * layer_norm_eps=1e-05, batch_first=False, norm_first=False)}: self-attention, attention over the
 * encoder's memory, and a feed-forward block.
 */
public class TransformerDecoderLayer extends Module {
    public final int dModel, nhead, dimFeedforward;
    public final double dropoutP, layerNormEps;
    public final String activation;
    public final boolean batchFirst, normFirst;
    public final MultiheadAttention selfAttn, multiheadAttn;
    public final Linear linear1, linear2;
    public final Dropout dropout, dropout1, dropout2, dropout3;
    public final LayerNorm norm1, norm2, norm3;

    public TransformerDecoderLayer(int dModel, int nhead) { this(dModel, nhead, 2048, 0.1, "relu", 1e-5, false, false); }

    public TransformerDecoderLayer(int dModel, int nhead, int dimFeedforward, double dropout, String activation, double layerNormEps,
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
        multiheadAttn = registerModule("multihead_attn", new MultiheadAttention(dModel, nhead, dropout, true, dModel, dModel, batchFirst));
        linear1 = registerModule("linear1", new Linear(dModel, dimFeedforward));
        this.dropout = registerModule("dropout", new Dropout(dropout));
        linear2 = registerModule("linear2", new Linear(dimFeedforward, dModel));
        norm1 = registerModule("norm1", new LayerNorm(new int[]{dModel}, layerNormEps, true, true));
        norm2 = registerModule("norm2", new LayerNorm(new int[]{dModel}, layerNormEps, true, true));
        norm3 = registerModule("norm3", new LayerNorm(new int[]{dModel}, layerNormEps, true, true));
        dropout1 = registerModule("dropout1", new Dropout(dropout));
        dropout2 = registerModule("dropout2", new Dropout(dropout));
        dropout3 = registerModule("dropout3", new Dropout(dropout));
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
        return dropout1.call(selfAttn.forward(x, x, x, kpm, false, mask, true, causal).output());
    }

    private Tensor mha(Tensor x, Tensor mem, Tensor mask, Tensor kpm) {
        return dropout2.call(multiheadAttn.forward(x, mem, mem, kpm, false, mask).output());
    }

    private Tensor ff(Tensor x) {
        return dropout3.call(linear2.call(dropout.call(Transformer.activate(linear1.call(x), activation))));
    }
}
