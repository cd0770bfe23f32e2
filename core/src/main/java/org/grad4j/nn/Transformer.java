package org.grad4j.nn;

import org.grad4j.storage.DType;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;
import org.grad4j.nn.init.Init;

/**
 * {@code nn.Transformer(d_model=512, nhead=8, num_encoder_layers=6, num_decoder_layers=6, dim_feedforward=2048,
 * dropout=0.1, activation="relu", ...)}: encoder and decoder stacks with final layer norms; every
 * parameter with more than one dim is re-initialised with xavier_uniform, as PyTorch does.
 *
 * <pre>{@code
 * Transformer model = new Transformer(32, 4, 2, 2, 64, 0.1, "relu", 1e-5, true, false);
 * Tensor mask = Transformer.generateSquareSubsequentMask(tgtLen, DType.FLOAT32);
 * Tensor out = model.forward(src, tgt, null, mask, null);
 * }</pre>
 */
public class Transformer extends Module {
    public final TransformerEncoder encoder;
    public final TransformerDecoder decoder;
    public final int dModel, nhead;
    public final boolean batchFirst;

    public Transformer() { this(512, 8, 6, 6, 2048, 0.1, "relu", 1e-5, false, false); }

    public Transformer(int dModel, int nhead, int numEncoderLayers, int numDecoderLayers, int dimFeedforward, double dropout,
                       String activation, double layerNormEps, boolean batchFirst, boolean normFirst) {
        this.dModel = dModel;
        this.nhead = nhead;
        this.batchFirst = batchFirst;
        encoder = registerModule("encoder", new TransformerEncoder(new TransformerEncoderLayer(dModel, nhead, dimFeedforward, dropout,
                activation, layerNormEps, batchFirst, normFirst), numEncoderLayers,
                new LayerNorm(new int[]{dModel}, layerNormEps, true, true)));
        decoder = registerModule("decoder", new TransformerDecoder(new TransformerDecoderLayer(dModel, nhead, dimFeedforward, dropout,
                activation, layerNormEps, batchFirst, normFirst), numDecoderLayers,
                new LayerNorm(new int[]{dModel}, layerNormEps, true, true)));
        for (Tensor p : parameters()) if (p.dim() > 1) Init.xavierUniform_(p);
    }

    @Override
    public Tensor forward(Tensor... in) { return forward(in[0], in[1], null, null, null); }

    /** {@code forward(src, tgt, src_mask, tgt_mask, memory_mask)}. */
    public Tensor forward(Tensor src, Tensor tgt, Tensor srcMask, Tensor tgtMask, Tensor memoryMask) {
        return forward(src, tgt, srcMask, tgtMask, memoryMask, null, null, null);
    }

    public Tensor forward(Tensor src, Tensor tgt, Tensor srcMask, Tensor tgtMask, Tensor memoryMask, Tensor srcKeyPaddingMask,
                          Tensor tgtKeyPaddingMask, Tensor memoryKeyPaddingMask) {
        int bdim = batchFirst ? 0 : 1;
        if (src.dim() == 3 && tgt.dim() == 3 && src.size(bdim) != tgt.size(bdim)) {
            throw new IllegalArgumentException("the batch number of src and tgt must be equal");
        }
        if (src.size(-1) != dModel || tgt.size(-1) != dModel) {
            throw new IllegalArgumentException("the feature number of src and tgt must be equal to d_model");
        }
        Tensor memory = encoder.forward(src, srcMask, srcKeyPaddingMask, false);
        return decoder.forward(tgt, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask, false);
    }

    /** A float mask [sz, sz]: 0 on and below the diagonal, -inf above (positions may only look back). */
    public static Tensor generateSquareSubsequentMask(int sz, DType dtype) {
        double[] m = new double[sz * sz];
        for (int i = 0; i < sz; i++) for (int j = i + 1; j < sz; j++) m[i * sz + j] = Double.NEGATIVE_INFINITY;
        return Grad4j.fromArray(m, sz, sz).to(dtype);
    }

    public static Tensor generateSquareSubsequentMask(int sz) { return generateSquareSubsequentMask(sz, DType.FLOAT32); }

    static String checkActivation(String a) {
        if (!a.equals("relu") && !a.equals("gelu")) {
            throw new IllegalArgumentException("activation should be relu/gelu, not " + a);
        }
        return a;
    }

    static Tensor activate(Tensor x, String a) { return a.equals("relu") ? x.relu() : F.gelu(x); }

    static void copyState(Module from, Module to) {
        to.loadStateDict(from.stateDict());
    }
}
