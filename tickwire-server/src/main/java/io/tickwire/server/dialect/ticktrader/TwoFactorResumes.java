package io.tickwire.server.dialect.ticktrader;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Resume tokens of verified second factors, by login (Web API id, device, application session):
 * TickTrader's resume request carries no token, so the server keeps the one it granted to that
 * login and a later connection of the same device and application session can resume it.
 *
 * <p>Thread-safe (connections on every event loop); at most {@code capacity} entries, the least
 * recently used go first. In memory only, like the grants themselves.
 */
public final class TwoFactorResumes {

    private final Map<String, String> tokens;

    public TwoFactorResumes(int capacity) {
        this.tokens = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > capacity;
            }
        };
    }

    static String key(String webApiId, String deviceId, String appSessionId) {
        return webApiId + '\u0000' + deviceId + '\u0000' + appSessionId;
    }

    synchronized void put(String key, String resumeToken) {
        tokens.put(key, resumeToken);
    }

    synchronized String get(String key) {
        return tokens.get(key);
    }
}
