package io.tickwire.auth;

/** What happens when an account opens more connections than its plan allows. */
public enum ConnectionPolicy {
    /** The new connection is refused; existing ones carry on. */
    REJECT_NEW,
    /** The oldest connection is closed with a reason and the new one is admitted (as iTick's plans do). */
    REPLACE_OLDEST
}
