package io.tickwire.auth;

import java.util.Objects;

/**
 * An authenticated party: a name unique on the server and the plan it is on.
 *
 * @param name the account's name; appears in logs and metrics (never a secret)
 * @param plan its limits
 */
public record Account(String name, Plan plan) {

    public Account {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(plan, "plan");
    }
}
