package io.cairn.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AwaitTest {

    @Test
    void untilReturnsOnceTheConditionHolds() {
        AtomicInteger polls = new AtomicInteger();
        Await.until("the third poll", Duration.ofSeconds(10), () -> polls.incrementAndGet() == 3);
        assertEquals(3, polls.get());
    }

    @Test
    void untilFailsNamingWhatItWaitedFor() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> Await.until("the moon", Duration.ofMillis(50), () -> false));
        assertEquals("timed out after 50 ms waiting for the moon", e.getMessage());
    }

    @Test
    void neverFailsWhenTheConditionBecomesTrue() {
        AtomicInteger polls = new AtomicInteger();
        AssertionError e = assertThrows(AssertionError.class,
                () -> Await.never("a second poll", Duration.ofSeconds(10), () -> polls.incrementAndGet() == 2));
        assertEquals("unexpectedly a second poll", e.getMessage());
    }

    @Test
    void neverPassesWhenTheConditionStaysFalse() {
        AtomicInteger polls = new AtomicInteger();
        Await.never("anything", Duration.ofMillis(50), () -> polls.incrementAndGet() < 0);
        assertTrue(polls.get() > 1, "polled " + polls.get() + " times");
    }
}
