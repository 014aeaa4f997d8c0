package io.tickwire.client;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Fails a test class if Netty's leak detector reported a leaked buffer while it ran. The build
 * runs tests with paranoid leak detection; a report comes when a leaked buffer is collected and a
 * later allocation polls the detector, so this forces a collection and a few allocations at the
 * end. It can miss a leak whose buffer is still reachable; it never reports one that is not.
 */
final class NoLeaks implements BeforeAllCallback, AfterAllCallback {

    private static final String DETECTOR = ResourceLeakDetector.class.getName();

    @Override
    public void beforeAll(ExtensionContext context) {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.setName("leaks");
        appender.start();
        ((Logger) LoggerFactory.getLogger(DETECTOR)).addAppender(appender);
        context.getStore(ExtensionContext.Namespace.GLOBAL).put(NoLeaks.class, appender);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        @SuppressWarnings("unchecked")
        ListAppender<ILoggingEvent> appender = (ListAppender<ILoggingEvent>)
                context.getStore(ExtensionContext.Namespace.GLOBAL).get(NoLeaks.class);
        for (int round = 0; round < 3; round++) {
            System.gc();
            for (int i = 0; i < 64; i++) {
                ByteBuf probe = ByteBufAllocator.DEFAULT.buffer(16);
                probe.release();
            }
        }
        ((Logger) LoggerFactory.getLogger(DETECTOR)).detachAppender(appender);
        assertThat(appender.list).as("Netty leak reports").noneMatch(e -> e.getFormattedMessage().contains("LEAK"));
    }
}
