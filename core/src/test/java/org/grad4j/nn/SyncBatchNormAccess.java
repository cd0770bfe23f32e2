package org.grad4j.nn;

/** Test access to SyncBatchNorm's package-private switch. */
public final class SyncBatchNormAccess {
    private SyncBatchNormAccess() {}

    public static void forceSync(SyncBatchNorm s) { s.forceSync = true; }
}
