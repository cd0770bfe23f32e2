package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/** {@code nn.PixelShuffle(upscale_factor)}. */
public class PixelShuffle extends Module {
    public final int upscaleFactor;

    public PixelShuffle(int upscaleFactor) { this.upscaleFactor = upscaleFactor; }

    @Override
    public Tensor forward(Tensor input) { return F.pixelShuffle(input, upscaleFactor); }

    @Override
    protected String extraRepr() { return "upscale_factor=" + upscaleFactor; }
}
