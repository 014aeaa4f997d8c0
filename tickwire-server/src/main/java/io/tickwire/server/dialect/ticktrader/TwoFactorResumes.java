package io.tickwire.server.dialect.ticktrader;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Resume tokens of verified second factors, by login (Web API id, device, application session)
 * and the address that gave the one-time password.
 *
 * <p>TickTrader's resume request carries no token (seed 004: {@code {"Request":"TwoFactor"}} with
 * no params), so the server keeps the one it granted and hands it to a later login that names
 * the same device and application session. Those ids are chosen by the client and sent in clear,
 * and a first factor alone must never pass for two: so a grant is only kept for a login that names
 * both a device and an application session (never for missing or empty ids), and it only resumes
 * from the address that gave the one-time password. Anything else must give a one-time password.
 *
 * <p>Thread-safe (connections on every event loop); at most {@code capacity} entries, the least
 * recently used go first. In memory only, like the grants themselves.
 */
public final class TwoFactorResumes {

    private record Held(String resumeToken, String address) {
    }

    private final Map<String, Held> tokens;

    public TwoFactorResumes(int capacity) {
        this.tokens = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Held> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * The key a login's grant is kept under, or {@code null} when the login names no device or no
     * application session: such a login can neither leave a grant behind nor resume one.
     */
    static String key(String webApiId, String deviceId, String appSessionId) {
        if (deviceId == null || deviceId.isBlank() || appSessionId == null || appSessionId.isBlank()) {
            return null;
        }
        return webApiId + '\u0000' + deviceId + '\u0000' + appSessionId;
    }

    /** Keeps the grant verified from {@code address} for the login {@code key} (a {@code null} key keeps nothing). */
    synchronized void put(String key, String resumeToken, String address) {
        if (key != null) {
            tokens.put(key, new Held(resumeToken, address));
        }
    }

    /** The token to resume the login {@code key} from {@code address}, or {@code null} if none may be resumed from there. */
    synchronized String get(String key, String address) {
        Held held = key == null ? null : tokens.get(key);
        return held != null && held.address().equals(address) ? held.resumeToken() : null;
    }
}
