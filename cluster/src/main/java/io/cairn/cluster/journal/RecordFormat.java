package io.cairn.cluster.journal;

import java.nio.ByteOrder;
import java.util.zip.CRC32C;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The bytes of one journal record inside a Chronicle Queue excerpt (format version 1, little endian):
 *
 * <pre>
 *   offset 0  u8   format version (1)
 *   offset 1  u8   flags, reserved (0)
 *   offset 2  i16  record type (negative types are the journal's own markers)
 *   offset 4  i32  CRC32C over every byte of the record except these four
 *   offset 8  i64  the queue index the record was written at
 *   offset 16      payload (the excerpt's remaining bytes)
 * </pre>
 *
 * Bytes 0 and 4..7 keep this meaning in every later version, so a reader can always tell a record
 * written by a newer format (checksum good, version unknown) from a damaged one (checksum bad).
 * The stored index catches a record that moved: a flipped Chronicle header bit can turn a record into
 * metadata, which would otherwise shift every later index silently.
 */
final class RecordFormat {
    static final byte VERSION = 1;
    static final int HEADER_LENGTH = 16;
    static final int VERSION_OFFSET = 0;
    static final int TYPE_OFFSET = 2;
    static final int CRC_OFFSET = 4;
    static final int INDEX_OFFSET = 8;

    private RecordFormat() {}

    /** Writes the header for {@code payload[off, off+len)} into {@code header} (16 bytes). */
    static void writeHeader(byte[] header, short type, long index, byte[] payload, int off, int len) {
        writeHeader(header, type, index, payload, off, len, payload, 0, 0);
    }

    /**
     * Writes the header for a payload in two parts, {@code head[0, headLen)} then
     * {@code body[off, off+len)}, into {@code header} (16 bytes).
     */
    static void writeHeader(byte[] header, short type, long index, byte[] head, int headOff, int headLen,
                            byte[] body, int off, int len) {
        header[VERSION_OFFSET] = VERSION;
        header[1] = 0;
        putShort(header, TYPE_OFFSET, type);
        putLong(header, INDEX_OFFSET, index);
        CRC32C crc = new CRC32C();
        crc.update(header, 0, CRC_OFFSET);
        crc.update(header, INDEX_OFFSET, HEADER_LENGTH - INDEX_OFFSET);
        crc.update(head, headOff, headLen);
        crc.update(body, off, len);
        putInt(header, CRC_OFFSET, (int) crc.getValue());
    }

    /** CRC32C of a record whose header (CRC field ignored) is {@code header} and payload is given. */
    static int checksum(byte[] header, byte[] payload, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(header, 0, CRC_OFFSET);
        crc.update(header, INDEX_OFFSET, HEADER_LENGTH - INDEX_OFFSET);
        crc.update(payload, off, len);
        return (int) crc.getValue();
    }

    /**
     * Checks a whole record held in {@code record[0, length)} that was read at {@code index}.
     * Returns null when it is a good version-1 record, otherwise why it is not.
     */
    static Verdict verify(byte[] record, int length, long index) {
        if (length < HEADER_LENGTH) {
            return Verdict.damaged("record of " + length + " bytes is shorter than its " + HEADER_LENGTH + "-byte header");
        }
        CRC32C crc = new CRC32C();
        crc.update(record, 0, CRC_OFFSET);
        crc.update(record, INDEX_OFFSET, length - INDEX_OFFSET);
        int stored = getInt(record, CRC_OFFSET);
        if ((int) crc.getValue() != stored) {
            return Verdict.damaged(String.format("checksum mismatch (stored %08x, computed %08x)", stored, (int) crc.getValue()));
        }
        int version = record[VERSION_OFFSET] & 0xFF;
        if (version > VERSION) {
            return new Verdict(Verdict.Kind.NEWER_FORMAT,
                    "record format version " + version + " is newer than this code understands (" + VERSION + ")");
        }
        if (version != VERSION) {
            return Verdict.damaged("unknown record format version " + version);
        }
        long stamped = getLong(record, INDEX_OFFSET);
        if (stamped != index) {
            return Verdict.damaged("record written at index " + hex(stamped) + " was found at index " + hex(index));
        }
        return null;
    }

    static short type(byte[] record) {
        return getShort(record, TYPE_OFFSET);
    }

    static String hex(long index) {
        return "0x" + Long.toHexString(index);
    }

    /** Why a record cannot be used. */
    record Verdict(Kind kind, String reason) {
        enum Kind { DAMAGED, NEWER_FORMAT }

        static Verdict damaged(String reason) {
            return new Verdict(Kind.DAMAGED, reason);
        }
    }

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    static void putShort(byte[] b, int at, short v) {
        new UnsafeBuffer(b).putShort(at, v, ORDER);
    }

    static void putInt(byte[] b, int at, int v) {
        new UnsafeBuffer(b).putInt(at, v, ORDER);
    }

    static void putLong(byte[] b, int at, long v) {
        new UnsafeBuffer(b).putLong(at, v, ORDER);
    }

    static short getShort(byte[] b, int at) {
        return new UnsafeBuffer(b).getShort(at, ORDER);
    }

    static int getInt(byte[] b, int at) {
        return new UnsafeBuffer(b).getInt(at, ORDER);
    }

    static long getLong(byte[] b, int at) {
        return new UnsafeBuffer(b).getLong(at, ORDER);
    }
}
