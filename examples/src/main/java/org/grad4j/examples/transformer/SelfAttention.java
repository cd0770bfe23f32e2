package org.grad4j.examples.transformer;

import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.nn.Linear;
import org.grad4j.nn.Module;
import org.grad4j.nn.functional.F;
import org.grad4j.nn.init.Init;

/**
 * Multi-head self-attention as {@code nn.MultiheadAttention(d, heads, batch_first=True)} computes
 * it for {@code attn(x, x, x)}, with its parameter names ({@code in_proj_weight},
 * {@code in_proj_bias}, {@code out_proj.weight}, {@code out_proj.bias}) and initialisation
 * (xavier_uniform in-projection, zero biases). Built from Linear and scaled_dot_product_attention
 * for the examples; no dropout, no masks.
 *
 * <pre>{@code
 * var attn = new SelfAttention(64, 4);
 * Tensor y = attn.call(x);   // [N, L, 64] -> [N, L, 64]
 * }</pre>
 */
public final class SelfAttention extends Module {
    private final int dModel, heads;
    private final Linear outProj;

    public SelfAttention(int dModel, int heads) {
        if (dModel % heads != 0) throw new IllegalArgumentException("embed_dim must be divisible by num_heads");
        this.dModel = dModel;
        this.heads = heads;
        Init.xavierUniform_(registerParameter("in_proj_weight", Grad4j.empty(3 * dModel, dModel)));
        Init.zeros_(registerParameter("in_proj_bias", Grad4j.empty(3 * dModel)));
        outProj = registerModule("out_proj", new Linear(dModel, dModel));
        Init.zeros_(outProj.bias());
    }

    @Override
    public Tensor forward(Tensor x) {
        int n = x.size(0), len = x.size(1), dh = dModel / heads;
        Tensor qkv = F.linear(x, getParameter("in_proj_weight"), getParameter("in_proj_bias"));   // [N, L, 3d]
        Tensor[] qkvHeads = new Tensor[3];
        for (int i = 0; i < 3; i++) {
            // [N, L, d] -> [N, heads, L, dh]
            qkvHeads[i] = qkv.narrow(2, i * dModel, dModel).reshape(n, len, heads, dh).transpose(1, 2);
        }
        Tensor attn = F.scaledDotProductAttention(qkvHeads[0], qkvHeads[1], qkvHeads[2]);   // [N, heads, L, dh]
        return outProj.call(attn.transpose(1, 2).reshape(n, len, dModel));
    }

    @Override
    protected String extraRepr() { return "embed_dim=" + dModel + ", num_heads=" + heads; }
}
