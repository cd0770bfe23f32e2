package org.grad4j.nn;

import org.grad4j.Grad4j;
import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/** {@code nn.GroupNorm(num_groups, num_channels, eps=1e-05, affine=True)}. */
public class GroupNorm extends Module {
    public final int numGroups, numChannels;
    public final double eps;
    public final boolean affine;

    public GroupNorm(int numGroups, int numChannels) { this(numGroups, numChannels, 1e-5, true); }

    public GroupNorm(int numGroups, int numChannels, double eps, boolean affine) {
        if (numChannels % numGroups != 0) throw new IllegalArgumentException("num_channels must be divisible by num_groups");
        this.numGroups = numGroups;
        this.numChannels = numChannels;
        this.eps = eps;
        this.affine = affine;
        registerParameter("weight", affine ? Grad4j.ones(numChannels) : null);
        registerParameter("bias", affine ? Grad4j.zeros(numChannels) : null);
    }

    public Tensor weight() { return getParameter("weight"); }

    public Tensor bias() { return getParameter("bias"); }

    @Override
    public Tensor forward(Tensor input) { return F.groupNorm(input, numGroups, weight(), bias(), eps); }

    @Override
    protected String extraRepr() { return numGroups + ", " + numChannels + ", eps=" + pyFloat(eps) + ", affine=" + pyBool(affine); }
}
