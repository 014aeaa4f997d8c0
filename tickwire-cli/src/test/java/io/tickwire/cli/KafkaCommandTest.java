package io.tickwire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.testkit.Ports;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tickwire kafka}: the one-node broker of the cluster tour, started as the command starts it. */
class KafkaCommandTest {

    @TempDir
    Path dir;

    @Test
    void theBrokerTakesATopicAndKeepsItAcrossARestartOnItsLog() throws Exception {
        KafkaCommand command = new KafkaCommand();
        command.port = Ports.free();
        command.controllerPort = Ports.free();
        command.data = dir.resolve("kafka-data");
        KafkaRaftServer first = command.start();
        try (Admin admin = admin(command.port)) {
            admin.createTopics(List.of(new NewTopic("tickwire.events", 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } finally {
            first.shutdown();
            first.awaitShutdown();
        }
        KafkaRaftServer again = command.start(); // the log is formatted already: kept, not formatted again
        try (Admin admin = admin(command.port)) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("tickwire.events");
        } finally {
            again.shutdown();
            again.awaitShutdown();
        }
    }

    private static Admin admin(int port) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
        return Admin.create(props);
    }

}
