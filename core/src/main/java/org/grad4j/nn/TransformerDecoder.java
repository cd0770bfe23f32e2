package org.grad4j.nn;

import org.grad4j.Tensor;

/** {@code nn.TransformerDecoder(decoder_layer, num_layers, norm=None)}. */
public class TransformerDecoder extends Module {
    public final ModuleList layers;
    public final LayerNorm norm;
    public final int numLayers;

    public TransformerDecoder(TransformerDecoderLayer layer, int numLayers) { this(layer, numLayers, null); }

    public TransformerDecoder(TransformerDecoderLayer layer, int numLayers, LayerNorm norm) {
        this.numLayers = numLayers;
        layers = registerModule("layers", new ModuleList());
        for (int i = 0; i < numLayers; i++) layers.add(layer.copy());
        this.norm = norm == null ? null : registerModule("norm", norm);
    }

    @Override
    public Tensor forward(Tensor... in) { return forward(in[0], in[1], null, null, null, null, false); }

    public Tensor forward(Tensor tgt, Tensor memory, Tensor tgtMask, Tensor memoryMask, Tensor tgtKeyPaddingMask,
                          Tensor memoryKeyPaddingMask, boolean tgtIsCausal) {
        Tensor x = tgt;
        for (Module m : layers) {
            x = ((TransformerDecoderLayer) m).forward(x, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask, tgtIsCausal);
        }
        return norm == null ? x : norm.call(x);
    }
}
