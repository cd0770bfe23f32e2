package org.grad4j.bench;

import org.grad4j.Tensor;
import org.grad4j.autograd.Autograd;
import org.grad4j.autograd.Function;
import org.grad4j.autograd.FunctionCtx;
import org.grad4j.kernels.NnKernels;

import java.util.ArrayList;
import java.util.List;

import static org.grad4j.Grad4j.*;

/**
 * The few layers the mlp and lenet workloads need, written with grad4j's existing ops and kernels
 * (float32 only). TODO(lead): once org.grad4j.nn (Linear, conv2d, max_pool2d, cross_entropy)
 * and org.grad4j.optim.SGD are merged, switch the workloads to them and delete this class.
 */
final class BenchNn {
    private BenchNn() {}

    /** Parameters of a model, in registration order. */
    static final class Params {
        final List<Tensor> list = new ArrayList<>();

        Tensor add(Tensor p) {
            list.add(p.requiresGrad_());
            return p;
        }
    }

    /** nn.Linear's default init: weight and bias ~ U(-1/sqrt(in), 1/sqrt(in)). */
    static Tensor[] linear(Params ps, int in, int out) {
        double bound = 1.0 / Math.sqrt(in);
        Tensor w = rand(out, in).mul(2 * bound).sub(bound);
        Tensor b = rand(out).mul(2 * bound).sub(bound);
        return new Tensor[]{ps.add(w), ps.add(b)};
    }

    static Tensor linearForward(Tensor x, Tensor[] wb) {
        return x.matmul(wb[0].t()).add(wb[1]);
    }

    /** Conv2d weights [out, in, k, k] with nn.Conv2d's default init bound 1/sqrt(in*k*k). */
    static Tensor[] conv(Params ps, int in, int out, int k) {
        double bound = 1.0 / Math.sqrt(in * k * k);
        Tensor w = rand(out, in, k, k).mul(2 * bound).sub(bound);
        Tensor b = rand(out).mul(2 * bound).sub(bound);
        return new Tensor[]{ps.add(w), ps.add(b)};
    }

    /** SGD(lr, momentum) with PyTorch's update rule (dampening 0, no weight decay, no nesterov). */
    static final class Sgd {
        final List<Tensor> params;
        final double lr, momentum;
        final Tensor[] bufs;

        Sgd(List<Tensor> params, double lr, double momentum) {
            this.params = params;
            this.lr = lr;
            this.momentum = momentum;
            this.bufs = new Tensor[params.size()];
        }

        void zeroGrad() {
            for (Tensor p : params) p.setGrad(null);
        }

        void step() {
            try (var g = Autograd.noGrad()) {
                for (int i = 0; i < bufs.length; i++) {
                    Tensor p = params.get(i), d = p.gradNoWarn();
                    if (d == null) continue;
                    if (bufs[i] == null) bufs[i] = d.clone();
                    else bufs[i].mul_(momentum).add_(d);
                    p.add_(bufs[i], -lr);
                }
            }
        }
    }

    /** cross_entropy(logits [N, C], target int64 [N]), mean reduction; backward (softmax - onehot) / N. */
    static final class CrossEntropy extends Function {
        @Override
        protected Tensor forward(FunctionCtx ctx, Tensor... in) {
            Tensor x = in[0].contiguous();
            int n = x.size(0), c = x.size(1);
            float[] v = x.storage().f32();
            int xo = x.storageOffset();
            long[] y = in[1].contiguous().toLongArray();
            float[] prob = new float[n * c];
            double loss = 0;
            for (int i = 0; i < n; i++) {
                double mx = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < c; j++) mx = Math.max(mx, v[xo + i * c + j]);
                double s = 0;
                for (int j = 0; j < c; j++) s += Math.exp(v[xo + i * c + j] - mx);
                double lse = mx + Math.log(s);
                for (int j = 0; j < c; j++) prob[i * c + j] = (float) Math.exp(v[xo + i * c + j] - lse);
                loss -= v[xo + i * c + (int) y[i]] - lse;
            }
            ctx.put("prob", prob);
            ctx.put("y", y);
            return scalarTensor(loss / n, org.grad4j.DType.FLOAT32);
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) {
            float[] prob = ((float[]) ctx.get("prob")).clone();
            long[] y = ctx.get("y");
            int n = y.length, c = prob.length / n;
            float s = (float) (g[0].item() / n);
            for (int i = 0; i < n; i++) {
                prob[i * c + (int) y[i]] -= 1f;
                for (int j = 0; j < c; j++) prob[i * c + j] *= s;
            }
            return new Tensor[]{fromArray(prob, n, c), null};
        }
    }

    static NnKernels.Window window(int[] s, int k, int stride, int pad) {
        int oh = (s[2] + 2 * pad - k) / stride + 1, ow = (s[3] + 2 * pad - k) / stride + 1;
        return new NnKernels.Window(s[0], s[1], s[2], s[3], k, k, stride, stride, pad, pad, 1, 1, oh, ow);
    }

    /** conv2d(x, w, b) with stride 1 through im2col + one GEMM for the batch. */
    static final class Conv2d extends Function {
        final int pad;

        Conv2d(int pad) { this.pad = pad; }

        @Override
        protected Tensor forward(FunctionCtx ctx, Tensor... in) {
            Tensor x = in[0].contiguous(), w = in[1], b = in[2];
            int o = w.size(0), k = w.size(2);
            NnKernels.Window g = window(x.shape(), k, 1, pad);
            float[] cols = new float[g.cols() * g.positions()];
            NnKernels.im2col(x.storage().f32(), cols, g);
            Tensor colT = fromArray(cols, g.cols(), g.positions());
            Tensor out = w.reshape(o, -1).mm(colT).add(b.reshape(o, 1));          // [O, N*L]
            ctx.put("cols", colT);
            ctx.put("g", g);
            ctx.saveForBackward(w);
            return out.reshape(o, g.n(), g.oh(), g.ow()).permute(1, 0, 2, 3).contiguous();
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... grad) {
            Tensor w = ctx.savedTensors()[0];
            Tensor colT = ctx.get("cols");
            NnKernels.Window g = ctx.get("g");
            int o = w.size(0);
            Tensor gm = grad[0].permute(1, 0, 2, 3).reshape(o, -1);                // [O, N*L]
            Tensor gw = gm.mm(colT.t()).reshape(w.shape());
            Tensor gb = gm.sum(1);
            Tensor gx = null;
            if (ctx.needsInputGrad(0)) {
                Tensor gcols = w.reshape(o, -1).t().mm(gm).contiguous();
                float[] img = new float[g.n() * g.c() * g.h() * g.w()];
                NnKernels.col2im(gcols.storage().f32(), img, g);
                gx = fromArray(img, g.n(), g.c(), g.h(), g.w());
            }
            return new Tensor[]{gx, gw, gb};
        }
    }

    /** max_pool2d(x, 2) (kernel 2, stride 2) with indices for the backward scatter. */
    static final class MaxPool2 extends Function {
        @Override
        protected Tensor forward(FunctionCtx ctx, Tensor... in) {
            Tensor x = in[0].contiguous();
            int[] s = x.shape();
            NnKernels.Window g = window(s, 2, 2, 0);
            int planes = s[0] * s[1];
            float[] out = new float[planes * g.oh() * g.ow()];
            long[] idx = new long[out.length];
            NnKernels.maxPool2d(x.storage().f32(), out, idx, planes, g);
            ctx.put("idx", idx);
            ctx.put("shape", s);
            return fromArray(out, s[0], s[1], g.oh(), g.ow());
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... grad) {
            long[] idx = ctx.get("idx");
            int[] s = ctx.get("shape");
            Tensor go = grad[0].contiguous();
            float[] gv = go.storage().f32();
            int off = go.storageOffset();
            int hw = s[2] * s[3], l = idx.length / (s[0] * s[1]);
            float[] gx = new float[s[0] * s[1] * hw];
            for (int i = 0; i < idx.length; i++) gx[(i / l) * hw + (int) idx[i]] += gv[off + i];
            return new Tensor[]{fromArray(gx, s)};
        }
    }
}
