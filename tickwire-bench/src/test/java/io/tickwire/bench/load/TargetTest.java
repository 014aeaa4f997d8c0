package io.tickwire.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TargetTest {

    @Test
    void aLabelledTickwireTargetKeepsItsLabelInTheResults() {
        Target target = Target.parse("tickwire.before=127.0.0.1:8081:4242");

        assertThat(target.kind()).isEqualTo("tickwire");
        assertThat(target.port()).isEqualTo(8081);
        assertThat(target.pid()).isEqualTo(4242);
        assertThat(target.adapter("t", "p").name()).isEqualTo("tickwire.before");
        assertThat(Target.parse("tickwire=127.0.0.1:8080").adapter("t", "p").name()).isEqualTo("tickwire");
    }

    @Test
    void aClusterTargetPublishesToTheIngestNodeAndSubscribesOnTheGateway() {
        Adapter cluster = Target.parse("tickwire.cluster=127.0.0.1:8081:4242@127.0.0.1:8080").adapter("t", "p");

        assertThat(cluster.name()).isEqualTo("tickwire.cluster");
        assertThat(cluster.subscribeUri(java.util.List.of("BTCUSDT")).getPort()).isEqualTo(8081);
        assertThat(cluster.publishUri("BTCUSDT").getPort()).isEqualTo(8080);
        assertThat(Target.parse("tickwire=127.0.0.1:8080").adapter("t", "p").publishUri("X").getPort()).isEqualTo(8080);
        assertThatThrownBy(() -> Target.parse("nchan=127.0.0.1:8091@127.0.0.1:8080").adapter("t", "p"))
                .hasMessageContaining("only a tickwire target publishes elsewhere");
        assertThatThrownBy(() -> Target.parse("tickwire=127.0.0.1:8081@8080"))
                .hasMessageContaining("[@PUBLISH_HOST:PUBLISH_PORT]");
    }

    @Test
    void peersAreKnownByTheirKind() {
        assertThat(Target.parse("node-ws=127.0.0.1:8090").adapter("t", "p").name()).isEqualTo("node-ws");
        assertThat(Target.parse("nchan=127.0.0.1:8091").kind()).isEqualTo("nchan");
    }

    @Test
    void anUnknownKindOrAMalformedTargetIsRefusedWithTheFormat() {
        assertThatThrownBy(() -> Target.parse("varnish=127.0.0.1:80").adapter("t", "p"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown target varnish");
        assertThatThrownBy(() -> Target.parse("127.0.0.1:8080"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NAME=HOST:PORT[:PID]");
    }

    @Test
    void eachRunOfNchanGetsFreshChannelsAndOtherServersKeepTheirs() {
        Adapter nchan = Target.parse("nchan=127.0.0.1:8091").adapter("t", "p");

        Adapter run3 = nchan.forRun(3);
        assertThat(run3.subscribeUri(java.util.List.of("BTCUSDT", "ETHUSDT")).getPath()).isEqualTo("/sub/BTCUSDT-r3,ETHUSDT-r3");
        assertThat(run3.publishUri("BTCUSDT").getPath()).isEqualTo("/pub/BTCUSDT-r3");
        assertThat(nchan.forRun(4).publishUri("BTCUSDT").getPath()).isEqualTo("/pub/BTCUSDT-r4");
        Adapter node = Target.parse("node-ws=127.0.0.1:8090").adapter("t", "p");
        assertThat(node.forRun(3)).isSameAs(node);
    }
}
