package org.grad4j.nn;

import org.grad4j.storage.DType;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;
import org.grad4j.nn.init.Init;

/**
 * {@code nn.MultiheadAttention(embed_dim, num_heads, dropout=0.0, bias=True, kdim=None, vdim=None, batch_first=False)}.
 * Parameters as PyTorch: in_proj_weight [3E, E] (xavier_uniform) and in_proj_bias (zeros), or
 * q/k/v_proj_weight when kdim/vdim differ from E; out_proj a Linear with zero bias. A bool
 * attn_mask or key_padding_mask marks positions that may NOT be attended (PyTorch's MHA
 * convention); a float mask is added to the scores.
 *
 * <pre>{@code
 * MultiheadAttention mha = new MultiheadAttention(16, 4);
 * MultiheadAttention.Output o = mha.forward(q, k, v, null, true, null);   // o.output() [L, N, 16], o.weights() [N, L, S]
 * }</pre>
 */
public class MultiheadAttention extends Module {
    public final int embedDim, numHeads, kdim, vdim, headDim;
    public final double dropout;
    public final boolean batchFirst;
    private final boolean sameDims;
    public final NonDynamicallyQuantizableLinear outProj;

    /** The attention output and the attention weights (null unless requested). */
    public record Output(Tensor output, Tensor weights) {}

    public MultiheadAttention(int embedDim, int numHeads) { this(embedDim, numHeads, 0.0, true, embedDim, embedDim, false); }

    public MultiheadAttention(int embedDim, int numHeads, double dropout, boolean bias, int kdim, int vdim, boolean batchFirst) {
        if (embedDim % numHeads != 0) throw new IllegalArgumentException("embed_dim must be divisible by num_heads");
        this.embedDim = embedDim;
        this.numHeads = numHeads;
        this.kdim = kdim;
        this.vdim = vdim;
        this.headDim = embedDim / numHeads;
        this.dropout = dropout;
        this.batchFirst = batchFirst;
        this.sameDims = kdim == embedDim && vdim == embedDim;
        if (sameDims) {
            registerParameter("in_proj_weight", Grad4j.empty(3 * embedDim, embedDim));
            Init.xavierUniform_(getParameter("in_proj_weight"));
        } else {
            registerParameter("q_proj_weight", Grad4j.empty(embedDim, embedDim));
            registerParameter("k_proj_weight", Grad4j.empty(embedDim, kdim));
            registerParameter("v_proj_weight", Grad4j.empty(embedDim, vdim));
            Init.xavierUniform_(getParameter("q_proj_weight"));
            Init.xavierUniform_(getParameter("k_proj_weight"));
            Init.xavierUniform_(getParameter("v_proj_weight"));
        }
        registerParameter("in_proj_bias", bias ? Grad4j.zeros(3 * embedDim) : null);
        outProj = registerModule("out_proj", new NonDynamicallyQuantizableLinear(embedDim, embedDim, bias));
        if (bias) Init.zeros_(outProj.bias());
    }

    /** Self-attention output only: {@code mha(x, x, x)[0]}. */
    @Override
    public Tensor forward(Tensor x) { return forward(x, x, x, null, false, null).output(); }

    @Override
    public Tensor forward(Tensor... in) {
        if (in.length != 3) throw new IllegalArgumentException("MultiheadAttention expects query, key, value");
        return forward(in[0], in[1], in[2], null, false, null).output();
    }

    /** {@code forward(query, key, value, key_padding_mask, need_weights, attn_mask)} with head-averaged weights. */
    public Output forward(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask, boolean needWeights, Tensor attnMask) {
        return forward(query, key, value, keyPaddingMask, needWeights, attnMask, true, false);
    }

    public Output forward(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask, boolean needWeights, Tensor attnMask,
                          boolean averageAttnWeights, boolean isCausal) {
        boolean unbatched = query.dim() == 2;
        if (unbatched) {
            query = query.unsqueeze(1);
            key = key.unsqueeze(1);
            value = value.unsqueeze(1);
            if (keyPaddingMask != null) keyPaddingMask = keyPaddingMask.unsqueeze(0);
        } else if (batchFirst) {
            query = query.transpose(0, 1);
            key = key.transpose(0, 1);
            value = value.transpose(0, 1);
        }
        int l = query.size(0), n = query.size(1), s = key.size(0), e = embedDim, h = numHeads, hd = headDim;
        if (query.size(2) != e) {
            throw new IllegalArgumentException("was expecting embedding dimension of " + e + ", but got " + query.size(2));
        }
        Tensor b = getParameter("in_proj_bias");
        Tensor wq, wk, wv;
        if (sameDims) {
            Tensor w = getParameter("in_proj_weight");
            wq = w.narrow(0, 0, e);
            wk = w.narrow(0, e, e);
            wv = w.narrow(0, 2 * e, e);
        } else {
            wq = getParameter("q_proj_weight");
            wk = getParameter("k_proj_weight");
            wv = getParameter("v_proj_weight");
        }
        Tensor q = F.linear(query, wq, b == null ? null : b.narrow(0, 0, e));
        Tensor k = F.linear(key, wk, b == null ? null : b.narrow(0, e, e));
        Tensor v = F.linear(value, wv, b == null ? null : b.narrow(0, 2 * e, e));
        q = q.reshape(l, n * h, hd).transpose(0, 1);                      // [N*H, L, hd]
        k = k.reshape(s, n * h, hd).transpose(0, 1);
        v = v.reshape(s, n * h, hd).transpose(0, 1);
        Tensor scores = q.mul(1.0 / Math.sqrt(hd)).matmul(k.transpose(1, 2));      // [N*H, L, S]
        if (isCausal && attnMask == null) attnMask = Transformer.generateSquareSubsequentMask(l, query.dtype());
        if (attnMask != null) {
            Tensor m = attnMask.dim() == 2 ? attnMask.unsqueeze(0) : attnMask;
            scores = m.dtype() == DType.BOOL ? scores.maskedFill(m, Double.NEGATIVE_INFINITY) : scores.add(m);
        }
        if (keyPaddingMask != null) {
            Tensor kp = keyPaddingMask.reshape(n, 1, 1, s);
            Tensor s4 = scores.reshape(n, h, l, s);
            s4 = kp.dtype() == DType.BOOL ? s4.maskedFill(kp, Double.NEGATIVE_INFINITY) : s4.add(kp);
            scores = s4.reshape(n * h, l, s);
        }
        Tensor attn = F.softmax(scores, -1);
        Tensor dropped = dropout > 0 && training ? F.dropout(attn, dropout, true) : attn;
        Tensor out = dropped.matmul(v).transpose(0, 1).reshape(l, n, e);
        out = outProj.call(out);
        Tensor weights = null;
        if (needWeights) {
            weights = dropped.reshape(n, h, l, s);             // after dropout, as PyTorch returns them
            if (averageAttnWeights) weights = weights.mean(1);
            if (unbatched) weights = weights.squeeze(0);
        }
        if (unbatched) out = out.squeeze(1);
        else if (batchFirst) out = out.transpose(0, 1);
        return new Output(out, weights);
    }
}
