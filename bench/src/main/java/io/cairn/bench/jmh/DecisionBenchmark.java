package io.cairn.bench.jmh;

import io.cairn.node.bgp.wire.PathAttribute;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.rib.DecisionProcess;
import io.cairn.node.rib.Path;
import io.cairn.node.rib.PathSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * DecisionProcess.select over the paths of one prefix: {@code paths} candidates from distinct
 * eBGP neighbours. {@code tie=false}: AS-path lengths 1..n, so step a decides; {@code tie=true}:
 * all equal down to MED, so the whole ECMP set is kept and ordered by the tie-breaks.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecisionBenchmark {

    @Param({"2", "10"})
    public int paths;

    @Param({"false", "true"})
    public boolean tie;

    private List<Path> candidates;

    @Setup
    public void setUp() {
        Prefix prefix = Prefix.parse("20.0.0.0/24");
        candidates = new ArrayList<>();
        for (int i = 0; i < paths; i++) {
            long asn = 65101 + i;
            PathSource source = new PathSource("inj" + i, inet4(127, 0, 0, 10 + i), asn, 0x7F00000AL + i, true);
            candidates.add(new Path(source, prefix, inet4(10, 0, i + 1, 1),
                    CodecBenchmark.Fixtures.attributes(tie ? 1 : paths - i, asn)));
        }
    }

    @Benchmark
    public DecisionProcess.Selection select() {
        return DecisionProcess.DEFAULT.select(candidates);
    }

    static Inet4Address inet4(int a, int b, int c, int d) {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
