package io.tickwire.client;

import io.tickwire.model.Channel;
import java.time.Duration;
import java.util.Set;

/**
 * What the server said about a connection once it was authenticated. Immutable.
 *
 * @param account           the authenticated account
 * @param plan              the account's plan
 * @param sessionId         the server's id of this connection, for support and logs
 * @param serverVersion     the server's version
 * @param heartbeatInterval how often the server sends a heartbeat
 * @param maxSymbols        distinct symbols one connection may subscribe to
 * @param channels          the channels the plan includes
 */
public record SessionInfo(String account, String plan, String sessionId, String serverVersion,
                          Duration heartbeatInterval, int maxSymbols, Set<Channel> channels) {

    /** Copies the set. */
    public SessionInfo {
        channels = Set.copyOf(channels);
    }
}
