package io.tickwire.client;

import java.util.List;

/**
 * The server's answer to a subscribe or unsubscribe: the streams it applied and the items it
 * refused. Immutable.
 *
 * @param accepted the streams now subscribed (or, for an unsubscribe, no longer subscribed), with
 *                 symbols spelled as the server spells them
 * @param rejected the refused items; empty when everything was applied
 */
public record SubscriptionResult(List<Subscription> accepted, List<Rejection> rejected) {

    /** Copies the lists. */
    public SubscriptionResult {
        accepted = List.copyOf(accepted);
        rejected = List.copyOf(rejected);
    }
}
