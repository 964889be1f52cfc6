// SPDX-License-Identifier: Apache-2.0
package dev.secretsprefetch.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A UTC clock that moves only when a test moves it, and optionally by {@code tickMs} every time it is read (so
 * time passes while the code under test loops).
 */
public final class TestClock extends Clock {

    private final AtomicLong millis;
    private volatile long tickMs;

    public TestClock(long startEpochMs) {
        this.millis = new AtomicLong(startEpochMs);
    }

    /** A clock that starts at the real current time. */
    public static TestClock startingNow() {
        return new TestClock(System.currentTimeMillis());
    }

    public void advance(long ms) {
        millis.addAndGet(ms);
    }

    public void advance(Duration duration) {
        advance(duration.toMillis());
    }

    public void set(long epochMs) {
        millis.set(epochMs);
    }

    /** From now on every read moves the clock on by {@code ms}. */
    public void tickOnEveryRead(long ms) {
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
        return this;
    }
}
