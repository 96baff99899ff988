package dev.rockpool.pool.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rockpool.pool.Draft;
import dev.rockpool.pool.JsonData;
import dev.rockpool.pool.JsonTrees;
import dev.rockpool.pool.Message;

import java.io.IOException;

/**
 * The messages the multi-process tests write: {@code {"w":WRITER,"i":COUNTER,"p":"..."}} where the padding's length
 * and letters are a function of writer and counter, so any reader can tell a message that is exactly what its writer
 * wrote from a torn or mixed one, and sizes vary so frames land on every alignment.
 */
public final class TestMessages {
    private TestMessages() {
    }

    /** The exact compact JSON writer {@code writer} appends as its {@code counter}-th message. */
    public static String data(int writer, long counter, int maxPad) {
        int padLength = (int) ((counter * 31 + writer * 7) % (maxPad + 1));
        char letter = (char) ('a' + (counter + writer) % 26);
        return "{\"w\":" + writer + ",\"i\":" + counter + ",\"p\":\"" + String.valueOf(letter).repeat(padLength)
                + "\"}";
    }

    public static Draft draft(int writer, long counter, int maxPad) {
        return Draft.of(JsonData.parse(data(writer, counter, maxPad)), java.util.List.of("w" + writer));
    }

    /** Writer and counter of a message; throws AssertionError unless its data is exactly what that writer wrote. */
    public static long[] check(Message m, int maxPad) {
        return check(m.seq(), m.dataString(), m.tags(), maxPad);
    }

    /** {@link #check(Message, int)} of a message's parts (as read through a view). */
    public static long[] check(long seq, String text, java.util.List<String> tags, int maxPad) {
        JsonNode node;
        try {
            node = JsonTrees.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("seq " + seq + ": data does not parse: " + text, e);
        }
        if (node == null || !node.has("w") || !node.has("i")) {
            throw new AssertionError("seq " + seq + ": not a test message: " + text);
        }
        int writer = node.get("w").asInt();
        long counter = node.get("i").asLong();
        String expected = data(writer, counter, maxPad);
        if (!expected.equals(text)) {
            throw new AssertionError("seq " + seq + ": data differs from what writer " + writer + " wrote for "
                    + counter + ": " + text);
        }
        if (!tags.equals(java.util.List.of("w" + writer))) {
            throw new AssertionError("seq " + seq + ": tags " + tags);
        }
        return new long[] {writer, counter};
    }
}
