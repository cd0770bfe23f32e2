// The one translation unit nvcc compiles (tools/cuda/build-kernels.sh): one PTX, one fatbin.
#include "elementwise.cu"
#include "reduce.cu"
#include "softmax.cu"
#include "gemm.cu"
#include "conv_pool.cu"
#include "nn.cu"
#include "index.cu"
#include "random.cu"
