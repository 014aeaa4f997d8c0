package io.tickwire.bench.load;

/**
 * A server under test as the command line names it: {@code NAME=HOST:PORT[:PID]}, e.g.
 * {@code tickwire=127.0.0.1:8080:4242}, {@code node-ws=127.0.0.1:8090} or
 * {@code mosquitto=127.0.0.1:8092:PID} (its WebSocket listener). The pid, if given, is read for CPU
 * and memory. A label after a dot tells two Tickwire servers apart in the same run, e.g.
 * {@code tickwire.before=127.0.0.1:8081} next to {@code tickwire=127.0.0.1:8080} when comparing two
 * builds.
 */
public record Target(String name, String host, int port, long pid) {

    public static Target parse(String text) {
        int eq = text.indexOf('=');
        if (eq < 1) {
            throw new IllegalArgumentException("target must be NAME=HOST:PORT[:PID], was " + text);
        }
        String[] parts = text.substring(eq + 1).split(":");
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("target must be NAME=HOST:PORT[:PID], was " + text);
        }
        return new Target(text.substring(0, eq), parts[0], Integer.parseInt(parts[1]),
                parts.length == 3 ? Long.parseLong(parts[2]) : 0);
    }

    /** The kind of server: the name without its label. */
    public String kind() {
        int dot = name.indexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    /** The adapter that talks to this kind of server. */
    public Adapter adapter(String token, String publisherToken) {
        return switch (kind()) {
            case "tickwire" -> new TickwireAdapter(name, host, port, token, publisherToken);
            case "node-ws" -> RelayAdapter.nodeWs(host, port);
            case "nchan" -> RelayAdapter.nchan(host, port);
            case "mosquitto" -> new MqttAdapter(host, port);
            default -> throw new IllegalArgumentException("unknown target " + name + " (tickwire, node-ws, nchan, mosquitto)");
        };
    }
}
