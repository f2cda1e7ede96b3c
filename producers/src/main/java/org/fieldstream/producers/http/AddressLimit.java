package org.fieldstream.producers.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.jetty.io.Connection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At most {@code http.max.connections.per.address} connections from one client address at once: a
 * connection beyond is closed as soon as it is opened, so one client cannot hold the connections
 * {@code http.max.connections} allows all of them. (Jetty's connection limits are global only.)
 */
final class AddressLimit implements Connection.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(AddressLimit.class);

    private final int maxPerAddress;
    private final Map<InetAddress, Integer> open = new ConcurrentHashMap<>();
    /** Each counted connection's address, as it was when opened (a closed channel has none). */
    private final Map<Connection, InetAddress> addresses = new ConcurrentHashMap<>();

    AddressLimit(int maxPerAddress) {
        this.maxPerAddress = maxPerAddress;
    }

    @Override
    public void onOpened(Connection connection) {
        InetAddress address = address(connection);
        if (address == null) {
            return;
        }
        addresses.put(connection, address);
        if (open.merge(address, 1, Integer::sum) > maxPerAddress) {
            LOG.debug("closing a connection past the limit of {} from one address", maxPerAddress);
            connection.getEndPoint().close();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        InetAddress address = addresses.remove(connection);
        if (address != null) {
            open.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
        }
    }

    private static InetAddress address(Connection connection) {
        SocketAddress remote = connection.getEndPoint().getRemoteSocketAddress();
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
