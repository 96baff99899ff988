package dev.rockpool.cli;

import java.io.IOException;
import java.io.InputStream;

/**
 * Splits an input stream into JSON records without parsing them: JSON Lines, concatenated (also pretty-printed) JSON
 * and json-seq (RFC 7464: RS 0x1E before each record) alike, with no format flag. Each record is then parsed on its
 * own (by Jackson, in {@link dev.rockpool.pool.JsonData#parse}), which gives exact record and line numbers in errors
 * and a clean restart after a bad record for {@code --errors skip}.
 *
 * <p>A record is one top-level value: from <code>{</code> or {@code [} to its matching close bracket (strings and
 * escapes honoured, so brackets inside strings do not count), a string, or, for anything else, the rest of the line.
 * Where a record is broken the split still ends it where valid JSON could not go on, so the next good record is not
 * lost: at a raw newline inside a string (JSON strings cannot hold one), at an RS, and at a line starting with
 * <code>{</code> or {@code [} when the previous line ended where no value may follow (not after {@code ,}, {@code :}
 * or {@code [}) — the usual shape of a truncated JSON line.
 *
 * <p>Memory stays bounded: the buffer holds one record (up to {@code maxRecord} bytes); a longer record is scanned to
 * its end but not kept, and reported as {@link #oversized()}.
 */
final class RecordReader {
    private static final byte RS = 0x1E;

    private final InputStream in;
    private final int maxRecord;
    private final Runnable beforeWait;
    private byte[] buf = new byte[1 << 16];
    private int pos;
    private int limit;
    private boolean eof;
    private long line = 1;

    // the current record
    private int start;
    private int length;
    private long recordNumber;
    private long recordLine;
    private boolean oversized;
    private long oversizedLength;

    /**
     * A reader of {@code in}; {@code beforeWait} runs whenever the next read would wait for the input (nothing
     * buffered, nothing available), so the caller can hand on what it has (a live pipe must not sit in a batch).
     */
    RecordReader(InputStream in, int maxRecord, Runnable beforeWait) {
        this.in = in;
        this.maxRecord = Math.max(maxRecord, 1);
        this.beforeWait = beforeWait;
    }

    /** Advances to the next record; false at the end of the input. */
    boolean next() throws IOException {
        oversized = false;
        oversizedLength = 0;
        start = pos;
        if (!skipSeparators()) {
            return false;
        }
        recordNumber++;
        recordLine = line;
        start = pos;
        byte first = buf[pos];
        if (first == '{' || first == '[') {
            scanStructure();
        } else if (first == '"') {
            scanString();
        } else {
            scanRestOfLine();
        }
        length = pos - start;
        if (oversized) {
            oversizedLength += length;
        } else if (length > maxRecord) {
            oversized = true;
            oversizedLength = length;
        }
        return true;
    }

    byte[] array() {
        return buf;
    }

    int start() {
        return start;
    }

    int length() {
        return length;
    }

    long recordNumber() {
        return recordNumber;
    }

    long recordLine() {
        return recordLine;
    }

    /** True if the record was longer than {@code maxRecord}: its bytes were skipped, not kept. */
    boolean oversized() {
        return oversized;
    }

    /** The length of an oversized record (at least {@code maxRecord + 1}). */
    long oversizedLength() {
        return oversizedLength;
    }

    // ------------------------------------------------------------------ scanning

    private boolean skipSeparators() throws IOException {
        while (true) {
            if (pos >= limit) {
                start = pos;
                if (!fill()) {
                    return false;
                }
            }
            byte b = buf[pos];
            if (b == '\n') {
                line++;
            } else if (b != ' ' && b != '\t' && b != '\r' && b != RS && !isBom(b)) {
                return true;
            }
            pos++;
        }
    }

    /** The UTF-8 byte order mark some Windows tools write first; skipped like whitespace before record 1. */
    private boolean isBom(byte b) throws IOException {
        if (recordNumber != 0 || b != (byte) 0xEF) {
            return false;
        }
        if (!ensure(3)) {
            return false;
        }
        if (buf[pos + 1] == (byte) 0xBB && buf[pos + 2] == (byte) 0xBF) {
            pos += 2;
            return true;
        }
        return false;
    }

    private void scanStructure() throws IOException {
        int depth = 0;
        boolean inString = false;
        boolean escape = false;
        boolean lineStart = false;
        byte lastSignificant = 0;
        while (true) {
            if (pos >= limit && !fill()) {
                return;
            }
            byte b = buf[pos];
            if (inString) {
                if (escape) {
                    escape = false;
                } else if (b == '\\') {
                    escape = true;
                } else if (b == '"') {
                    inString = false;
                    lastSignificant = b;
                } else if (b == '\n' || b == RS) {
                    return;
                }
                pos++;
                continue;
            }
            if (b == RS) {
                return;
            }
            if (b == '\n') {
                line++;
                lineStart = true;
                pos++;
                continue;
            }
            if (b == ' ' || b == '\t' || b == '\r') {
                pos++;
                continue;
            }
            if (lineStart && depth > 0 && (b == '{' || b == '[') && lastSignificant != ','
                    && lastSignificant != ':' && lastSignificant != '[') {
                // A new value where none may follow: the record above is broken; this line starts the next one.
                retreatOverBlankTail();
                return;
            }
            lineStart = false;
            if (b == '"') {
                inString = true;
            } else if (b == '{' || b == '[') {
                depth++;
            } else if (b == '}' || b == ']') {
                depth--;
                if (depth <= 0) {
                    pos++;
                    return;
                }
            }
            lastSignificant = b;
            pos++;
        }
    }

    /** Ends the record before the whitespace and newlines that precede {@code pos}, giving the lines back. */
    private void retreatOverBlankTail() {
        int p = pos;
        while (p > start) {
            byte b = buf[p - 1];
            if (b == '\n') {
                line--;
            } else if (b != ' ' && b != '\t' && b != '\r') {
                break;
            }
            p--;
        }
        pos = p;
    }

    private void scanString() throws IOException {
        pos++;
        boolean escape = false;
        while (true) {
            if (pos >= limit && !fill()) {
                return;
            }
            byte b = buf[pos];
            if (b == '\n' || b == RS) {
                return;
            }
            pos++;
            if (escape) {
                escape = false;
            } else if (b == '\\') {
                escape = true;
            } else if (b == '"') {
                return;
            }
        }
    }

    private void scanRestOfLine() throws IOException {
        while (true) {
            if (pos >= limit && !fill()) {
                return;
            }
            byte b = buf[pos];
            if (b == '\n' || b == RS) {
                return;
            }
            pos++;
        }
    }

    // ------------------------------------------------------------------ buffering

    /** Reads more input, keeping the current record's bytes; false at the end of the input. */
    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        int keepFrom = Math.min(start, pos);
        if (pos - keepFrom > maxRecord) {
            // Too long to keep: count what we drop and keep scanning the rest of the record.
            oversized = true;
            oversizedLength += pos - keepFrom;
            start = pos;
            keepFrom = pos;
        }
        if (keepFrom > 0) {
            System.arraycopy(buf, keepFrom, buf, 0, limit - keepFrom);
            limit -= keepFrom;
            pos -= keepFrom;
            start -= keepFrom;
        }
        if (limit == buf.length) {
            byte[] bigger = new byte[(int) Math.min((long) buf.length * 2, (long) maxRecord + (1 << 16))];
            System.arraycopy(buf, 0, bigger, 0, limit);
            buf = bigger;
        }
        if (in.available() <= 0) {
            beforeWait.run();
        }
        int n = in.read(buf, limit, buf.length - limit);
        if (n <= 0) {
            eof = true;
            return false;
        }
        limit += n;
        return true;
    }

    /** Makes {@code n} bytes from {@code pos} available if the input has them. */
    private boolean ensure(int n) throws IOException {
        while (limit - pos < n) {
            int before = limit - pos;
            start = pos;
            if (!fill() && limit - pos == before) {
                return false;
            }
        }
        return true;
    }
}
