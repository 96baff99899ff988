package dev.rockpool.pool;

import java.util.zip.CRC32C;

/** Computes a frame's CRC32C (see {@link FrameDescriptor}). One instance per thread: it keeps scratch state. */
final class FrameChecksum {
    private final CRC32C crc = new CRC32C();
    private final byte[] fields = new byte[24];

    int message(long seq, long time, int metaLength, byte[] meta, byte[] data) {
        start(FrameDescriptor.TYPE_MESSAGE, seq, time, metaLength);
        crc.update(meta, 0, meta.length);
        crc.update(data, 0, data.length);
        return (int) crc.getValue();
    }

    int payload(int type, long seq, long time, int metaLength, byte[] payload, int payloadLength) {
        start(type, seq, time, metaLength);
        crc.update(payload, 0, payloadLength);
        return (int) crc.getValue();
    }

    private void start(int type, long seq, long time, int metaLength) {
        crc.reset();
        putInt(0, type);
        putLong(4, seq);
        putLong(12, time);
        putInt(20, metaLength);
        crc.update(fields, 0, fields.length);
    }

    private void putInt(int p, int v) {
        for (int i = 0; i < 4; i++) {
            fields[p + i] = (byte) (v >>> (8 * i));
        }
    }

    private void putLong(int p, long v) {
        for (int i = 0; i < 8; i++) {
            fields[p + i] = (byte) (v >>> (8 * i));
        }
    }
}
