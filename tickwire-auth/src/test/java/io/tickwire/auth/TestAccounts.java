package io.tickwire.auth;

import io.tickwire.auth.store.AccountBook;
import io.tickwire.auth.store.MasterKey;
import io.tickwire.auth.store.StoredCredentials;
import io.tickwire.model.Channel;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/** Accounts and a master key for the auth tests. */
public final class TestAccounts {

    public static final Plan PLAN = new Plan("basic", 2, ConnectionPolicy.REJECT_NEW, 10, EnumSet.of(Channel.QUOTE), 10, 20);
    public static final Account ALICE = new Account("alice", PLAN);
    public static final Account BOB = new Account("bob", PLAN);
    public static final MasterKey MASTER_KEY = MasterKey.parse(MasterKey.generate());

    private TestAccounts() {
    }

    /** A book of alice and bob with the given credentials. */
    public static AccountBook book(StoredCredentials credentials) {
        return AccountBook.build(Map.of("alice", ALICE, "bob", BOB), Map.of("alice", List.of("alice-client")),
                credentials, MASTER_KEY);
    }
}
