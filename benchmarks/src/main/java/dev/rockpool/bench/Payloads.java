package dev.rockpool.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The JSON objects every benchmark writes: compact UTF-8 objects of an exact byte length, shaped like a log record
 * ({@code {"i":N,"level":"info","msg":"xxxx..."}}), so rockpool, Chronicle Queue, the raw mmap floor and the Kafka
 * clients all move exactly the same bytes.
 */
public final class Payloads {
    private Payloads() {
    }

    /** A compact JSON object of exactly {@code size} bytes carrying the number {@code i}. */
    public static byte[] json(int size, long i) {
        String head = "{\"i\":" + i + ",\"level\":\"info\",\"msg\":\"";
        String tail = "\"}";
        int fill = size - head.length() - tail.length();
        if (fill < 0) {
            throw new IllegalArgumentException("size=" + size + " is too small for a message numbered " + i);
        }
        char[] text = new char[fill];
        for (int k = 0; k < fill; k++) {
            text[k] = (char) ('a' + (int) ((i + k) % 26));
        }
        return (head + new String(text) + tail).getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code count} distinct objects of {@code size} bytes, numbered from 0. */
    public static byte[][] jsonSet(int size, int count) {
        byte[][] set = new byte[count][];
        Arrays.setAll(set, k -> json(size, k));
        return set;
    }
}
