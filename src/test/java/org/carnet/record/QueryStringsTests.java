package org.carnet.record;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueryStringsTests {

    @Test
    void commasSeparateAlternativesUnlessEscaped() {
        assertThat(QueryStrings.splitValues("a,b")).containsExactly("a", "b");
        assertThat(QueryStrings.splitValues("Dupont\\, Jean,Martin")).containsExactly("Dupont, Jean", "Martin");
        assertThat(QueryStrings.splitValues("back\\\\slash")).containsExactly("back\\slash");
    }

    @Test
    void referencesParseOnlyLocalTypeAndId() {
        assertThat(References.parseLocal("Patient/123")).map(Object::toString).contains("Patient/123");
        assertThat(References.parseLocal("Patient/123/_history/2"))
                .map(Object::toString)
                .contains("Patient/123");
        assertThat(References.parseLocal("Spaceship/1")).isEmpty();
        assertThat(References.parseLocal("Patient/a b")).isEmpty();
        assertThat(References.parseLocal("#contained")).isEmpty();
        assertThat(References.parseLocal("urn:uuid:0b7e4e2c-3f0c-4d59-8a8e-4f1b6b8c9d10"))
                .isEmpty();
    }
}
