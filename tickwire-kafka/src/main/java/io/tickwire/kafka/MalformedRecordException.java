package io.tickwire.kafka;

/** A record on the cluster topic that this build cannot read; the message says why. */
public final class MalformedRecordException extends RuntimeException {

    MalformedRecordException(String reason) {
        super(reason);
    }
}
