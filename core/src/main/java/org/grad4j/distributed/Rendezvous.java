package org.grad4j.distributed;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * torchrun's rendezvous reduced to one exchange: rank 0 listens on MASTER_ADDR:MASTER_PORT, every
 * other rank connects and tells its rank and ring port; rank 0 answers everyone with the full list
 * of {@code host:port} (the host as rank 0 saw the connection come from).
 */
final class Rendezvous {
    private Rendezvous() {}

    static List<String> exchange(int rank, int world, String masterAddr, int masterPort, ProcessGroup.Listener own, long deadline)
            throws IOException {
        int ownPort = own.channel.socket().getLocalPort();
        return rank == 0 ? serve(world, masterAddr, masterPort, ownPort, deadline) : join(rank, world, masterAddr, masterPort, ownPort, deadline);
    }

    private static List<String> serve(int world, String masterAddr, int masterPort, int ownPort, long deadline) throws IOException {
        String[] addrs = new String[world];
        addrs[0] = ProcessGroup.hostPort(masterAddr.equals("localhost") ? "127.0.0.1" : masterAddr, ownPort);
        Socket[] socks = new Socket[world];
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.socket().setReuseAddress(true);
            server.bind(new InetSocketAddress(masterPort), world);
            int joined = 1;
            while (joined < world) {
                long left = Ring.remainingMillis(deadline);
                if (left <= 0) {
                    List<Integer> absent = new ArrayList<>();
                    for (int r = 1; r < world; r++) if (socks[r] == null) absent.add(r);
                    throw new DistributedException("rank 0 of " + world + ": rendezvous timed out on port " + masterPort + ": rank(s) "
                            + absent + " never joined. Fix: start every rank, or raise the timeout (ProcessGroup.Options.timeout)");
                }
                server.socket().setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
                Socket s;
                try {
                    s = server.socket().accept();
                } catch (SocketTimeoutException e) {
                    continue;
                }
                s.setSoTimeout((int) Math.max(1, Math.min(Ring.remainingMillis(deadline), Integer.MAX_VALUE)));
                DataInputStream in = new DataInputStream(s.getInputStream());
                int r = in.readInt(), w = in.readInt(), port = in.readInt();
                if (w != world || r <= 0 || r >= world || socks[r] != null) {
                    s.close();
                    throw new DistributedException("rank 0 of " + world + ": rendezvous got rank " + r + " of world size " + w
                            + ". Fix: give every rank the same WORLD_SIZE and distinct RANKs in [0, WORLD_SIZE)");
                }
                socks[r] = s;
                addrs[r] = ProcessGroup.hostPort(s.getInetAddress().getHostAddress(), port);
                joined++;
            }
            for (int r = 1; r < world; r++) {
                DataOutputStream out = new DataOutputStream(socks[r].getOutputStream());
                for (String a : addrs) out.writeUTF(a);
                out.flush();
            }
        } finally {
            for (Socket s : socks) if (s != null) s.close();
        }
        return Arrays.asList(addrs);
    }

    private static List<String> join(int rank, int world, String masterAddr, int masterPort, int ownPort, long deadline) throws IOException {
        IOException last = null;
        while (true) {
            long left = Ring.remainingMillis(deadline);
            if (left <= 0) {
                throw new DistributedException("rank " + rank + " of " + world + ": rendezvous timed out: rank 0 at " + masterAddr + ":"
                        + masterPort + " did not answer (" + (last == null ? "no answer" : last.getMessage())
                        + "). Fix: start rank 0 with the same MASTER_ADDR/MASTER_PORT, or raise the timeout");
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(masterAddr, masterPort), (int) Math.min(left, Integer.MAX_VALUE));
                s.setSoTimeout((int) Math.max(1, Math.min(Ring.remainingMillis(deadline), Integer.MAX_VALUE)));
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                out.writeInt(rank);
                out.writeInt(world);
                out.writeInt(ownPort);
                out.flush();
                DataInputStream in = new DataInputStream(s.getInputStream());
                List<String> addrs = new ArrayList<>();
                for (int r = 0; r < world; r++) addrs.add(in.readUTF());
                return addrs;
            } catch (ConnectException e) {
                last = e;
                try {
                    Thread.sleep(Math.max(1, Math.min(100, Ring.remainingMillis(deadline))));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new DistributedException("interrupted during rendezvous", ie);
                }
            } catch (SocketTimeoutException e) {
                throw new DistributedException("rank " + rank + " of " + world + ": rendezvous timed out waiting for rank 0 at "
                        + masterAddr + ":" + masterPort + " to hand out the addresses (some rank never joined). Fix: start every rank", e);
            }
        }
    }
}
