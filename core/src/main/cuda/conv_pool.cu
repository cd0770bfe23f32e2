// im2col / col2im for convolution and 2-d max/avg pooling, over contiguous [N, C, H, W] inputs with
// the window geometry in a Window2d. Backward passes gather (each input element sums the windows
// that cover it, kernel offsets in ascending order) instead of scattering with atomics: no
// atomicAdd, so they are deterministic.
#include "grad4j_common.cuh"

// col: [N, C*kh*kw, outH*outW]; padding reads as 0
template <typename T>
__device__ void g4_im2col(T* col, const T* im, Window2d w, long long batch) {
    long long L = (long long)w.outH * w.outW, rowsPerImage = (long long)w.channels * w.kh * w.kw;
    G4_FOR(t, batch * rowsPerImage * L) {
        long long l = t % L, r = (t / L) % rowsPerImage, n = t / (L * rowsPerImage);
        int kj = (int)(r % w.kw), ki = (int)((r / w.kw) % w.kh), c = (int)(r / ((long long)w.kw * w.kh));
        int oh = (int)(l / w.outW), ow = (int)(l % w.outW);
        int h = oh * w.sh - w.ph + ki * w.dh, x = ow * w.sw - w.pw + kj * w.dw;
        col[t] = (h >= 0 && h < w.height && x >= 0 && x < w.width)
            ? im[((n * w.channels + c) * w.height + h) * w.width + x] : (T)0;
    }
}
// im[n, c, h, x] = sum over the (ki, kj) whose window position lands on (h, x), ki then kj ascending
template <typename T>
__device__ void g4_col2im(T* im, const T* col, Window2d w, long long batch) {
    long long L = (long long)w.outH * w.outW, rowsPerImage = (long long)w.channels * w.kh * w.kw;
    long long plane = (long long)w.height * w.width;
    G4_FOR(t, batch * w.channels * plane) {
        int x = (int)(t % w.width), h = (int)((t / w.width) % w.height);
        long long nc = t / plane;
        int c = (int)(nc % w.channels);
        long long n = nc / w.channels;
        T acc = 0;
        for (int ki = 0; ki < w.kh; ki++) {
            int hh = h + w.ph - ki * w.dh;
            if (hh < 0 || hh % w.sh != 0 || hh / w.sh >= w.outH) continue;
            for (int kj = 0; kj < w.kw; kj++) {
                int xx = x + w.pw - kj * w.dw;
                if (xx < 0 || xx % w.sw != 0 || xx / w.sw >= w.outW) continue;
                long long r = ((long long)c * w.kh + ki) * w.kw + kj;
                acc = acc + col[(n * rowsPerImage + r) * L + (long long)(hh / w.sh) * w.outW + xx / w.sw];
            }
        }
        im[t] = acc;
    }
}

// max pool: out and indices [planes, outH, outW]; the index is h*W + x within the plane, PyTorch's
// rule: a later element wins when greater or NaN (so a window holding NaN yields its last NaN).
template <typename T>
__device__ void g4_maxpool_fwd(T* out, long long* idx, const T* in, Window2d w, long long planes) {
    long long L = (long long)w.outH * w.outW;
    G4_FOR(t, planes * L) {
        long long p = t / L;
        int oh = (int)((t % L) / w.outW), ow = (int)(t % w.outW);
        const T* x = in + p * w.height * w.width;
        int h0 = oh * w.sh - w.ph, w0 = ow * w.sw - w.pw;
        T best = -(T)__longlong_as_double(0x7ff0000000000000LL);
        long long bi = -1;
        for (int i = 0; i < w.kh; i++) {
            int h = h0 + i * w.dh;
            if (h < 0 || h >= w.height) continue;
            for (int j = 0; j < w.kw; j++) {
                int xx = w0 + j * w.dw;
                if (xx < 0 || xx >= w.width) continue;
                T v = x[(long long)h * w.width + xx];
                if (bi < 0 || v > best || v != v) { best = v; bi = (long long)h * w.width + xx; }
            }
        }
        out[t] = best;
        idx[t] = bi;
    }
}
template <typename T>
__device__ void g4_maxpool_bwd(T* gin, const T* gout, const long long* idx, Window2d w, long long planes) {
    long long plane = (long long)w.height * w.width, L = (long long)w.outH * w.outW;
    G4_FOR(t, planes * plane) {
        long long p = t / plane, me = t % plane;
        int h = (int)(me / w.width), x = (int)(me % w.width);
        T acc = 0;
        for (int i = 0; i < w.kh; i++) {
            int hh = h + w.ph - i * w.dh;
            if (hh < 0 || hh % w.sh != 0 || hh / w.sh >= w.outH) continue;
            for (int j = 0; j < w.kw; j++) {
                int xx = x + w.pw - j * w.dw;
                if (xx < 0 || xx % w.sw != 0 || xx / w.sw >= w.outW) continue;
                long long o = p * L + (long long)(hh / w.sh) * w.outW + xx / w.sw;
                if (idx[o] == me) acc = acc + gout[o];
            }
        }
        gin[t] = acc;
    }
}

// avg pool (no dilation): PyTorch's divisor: divisorOverride if non-zero, else the window size
// clipped to the padded input (countIncludePad) or to the input
__device__ __forceinline__ int g4_avg_divisor(const Window2d& w, int oh, int ow, int* hs, int* he, int* ws, int* we) {
    int h0 = oh * w.sh - w.ph, x0 = ow * w.sw - w.pw;
    int h1 = min(h0 + w.kh, w.height + w.ph), x1 = min(x0 + w.kw, w.width + w.pw);
    int poolSize = (h1 - h0) * (x1 - x0);
    h0 = max(h0, 0); x0 = max(x0, 0); h1 = min(h1, w.height); x1 = min(x1, w.width);
    *hs = h0; *he = h1; *ws = x0; *we = x1;
    if (w.divisorOverride) return w.divisorOverride;
    return w.countIncludePad ? poolSize : (h1 - h0) * (x1 - x0);
}
template <typename T>
__device__ void g4_avgpool_fwd(T* out, const T* in, Window2d w, long long planes) {
    long long L = (long long)w.outH * w.outW;
    G4_FOR(t, planes * L) {
        long long p = t / L;
        int oh = (int)((t % L) / w.outW), ow = (int)(t % w.outW), hs, he, ws, we;
        int div = g4_avg_divisor(w, oh, ow, &hs, &he, &ws, &we);
        const T* x = in + p * w.height * w.width;
        T acc = 0;
        for (int h = hs; h < he; h++)
            for (int xx = ws; xx < we; xx++) acc = acc + x[(long long)h * w.width + xx];
        out[t] = acc / (T)div;
    }
}
template <typename T>
__device__ void g4_avgpool_bwd(T* gin, const T* gout, Window2d w, long long planes) {
    long long plane = (long long)w.height * w.width, L = (long long)w.outH * w.outW;
    G4_FOR(t, planes * plane) {
        long long p = t / plane, me = t % plane;
        int h = (int)(me / w.width), x = (int)(me % w.width);
        T acc = 0;
        for (int i = 0; i < w.kh; i++) {
            int hh = h + w.ph - i;
            if (hh < 0 || hh % w.sh != 0 || hh / w.sh >= w.outH) continue;
            for (int j = 0; j < w.kw; j++) {
                int xx = x + w.pw - j;
                if (xx < 0 || xx % w.sw != 0 || xx / w.sw >= w.outW) continue;
                int oh = hh / w.sh, ow = xx / w.sw, hs, he, ws, we;
                int div = g4_avg_divisor(w, oh, ow, &hs, &he, &ws, &we);
                if (h < hs || h >= he || x < ws || x >= we) continue;
                acc = acc + gout[p * L + (long long)oh * w.outW + ow] / (T)div;
            }
        }
        gin[t] = acc;
    }
}

#define G4_CONV_POOL(tn, T) \
    G4_KERNEL g4_im2col_##tn(T* col, const T* im, Window2d w, long long batch) { g4_im2col<T>(col, im, w, batch); } \
    G4_KERNEL g4_col2im_##tn(T* im, const T* col, Window2d w, long long batch) { g4_col2im<T>(im, col, w, batch); } \
    G4_KERNEL g4_maxpool2d_fwd_##tn(T* out, long long* idx, const T* in, Window2d w, long long planes) { \
        g4_maxpool_fwd<T>(out, idx, in, w, planes); } \
    G4_KERNEL g4_maxpool2d_bwd_##tn(T* gin, const T* gout, const long long* idx, Window2d w, long long planes) { \
        g4_maxpool_bwd<T>(gin, gout, idx, w, planes); } \
    G4_KERNEL g4_avgpool2d_fwd_##tn(T* out, const T* in, Window2d w, long long planes) { g4_avgpool_fwd<T>(out, in, w, planes); } \
    G4_KERNEL g4_avgpool2d_bwd_##tn(T* gin, const T* gout, Window2d w, long long planes) { g4_avgpool_bwd<T>(gin, gout, w, planes); }
G4_FLOATS(G4_CONV_POOL)
