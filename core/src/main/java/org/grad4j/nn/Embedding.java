package org.grad4j.nn;

import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.autograd.Autograd;
import org.grad4j.nn.functional.F;
import org.grad4j.nn.init.Init;

/**
 * {@code nn.Embedding(num_embeddings, embedding_dim, padding_idx=None)}: a lookup table initialised
 * from N(0, 1); the padding row starts at zero and gets no gradient.
 */
public class Embedding extends Module {
    public final int numEmbeddings, embeddingDim;
    public final Integer paddingIdx;

    public Embedding(int numEmbeddings, int embeddingDim) { this(numEmbeddings, embeddingDim, null); }

    public Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx) {
        if (paddingIdx != null) {
            if (paddingIdx >= numEmbeddings || paddingIdx < -numEmbeddings) {
                throw new IllegalArgumentException("Padding_idx must be within num_embeddings");
            }
            if (paddingIdx < 0) paddingIdx += numEmbeddings;
        }
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.paddingIdx = paddingIdx;
        registerParameter("weight", Grad4j.empty(numEmbeddings, embeddingDim));
        Init.normal_(weight());
        if (paddingIdx != null) {
            try (var ng = Autograd.noGrad()) {
                weight().select(0, paddingIdx).fill_(0.0);
            }
        }
    }

    /** {@code nn.Embedding.from_pretrained(embeddings, freeze=True)}. */
    public static Embedding fromPretrained(Tensor embeddings, boolean freeze) {
        Embedding e = new Embedding(embeddings.size(0), embeddings.size(1));
        try (var ng = Autograd.noGrad()) {
            e.weight().copy_(embeddings);
        }
        e.weight().requiresGrad_(!freeze);
        return e;
    }

    public Tensor weight() { return getParameter("weight"); }

    @Override
    public Tensor forward(Tensor input) { return F.embedding(input, weight(), paddingIdx); }

    @Override
    protected String extraRepr() { return numEmbeddings + ", " + embeddingDim + (paddingIdx != null ? ", padding_idx=" + paddingIdx : ""); }
}
