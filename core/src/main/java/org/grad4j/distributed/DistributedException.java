package org.grad4j.distributed;

/**
 * A collective or the rendezvous failed: a peer timed out, died or closed its group. The message
 * names this rank, the collective and the peer rank it was waiting for. After one, the group is
 * broken: every later collective fails at once (as NCCL's watchdog aborts a communicator).
 *
 * <pre>{@code
 * try { pg.allReduce(t, ReduceOp.SUM); }
 * catch (DistributedException e) { log(e.getMessage()); System.exit(1); }   // the launcher stops the other ranks
 * }</pre>
 */
public class DistributedException extends RuntimeException {
    public DistributedException(String message) { super(message); }

    public DistributedException(String message, Throwable cause) { super(message, cause); }
}
