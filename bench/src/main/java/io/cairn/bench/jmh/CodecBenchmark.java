package io.cairn.bench.jmh;

import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.BgpMessage;
import io.cairn.node.bgp.wire.MalformedUpdateListener;
import io.cairn.node.bgp.wire.MessageCodec;
import io.cairn.node.bgp.wire.Negotiated;
import io.cairn.node.bgp.wire.PathAttribute;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.bgp.wire.UpdateMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** MessageCodec.decode of one UPDATE carrying 1,000 IPv4 /24s (3,000-odd octets), as a session reads it. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {

    static final Negotiated NEGOTIATED = new Negotiated(true, false, true, Set.of(AddressFamily.IPV4_UNICAST));

    private byte[] update;

    @Setup
    public void setUp() {
        List<Prefix> nlri = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            nlri.add(Prefix.of(new byte[] {20, (byte) (i >> 8), (byte) i, 0}, 24));
        }
        ByteBuf buf = Unpooled.buffer(4096);
        MessageCodec.encode(new UpdateMessage(List.of(), Fixtures.attributes(3, 65101), nlri), NEGOTIATED, buf);
        update = new byte[buf.readableBytes()];
        buf.readBytes(update);
    }

    @Benchmark
    public BgpMessage decodeUpdate1000Nlri() throws Exception {
        return MessageCodec.decode(Unpooled.wrappedBuffer(update), NEGOTIATED, MalformedUpdateListener.IGNORE);
    }

    /** Not a benchmark: what the attributes of the fixtures are. */
    static final class Fixtures {
        private Fixtures() {
        }

        static List<PathAttribute> attributes(int pathLength, long asn) {
            long[] path = new long[pathLength];
            java.util.Arrays.fill(path, asn);
            return List.of(new PathAttribute.Origin(PathAttribute.Origin.IGP), PathAttribute.AsPath.sequence(path),
                    new PathAttribute.NextHop(io.cairn.bench.jmh.DecisionBenchmark.inet4(10, 0, 1, 1)));
        }
    }
}
