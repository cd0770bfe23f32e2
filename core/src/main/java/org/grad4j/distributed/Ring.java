package org.grad4j.distributed;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;

/**
 * The transport under a process group: one TCP connection to the next rank (sent on) and one from
 * the previous rank (received from), both non-blocking under one selector, so a ring step sends
 * and receives at once (two blocking sends would deadlock once the socket buffers fill) and every
 * wait is bounded by the collective's deadline.
 */
final class Ring implements AutoCloseable {
    private static final int MAGIC = 0x67346A31;          // "g4j1"
    private static final int STAGING = 1 << 20;           // bytes per send/receive staging buffer

    final int rank, world;
    private final SocketChannel toNext, fromPrev;
    private final Selector selector;
    private final SelectionKey sendKey, recvKey;
    private final ByteBuffer sendBuf = ByteBuffer.allocateDirect(STAGING).order(ByteOrder.nativeOrder());
    private final ByteBuffer recvBuf = ByteBuffer.allocateDirect(STAGING).order(ByteOrder.nativeOrder());

    private Ring(int rank, int world, SocketChannel toNext, SocketChannel fromPrev) throws IOException {
        this.rank = rank;
        this.world = world;
        this.toNext = toNext;
        this.fromPrev = fromPrev;
        for (SocketChannel c : new SocketChannel[]{toNext, fromPrev}) {
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            c.configureBlocking(false);
        }
        selector = Selector.open();
        sendKey = toNext.register(selector, 0);
        recvKey = fromPrev.register(selector, 0);
    }

    int next() { return (rank + 1) % world; }

    int prev() { return (rank + world - 1) % world; }

    /**
     * Connects rank {@code rank} into the ring: connects to the next rank's listener (retrying while
     * it is not up yet) and accepts the previous rank on {@code listener}, both before {@code deadline}.
     */
    static Ring connect(int rank, List<InetSocketAddress> peers, ServerSocketChannel listener, long deadline) throws IOException {
        int world = peers.size();
        int next = (rank + 1) % world, prev = (rank + world - 1) % world;
        SocketChannel out = null;
        IOException last = null;
        while (out == null) {
            long left = remainingMillis(deadline);
            if (left <= 0) {
                throw new DistributedException("rank " + rank + " of " + world + ": rendezvous timed out: rank " + next + " at "
                        + peers.get(next) + " never accepted a connection (" + (last == null ? "no answer" : last.getMessage())
                        + "). Fix: start every rank, check the address and firewall, or raise the timeout (ProcessGroup.Options.timeout)");
            }
            SocketChannel c = SocketChannel.open();
            try {
                c.socket().connect(peers.get(next), (int) Math.min(left, Integer.MAX_VALUE));
                c.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
                DataOutputStream o = new DataOutputStream(c.socket().getOutputStream());
                o.writeInt(MAGIC);
                o.writeInt(rank);
                o.flush();
                out = c;
            } catch (ConnectException | SocketTimeoutException e) {
                last = e;
                c.close();
                sleepQuietly(Math.min(50, Math.max(1, remainingMillis(deadline))));
            } catch (IOException e) {
                c.close();
                throw e;
            }
        }
        SocketChannel in = null;
        while (in == null) {
            long left = remainingMillis(deadline);
            if (left <= 0) {
                out.close();
                throw new DistributedException("rank " + rank + " of " + world + ": rendezvous timed out: rank " + prev
                        + " never connected. Fix: start every rank (a rank that never joins fails the others after the timeout)");
            }
            listener.socket().setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
            Socket s;
            try {
                s = listener.socket().accept();
            } catch (SocketTimeoutException e) {
                continue;
            }
            SocketChannel c = s.getChannel();
            try {
                s.setSoTimeout((int) Math.max(1, Math.min(remainingMillis(deadline), Integer.MAX_VALUE)));
                c.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
                DataInputStream i = new DataInputStream(s.getInputStream());
                if (i.readInt() == MAGIC && i.readInt() == prev) in = c;
                else c.close();                     // a stray or stale connection: keep waiting for the real one
            } catch (IOException e) {
                c.close();
            }
        }
        return new Ring(rank, world, out, in);
    }

    /**
     * One ring step: sends {@code sCount} elements of {@code send} from {@code sAt} to the next rank
     * while receiving {@code rCount} elements from the previous one into {@code recv} at {@code rAt}
     * (copied when {@code op} is null, else combined). Either side may be empty.
     */
    void exchange(Flat send, int sAt, int sCount, Flat recv, int rAt, int rCount, ReduceOp op, long deadline, String what) {
        int sent = 0, got = 0;
        int rEb = recv == null ? 1 : recv.elementBytes();
        sendBuf.clear().flip();
        recvBuf.clear();
        try {
            while (sent < sCount || sendBuf.hasRemaining() || got < rCount) {
                boolean progress = false;
                if (!sendBuf.hasRemaining() && sent < sCount) {
                    sendBuf.clear();
                    int n = Math.min(sCount - sent, STAGING / send.elementBytes());
                    send.put(sendBuf, sAt + sent, n);
                    sendBuf.flip();
                    sent += n;
                }
                if (sendBuf.hasRemaining() && toNext.write(sendBuf) > 0) progress = true;
                if (got < rCount) {
                    // never read past this step's bytes: the next collective's may already be arriving.
                    // need counts the partial element already buffered (position) too
                    long need = (long) (rCount - got) * rEb;
                    recvBuf.limit((int) Math.min(recvBuf.capacity(), need));
                    int r = fromPrev.read(recvBuf);
                    if (r < 0) throw new DistributedException(what + ": rank " + prev() + " closed the connection (it died, failed or closed its group)");
                    if (r > 0) progress = true;
                    recvBuf.flip();
                    int n = Math.min(recvBuf.remaining() / rEb, rCount - got);
                    if (n > 0) {
                        recv.take(recvBuf, rAt + got, n, op);
                        got += n;
                    }
                    recvBuf.compact();
                }
                if (!progress) {
                    long left = remainingMillis(deadline);
                    if (left <= 0) {
                        boolean recvWait = got < rCount;
                        throw new DistributedException(what + " timed out waiting for rank " + (recvWait ? prev() : next())
                                + (recvWait ? " (received " + got + " of " + rCount + " elements)" : " (it is not receiving)")
                                + ". Fix: that rank hangs, died or runs a different collective; raise ProcessGroup.Options.timeout if it is only slow");
                    }
                    sendKey.interestOps(sendBuf.hasRemaining() ? SelectionKey.OP_WRITE : 0);
                    recvKey.interestOps(got < rCount ? SelectionKey.OP_READ : 0);
                    selector.select(Math.min(left, 1000));
                    selector.selectedKeys().clear();
                }
            }
        } catch (IOException e) {
            throw new DistributedException(what + ": connection to rank " + prev() + " or " + next() + " failed: " + e.getMessage()
                    + " (a peer died or closed its group)", e);
        }
    }

    static long remainingMillis(long deadlineNanos) { return (deadlineNanos - System.nanoTime()) / 1_000_000L; }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DistributedException("interrupted during rendezvous", e);
        }
    }

    @Override
    public void close() {
        for (AutoCloseable c : new AutoCloseable[]{selector, toNext, fromPrev}) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing a broken connection: nothing left to do
            }
        }
    }
}
