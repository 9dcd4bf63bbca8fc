package io.cairn.bench.jmh;

import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.bgp.wire.UpdateMessage;
import io.cairn.node.export.UpdatePacker;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** UpdatePacker.announce of 10,000 IPv4 /24s sharing one attribute set (4,096-octet UPDATEs). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PackerBenchmark {

    private List<Prefix> prefixes;
    private UpdatePacker packer;

    @Setup
    public void setUp() {
        prefixes = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            prefixes.add(Prefix.of(new byte[] {20, (byte) (i >> 8), (byte) i, 0}, 24));
        }
        packer = new UpdatePacker(CodecBenchmark.NEGOTIATED);
    }

    @Benchmark
    public List<UpdateMessage> announce10k() {
        return packer.announce(AddressFamily.IPV4_UNICAST, CodecBenchmark.Fixtures.attributes(1, 65101).subList(0, 2),
                DecisionBenchmark.inet4(10, 0, 1, 1), prefixes);
    }
}
