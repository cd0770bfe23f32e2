package org.grad4j.ops;

import java.util.HashMap;
import java.util.Map;

/**
 * Row name -> the row's libtorch spelling, for every op-table row (a row without one fails
 * {@code OracleTest.everyTableRowHasATorchMapping}, so a new op gets its mapping with it). Each family's
 * mappings live in their own file and mirror the row's grad4j function call for call.
 */
final class TorchMappings {
    private TorchMappings() {}

    private static Map<String, TorchFn> all;

    static synchronized Map<String, TorchFn> all() {
        if (all == null) {
            Map<String, TorchFn> m = new HashMap<>();
            TorchUnaryOps.register(m);
            TorchBinaryOps.register(m);
            TorchReduceOps.register(m);
            TorchShapeOps.register(m);
            TorchLinalgOps.register(m);
            TorchCastOps.register(m);
            TorchNnOps.register(m);
            TorchLossOps.register(m);
            all = m;
        }
        return all;
    }
}
