package io.tickwire.server.session;

import io.tickwire.auth.Account;
import io.tickwire.model.Channel;
import io.tickwire.model.Instrument;
import io.tickwire.protocol.ErrorCode;
import java.util.List;

/**
 * What a session operation decided, for a protocol handler to put into its own wire words.
 * Protocol-neutral: the native protocol and every dialect answer from the same outcomes.
 */
public sealed interface SessionOutcome {

    /** The operation was refused as a whole; nothing changed. {@code limit} is -1 unless the code names one. */
    record Refused(ErrorCode code, String message, long limit) implements SessionOutcome {
        Refused(ErrorCode code, String message) {
            this(code, message, -1);
        }
    }

    /** Authentication succeeded. */
    record Authenticated(Account account) implements SessionOutcome {
    }

    /**
     * One stream of a request: a known instrument on a channel, with the stream's key (which
     * {@link io.tickwire.engine.StreamKey} reads for depth, period, price type and throttle).
     */
    record Stream(Instrument instrument, Channel channel, long streamKey) {
    }

    /** One refused item of a request; {@code channel} is null when the whole symbol is meant. */
    record Rejected(String symbol, Channel channel, ErrorCode code, String message) {
    }

    /**
     * A subscribe or unsubscribe was carried out for {@code streams} (including ones that were
     * already in the requested state: both are idempotent) and refused for {@code rejected}.
     */
    record Applied(List<Stream> streams, List<Instrument> instruments, List<Rejected> rejected) implements SessionOutcome {
    }
}
