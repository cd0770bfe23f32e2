package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/** {@code nn.ZeroPad2d(padding)}: padding (left, right, top, bottom), or one value for all sides. */
public class ZeroPad2d extends Module {
    public final int[] padding;

    public ZeroPad2d(int padding) { this(padding, padding, padding, padding); }

    public ZeroPad2d(int left, int right, int top, int bottom) { this.padding = new int[]{left, right, top, bottom}; }

    @Override
    public Tensor forward(Tensor input) { return F.pad(input, padding); }

    @Override
    protected String extraRepr() { return tuple(padding); }
}
