package io.cairn.bench.jmh;

import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.BgpMessage;
import io.cairn.node.bgp.wire.MessageCodec;
import io.cairn.node.bgp.wire.PathAttribute;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.bgp.wire.UpdateMessage;
import io.cairn.node.export.UpdatePacker;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.agrona.collections.LongArrayList;
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

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Packing 10,000 IPv4 /24s sharing one attribute set into 4,096-octet UPDATEs. {@code announce10k}
 * packs a ready Prefix list. The export path starts from the RIB's keys: {@code prefixPath*} is
 * how it packed before (a Prefix per key, UpdateMessages, encoded later on the event loop),
 * {@code keyPath*} packs from the keys straight into encoded UPDATEs; the {@code *Wire} variants
 * add writing the messages into a buffer as the session's encoder does, so they compare the whole
 * cost, whichever thread pays it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PackerBenchmark {

    private List<Prefix> prefixes;
    private LongArrayList keys;
    private List<PathAttribute> attributes;
    private Inet4Address nextHop;
    private UpdatePacker packer;
    private final ByteBuf wire = Unpooled.buffer(64 * 1024);

    @Setup
    public void setUp() {
        prefixes = new ArrayList<>();
        keys = new LongArrayList();
        for (int i = 0; i < 10_000; i++) {
            Prefix p = Prefix.of(new byte[] {20, (byte) (i >> 8), (byte) i, 0}, 24);
            prefixes.add(p);
            keys.addLong(p.ipv4Key());
        }
        attributes = CodecBenchmark.Fixtures.attributes(1, 65101).subList(0, 2);
        nextHop = (Inet4Address) DecisionBenchmark.inet4(10, 0, 1, 1);
        packer = new UpdatePacker(CodecBenchmark.NEGOTIATED);
    }

    @Benchmark
    public List<UpdateMessage> announce10k() {
        return packer.announce(AddressFamily.IPV4_UNICAST, attributes, nextHop, prefixes);
    }

    @Benchmark
    public List<UpdateMessage> prefixPath10k() {
        List<Prefix> list = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            list.add(prefix(keys.getLong(i)));
        }
        return packer.announce(AddressFamily.IPV4_UNICAST, attributes, nextHop, list);
    }

    @Benchmark
    public int prefixPathWire10k() {
        return write(prefixPath10k());
    }

    @Benchmark
    public List<BgpMessage> keyPath10k() {
        List<BgpMessage> out = new ArrayList<>();
        packer.announceIpv4(attributes, nextHop, keys, out);
        return out;
    }

    @Benchmark
    public int keyPathWire10k() {
        return write(keyPath10k());
    }

    private int write(List<? extends BgpMessage> messages) {
        int n = 0;
        for (BgpMessage m : messages) {
            wire.clear();
            MessageCodec.encode(m, CodecBenchmark.NEGOTIATED, wire);
            n += wire.readableBytes();
        }
        return n;
    }

    /** What the RIB's PrefixKeys.prefix did per key for the packer. */
    private static Prefix prefix(long key) {
        long a = key >>> 8;
        return Prefix.of(new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a}, (int) (key & 0xFF));
    }
}
