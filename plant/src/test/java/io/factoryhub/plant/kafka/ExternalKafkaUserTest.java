package io.factoryhub.plant.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The external cluster's users: passwords that would break the SCRAM format argument or JAAS are refused, unseen. */
class ExternalKafkaUserTest {

    @Test
    void should_accept_generated_style_passwords_and_never_show_them() {
        ExternalKafka.User user = new ExternalKafka.User("bi", "Xk4mP9qRt2vW7yZb3nC8dF5g");
        assertEquals("User[bi]", user.toString());
    }

    @Test
    void should_refuse_passwords_that_would_end_the_jaas_or_scram_argument_without_naming_them() {
        for (String password : new String[] {"with\"quote", "with,comma", "with]bracket", "with space", "back\\slash", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ExternalKafka.User("mm2", password));
            assertFalse(!password.isEmpty() && e.getMessage().contains(password), e.getMessage());
        }
    }
}
