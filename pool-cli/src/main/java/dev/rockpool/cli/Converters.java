package dev.rockpool.cli;

import dev.rockpool.filter.TimeFormat;
import dev.rockpool.pool.ErrorKind;
import dev.rockpool.pool.PoolException;
import dev.rockpool.pool.PoolOptions;
import picocli.CommandLine.ITypeConverter;

import java.time.Duration;

/**
 * The typed option values of the CLI. Each converter throws the engine's Usage error for a bad value; the parameter
 * exception handler of {@link Rockpool} names the option it was given to.
 */
final class Converters {
    private Converters() {
    }

    /** A pool file size: {@code 64K} to {@code 2G}, K/M/G 1024-based. */
    static final class PoolSize implements ITypeConverter<Long> {
        @Override
        public Long convert(String text) {
            long size = PoolOptions.parseSize(text);
            if (size < PoolOptions.MIN_SIZE || size > PoolOptions.MAX_SIZE) {
                throw new PoolException(ErrorKind.USAGE, "size=" + text + ": a pool is 64K to 1T");
            }
            return size;
        }
    }

    /** A positive number of bytes: {@code 65536}, {@code 64K}, {@code 1M}, K/M/G 1024-based. */
    static final class Size implements ITypeConverter<Long> {
        @Override
        public Long convert(String text) {
            return PoolOptions.parseSize(text);
        }
    }

    /** A duration, 0 included: {@code 0s}, {@code 500ms}, {@code 2s}. */
    static final class AnyDuration implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String text) {
            return Duration.ofNanos(TimeFormat.parseDuration(text));
        }
    }

    /** A positive duration: {@code 500ms}, {@code 30s}, {@code 15m}, {@code 2h}, {@code 7d}. */
    static final class PositiveDuration implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String text) {
            long nanos = TimeFormat.parseDuration(text);
            if (nanos <= 0) {
                throw new PoolException(ErrorKind.USAGE, "duration=" + text + ": must be more than 0");
            }
            return Duration.ofNanos(nanos);
        }
    }

    /** A point in time as ns since the epoch: a duration ago ({@code 30m}, from now) or an RFC 3339 time. */
    static final class Since implements ITypeConverter<Long> {
        @Override
        public Long convert(String text) {
            return TimeFormat.parseSince(text, TimeFormat.nowNanos());
        }
    }

    /** A whole number of at least 1. */
    static final class AtLeastOne implements ITypeConverter<Long> {
        @Override
        public Long convert(String text) {
            return atLeast(text, 1);
        }
    }

    /** A whole number of at least 0. */
    static final class AtLeastZero implements ITypeConverter<Long> {
        @Override
        public Long convert(String text) {
            return atLeast(text, 0);
        }
    }

    /** A replay speed: a number {@code >= 0} (1 real time, 10 ten times faster, 0 no delay). */
    static final class Speed implements ITypeConverter<Double> {
        @Override
        public Double convert(String text) {
            double speed;
            try {
                speed = Double.parseDouble(text.trim());
            } catch (NumberFormatException e) {
                speed = Double.NaN;
            }
            if (Double.isNaN(speed) || speed < 0 || Double.isInfinite(speed)) {
                throw new PoolException(ErrorKind.USAGE, "speed=" + text + ": must be a number >= 0 (1: real time,"
                        + " 10: ten times faster, 0: no delay)");
            }
            return speed;
        }
    }

    /** A tag to put on messages: not empty. */
    static final class Tag implements ITypeConverter<String> {
        @Override
        public String convert(String text) {
            if (text.isEmpty()) {
                throw new PoolException(ErrorKind.USAGE, "a tag cannot be empty");
            }
            return text;
        }
    }

    private static long atLeast(String text, long min) {
        long n;
        try {
            n = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new PoolException(ErrorKind.USAGE, "'" + text + "' is not a whole number");
        }
        if (n < min) {
            throw new PoolException(ErrorKind.USAGE, n + ": must be at least " + min);
        }
        return n;
    }
}
