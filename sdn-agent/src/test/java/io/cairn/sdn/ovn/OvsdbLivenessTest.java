package io.cairn.sdn.ovn;

import io.cairn.testsupport.Await;
import io.cairn.sdn.IpPrefix;
import io.cairn.sdn.RouteDiff;
import io.cairn.sdn.SdnException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 7047 4.1.11 echo in both directions, against a real ovsdb-server. */
class OvsdbLivenessTest {

    private static final String ROUTER = "lr-vnet";

    @TempDir
    Path dir;
    private NbServer server;
    private OvnDriver driver;

    @BeforeEach
    void start() {
        NbServer.assumeInstalled();
        server = NbServer.start(dir);
        server.nbctl("lr-add", ROUTER);
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aServerThatStopsAnsweringIsDetectedByEchoAndReconnectedAfterwards() throws Exception {
        driver = new OvnDriver(new OvnOptions(server.tcp(), ROUTER, OvnOptions.DEFAULT_OWNER, null,
                Duration.ofSeconds(2), Duration.ofMillis(200), Duration.ofMillis(100), Duration.ofMillis(500)));
        AtomicInteger changes = new AtomicInteger();
        driver.onExternalChange(changes::incrementAndGet);
        driver.read();

        server.freeze();
        Await.until("the echo probe to declare the silent server dead", Duration.ofSeconds(10), () -> down(driver));
        int beforeThaw = changes.get();
        server.thaw();
        Await.until("the driver to reconnect", Duration.ofSeconds(20), () -> changes.get() > beforeThaw && !down(driver));
        driver.apply(1, new RouteDiff(Map.of(IpPrefix.parse("10.250.0.0/16"), Set.of(OvnDriverTest.ip("10.1.1.4"))),
                Set.of()));
        assertTrue(server.nbctl("lr-route-list", ROUTER).contains("10.250.0.0/16"));
    }

    /**
     * ovsdb-server probes an idle TCP client after 5 s and drops it 5 s later without an
     * answer; with this side's own probe out of the way, staying connected for 12 s proves the
     * server's echo requests are answered.
     */
    @Test
    void theServersEchoRequestsAreAnswered() throws Exception {
        driver = new OvnDriver(new OvnOptions(server.tcp(), ROUTER, OvnOptions.DEFAULT_OWNER, null,
                Duration.ofSeconds(30), Duration.ofMinutes(10), Duration.ofMillis(100), Duration.ofSeconds(1)));
        AtomicInteger changes = new AtomicInteger();
        driver.onExternalChange(changes::incrementAndGet);
        driver.read();
        Await.until("the connect to be reported", Duration.ofSeconds(10), () -> changes.get() >= 1);

        long deadline = System.nanoTime() + Duration.ofSeconds(12).toNanos();
        while (System.nanoTime() < deadline) {
            assertFalse(down(driver), "disconnected while idle: " + server.log());
            Thread.sleep(100);
        }
        assertEquals(1, changes.get(), "no reconnect happened");
        assertFalse(server.log().contains("inactivity probe"), server.log());
    }

    private static boolean down(OvnDriver driver) {
        try {
            driver.read();
            return false;
        } catch (SdnException e) {
            return e.retryable();
        }
    }
}
