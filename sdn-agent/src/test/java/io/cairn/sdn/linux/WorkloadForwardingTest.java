package io.cairn.sdn.linux;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.testsupport.Await;
import io.cairn.sdn.IpPrefix;
import io.cairn.sdn.Reconciler;
import io.cairn.sdn.RouteTable;
import io.cairn.sdn.Routes;
import io.cairn.sdn.SdnException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The canonical scenario in the kernel: a workload namespace linked to an SD-WAN NVA namespace and
 * a firewall NVA namespace. Cairn programs the workload's main table; real packets then leave
 * through the NVA each route names, counted on the NVA's interface. Withdrawing the on-premises
 * route moves its traffic to the default route, through the firewall.
 */
class WorkloadForwardingTest {

    static final Duration WAIT = Duration.ofSeconds(15);
    static final int PACKETS = 50;
    /** Far more than the few stray packets (ARP) a quiet link carries while the test sends. */
    static final int NOISE = 10;
    static final String ON_PREMISES_HOST = "10.250.0.1";
    static final String INTERNET_HOST = "198.51.100.1";

    private final String tag = UUID.randomUUID().toString().substring(0, 6);
    private final String workload = "sdn-test-w-" + tag;
    private final String sdwan = "sdn-test-s-" + tag;
    private final String firewall = "sdn-test-f-" + tag;
    private final List<String> created = new ArrayList<>();
    private Reconciler reconciler;

    @BeforeEach
    void buildTheNetwork() {
        TestNamespace.assumeRoot();
        for (String ns : List.of(workload, sdwan, firewall)) {
            TestNamespace.sh("ip netns add " + ns);
            created.add(ns);
            TestNamespace.sh("ip -n " + ns + " link set lo up");
        }
        link(sdwan, "s", "10.20.1");
        link(firewall, "f", "10.20.2");
        TestNamespace.sh("ip -n " + sdwan + " addr add " + ON_PREMISES_HOST + "/32 dev lo");
        TestNamespace.sh("ip -n " + firewall + " addr add " + INTERNET_HOST + "/32 dev lo");
    }

    /** A veth from the workload (.1) to the NVA (.2) on {@code net}.0/24; no IPv6 chatter on it. */
    private void link(String nva, String name, String net) {
        TestNamespace.sh("ip -n " + workload + " link add w-" + name + " type veth peer name nva netns " + nva);
        TestNamespace.sh("ip netns exec " + workload + " sysctl -q -w net.ipv6.conf.w-" + name + ".disable_ipv6=1");
        TestNamespace.sh("ip netns exec " + nva + " sysctl -q -w net.ipv6.conf.nva.disable_ipv6=1");
        TestNamespace.sh("ip -n " + workload + " addr add " + net + ".1/24 dev w-" + name);
        TestNamespace.sh("ip -n " + nva + " addr add " + net + ".2/24 dev nva");
        TestNamespace.sh("ip -n " + workload + " link set w-" + name + " up");
        TestNamespace.sh("ip -n " + nva + " link set nva up");
    }

    @AfterEach
    void tearDown() {
        if (reconciler != null) {
            reconciler.close();
        }
        created.forEach(ns -> TestNamespace.run("ip netns del " + ns));
    }

    private static long received(String nva) {
        String out = TestNamespace.sh("ip -n " + nva + " -s -j link show nva");
        int at = out.indexOf("\"rx\":{\"bytes\":");
        int packets = out.indexOf("\"packets\":", at) + "\"packets\":".length();
        return Long.parseLong(out.substring(packets, out.indexOf(',', packets)));
    }

    /** Sends UDP datagrams from the workload (bash's /dev/udp: no extra tools needed). */
    private void send(String host) {
        TestNamespace.exec("ip", "netns", "exec", workload, "bash", "-c",
                "for i in $(seq " + PACKETS + "); do echo x > /dev/udp/" + host + "/9; done");
    }

    /** Asserts that the packets to {@code host} arrive at {@code via} and not at {@code other}. */
    private void assertGoesThrough(String host, String via, String other) {
        long viaBefore = received(via);
        long otherBefore = received(other);
        send(host);
        long viaGot = received(via) - viaBefore;
        long otherGot = received(other) - otherBefore;
        assertTrue(viaGot >= PACKETS && otherGot < NOISE,
                host + ": " + viaGot + " packets at " + via + ", " + otherGot + " at " + other);
    }

    private RouteTable workloadTable() {
        try {
            return new LinuxRouteDriver(254, workload).read();
        } catch (SdnException e) {
            return null;
        }
    }

    @Test
    void packetsFollowTheProgrammedRoutesAndAWithdrawalMovesThem() {
        reconciler = new Reconciler(new LinuxRouteDriver(254, workload), Reconciler.Settings.DEFAULT);
        RouteTable canonical = Routes.of("10.250.0.0/16", "10.20.1.2", "0.0.0.0/0", "10.20.2.2");
        reconciler.replaceAll(canonical);
        reconciler.startLeading(1);
        Await.until("the workload's main table holds both routes", WAIT, () -> canonical.equals(workloadTable()));

        assertGoesThrough(ON_PREMISES_HOST, sdwan, firewall);
        assertGoesThrough(INTERNET_HOST, firewall, sdwan);

        reconciler.remove(IpPrefix.parse("10.250.0.0/16"));
        Await.until("the withdrawal reaches the kernel", WAIT,
                () -> Routes.of("0.0.0.0/0", "10.20.2.2").equals(workloadTable()));

        assertGoesThrough(ON_PREMISES_HOST, firewall, sdwan);
    }
}
