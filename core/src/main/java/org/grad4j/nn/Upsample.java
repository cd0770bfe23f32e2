package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/** {@code nn.Upsample(size=None, scale_factor=None, mode='nearest', align_corners=None)}. */
public class Upsample extends Module {
    public final int[] size;
    public final Double scaleFactor;
    public final String mode;
    public final Boolean alignCorners;

    /** By a scale factor. */
    public Upsample(double scaleFactor, String mode, Boolean alignCorners) {
        this.size = null;
        this.scaleFactor = scaleFactor;
        this.mode = mode;
        this.alignCorners = alignCorners;
    }

    public Upsample(double scaleFactor) { this(scaleFactor, "nearest", null); }

    /** To a fixed size. */
    public Upsample(int[] size, String mode, Boolean alignCorners) {
        this.size = size.clone();
        this.scaleFactor = null;
        this.mode = mode;
        this.alignCorners = alignCorners;
    }

    @Override
    public Tensor forward(Tensor input) {
        return size != null ? F.interpolate(input, size, mode, alignCorners) : F.interpolate(input, scaleFactor, mode, alignCorners);
    }

    @Override
    protected String extraRepr() {
        String s = scaleFactor != null ? "scale_factor=" + pyFloat(scaleFactor) : "size=" + tuple(size);
        return s + ", mode='" + mode + "'";
    }
}
