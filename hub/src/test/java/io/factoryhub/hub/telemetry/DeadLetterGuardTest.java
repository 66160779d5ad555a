package io.factoryhub.hub.telemetry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class DeadLetterGuardTest {

    private static final int LIMIT = 128 * 1024;
    private final DeadLetterGuard guard = new DeadLetterGuard(LIMIT);

    @Test
    void should_cut_a_payload_over_the_record_limit_to_fit_with_its_headers_and_mark_it() {
        byte[] big = new byte[LIMIT];
        big[0] = 42;
        Exchange exchange = exchange(big);
        guard.process(exchange);
        byte[] cut = exchange.getMessage().getBody(byte[].class);
        assertEquals(LIMIT - DeadLetterGuard.HEADER_ALLOWANCE, cut.length);
        assertEquals(42, cut[0]);
        assertEquals("true", exchange.getMessage().getHeader("factory_payload_truncated"));
        assertEquals(Integer.toString(LIMIT), exchange.getMessage().getHeader("factory_payload_bytes"));
    }

    @Test
    void should_leave_a_payload_that_fits_untouched() {
        byte[] small = new byte[LIMIT - DeadLetterGuard.HEADER_ALLOWANCE];
        Exchange exchange = exchange(small);
        guard.process(exchange);
        assertArrayEquals(small, exchange.getMessage().getBody(byte[].class));
        assertNull(exchange.getMessage().getHeader("factory_payload_truncated"));
    }

    @Test
    void should_refuse_a_limit_that_leaves_no_room_for_the_payload() {
        assertThrows(IllegalArgumentException.class, () -> new DeadLetterGuard(DeadLetterGuard.HEADER_ALLOWANCE));
    }

    private static Exchange exchange(byte[] body) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setBody(body);
        return exchange;
    }
}
