package io.tickwire.cli.app;

import io.tickwire.auth.Account;
import io.tickwire.auth.Authenticator;
import io.tickwire.auth.ConnectionPolicy;
import io.tickwire.auth.Plan;
import io.tickwire.auth.SlowConsumerPolicy;
import io.tickwire.auth.store.AccountDirectory;
import io.tickwire.auth.store.StoredCredentials;
import io.tickwire.auth.token.TokenHash;
import io.tickwire.model.AssetClass;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import io.tickwire.auth.token.TokenAuthenticator;
import io.tickwire.cli.config.ConfigException;
import io.tickwire.cli.config.TickwireConfig;
import io.tickwire.model.Channel;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Turns the {@code plans:} and {@code accounts:} of a configuration into an {@link Authenticator}.
 * Stateless; every mistake is a {@link ConfigException} naming the plan or account.
 */
final class ConfiguredAccounts {

    private ConfiguredAccounts() {
    }

    static Authenticator authenticator(TickwireConfig config) {
        Map<String, Plan> plans = new HashMap<>();
        config.plans().forEach((name, settings) -> plans.put(name, plan(name, settings)));
        TokenAuthenticator.Builder tokens = TokenAuthenticator.builder();
        Set<String> names = new HashSet<>();
        for (TickwireConfig.AccountSettings a : config.accounts()) {
            if (a.name() == null || a.name().isBlank()) {
                throw new ConfigException("accounts: every account needs a name");
            }
            if (!names.add(a.name())) {
                throw new ConfigException("accounts: '" + a.name() + "' is defined twice");
            }
            Plan plan = plans.get(a.plan());
            if (plan == null) {
                throw new ConfigException("accounts." + a.name() + ".plan: no plan named '" + a.plan() + "' (plans: "
                        + plans.keySet() + ")");
            }
            Account account = new Account(a.name(), plan);
            for (String hash : a.tokens()) {
                try {
                    tokens.add(hash, account);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException("accounts." + a.name() + ".tokens: " + e.getMessage());
                }
            }
        }
        return tokens.build();
    }

    /**
     * The accounts of a configuration with their plans, OAuth2 subjects and the credentials written
     * in the configuration itself, for the account directory.
     */
    static AccountDirectory.Configured configured(TickwireConfig config) {
        authenticator(config); // validates plans, names and token hashes, naming the mistake
        Map<String, Plan> plans = new HashMap<>();
        config.plans().forEach((name, settings) -> plans.put(name, plan(name, settings)));
        Map<String, Account> accounts = new LinkedHashMap<>();
        Map<String, List<String>> subjects = new LinkedHashMap<>();
        StoredCredentials credentials = StoredCredentials.EMPTY;
        for (TickwireConfig.AccountSettings a : config.accounts()) {
            accounts.put(a.name(), new Account(a.name(), plans.get(a.plan())));
            subjects.put(a.name(), a.oauthSubjects());
            List<StoredCredentials.StoredToken> tokens = new ArrayList<>();
            for (String hash : a.tokens()) {
                tokens.add(new StoredCredentials.StoredToken(TokenHash.idOfStored(hash), hash, null));
            }
            credentials = credentials.with(a.name(), c -> new StoredCredentials.AccountCredentials(tokens, a.hmac(), a.jwt(),
                    a.totp(), null, null));
        }
        return new AccountDirectory.Configured(accounts, subjects, credentials);
    }

    private static Plan plan(String name, TickwireConfig.PlanSettings p) {
        try {
            ConnectionPolicy policy = switch (p.onConnectionLimit() == null ? "reject-new" : p.onConnectionLimit()) {
                case "reject-new" -> ConnectionPolicy.REJECT_NEW;
                case "replace-oldest" -> ConnectionPolicy.REPLACE_OLDEST;
                default -> throw new IllegalArgumentException("onConnectionLimit must be reject-new or replace-oldest, was '"
                        + p.onConnectionLimit() + "'");
            };
            Set<Channel> channels = EnumSet.noneOf(Channel.class);
            for (String c : p.channels() == null ? java.util.List.<String>of() : p.channels()) {
                Channel channel = Channel.fromWire(c);
                if (channel == null) {
                    throw new IllegalArgumentException("unknown channel '" + c + "'");
                }
                channels.add(channel);
            }
            Set<AssetClass> sets = EnumSet.noneOf(AssetClass.class);
            for (String set : p.instrumentSets() == null ? java.util.List.<String>of() : p.instrumentSets()) {
                AssetClass assetClass = Plan.instrumentSet(set);
                if (assetClass == null) {
                    throw new IllegalArgumentException("unknown instrument set '" + set + "' (crypto, fx, equity; or forex, stock)");
                }
                sets.add(assetClass);
            }
            SlowConsumerPolicy slow = p.slowConsumer() == null ? SlowConsumerPolicy.DISCONNECT : SlowConsumerPolicy.fromWire(p.slowConsumer());
            if (slow == null) {
                throw new IllegalArgumentException("slowConsumer must be disconnect or conflate, was '" + p.slowConsumer() + "'");
            }
            return new Plan(name, p.maxConnections(), policy, p.maxSymbols(), channels, p.requestsPerSecond(), p.requestBurst(),
                    sets, slow);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("plans." + name + ": " + e.getMessage());
        }
    }
}
