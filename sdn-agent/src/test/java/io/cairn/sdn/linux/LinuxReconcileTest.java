package io.cairn.sdn.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.testsupport.Await;
import io.cairn.sdn.Reconciler;
import io.cairn.sdn.RouteTable;
import io.cairn.sdn.SdnException;
import io.cairn.sdn.SdnHealth.State;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reconciler driving a real routing table: drift repair, foreign routes, a namespace that goes and comes back. */
class LinuxReconcileTest {

    static final Duration WAIT = Duration.ofSeconds(15);
    static final Reconciler.Settings FAST = new Reconciler.Settings(1000, Duration.ofMillis(5),
            Duration.ofMillis(300), Duration.ofMillis(50), Duration.ofMillis(500));

    private TestNamespace ns;
    private Reconciler reconciler;

    @BeforeEach
    void start() {
        TestNamespace.assumeRoot();
        ns = new TestNamespace().create();
        reconciler = new Reconciler(new LinuxRouteDriver(TestNamespace.TABLE, ns.name), FAST);
    }

    @AfterEach
    void stop() {
        if (reconciler != null) {
            reconciler.close();
        }
        if (ns != null) {
            ns.delete();
        }
    }

    private RouteTable kernel() {
        try {
            return new LinuxRouteDriver(TestNamespace.TABLE, ns.name).read();
        } catch (SdnException e) {
            return null;
        }
    }

    private void awaitKernelHoldsDesired(String what) {
        RouteTable want = reconciler.desired();
        Await.until(what, WAIT, () -> want.equals(kernel()));
    }

    private void assertStaticRouteSurvives() {
        assertEquals("10.9.0.9", ns.routes("-4", "proto static").get(0).get("gateway").asText());
    }

    @Test
    void handEditsAreRepairedAndForeignRoutesSurviveEveryReconcile() {
        ns.ip("route add 10.7.0.0/16 via 10.9.0.9 table 100 proto static");
        reconciler.replaceAll(LinuxRouteDriverTest.CANONICAL);
        reconciler.startLeading(1);
        awaitKernelHoldsDesired("the canonical routes");
        assertStaticRouteSurvives();

        ns.ip("route del 10.250.0.0/16 table 100");
        ns.ip("-6 route replace 2001:db8::/32 via fd00:9::7 table 100 proto 250");
        Await.until("the drift repair puts both back", WAIT, () -> LinuxRouteDriverTest.CANONICAL.equals(kernel()));
        Await.until("the repair is counted", WAIT, () -> reconciler.health().driftRepairs() >= 1);
        assertStaticRouteSurvives();

        reconciler.remove(io.cairn.sdn.IpPrefix.parse("0.0.0.0/0"));
        awaitKernelHoldsDesired("the withdrawal");
        assertStaticRouteSurvives();
        // The drift repair tick shows SYNCING while it reads; it settles back to IN_SYNC.
        Await.until("in sync", WAIT, () -> reconciler.health().state() == State.IN_SYNC);
    }

    @Test
    void aDeletedNamespaceIsReportedAndProgrammedAgainWhenItReturns() {
        reconciler.replaceAll(LinuxRouteDriverTest.CANONICAL);
        reconciler.startLeading(1);
        awaitKernelHoldsDesired("the canonical routes");

        ns.delete();
        reconciler.set(io.cairn.sdn.IpPrefix.parse("192.0.2.0/24"), io.cairn.sdn.Routes.hops("10.9.0.4"));

        Await.until("failing", WAIT, () -> reconciler.health().state() == State.FAILING);
        String error = reconciler.health().lastError();
        assertTrue(error.contains("Cannot open network namespace \"" + ns.name + "\""), error);

        ns.create();
        awaitKernelHoldsDesired("every route, the one added while it was gone included");
        assertEquals(5, kernel().size());
        Await.until("in sync", WAIT, () -> reconciler.health().state() == State.IN_SYNC);
    }

    @Test
    void losingLeadershipLeavesTheRoutesInPlace() {
        reconciler.replaceAll(LinuxRouteDriverTest.CANONICAL);
        reconciler.startLeading(1);
        awaitKernelHoldsDesired("the canonical routes");

        reconciler.stopLeading();
        reconciler.replaceAll(RouteTable.EMPTY);

        // Fail static: a standby node withdraws nothing, even over several drift repair periods.
        Await.never("a route withdrawn by a standby node", FAST.driftRepairInterval().multipliedBy(3),
                () -> !LinuxRouteDriverTest.CANONICAL.equals(kernel()));
    }
}
