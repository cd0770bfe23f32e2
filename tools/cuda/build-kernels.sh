#!/usr/bin/env bash
# Compiles core/src/main/cuda/grad4j_kernels.cu with nvcc (13.x) into the committed resources:
#   core/src/main/resources/org/grad4j/cuda/grad4j_kernels.ptx     PTX text (reading, CPU-side checks)
#   core/src/main/resources/org/grad4j/cuda/grad4j_kernels.fatbin  SASS per architecture + PTX of the newest
#   core/src/main/resources/org/grad4j/cuda/grad4j_kernels.manifest sources' sha256, nvcc version, flags
# Usage: tools/cuda/build-kernels.sh [--ptx-only OUTDIR]   (--ptx-only: what KernelResourcesTest runs)
# Flags: -fmad=false -prec-div=true -prec-sqrt=true keep add/sub/mul/div/sqrt bitwise equal to the
# CPU (docs/cuda.md, "Numbers: CUDA vs CPU").
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
SRC="$ROOT/core/src/main/cuda"
OUT="$ROOT/core/src/main/resources/org/grad4j/cuda"
FLAGS="-std=c++17 -fmad=false -prec-div=true -prec-sqrt=true -ftz=false"
PTX_ARCH=compute_120          # newest compute capability nvcc 13 offers for the forward-compatible PTX
SASS_ARCHS="75 80 86 89 90 100 120"
command -v nvcc >/dev/null || { echo "build-kernels: nvcc not found (install the CUDA toolkit 13.x)" >&2; exit 1; }

ptx() {   # $1: output file
    nvcc $FLAGS -arch=$PTX_ARCH -ptx "$SRC/grad4j_kernels.cu" -o "$1"
}

if [[ "${1:-}" == "--ptx-only" ]]; then
    mkdir -p "$2"
    ptx "$2/grad4j_kernels.ptx"
    exit 0
fi

mkdir -p "$OUT"
ptx "$OUT/grad4j_kernels.ptx"
GENCODE=""
for a in $SASS_ARCHS; do GENCODE="$GENCODE -gencode arch=compute_$a,code=sm_$a"; done
GENCODE="$GENCODE -gencode arch=$PTX_ARCH,code=$PTX_ARCH"
nvcc $FLAGS --compress-mode=size $GENCODE -fatbin "$SRC/grad4j_kernels.cu" -o "$OUT/grad4j_kernels.fatbin"
{
    echo "# written by tools/cuda/build-kernels.sh; KernelResourcesTest compares it with the sources"
    echo "nvcc: $(nvcc --version | tail -1)"
    echo "flags: $FLAGS (fatbin: --compress-mode=size)"
    echo "ptx: $PTX_ARCH"
    echo "sass: $SASS_ARCHS"
    (cd "$SRC" && for f in $(ls | LC_ALL=C sort); do echo "source: $(sha256sum "$f" | cut -d' ' -f1) $f"; done)
} > "$OUT/grad4j_kernels.manifest"
ls -l "$OUT"
