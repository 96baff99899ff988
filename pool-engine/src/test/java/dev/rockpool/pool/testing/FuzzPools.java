package dev.rockpool.pool.testing;

import dev.rockpool.pool.AppendResult;
import dev.rockpool.pool.Draft;
import dev.rockpool.pool.FrameDescriptor;
import dev.rockpool.pool.HeaderDescriptor;
import dev.rockpool.pool.JsonData;
import dev.rockpool.pool.Message;
import dev.rockpool.pool.Origin;
import dev.rockpool.pool.Pool;
import dev.rockpool.pool.PoolOptions;
import dev.rockpool.pool.RingLayout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * The real pools the fuzz tests damage, built through the engine with a fixed recipe each, so that a damage case
 * (offsets into the file) means the same thing in every run: {@code fresh} (a dozen messages of assorted sizes, tags,
 * non-ASCII text and an origin), {@code wrapped} (written past several laps: padding frames, dropped messages, head
 * in the middle of the ring), {@code empty}, and {@code whole-ring} (one message as large as the ring, then the
 * largest a pool holds). The {@code segmented-} recipes are the same in a ring of {@link RingLayout#SEGMENTED
 * segments} (format version 2, with an index stride): padding at segment ends, a frame as large as a segment.
 */
public final class FuzzPools {
    /** Prefix of the recipes built in a ring of segments. */
    public static final String SEGMENTED = "segmented-";
    /** The recipe names. */
    public static final List<String> RECIPES = List.of("fresh", "wrapped", "empty", "whole-ring",
            SEGMENTED + "fresh", SEGMENTED + "wrapped", SEGMENTED + "whole-ring");

    /** A message as it was appended. */
    public record Original(long seq, long timeNanos, byte[] data, List<String> tags, Origin origin) {
        /** True if {@code m} is exactly this message. */
        public boolean matches(Message m) {
            return m.seq() == seq && m.timeNanos() == timeNanos && Arrays.equals(m.data(), data)
                    && m.tags().equals(tags) && Objects.equals(m.origin(), origin);
        }
    }

    /** A frame of a built pool: where it starts in the file, its length, type and meta length. */
    public record Frame(long offset, int length, int type, int metaLength) {
        public long dataOffset() {
            return offset + FrameDescriptor.FRAME_HEADER_LENGTH + metaLength;
        }
    }

    /**
     * A built pool: its file (never damaged itself: cases work on copies), everything ever appended to it by seq,
     * and its layout.
     */
    public record Built(String recipe, Path file, Map<Long, Original> originals, long fileSize, long ringOffset,
                        long ringCapacity, long indexCapacity, int segmentShift, List<Frame> frames) {
        /** True if the ring is in segments (format version 2). */
        public boolean segmented() {
            return recipe.startsWith(SEGMENTED);
        }

        /** The physical offset where the segment holding {@code physical} ends (the ring's end in the last one). */
        public long segmentEnd(long physical) {
            return Math.min((physical | ((1L << segmentShift) - 1)) + 1, ringCapacity);
        }

        /** A copy of the pool file at {@code target}, to damage. */
        public Path copyTo(Path target) {
            try {
                Files.createDirectories(target.getParent());
                return Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private FuzzPools() {
    }

    /** Builds every recipe into {@code dir}. */
    public static Map<String, Built> buildAll(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Built> built = new LinkedHashMap<>();
        for (String recipe : RECIPES) {
            built.put(recipe, build(dir, recipe));
        }
        return built;
    }

    static Built build(Path dir, String recipe) {
        Path file = dir.resolve(recipe + ".pool");
        Map<Long, Original> originals = new LinkedHashMap<>();
        Random random = new Random(recipe.hashCode());
        boolean segmented = recipe.startsWith(SEGMENTED);
        RingLayout layout = segmented ? RingLayout.SEGMENTED : RingLayout.ONE_SEGMENT;
        try (Pool pool = layout.create(file, PoolOptions.ofSize(PoolOptions.MIN_SIZE))) {
            switch (segmented ? recipe.substring(SEGMENTED.length()) : recipe) {
                case "fresh" -> {
                    for (int i = 0; i < 12; i++) {
                        append(pool, draft(random, i, 20 + random.nextInt(600)), originals);
                    }
                }
                case "wrapped" -> {
                    long written = 0;
                    for (int i = 0; written < 3 * pool.info().ringCapacity(); i++) {
                        Draft d = draft(random, i, 10 + random.nextInt(1500));
                        written += FrameDescriptor.align(FrameDescriptor.FRAME_HEADER_LENGTH + 64 + d.data().length());
                        append(pool, d, originals);
                    }
                }
                case "whole-ring" -> {
                    append(pool, draft(random, 0, 300), originals);
                    int data = (int) pool.maxFrameLength() - FrameDescriptor.FRAME_HEADER_LENGTH - 3;
                    append(pool, Draft.of(JsonData.parse("{\"big\":\"" + "b".repeat(data - 10) + "\"}"),
                            List.of()), originals);
                }
                case "empty" -> {
                }
                default -> throw new IllegalArgumentException(recipe);
            }
        }
        List<Frame> frames = new ArrayList<>();
        for (long offset : PoolFile.frameOffsets(file)) {
            frames.add(new Frame(offset, PoolFile.getInt(file, offset + FrameDescriptor.LENGTH_OFFSET),
                    PoolFile.getInt(file, offset + FrameDescriptor.TYPE_OFFSET),
                    PoolFile.getInt(file, offset + FrameDescriptor.META_LENGTH_OFFSET)));
        }
        return new Built(recipe, file, originals, PoolFile.fileSize(file), PoolFile.ringOffset(file),
                PoolFile.ringCapacity(file), PoolFile.getLong(file, HeaderDescriptor.INDEX_CAPACITY_OFFSET),
                PoolFile.segmentShift(file), frames);
    }

    private static void append(Pool pool, Draft draft, Map<Long, Original> originals) {
        AppendResult r = pool.append(draft);
        originals.put(r.seq(), new Original(r.seq(), r.timeNanos(), draft.data().bytes(), draft.tags(),
                draft.origin()));
    }

    /** Message {@code i}: about {@code size} bytes of data, with tags on some, non-ASCII text and an origin. */
    private static Draft draft(Random random, int i, int size) {
        String text = i % 5 == 3 ? "h\u00e9las \u65e5\u672c \ud83d\udc1f" : "x";
        StringBuilder b = new StringBuilder("{\"i\":").append(i).append(",\"level\":\"info\",\"nested\":{\"a\":[1,2.5,")
                .append("true,null]},\"text\":\"");
        while (b.length() < size) {
            b.append(text);
        }
        String json = b.append("\"}").toString();
        List<String> tags = switch (i % 4) {
            case 1 -> List.of("web");
            case 2 -> List.of("a", "\u00fcn\u00ef", "tag-" + random.nextInt(100));
            default -> List.of();
        };
        Origin origin = i % 7 == 6 ? new Origin("topic-" + i, i % 3, 1000L + i) : null;
        return new Draft(tags, origin, JsonData.parse(json));
    }
}
