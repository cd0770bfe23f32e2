package org.grad4j.ops;

import org.bytedeco.pytorch.global.torch.ScalarType;

import java.util.Map;

import static org.bytedeco.pytorch.global.torch.*;
import static org.grad4j.ops.Torch.s;

/** libtorch spellings of the Casts, conversions and integer semantics family. */
final class TorchCastOps {
    private TorchCastOps() {}

    static void register(Map<String, TorchFn> m) {
        m.put("to_float32", in -> in[0].to(ScalarType.Float));
        m.put("to_long", in -> in[0].to(ScalarType.Long));
        m.put("to_int", in -> in[0].to(ScalarType.Int));
        m.put("to_bool", in -> in[0].to(ScalarType.Bool));
        m.put("to_float64_grad", in -> in[0].to(ScalarType.Float).to(ScalarType.Double));
        m.put("to_java_array", in -> in[0].detach().to(ScalarType.Double));
        m.put("from_java_array", in -> Torch.f64(new double[]{1, 2, 3, 4}, 2, 2).to(in[0].scalar_type()).sum().add(in[0].sum().mul(s(0L))));
        m.put("int_true_division", in -> div(in[0], in[1]));
        m.put("int_floor_division", in -> floor_divide(in[0], in[1]));
        m.put("int_plus_float_scalar", in -> in[0].add(s(0.5)));
        m.put("bool_plus_int", in -> add(in[0], in[1]));
        m.put("int_pow", in -> pow(in[0], in[1]));
        m.put("int_sum_dtype", in -> sum(in[0]));
    }
}
