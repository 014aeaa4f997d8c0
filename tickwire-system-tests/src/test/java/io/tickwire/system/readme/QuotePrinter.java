package io.tickwire.system.readme;

import io.tickwire.client.Credentials;
import io.tickwire.client.TickwireClient;
import io.tickwire.model.Channel;
import java.util.List;

/** The SDK example shown in the README, kept here so that a test compiles and runs it. */
public class QuotePrinter {
    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "ws://127.0.0.1:8080/v1/ws";
        try (TickwireClient client = TickwireClient.builder(url)
                .credentials(Credentials.token("demo-token"))
                .onQuote(q -> System.out.printf("%-8s bid %s  ask %s%n", q.symbol(), q.bid(), q.ask()))
                .onTrade(t -> System.out.printf("%-8s %s %s @ %s%n", t.symbol(), t.side(), t.size(), t.price()))
                .onGap(g -> System.out.println("missed " + g.missed() + " " + g.channel() + " of " + g.symbol()))
                .build()) {
            client.connect().join();
            client.subscribe(List.of("BTCUSDT", "EURUSD", "AAPL"), Channel.QUOTE, Channel.TRADE).join();
            Thread.sleep(Long.MAX_VALUE); // stream until stopped
        }
    }
}
