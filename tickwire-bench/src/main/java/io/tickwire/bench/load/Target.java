package io.tickwire.bench.load;

/**
 * A server under test as the command line names it: {@code NAME=HOST:PORT[:PID]}, e.g.
 * {@code tickwire=127.0.0.1:8080:4242}, {@code node-ws=127.0.0.1:8090} or
 * {@code mosquitto=127.0.0.1:8092:PID} (its WebSocket listener). The pid, if given, is read for CPU
 * and memory. A label after a dot tells two Tickwire servers apart in the same run, e.g.
 * {@code tickwire.before=127.0.0.1:8081} next to {@code tickwire=127.0.0.1:8080} when comparing two
 * builds. A Tickwire cluster takes its publisher elsewhere: {@code @HOST:PORT} after the target names
 * the ingest node the publisher sends to, e.g. {@code tickwire.cluster=127.0.0.1:8081:PID@127.0.0.1:8080}
 * (subscribers on the gateway at 8081, its pid measured).
 */
public record Target(String name, String host, int port, long pid, String publishHost, int publishPort) {

    private static final String FORMAT = "NAME=HOST:PORT[:PID][@PUBLISH_HOST:PUBLISH_PORT]";

    /** A target whose publisher and subscribers go to the same server. */
    public Target(String name, String host, int port, long pid) {
        this(name, host, port, pid, host, port);
    }

    public static Target parse(String text) {
        int eq = text.indexOf('=');
        if (eq < 1) {
            throw new IllegalArgumentException("target must be " + FORMAT + ", was " + text);
        }
        String address = text.substring(eq + 1);
        String publishTo = null;
        int at = address.indexOf('@');
        if (at >= 0) {
            publishTo = address.substring(at + 1);
            address = address.substring(0, at);
        }
        String[] parts = address.split(":");
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("target must be " + FORMAT + ", was " + text);
        }
        String host = parts[0];
        int port = Integer.parseInt(parts[1]);
        long pid = parts.length == 3 ? Long.parseLong(parts[2]) : 0;
        if (publishTo == null) {
            return new Target(text.substring(0, eq), host, port, pid);
        }
        String[] pub = publishTo.split(":");
        if (pub.length != 2) {
            throw new IllegalArgumentException("target must be " + FORMAT + ", was " + text);
        }
        return new Target(text.substring(0, eq), host, port, pid, pub[0], Integer.parseInt(pub[1]));
    }

    /** The kind of server: the name without its label. */
    public String kind() {
        int dot = name.indexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    /** The adapter that talks to this kind of server. */
    public Adapter adapter(String token, String publisherToken) {
        if (!kind().equals("tickwire") && (!publishHost.equals(host) || publishPort != port)) {
            throw new IllegalArgumentException("only a tickwire target publishes elsewhere (@HOST:PORT), was " + name);
        }
        return switch (kind()) {
            case "tickwire" -> new TickwireAdapter(name, host, port, token, publisherToken, publishHost, publishPort);
            case "node-ws" -> RelayAdapter.nodeWs(host, port);
            case "nchan" -> RelayAdapter.nchan(host, port);
            case "mosquitto" -> new MqttAdapter(host, port);
            default -> throw new IllegalArgumentException("unknown target " + name + " (tickwire, node-ws, nchan, mosquitto)");
        };
    }
}
