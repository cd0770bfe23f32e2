package org.grad4j.nn;

import org.grad4j.storage.DType;
import org.grad4j.Generator;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.autograd.GradCheck;
import org.grad4j.nn.functional.F;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** MultiheadAttention against per-head scaled dot-product attention; transformer layers' structure and gradients. */
class AttentionTest {
    private static final Generator GEN = new Generator().manualSeed(21);

    static Tensor rnd(int... s) { return Grad4j.randn(s, DType.FLOAT64, GEN); }

    @Test
    void multiheadAttentionEqualsPerHeadAttention() {
        MultiheadAttention mha = new MultiheadAttention(6, 2);
        mha.toDouble();
        Grad4j.manualSeed(0);
        for (Tensor p : mha.parameters()) p.detach().copy_(Grad4j.randn(p.shape(), DType.FLOAT64, GEN).mul(0.5));
        assertEquals(List.of("in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"), new ArrayList<>(mha.stateDict().keySet()));
        assertEquals("MultiheadAttention(\n  (out_proj): NonDynamicallyQuantizableLinear(in_features=6, out_features=6, bias=True)\n)", mha.toString());
        int l = 3, s = 4, n = 2;
        Tensor q = rnd(l, n, 6), k = rnd(s, n, 6), v = rnd(s, n, 6);
        boolean[][] block = new boolean[l][s];
        block[0][3] = true;
        block[2][0] = true;
        Tensor mask = Grad4j.tensor(block);
        MultiheadAttention.Output o = mha.forward(q, k, v, null, true, mask);
        Tensor w = mha.getParameter("in_proj_weight"), b = mha.getParameter("in_proj_bias");
        Tensor qp = F.linear(q, w.narrow(0, 0, 6), b.narrow(0, 0, 6));
        Tensor kp = F.linear(k, w.narrow(0, 6, 6), b.narrow(0, 6, 6));
        Tensor vp = F.linear(v, w.narrow(0, 12, 6), b.narrow(0, 12, 6));
        List<Tensor> heads = new ArrayList<>();
        for (int h = 0; h < 2; h++) {
            Tensor qh = qp.narrow(2, 3 * h, 3).transpose(0, 1), kh = kp.narrow(2, 3 * h, 3).transpose(0, 1), vh = vp.narrow(2, 3 * h, 3).transpose(0, 1);
            heads.add(F.scaledDotProductAttention(qh, kh, vh, mask.logicalNot(), false));   // SDPA's bool mask is the opposite
        }
        Tensor expect = mha.outProj.call(Grad4j.cat(heads, 2).transpose(0, 1));
        assertTrue(o.output().allclose(expect, 1e-10, 1e-10));
        assertArrayEquals(new int[]{n, l, s}, o.weights().shape());
        assertEquals(0.0, o.weights().get(0, 0, 3).item(), 0, "masked position has no weight");
        assertTrue(o.weights().sum(2).allclose(Grad4j.ones(new int[]{n, l}, DType.FLOAT64)));
        Tensor kpm = Grad4j.tensor(new boolean[][]{{false, false, false, true}, {true, false, false, false}});
        Tensor wk = mha.forward(q, k, v, kpm, true, null).weights();
        assertEquals(0.0, wk.get(0).select(1, 3).abs().sum().item(), 0);
        assertEquals(0.0, wk.get(1).select(1, 0).abs().sum().item(), 0);
        MultiheadAttention bf = new MultiheadAttention(6, 3, 0.0, true, 6, 6, true);
        Tensor qb = q.transpose(0, 1).toFloat(), kb = k.transpose(0, 1).toFloat();
        assertArrayEquals(new int[]{n, l, 6}, bf.forward(qb, kb, kb, null, false, null).output().shape(), "batch_first");
        assertArrayEquals(new int[]{l, 6}, bf.forward(qb.get(0), kb.get(0), kb.get(0), null, false, null).output().shape(), "unbatched");
    }

    @Test
    void attentionGradientsCheck() {
        MultiheadAttention mha = new MultiheadAttention(4, 2, 0.0, true, 3, 5, false);
        mha.toDouble();
        assertEquals(List.of("q_proj_weight", "k_proj_weight", "v_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"),
                new ArrayList<>(mha.stateDict().keySet()));
        Tensor q = rnd(2, 1, 4).requiresGrad_(), k = rnd(3, 1, 3).requiresGrad_(), v = rnd(3, 1, 5).requiresGrad_();
        assertTrue(GradCheck.gradcheck(in -> mha.forward(in[0], in[1], in[2], null, false, null).output(), q, k, v));
    }

    @Test
    void encoderLayerStructureAndGradients() {
        TransformerEncoderLayer layer = new TransformerEncoderLayer(4, 2, 8, 0.0, "gelu", 1e-5, true, false);
        assertEquals(List.of("self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight", "self_attn.out_proj.bias",
                "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias", "norm1.weight", "norm1.bias", "norm2.weight",
                "norm2.bias"), new ArrayList<>(layer.stateDict().keySet()));
        TransformerEncoder enc = new TransformerEncoder(layer, 2);
        Tensor w0 = enc.stateDict().get("layers.0.linear1.weight"), w1 = enc.stateDict().get("layers.1.linear1.weight");
        assertTrue(w0.equal(w1), "layers start as copies, as PyTorch's deepcopy");
        assertNotSame(enc.layers.get(0), enc.layers.get(1));
        enc.toDouble();
        Tensor x = rnd(2, 3, 4).requiresGrad_();
        assertArrayEquals(new int[]{2, 3, 4}, enc.call(x).shape());
        assertTrue(GradCheck.gradcheck(in -> enc.forward(in[0], null, null, true), x));
        TransformerEncoderLayer pre = new TransformerEncoderLayer(4, 2, 8, 0.0, "relu", 1e-5, false, true);
        pre.toDouble();
        assertTrue(GradCheck.gradcheck(in -> pre.call(in[0]), rnd(3, 2, 4).requiresGrad_()));
    }

    @Test
    void transformerShapesAndCausalMask() {
        Tensor m = Transformer.generateSquareSubsequentMask(3);
        assertEquals("tensor([[0., -inf, -inf],\n        [0., 0., -inf],\n        [0., 0., 0.]])", m.toString());
        Transformer t = new Transformer(8, 2, 1, 1, 16, 0.0, "relu", 1e-5, true, false);
        List<String> keys = new ArrayList<>(t.stateDict().keySet());
        assertTrue(keys.contains("encoder.layers.0.self_attn.in_proj_weight"));
        assertTrue(keys.contains("decoder.layers.0.multihead_attn.out_proj.bias"));
        assertTrue(keys.contains("decoder.norm.weight"));
        Tensor src = Grad4j.randn(2, 5, 8), tgt = Grad4j.randn(2, 4, 8);
        Tensor out = t.forward(src, tgt, null, Transformer.generateSquareSubsequentMask(4), null);
        assertArrayEquals(new int[]{2, 4, 8}, out.shape());
        // causality: changing a later target step does not change earlier outputs
        Tensor tgt2 = tgt.clone();
        tgt2.select(1, 3).fill_(5.0);
        Tensor out2 = t.forward(src, tgt2, null, Transformer.generateSquareSubsequentMask(4), null);
        assertTrue(out.narrow(1, 0, 3).allclose(out2.narrow(1, 0, 3), 1e-5, 1e-5));
        assertFalse(out.narrow(1, 3, 1).allclose(out2.narrow(1, 3, 1), 1e-5, 1e-5));
        out.sum().backward();
        for (Tensor p : t.parameters()) assertNotNull(p.grad());
    }
}
