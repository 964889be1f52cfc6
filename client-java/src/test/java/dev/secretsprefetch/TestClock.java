package dev.secretsprefetch;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock tests move by hand; optionally it also moves by {@code tickMs} every time it is read. */
final class TestClock extends Clock {

    private final AtomicLong millis;
    private volatile long tickMs;

    TestClock(long startEpochMs) {
        this.millis = new AtomicLong(startEpochMs);
    }

    void advance(long ms) {
        millis.addAndGet(ms);
    }

    void set(long epochMs) {
        millis.set(epochMs);
    }

    /** From now on every read moves the clock on by {@code ms}: time passes while code under test loops. */
    void tickOnEveryRead(long ms) {
        tickMs = ms;
    }

    @Override
    public long millis() {
        return millis.getAndAdd(tickMs);
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("tests use UTC");
    }
}
