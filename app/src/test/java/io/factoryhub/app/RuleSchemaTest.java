package io.factoryhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.factoryhub.app.support.SchemaFile;
import io.factoryhub.hub.rules.RuleException;
import io.factoryhub.hub.rules.RuleJson;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** hub/src/main/resources/schema/rule.schema.json, for users' editors, refuses what the hub's reader refuses. */
class RuleSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VALID = """
            {"apiVersion":"factory-hub/v1","kind":"Rule","metadata":{"name":"hot"},
             "spec":{"machines":"press-.*","group":"thermal","weight":10,"state":"WARNING",
                     "when":{"all":[{"tag":"temperature","op":">","value":80,"for":"5m"}]},
                     "context":{"product_code":"BRK-220"}}}""";

    @Test
    void should_accept_a_valid_rule_in_both() throws Exception {
        JsonNode document = JSON.readTree(VALID);
        assertEquals("hot", RuleJson.read(document).name());
        assertEquals(Set.of(), SchemaFile.RULE.problems(document));
    }

    /** Each case: a piece of the valid rule|what it becomes. */
    @ParameterizedTest
    @ValueSource(strings = {
        "\"kind\":\"Rule\"|\"kind\":\"Rules\"",
        "\"metadata\":{\"name\":\"hot\"}|\"metadata\":{\"name\":\"Hot_1\"}",
        "\"machines\":\"press-.*\"|\"machines\":7",
        "\"weight\":10|\"weight\":1.5",
        "\"group\":\"thermal\"|\"group\":7",
        "\"group\":\"thermal\"|\"group\":\" \"",
        "\"state\":\"WARNING\"|\"state\":\"ACTIVE\"",
        "\"state\":\"WARNING\"|\"state\":\"warning\"",
        "\"when\":{\"all\"|\"when\":{\"any\":[],\"all\"",
        "[{\"tag\":\"temperature\",\"op\":\">\",\"value\":80,\"for\":\"5m\"}]|[]",
        "\"op\":\">\"|\"op\":\"=>\"",
        "\"value\":80|\"value\":\"80\"",
        "\"for\":\"5m\"|\"for\":\"5min\"",
        "\"for\":\"5m\"|\"for\":\"5m\",\"hold\":\"5m\"",
        "\"product_code\":\"BRK-220\"|\"product_code\":{\"is\":\"BRK-220\"}",
        "\"product_code\":\"BRK-220\"|\"product_code\":null",
        "\"spec\":{|\"owner\":\"a.novak\",\"spec\":{",
    })
    void should_refuse_a_bad_document_in_both(String edit) throws Exception {
        String[] change = edit.split("\\|");
        assertTrue(VALID.contains(change[0]), "the edit applies: " + change[0]);
        JsonNode document = JSON.readTree(VALID.replace(change[0], change[1]));
        assertThrows(RuleException.class, () -> RuleJson.read(document), "RuleJson accepts " + document);
        assertFalse(SchemaFile.RULE.problems(document).isEmpty(), "the schema accepts " + document);
    }
}
