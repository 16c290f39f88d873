package org.carnet.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How a bulk import orders its items: by rank, then by the time their format gives (CDA effectiveTime, MSH-7; read by
 * the connectors, tested in {@code cda.CdaMessageTimeTests} and {@code hl7v2.Hl7MessageTimeTests}).
 */
class MessageTimeOrderTests {

    @Test
    void itemsGoByRankThenUntimedInTheirOrderThenTimedByTime() {
        List<String> names =
                List.of("b.json", "a-replacement.xml", "b-initial.xml", "c-untimed.pdf", "d.csv", "a.json");
        List<Instant> times = Arrays.asList(
                null, Instant.parse("2023-04-16T07:15:00Z"), Instant.parse("2023-04-15T08:30:00Z"), null, null, null);

        List<String> ordered =
                BulkImport.ordered(names, n -> n.endsWith(".json") ? 0 : n.endsWith(".csv") ? 2 : 1, times);

        assertThat(ordered)
                .containsExactly("b.json", "a.json", "c-untimed.pdf", "b-initial.xml", "a-replacement.xml", "d.csv");
    }

    @Test
    void equalTimesKeepTheirOrder() {
        Instant same = Instant.parse("2024-07-12T08:00:00Z");
        assertThat(BulkImport.ordered(List.of("z", "a", "m"), n -> 1, Arrays.asList(same, same, same)))
                .containsExactly("z", "a", "m");
    }
}
