package org.grad4j.nn;

import org.grad4j.Tensor;

/** {@code nn.TransformerEncoder(encoder_layer, num_layers, norm=None)}: numLayers copies of the layer (same initial weights, as PyTorch's deepcopy). */
public class TransformerEncoder extends Module {
    public final ModuleList layers;
    public final LayerNorm norm;
    public final int numLayers;

    public TransformerEncoder(TransformerEncoderLayer layer, int numLayers) { this(layer, numLayers, null); }

    public TransformerEncoder(TransformerEncoderLayer layer, int numLayers, LayerNorm norm) {
        this.numLayers = numLayers;
        layers = registerModule("layers", new ModuleList());
        for (int i = 0; i < numLayers; i++) layers.add(layer.copy());
        this.norm = norm == null ? null : registerModule("norm", norm);
    }

    @Override
    public Tensor forward(Tensor src) { return forward(src, null, null, false); }

    public Tensor forward(Tensor src, Tensor mask, Tensor srcKeyPaddingMask, boolean isCausal) {
        Tensor x = src;
        for (Module m : layers) x = ((TransformerEncoderLayer) m).forward(x, mask, srcKeyPaddingMask, isCausal);
        return norm == null ? x : norm.call(x);
    }
}
