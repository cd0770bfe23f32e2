package org.grad4j.ops;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.StringViewOptional;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.util.Map;

import static org.bytedeco.pytorch.global.torch.*;
import static org.grad4j.ops.Torch.opt;
import static org.grad4j.ops.Torch.s;

/** libtorch spellings of the Binary family. */
final class TorchBinaryOps {
    private TorchBinaryOps() {}

    // the rounding modes' bytes must outlive every call (a StringViewOptional made from a Java String does not keep them)
    private static final BytePointer TRUNC = new BytePointer("trunc"), FLOOR = new BytePointer("floor");

    static void register(Map<String, TorchFn> m) {
        m.put("add", in -> add(in[0], in[1]));
        m.put("add_alpha", in -> add(in[0], in[1], s(2.5)));
        m.put("sub", in -> sub(in[0], in[1]));
        m.put("rsub", in -> rsub(in[0], s(3.0)).add(in[1]));
        m.put("mul", in -> mul(in[0], in[1]));
        m.put("div", in -> div(in[0], in[1]));
        m.put("div_trunc", in -> div(in[0], in[1], new StringViewOptional(TRUNC)));
        m.put("div_floor", in -> div(in[0], in[1], new StringViewOptional(FLOOR)));
        m.put("pow", in -> pow(in[0], in[1]));
        m.put("pow_scalar", in -> pow(in[0], s(2.5)));
        m.put("rpow", in -> pow(s(1.5), in[0]));
        m.put("atan2", in -> atan2(in[0], in[1]));
        m.put("logaddexp", in -> logaddexp(in[0], in[1]));
        m.put("maximum", in -> maximum(in[0], in[1]));
        m.put("minimum", in -> minimum(in[0], in[1]));
        m.put("fmod", in -> fmod(in[0], in[1]));
        m.put("remainder", in -> remainder(in[0], in[1]));
        m.put("lerp", in -> lerp(in[0], in[1], s(0.3)));
        m.put("lerp_tensor", in -> lerp(in[0], in[1], in[2]));
        m.put("clamp_tensor", in -> clamp(in[0].mul(s(3.0)), opt(in[1].sub(s(2.5))), opt(in[2].add(s(2.5)))));
        m.put("where", in -> where(in[0], in[1], in[2]));
        m.put("eq", in -> eq(in[0], in[1]));
        m.put("ne", in -> ne(in[0], in[1]));
        m.put("lt", in -> lt(in[0], in[1]));
        m.put("le", in -> le(in[0], in[1]));
        m.put("gt", in -> gt(in[0], in[1]));
        m.put("ge", in -> ge(in[0], in[1]));
        m.put("logical_and", in -> logical_and(in[0], in[1]));
        m.put("logical_or", in -> logical_or(in[0], in[1]));
        m.put("logical_xor", in -> logical_xor(in[0], in[1]));
        m.put("allclose", in -> Torch.bools(allclose(in[0], in[1], 1e-5, 1e-8, false)).squeeze());
        m.put("equal", in -> Torch.bools(equal(in[0], in[1])).squeeze());
        m.put("to_dtype", in -> in[0].to(ScalarType.Double));
    }
}
